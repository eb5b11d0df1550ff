"""Editing the taxonomy: add, rename, move and remove categories.

The pure edits are `soralit.taxonomy`; here each becomes one `storage.edit` of the
library's taxonomy block (and, for a removal with retagging, of the entries using it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from soralit import storage
from soralit import taxonomy as tax
from soralit.errors import UsageProblem
from soralit.model import Taxonomy, slugify, split_keywords


@dataclass(frozen=True)
class TaxonomyResult:
    taxonomy: Taxonomy  # the new taxonomy
    retagged: tuple[str, ...] = ()  # keys of the entries moved to another category


def _edit(path: str | Path, change: Callable[[Taxonomy], Taxonomy]) -> TaxonomyResult:
    with storage.edit(path) as tx:
        tx.set_taxonomy(change(tx.taxonomy))
    return TaxonomyResult(tx.taxonomy)


def add_category(path: str | Path, section: str, name: str, slug: str = "") -> TaxonomyResult:
    """Add category NAME at the end of the category SECTION names (at any depth, by slug
    or name; a new top-level one when none has that name); SLUG defaults to one made
    from NAME."""
    return _edit(path, lambda t: tax.add_category(t, section, name, slug or slugify(name)))


def rename_category(path: str | Path, slug: str, name: str) -> TaxonomyResult:
    """Give category SLUG a new display name; the slug, which entries use, stays."""
    return _edit(path, lambda t: tax.rename_category(t, slug, name))


def move_category(path: str | Path, slug: str, after: str) -> TaxonomyResult:
    """Move category SLUG (with the categories below it) to just after category AFTER,
    at AFTER's level."""
    return _edit(path, lambda t: tax.move_category(t, slug, after))


def remove_category(path: str | Path, slug: str, *, retag_to: str = "") -> TaxonomyResult:
    """Remove category SLUG; refused while categories sit below it, and while entries use
    it, unless RETAG_TO moves them to that category first."""
    with storage.edit(path) as tx:
        keys = tx.library.entries.citation_keys()
        users = [k for k, v in zip(keys, tx.library.entries.field_values("keywords"),
                                   strict=True) if slug in split_keywords(v)]  # fmt: skip
        if users and not retag_to:
            raise UsageProblem(
                f"category {slug!r} is used by {_count(users)} ({', '.join(users)}); "
                "use --retag-to SLUG"
            )
        new = tax.remove_category(tx.taxonomy, slug)
        if retag_to and new.category(retag_to) is None:
            raise UsageProblem(f"no category {retag_to!r} to retag to")
        for key in dict.fromkeys(users):
            slugs = [retag_to if s == slug else s for s in tx.library.get(key).categories]
            tx.set_keywords(key, list(dict.fromkeys(slugs)))
        tx.set_taxonomy(new)
    return TaxonomyResult(new, tuple(users))


def _count(keys: list[str]) -> str:
    return f"{len(keys)} entr{'y' if len(keys) == 1 else 'ies'}"
