"""Splicing entry and taxonomy text into a library's text. Pure: text and spans in, text out.

Every function returns new text in which only the touched entries (and, for removals,
the `%` comment lines just above them) differ: the rest stays byte for byte, trailing
spaces included. New lines take the file's line ending (CRLF when its first line ends
so); a line of spaces counts as a blank line. `splice` also returns the cuts it made,
in the old text's positions, so that the parsed columns can follow the edit
(`incremental.edited`) instead of parsing the new text again.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from soralit.bibtex import line_end, newline, with_newline

Span = tuple[int, int]


@dataclass(frozen=True)
class Cut:
    """`old[start:end]` replaced by `new`; positions in the text before any cut. `what`
    says what was cut: an entry's position, "taxonomy", "appended", or "inserted:N" (the
    Nth text of `splice`'s INSERTED, put between entries: `start == end`)."""

    start: int
    end: int
    new: str
    what: int | str


def _blank_line_before(text: str, start: int) -> int | None:
    """The start of the line before START (a line start) when that line is blank."""
    if start == 0 or text[start - 1] != "\n":
        return None
    previous = text.rfind("\n", 0, start - 1) + 1
    return previous if text[previous:start].isspace() else None


def _text_before_on_line(text: str, at: int) -> bool:
    """True when AT's line has more than blank space before AT."""
    return bool(text[text.rfind("\n", 0, at) + 1 : at].strip())


def _with_comments_above(text: str, start: int) -> int:
    """START moved up over the `%` comment lines just above the entry there, unless they
    reach the start of the file (a header) or the entry does not begin its line."""
    found = start
    while found > 0 and not _text_before_on_line(text, found):
        line_start = text.rfind("\n", 0, found - 1) + 1
        if not text[line_start : found - 1].lstrip().startswith("%"):
            return found
        found = line_start
    return start if found == 0 and found != start else found


def removal_span(text: str, start: int, end: int) -> Span:
    """What goes with a removed entry: its `%` comment lines just above, the rest of its
    last line, and one of the blank lines around it. An entry that shares its first line
    with text before it (`% x@PREAMBLE{p}@article{k,`) takes none of that text, and the
    first entry leaves a `%` block that starts the file (JabRef's `% Encoding: UTF-8`
    header): it is the file's."""
    start = _with_comments_above(text, start)
    end = line_end(text, end) or end
    after, before = line_end(text, end), _blank_line_before(text, start)
    if after is not None and (start == 0 or before is not None):
        end = after
    elif end == len(text) and before is not None:
        start = before  # the last entry: drop the blank line before it instead
    return start, end


def splice(
    text: str,
    replacements: Mapping[int, tuple[Span, str | None]],
    *,
    taxonomy: tuple[Span | None, str] | None = None,
    appended: Sequence[str] = (),
    inserted: Sequence[tuple[int, str]] = (),
) -> tuple[str, list[Cut] | None]:
    """TEXT with entries replaced ({position: (span, new text or None to remove it)}),
    the taxonomy block replaced (or put at the top when its span is None), texts INSERTED
    at offsets of the old text ((offset, text), e.g. a new entry right after another) and
    entry texts appended; and the cuts made (None in the one case where they have no place in
    the old text).

    Later cuts are made first, each on the text as the cuts after it left it: a removal
    looks at what follows the entry, so two neighbours removed together leave what
    removing one, then the other, leaves.
    """
    nl = newline(text)
    edits: list[tuple[Span, str | None, int | str]] = [
        (span, new, what) for what, (span, new) in replacements.items()
    ]
    if taxonomy is not None and taxonomy[0] is not None:
        edits.append((taxonomy[0], taxonomy[1], "taxonomy"))
    edits += [((at, at), new, f"inserted:{n}") for n, (at, new) in enumerate(inserted)]
    cuts: list[Cut] = []
    # From the end, each cut on the text the later ones left; at one offset, a removal or
    # replacement before an insertion, so that the insertion's offset still holds.
    for (start, end), raw, what in sorted(edits, key=lambda e: e[0], reverse=True):
        cut = (start, end) if raw is not None else removal_span(text, start, end)
        if isinstance(what, str) and what.startswith("inserted:"):
            text = text[:start] + (raw or "") + text[start:]
            cuts.append(Cut(start, start, raw or "", what))
            continue
        new = with_newline(raw or "", nl)
        text = text[: cut[0]] + new + text[cut[1] :]
        cuts.append(Cut(cut[0], cut[1], new, what))
    if taxonomy is not None and taxonomy[0] is None:
        block = with_newline(taxonomy[1], nl) + nl * 2
        text = block + text
        cuts.append(Cut(0, 0, block, "taxonomy"))
    cuts.reverse()
    if appended:
        shift = sum(len(c.new) - (c.end - c.start) for c in cuts)
        keep, tail = appended_tail(text, appended)
        if cuts and keep < cuts[-1].end + shift:
            # Trailing blank space trimmed across a removal at the very end: the old text
            # has no single place for this cut. Only `incremental.edited` needs one.
            return text[:keep] + tail, None
        cuts.append(Cut(keep - shift, len(text) - shift, tail, "appended"))
        text = text[:keep] + tail
    return text, cuts


