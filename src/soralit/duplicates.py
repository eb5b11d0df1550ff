"""Which entry already holds a work: same arXiv ID (any version), same DOI, or same title.

Pure. One notion of "the same work" for `add` and `import` (add nothing twice) and for
`check` (the same work entered twice).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from soralit import ids, text
from soralit.errors import UsageProblem
from soralit.model import Entries, Entry, WorkId

KINDS = ("arXiv ID", "DOI", "title")  # in the order `work_ids` gives them


def work_ids(entry: Entry) -> list[WorkId]:
    """What identifies the work: its arXiv ID, DOI and normalised title, when present.

    arXiv's own DOIs (10.48550/arXiv.X) count as the arXiv ID X.
    """
    found: list[WorkId] = []
    if entry.arxiv_id:
        found.append(("arXiv ID", entry.arxiv_id.casefold()))
    if entry.doi:
        try:
            ident = ids.parse_identifier(entry.doi)
        except UsageProblem:
            ident = ids.Identifier("doi", entry.doi)
        found.append(("arXiv ID" if ident.kind == "arxiv" else "DOI", ident.value.casefold()))
    title = text.normalize_title(entry.get("title"))
    if title:
        found.append(("title", title))
    return found


def repeated_works(entries: Sequence[Entry]) -> Iterator[tuple[Entry, WorkId, Entry]]:
    """(entry, identifier, earlier entry) for every entry that shares a work identifier
    with an earlier one: its first identifier, in `work_ids` order, that does."""
    known = isinstance(entries, Entries) and entries.knows_work_ids()
    cached = entries.work_ids_by_entry() if isinstance(entries, Entries) and known else None
    first: dict[WorkId, int] = {}
    for i in range(len(entries)):
        ids = cached[i] if cached is not None else work_ids(entries[i])
        match = next((w for w in ids if w in first), None)
        for work_id in ids:
            first.setdefault(work_id, i)
        if match is not None:
            yield entries[i], match, entries[first[match]]


class WorkIndex:
    """The first entry seen for each work identifier, and every key seen."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.first: dict[WorkId, Entry] = {}
        self._keys: set[str] | None = set()
        self._added: set[str] = set()  # keys added to an index over cached entries
        # A library read by storage (a columns.EntryList) knows its entries' work ids
        # from the parse cache: they are looked up there instead of computed for each.
        known = isinstance(entries, Entries) and entries.knows_work_ids()
        self._cached = entries if known else None
        if self._cached is not None:
            self._keys = None  # every key, gathered when first asked for
            return
        for entry in entries:
            self.add(entry)

    @property
    def keys(self) -> set[str]:
        """Every key seen."""
        if self._keys is None:
            assert isinstance(self._cached, Entries)
            self._keys = set(self._cached.citation_keys()) | self._added
        return self._keys

    def __contains__(self, key: object) -> bool:
        """Whether KEY was seen (`key in index`), without gathering every key."""
        if self._keys is not None:
            return key in self._keys
        assert isinstance(self._cached, Entries)
        return key in self._added or (isinstance(key, str) and self._cached.has_key(key))

    def held(self, work_id: WorkId) -> Entry | None:
        """The first entry with WORK_ID, or None."""
        if isinstance(self._cached, Entries):
            position = self._cached.position_of_work(work_id)
            if position is not None:
                return self._cached[position]
        return self.first.get(work_id)

    def add(self, entry: Entry) -> None:
        if self._keys is None:
            self._added.add(entry.key)
        else:
            self._keys.add(entry.key)
        for work_id in work_ids(entry):
            if self._cached is None or self.held(work_id) is None:
                self.first.setdefault(work_id, entry)

    def match(self, entry: Entry) -> tuple[WorkId, Entry] | None:
        """The identifier ENTRY shares with an earlier entry, and that entry."""
        found = ((w, self.held(w)) for w in work_ids(entry))
        return next(((w, held) for w, held in found if held is not None), None)

    def holder(self, entry: Entry) -> str:
        """The key of an entry that holds the same work as ENTRY, or ''."""
        found = self.match(entry)
        return found[1].key if found else ""

    def holder_of_id(self, kind: str, value: str) -> str:
        """The key holding arXiv ID or DOI VALUE (`kind` as in `ids.Identifier`), or ''."""
        held = self.held(("arXiv ID" if kind == "arxiv" else "DOI", value.casefold()))
        return "" if held is None else held.key
