"""BibTeX text -> the columns that `columns` reads entries from.

What a library means is what bibtexparser 2 reads in it. `bibreader` reads the same in
an eighth of the time, without an object per field, and declines what it cannot be sure
of; bibtexparser then reads the file (this is the only place that imports it). Either
way this module packs the result the same, so a cached library equals a fresh parse.
Field values are spans of the entry's text wherever the value occurs there verbatim
(always, from `bibreader`, but for values resolved from an `@string`), else literals.
Columns (one item or stride per entry; see `columns.py` for reading them):

- `keys`, `types` (lower-case), `layouts` (distinct tuples of lower-case field names)
- `rows`: stride `columns.ROW`: line (1-based), start, end (the entry's exact text),
  layout index, index of its first value in `spans`
- `spans`: start, end per field value (start < 0: `literals[-1 - start]`); the
  entries with such a value are listed in `literal_entries`
- `taxonomy`: `[comment, line, start, end]` of the taxonomy block, or None

and, computed from the entries by `derive` only when a command first needs them (a
cold `list --format keys` does not, and they cost as much as reading the file):

- `work`: the kinds of `duplicates.work_ids` found, and per kind `work/KIND` (the values,
  each between newlines) and `work/KIND/owners` (their entries' positions), so that
  `duplicates.WorkIndex` need not compute them
- `latex`: {value: display text} for the titles and journal, book and event names
  (`catalog.CONTAINER_FIELDS`) that need pylatexenc (`text.learn`)
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from soralit import bibreader
from soralit.errors import LibraryError
from soralit.taxonomy import MARKER

Record = tuple[str, str, dict[str, str], int, int, int]  # key, type, fields, line, start, end


def is_derived(name: str) -> bool:
    """Whether section NAME is one `derive` computes."""
    return name in ("work", "latex") or name.startswith("work/")


def _line_starts(text: str) -> list[int]:
    starts, pos = [0], text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


class _Columns:
    """Accumulates the columns of one parse."""

    def __init__(self, text: str) -> None:
        self.keys: list[str] = []
        self.types: list[str] = []
        # Machine integers, not lists of int objects: a 50k-entry library has 800k spans.
        code = "i" if len(text) < 2**31 else "q"
        self.rows: array[int] = array(code)
        self.spans: array[int] = array(code)
        self.literals: list[str] = []
        self.literal_entries: list[int] = []
        self.layouts: dict[tuple[str, ...], int] = {}

    def add_spans(self, text: str, entry: bibreader.Spans) -> None:
        """Add an entry as `bibreader.scan` gives it: its values are spans already.

        A value resolved from an `@string` lies in that block, not in the entry: it is
        kept as a literal, for the spans of an entry move with it (`incremental`).
        """
        key, kind, names, spans, line, start, end = entry
        if spans and (min(spans) < start or max(spans) > end):  # each span's start < end
            spans = self._outside_as_literals(text, spans, start, end)
        layout = self.layouts.setdefault(names, len(self.layouts))
        self.keys.append(key)
        self.types.append(kind)
        self.rows.extend((line, start, end, layout, len(self.spans) // 2))
        self.spans.extend(spans)

    def _outside_as_literals(self, text: str, spans: list[int], start: int, end: int) -> list[int]:
        kept: list[int] = []
        for at, stop in zip(spans[::2], spans[1::2], strict=True):
            if start <= at and stop <= end:
                kept += (at, stop)
                continue
            kept += (-1 - len(self.literals), 0)
            self.literals.append(text[at:stop])
            if self.literal_entries[-1:] != [len(self.keys)]:
                self.literal_entries.append(len(self.keys))
        return kept

    def add(self, text: str, entry: Record) -> None:
        """Add an entry whose values are text: each is found in the entry's text, or
        kept as a literal when it is not there verbatim."""
        key, kind, fields, line, start, end = entry
        layout = self.layouts.setdefault(tuple(fields), len(self.layouts))
        self.keys.append(key)
        self.types.append(kind)
        self.rows.extend((line, start, end, layout, len(self.spans) // 2))
        cursor = start
        for value in fields.values():
            found = text.find(value, cursor, end) if value else cursor
            if found < 0:
                found = text.find(value, start, end)
            if found < 0:
                self.spans.extend((-1 - len(self.literals), 0))
                self.literals.append(value)
                if self.literal_entries[-1:] != [len(self.keys) - 1]:
                    self.literal_entries.append(len(self.keys) - 1)
                continue
            self.spans.extend((found, found + len(value)))
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
            "taxonomy": taxonomy,
        }


def parse(path: Path, text: str) -> dict[str, Any]:
    """Parse TEXT into columns; the first malformed block raises LibraryError (file, line)."""
    try:
        return read(text)
    except bibreader.Declined:
        return parse_with_bibtexparser(path, text)


def read(text: str) -> dict[str, Any]:
    """The columns, read by `bibreader` (twice when an `@string` is defined after its
    use); raises bibreader.Declined for a file it cannot be sure of."""
    try:
        return _columns(text, bibreader.scan(text))
    except bibreader.LateStrings as late:
        return _columns(text, bibreader.scan(text, late.strings))


def _columns(text: str, blocks: Iterable[bibreader.Spans | bibreader.Comment]) -> dict[str, Any]:
    columns, taxonomy = _Columns(text), None
    for block in blocks:
        if isinstance(block, bibreader.Comment):
            if block.comment.startswith(MARKER):
                taxonomy = [block.comment, block.line, block.start, block.end]
        else:
            columns.add_spans(text, block)
    return columns.sections(taxonomy)


def parse_with_bibtexparser(path: Path, text: str) -> dict[str, Any]:
    """The columns, as bibtexparser reads TEXT: slow, and right by definition."""
    columns, taxonomy = _Columns(text), None
    for block, line, start, end in _blocks(path, text):
        entry = _entry_record(path, block, line, start, end)
        if entry is not None:
            columns.add(text, entry)
        elif _is_taxonomy(block):
            taxonomy = [block.comment.strip(), line, start, end]
    return columns.sections(taxonomy)


def derive(text: str, sections: Mapping[str, Any]) -> dict[str, Any]:
    """The sections computed from the entries (see the module) of the columns SECTIONS."""
    from soralit.catalog import CONTAINER_FIELDS
    from soralit.columns import Columns, EntryList
    from soralit.duplicates import work_ids
    from soralit.text import latex_to_text, needs_pylatexenc

    entries = EntryList(Columns(text, sections))
    work: dict[str, list[Any]] = {}
    for i, entry in enumerate(entries):
        for kind, value in work_ids(entry):
            values, owners = work.setdefault(kind, [[], []])
            values.append(value)
            owners.append(i)
    shown = ("title", *CONTAINER_FIELDS)  # what the list shows of each entry: title, venue
    values = dict.fromkeys(v for name in shown for v in entries.field_values(name))
    latex = {value: latex_to_text(value) for value in values if needs_pylatexenc(value)}
    return {"latex": latex, **work_sections(work)}


def work_sections(work: dict[str, list[Any]]) -> dict[str, Any]:
    """Every entry's work ids as `work` (the kinds) and, per kind, `work/KIND`: the values
    in entry order, each between newlines, and `work/KIND/owners`: their entries. `work`
    is None if an id spans lines (never seen: `duplicates` then computes them)."""
    if any("\n" in v for values, _ in work.values() for v in values):
        return {"work": None}
    sections: dict[str, Any] = {"work": list(work)}
    for kind, (values, owners) in work.items():
        sections[f"work/{kind}"] = "\n" + "".join(f"{v}\n" for v in values)
        sections[f"work/{kind}/owners"] = array("i", owners)
    return sections


def _blocks(path: Path, text: str) -> list[tuple[Any, int, int, int]]:
    """bibtexparser's blocks with the line and exact span of each in TEXT."""
    import logging  # here: a file bibreader reads (nearly all) never needs it

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
        # The splitter counts lines by unescaped newlines only: its line may be early.
        line_start = starts[min(block.start_line or 0, len(starts) - 1)]
        start = text.find(raw, max(cursor, line_start))  # blocks come in order
        if start < 0:
            start = text.find(raw, line_start)
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
    # "... 'year'. note: the entry (containing duplicates) is available as
    # `failed_block.ignore_error_block`": the note is for bibtexparser's callers, not ours.
    text = re.split(r"\.\s+note:", text.strip(), maxsplit=1, flags=re.IGNORECASE)[0]
    return text.strip().splitlines()[0].rstrip(".").lower()
