"""The column form of a parsed library: entries read from it, and kept in step with a write.

`parser.parse` (a fresh parse) and `cache.read` (a stored one) give the sections
described in `parser`. `EntryList` reads them as `Entry`s made only when looked at, their
field values sliced from the text; some questions are answered without making entries
at all (`field_values`, `keys`, `position_of_work`): that keeps `soralit list --category`
on 50k entries fast and small. `edited` makes the sections of a library's new text from
the old ones and the cuts a write made (`splicing.Cut`), so that the write leaves a warm
cache instead of a parse to redo. Pure: no I/O.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from types import MappingProxyType
from typing import Any, overload

from soralit import bibtex
from soralit.model import Entries, Entry, WorkId
from soralit.splicing import Cut

ROW = 5  # ints per entry in `rows`: line, start, end, layout, first span
# How the sections are stored in the cache (`cache.write`): machine integers, lines of text.
ARRAYS = ("rows", "spans", "literal_entries")
LINES = ("keys", "types")


class Columns:
    """The decoded columns of one library, and the text their spans point into."""

    def __init__(self, text: str, sections: Mapping[str, Any]) -> None:
        self.text = text
        self.sections = sections
        self.keys: list[str] = sections["keys"]
        self.types: list[str] = sections["types"]
        self.rows: Sequence[int] = sections["rows"]
        self.layouts = [tuple(names) for names in sections["layouts"]]

    @cached_property
    def spans(self) -> Sequence[int]:
        spans: Sequence[int] = self.sections["spans"]
        return spans

    @cached_property
    def literals(self) -> list[str]:
        literals: list[str] = self.sections["literals"]
        return literals

    @cached_property
    def with_literals(self) -> frozenset[int]:
        """Positions of the entries with a value that is not a span of the text (rare)."""
        return frozenset(self.sections["literal_entries"])

    def entry(self, i: int) -> Entry:
        line, start, end, layout, first = self.rows[ROW * i : ROW * i + ROW]
        return Entry.view(
            self.keys[i], self.types[i], self.fields(i, layout, first), line, self.text[start:end]
        )

    def fields(self, i: int, layout: int, first: int) -> MappingProxyType[str, str]:
        """The field values of entry I, sliced from the text with builtins only."""
        names = self.layouts[layout]
        at, stop = 2 * first, 2 * (first + len(names))
        starts, ends = self.spans[at:stop:2], self.spans[at + 1 : stop : 2]
        if i in self.with_literals:
            values = [self._value(s, e) for s, e in zip(starts, ends, strict=True)]
            return MappingProxyType(dict(zip(names, values, strict=True)))
        return MappingProxyType(
            dict(zip(names, map(self.text.__getitem__, map(slice, starts, ends)), strict=True))
        )

    def _value(self, start: int, end: int) -> str:
        return self.literals[-1 - start] if start < 0 else self.text[start:end]

    def work(self, kind: str) -> tuple[str, Sequence[int]] | None:
        """The cached work ids of KIND: the values, each between newlines, and their
        entries; None when none (or the parse did not cache them)."""
        kinds = self.sections["work"]
        if not kinds or kind not in kinds:
            return None
        return self.sections[f"work/{kind}"], self.sections[f"work/{kind}/owners"]


class Spans(Sequence[tuple[int, int]]):
    """(start, end) of each entry in the text, read from the columns when asked."""

    def __init__(self, columns: Columns) -> None:
        self._rows = columns.rows

    def __len__(self) -> int:
        return len(self._rows) // ROW

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[int, int]]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, int] | Sequence[tuple[int, int]]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if not -len(self) <= index < len(self):
            raise IndexError("entry index out of range")
        at = ROW * (index % len(self))
        return self._rows[at + 1], self._rows[at + 2]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    def __hash__(self) -> int:
        return hash(tuple(self))


class EntryList(Entries):
    """The library's entries, in file order; each `Entry` is made when first reached."""

    def __init__(self, columns: Columns) -> None:
        super().__init__()
        self.columns = columns
        self._made: list[Entry | None] = [None] * len(columns.keys)

    def __len__(self) -> int:
        return len(self._made)

    def _entry(self, i: int) -> Entry:
        entry = self._made[i]
        if entry is None:
            entry = self._made[i] = self.columns.entry(i)
        return entry

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return tuple(map(self._entry, range(len(self))[index]))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("entry index out of range")
        return self._entry(index)

    def __iter__(self) -> Iterator[Entry]:
        return map(self._entry, range(len(self)))

    def citation_keys(self) -> list[str]:
        """The citation keys, in file order (no entry is made)."""
        return self.columns.keys

    def field_values(self, name: str) -> list[str]:
        """Every entry's raw value of field NAME ('' where absent), making no entry."""
        columns = self.columns
        spans, text, rows = columns.spans, columns.text, columns.rows
        where = [names.index(name) if name in names else -1 for names in columns.layouts]
        values = []
        for layout, first in zip(rows[3::ROW], rows[4::ROW], strict=True):
            position = where[layout]
            if position < 0:
                values.append("")
                continue
            at = 2 * (first + position)
            start = spans[at]
            values.append(
                text[start : spans[at + 1]] if start >= 0 else columns.literals[-1 - start]
            )
        return values

    def knows_work_ids(self) -> bool:
        return self.columns.sections["work"] is not None

    def work_ids_by_entry(self) -> list[list[WorkId]]:
        """Each entry's `duplicates.work_ids`, in their order, from the cached columns."""
        from soralit.duplicates import KINDS

        ids: list[list[WorkId]] = [[] for _ in range(len(self))]
        for kind in KINDS:  # kinds in order; within a kind, an entry's ids are in order
            column = self.columns.work(kind)
            if column is not None:
                values, owners = column
                for value, owner in zip(values[1:-1].split("\n"), owners, strict=True):
                    ids[owner].append((kind, value))
        return ids

    def position_of_work(self, work_id: WorkId) -> int | None:
        """Position of the first entry with this `duplicates.work_ids` identifier, or None."""
        kind, value = work_id
        column = self.columns.work(kind)
        if column is None or "\n" in value:
            return None
        values, owners = column
        # One string per kind, "\nvalue\nvalue\n": a C-speed search, no object per entry.
        found = values.find(f"\n{value}\n")
        return None if found < 0 else int(owners[values.count("\n", 0, found)])


