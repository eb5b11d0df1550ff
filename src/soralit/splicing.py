"""Splicing entry and taxonomy text into a library's text. Pure.

Every function returns new text in which only the touched entries (and, for removals,
the `%` comment lines just above them) differ: the rest stays byte for byte, trailing
spaces included. New lines take the file's line ending (CRLF when its first line ends
so); a line of spaces counts as a blank line.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from soralit.bibtext import line_end, newline, with_newline

if TYPE_CHECKING:
    from soralit.storage import Library


def _blank_line_before(text: str, start: int) -> int | None:
    """The start of the line before START (a line start) when that line is blank."""
    if start == 0 or text[start - 1] != "\n":
        return None
    previous = text.rfind("\n", 0, start - 1) + 1
    return previous if text[previous:start].isspace() else None


def _removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """What goes with a removed entry: its `%` comment lines just above, the rest of its
    last line, and one of the blank lines around it."""
    while start > 0:
        line_start = text.rfind("\n", 0, start - 1) + 1
        if not text[line_start : start - 1].lstrip().startswith("%"):
            break
        start = line_start
    end = line_end(text, end) or end
    after, before = line_end(text, end), _blank_line_before(text, start)
    if after is not None and (start == 0 or before is not None):
        end = after
    elif end == len(text) and before is not None:
        start = before  # the last entry: drop the blank line before it instead
    return start, end


def replace_entry(library: Library, key: str, new_raw: str | None) -> str:
    """The library text with entry KEY replaced by NEW_RAW (None removes it and its line)."""
    return splice_all(library, {key: new_raw})


def appended_tail(text: str, entry_texts: Sequence[str]) -> tuple[int, str]:
    """(how many characters of TEXT stay, what follows them) once ENTRY_TEXTS are
    appended by `append_entry`: worked out on TEXT's trailing blank space, not a copy of it."""
    if not text or text.isspace():
        return 0, functools.reduce(append_entry, entry_texts, text)
    nl, suffix = newline(text), _blank_suffix(text)
    stub = "x" + suffix  # what appending looks at: the line ending and the blank space
    appended = functools.reduce(lambda t, e: _append(t, e, nl), entry_texts, stub)
    kept = _kept(suffix)
    return len(text) - len(suffix) + kept, appended[1 + kept :]


def append_entry(text: str, entry_text: str) -> str:
    """TEXT with ENTRY_TEXT appended after one blank line, in TEXT's line ending."""
    return _append(text, entry_text, newline(text))


def _append(text: str, entry_text: str, nl: str) -> str:
    if not text or text.isspace():
        return with_newline(entry_text, nl)
    suffix = _blank_suffix(text)
    kept = _kept(suffix)
    glue = nl * max(0, 2 - suffix[:kept].count("\n"))
    entry = with_newline(entry_text.rstrip("\r\n"), nl)
    # Keep TEXT whole when nothing of it is dropped: a copy of a large library costs.
    head = text if kept == len(suffix) else text[: len(text) - len(suffix) + kept]
    return "".join((head, glue, entry, nl))


def _blank_suffix(text: str) -> str:
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


def splice_all(
    library: Library, replacements: dict[str, str | None], taxonomy_block: str | None = None
) -> str:
    """The library text with several entries (by key) and the taxonomy replaced at once."""
    edits = [(library.spans[library.index(k)], raw) for k, raw in replacements.items()]
    if taxonomy_block is not None and library.taxonomy_span is not None:
        edits.append((library.taxonomy_span, taxonomy_block))
    text = library.text
    nl = newline(text)
    for (start, end), new in sorted(edits, key=lambda e: e[0][0], reverse=True):
        cut = (start, end) if new is not None else _removal_span(text, start, end)
        text = text[: cut[0]] + with_newline(new or "", nl) + text[cut[1] :]
    if taxonomy_block is not None and library.taxonomy_span is None:
        text = with_newline(taxonomy_block, nl) + nl * 2 + text
    return text


def replace_taxonomy(library: Library, block: str) -> str:
    """The library text with the taxonomy block replaced (or inserted at the top)."""
    return splice_all(library, {}, block)
