"""Splicing entry and taxonomy text into a library's text. Pure: text and spans in, text out.

Every function returns new text in which only the touched entries (and, for removals,
the `%` comment lines just above them) differ: the rest stays byte for byte. `splice`
also returns the cuts it made, in the old text's positions, so that the parsed columns
can follow the edit (`incremental.edited`) instead of parsing the new text again.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class Cut:
    """`old[start:end]` replaced by `new`; positions in the text before any cut. `what`
    says what was cut: an entry's position, "taxonomy" or "appended"."""

    start: int
    end: int
    new: str
    what: int | str


def removal_span(text: str, start: int, end: int) -> Span:
    """What goes with a removed entry: its `%` comment lines just above, its newline, and
    one of the blank lines around it."""
    while start > 0:
        line_start = text.rfind("\n", 0, start - 1) + 1
        if not text[line_start : start - 1].lstrip().startswith("%"):
            break
        start = line_start
    end += text[end : end + 1] == "\n"
    if text[end : end + 1] == "\n" and (start == 0 or text[start - 2 : start] == "\n\n"):
        end += 1
    elif end == len(text) and text[start - 2 : start] == "\n\n":
        start -= 1  # the last entry: drop the blank line before it instead
    return start, end


def splice(
    text: str,
    replacements: Mapping[int, tuple[Span, str | None]],
    *,
    taxonomy: tuple[Span | None, str] | None = None,
    appended: Sequence[str] = (),
) -> tuple[str, list[Cut] | None]:
    """TEXT with entries replaced ({position: (span, new text or None to remove it)}),
    the taxonomy block replaced (or put
    at the top when its span is None) and entry texts appended; and the cuts made (None
    in the one case where they have no place in the old text).

    Later cuts are made first, each on the text as the cuts after it left it: a removal
    looks at what follows the entry, so two neighbours removed together leave what
    removing one, then the other, leaves.
    """
    edits: list[tuple[Span, str | None, int | str]] = [
        (span, new, what) for what, (span, new) in replacements.items()
    ]
    if taxonomy is not None and taxonomy[0] is not None:
        edits.append((taxonomy[0], taxonomy[1], "taxonomy"))
    cuts: list[Cut] = []
    for (start, end), new, what in sorted(edits, key=lambda e: e[0][0], reverse=True):
        cut = (start, end) if new is not None else removal_span(text, start, end)
        text = text[: cut[0]] + (new or "") + text[cut[1] :]
        cuts.append(Cut(cut[0], cut[1], new or "", what))
    if taxonomy is not None and taxonomy[0] is None:
        text = taxonomy[1] + "\n\n" + text
        cuts.append(Cut(0, 0, taxonomy[1] + "\n\n", "taxonomy"))
    cuts.reverse()
    if appended:
        shift = sum(len(c.new) - (c.end - c.start) for c in cuts)
        keep, tail = appended_tail(text, appended)
        if cuts and keep < cuts[-1].end + shift:
            # Trailing newlines trimmed across a removal at the very end: the old text
            # has no single place for this cut. Only `incremental.edited` needs one.
            return text[:keep] + tail, None
        cuts.append(Cut(keep - shift, len(text) - shift, tail, "appended"))
        text = text[:keep] + tail
    return text, cuts


def appended_tail(text: str, entry_texts: Sequence[str]) -> tuple[int, str]:
    """(how many characters of TEXT stay, what follows them) once ENTRY_TEXTS are
    appended by `append_entry`: worked out on TEXT's trailing newlines, not a copy of it."""
    newlines = 0
    while newlines < len(text) and text[-1 - newlines] == "\n":
        newlines += 1
    return appended_tail_at(len(text), newlines, not text or text.isspace(), entry_texts)


def appended_tail_at(
    length: int, newlines: int, blank: bool, entry_texts: Sequence[str]
) -> tuple[int, str]:
    """`appended_tail` of a text known by its LENGTH, the NEWLINES that end it and
    whether it is BLANK (empty or all white space)."""
    if not entry_texts:
        return length, ""
    if blank:
        return 0, functools.reduce(append_entry, entry_texts, "")
    stub = "x" + "\n" * newlines  # what append_entry looks at: the trailing newlines
    appended = functools.reduce(append_entry, entry_texts, stub)
    kept = newlines if appended.startswith(stub) else 0
    return length - newlines + kept, appended[1 + kept :]


def append_entry(text: str, entry_text: str) -> str:
    """TEXT with ENTRY_TEXT appended after one blank line."""
    if not text or text.isspace():
        return entry_text
    newlines = 0
    while text[-1 - newlines] == "\n":
        newlines += 1
    # Keep TEXT whole when it ends in one or two newlines: a copy of a large library costs.
    head, glue = (text, "\n\n"[: 2 - newlines]) if newlines <= 2 else (text.rstrip("\n"), "\n\n")
    return "".join((head, glue, entry_text.rstrip("\n"), "\n"))
