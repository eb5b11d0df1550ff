"""Lint findings: the rule registry and the `Finding` record `soralit check` reports.

Pure records and helpers; the rules live in `rules.py`, the whole check in `check.py`.
Each rule has a stable id and a fixed severity (`RULES`). A finding may carry a `fix`,
the field values that repair it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from soralit import bibtex
from soralit.model import Entry

ERROR, WARNING, NOTE = "error", "warning", "note"  # a note never fails a check


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("duplicate-key", ERROR, "two entries share a citation key"),
        Rule("duplicate-work", ERROR, "the same work twice (arXiv ID, DOI or title)"),
        Rule("no-category", ERROR, "an entry without a category"),
        Rule("unknown-category", ERROR, "a category the taxonomy does not define"),
        Rule("empty-category", WARNING, "a taxonomy category no entry uses"),
        Rule("placeholder-link", ERROR, "a url/code like `link-to-paper`"),
        Rule("bad-link", ERROR, "a url/code that is not a well-formed http(s) URL"),
        Rule("code-not-repo", WARNING, "a code link not on a repository host"),
        Rule("unknown-venue", WARNING, "a venue label not in the known-venue list"),
        Rule("venue-year", WARNING, "a venue label's 'YY differs from `year`"),
        Rule("arxiv-label", ERROR, "an arXiv label that differs from the arXiv ID's date"),
        Rule(
            "old-venue-field",
            WARNING,
            "a label in `venue` (biblatex prints it): move it to `listvenue`",
        ),
        Rule("missing-title", ERROR, "no title"),
        Rule("missing-year", ERROR, "no year"),
        Rule("missing-author", WARNING, "no author"),
        Rule("mojibake", ERROR, "text decoded with the wrong encoding (ftfy)"),
        Rule("unbalanced-braces", ERROR, "a field value whose braces do not balance"),
        Rule("bad-nocheck", WARNING, "a `nocheck` naming no rule, or suppressing nothing"),
        Rule("dead-link", ERROR, "a link or ID that is gone: 404/410, withdrawn (--online)"),
        Rule("blocked-link", NOTE, "a link not verified: 401/403/429, no answer (--online)"),
    )
}


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, where (entry key and file line), and how to fix it."""

    rule: str
    severity: str
    key: str
    line: int
    message: str
    fix: Mapping[str, str] = field(default_factory=dict, hash=False)
    suppressed: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "fix", MappingProxyType(dict(self.fix)))

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "fix": dict(self.fix)}


def found(rule: str, key: str, line: int, message: str, fix: Mapping[str, str] = {}) -> Finding:
    """A finding of RULE with the rule's severity."""
    return Finding(rule, RULES[rule].severity, key, line, message, fix)


def field_line(entry: Entry, name: str) -> int:
    """The file line where field NAME of ENTRY starts (the entry's line if unknown)."""
    try:
        spans, _ = bibtex.scan_fields(entry.raw)
    except bibtex.EntryTextError:
        return entry.line
    start = next((s.start for s in spans if s.name == name), 0)
    return entry.line + entry.raw.count("\n", 0, start)


def excerpt(old: str, new: str) -> tuple[str, str]:
    """The words where OLD and NEW differ (a whole value when it is short)."""
    if len(old) <= 40:
        return old, new
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    start = old.rfind(" ", 0, head) + 1
    return old[start : _word_end(old, len(old) - tail)], new[
        start : _word_end(new, len(new) - tail)
    ]


def _word_end(value: str, pos: int) -> int:
    end = value.find(" ", pos)
    return len(value) if end < 0 else end
