"""The columns of a library's new text, made from the old ones and the cuts of a write.

A write (`storage.edit`) changes a few entries of a large library; parsing the new
text again would cost a second or more at 10k entries. `edited` walks the old columns
(`columns`, the layout is in `parser`) and the cuts (`splicing.Cut`) once: entries no
cut touched are moved by what the cuts before them added, the others are read from
their new text with `bibtex.scan_fields`, the same way the parser reads them. Each is
checked first: the old text of a rewritten entry must read the same here as it did to
the parser, an appended entry must read back as the entry that was formatted, and no
value may be one the parser could read differently. On any doubt there is no result,
and the next read parses. When only entries were appended to a library read from the
cache, the big sections are the stored ones with the new bytes after them
(`cache.Extended`): nothing old is decoded, encoded or checksummed again. Pure.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import Any

from soralit import bibtex, cache
from soralit.columns import ROW, Columns
from soralit.model import Entry
from soralit.splicing import Cut


def edited(
    old: Columns,
    cuts: Sequence[Cut],
    appended: Sequence[Entry],
    inserted: Sequence[Sequence[Entry]] = (),
) -> dict[str, Any] | None:
    """The sections of the old library's text after CUTS (the new text as a whole is not
    needed). APPENDED are the entries whose text the "appended" cut holds, INSERTED[N]
    those of cut "inserted:N"."""
    try:
        return _Follower(old, cuts, appended, inserted).run(cuts)
    except _Unsure:
        return None


class _Unsure(Exception):
    """An entry whose record cannot be made here as the parser would make it."""


def record_of(raw: str) -> tuple[str, str, tuple[str, ...], list[int]]:
    """(key, type, field names, value spans in RAW) of entry text RAW, as the parser
    reads it; _Unsure unless every value is a plain `{...}`, `"..."` or number."""
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
        spans += span
    if len(set(names)) != len(names):
        raise _Unsure
    return key, entry_type, names, spans


class _Follower:
    """Builds the new sections in one walk over the old entries and the cuts.

    The untouched entries before the first cut are not copied (`prefix`): they keep
    their place, and only what follows them is built here.
    """

    def __init__(
        self,
        old: Columns,
        cuts: Sequence[Cut],
        appended: Sequence[Entry],
        inserted: Sequence[Sequence[Entry]] = (),
    ) -> None:
        self.old, self.appended, self.inserted = old, appended, inserted
        self.count = len(old.rows) // ROW  # old entries
        self.prefix = 0  # old entries kept as they are, at the start
        self.keys: list[str] = []  # of the entries after the prefix
        self.types: list[str] = []
        self.layouts = {names: i for i, names in enumerate(old.layouts)}
        self.length = old.source.length + sum(len(c.new) - (c.end - c.start) for c in cuts)
        code = "i" if self.length < 2**31 else "q"
        self.rows: array[int] = array(code)
        self.spans: array[int] = array(code)
        self.moved: list[int] = [-1] * self.count  # old position -> new; -1: removed
        self.rewritten: set[int] = set()  # old positions of the entries removed or read anew
        self.made: list[tuple[int, Entry]] = []  # (new position, entry) read from text
        self.taxonomy: list[Any] | None = old.sections["taxonomy"]
        self.taxonomy_end = self.taxonomy[3] if self.taxonomy else 0
        self.taxonomy_changed = False
        self.shift = self.lines = 0  # what the cuts so far added: characters, lines

    @property
    def position(self) -> int:
        """The new position of the next entry."""
        return self.prefix + len(self.keys)

    def _pairs_before(self, i: int) -> int:
        """Old span pairs before old entry I."""
        rows = self.old.rows
        return rows[ROW * i + 4] if i < self.count else len(self.old.spans) // 2

    def run(self, cuts: Sequence[Cut]) -> dict[str, Any]:
        starts = self.old.rows[1::ROW]
        done, taxonomy_pending = 0, self.taxonomy is not None
        for cut in sorted(cuts, key=lambda c: (c.start, c.end)):
            at = cut.what if isinstance(cut.what, int) else _bisect(starts, cut.start)
            self.keep(done, at)
            if taxonomy_pending and (cut.what == "taxonomy" or self.taxonomy_end <= cut.start):
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
            self.lines += cut.new.count("\n") - self.old.source.count_newlines(cut.start, cut.end)
        self.keep(done, self.count)
        if taxonomy_pending:
            self.move_taxonomy()
        return self.sections()

    def keep(self, first: int, stop: int) -> None:
        """Move the untouched entries FIRST..STOP-1 by the current shift."""
        if first >= stop:
            return
        self.moved[first:stop] = range(self.position, self.position + stop - first)
        if first == 0 and not self.shift and not self.lines:
            self.prefix = stop  # they stay where they are: nothing to copy
            return
        old = self.old
        rows = old.rows[ROW * first : ROW * stop]
        spans = old.spans[2 * self._pairs_before(first) : 2 * self._pairs_before(stop)]
        new_first = self.prefix_pairs + len(self.spans) // 2 - rows[4]
        moved = list(rows)
        moved[0::ROW] = [v + self.lines for v in rows[0::ROW]]
        moved[1::ROW] = [v + self.shift for v in rows[1::ROW]]
        moved[2::ROW] = [v + self.shift for v in rows[2::ROW]]
        moved[4::ROW] = [v + new_first for v in rows[4::ROW]]
        self.rows.extend(moved)
        # A value's span is moved; a literal's (start < 0, end 0) is not. No value starts
        # or ends at 0: the text there is an entry's `@`.
        shift = self.shift
        _extend(self.spans, [v + shift if v > 0 else v for v in spans] if shift else spans)
        self.keys += old.keys[first:stop]
        self.types += old.types[first:stop]

    @property
    def prefix_pairs(self) -> int:
        return self._pairs_before(self.prefix)

    def replace(self, cut: Cut) -> None:
        """Entry `cut.what`: removed, or read from its new text (checked first: the old
        text must read the same way here as it did to the parser)."""
        assert isinstance(cut.what, int)
        self.rewritten.add(cut.what)
        if not cut.new:
            return
        old_entry = self.old.entry(cut.what)
        key, entry_type, names, spans = record_of(old_entry.raw)
        values = [old_entry.raw[s:e] for s, e in zip(spans[::2], spans[1::2], strict=True)]
        if (key, entry_type, dict(zip(names, values, strict=True))) != (
            old_entry.key,
            old_entry.type,
            dict(old_entry.fields),
        ):
            raise _Unsure
        self.moved[cut.what] = self.position
        self.add(cut.new, cut.start + self.shift, old_entry.line + self.lines)

    def insert(self, cut: Cut) -> None:
        """The taxonomy block (replaced or put at the top), or appended or inserted entries."""
        if cut.what == "taxonomy":
            start = cut.start + self.shift
            block = cut.new.rstrip("\r\n") if cut.start == cut.end else cut.new
            line = self.old.source.line_at(cut.start) + self.lines
            self.taxonomy = [_comment_of(block), line, start, start + len(block)]
            self.taxonomy_changed = True
            return
        tail, at, nl = cut.new, 0, self.old.source.newline
        line = self.old.source.line_at(cut.start) + self.lines
        entries = self.appended
        if isinstance(cut.what, str) and cut.what.startswith("inserted:"):
            entries = self.inserted[int(cut.what.partition(":")[2])]
        for entry in entries:
            raw = bibtex.with_newline(bibtex.format_entry(entry).rstrip("\n"), nl)
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
        key, entry_type, names, spans = record_of(raw)
        values = [raw[s:e] for s, e in zip(spans[::2], spans[1::2], strict=True)]
        if any(bibtex.value_problem(v) for v in values):
            raise _Unsure  # a value the parser might end early or read on past
        layout = self.layouts.setdefault(names, len(self.layouts))
        first = self.prefix_pairs + len(self.spans) // 2
        self.rows.extend((line, start, start + len(raw), layout, first))
        self.spans.extend(s + start for s in spans)
        entry = Entry(key, entry_type, dict(zip(names, values, strict=True)))
        self.made.append((self.position, entry))
        self.keys.append(key)
        self.types.append(entry_type)
        return entry

    def move_taxonomy(self) -> None:
        assert self.taxonomy is not None
        comment, line, start, end = self.taxonomy
        self.taxonomy = [comment, line + self.lines, start + self.shift, end + self.shift]
        self.taxonomy_changed = bool(self.lines or self.shift)

    def sections(self) -> dict[str, Any]:
        old = self.old.sections
        literal_entries = [self.moved[i] for i in old["literal_entries"] if self.moved[i] >= 0]
        sections = {
            "keys": self.keys,
            "types": self.types,
            "layouts": [list(names) for names in self.layouts],
            "rows": self.rows,
            "spans": self.spans,
            "literals": old["literals"],
            "literal_entries": array("i", literal_entries),
            "taxonomy": self.taxonomy,
            "length": self.length,
            "newlines": self.old.source.newlines + self.lines,
        }
        latex: dict[str, str] = {}
        if self.old.knows_derived:  # else they stay to be derived when first needed
            latex = _slow_titles([entry.get(n) for _, entry in self.made for n in SHOWN])
            old_latex = self.old.derived("latex")
            sections["latex"] = {**old_latex, **latex} if latex else old_latex
            sections |= _moved_work(
                self.old, self.moved, self.rewritten, self.made, self.prefix == self.count
            )
        return self.with_prefix(sections, unchanged=not latex and not self.taxonomy_changed)

    def with_prefix(self, sections: dict[str, Any], *, unchanged: bool) -> dict[str, Any]:
        """SECTIONS with the prefix's keys, types, rows and spans put before the new ones:
        as the stored bytes and the new ones after them when every old entry is in the
        prefix of a cached library, else copied."""
        old = self.old.sections
        if self.prefix == self.count and isinstance(old, cache.Sections):
            stored = {name: old.stored(name) for name in ("keys", "types", "rows", "spans")}
            if _can_extend(stored, sections):
                extended = {name: _extended(stored[name], sections[name]) for name in stored}
                same = ["literals", "literal_entries"] + (["taxonomy"] * unchanged)
                same += ["latex"] if unchanged and "latex" in old else []
                return (
                    sections | extended | {name: cache.Extended(old.stored(name)) for name in same}
                )
        count, pairs = self.prefix, self.prefix_pairs
        columns = self.old
        rows: array[int] = array(self.rows.typecode)
        _extend(rows, columns.rows[: ROW * count])
        rows.extend(self.rows)
        spans: array[int] = array(self.spans.typecode)
        _extend(spans, columns.spans[: 2 * pairs])
        spans.extend(self.spans)
        keys = columns.keys[:count] + self.keys
        types = columns.types[:count] + self.types
        return sections | {"keys": keys, "types": types, "rows": rows, "spans": spans}


def _can_extend(stored: Mapping[str, cache.Stored], sections: Mapping[str, Any]) -> bool:
    """Whether the new keys, types, rows and spans can follow the stored ones as they are."""
    lines_ok = all(
        stored[name].kind == "lines" and all("\n" not in v and v for v in sections[name])
        for name in ("keys", "types")
    )
    arrays_ok = all(stored[name].kind == sections[name].typecode for name in ("rows", "spans"))
    return lines_ok and arrays_ok


def _extended(stored: cache.Stored, more: Any) -> cache.Extended:
    if stored.kind == "lines":
        joined = "\n".join(more)
        glue = "\n" if stored.chunk and more else ""
        return cache.Extended(stored, (glue + joined).encode("utf-8"))
    return cache.Extended(stored, more.tobytes())


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


# The fields whose display text the `latex` section keeps (`parser.derive`).
SHOWN = ("title", "journaltitle", "journal", "booktitle", "eventtitle")


def _slow_titles(titles: Sequence[str]) -> dict[str, str]:
    from soralit.text import latex_to_text, needs_pylatexenc

    return {title: latex_to_text(title) for title in titles if title and needs_pylatexenc(title)}


def _moved_work(
    old: Columns,
    moved: Sequence[int],
    rewritten: set[int],
    made: Sequence[tuple[int, Entry]],
    appended_only: bool,
) -> dict[str, Any]:
    """The work sections after the edit (see `parser.work_sections`): old ids under their
    entries' new positions (none for removed or rewritten entries), and the ids of the
    entries read from text."""
    from soralit.duplicates import work_ids

    if old.derived("work") is None:
        return {"work": None}
    new_ids: list[tuple[str, int, str]] = []
    for position, entry in made:
        for kind, value in work_ids(entry):
            if "\n" in value:
                return {"work": None}  # as `parser.work_sections` does
            new_ids.append((kind, position, value))
    sections: dict[str, Any] = {"work": []}
    stored = old.sections if appended_only else None
    if not isinstance(stored, cache.Sections) or "work" not in stored:
        stored = None  # the old ids are not in the cache file as they are (or not at all)
    for kind in dict.fromkeys([*old.derived("work"), *(k for k, _, _ in new_ids)]):
        column = old.work(kind)
        added = [(p, v) for k, p, v in new_ids if k == kind]
        if column is not None and stored is not None:  # old ids stay: new bytes follow
            more = "".join(f"{v}\n" for _, v in added).encode("utf-8")
            owners = stored.stored(f"work/{kind}/owners")
            positions = array(owners.kind, [p for p, _ in added])
            sections["work"].append(kind)
            sections[f"work/{kind}"] = cache.Extended(stored.stored(f"work/{kind}"), more)
            sections[f"work/{kind}/owners"] = cache.Extended(owners, positions.tobytes())
            continue
        pairs = []
        if column is not None:
            values, owners_ = column
            kept = zip(values[1:-1].split("\n"), owners_, strict=True)
            pairs = [(moved[o], v) for v, o in kept if o not in rewritten]
        pairs = sorted(pairs + added, key=lambda pair: pair[0])  # stable: in id order
        if pairs:
            sections["work"].append(kind)
            sections[f"work/{kind}"] = "\n" + "".join(f"{v}\n" for _, v in pairs)
            sections[f"work/{kind}/owners"] = array("i", [p for p, _ in pairs])
    return sections


def _extend(target: array[int], values: Sequence[int]) -> None:
    """TARGET.extend(VALUES), copying the memory of an array or memoryview of the same
    kind of integer instead of converting each (600k spans of a 10k library)."""
    if isinstance(values, array) and values.typecode == target.typecode:
        target.extend(values)
    elif isinstance(values, memoryview) and values.contiguous and values.format == target.typecode:
        target.frombytes(values.cast("B"))
    else:
        target.extend(values)
