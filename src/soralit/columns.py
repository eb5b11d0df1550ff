"""The column form of a parsed library: entries read from it, and kept in step with a write.

`parser.parse` (a fresh parse) and `cache.read` (a stored one) give the sections
described in `parser`. `EntryList` reads them as `Entry`s made only when looked at, their
field values sliced from the text; some questions are answered without making entries
at all (`field_values`, `citation_keys`, `position_of_work`): that keeps `soralit list
--category` on 50k entries fast and small. `Text` decodes the library's text only when
an entry is made. How a write keeps the columns current is `incremental`. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from types import MappingProxyType
from typing import Any, overload

from soralit.bibtex import newline
from soralit.cache import Sections
from soralit.model import Entries, Entry, WorkId
from soralit.splicing import blank_suffix

ROW = 5  # ints per entry in `rows`: line, start, end, layout, first span
# How the sections are stored in the cache (`cache.write`): machine integers, lines of text.
ARRAYS = ("rows", "spans", "literal_entries")
LINES = ("keys", "types")


_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")


class Text:
    """A library file's text, decoded from its bytes when first asked for.

    What an append needs to know of the text (its length, its lines, the newlines that
    end it) comes from the bytes and the parse cache: `soralit add` into a 10k library
    never decodes its 3 MB.
    """

    def __init__(
        self,
        data: bytes,
        decode: Callable[[bytes], str],
        *,
        length: int | None = None,
        newlines: int | None = None,
    ) -> None:
        self._data, self._decode, self._length = data, decode, length
        if newlines is not None:
            self.__dict__["newlines"] = newlines

    @classmethod
    def of(cls, text: str) -> Text:
        """The text already decoded."""
        known = cls(b"", str, length=len(text))
        known.__dict__["text"] = text
        return known

    @cached_property
    def text(self) -> str:
        text = self._decode(self._data)
        self._data = b""  # the text now says all
        return text

    @property
    def decoded(self) -> bool:
        return "text" in self.__dict__

    @cached_property
    def length(self) -> int:
        """How many characters the text has."""
        return self._length if self._length is not None else len(self.text)

    @cached_property
    def newlines(self) -> int:
        """How many newlines the text has."""
        return self.text.count("\n") if self.decoded else self._data.count(b"\n")

    @cached_property
    def suffix(self) -> str:
        """The spaces and line breaks that end the text."""
        if self.decoded:
            return blank_suffix(self.text)
        data, at = self._data, len(self._data)
        while at and data[at - 1] in b" \t\r\n":
            at -= 1
        return data[at:].decode("ascii")

    @cached_property
    def newline(self) -> str:
        """The text's line ending: CRLF when its first line ends with one, else LF."""
        if self.decoded:
            return newline(self.text)
        first = self._data.find(b"\n")
        return "\r\n" if first > 0 and self._data[first - 1] == 13 else "\n"

    @cached_property
    def blank(self) -> bool:
        """Whether the text is empty or all white space."""
        if self.decoded:
            return not self.text or self.text.isspace()
        first = _SPACE.search(self._data, 3 if self._data.startswith(b"\xef\xbb\xbf") else 0)
        return first is None or (self._data[first.start()] >= 0x80 and self.text.isspace())

    def count_newlines(self, start: int, end: int) -> int:
        """Newlines in text[start:end] (in the blank space ending the text: none decoded)."""
        base = self.length - len(self.suffix)
        if not self.decoded and start >= base:
            return self.suffix[start - base : end - base].count("\n")
        return self.text.count("\n", start, end)

    def line_at(self, position: int) -> int:
        """The 1-based line of the text at POSITION."""
        return self.newlines - self.count_newlines(position, self.length) + 1


class Columns:
    """The decoded columns of one library, and the text their spans point into.

    DERIVE gives the sections computed from the entries (`parser.derive`) when SECTIONS
    lack them: they are worked out the first time one is asked for (`derived`).
    """

    def __init__(
        self,
        text: str | Text,
        sections: Mapping[str, Any],
        derive: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self.source = text if isinstance(text, Text) else Text.of(text)
        self.sections = sections
        self.rows: Sequence[int] = sections["rows"]
        self.layouts = [tuple(names) for names in sections["layouts"]]
        self._derive = derive
        self._derived: Mapping[str, Any] | None = None

    def derived(self, name: str) -> Any:
        """Derived section NAME (`work`, `work/...`, `latex`): cached, or computed now."""
        if name in self.sections or self._derive is None:
            return self.sections[name]
        if self._derived is None:
            self._derived = self._derive()
        return self._derived[name]

    @property
    def knows_derived(self) -> bool:
        """Whether the derived sections are at hand without computing them."""
        return "work" in self.sections or self._derived is not None

    @property
    def text(self) -> str:
        return self.source.text

    @cached_property
    def keys(self) -> list[str]:
        keys: list[str] = self.sections["keys"]
        return keys

    def has_key(self, key: str) -> bool:
        """Whether KEY is a citation key; read from the cache file's bytes when the keys
        are not decoded yet (one search, no list or set of 10k keys)."""
        stored = self.sections.stored("keys") if isinstance(self.sections, Sections) else None
        if "keys" in self.__dict__ or stored is None or stored.kind != "lines" or "\n" in key:
            return key in self.keys
        lines, wanted = stored.chunk.tobytes(), key.encode("utf-8")
        at = lines.find(wanted)
        while at >= 0:
            end = at + len(wanted)
            if (at == 0 or lines[at - 1] == 10) and (end == len(lines) or lines[end] == 10):
                return True
            at = lines.find(wanted, at + 1)
        return False

    @cached_property
    def types(self) -> list[str]:
        types: list[str] = self.sections["types"]
        return types

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
        kinds = self.derived("work")
        if not kinds or kind not in kinds:
            return None
        return self.derived(f"work/{kind}"), self.derived(f"work/{kind}/owners")


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
        self._made: list[Entry | None] = [None] * (len(columns.rows) // ROW)

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

    def has_key(self, key: str) -> bool:
        return self.columns.has_key(key)

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
        return self.columns.derived("work") is not None

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
