"""One paper as an awesome list writes it: the pieces of an item -> a `Draft`.

Pure. `read_item` reads the inline pieces (`mdtokens.Piece`) of a list item, a paragraph
entry or a table's title cell: leading labels (`[CVPR'23]`, `[2023/04]`, `[**ACRONYM**]`,
`Paper:`), the title (a link's label, bold or italic text, a quoted string, or the text
before the first link), then whatever follows: links by role (`links`), and text read
by `labels` as a venue, a date or authors; what none of those is becomes the note.
`draft_fields` turns a draft into BibTeX fields (docs/library-format.md).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from soralit import model, text
from soralit.importers import labels, links
from soralit.importers.mdtokens import Piece

_SEPARATORS = " \t-–—|:,;"
# An emoji shortcode (`:star:`) a renderer would draw; an escaped colon starts none.
_SHORTCODE = re.compile(r"(?<![\ue000\w]):[a-z][a-z0-9_+\-]*:(?!\w)")
# A quoted title (`"Title", ICCV, 2019`); an escaped quote (after LITERAL) is no quote.
_QUOTED = re.compile(r"(?<!\ue000)[\"“](?P<title>[^\"“”]{3,}?)[\"”](?=\s*(?:[,.;]|$))")
_ORG = re.compile(r"\s*\(@(?P<org>[^()]+)\)\s*$")
_CHUNK_SPLIT = re.compile(r"(?<=[^\s.]{2})[.;]\s+|\s*\|\s*|,\s*|;\s*|\s+[-–—]\s+")
_LABEL_PREFIX = re.compile(r"(?i)^\s*(?:paper(?:\s+title)?|title)\s*[:：]\s*")
# Marks a character that was escaped in the Markdown (`\\[`, `&lt;`) while a title is
# cleaned: it is the title's own, never a bracket or a separator to trim.
LITERAL = "\ue000"
_ROLE_ONLY = links.PAPER_WORDS | links.CODE_WORDS | {"project", "page", "website", "demo"}


@dataclass(frozen=True)
class Draft:
    """What an item says about a paper, in display text."""

    title: str
    venue: str = ""
    year: str = ""  # the year the item gives (its venue's, or a date's)
    month: str = ""  # a date's month, when its year is the year
    authors: str = ""  # BibTeX form: `A and B and others`
    note: str = ""
    short: str = ""  # the acronym the list gives the paper (`**SASA**:`, `[**MaxViT**]`)
    papers: tuple[str, ...] = ()  # paper links, the best first
    codes: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # project pages, demos, blogs...
    styled: bool = False  # the title was linked, bold, italic or quoted
    claimed: bool = False  # a link labelled `paper` or `pdf`, even to a placeholder
    title_link: str = ""  # the title's own link, as written

    def paper_evidence(self) -> bool:
        """True when the item reads as a paper: a paper link (or one labelled so), or a
        venue."""
        return bool(self.papers or self.venue or self.claimed)


@dataclass
class _Found:
    """What the reader has found so far."""

    venue: str = ""
    venue_year: str = ""
    date: tuple[str, str] | None = None
    authors: str = ""
    short: str = ""
    notes: list[str] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    claimed: bool = False

    def add_link(self, label: str, url: str, role: str = "") -> None:
        url = url.strip()
        self.claimed = self.claimed or model.slugify(label) in ("paper", "pdf", "arxiv")
        if not links.is_http(url):
            self.reasons.append(f"link target {url!r} is not an http(s) URL; left out")
            return
        role = role or links.link_role(label, url)
        {"paper": self.papers, "code": self.codes}.get(role, self.others).append(url)

    def add_label(self, label: str, *, strong: bool = False) -> bool:
        """A leading `[...]` label: a date, a venue or an acronym (longer when bold:
        `[**SP: Unified Sequence Parallel (USP)**]`). False for none."""
        label = label.strip(" *_")
        date, venue = labels.read_date(label), labels.read_venue(label)
        words = len(label.split())
        if date and not self.date:
            self.date = date
        elif venue and not self.venue:
            self.venue, self.venue_year = venue
        elif label and (words <= 4 or (strong and words <= 10)) and not self.short:
            self.short = label
        else:
            return False
        return True

    def add_text(self, raw: str, *, emphasised: bool = False, strong: bool = False) -> None:
        """Text after the title: venue, date, authors; the rest is note."""
        words = raw.strip(" \t[](){}|,;:-–—.*_\"'")
        if not words or not any(c.isalnum() for c in words):
            return
        if strong and len(words.split()) == 1 and not self.short and not _is_label(words):
            self.short = words
            return
        chunks = [c for c in _CHUNK_SPLIT.split(words) if c and c.strip(" ()[]")]
        left: list[str] = []
        k = 0
        while k < len(chunks):
            pair = f"{chunks[k]}, {chunks[k + 1]}" if k + 1 < len(chunks) else ""
            if pair and self._label(pair):
                k += 2
                continue
            if not self._label(chunks[k]):
                left.append(chunks[k].strip())
            k += 1
        rest = ", ".join(c for c in left if c)
        if not rest:
            return
        if not self.authors and labels.looks_like_authors(rest, emphasised=emphasised):
            self.authors = labels.bibtex_authors(rest)
        else:
            self.notes.append(rest)

    def _label(self, chunk: str) -> bool:
        chunk = chunk.strip(" ()[]")
        date = labels.read_date(chunk)
        if date:
            if self.date is None:
                self.date = date
            return True
        venue = labels.read_venue(chunk)
        if venue and not self.venue:
            self.venue, self.venue_year = venue
            return True
        return False


def _is_label(words: str) -> bool:
    return bool(labels.read_date(words) or labels.read_venue(words))


Cell = tuple[str, str, Sequence[Piece]]  # (role, column header, the cell's pieces)


def read_item(found: Sequence[Piece], cells: Sequence[Cell] = ()) -> tuple[Draft | None, list[str]]:
    """The draft in an item's pieces, and reasons for problems (a link left out...).

    CELLS are a table row's other columns: role `venue`, `date`, `venue-date`, `paper`,
    `code`, `other` (links), or `note` (text kept as `Header: text` in the note).
    """
    pieces = [p for p in found if p.kind != "image"]  # unlinked images are decoration
    state = _Found()
    at = _skip_decoration(pieces, 0, state)
    at = _leading_labels(pieces, at, state)
    at = _skip_decoration(pieces, at, state)
    title, title_link, styled, at = _title(pieces, at, state)
    _rest(pieces, at, state)
    for role, header, cell in cells:
        _read_cell(role, header, cell, state)
    title = clean_title(title, state, styled=styled)
    if not title:
        return None, ["no title found; not imported", *state.reasons]
    if title_link:
        _title_link(title_link, state)
    draft = _draft(title, state, styled=styled)
    return dataclasses.replace(draft, title_link=title_link), state.reasons


def _skip_decoration(pieces: list[Piece], at: int, state: _Found) -> int:
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


def _leading_labels(pieces: list[Piece], at: int, state: _Found) -> int:
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


def _title(pieces: list[Piece], at: int, state: _Found) -> tuple[str, str, bool, int]:
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


def _plain_title(pieces: list[Piece], at: int, state: _Found) -> tuple[str, str, bool, int]:
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


def _rest(pieces: list[Piece], at: int, state: _Found) -> None:
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


def _read_cell(role: str, header: str, cell: Sequence[Piece], state: _Found) -> None:
    shown = "".join(p.text for p in cell if p.kind in ("text", "code")).strip()
    for piece in cell:
        if piece.kind == "link":
            forced = role if role in ("paper", "code", "other") else ""
            if forced == "paper" and links.is_code_host(piece.href):
                forced = "code"
            state.add_link(piece.text, piece.href, forced)
    if role in ("venue", "date", "venue-date") and shown:
        venue, date = labels.read_venue(shown), labels.read_date(shown)
        if role != "date" and venue and not state.venue:
            state.venue, state.venue_year = venue
        elif date:
            state.date = date
        else:
            state.add_text(shown)
    elif role == "note" and shown and shown not in ("-", "/"):
        state.notes.append(f"{header}: {' '.join(shown.split())}")


def clean_title(title: str, state: _Found, *, styled: bool = True) -> str:
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


def _title_link(url: str, state: _Found) -> None:
    """The title's own link: a paper, code, or the first of the other links."""
    if not links.is_http(url):
        state.reasons.append(f"link target {url!r} is not an http(s) URL; left out")
    elif links.is_paper_host(url):
        state.papers.insert(0, url)
    elif links.is_code_host(url):
        state.codes.insert(0, url)
    else:
        state.others.insert(0, url)


