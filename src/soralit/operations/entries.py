"""Editing entries already in the library: their categories (`tag`), removing them (`rm`).

Each is one `storage.edit` transaction: only the touched entries' text changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from soralit import query, storage
from soralit.errors import UsageProblem
from soralit.model import Entry


@dataclass(frozen=True)
class TagResult:
    key: str
    before: tuple[str, ...]  # the entry's categories before, and after
    after: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def unlisted(self) -> bool:
        """The entry is left without a category: the paper list will not show it."""
        return self.changed and not self.after


def tag(
    path: str | Path, key: str, *, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> TagResult:
    """Add and remove categories (names or slugs) of entry KEY; only its `keywords`
    field changes. Added categories take their taxonomy place after the kept ones."""
    if not add and not remove:
        raise UsageProblem("nothing to do: give --add CAT and/or --remove CAT")
    with storage.edit(path) as tx:
        entry = tx.library.get(key)
        plus = query.resolve_categories(tx.taxonomy, add)
        minus = query.resolve_categories(tx.taxonomy, remove)
        slugs = [s for s in entry.categories if s not in minus]
        slugs += [s for s in tx.taxonomy.slugs() if s in plus and s not in slugs]
        if tuple(slugs) != entry.categories:
            tx.set_keywords(key, slugs)
    return TagResult(key, entry.categories, tuple(slugs))


@dataclass(frozen=True)
class RemoveResult:
    removed: tuple[Entry, ...]


def remove(
    path: str | Path,
    keys: Iterable[str],
    *,
    confirm: Callable[[Sequence[Entry]], bool] | None = None,
) -> RemoveResult:
    """Remove the entries with KEYS, each with the `%` comment lines just above it.

    CONFIRM, if given, sees the entries first (under the lock); False writes nothing.
    """
    with storage.edit(path) as tx:
        entries = [tx.library.get(k) for k in dict.fromkeys(keys)]
        if confirm is not None and not confirm(entries):
            return RemoveResult(())
        for entry in entries:
            tx.remove_entry(entry.key)
    return RemoveResult(tuple(entries))
