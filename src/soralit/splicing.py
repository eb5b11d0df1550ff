"""Splicing entry and taxonomy text into a library's text. Pure.

Every function returns new text in which only the touched entries (and, for removals,
the `%` comment lines just above them) differ: the rest stays byte for byte.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soralit.storage import Library


def _removal_span(text: str, start: int, end: int) -> tuple[int, int]:
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


def replace_entry(library: Library, key: str, new_raw: str | None) -> str:
    """The library text with entry KEY replaced by NEW_RAW (None removes it and its line)."""
    return splice_all(library, {key: new_raw})


def appended_tail(text: str, entry_texts: Sequence[str]) -> tuple[int, str]:
    """(how many characters of TEXT stay, what follows them) once ENTRY_TEXTS are
    appended by `append_entry`: worked out on TEXT's trailing newlines, not a copy of it."""
    if not text or text.isspace():
        return 0, functools.reduce(append_entry, entry_texts, text)
    newlines = 0
    while text[-1 - newlines] == "\n":
        newlines += 1
    stub = "x" + "\n" * newlines  # what append_entry looks at: the trailing newlines
    appended = functools.reduce(append_entry, entry_texts, stub)
    kept = newlines if appended.startswith(stub) else 0
    return len(text) - newlines + kept, appended[1 + kept :]


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


def splice_all(
    library: Library, replacements: dict[str, str | None], taxonomy_block: str | None = None
) -> str:
    """The library text with several entries (by key) and the taxonomy replaced at once."""
    edits = [(library.spans[library.index(k)], raw) for k, raw in replacements.items()]
    if taxonomy_block is not None and library.taxonomy_span is not None:
        edits.append((library.taxonomy_span, taxonomy_block))
    text = library.text
    for (start, end), new in sorted(edits, key=lambda e: e[0][0], reverse=True):
        cut = (start, end) if new is not None else _removal_span(text, start, end)
        text = text[: cut[0]] + (new or "") + text[cut[1] :]
    if taxonomy_block is not None and library.taxonomy_span is None:
        text = taxonomy_block + "\n\n" + text
    return text


def replace_taxonomy(library: Library, block: str) -> str:
    """The library text with the taxonomy block replaced (or inserted at the top)."""
    return splice_all(library, {}, block)
