"""Semantic Scholar: where an arXiv preprint was published, for `soralit update`.

`fetch_papers` (one `POST /paper/batch` per 500 IDs) and `fetch_paper` (one GET) are
the only I/O. `parse_paper`, `parse_batch`, `published_fields` and `short_venue_label`
are pure. Field values returned for BibTeX are escaped and ready to write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from soralit import catalog
from soralit.bibtex import bibtex_pages, collapse, escape_value
from soralit.errors import MissingRecord, SourceError
from soralit.ids import split_version

FIELDS = "title,venue,publicationVenue,journal,year,externalIds,authors,publicationTypes"
BATCH_SIZE = 500  # the batch endpoint's limit


@dataclass(frozen=True)
class S2Paper:
    """The parts of a Semantic Scholar paper record that `update` needs."""

    paper_id: str
    title: str
    venue: str
    year: int | None
    journal_name: str = ""
    journal_volume: str = ""
    journal_pages: str = ""
    publication_venue: str = ""  # publicationVenue.name
    publication_venue_type: str = ""  # "conference", "journal"...
    publication_types: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    doi: str = ""
    arxiv_id: str = ""
    dblp_key: str = ""


def fetch_papers(arxiv_ids: list[str]) -> dict[str, S2Paper | SourceError]:
    """Each arXiv ID's paper, or a `MissingRecord`, keyed by the ID as given."""
    from soralit.sources import http

    wanted = list(dict.fromkeys(arxiv_ids))
    results: dict[str, S2Paper | SourceError] = {}
    for start in range(0, len(wanted), BATCH_SIZE):
        batch = wanted[start : start + BATCH_SIZE]
        ids = [f"ARXIV:{split_version(arxiv_id)[0]}" for arxiv_id in batch]
        url = f"{http.base_url('s2')}/paper/batch"
        response = http.request(
            "POST", url, service="s2", params={"fields": FIELDS}, json={"ids": ids}
        )
        results.update(pair_batch(batch, parse_batch(response.content)))
    return results


def pair_batch(asked: list[str], papers: list[S2Paper | None]) -> dict[str, S2Paper | SourceError]:
    """Each asked arXiv ID's paper, found by the arXiv ID the paper itself carries, never
    by its place in the answer: a paper whose arXiv ID is another (a merged record, a
    shifted list) is no answer for this one. IDs without a paper are `MissingRecord`s."""
    by_id = {_id_key(p.arxiv_id): p for p in papers if p is not None and p.arxiv_id}
    return {a: by_id.get(_id_key(a)) or _missing(a) for a in asked}


def _id_key(arxiv_id: str) -> str:
    return split_version(arxiv_id.strip())[0].lower()


def fetch_paper(arxiv_id: str) -> S2Paper:
    """One paper by arXiv ID; `MissingRecord` when Semantic Scholar does not know it."""
    from soralit.sources import http

    paper_id = quote(f"ARXIV:{split_version(arxiv_id)[0]}", safe=":/")
    url = f"{http.base_url('s2')}/paper/{paper_id}"
    response = http.get(url, service="s2", params={"fields": FIELDS}, accept=(404,))
    if response.status_code == 404:
        raise _missing(arxiv_id)
    return parse_paper(response.content)


def _missing(arxiv_id: str) -> MissingRecord:
    return MissingRecord(f"Semantic Scholar has no paper arXiv:{arxiv_id}")


def parse_paper(body: bytes) -> S2Paper:
    """One paper: a `/paper/{id}` answer, or the best hit of a `/paper/search/match`."""
    data = _load(body)
    if isinstance(data, dict) and "error" in data:
        message = f"Semantic Scholar: {collapse(str(data['error']))}"
        raise MissingRecord(message) if "not found" in message else SourceError(message)
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        if not data["data"]:
            raise MissingRecord("Semantic Scholar: no matching paper")
        data = data["data"][0]
    return paper_from_json(data)


def parse_batch(body: bytes) -> list[S2Paper | None]:
    """A `/paper/batch` answer: one paper or None (unknown ID) per ID asked, in order."""
    data = _load(body)
    if not isinstance(data, list):
        raise SourceError("Semantic Scholar: the batch answer is not a list")
    return [None if item is None else paper_from_json(item) for item in data]


