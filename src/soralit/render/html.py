"""The paper list as one self-contained HTML page: searchable, filterable, offline.

Pure: entries and the taxonomy in, a string out. The markup is the Jinja2 template
`soralit/templates/page.html.j2` (with `page.css` and `page.js` inlined), rendered with
autoescape on: every value from the library reaches the page as text, never as markup.
This module only prepares plain records for it; it builds no HTML itself. Only http(s)
URLs become links. Per-entry search data goes in a `<script type="application/json">`
block through Jinja's `tojson`, which escapes `<`, `>`, `&` and `'`, so no value can
close the script element.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from soralit import __version__, text
from soralit.model import Entry, Taxonomy
from soralit.render.bib import render_bib
from soralit.render.citation import citation_bibtex
from soralit.render.markdown import link_target
from soralit.stats import venue_counts

SHORT_AUTHORS = 3  # past this many, "First Author et al." with the full list on expand


@dataclass(frozen=True)
class Link:
    name: str
    href: str


@dataclass(frozen=True)
class Paper:
    """One entry as the template shows it; `index` ties its list items to its data."""

    index: int
    key: str
    title: str
    authors: tuple[str, ...]
    short_authors: str
    venue: str
    year: str
    links: tuple[Link, ...]
    bibtex: str


@dataclass(frozen=True)
class CategoryView:
    slug: str
    name: str
    papers: tuple[Paper, ...]  # filed under this category itself
    held: int = 0  # papers here and in the categories below, each once


@dataclass(frozen=True)
class SectionView:
    slug: str
    name: str
    categories: tuple[CategoryView, ...]


def short_authors(names: Sequence[str]) -> str:
    """`A`, `A and B`, `A, B and C`, or `A et al.` past three names."""
    if len(names) > SHORT_AUTHORS:
        return f"{names[0]} et al."
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


def entry_links(entry: Entry) -> tuple[Link, ...]:
    """paper, code, DOI and arXiv links; anything but an http(s) URL is dropped."""
    paper, code = link_target(entry.get("url")), link_target(entry.get("code"))
    doi = entry.doi
    doi_url = link_target("https://doi.org/" + urllib.parse.quote(doi, safe="/:;()")) if doi else ""
    arxiv = entry.arxiv_id
    arxiv_url = f"https://arxiv.org/abs/{arxiv}" if arxiv else ""
    if arxiv and "arxiv.org/" in paper and arxiv in paper:
        arxiv_url = ""  # the paper link is already the arXiv page
    pairs = (("paper", paper), ("code", code), ("DOI", doi_url), ("arXiv", arxiv_url))
    return tuple(Link(name, href) for name, href in pairs if href)


def entry_to_paper(entry: Entry, index: int) -> Paper:
    names = tuple(text.authors(entry.value("author")))
    return Paper(
        index=index,
        key=entry.key,
        title=text.latex_to_text(entry.value("title")) or "(untitled)",
        authors=names,
        short_authors=short_authors(names),
        venue=entry.venue_label(),
        year=str(entry.year or ""),
        links=entry_links(entry),
        bibtex=render_bib([entry]).rstrip("\n"),  # with its @strings and crossref parent
    )


def sections_view(
    papers: Sequence[Paper], entries: Sequence[Entry], taxonomy: Taxonomy, *, keep_empty: bool
) -> tuple[SectionView, ...]:
    """The taxonomy in order, each category with its papers in the given entry order."""
    views = []
    used = {slug for e in entries for slug in e.categories}
    for section, categories in taxonomy.grouped(used):
        cats = []
        for category in categories:
            members = tuple(
                p for p, e in zip(papers, entries, strict=True) if category.slug in e.categories
            )
            below = {n.slug for n in category.walk()}
            held = sum(1 for e in entries if below.intersection(e.categories))
            if members or keep_empty or held:
                name = taxonomy.shown_name(category.slug)
                cats.append(CategoryView(category.slug, name, members, held))
        if cats:
            views.append(SectionView(section.slug, section.name, tuple(cats)))
    return tuple(views)


def page_data(
    papers: Sequence[Paper], entries: Sequence[Entry], taxonomy: Taxonomy
) -> dict[str, Any]:
    """What the script filters on: per paper (by index) its title, authors, venue label
    and year; and each category's subtree, so that `#category=application` (or ticking a
    category with categories below it) selects them all, as `soralit list --category`
    does."""
    return {
        "papers": [
            {"t": p.title, "a": "; ".join(p.authors), "v": p.venue, "y": e.year}
            for p, e in zip(papers, entries, strict=True)
        ],
        "subtree": {n.slug: [m.slug for m in n.walk()] for n in taxonomy.nodes()},
    }


def filter_choices(entries: Sequence[Entry]) -> dict[str, Any]:
    """The venue families (most papers first) and years the filter controls offer. A
    family's count is what choosing it shows: the papers whose label starts with it, as
    `soralit list --venue` selects them (CVPR: CVPR'23 and CVPR Workshop'23)."""
    families, _ = venue_counts(entries, top=len(entries))
    labels = [e.venue_label().casefold() for e in entries]
    counted = [(c.name, sum(v.startswith(c.name.casefold()) for v in labels)) for c in families]
    counted.sort(key=lambda nc: (-nc[1], nc[0].lower()))
    years = sorted({e.year for e in entries if e.year is not None})
    return {"venues": counted, "years": years}


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("soralit", "templates"),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(
    entries: Iterable[Entry],
    taxonomy: Taxonomy,
    *,
    citation_entry: Entry | None = None,
    title: str | None = None,
    keep_empty: bool = True,
) -> str:
    """The whole page for ENTRIES (already selected and ordered) under TAXONOMY.

    Entries without a category of the taxonomy are not shown, as in the Markdown list.
    TITLE defaults to the taxonomy's title; CITATION_ENTRY adds the citation block.
    """
    slugs = set(taxonomy.slugs())
    shown = [e for e in entries if slugs.intersection(e.categories)]
    papers = [entry_to_paper(e, i) for i, e in enumerate(shown)]
    sections = sections_view(papers, shown, taxonomy, keep_empty=keep_empty)
    template = _environment().get_template("page.html.j2")
    page: str = template.render(
        title=title or taxonomy.title or "Paper list",
        heading=taxonomy.heading,
        citation=citation_bibtex(citation_entry) if citation_entry else "",
        sections=sections,
        total=len(shown),
        choices=filter_choices(shown),
        data=page_data(papers, shown, taxonomy),
        version=__version__,
    )
    return page
