"""The outline of a README: its headings as a tree, and which subtree is the paper list.

Pure. `build_outline` nests the headings by level (a `#` after `###` closes both) and
gives each node the blocks written directly under it; a heading with no words in it (a
`##` line used as a separator) is one of those blocks, not a node. `find_list` picks the node that
holds the list: named by `--under`, or else found by going down from the top while one
child holds every entry. Sections a README keeps beside its list (news, citation,
contributing...) are never part of it. (A table of contents may be: some lists write
their categories as its sub-headings.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from soralit import model, text
from soralit.errors import UsageProblem
from soralit.importers.mdtokens import Block, Piece

_OPENERS, _CLOSERS = "([“‘\"'¿¡", ")]”’\"'?!."
# Slugs of headings that are never part of the list, whatever they hold.
_ASIDE = re.compile(
    r"^(?:\d+-)?(?:news|latest-news|recent-news|updates?|recent-updates|latest-updates|"
    r"update-log|changelog|change-log|citation|citations|cite|how-to-cite|cite-us|bibtex|"
    r"contribut\w*|how-to-contribute|acknowledg\w*|star-history|stargazers|license|"
    r"contact|contact-us|todo|to-do)$"
)


@dataclass(eq=False)
class Node:
    """A heading (or the document itself, level 0) with what is written under it."""

    level: int
    name: str
    heading: Block | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # directly under it, in order

    @property
    def line(self) -> int:
        """0-based line of the heading (-1 for the document)."""
        return self.heading.start if self.heading else -1

    @property
    def aside(self) -> bool:
        """A news, citation, contents... section: beside the list, never in it."""
        return bool(_ASIDE.match(model.slugify(self.name)))

    def walk(self) -> Iterator[Node]:
        """This node and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def end(self, length: int) -> int:
        """0-based line after the node's subtree."""
        node: Node | None = self
        while node is not None and node.parent is not None:
            siblings = node.parent.children
            at = siblings.index(node)
            if at + 1 < len(siblings):
                return siblings[at + 1].line
            node = node.parent
        return length


def build_outline(blocks: list[Block]) -> Node:
    """The heading tree; every other block goes to the node it is written under."""
    root = Node(0, "")
    stack = [root]
    for block in blocks:
        name = heading_name(block.pieces) if block.kind == "heading" else ""
        if name:  # a heading with no words (`##` alone, emoji only) is text under the last
            while stack[-1].level >= block.level:
                stack.pop()
            node = Node(block.level, name, block, stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
        else:
            stack[-1].blocks.append(block)
    return root


def heading_name(pieces: str | tuple[Piece, ...] | list[Piece]) -> str:
    """Display name of a heading (its Markdown, or its pieces): links by their label,
    images, badges, HTML and braces left out, and the emoji or punctuation at either end
    removed (`🎬 **Movie**:` -> Movie)."""
    if isinstance(pieces, str):
        from soralit.importers.mdtokens import inline_pieces

        pieces = inline_pieces(pieces)
    kept = [p for p in pieces if p.kind in ("text", "code", "link") and not p.badge]
    # A `[back to top](#contents)` link is no part of the name, unless it is all of it.
    words = [p for p in kept if not (p.kind == "link" and p.href.startswith("#"))]
    shown = "".join(p.text for p in (words if plain_words(words) else kept))
    shown = re.sub(r"[(\[]\s*[)\]]", "", shown)  # brackets left empty
    name = text.fix_mojibake(" ".join(shown.split())).replace("{", "").replace("}", "")
    start, end = 0, len(name)
    while start < end and not (name[start].isalnum() or name[start] in _OPENERS):
        start += 1
    while end > start and not (name[end - 1].isalnum() or name[end - 1] in _CLOSERS):
        end -= 1
    return name[start:end]


def plain_words(pieces: list[Piece]) -> bool:
    return any(c.isalnum() for p in pieces for c in p.text)


def find_list(root: Node, holds: Callable[[Node], int], under: str | None) -> Node:
    """The node that holds the list. HOLDS(node) counts the entries in a subtree.

    Raises `UsageProblem` when UNDER names no heading of the document.
    """
    if under is not None:
        return _named(root, under)
    node = root
    while True:
        direct = holds(node) - sum(holds(c) for c in node.children if not c.aside)
        children = [c for c in node.children if not c.aside]
        holders = [c for c in children if holds(c)]
        # A stray entry or two above the list (a survey link in the intro) do not make
        # the README's head part of it.
        if direct > max(2, holds(node) // 20) or len(holders) != 1:
            return node
        only = holders[0]
        inner = [c for c in only.children if not c.aside and holds(c)]
        if not inner and len(children) > 1:
            return node  # a category holding every entry: its parent is the list
        node = only


def _named(root: Node, under: str) -> Node:
    wanted = model.slugify(under)
    for node in root.walk():
        if node.heading is not None and wanted and model.slugify(node.name) == wanted:
            return node
    names = ", ".join(repr(n.name) for n in root.walk() if n.heading is not None) or "none"
    raise UsageProblem(f"No heading {under!r} in the Markdown (headings: {names}).")
