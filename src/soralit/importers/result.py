"""What an import finds: problems, notes, the result, and the working records.

Pure data, shared by `importers.markdown` (reading) and `importers.region` (building).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from soralit import model
from soralit.importers.draft import Draft
from soralit.importers.mdtokens import Block
from soralit.importers.outline import Node


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based
    text: str  # the line, stripped
    reason: str


@dataclass(frozen=True)
class Note:
    """Markdown the README has inside the list that is not an entry, kept in place:
    under the heading of category `slug`, before the entry whose key is `before`
    (`^`: before the category's entries; '': after them)."""

    slug: str
    before: str
    text: str


@dataclass(frozen=True)
class ImportResult:
    taxonomy: model.Taxonomy
    entries: tuple[model.Entry, ...]
    problems: tuple[Problem, ...]
    skipped: tuple[Problem, ...] = ()  # items with links not read as papers
    region: tuple[int, int] | None = None  # 0-based [start, end) lines for the markers
    entry_lines: frozenset[int] = frozenset()  # 0-based lines read as entries


@dataclass
class Candidate:
    """A block that may be an entry, as read."""

    block: Block
    node: Node
    draft: Draft | None
    reasons: list[str]
    entry: bool
    why_not: str = ""  # why an item with links is not an entry
    slug: str = ""
    work: Any = None  # the `region` work it became
    key: str = ""


@dataclass
class ReadState:
    lines: list[str]
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def problem(self, line: int, reason: str) -> None:
        self.problems.append(Problem(line + 1, self.lines[line].strip(), reason))


def within(node: Node | None, ancestor: Node) -> bool:
    """True when NODE is ANCESTOR or below it."""
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False
