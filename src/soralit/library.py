"""A parsed library: its entries, taxonomy and the exact text they came from. Pure.

`library_from_sections` makes one from the columns of a parse (`parser`, `cache`); reading
the file is `storage.load`, changing it `storage.edit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soralit import columns
from soralit.errors import NotFound
from soralit.fileio import FileState
from soralit.model import Entries, Entry, Taxonomy


@dataclass(frozen=True)
class Library:
    """A parsed library and the exact text it came from."""

    path: Path
    source: columns.Text  # the text, decoded when first asked for (`text`)
    entries: Entries
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    spans: Sequence[tuple[int, int]] = ()  # (start, end) of each entry in `text`
    taxonomy_span: tuple[int, int] | None = None
    digest: str = field(default="", repr=False)
    state: FileState | None = field(default=None, repr=False, compare=False)
    # The file's bytes, kept by `load(..., keep_bytes=True)`: a transaction compares
    # the file with them instead of hashing it again.
    data: bytes = field(default=b"", repr=False, compare=False)
    columns: columns.Columns | None = field(default=None, repr=False, compare=False)
    # `cache.hasher` of the bytes: a write that only appends hashes just what it adds.
    hashed: Any = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.source.text

    def find(self, key: str) -> Entry | None:
        try:
            return self.entries[self.index(key)]
        except KeyError:
            return None

    def index(self, key: str) -> int:
        """Position of the first entry with KEY; KeyError if none."""
        try:
            return self.entries.citation_keys().index(key)
        except ValueError:
            raise KeyError(key) from None

    def get(self, key: str) -> Entry:
        """The entry with KEY, or NotFound naming the closest keys."""
        entry = self.find(key)
        if entry is None:
            import difflib

            close = difflib.get_close_matches(key, self.entries.citation_keys(), n=3, cutoff=0.6)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise NotFound(f"no entry with key {key!r} in {self.path}.{hint}")
        return entry