def appended_tail(text: str, entry_texts: Sequence[str]) -> tuple[int, str]:
    """(how many characters of TEXT stay, what follows them) once ENTRY_TEXTS are
    appended by `append_entry`: worked out on TEXT's trailing blank space, not a copy of it."""
    blank = not text or text.isspace()
    return appended_tail_at(len(text), blank_suffix(text), newline(text), blank, entry_texts)


def appended_tail_at(
    length: int, suffix: str, nl: str, blank: bool, entry_texts: Sequence[str]
) -> tuple[int, str]:
    """`appended_tail` of a text known by its LENGTH, the blank SUFFIX that ends it, its
    line ending NL and whether it is BLANK (empty or all white space)."""
    if not entry_texts:
        return length, ""
    if blank:
        return 0, functools.reduce(lambda t, e: _append(t, e, nl), entry_texts, "")
    stub = "x" + suffix  # what appending looks at: the line ending and the blank space
    appended = functools.reduce(lambda t, e: _append(t, e, nl), entry_texts, stub)
    kept = _kept(suffix)
    return length - len(suffix) + kept, appended[1 + kept :]


def append_entry(text: str, entry_text: str) -> str:
    """TEXT with ENTRY_TEXT appended after one blank line, in TEXT's line ending."""
    return _append(text, entry_text, newline(text))


def _append(text: str, entry_text: str, nl: str) -> str:
    if not text or text.isspace():
        return with_newline(entry_text, nl)
    suffix = blank_suffix(text)
    kept = _kept(suffix)
    glue = nl * max(0, 2 - suffix[:kept].count("\n"))
    entry = with_newline(entry_text.rstrip("\r\n"), nl)
    # Keep TEXT whole when nothing of it is dropped: a copy of a large library costs.
    head = text if kept == len(suffix) else text[: len(text) - len(suffix) + kept]
    return "".join((head, glue, entry, nl))


def blank_suffix(text: str) -> str:
    """The spaces and line breaks that end TEXT."""
    end = len(text)
    while end and text[end - 1] in " \t\r\n":
        end -= 1
    return text[end:]


def _kept(suffix: str) -> int:
    """How much of a trailing SUFFIX stays before an appended entry: all of it, up to two
    line breaks (the last line and one blank line); more blank lines are dropped."""
    breaks = [i for i, c in enumerate(suffix) if c == "\n"]
    return len(suffix) if len(breaks) <= 2 else breaks[1] + 1


def insertion_after(text: str, end: int, entry_text: str) -> tuple[int, str]:
    """(offset, text) that puts ENTRY_TEXT after the entry ending at END, one blank line
    between them, in TEXT's line ending."""
    nl = newline(text)
    body = with_newline(entry_text.rstrip("\r\n"), nl).rstrip("\r\n")
    line_end = text.find("\n", end)
    if line_end != -1 and not text[end:line_end].strip():
        # After the line the entry ends on, so that its last line (with any spaces
        # after the brace) stays as it is: only new lines in a diff.
        return line_end + 1, nl + body + nl
    return end, nl + nl + body


def insertion_before(text: str, start: int, entry_text: str) -> tuple[int, str]:
    """(offset, text) that puts ENTRY_TEXT before the entry starting at START and the
    `%` comment lines just above it, one blank line between them."""
    start = _with_comments_above(text, start)
    nl = newline(text)
    return start, with_newline(entry_text.rstrip("\r\n"), nl).rstrip("\r\n") + nl + nl