def paper_from_json(data: Any) -> S2Paper:
    if not isinstance(data, dict):
        raise SourceError("Semantic Scholar: the answer is not a paper record")
    journal = _dict(data.get("journal"))
    venue = _dict(data.get("publicationVenue"))
    ids = _dict(data.get("externalIds"))
    year = data.get("year")
    return S2Paper(
        paper_id=_text(data.get("paperId")),
        title=_text(data.get("title")),
        venue=_text(data.get("venue")),
        year=year if isinstance(year, int) else None,
        journal_name=_text(journal.get("name")),
        journal_volume=_text(journal.get("volume")),
        journal_pages=_text(journal.get("pages")),
        publication_venue=_text(venue.get("name")),
        publication_venue_type=_text(venue.get("type")),
        publication_types=tuple(_text(t) for t in data.get("publicationTypes") or []),
        authors=tuple(_text(_dict(a).get("name")) for a in data.get("authors") or []),
        doi=_text(ids.get("DOI")),
        arxiv_id=_text(ids.get("ArXiv")),
        dblp_key=_text(ids.get("DBLP")),
    )


def is_workshop_paper(paper: S2Paper) -> bool:
    """Whether Semantic Scholar places the paper at a workshop."""
    names = (paper.venue, paper.publication_venue, paper.journal_name)
    return any(catalog.is_workshop(name) for name in names)


def is_preprint_only(paper: S2Paper) -> bool:
    """True when Semantic Scholar knows no venue but arXiv (nothing to upgrade to)."""
    return not _venue_name(paper)


def published_fields(paper: S2Paper) -> dict[str, str]:
    """BibTeX fields the published version adds; {} for an arXiv-only paper.

    `journal` or `booktitle`, `volume`, `pages`, `doi`, and `year`, except that with
    a DOI the year is left out: Semantic Scholar's `year` is when the paper first
    appeared, often the preprint's (2023 for a Nature MI article of 2024), so take the
    year from Crossref for that DOI instead.
    """
    name = _venue_name(paper)
    if not name:
        return {}
    fields = {("booktitle" if _is_conference(paper) else "journal"): escape_value(name)}
    if paper.journal_volume and not paper.journal_volume.startswith("abs/"):
        fields["volume"] = escape_value(paper.journal_volume)
    if paper.journal_pages:
        fields["pages"] = escape_value(bibtex_pages(paper.journal_pages))
    doi = "" if paper.doi.lower().startswith("10.48550/") else paper.doi
    if doi:
        fields["doi"] = doi
    elif paper.year:
        fields["year"] = str(paper.year)
    return fields


def short_venue_label(paper: S2Paper, *, year: int | None = None) -> str:
    """`NeurIPS'17`, `Nat. Mac. Intell.'23`: a known acronym or S2's own venue name,
    then the year's last two digits (`year` overrides the paper's). '' if arXiv-only."""
    name = _venue_name(paper)
    if not name:
        return ""
    candidates = (paper.venue, paper.publication_venue, paper.journal_name, name)
    label = next((a for c in candidates if (a := catalog.label_for_name(c))), "")
    if label and is_workshop_paper(paper):
        label = catalog.workshop_label(label)  # never the main conference's label
    label = label or (paper.venue if _is_real(paper.venue) else name)
    year = year or paper.year
    return f"{label}'{year % 100:02d}" if year else label


def _venue_name(paper: S2Paper) -> str:
    """The published venue's full name, or '' when only arXiv is known."""
    if _is_conference(paper):
        order = (paper.publication_venue, paper.venue, paper.journal_name)
    else:
        order = (paper.journal_name, paper.publication_venue, paper.venue)
    return next((collapse(n) for n in order if _is_real(n)), "")


def _is_real(name: str) -> bool:
    """A venue name that is not a preprint server's (S2 and dblp call arXiv `CoRR`)."""
    name = collapse(name)
    return bool(name) and name.lower() != "corr" and not catalog.names_preprint_server(name)


def _is_conference(paper: S2Paper) -> bool:
    return "Conference" in paper.publication_types or paper.publication_venue_type == "conference"


def _load(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise SourceError(f"Semantic Scholar: malformed answer ({exc})") from exc


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return collapse(value) if isinstance(value, str) else ""
