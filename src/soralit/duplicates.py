"""Which entry already holds a work: same arXiv ID (any version), same DOI, or same title.

Pure. One notion of "the same work" for `add` and `import` (add nothing twice) and for
`check` (the same work entered twice).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from soralit import ids, text
from soralit.errors import UsageProblem
from soralit.model import Entry

WorkId = tuple[str, str]  # ("arXiv ID" | "DOI" | "title", normalised value)


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


class WorkIndex:
    """The first entry seen for each work identifier, and every key seen."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.first: dict[WorkId, Entry | int] = {}  # int: a position in `self._entries`
        self.keys: set[str] = set()
        self._entries: Sequence[Entry] = ()
        precomputed = getattr(entries, "work_ids", None)
        if precomputed is not None:  # a library read by storage: ids cached with its parse
            self._index_cached(entries, *precomputed())  # type: ignore[arg-type]
            return
        for entry in entries:
            self.add(entry)

    def _index_cached(
        self, entries: Sequence[Entry], kinds: list[str], values: list[str], owners: list[int]
    ) -> None:
        """Index from precomputed `work_ids` without making one `Entry` (C-speed builtins:
        this is most of `soralit add`'s own time on a large library)."""
        self._entries = entries
        self.keys = set(entries.keys())  # type: ignore[attr-defined]
        # Built backwards so that, as with setdefault, the first entry of a work wins.
        pairs = zip(reversed(kinds), reversed(values), strict=True)
        self.first = dict(zip(pairs, reversed(owners), strict=True))

    def _entry(self, held: Entry | int) -> Entry:
        return self._entries[held] if isinstance(held, int) else held

    def add(self, entry: Entry) -> None:
        self.keys.add(entry.key)
        for work_id in work_ids(entry):
            self.first.setdefault(work_id, entry)

    def match(self, entry: Entry) -> tuple[WorkId, Entry] | None:
        """The identifier ENTRY shares with an earlier entry, and that entry."""
        return next(
            ((w, self._entry(self.first[w])) for w in work_ids(entry) if w in self.first), None
        )

    def holder(self, entry: Entry) -> str:
        """The key of an entry that holds the same work as ENTRY, or ''."""
        found = self.match(entry)
        return found[1].key if found else ""

    def holder_of_id(self, kind: str, value: str) -> str:
        """The key holding arXiv ID or DOI VALUE (`kind` as in `ids.Identifier`), or ''."""
        held = self.first.get(("arXiv ID" if kind == "arxiv" else "DOI", value.casefold()))
        return "" if held is None else self._entry(held).key
