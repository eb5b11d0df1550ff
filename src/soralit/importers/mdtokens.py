"""Markdown through markdown-it-py: the blocks of a README and the pieces of a line.

Pure. markdown-it-py (CommonMark, plus GFM tables and strikethrough) does the reading:
escapes, entities, code spans, nested brackets, link destinations and emphasis are
resolved as GitHub resolves them. This module turns its tokens into what the importer
works with: `Block`s (headings, list items, paragraphs, table rows, HTML...) with their
0-based line spans, and each block's inline content as flat `Piece`s (text with its
emphasis, links, images, code, breaks). It knows nothing of papers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

# GitHub links bare URLs; CommonMark alone does not (its linkify needs another package).
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]|\"'`]+[^\s<>()\[\]|\"'`.,;:!?*_]")
_BREAK_TAG = re.compile(r"(?i)^<br\s*/?>$")
_ANCHOR = re.compile(r"""(?is)^<a\s[^>]*?href\s*=\s*["']?([^"'\s>]+)""")
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Piece:
    """One piece of inline content.

    kind: `text`, `link`, `image` (not inside a link), `code`, `html` or `break`.
    text: the text shown (a link's label, with images by their alt text; the break's
    `\\n` or, between two paragraphs of a list item, `\\n\\n`).
    """

    kind: str
    text: str
    href: str = ""  # links: the destination as written; images: the source
    strong: bool = False
    em: bool = False
    badge: bool = False  # a link whose label is only an image
    literal: bool = False  # text opening with an escaped character (`\\(Almost)`, `&lt;`)


@dataclass(frozen=True)
class Block:
    """A block of the document. kind: `heading`, `item` (a list item's own text, nested
    lists apart), `paragraph`, `row` (a table row; the header row has `header`), `html`,
    `code`, `rule` or `quote`. Lines are 0-based, `end` exclusive."""

    kind: str
    start: int
    end: int
    pieces: tuple[Piece, ...] = ()
    level: int = 0  # headings: 1-6; items: list nesting depth (1 = top level)
    cells: tuple[tuple[Piece, ...], ...] = ()  # rows: each cell's pieces
    header: bool = False
    source: str = ""  # headings: the heading's own Markdown, as written
    outer: int = 0  # items: the end of the item with its nested lists (else `end`)


@cache
def parser() -> Any:
    """The markdown-it parser: CommonMark with HTML, GFM tables and strikethrough."""
    from markdown_it import MarkdownIt

    class Reader(MarkdownIt):
        # Link targets are data: keep them as written (no percent-encoding), and let
        # every scheme through, so that a `javascript:` link is reported, not read as text.
        def normalizeLink(self, url: str) -> str:
            return url

        def normalizeLinkText(self, link: str) -> str:
            return link

        def validateLink(self, url: str) -> bool:
            return True

    md = Reader("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.disable("text_join")  # escaped characters stay apart: `\\(` opens no label
    return md


def read_blocks(markdown: str) -> list[Block]:
    """The blocks of MARKDOWN in document order (nested list items after their parent)."""
    lines = markdown.splitlines()
    tokens = parser().parse(markdown)
    blocks: list[Block] = []
    _Walker(tokens, lines, blocks).walk(0, len(tokens), depth=0)
    blocks.sort(key=lambda b: (b.start, b.kind != "heading"))
    return blocks


class _Walker:
    def __init__(self, tokens: list[Any], lines: list[str], out: list[Block]) -> None:
        self.tokens, self.lines, self.out = tokens, lines, out

    def walk(self, i: int, stop: int, *, depth: int) -> None:
        """Blocks from tokens[i:stop] (one nesting level)."""
        while i < stop:
            token = self.tokens[i]
            close = self.closing(i)
            if token.type == "heading_open":
                self.heading(i)
            elif token.type == "list_item_open":
                self.item(i, close, depth + 1)
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                self.walk(i + 1, close, depth=depth)
            elif token.type == "paragraph_open":
                self.add("paragraph", token.map, pieces(self.tokens[i + 1].children or []))
            elif token.type == "table_open":
                self.table(i, close)
            elif token.type == "html_block":
                self.add("html", token.map)
            elif token.type in ("fence", "code_block"):
                self.add("code", token.map)
            elif token.type == "hr":
                self.add("rule", token.map)
            elif token.type == "blockquote_open":
                self.add("quote", token.map)
            i = close + 1

    def closing(self, i: int) -> int:
        """Index of the token closing tokens[i] (itself when it opens nothing)."""
        if self.tokens[i].nesting != 1:
            return i
        level, j = self.tokens[i].level, i + 1
        while not (self.tokens[j].nesting == -1 and self.tokens[j].level == level):
            j += 1
        return j

    def add(
        self, kind: str, span: list[int] | None, found: tuple[Piece, ...] = (), **more: Any
    ) -> None:
        start, end = span or (0, 0)
        end = self.trimmed(start, end)
        more.setdefault("outer", end)
        self.out.append(Block(kind, start, end, found, **more))

    def trimmed(self, start: int, end: int) -> int:
        """END moved up past trailing blank lines."""
        while end > start + 1 and not self.lines[end - 1].strip():
            end -= 1
        return end

    def heading(self, i: int) -> None:
        inline = self.tokens[i + 1]
        self.add(
            "heading",
            self.tokens[i].map,
            pieces(inline.children or []),
            level=int(self.tokens[i].tag[1]),
            source=inline.content,
        )

    def item(self, i: int, close: int, depth: int) -> None:
        """The item's own paragraphs as one block; its nested lists as blocks of their own."""
        start, end = self.tokens[i].map
        outer = self.trimmed(start, end)
        own: list[Piece] = []
        j = i + 1
        while j < close:
            token = self.tokens[j]
            after = self.closing(j)
            if token.type in ("bullet_list_open", "ordered_list_open"):
                end = min(end, token.map[0])
                self.walk(j + 1, after, depth=depth)
            elif token.type == "paragraph_open":
                if own:
                    own.append(Piece("break", PARAGRAPH_BREAK))
                own.extend(pieces(self.tokens[j + 1].children or []))
            elif token.type == "table_open":
                end = min(end, token.map[0])
                self.table(j, after)
            j = after + 1
        self.add("item", [start, end], tuple(own), level=depth, outer=outer)

    def table(self, i: int, close: int) -> None:
        row: list[tuple[Piece, ...]] = []
        span, header = None, False
        for token in self.tokens[i:close]:
            if token.type == "tr_open":
                row, span = [], token.map
            elif token.type == "thead_open":
                header = True
            elif token.type == "tbody_open":
                header = False
            elif token.type == "inline":
                row.append(pieces(token.children or []))
            elif token.type == "tr_close":
                self.add("row", span, cells=tuple(row), header=header)


def pieces(children: list[Any]) -> tuple[Piece, ...]:
    """Flat pieces from an inline token's children."""
    out: list[Piece] = []
    depth = {"strong": 0, "em": 0}
    link: list[Any] | None = None  # the label tokens of an open link
    href = ""
    for token in children:
        kind = token.type
        style = {"strong": depth["strong"] > 0, "em": depth["em"] > 0}
        if link is not None:
            if kind == "link_close":
                out.append(_link(href, link, **style))
                link = None
            else:
                link.append(token)
        elif kind == "link_open":
            link, href = [], token.attrs.get("href", "")
        elif kind.endswith(("_open", "_close")) and kind.split("_")[0] in depth:
            depth[kind.split("_")[0]] += 1 if kind.endswith("_open") else -1
        else:
            out.extend(_piece(token, style))
    return _merge_text(_join_anchors(out))


def _piece(token: Any, style: dict[str, bool]) -> list[Piece]:
    """The pieces of one inline token other than a link or emphasis."""
    kind = token.type
    strong, em = style["strong"], style["em"]
    if kind == "text":
        return _text(token.content, strong=strong, em=em)
    if kind == "text_special":
        literal = token.info in ("escape", "entity")
        return [Piece("text", token.content, strong=strong, em=em, literal=literal)]
    if kind == "code_inline":
        return [Piece("code", token.content, strong=strong, em=em)]
    if kind in ("softbreak", "hardbreak"):
        return [Piece("break", "\n")]
    if kind == "image":
        return [Piece("image", token.content, token.attrs.get("src", ""))]
    if kind == "html_inline":
        return [_html(token.content)]
    return []


def _merge_text(found: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """Adjacent text pieces of the same emphasis as one (an escape starts a new one)."""
    out: list[Piece] = []
    for piece in found:
        last = out[-1] if out else None
        if (
            last is not None
            and piece.kind == last.kind == "text"
            and not piece.literal
            and (last.strong, last.em) == (piece.strong, piece.em)
        ):
            out[-1] = Piece(
                "text", last.text + piece.text, strong=last.strong, em=last.em, literal=last.literal
            )
        else:
            out.append(piece)
    return tuple(out)


def _link(href: str, label: list[Any], *, strong: bool, em: bool) -> Piece:
    texts, images = [], 0
    for token in label:
        if token.type in ("text", "text_special", "code_inline"):
            texts.append(token.content)
        elif token.type == "image":
            texts.append(token.content)
            images += 1
        strong = strong or token.type == "strong_open"
        em = em or token.type == "em_open"
    shown = "".join(texts)
    only_images = images > 0 and all(
        t.type in ("image", "softbreak") or not t.content.strip()
        for t in label
        if t.type != "image"
    )
    return Piece("link", shown, href, strong=strong, em=em, badge=only_images)


def _text(content: str, *, strong: bool, em: bool) -> list[Piece]:
    """Text, with bare http(s) URLs made links (as GitHub shows them)."""
    found, at = [], 0
    for match in _BARE_URL.finditer(content):
        if match.start() > at:
            found.append(Piece("text", content[at : match.start()], strong=strong, em=em))
        found.append(Piece("link", match.group(), match.group(), strong=strong, em=em))
        at = match.end()
    if at < len(content):
        found.append(Piece("text", content[at:], strong=strong, em=em))
    return found


def _html(raw: str) -> Piece:
    if _BREAK_TAG.match(raw.strip()):
        return Piece("break", "\n")
    return Piece("html", raw)


def _join_anchors(found: list[Piece]) -> tuple[Piece, ...]:
    """`<a href="u">label</a>` as one link piece, as `[label](u)` would be."""
    out: list[Piece] = []
    i = 0
    while i < len(found):
        piece = found[i]
        anchor = _ANCHOR.match(piece.text) if piece.kind == "html" else None
        end = next(
            (
                j
                for j in range(i + 1, len(found))
                if found[j].kind == "html" and found[j].text.strip().lower() == "</a>"
            ),
            None,
        )
        if anchor and end is not None:
            label = "".join(
                p.text for p in found[i + 1 : end] if p.kind in ("text", "code", "image")
            )
            out.append(Piece("link", label, anchor[1]))
            i = end + 1
            continue
        out.append(piece)
        i += 1
    return tuple(out)


def inline_pieces(markdown: str) -> tuple[Piece, ...]:
    """The pieces of one line of inline Markdown."""
    tokens = parser().parseInline(markdown)
    return pieces(tokens[0].children or []) if tokens else ()


def plain_text(found: Sequence[Piece]) -> str:
    """The text a reader sees, whitespace collapsed (images by their alt text)."""
    return " ".join("".join(p.text for p in found if p.kind != "html").split())
