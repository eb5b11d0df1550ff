"""What an item says about a paper: the `Draft`, as the reader finds it, and its fields.

Pure. `Found` collects what `items.read_item` finds beside the title: links by role
(`links`), a leading label, and text that `labels` reads as a venue, a date or authors
(the rest is the note). `draft_fields` turns a draft into BibTeX fields in the library's
conventions (docs/library-format.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from soralit import bibtex, ids, model
from soralit.importers import labels, links
from soralit.importers.mdtokens import Piece

_CHUNK_SPLIT = re.compile(r"(?<=[^\s.]{2})[.;]\s+|\s*\|\s*|,\s*|;\s*|\s+[-–—]\s+")


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
class Found:
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
            inside = _URLS_INSIDE.findall(url)  # `[[Paper]([https://a](https://b))]`
            what = f"read the {len(inside)} URL(s) in it" if inside else "left out"
            self.reasons.append(f"link target {url!r} is not an http(s) URL; {what}")
            for found in inside:
                self.add_link(label, found, role)
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


def read_cell(role: str, header: str, cell: Sequence[Piece], state: Found) -> None:
    """A table row's other column (ROLE as `mdtable.ROLES` gives it), into STATE."""
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


# http(s) URLs written inside a malformed link target (a link pasted into a link).
_URLS_INSIDE = re.compile(r"https?://[^\s\[\]()<>\"']+")


def add_title_link(url: str, state: Found) -> None:
    """The title's own link: a paper, code, or the first of the other links."""
    if not links.is_http(url):
        state.reasons.append(f"link target {url!r} is not an http(s) URL; left out")
    elif links.is_paper_host(url):
        state.papers.insert(0, url)
    elif links.is_code_host(url):
        state.codes.insert(0, url)
    else:
        state.others.insert(0, url)


def make_draft(title: str, state: Found, *, styled: bool) -> Draft:
    """The draft of TITLE and what STATE found beside it; a date gives the month only
    when it is of the year given."""
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
    seen = {ids.url_key(u) for u in (url, code) if u}
    more = []
    for link in (*draft.papers, *draft.codes, *draft.others):
        if ids.url_key(link) not in seen:  # `.../2401.00001v2` is the same paper
            seen.add(ids.url_key(link))
            more.append(link)
    fields = {
        "title": bibtex.text_to_bibtex(draft.title),
        "author": bibtex.text_to_bibtex(draft.authors),
        "year": year,
        "month": month,
        "keywords": ", ".join(slugs),
        # The list shows the label, `url` and `code` raw: keep them free of BibTeX braces.
        model.LABEL_FIELD: venue.replace("{", "").replace("}", ""),
        "url": _brace_free_url(url),
        "code": _brace_free_url(code),
        "eprint": eprint,
        "archiveprefix": "arXiv" if eprint else "",
        "doi": next(filter(None, map(links.doi, draft.papers)), ""),
        "shorttitle": bibtex.text_to_bibtex(draft.short) if draft.short != draft.title else "",
        "note": bibtex.text_to_bibtex(draft.note),
        # The list's other links (a second paper link, project page, demo...), kept.
        "links": " ".join(_brace_free_url(u) for u in more),
    }
    return {name: value for name, value in fields.items() if value}


def _brace_free_url(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D")
