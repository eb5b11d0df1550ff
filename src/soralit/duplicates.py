"""Which entry already holds a work: same arXiv ID (any version), same DOI, or same title.

Pure. Used by `add` and `import` to add nothing twice, and by `check` to find the same
work entered twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from soralit import text
from soralit.model import Entry


class WorkIndex:
    """Keys of entries by arXiv ID, lower-cased DOI and normalised title."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.by_arxiv: dict[str, str] = {}
        self.by_doi: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.keys: set[str] = set()
        for entry in entries:
            self.add(entry)

    def add(self, entry: Entry) -> None:
        self.keys.add(entry.key)
        if entry.arxiv_id:
            self.by_arxiv.setdefault(entry.arxiv_id.lower(), entry.key)
        if entry.doi:
            self.by_doi.setdefault(entry.doi.lower(), entry.key)
        title = text.normalize_title(entry.get("title"))
        if title:
            self.by_title.setdefault(title, entry.key)

    def holder(self, entry: Entry) -> str:
        """The key of an entry that holds the same work as ENTRY, or ''."""
        return (
            (self.by_arxiv.get(entry.arxiv_id.lower(), "") if entry.arxiv_id else "")
            or (self.by_doi.get(entry.doi.lower(), "") if entry.doi else "")
            or self.by_title.get(text.normalize_title(entry.get("title")) or "\0", "")
        )

    def holder_of_id(self, kind: str, value: str) -> str:
        """The key holding arXiv ID or DOI VALUE (kind `arxiv` or `doi`), or ''."""
        table = self.by_arxiv if kind == "arxiv" else self.by_doi
        return table.get(value.lower(), "")
