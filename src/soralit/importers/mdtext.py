"""Inline Markdown as a reader sees it: the plain text of a line, and its links.

Pure, on `mdtokens` (markdown-it-py). `markdown_to_text` undoes what
`render.markdown.escape` does, and also resolves emphasis, code spans and entities.
"""

from __future__ import annotations

from dataclasses import dataclass

from soralit.importers.mdtokens import inline_pieces, plain_text


@dataclass(frozen=True)
class Link:
    """One link of a line: its label's plain text and its destination as written."""

    label: str
    target: str


def find_links(line: str) -> list[Link]:
    """The links in LINE, in order (a linked image's label is its alt text)."""
    return [Link(p.text, p.href) for p in inline_pieces(line) if p.kind == "link"]


def markdown_to_text(markdown: str) -> str:
    """The text a reader sees, whitespace collapsed. `**A \\* B** &amp; C` -> `A * B & C`."""
    return plain_text(inline_pieces(markdown))
