"""`soralit check --fix`: the safe repairs of `check`, made in one surgical write."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from soralit import check, storage


@dataclass(frozen=True)
class FixResult:
    changes: tuple[check.Change, ...]  # each field changed: entry key, field, old, new


def fix(path: str | Path, rules: Collection[str] = ()) -> FixResult:
    """Apply the fixes the findings offer (of RULES only, if any): mojibake, a venue typo
    with one clear suggestion, an arXiv label that contradicts the arXiv ID."""
    with storage.edit(path) as tx:
        findings = [f for f in check.check_library(tx.library) if not rules or f.rule in rules]
        changes = check.plan_fixes(tx.library.entries, findings)
        for change in changes:
            tx.set_field(change.key, change.field, change.new)
    return FixResult(tuple(changes))
