"""The taxonomy block: text <-> `Taxonomy`, and pure edits of the taxonomy.

The block is a `@comment{soralit-taxonomy: ...}` in the library (see docs/library-format.md).
No I/O here; `storage.py` finds the block and splices the text this module produces.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from soralit.errors import UsageProblem
from soralit.model import Category, Section, Taxonomy, slugify

MARKER = "soralit-taxonomy:"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class TaxonomyError(ValueError):
    """A malformed taxonomy block (the caller adds the file and line)."""

    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        super().__init__(message)


def parse_taxonomy(comment: str) -> Taxonomy:
    """Parse the text inside `@comment{...}` (starting with the marker)."""
    body = comment.strip()[len(MARKER) :]
    meta: dict[str, str] = {}
    sections: list[tuple[str, list[Category]]] = []
    for offset, raw in enumerate(body.splitlines()):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif line.startswith("- "):
            slug, sep, name = line[2:].partition(":")
            slug, name = slug.strip(), name.strip()
            if not sep or not _SLUG.match(slug) or not name:
                raise TaxonomyError(offset, f"taxonomy: expected '- slug: Name', got {line!r}")
            if not sections:
                raise TaxonomyError(offset, f"taxonomy: category {slug!r} before any '## Section'")
            sections[-1][1].append(Category(slug, name))
        elif ":" in line and not sections:
            name, _, value = line.partition(":")
            meta[name.strip().lower()] = value.strip()
        else:
            raise TaxonomyError(offset, f"taxonomy: cannot read line {line!r}")
    taxonomy = Taxonomy(
        sections=tuple(Section(name, tuple(cats)) for name, cats in sections),
        title=meta.get("title", ""),
        citation_key=meta.get("citation", ""),
        heading=meta.get("heading", "Paper List") or "Paper List",
    )
    duplicates = {s for s in taxonomy.slugs() if taxonomy.slugs().count(s) > 1}
    if duplicates:
        raise TaxonomyError(
            0, f"taxonomy: category slug used twice: {', '.join(sorted(duplicates))}"
        )
    return taxonomy


def format_taxonomy(taxonomy: Taxonomy) -> str:
    """The whole `@comment{soralit-taxonomy: ...}` block, without a trailing newline."""
    lines = [f"@comment{{{MARKER}"]
    if taxonomy.title:
        lines.append(f"title: {taxonomy.title}")
    if taxonomy.citation_key:
        lines.append(f"citation: {taxonomy.citation_key}")
    lines.append(f"heading: {taxonomy.heading}")
    for section in taxonomy.sections:
        lines.append(f"## {section.name}")
        lines.extend(f"- {c.slug}: {c.name}" for c in section.categories)
    lines.append("}")
    return "\n".join(lines)


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or "{" in name or "}" in name:
        raise UsageProblem(f"invalid name {name!r}: it must be non-empty and have no braces")
    return name


def add_category(taxonomy: Taxonomy, section: str, name: str, slug: str = "") -> Taxonomy:
    """Append a category to SECTION (matched by name or slug), creating the section if new."""
    name, slug = _check_name(name), slug or slugify(name)
    if not _SLUG.match(slug):
        raise UsageProblem(f"invalid slug {slug!r}: use lower-case letters, digits and hyphens")
    if slug in taxonomy.slugs():
        raise UsageProblem(f"category {slug!r} already exists")
    sections = list(taxonomy.sections)
    wanted = slugify(section)
    for i, sec in enumerate(sections):
        if sec.slug == wanted:
            sections[i] = Section(sec.name, (*sec.categories, Category(slug, name)))
            break
    else:
        sections.append(Section(_check_name(section), (Category(slug, name),)))
    return dataclasses.replace(taxonomy, sections=tuple(sections))


def rename_category(taxonomy: Taxonomy, slug: str, name: str) -> Taxonomy:
    """Give category SLUG a new display name (the slug, used by entries, stays)."""
    _require(taxonomy, slug)
    name = _check_name(name)
    return _map_categories(taxonomy, lambda c: Category(c.slug, name) if c.slug == slug else c)


def remove_category(taxonomy: Taxonomy, slug: str) -> Taxonomy:
    """Drop category SLUG; a section left empty stays (it may get categories later)."""
    _require(taxonomy, slug)
    sections = tuple(
        Section(s.name, tuple(c for c in s.categories if c.slug != slug)) for s in taxonomy.sections
    )
    return dataclasses.replace(taxonomy, sections=sections)


def move_category(taxonomy: Taxonomy, slug: str, after: str) -> Taxonomy:
    """Move category SLUG to just after category AFTER (possibly into AFTER's section)."""
    moving = _require(taxonomy, slug)
    _require(taxonomy, after)
    if slug == after:
        return taxonomy
    sections = []
    for sec in remove_category(taxonomy, slug).sections:
        cats: list[Category] = []
        for c in sec.categories:
            cats.append(c)
            if c.slug == after:
                cats.append(moving)
        sections.append(Section(sec.name, tuple(cats)))
    return dataclasses.replace(taxonomy, sections=tuple(sections))


def _require(taxonomy: Taxonomy, slug: str) -> Category:
    category = taxonomy.category(slug)
    if category is None:
        raise UsageProblem(f"no category {slug!r} (known: {', '.join(taxonomy.slugs())})")
    return category


def _map_categories(taxonomy: Taxonomy, fn: Callable[[Category], Category]) -> Taxonomy:
    sections = tuple(Section(s.name, tuple(fn(c) for c in s.categories)) for s in taxonomy.sections)
    return dataclasses.replace(taxonomy, sections=sections)
