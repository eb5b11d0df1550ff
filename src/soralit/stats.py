"""Counts over the paper list: per section and category, year, venue, kind, code links.

Pure: entries and the taxonomy in, frozen records out; no I/O, no rich, no matplotlib.
The commands and the plot draw these records; `stats_to_dict` is the JSON shape.

Venues are counted by *family*: the venue label without its year (`CVPR'23` and
`CVPR'22` are both `CVPR`; `arXiv 2023.09` is `arXiv`). What counts as published is
`catalog.is_published`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from soralit.catalog import is_published, venue_family
from soralit.model import Category, Entry, Taxonomy


@dataclass(frozen=True)
class Count:
    """One row: a stable id (slug, year, venue family), its display name and a count."""

    id: str
    name: str
    papers: int


@dataclass(frozen=True)
class SectionCount:
    section: Count
    categories: tuple[Count, ...]


@dataclass(frozen=True)
class Stats:
    papers: int
    published: int
    preprints: int
    with_code: int
    sections: tuple[SectionCount, ...]
    years: tuple[Count, ...]  # ascending; entries without a year under id `unknown`
    venues: tuple[Count, ...]  # the top N families, most papers first
    other_venues: int  # papers whose family is not in `venues` (or has no label)


def has_code(entry: Entry) -> bool:
    return bool(re.match(r"(?i)^https?://\S", entry.get("code").strip()))


def _held(category: Category, entries: Sequence[Entry], *, direct: bool = False) -> int:
    """Papers in CATEGORY or below it (only in it, when DIRECT)."""
    slugs = {category.slug} if direct else {n.slug for n in category.walk()}
    return sum(bool(slugs.intersection(e.categories)) for e in entries)


def section_counts(entries: Sequence[Entry], taxonomy: Taxonomy) -> tuple[SectionCount, ...]:
    """Papers per section and category; a paper in two categories of a section counts once
    for the section."""
    rows = []
    used = {slug for e in entries for slug in e.categories}
    for section, categories in taxonomy.grouped(used):
        slugs = {c.slug for c in section.walk()}
        cats = tuple(
            Count(c.slug, taxonomy.shown_name(c.slug), _held(c, entries, direct=c is section))
            for c in categories
        )
        total = sum(bool(slugs.intersection(e.categories)) for e in entries)
        rows.append(SectionCount(Count(section.slug, section.name, total), cats))
    return tuple(rows)


def year_counts(entries: Iterable[Entry]) -> tuple[Count, ...]:
    counts = Counter(e.year for e in entries)
    known = sorted(y for y in counts if y is not None)
    rows = [Count(str(y), str(y), counts[y]) for y in known]
    if None in counts:
        rows.append(Count("unknown", "unknown", counts[None]))
    return tuple(rows)


def venue_counts(entries: Iterable[Entry], top: int) -> tuple[tuple[Count, ...], int]:
    """The TOP venue families by papers (ties by name), and the papers left over."""
    counts = Counter(venue_family(e.venue_label()) for e in entries)
    ranked = sorted((fn for fn in counts.items() if fn[0]), key=lambda fn: (-fn[1], fn[0].lower()))
    chosen = tuple(Count(f, f, n) for f, n in ranked[: max(top, 0)])
    return chosen, sum(counts.values()) - sum(c.papers for c in chosen)


def compute_stats(entries: Iterable[Entry], taxonomy: Taxonomy, *, top: int = 10) -> Stats:
    """All the counts for ENTRIES (the listed papers, already filtered)."""
    entries = list(entries)
    published = sum(is_published(e) for e in entries)
    venues, other = venue_counts(entries, top)
    return Stats(
        papers=len(entries),
        published=published,
        preprints=len(entries) - published,
        with_code=sum(has_code(e) for e in entries),
        sections=section_counts(entries, taxonomy),
        years=year_counts(entries),
        venues=venues,
        other_venues=other,
    )


def stats_to_dict(stats: Stats) -> dict[str, Any]:
    """The `--format json` shape."""
    return {
        "papers": stats.papers,
        "published": stats.published,
        "preprints": stats.preprints,
        "with_code": stats.with_code,
        "sections": [
            {
                "slug": s.section.id,
                "name": s.section.name,
                "papers": s.section.papers,
                "categories": [
                    {"slug": c.id, "name": c.name, "papers": c.papers} for c in s.categories
                ],
            }
            for s in stats.sections
        ],
        "years": {c.id: c.papers for c in stats.years},
        "venues": [{"venue": c.name, "papers": c.papers} for c in stats.venues],
        "other_venues": stats.other_venues,
    }


def group_of(entry: Entry, taxonomy: Taxonomy, by: str, venues: Sequence[str]) -> str:
    """The stack an entry joins in the per-year chart: its first category's section, or
    its venue family when that is one of VENUES (else `other`)."""
    if by == "venue":
        family = venue_family(entry.venue_label())
        return family if family in venues else "other"
    for slug in entry.categories:
        section = taxonomy.section_of(slug)
        if section:
            return section.name
    return "other"


def years_by_group(
    entries: Iterable[Entry], taxonomy: Taxonomy, *, by: str = "section", top: int = 6
) -> tuple[list[int], dict[str, list[int]]]:
    """(years, {group: papers per year}) for a stacked bar chart; groups in display order.

    Every year from the first to the last is present, so gaps show as gaps. Entries
    without a year are left out (a bar needs a position on the axis).
    """
    entries = [e for e in entries if e.year is not None]
    known = [e.year for e in entries if e.year is not None]
    years = list(range(min(known), max(known) + 1)) if known else []
    if by == "venue":
        order = [c.name for c in venue_counts(entries, top)[0]]
    else:
        order = [s.name for s in taxonomy.sections]
    counts = Counter((group_of(e, taxonomy, by, order), e.year) for e in entries)
    groups = [*order, "other"]
    table = {g: [counts[(g, y)] for y in years] for g in groups}
    return years, {g: row for g, row in table.items() if any(row)}
