"""What changed in the paper list between two versions of the library, for release notes.

Pure: two lists of entries in, a `Changes` record and its Markdown out. An entry of the
new version is matched to the old one by key, else by the work it holds (arXiv ID, DOI or
title, as `duplicates` defines it), so a renamed key is not a new paper. Then:

- added: no old entry holds the work; removed: no new entry does;
- moved: its categories changed;
- upgraded: a preprint then (an arXiv/bioRxiv label, or neither journal nor booktitle),
  published now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from soralit import catalog, text
from soralit.duplicates import WorkIndex
from soralit.model import Entry, Taxonomy
from soralit.render.markdown import entry_line, escape


@dataclass(frozen=True)
class Move:
    entry: Entry
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class Upgrade:
    entry: Entry
    old_label: str
    new_label: str


@dataclass(frozen=True)
class Changes:
    added: list[Entry] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    upgraded: list[Upgrade] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.moved or self.upgraded or self.removed)


def compare(old: Sequence[Entry], new: Sequence[Entry]) -> Changes:
    """The changes from OLD to NEW (both in file order)."""
    changes = Changes()
    by_key = {e.key: e for e in old}
    by_work = WorkIndex(e for e in old)
    matched: set[str] = set()
    for entry in new:
        before = by_key.get(entry.key) or _held(by_work, entry)
        if before is None or before.key in matched:
            changes.added.append(entry)
            continue
        matched.add(before.key)
        if set(before.categories) != set(entry.categories):
            changes.moved.append(Move(entry, before.categories, entry.categories))
        if is_preprint(before) and not is_preprint(entry):
            changes.upgraded.append(Upgrade(entry, before.venue_label(), entry.venue_label()))
    changes.removed.extend(e for e in old if e.key not in matched)
    return changes


def _held(index: WorkIndex, entry: Entry) -> Entry | None:
    found = index.match(entry)
    return found[1] if found else None


def is_preprint(entry: Entry) -> bool:
    """A preprint label (`arXiv 2023.12`), or no label and neither journal nor booktitle."""
    label = entry.venue_label()
    if label:
        return catalog.is_preprint_label(label)
    return not (entry.get("journal") or entry.get("booktitle"))


def render_changes(changes: Changes, taxonomy: Taxonomy, *, since: str) -> str:
    """Markdown for a release note: a summary line, then one section per kind of change."""
    lines = [f"## Changes since {escape(since)}", "", summary(changes)]
    if changes.added:
        lines += ["", "### Added"]
        for name, entries in by_category(changes.added, taxonomy):
            lines += [f"#### {escape(name)}", *(entry_line(e) for e in entries)]
    if changes.moved:
        lines += ["", "### Moved"]
        lines += [
            f"- {_title(m.entry)}: {_names(m.old, taxonomy)} → {_names(m.new, taxonomy)}"
            for m in changes.moved
        ]
    if changes.upgraded:
        lines += ["", "### Upgraded (preprint → venue)"]
        lines += [
            f"- {_title(u.entry)}: {escape(u.old_label or 'preprint')} → "
            f"{escape(u.new_label or 'published')}"
            for u in changes.upgraded
        ]
    if changes.removed:
        lines += ["", "### Removed", *(f"- {_title(e)}" for e in changes.removed)]
    return "\n".join(lines) + "\n"


def summary(changes: Changes) -> str:
    """`3 papers added, 1 moved, 2 upgraded, 0 removed.`"""
    if changes.empty:
        return "No changes."
    added = len(changes.added)
    return (
        f"{added} paper{'' if added == 1 else 's'} added, {len(changes.moved)} moved, "
        f"{len(changes.upgraded)} upgraded, {len(changes.removed)} removed."
    )


def by_category(entries: Iterable[Entry], taxonomy: Taxonomy) -> list[tuple[str, list[Entry]]]:
    """ENTRIES grouped under their first category's name, in taxonomy order."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        first = next(iter(entry.categories), "")
        groups.setdefault(first, []).append(entry)
    order = [c.slug for c in taxonomy.categories()]
    ranked = sorted(groups, key=lambda s: order.index(s) if s in order else len(order))
    return [(_category_name(slug, taxonomy), groups[slug]) for slug in ranked]


def _category_name(slug: str, taxonomy: Taxonomy) -> str:
    category = taxonomy.category(slug)
    return category.name if category else slug or "Uncategorised"


def _names(slugs: Iterable[str], taxonomy: Taxonomy) -> str:
    return ", ".join(escape(_category_name(s, taxonomy)) for s in slugs) or "none"


def _title(entry: Entry) -> str:
    return escape(text.latex_to_text(entry.get("title"))) or escape(entry.key)
