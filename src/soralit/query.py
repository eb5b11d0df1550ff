"""Queries: which entries match a set of criteria. Pure, like pubs' `query.py`.

Category names resolve by slug or display name (case-insensitive) at any depth of the
taxonomy, a category selecting those below it too, with a did-you-mean for unknown ones;
venues match by case-insensitive prefix of the label or of the journal, book or event name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from soralit import catalog, text
from soralit.errors import UsageProblem
from soralit.model import Entries, Entry, Taxonomy, slugify


@dataclass(frozen=True)
class Criteria:
    categories: frozenset[str] = frozenset()  # resolved slugs; empty = any
    venue: str = ""
    years: tuple[int, int] | None = None
    author: str = ""
    search: str = ""

    @property
    def empty(self) -> bool:
        return self == Criteria()


def parse_years(value: str) -> tuple[int, int]:
    """`2023` -> (2023, 2023); `2022-2024` -> (2022, 2024); open ends `2022-`, `-2023`."""
    match = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", value or "")
    if not match or not (match.group(1) or match.group(3)):
        raise UsageProblem(f"invalid year {value!r}: use 2023 or 2022-2024")
    low, dash, high = match.groups()
    if not dash:
        return int(low), int(low)
    first, last = int(low or 0), int(high or 9999)
    if first > last:
        raise UsageProblem(f"invalid year range {value!r}: {first} is after {last}")
    return first, last


def resolve_categories(taxonomy: Taxonomy, names: Iterable[str]) -> frozenset[str]:
    """Slugs for category names (slug or display name, at any depth): a category with
    categories below it, such as a section, selects them all. Unknown names raise with
    the closest match."""
    slugs: set[str] = set()
    for name in names:
        wanted = slugify(name)
        match = next((c for c in taxonomy.nodes() if wanted in (c.slug, slugify(c.name))), None)
        if match is None:
            raise UsageProblem(unknown_category_message(taxonomy, name))
        slugs.update(n.slug for n in match.walk())
    return frozenset(slugs)


def unknown_category_message(taxonomy: Taxonomy, name: str) -> str:
    choices = taxonomy.slugs()
    import difflib

    close = difflib.get_close_matches(slugify(name), choices, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    # The categories of a two-level view; a section's name is valid too, and suggested.
    valid = ", ".join(c.slug for c in taxonomy.categories()) or (
        "none: the taxonomy is empty (add one: soralit taxonomy add SECTION NAME)"
    )
    return f"unknown category {name!r}.{hint} Valid categories: {valid}"


def matches(entry: Entry, criteria: Criteria) -> bool:
    """True when ENTRY meets every criterion."""
    if criteria.categories and not criteria.categories.intersection(entry.categories):
        return False
    if criteria.venue and not venue_matches(entry, criteria.venue):
        return False
    if criteria.years:
        year = entry.year
        if year is None or not criteria.years[0] <= year <= criteria.years[1]:
            return False
    if criteria.author:
        wanted = text.ascii_fold(criteria.author).casefold()
        names = text.ascii_fold(" ; ".join(text.authors(entry.value("author")))).casefold()
        if wanted not in names:
            return False
    if criteria.search:
        haystack = text.latex_to_text(entry.value("title") + " " + entry.value("abstract"))
        if not all(word in haystack.casefold() for word in criteria.search.casefold().split()):
            return False
    return True


def venue_matches(entry: Entry, prefix: str) -> bool:
    """Whether the entry's label (`CVPR'23`) or the name of its journal, book or event
    starts with PREFIX, whatever the case."""
    wanted = prefix.casefold()
    if entry.venue_label().casefold().startswith(wanted):
        return True
    return catalog.container(entry).casefold().startswith(wanted)


def select(entries: Iterable[Entry], criteria: Criteria) -> list[Entry]:
    """Entries matching CRITERIA, in library order."""
    return [e for e in _candidates(entries, criteria) if matches(e, criteria)]


def _candidates(entries: Iterable[Entry], criteria: Criteria) -> Iterable[Entry]:
    """ENTRIES, narrowed to those whose raw `keywords` mention a wanted slug (a superset:
    `matches` decides) when they are a library's `Entries`, which list a field's values
    without making entries: a category query on a large library then makes only the
    entries it may show."""
    if not criteria.categories or not isinstance(entries, Entries):
        return entries
    wanted = tuple(criteria.categories)
    values = entries.field_values("keywords")
    return [entries[i] for i, value in enumerate(values) if any(s in value for s in wanted)]


def listed(entries: Iterable[Entry], taxonomy: Taxonomy) -> list[Entry]:
    """The entries that appear in the paper list: all but the list's own paper."""
    return [e for e in entries if e.key != taxonomy.citation_key]


def sort_entries(entries: list[Entry], order: str) -> list[Entry]:
    """`library` (file order), `year` (newest first, stable), `added` (newest first, by the
    `added` date; undated last) or `title` (alphabetical)."""
    if order == "added":
        from soralit.added import newest_first

        return newest_first(entries)
    if order == "year":
        return sorted(entries, key=lambda e: -(e.year or 0))
    if order == "title":
        return sorted(entries, key=lambda e: text.normalize_title(e.get("title")))
    return list(entries)
