"""Inline Markdown: the links in a line and the plain text a reader sees.

Pure. Works on one line (a list item or a table cell); knows nothing of headings,
entries or BibTeX. `markdown_to_text` undoes what `render.markdown.escape` does, and
also removes emphasis, code spans and HTML entities written by hand.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# A link label may hold escapes, code spans and one level of brackets (`[[paper]]`,
# `[![Paper](badge.svg)]`); a destination may hold one level of parentheses.
_LABEL = r"(?:\\.|`[^`\n]*`|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*"
_TARGET = r"<[^<>\n]*>|(?:\\.|[^\s()\\]|\((?:\\.|[^\s()\\])*\))*"
_LINK = re.compile(
    rf"(?P<bang>!?)\[(?P<label>{_LABEL})\]\(\s*(?P<target>{_TARGET})"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
# Escapes and code spans are consumed first, so `\[a](b)` and `` `[a](b)` `` are no links.
_INLINE = re.compile(r"\\.|(?P<ticks>`+).*?(?P=ticks)|" + _LINK.pattern)
_IMAGE = re.compile(rf"!\[(?P<alt>{_LABEL})\]\([^)]*\)")
# Text that Markdown shows literally: code spans, backslash escapes, entities.
_LITERAL = re.compile(
    r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)"
    r"|\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
)
_EMPHASIS = (
    re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1"),
    # `_` emphasis never starts or ends inside a word (`snake_case_name` stays as is).
    re.compile(r"(?<![^\W_])(_{1,3})(?=\S)(.+?)(?<=\S)\1(?![^\W_])"),
    re.compile(r"(~~)(?=\S)(.+?)(?<=\S)\1"),
)
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co")


@dataclass(frozen=True)
class Link:
    """One `[label](target)` in a line: the label's plain text and its span."""

    label: str
    target: str
    start: int
    end: int

    @property
    def is_http(self) -> bool:
        parts = urlsplit(self.target)
        return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)

    @property
    def is_code_host(self) -> bool:
        host = (urlsplit(self.target).hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in CODE_HOSTS)


def find_links(line: str) -> list[Link]:
    """The links in `line`, in order. Bare images are not links; a linked image
    (`[![Paper](badge.svg)](url)`) is, with the image's alt text as its label."""
    links = []
    for match in _INLINE.finditer(line):
        if match["label"] is None or match["bang"]:
            continue
        label = _IMAGE.sub(lambda m: m["alt"], match["label"])
        links.append(Link(markdown_to_text(label), _target(match["target"]), *match.span()))
    return links


def strip_images(line: str) -> str:
    """`line` without images and linked images (badges, logos)."""
    line = _LINK.sub(lambda m: "" if _IMAGE.fullmatch(m["label"].strip()) else m.group(), line)
    return _IMAGE.sub("", line)


def _target(raw: str) -> str:
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw)).strip()


def markdown_to_text(markdown: str) -> str:
    """The text a reader sees: emphasis markers, escapes and entities resolved,
    whitespace collapsed. `**A \\* B** &amp; C` -> `A * B & C`."""
    literals: list[str] = []
    # Literal pieces are parked behind a private-use sentinel absent from the input, so
    # that an escaped `\*` can never pair up as emphasis.
    sentinel = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in markdown)

    def park(match: re.Match[str]) -> str:
        if match["code"] is not None:
            literals.append(match["code"])
        elif match["escaped"] is not None:
            literals.append(match["escaped"])
        else:
            literals.append(html.unescape(match["entity"]))
        return sentinel + chr(0x10000 + len(literals) - 1)

    text = _LITERAL.sub(park, markdown)
    changed = True
    while changed:  # nested emphasis (`**a *b* c**`) comes off one layer per pass
        before = text
        for pattern in _EMPHASIS:
            text = pattern.sub(r"\2", text)
        changed = text != before
    text = re.sub(
        re.escape(sentinel) + r"(.)", lambda m: literals[ord(m[1]) - 0x10000], text, flags=re.S
    )
    return " ".join(text.split())
