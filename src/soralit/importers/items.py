"""One paper as an awesome list shows it: a list line or a table row -> entry fields.

Pure. `read_item` reads the text of one list item into a `Draft` (what the line says),
`draft_fields` turns a draft into BibTeX fields in the library's conventions
(docs/library-format.md). Reasons a line cannot be read, or a link was left out, come
back as plain strings for the caller to report with the line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from soralit import bibtex, ids, model, text
from soralit.errors import UsageProblem
from soralit.importers.mdtext import Link, find_links, markdown_to_text

# `(*CVPR'23*) Title` or `[CVPR 2023] Title`: a venue label opening the line.
_LEAD_VENUE = re.compile(
    r"^\(\s*(?P<paren>(?:[^()]|\([^()]*\))+?)\s*\)(?=\s)\s*|^\[(?P<bracket>[^\[\]]+)\](?!\()\s+"
)
# `Title. *Venue*, 2023.`: a citation-style line.
_CITATION = re.compile(
    r"^(?P<title>.+?)\.\s+(?P<mark>\*{1,2}|_{1,2})(?P<venue>[^*_]+?)(?P=mark)"
    r"\s*,?\s*(?P<year>(?:19|20)\d{2})?[\s.]*$"
)
_YEAR4 = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_YEAR2 = re.compile(r"['’](\d{2})(?!\d)")
_SEPARATORS = " \t-–—|:,;"
# Link labels (slugified) that say what a link is.
CODE_WORDS = frozenset(
    ("code", "codes", "github", "gitlab", "bitbucket", "repo", "repository", "source",
     "source-code", "official-code", "implementation", "pytorch", "tensorflow", "jax")
)  # fmt: skip
PAPER_WORDS = frozenset(
    ("paper", "pdf", "arxiv", "link", "url", "doi", "abs", "abstract", "publication",
     "article", "openreview", "html")
)  # fmt: skip


@dataclass(frozen=True)
class Draft:
    """What one line says about a paper, in display text."""

    title: str
    venue: str = ""
    year: str = ""  # a year given apart from the venue (`*Venue*, 2023`, a Year column)
    papers: tuple[str, ...] = ()  # http(s) paper links, the best first
    codes: tuple[str, ...] = ()


def link_role(link: Link) -> str:
    """`paper`, `code` or `other` (a title, a project page...), from the label first."""
    word = model.slugify(link.label)
    if word in CODE_WORDS:
        return "code"
    if word in PAPER_WORDS:
        return "paper"
    return "other"


def sort_links(
    links: Iterable[Link], *, code: bool = False
) -> tuple[list[str], list[str], list[str]]:
    """(paper URLs, code URLs, problem reasons). Other links count as papers after the
    labelled ones, except code-hosted ones; with `code`, every link is a code link."""
    papers: list[str] = []
    others: list[str] = []
    codes: list[str] = []
    reasons: list[str] = []
    for link in links:
        if not link.is_http:
            reasons.append(f"link target {link.target!r} is not an http(s) URL; left out")
            continue
        role = "code" if code else link_role(link)
        if role == "other" and link.is_code_host:
            role = "code"
        {"paper": papers, "code": codes, "other": others}[role].append(link.target)
    return papers + others, codes, reasons


def read_item(body: str) -> tuple[Draft | None, list[str]]:
    """The draft in a list item's text (bullet removed), and reasons for problems."""
    venue, body = _split_venue(body)
    links = find_links(body)
    year = ""
    first = links[0] if links else None
    if first and not body[: first.start].strip() and link_role(first) == "other":
        title, rest = first.label, links[1:]  # `[Title](url) - Venue 2023`
        tail = body[first.end : rest[0].start if rest else len(body)]
        venue = venue or _unwrap(markdown_to_text(tail).strip(_SEPARATORS))
    else:
        rest = links
        title, cited, year = _split_citation(body[: first.start] if first else body)
        venue = venue or cited
        first = None
    papers, codes, reasons = sort_links(rest)
    if first is not None:  # the title link comes before any labelled link
        title_papers, title_codes, title_reasons = sort_links([first])
        papers, codes = title_papers + papers, title_codes + codes
        reasons = title_reasons + reasons
    title = text.fix_mojibake(title).strip(_SEPARATORS)
    if not title:
        return None, ["no title found; not imported", *reasons]
    return Draft(title, text.fix_mojibake(venue), year, tuple(papers), tuple(codes)), reasons


