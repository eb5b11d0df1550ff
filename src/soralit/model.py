"""The core records: entries and the taxonomy.

Pure data and pure helpers. No I/O, and no click, rich, requests or bibtexparser here.
Field values are stored as raw BibTeX text (outer braces or quotes removed); `text.py`
turns them into display text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import overload

from soralit.ids import arxiv_id_from_url

# New-style arXiv IDs (YYMM.NNNN[N]) and old-style (archive[.SUB]/YYMMNNN).
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_ARXIV = re.compile(r"^[a-z-]+(?:\.[A-Za-z-]+)?/(\d{2})(\d{2})\d{3}$")
_VERSION = re.compile(r"v\d+$")


@dataclass(frozen=True)
class Category:
    slug: str
    name: str


@dataclass(frozen=True)
class Section:
    name: str
    categories: tuple[Category, ...] = ()

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class Taxonomy:
    """Ordered sections and categories, plus the list's own title and citation key."""

    sections: tuple[Section, ...] = ()
    title: str = ""
    citation_key: str = ""
    heading: str = "Paper List"

    def categories(self) -> list[Category]:
        return [c for s in self.sections for c in s.categories]

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories() if c.slug == slug), None)

    def section_of(self, slug: str) -> Section | None:
        return next((s for s in self.sections if any(c.slug == slug for c in s.categories)), None)

    def slugs(self) -> list[str]:
        return [c.slug for c in self.categories()]


@dataclass(frozen=True)
class Entry:
    """One BibTeX entry.

    `fields` keys are lower-case; values are raw BibTeX text without the outer braces.
    `line` is the 1-based line of the `@` in the file, `raw` the entry's exact text there
    (both empty for an entry not read from a file).
    """

    key: str
    type: str = "misc"
    fields: Mapping[str, str] = field(default_factory=dict)
    line: int = 0
    raw: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))

    @classmethod
    def view(cls, key: str, type: str, fields: Mapping[str, str], line: int, raw: str) -> Entry:
        """An entry over FIELDS as given, not copied: for read-only mappings (`records`).

        The same entry as `Entry(key, type, fields, line, raw)`, made in a fraction of the
        time: reading a 50k-entry library makes one per entry.
        """
        entry = cls.__new__(cls)
        attributes = entry.__dict__  # frozen: set them where __setattr__ does not look
        attributes["key"], attributes["type"], attributes["fields"] = key, type, fields
        attributes["line"], attributes["raw"] = line, raw
        return entry

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def categories(self) -> tuple[str, ...]:
        return split_keywords(self.get("keywords"))

    @property
    def arxiv_id(self) -> str:
        """The arXiv ID without version, from `eprint` or an arXiv `url` (any link form
        `ids.parse_identifier` reads: abs, pdf, html); '' if none."""
        eprint = self.get("eprint").strip()
        prefix = self.get("archiveprefix").strip().lower()
        if eprint and prefix in ("", "arxiv"):
            return _VERSION.sub("", eprint)
        url = self.get("url")
        return arxiv_id_from_url(url) if "arxiv.org" in url.lower() else ""

    @property
    def doi(self) -> str:
        return self.get("doi").strip()

    @property
    def year(self) -> int | None:
        match = re.search(r"\d{4}", self.get("year"))
        return int(match.group()) if match else None

    def venue_label(self) -> str:
        """The short venue label: `venue`, else `arXiv YYYY.MM` for a preprint, else ''."""
        venue = self.get("venue").strip()
        if venue:
            return venue
        return arxiv_label(self.arxiv_id)


WorkId = tuple[str, str]  # ("arXiv ID" | "DOI" | "title", normalised value): see `duplicates`


class Entries(Sequence[Entry]):
    """A library's entries in file order, and the questions a large library asks of all
    of them: every key, every value of one field, which entry holds a work.

    This base keeps made entries and answers by looking at each. `columns.EntryList`,
    what `storage.load` gives, answers from the parsed columns without making entries.
    """

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries = tuple(entries)

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        return self._entries[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} entries)"

    def citation_keys(self) -> list[str]:
        """The citation keys, in file order."""
        return [e.key for e in self]

    def field_values(self, name: str) -> list[str]:
        """Every entry's raw value of field NAME ('' where absent)."""
        return [e.get(name) for e in self]

    def has_key(self, key: str) -> bool:
        """Whether an entry has citation key KEY (exactly)."""
        return key in self.citation_keys()

    def knows_work_ids(self) -> bool:
        """Whether `work_ids_by_entry` and `position_of_work` can answer without
        computing every entry's ids (the parse cached them)."""
        return False

    def work_ids_by_entry(self) -> list[list[WorkId]]:
        """Each entry's `duplicates.work_ids`, as the parse cached them."""
        raise NotImplementedError

    def position_of_work(self, work_id: WorkId) -> int | None:
        """Position of the first entry with this work identifier, or None."""
        raise NotImplementedError


def arxiv_label(arxiv_id: str) -> str:
    """`arXiv YYYY.MM` from an arXiv ID's YYMM part ('' when not an arXiv ID)."""
    match = _NEW_ARXIV.match(arxiv_id) or _OLD_ARXIV.match(arxiv_id)
    if not match:
        return ""
    yy, mm = int(match.group(1)), match.group(2)
    century = 1900 if yy >= 91 else 2000
    return f"arXiv {century + yy}.{mm}"


def split_keywords(value: str) -> tuple[str, ...]:
    """Comma- or semicolon-separated keywords, stripped, empties dropped, order kept."""
    if ";" in value:
        value = value.replace(";", ",")
    return tuple(k for k in map(str.strip, value.split(",")) if k)


def slugify(name: str) -> str:
    """A URL-safe slug: lower case, ASCII letters and digits joined by single hyphens."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
