"""The core records: entries and the taxonomy.

Pure data and pure helpers. No I/O, and no click, rich, requests or bibtexparser here.
Field values are stored as raw BibTeX text (outer braces or quotes removed); `text.py`
turns them into display text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# New-style arXiv IDs (YYMM.NNNN[N]) and old-style (archive[.SUB]/YYMMNNN).
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_ARXIV = re.compile(r"^[a-z-]+(?:\.[A-Za-z-]+)?/(\d{2})(\d{2})\d{3}$")
_ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/+"
    r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z-]+)?/\d{7})(?:v\d+)?(?:\.pdf)?/?$"
)
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
        """The arXiv ID without version, from `eprint` or an arXiv `url`; '' if none."""
        eprint = self.get("eprint").strip()
        prefix = self.get("archiveprefix").strip().lower()
        if eprint and prefix in ("", "arxiv"):
            return _VERSION.sub("", eprint)
        match = _ARXIV_URL.match(self.get("url").strip())
        return match.group(1) if match else ""

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
