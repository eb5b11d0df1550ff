"""Entries read from columns: cheap, read-only `Entry` views over the library's text.

`bibparse` (a fresh parse) and `cache` (a stored one) both give the columns described in
`bibparse`; this module turns them into a sequence of `Entry`s that are made only when
looked at, their field values sliced from the text. Some questions are answered from
the columns without making entries at all (`field_values`, `keys`, `work_ids`): that is
what keeps `soralit list --category` on 50k entries fast and small. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from types import MappingProxyType
from typing import Any

from soralit.model import Entry

ROW = 5  # ints per entry in `rows`: line, start, end, layout, first span


class Columns:
    """The decoded columns of one library, and the text their spans point into.

    DERIVE gives the sections computed from the entries (`bibparse.DERIVED`) when the
    columns lack them: they are worked out the first time one is asked for.
    """

    def __init__(
        self,
        text: str,
        sections: Mapping[str, Any],
        derive: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self.text = text
        self.sections = sections
        self._derive = derive
        self._derived: Mapping[str, Any] | None = None
        self.keys: list[str] = sections["keys"]
        self.types: list[str] = sections["types"]
        self.rows: Sequence[int] = sections["rows"]
        self.layouts = [tuple(names) for names in sections["layouts"]]

    @cached_property
    def spans(self) -> Sequence[int]:
        return self.sections["spans"]  # type: ignore[no-any-return]

    @cached_property
    def literals(self) -> list[str]:
        return self.sections["literals"]  # type: ignore[no-any-return]

    @cached_property
    def with_literals(self) -> frozenset[int]:
        """Positions of the entries with a value that is not a span of the text (rare)."""
        return frozenset(self.sections["literal_entries"])

    def derived(self, name: str) -> Any:
        """Section NAME, computed now (with the others derived) if the columns lack it."""
        if name in self.sections or self._derive is None:
            return self.sections[name]
        if self._derived is None:
            self._derived = self._derive()
        return self._derived[name]

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


class Spans(Sequence[tuple[int, int]]):
    """(start, end) of each entry in the text, read from the columns when asked."""

    def __init__(self, columns: Columns) -> None:
        self._rows = columns.rows

    def __len__(self) -> int:
        return len(self._rows) // ROW

    def __getitem__(self, index: int) -> tuple[int, int]:  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]  # type: ignore[return-value]
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


class EntryList(Sequence[Entry]):
    """The library's entries, in file order; each `Entry` is made when first reached."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._made: list[Entry | None] = [None] * len(columns.keys)

    def __len__(self) -> int:
        return len(self._made)

    def _entry(self, i: int) -> Entry:
        entry = self._made[i]
        if entry is None:
            entry = self._made[i] = self._columns.entry(i)
        return entry

    def __getitem__(self, index: int | slice) -> Entry | tuple[Entry, ...]:  # type: ignore[override]
        if isinstance(index, slice):
            return tuple(map(self._entry, range(len(self))[index]))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("entry index out of range")
        return self._entry(index)

    def __iter__(self) -> Iterator[Entry]:
        return map(self._entry, range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"EntryList({len(self)} entries)"

    def field_values(self, name: str) -> list[str]:
        """Every entry's raw value of field NAME ('' where absent), making no entry."""
        columns = self._columns
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

    def keys(self) -> list[str]:
        """The citation keys, in file order (no entry is made)."""
        return self._columns.keys

    def knows_work_ids(self) -> bool:
        """Whether `position_of_work` can answer (the parse cached every entry's ids)."""
        return self._columns.derived("work") is not None

    def work_ids_by_entry(self) -> list[list[tuple[str, str]]]:
        """Each entry's `duplicates.work_ids`, in their order, from the cached columns."""
        from soralit.duplicates import KINDS

        ids: list[list[tuple[str, str]]] = [[] for _ in range(len(self))]
        work = self._columns.derived("work")
        for kind in KINDS:  # kinds in order; within a kind, an entry's ids are in order
            if kind in work:
                values, owners = work[kind]
                for value, owner in zip(values[1:-1].split("\n"), owners, strict=True):
                    ids[owner].append((kind, value))
        return ids

    def position_of_work(self, work_id: tuple[str, str]) -> int | None:
        """Position of the first entry with this `duplicates.work_ids` identifier, or None."""
        kind, value = work_id
        column = self._columns.derived("work").get(kind)
        if column is None or "\n" in value:
            return None
        values, owners = column
        # One string per kind, "\nvalue\nvalue\n": a C-speed search, no object per entry.
        found = values.find(f"\n{value}\n")
        return None if found < 0 else owners[values.count("\n", 0, found)]
