"""Where a new entry goes in the file, so that pull requests adding papers merge cleanly.

Pure. A new entry goes at the end of its first category's run: right after the last entry
(in file order) that lists that category. Two branches that add papers to different
categories then change different lines, and `git merge` joins them without a conflict;
in the Markdown list the new paper still comes last in its category, as an appended one
did. A category that has no entry yet opens its run after the last entry of the nearest
category before it in the taxonomy, else before the first entry of the nearest one after
it; an entry without a category, or a library without entries, is appended at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from soralit.model import Entries, Taxonomy, split_keywords


@dataclass(frozen=True)
class Place:
    """After entry `after`, or before entry `before`; neither: at the end of the file."""

    after: str | None = None
    before: str | None = None


END = Place()


def place_for(entries: Entries, taxonomy: Taxonomy, categories: Sequence[str]) -> Place:
    """Where an entry of CATEGORIES (slugs, the first one deciding) goes among ENTRIES.

    Reads only the entries' keys and `keywords` (columns of a large library: no entry is
    made)."""
    if not categories or not len(entries):
        return END
    keys = entries.citation_keys()
    held = [split_keywords(value) for value in entries.field_values("keywords")]
    first = categories[0]
    last = _last_holding(keys, held, first)
    if last is not None:
        return Place(after=last)
    order = taxonomy.slugs()
    if first not in order:
        return END
    at = order.index(first)
    for slug in reversed(order[:at]):
        last = _last_holding(keys, held, slug)
        if last is not None:
            return Place(after=last)
    for slug in order[at + 1 :]:
        following = next((k for k, cats in zip(keys, held, strict=True) if slug in cats), None)
        if following is not None:
            return Place(before=following)
    return END


def _last_holding(keys: Sequence[str], held: Sequence[tuple[str, ...]], slug: str) -> str | None:
    return next((keys[i] for i in range(len(keys) - 1, -1, -1) if slug in held[i]), None)