def _draft(title: str, state: _Found, *, styled: bool) -> Draft:
    year = state.venue_year or (state.date[0] if state.date else "")
    month = state.date[1] if state.date and state.date[0] == year else ""
    return Draft(
        title=title,
        venue=state.venue,
        year=year,
        month=month,
        authors=state.authors,
        note="; ".join(n for n in state.notes if n),
        short=state.short,
        papers=tuple(dict.fromkeys(state.papers)),
        codes=tuple(dict.fromkeys(state.codes)),
        others=tuple(dict.fromkeys(state.others)),
        styled=styled,
        claimed=state.claimed,
    )


def draft_fields(draft: Draft, slugs: Sequence[str]) -> dict[str, str]:
    """BibTeX fields (lower-case names, raw values, empties left out) for a draft."""
    papers = draft.papers or draft.others[:1]
    eprint = next(filter(None, map(links.arxiv_id, draft.papers)), "")
    venue, year, month = draft.venue, draft.year, draft.month
    if eprint and venue.casefold().startswith("arxiv"):
        venue = ""  # the arXiv ID gives the label (`arXiv 2023.09`): not stored twice
    if venue and year and year not in venue and not re.search(r"['’]\d{2}$", venue):
        venue = f"{venue} {year}"
    label = model.arxiv_label(eprint)
    if not venue and label and not month:
        arxiv_year, arxiv_month = label.split()[1].split(".")
        if year in ("", arxiv_year):
            year, month = arxiv_year, str(int(arxiv_month))
    url = papers[0] if papers else ""
    code = draft.codes[0] if draft.codes else ""
    seen = {links.normal_url(u) for u in (url, code) if u}
    more = []
    for link in (*draft.papers, *draft.codes, *draft.others):
        if links.normal_url(link) not in seen:  # `.../2401.00001v2` is the same paper
            seen.add(links.normal_url(link))
            more.append(link)
    fields = {
        "title": text.text_to_bibtex(draft.title),
        "author": text.text_to_bibtex(draft.authors),
        "year": year,
        "month": month,
        "keywords": ", ".join(slugs),
        # The list shows `venue`, `url` and `code` raw: keep them free of BibTeX braces.
        "venue": venue.replace("{", "").replace("}", ""),
        "url": _brace_free_url(url),
        "code": _brace_free_url(code),
        "eprint": eprint,
        "archiveprefix": "arXiv" if eprint else "",
        "doi": next(filter(None, map(links.doi, draft.papers)), ""),
        "shorttitle": text.text_to_bibtex(draft.short) if draft.short != draft.title else "",
        "note": text.text_to_bibtex(draft.note),
        # The list's other links (a second paper link, project page, demo...), kept.
        "links": " ".join(_brace_free_url(u) for u in more),
    }
    return {name: value for name, value in fields.items() if value}


def _brace_free_url(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D")