def int_array(values: Sequence[int]) -> array[int]:
    """VALUES as a machine array ('i' when every value fits, else 'q'); a memoryview read
    from the cache is copied as it is, without a loop in Python."""
    if isinstance(values, array):
        return values
    if isinstance(values, memoryview):
        copy = array(values.format)
        copy.frombytes(values)
        return copy
    low, high = min(values, default=0), max(values, default=0)
    return array("i" if low >= -(2**31) and high < 2**31 else "q", values)


# --- keeping the columns in step with a write ----------------------------------------


def edited(old: Columns, cuts: Sequence[Cut], appended: Sequence[Entry]) -> dict[str, Any] | None:
    """The sections of the old library's text after CUTS (`splicing.splice`), made from
    OLD's: entries the cuts did not touch are moved, the others read from their new text
    (the new text as a whole is not needed).

    APPENDED are the entries whose text the "appended" cut holds (`bibtex.format_entry`).
    None when a touched entry is not one `record_of` reads exactly as the parser would
    (its values are macros, say): then the text must be parsed again.
    """
    try:
        return _Follower(old, cuts, appended).run(cuts)
    except _Unsure:
        return None


class _Unsure(Exception):
    """An entry whose record cannot be made here as the parser would make it."""


def record_of(raw: str, start: int) -> tuple[str, str, tuple[str, ...], list[int]]:
    """(key, type, field names, value spans) of entry text RAW found at START, as the
    parser reads it; _Unsure unless every value is a plain `{...}`, `"..."` or number."""
    try:
        entry_type, key = bibtex.entry_head(raw)
        fields, _close = bibtex.scan_fields(raw)
    except bibtex.EntryTextError:
        raise _Unsure from None
    names = tuple(f.name for f in fields)
    spans: list[int] = []
    for field in fields:
        span = bibtex.simple_value(raw, field)
        if span is None:
            raise _Unsure
        spans += (start + span[0], start + span[1])
    if len(set(names)) != len(names):
        raise _Unsure
    return key, entry_type, names, spans


