"""The bridge to bibtexparser 2: BibTeX text -> the columns that `columns` reads entries from.

bibtexparser is the reference reader; this module only re-packs what it returns, so that
a cached library equals a fresh parse by construction. Field values are stored as spans
of the text wherever the value occurs there verbatim (nearly always), else as literals.
Columns (all lists, one item or stride per entry; see `columns.py` for reading them):

- `keys`, `types` (lower-case), `layouts` (distinct tuples of lower-case field names)
- `rows`: stride `columns.ROW`: line (1-based), start, end (the entry's exact text),
  layout index, index of its first value in `spans`
- `spans`: start, end per field value (start < 0: `literals[-1 - start]`); the
  entries with such a value are listed in `literal_entries`
- `work`: the kinds of `duplicates.work_ids` found, and per kind `work/KIND` (the values,
  each between newlines) and `work/KIND/owners` (their entries' positions), so that
  `duplicates.WorkIndex` need not compute them
- `taxonomy`: `[comment, line, start, end]` of the taxonomy block, or None
- `latex`: {title: display text} for the titles that need pylatexenc (`text.learn`)
"""

from __future__ import annotations

import bisect
import logging
from pathlib import Path
from typing import Any

from soralit.errors import LibraryError
from soralit.taxonomy import MARKER


def _line_starts(text: str) -> list[int]:
    starts, pos = [0], text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


class _Columns:
    """Accumulates the columns of one parse."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.types: list[str] = []
        self.rows: list[int] = []
        self.spans: list[int] = []
        self.literals: list[str] = []
        self.literal_entries: list[int] = []
        self.layouts: dict[tuple[str, ...], int] = {}
        self.work: dict[str, list[list[Any]]] = {}

    def add(self, text: str, entry: tuple[str, str, dict[str, str], int, int, int]) -> None:
        key, kind, fields, line, start, end = entry
        names = tuple(fields)
        layout = self.layouts.setdefault(names, len(self.layouts))
        self.keys.append(key)
        self.types.append(kind)
        self.rows += (line, start, end, layout, len(self.spans) // 2)
        cursor = start
        for value in fields.values():
            found = text.find(value, cursor, end) if value else cursor
            if found < 0:
                found = text.find(value, start, end)
            if found < 0:
                self.spans += (-1 - len(self.literals), 0)
                self.literals.append(value)
                if self.literal_entries[-1:] != [len(self.keys) - 1]:
                    self.literal_entries.append(len(self.keys) - 1)
                continue
            self.spans += (found, found + len(value))
            cursor = found + len(value)

    def sections(self, taxonomy: list[Any] | None) -> dict[str, Any]:
        return {
            "keys": self.keys,
            "types": self.types,
            "layouts": [list(names) for names in self.layouts],
            "rows": self.rows,
            "spans": self.spans,
            "literals": self.literals,
            "literal_entries": self.literal_entries,
            "work": self.work,
            "taxonomy": taxonomy,
        }


def parse(path: Path, text: str) -> dict[str, Any]:
    """Parse TEXT into columns; the first malformed block raises LibraryError (file, line)."""
    from soralit.duplicates import work_ids
    from soralit.model import Entry

    columns, taxonomy = _Columns(), None
    for block, line, start, end in _blocks(path, text):
        entry = _entry_record(path, block, line, start, end)
        if entry is not None:
            for kind, value in work_ids(Entry(entry[0], entry[1], entry[2])):
                values, owners = columns.work.setdefault(kind, [[], []])
                values.append(value)
                owners.append(len(columns.keys))
            columns.add(text, entry)
        elif _is_taxonomy(block):
            taxonomy = [block.comment.strip(), line, start, end]
    sections = columns.sections(taxonomy)
    sections["latex"] = _slow_titles(text, sections)
    sections.update(work_sections(columns.work))
    return sections


def work_sections(work: dict[str, list[Any]]) -> dict[str, Any]:
    """Every entry's work ids as `work` (the kinds) and, per kind, `work/KIND`: the values
    in entry order, each between newlines, and `work/KIND/owners`: their entries. `work`
    is None if an id spans lines (never seen: `duplicates` then computes them)."""
    from array import array

    if any("\n" in v for values, _ in work.values() for v in values):
        return {"work": None}
    sections: dict[str, Any] = {"work": list(work)}
    for kind, (values, owners) in work.items():
        sections[f"work/{kind}"] = "\n" + "".join(f"{v}\n" for v in values)
        sections[f"work/{kind}/owners"] = array("i", owners)
    return sections


def _slow_titles(text: str, sections: dict[str, Any]) -> dict[str, str]:
    """{title: display text} for the titles only pylatexenc can convert (all converted
    already, for the work ids), so that a cached library never needs pylatexenc again
    for them. Titles are what the list, the exports and the checks show."""
    from soralit.columns import Columns, EntryList
    from soralit.text import latex_to_text, needs_pylatexenc

    titles = dict.fromkeys(EntryList(Columns(text, sections)).field_values("title"))
    return {title: latex_to_text(title) for title in titles if needs_pylatexenc(title)}


def _blocks(path: Path, text: str) -> list[tuple[Any, int, int, int]]:
    """bibtexparser's blocks with the line and exact span of each in TEXT."""
    from bibtexparser.entrypoint import parse_string

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL + 1)  # we report errors ourselves
    try:
        parsed = parse_string(text)
    except Exception as exc:  # bibtexparser raises assorted errors on pathological input
        raise LibraryError(path, None, f"cannot be parsed as BibTeX ({exc})") from None
    starts = _line_starts(text)
    blocks, cursor = [], 0
    for block in parsed.blocks:
        raw = block.raw or ""
        start = text.find(raw, starts[min(block.start_line or 0, len(starts) - 1)])
        if start < 0:
            start = text.find(raw, cursor)
        end = start + len(raw)
        cursor = max(cursor, end)
        blocks.append((block, bisect.bisect_right(starts, start), start, end))
    return blocks


def _entry_record(
    path: Path, block: Any, line: int, start: int, end: int
) -> tuple[str, str, dict[str, str], int, int, int] | None:
    """(key, type, fields, line, start, end) of an entry block; None for other blocks."""
    from bibtexparser import model

    raw_values = False
    if isinstance(block, model.DuplicateBlockKeyBlock):
        # A duplicate key is reported by `check`, not fatal. bibtexparser hands the
        # block back without running its middlewares, so values keep their delimiters.
        block, raw_values = block.ignore_error_block, True
    if isinstance(block, model.ParsingFailedBlock):
        raise LibraryError(path, line, f"malformed BibTeX block: {_reason(block.error)}")
    if not isinstance(block, model.Entry):
        return None
    fields = {f.key.lower(): _value(f.value, raw_values) for f in block.fields}
    return block.key, block.entry_type.lower(), fields, line, start, end


def _is_taxonomy(block: Any) -> bool:
    from bibtexparser import model

    return isinstance(block, model.ExplicitComment) and block.comment.lstrip().startswith(MARKER)


def _value(value: object, delimited: bool) -> str:
    text = value if isinstance(value, str) else str(value)
    if delimited and len(text) >= 2 and (text[0], text[-1]) in (("{", "}"), ('"', '"')):
        return text[1:-1]
    return text


def _reason(error: object) -> str:
    """bibtexparser's explanation, as one short line."""
    text = getattr(error, "abort_reason", "") or str(error or "") or "syntax error"
    return text.strip().splitlines()[0].rstrip(".").lower()