def looks_like_entry(body: str) -> bool:
    """True for a paper line rather than prose or a link list: an http(s) link labelled
    paper/code, or to arXiv or a DOI, or next to a venue label or a year."""
    venue, body = _split_venue(body)
    links = [link for link in find_links(body) if link.is_http]
    if not links:
        return False
    if venue or any(link_role(k) != "other" or _arxiv_or_doi(k.target) for k in links):
        return True
    first = links[0]  # `[Title](url) - Venue 2023`
    return not body[: first.start].strip() and bool(venue_year(body[first.end :]))


def _arxiv_or_doi(url: str) -> bool:
    return bool(ids.arxiv_id_from_url(url) or _doi(url))


def _unwrap(venue: str) -> str:
    """`(CVPR 2023)` or `[CVPR 2023]` -> `CVPR 2023`."""
    if venue[:1] + venue[-1:] in ("()", "[]"):
        return venue[1:-1].strip()
    return venue


def _split_venue(body: str) -> tuple[str, str]:
    match = _LEAD_VENUE.match(body)
    if not match:
        return "", body
    return markdown_to_text(match["paren"] or match["bracket"]), body[match.end() :]


def _split_citation(head: str) -> tuple[str, str, str]:
    """(title, venue, year) of `Title. *Venue*, 2023.`; else the whole text is the title."""
    match = _CITATION.match(head.strip())
    if match:
        return (
            markdown_to_text(match["title"]),
            markdown_to_text(match["venue"]),
            match["year"] or "",
        )
    return markdown_to_text(head), "", ""


def venue_year(venue: str) -> str:
    """The year a venue label names: `CVPR'23`, `NeurIPS 2023`, `arXiv 2023.09` -> 2023."""
    match = _YEAR4.search(venue)
    if match:
        return match.group()
    match = _YEAR2.search(venue)
    if match:
        yy = int(match[1])
        return str((1900 if yy >= 50 else 2000) + yy)
    return ""


def draft_fields(draft: Draft, slug: str) -> dict[str, str]:
    """BibTeX fields (lower-case names, raw values, empties left out) for a draft."""
    eprint = next(filter(None, map(ids.arxiv_id_from_url, draft.papers)), "")
    # venue_label() derives `arXiv YYYY.MM` from the ID again: storing it would only go stale.
    venue = "" if eprint and draft.venue == model.arxiv_label(eprint) else draft.venue
    year, month = venue_year(venue), ""
    if venue and draft.year and not year:
        venue, year = f"{venue} {draft.year}", draft.year
    label = model.arxiv_label(eprint)
    if not venue and label:
        arxiv_year, arxiv_month = label.split()[1].split(".")
        if draft.year in ("", arxiv_year):
            year, month = arxiv_year, str(int(arxiv_month))
    fields = {
        "title": bibtex.text_to_bibtex(draft.title),
        "year": year or draft.year,
        "month": month,
        "keywords": slug,
        # The list shows `venue`, `url` and `code` raw: keep them free of BibTeX braces.
        "venue": venue.replace("{", "").replace("}", ""),
        "url": _brace_free_url(draft.papers[0]) if draft.papers else "",
        "code": _brace_free_url(draft.codes[0]) if draft.codes else "",
        "eprint": eprint,
        "archiveprefix": "arXiv" if eprint else "",
        "doi": next(filter(None, map(_doi, draft.papers)), ""),
    }
    return {name: value for name, value in fields.items() if value}


def _doi(url: str) -> str:
    try:
        found = ids.parse_identifier(url)
    except UsageProblem:
        return ""
    return found.value if found.kind == "doi" else ""


def _brace_free_url(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D")