class _Follower:
    """Builds the new sections in one walk over the old entries and the cuts."""

    def __init__(self, old: Columns, cuts: Sequence[Cut], appended: Sequence[Entry]) -> None:
        self.old, self.appended = old, appended
        self.keys: list[str] = []
        self.types: list[str] = []
        self.layouts = {names: i for i, names in enumerate(old.layouts)}
        length = len(old.text) + sum(len(c.new) - (c.end - c.start) for c in cuts)
        code = "i" if length < 2**31 else "q"
        self.rows: array[int] = array(code)
        self.spans: array[int] = array(code)
        self.moved: list[int] = [-1] * len(old.keys)  # old position -> new, -1: removed
        self.made: list[tuple[int, Entry]] = []  # (new position, entry) read from text
        self.taxonomy: list[Any] | None = old.sections["taxonomy"]
        self.old_taxonomy_end = self.taxonomy[3] if self.taxonomy else 0
        self.shift = self.lines = 0  # what the cuts so far added: characters, lines

    def run(self, cuts: Sequence[Cut]) -> dict[str, Any]:
        old_rows, count = self.old.rows, len(self.old.keys)
        starts = old_rows[1::ROW]
        done, taxonomy_pending = 0, self.taxonomy is not None
        for cut in sorted(cuts, key=lambda c: (c.start, c.end)):
            at = cut.what if isinstance(cut.what, int) else _bisect(starts, cut.start)
            self.keep(done, at)
            if taxonomy_pending and (cut.what == "taxonomy" or self.old_taxonomy_end <= cut.start):
                if cut.what != "taxonomy":
                    self.move_taxonomy()  # it lies before this cut
                taxonomy_pending = False
            if isinstance(cut.what, int):
                self.replace(cut)
                done = at + 1
            else:
                done = at
                self.insert(cut)
            self.shift += len(cut.new) - (cut.end - cut.start)
            self.lines += cut.new.count("\n") - self.old.text.count("\n", cut.start, cut.end)
        self.keep(done, count)
        if taxonomy_pending:
            self.move_taxonomy()
        return self.sections()

    def keep(self, first: int, stop: int) -> None:
        """Move the untouched entries FIRST..STOP-1 by the current shift."""
        if first >= stop:
            return
        old = self.old
        rows = old.rows[ROW * first : ROW * stop]
        span_from = rows[4] * 2
        span_to = old.rows[ROW * stop + 4] * 2 if stop < len(old.keys) else len(old.spans)
        spans = old.spans[span_from:span_to]
        new_first = len(self.spans) // 2 - rows[4]
        shift, lines = self.shift, self.lines
        if shift or lines or new_first:
            moved = list(rows)
            moved[0::ROW] = [v + lines for v in rows[0::ROW]]
            moved[1::ROW] = [v + shift for v in rows[1::ROW]]
            moved[2::ROW] = [v + shift for v in rows[2::ROW]]
            moved[4::ROW] = [v + new_first for v in rows[4::ROW]]
            _extend(self.rows, moved)
        else:
            _extend(self.rows, rows)
        # A value's span is moved; a literal's (start < 0, end 0) is not. No value starts
        # or ends at 0: the text there is an entry's `@`.
        _extend(self.spans, [v + shift if v > 0 else v for v in spans] if shift else spans)
        offset = len(self.keys) - first
        self.keys += old.keys[first:stop]
        self.types += old.types[first:stop]
        self.moved[first:stop] = range(first + offset, stop + offset)

    def replace(self, cut: Cut) -> None:
        """Entry `cut.what`: removed, or read from its new text (checked first: the old
        text must read the same way here as it did to the parser)."""
        assert isinstance(cut.what, int)
        if not cut.new:
            return
        old_entry = self.old.entry(cut.what)
        key, entry_type, names, spans = record_of(old_entry.raw, 0)
        values = [old_entry.raw[s:e] for s, e in zip(spans[::2], spans[1::2], strict=True)]
        if (key, entry_type, dict(zip(names, values, strict=True))) != (
            old_entry.key,
            old_entry.type,
            dict(old_entry.fields),
        ):
            raise _Unsure
        self.moved[cut.what] = len(self.keys)
        self.add(cut.new, cut.start + self.shift, old_entry.line + self.lines)

    def insert(self, cut: Cut) -> None:
        if cut.what == "taxonomy":
            start = cut.start + self.shift
            block = cut.new.removesuffix("\n\n") if cut.start == cut.end else cut.new
            line = self.old.text.count("\n", 0, cut.start) + self.lines + 1
            self.taxonomy = [_comment_of(block), line, start, start + len(block)]
            return
        tail, at = cut.new, 0
        line = self._old_line_at(cut.start) + self.lines
        for entry in self.appended:
            raw = bibtex.format_entry(entry).rstrip("\n")
            at = tail.find(raw, at)
            if at < 0:
                raise _Unsure
            made = self.add(raw, cut.start + self.shift + at, line + tail.count("\n", 0, at))
            expected = {k: v for k, v in entry.fields.items() if v != ""}
            if (made.key, made.type, dict(made.fields)) != (entry.key, entry.type, expected):
                raise _Unsure
            at += len(raw)

    def add(self, raw: str, start: int, line: int) -> Entry:
        """Append the record of entry text RAW, found at START of the new text."""
        key, entry_type, names, spans = record_of(raw, 0)
        values = [raw[s:e] for s, e in zip(spans[::2], spans[1::2], strict=True)]
        if any(bibtex.value_problem(v) for v in values):
            raise _Unsure  # a value the parser might end early or read on past
        layout = self.layouts.setdefault(names, len(self.layouts))
        self.rows.extend((line, start, start + len(raw), layout, len(self.spans) // 2))
        self.spans.extend(s + start for s in spans)
        entry = Entry(key, entry_type, dict(zip(names, values, strict=True)))
        self.made.append((len(self.keys), entry))
        self.keys.append(key)
        self.types.append(entry_type)
        return entry

    def move_taxonomy(self) -> None:
        assert self.taxonomy is not None
        comment, line, start, end = self.taxonomy
        self.taxonomy = [comment, line + self.lines, start + self.shift, end + self.shift]

    def _old_line_at(self, position: int) -> int:
        """The 1-based line of the old text at POSITION (counted from the nearest entry)."""
        rows, text = self.old.rows, self.old.text
        if not rows:
            return text.count("\n", 0, position) + 1
        line, start = rows[-ROW], rows[-ROW + 1]
        if start > position:
            return text.count("\n", 0, position) + 1
        return line + text.count("\n", start, position)

    def sections(self) -> dict[str, Any]:
        old = self.old.sections
        literal_entries = [self.moved[i] for i in old["literal_entries"] if self.moved[i] >= 0]
        titles = [entry.get("title") for _, entry in self.made]
        latex = _slow_titles(titles)
        return {
            "keys": self.keys,
            "types": self.types,
            "layouts": [list(names) for names in self.layouts],
            "rows": self.rows,
            "spans": self.spans,
            "literals": old["literals"],
            "literal_entries": array("i", literal_entries),
            "taxonomy": self.taxonomy,
            "latex": {**old["latex"], **latex} if latex else old["latex"],
            **_moved_work(self.old, self.moved, self.made),
        }


def _bisect(starts: Sequence[int], position: int) -> int:
    """How many entries start before POSITION."""
    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle] < position:
            low = middle + 1
        else:
            high = middle
    return low


def _comment_of(block: str) -> str:
    """What the parser keeps of a `@comment{...}` block: its inside, stripped."""
    return block[block.index("{") + 1 : block.rindex("}")].strip()


def _slow_titles(titles: Sequence[str]) -> dict[str, str]:
    from soralit.text import latex_to_text, needs_pylatexenc

    return {title: latex_to_text(title) for title in titles if title and needs_pylatexenc(title)}


def _moved_work(
    old: Columns, moved: Sequence[int], made: Sequence[tuple[int, Entry]]
) -> dict[str, Any]:
    """The work sections after the edit (see `parser.work_sections`): old ids under their
    entries' new positions (none for removed or rewritten entries), and the ids of the
    entries read from text."""
    from soralit.duplicates import work_ids

    if old.sections["work"] is None:
        return {"work": None}
    new_ids: list[tuple[str, int, str]] = []
    for position, entry in made:
        for kind, value in work_ids(entry):
            if "\n" in value:
                return {"work": None}  # as `parser.work_sections` does
            new_ids.append((kind, position, value))
    remade = {position for position, _ in made}
    rewritten = {old for old, new in enumerate(moved) if new < 0 or new in remade}
    sections: dict[str, Any] = {"work": []}
    for kind in dict.fromkeys([*old.sections["work"], *(k for k, _, _ in new_ids)]):
        column = old.work(kind)
        added = [(p, v) for k, p, v in new_ids if k == kind]
        if column is not None and not rewritten:  # old ids stay where they are
            values, owners = column
            positions: array[int] = array("i")
            _extend(positions, owners)
            positions.extend(p for p, _ in added)
            text = values + "".join(f"{v}\n" for _, v in added)
        else:
            pairs = []
            if column is not None:
                values, owners = column
                kept = zip(values[1:-1].split("\n"), owners, strict=True)
                pairs = [(moved[o], v) for v, o in kept if o not in rewritten]
            pairs = sorted(pairs + added, key=lambda pair: pair[0])  # stable: in id order
            positions = array("i", [p for p, _ in pairs])
            text = "\n" + "".join(f"{v}\n" for _, v in pairs)
        if positions:
            sections["work"].append(kind)
            sections[f"work/{kind}"], sections[f"work/{kind}/owners"] = text, positions
    return sections


def _extend(target: array[int], values: Sequence[int]) -> None:
    """TARGET.extend(VALUES), copying the memory of an array or memoryview of the same
    kind of integer instead of converting each (600k spans of a 10k library)."""
    if isinstance(values, array) and values.typecode == target.typecode:
        target.extend(values)
    elif isinstance(values, memoryview) and values.contiguous and _code(values) == target.typecode:
        target.frombytes(values.cast("B"))
    else:
        target.extend(values)


def _code(values: memoryview | array[int]) -> str:
    return values.format if isinstance(values, memoryview) else values.typecode
