"""The whole check of a library, `nocheck` suppression, dead links, and `--fix` edits.

Pure: entries and the taxonomy in, `Finding`s and field changes out; no I/O, no
click. The rules are in `rules.py`, the records in `findings.py` (re-exported here).
Only rules whose repair needs no judgement offer a fix (mojibake, a venue typo with a
single suggestion, an `arXiv YYYY.MM` label). An entry's `nocheck` field lists rule ids
to suppress for that entry: suppressed findings stay in the results, marked, and a
`nocheck` that names no rule or suppresses nothing is itself reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from typing import Protocol

from soralit.findings import ERROR, NOTE, RULES, WARNING, Finding, Rule, field_line, found
from soralit.linktargets import BROKEN, OK, Target, Verdict, entry_targets
from soralit.model import LABEL_FIELD, OLD_LABEL_FIELD, Entry, Taxonomy, split_keywords
from soralit.rules import (
    ENTRY_RULES,
    check_categories,
    check_duplicates,
    check_keys,
    taxonomy_lines,
)

__all__ = ["ERROR", "NOTE", "RULES", "WARNING", "Change", "Finding", "Rule", "check_library"]
ONLINE_RULES = frozenset({"dead-link", "blocked-link"})


class LibraryLike(Protocol):
    """What the check reads of a `storage.Library`."""

    @property
    def text(self) -> str: ...
    @property
    def entries(self) -> Sequence[Entry]: ...
    @property
    def taxonomy(self) -> Taxonomy: ...
    @property
    def taxonomy_span(self) -> tuple[int, int] | None: ...


# --- the whole check -----------------------------------------------------------------------


def find_problems(
    entries: Sequence[Entry], taxonomy: Taxonomy, category_lines: Mapping[str, int] = {}
) -> list[Finding]:
    """Every rule's findings (dead-link excepted), before `nocheck` suppression."""
    findings = [f for entry in entries for rule in ENTRY_RULES for f in rule(entry)]
    findings += check_keys(entries)
    findings += check_duplicates(entries)
    findings += check_categories(entries, taxonomy, category_lines)
    return findings


def suppress(
    entries: Sequence[Entry], findings: Iterable[Finding], *, online: bool | Set[str] = False
) -> list[Finding]:
    """Mark what each entry's `nocheck` suppresses; report `nocheck`s that do nothing.

    Sorted by line, then rule. The online rules count as used only for entries whose links
    were tried: all with ONLINE true, those whose keys ONLINE holds when it is a set.
    """
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        wanted.setdefault(entry.key, set()).update(split_keywords(entry.get("nocheck")))
    result = [replace(f, suppressed=f.rule in wanted.get(f.key, ())) for f in findings]
    hits = {(f.key, f.rule) for f in result}
    for entry in entries:
        if "nocheck" not in entry.fields:
            continue
        line = field_line(entry, "nocheck")
        for rule in split_keywords(entry.get("nocheck")):
            if rule not in RULES:
                message = f"nocheck lists {rule}, which is not a rule id"
                result.append(found("bad-nocheck", entry.key, line, message))
            elif (entry.key, rule) not in hits and (
                rule not in ONLINE_RULES or online is True or (online and entry.key in online)
            ):
                message = f"nocheck lists {rule} but the entry has no such problem; remove it"
                result.append(found("bad-nocheck", entry.key, line, message))
    return sorted(result, key=lambda f: (f.line, f.key, f.rule))


def check_library(
    library: LibraryLike, *, extra: Iterable[Finding] = (), online: bool | Set[str] = False
) -> list[Finding]:
    """All findings for a `storage.Library` (plus EXTRA, e.g. dead links), suppression applied."""
    lines = taxonomy_lines(library.text, library.taxonomy_span)
    findings = find_problems(library.entries, library.taxonomy, lines) + list(extra)
    return suppress(library.entries, findings, online=online)


# --- links online and fixes ----------------------------------------------------------------


def online_findings(
    entries: Iterable[Entry], verdicts: Mapping[Target, Verdict]
) -> Iterator[Finding]:
    """dead-link for each broken link or ID of ENTRIES, blocked-link for each one not
    verified, from the VERDICTS on their targets (see `linktargets`)."""
    for entry in entries:
        for name, value, target in entry_targets(entry):
            verdict = verdicts.get(target)
            if verdict is None or verdict.state == OK:
                continue
            line = field_line(entry, name)
            if verdict.state == BROKEN:
                message = f"{name} {value} is gone: {verdict.detail}"
                yield found("dead-link", entry.key, line, message)
            else:
                message = f"{name} {value} could not be verified: {verdict.detail}"
                yield found("blocked-link", entry.key, line, message)


@dataclass(frozen=True)
class Change:
    key: str
    field: str
    old: str
    new: str
    old_field: str = ""  # the field OLD was in, when the change moves it (`venue`)


def plan_fixes(entries: Sequence[Entry], findings: Iterable[Finding]) -> list[Change]:
    """The field changes the unsuppressed findings' fixes make, first fix per field wins.

    Entries whose key is duplicated are left alone: a key cannot say which one to edit.
    """
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.key] = counts.get(entry.key, 0) + 1
    by_key = {e.key: e for e in entries}
    changes: dict[tuple[str, str], Change] = {}
    for finding in findings:
        if finding.suppressed or counts.get(finding.key) != 1:
            continue
        entry = by_key[finding.key]
        for name, value in finding.fix.items():
            moved = name == LABEL_FIELD and entry.label_field() == OLD_LABEL_FIELD
            old = entry.get(OLD_LABEL_FIELD if moved else name)
            if old != value or moved:
                change = Change(finding.key, name, old, value, OLD_LABEL_FIELD if moved else "")
                changes.setdefault((finding.key, name), change)
    return list(changes.values())
