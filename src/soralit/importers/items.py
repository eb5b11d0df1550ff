"""One paper as an awesome list writes it: the pieces of an item -> a `Draft`.

Pure. `read_item` reads the inline pieces (`mdtokens.Piece`) of a list item, a paragraph
entry or a table's title cell: leading labels (`[CVPR'23]`, `[2023/04]`, `[**ACRONYM**]`,
`Paper:`), the title (a link's label, bold or italic text, a quoted string, or the text
before the first link), then whatever follows: links by role (`links`), and text read
by `labels` as a venue, a date or authors (`draft.Found`); what none of those is becomes
the note. `draft.draft_fields` turns the draft into BibTeX fields.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from soralit import model, text
from soralit.importers import links
from soralit.importers.draft import (
    Draft,
    Found,
    add_title_link,
    draft_fields,
    make_draft,
    read_cell,
)
from soralit.importers.mdtokens import Piece

__all__ = ["LITERAL", "Cell", "Draft", "clean_title", "draft_fields", "read_item"]

_SEPARATORS = " \t-–—|:,;"
# An emoji shortcode (`:star:`) a renderer would draw; an escaped colon starts none.
_SHORTCODE = re.compile(r"(?<![\ue000\w]):[a-z][a-z0-9_+\-]*:(?!\w)")
# A quoted title (`"Title", ICCV, 2019`); an escaped quote (after LITERAL) is no quote.
_QUOTED = re.compile(r"(?<!\ue000)[\"“](?P<title>[^\"“”]{3,}?)[\"”](?=\s*(?:[,.;]|$))")
_ORG = re.compile(r"\s*\(@(?P<org>[^()]+)\)\s*$")
_LABEL_PREFIX = re.compile(r"(?i)^\s*(?:paper(?:\s+title)?|title)\s*[:：]\s*")
# Marks a character that was escaped in the Markdown (`\\[`, `&lt;`) while a title is
# cleaned: it is the title's own, never a bracket or a separator to trim.
LITERAL = "\ue000"
_ROLE_ONLY = links.PAPER_WORDS | links.CODE_WORDS | {"project", "page", "website", "demo"}


Cell = tuple[str, str, Sequence[Piece]]  # (role, column header, the cell's pieces)


def read_item(found: Sequence[Piece], cells: Sequence[Cell] = ()) -> tuple[Draft | None, list[str]]:
    """The draft in an item's pieces, and reasons for problems (a link left out...).

    CELLS are a table row's other columns: role `venue`, `date`, `venue-date`, `paper`,
    `code`, `other` (links), or `note` (text kept as `Header: text` in the note).
    """
    pieces = [p for p in found if p.kind != "image"]  # unlinked images are decoration
    state = Found()
    at = _skip_decoration(pieces, 0, state)
    at = _leading_labels(pieces, at, state)
    at = _skip_decoration(pieces, at, state)
    title, title_link, styled, at = _title(pieces, at, state)
    _rest(pieces, at, state)
    for role, header, cell in cells:
        read_cell(role, header, cell, state)
    title = clean_title(title, state, styled=styled)
    if model.slugify(title) in _LINK_WORDS:  # `- Paper  https://arxiv.org/...`: a label
        return None, [f"{title!r} is a link's label, not a title; not imported", *state.reasons]
    if not title:
        return None, ["no title found; not imported", *state.reasons]
    if title_link:
        add_title_link(title_link, state)
    draft = make_draft(title, state, styled=styled)
    return dataclasses.replace(draft, title_link=title_link), state.reasons


# Words that label a link (`Paper: url`, `[Code](url)`); alone, they are no paper's title.
_LINK_WORDS = frozenset(
    re.split(
        r"\s+",
        "paper papers pdf arxiv code github project project-page homepage page website demo "
        "video slides poster link links abstract abs",
    )
)


def _skip_decoration(pieces: list[Piece], at: int, state: Found) -> int:
    """Past badges, breaks and emoji before the title (badge links are kept as links)."""
    while at < len(pieces):
        piece = pieces[at]
        if piece.kind == "link" and piece.badge:
            state.add_link(piece.text, piece.href)
        elif piece.kind in ("break", "html"):
            pass
        elif piece.kind == "text" and not piece.literal:
            rest = _SHORTCODE.sub("", piece.text)
            start = 0
            while start < len(rest) and _decoration(rest[start]):
                start += 1
            if rest[start:].strip():
                pieces[at] = _with_text(piece, rest[start:])
                return at
        else:
            return at
        at += 1
    return at


def _decoration(char: str) -> bool:
    """Emoji, symbols and spaces that lists put before a title (not brackets or quotes)."""
    import unicodedata

    return char in " \t" or (
        ord(char) > 127 and unicodedata.category(char) in ("So", "Sk", "Cf", "Mn", "Me", "Zs")
    )


def _leading_labels(pieces: list[Piece], at: int, state: Found) -> int:
    """`[CVPR'23]`, `(*CVPR'23*)`, `**[R-CNN]**`, `[2023/04]`, `Paper:` before the title."""
    while at < len(pieces):
        piece = pieces[at]
        if piece.kind != "text":
            return at
        stripped = _LABEL_PREFIX.sub("", piece.text, count=1)
        if stripped != piece.text:
            pieces[at] = _with_text(piece, stripped)
            continue
        whole = re.fullmatch(r"\s*\[([^\[\]]+)\]\s*", piece.text)
        if (piece.strong or piece.em) and whole and state.add_label(whole[1]):
            at += 1
            continue
        opened = piece.text.lstrip()
        if opened[:1] not in ("[", "(") or piece.literal:
            return at
        end = _label_end(pieces, at)
        if end is None:
            return at
        last, offset, label, strong = end
        if not state.add_label(label, strong=strong):
            return at
        rest = pieces[last].text[offset:]
        pieces[last] = _with_text(pieces[last], rest)
        at = last if rest.strip() else last + 1
    return at


def _label_end(pieces: list[Piece], at: int) -> tuple[int, int, str, bool] | None:
    """Where the bracket opening pieces[at] closes: (piece index, offset after the
    closing bracket, the label's text, whether it is bold), across emphasis; None at a
    link or a break."""
    opening = pieces[at].text.lstrip()[0]
    closing = "]" if opening == "[" else ")"
    depth, label = 0, []
    strong = any(p.strong for p in pieces[at + 1 : at + 2])
    for j in range(at, len(pieces)):
        piece = pieces[j]
        if piece.kind not in ("text", "code"):
            return None
        start = len(piece.text) - len(piece.text.lstrip()) + 1 if j == at else 0
        if j == at:
            depth = 1
        for k in range(start, len(piece.text)):
            char = piece.text[k]
            depth += (char == opening) - (char == closing)
            if depth == 0:
                label.append(piece.text[start:k])
                return j, k + 1, "".join(label), strong
        label.append(piece.text[start:])
    return None


def _title(pieces: list[Piece], at: int, state: Found) -> tuple[str, str, bool, int]:
    """(title, its link, styled, index after it)."""
    if at >= len(pieces):
        return "", "", False, at
    piece = pieces[at]
    if piece.kind == "link" and _titled(piece):
        return piece.text, piece.href, True, at + 1
    if piece.kind in ("text", "code") and (piece.strong or piece.em):
        run, end = _styled_run(pieces, at)
        following = pieces[end] if end < len(pieces) else None
        if _acronym_before(run, following) and not state.short:
            state.short = run.strip(" :")
            if following is not None and following.kind == "text":
                pieces[end] = _with_text(following, following.text.lstrip(" :-–—"))
            return _title(pieces, end, state)
        return run, "", True, end
    if piece.kind in ("text", "code"):
        return _plain_title(pieces, at, state)
    return "", "", False, at


def _titled(piece: Piece) -> bool:
    """A link whose label can be a title: words, not `[Paper]` or a bare URL."""
    label = piece.text.strip()
    if piece.badge or not any(c.isalnum() for c in label) or label.startswith("http"):
        return False
    return model.slugify(label).replace("-", "") not in _ROLE_ONLY and not (
        set(model.slugify(label).split("-")) <= _ROLE_ONLY
    )


def _styled_run(pieces: list[Piece], at: int) -> tuple[str, int]:
    """The text of the bold (or italic) run starting at pieces[at], and its end."""
    strong = pieces[at].strong
    parts, end = [], at
    while end < len(pieces):
        piece = pieces[end]
        same = piece.strong if strong else piece.em
        if piece.kind not in ("text", "code") or not same:
            break
        parts.append(_shown(piece))
        end += 1
    return "".join(parts), end


def _acronym_before(run: str, following: Piece | None) -> bool:
    """`**SASA**: "Title"` or `**LR-Net**: [Title](url)`: a short bold name, then the title."""
    name = run.strip(" :")
    if not name or len(name) > 30 or len(name.split()) > 3 or following is None:
        return False
    if following.kind == "link":
        return _titled(following) and run.rstrip().endswith(":")
    if following.kind != "text":
        return False
    after = following.text
    return bool(re.match(r"^\s*[:\-–—]?\s*[\"“]", after)) or (
        (run.rstrip().endswith(":") or after.lstrip().startswith(":"))
        and len(after.strip(" :")) > 0
    )


def _plain_title(pieces: list[Piece], at: int, state: Found) -> tuple[str, str, bool, int]:
    parts, end = [], at
    while (
        end < len(pieces)
        and pieces[end].kind in ("text", "code")
        and not (pieces[end].strong or pieces[end].em)
    ):
        parts.append(_shown(pieces[end]))
        end += 1
    words = "".join(parts)
    quoted = _QUOTED.search(words)
    before = words[: quoted.start()] if quoted else ""
    if quoted and (
        not before.strip(_SEPARATORS)
        or (re.fullmatch(r"\s*[\w.+-]{1,30}\s*[:\-–—]\s*", before) is not None)
    ):  # `"Title", Venue` or `ACRONYM: "Title"`
        before = before.strip(_SEPARATORS + "*")
        if before and not state.short:
            state.short = before
        _push_back(pieces, end, words[quoted.end() :].replace(LITERAL, ""))
        return quoted["title"], "", True, end
    following = pieces[end] if end < len(pieces) else None
    short = words.strip(_SEPARATORS)
    if (
        following is not None
        and following.kind == "link"
        and _titled(following)
        and short
        and len(short.split()) <= 3
        and words.rstrip()[-1:] in "-–—:|"
    ):
        state.short = state.short or short
        return following.text, following.href, True, end + 1
    if " | " in words:
        head, _, tail = words.partition(" | ")
        _push_back(pieces, end, tail.replace(LITERAL, ""))
        return head, "", False, end
    if (
        following is not None
        and (following.em or following.strong)
        and words.rstrip().endswith(".")
    ):
        return words.rstrip()[:-1], "", False, end  # `Title. *Venue*, 2023.`
    return words, "", False, end


def _shown(piece: Piece) -> str:
    """A piece's text, an escaped first character marked `LITERAL`."""
    return LITERAL + piece.text if piece.literal and piece.text else piece.text


def _push_back(pieces: list[Piece], at: int, rest: str) -> None:
    if rest.strip():
        pieces.insert(at, Piece("text", rest))


def _with_text(piece: Piece, new: str) -> Piece:
    return Piece(piece.kind, new, piece.href, piece.strong, piece.em, piece.badge, piece.literal)


def _rest(pieces: list[Piece], at: int, state: Found) -> None:
    """Links and text after the title."""
    run: list[Piece] = []

    def flush() -> None:
        if run:
            state.add_text(
                "".join(p.text for p in run),
                emphasised=run[0].em or run[0].strong,
                strong=run[0].strong,
            )
            run.clear()

    for piece in pieces[at:]:
        if piece.kind == "link":
            flush()
            state.add_link(piece.text, piece.href)
        elif piece.kind == "text" and (
            not run or (run[0].em, run[0].strong) == (piece.em, piece.strong)
        ):
            run.append(piece)
        elif piece.kind in ("text", "code"):
            flush()
            run.append(piece)
            if piece.kind == "code":
                flush()
        else:
            flush()
    flush()


def clean_title(title: str, state: Found, *, styled: bool = True) -> str:
    """The title without emoji or separators at its ends, wrapping quotes,
    `:shortcodes:` or an `(@Organisation)` (which goes to the note); a bold, linked or
    quoted title (STYLED) without its trailing period. Escaped characters stay."""
    title = " ".join(_SHORTCODE.sub("", title).split())
    org = _ORG.search(title)
    if org:
        state.notes.insert(0, "@" + org["org"])
        title = title[: org.start()]
    start, end = 0, len(title)
    while start < end and _trimmed(title, start, "(["):
        start += 1
    while end > start and _trimmed(title, end - 1, ")]"):
        end -= 1
    title = title[start:end]
    if styled and len(title) > 2 and title[:1] + title[-1:] in ('""', "“”", "''"):
        title = title[1:-1].strip()
    if styled and title.endswith(".") and not title.endswith(("..", "al.", "etc.")):
        title = title[:-1].rstrip()
    title = text.fix_mojibake(title.replace(LITERAL, ""))
    return title.strip()


def _trimmed(title: str, at: int, keep: str) -> bool:
    """True when title[at] is decoration at an end of the title (KEEP: the brackets and
    quotes that end belongs to): a separator, an emoji or other symbol, a bracket
    facing away, a stray `*` or `_`. Escaped characters are the title's own."""
    import unicodedata

    char = title[at]
    if char == LITERAL or (at > 0 and title[at - 1] == LITERAL):
        return False
    if char in _SEPARATORS or char in "*_~" or (char in "[]()" and char not in keep):
        return True
    return ord(char) > 127 and unicodedata.category(char) in ("So", "Sk", "Mn", "Me", "Zs")
