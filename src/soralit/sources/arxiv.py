"""arXiv: records by ID, in batches, from the export API's Atom feed.

`fetch_arxiv` is the only I/O: one `id_list` query per batch of up to 100 IDs, paced
by `sources.http`. `parse_feed` is pure and strict: it reads both feed layouts (the
current one and the hard-wrapped legacy one), refuses DTDs and entities through
defusedxml without expanding them, and turns any malformed body into `SourceError`.
`record_to_entry` is pure and writes arXiv's own BibTeX export layout (`@misc`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from soralit.bibtex import balance_braces, collapse, escape_value, join_names, protect_title
from soralit.errors import MissingRecord, SourceError
from soralit.ids import split_version
from soralit.model import Entry

if TYPE_CHECKING:
    import requests

BATCH_SIZE = 100
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ABS_ID = re.compile(r"/abs/(?P<id>[^?#]+?)/*$")
_DATE = re.compile(r"^\s*(?P<year>\d{4})-(?P<month>\d{2})")
_ERROR_ID = re.compile(r"incorrect id format for (?P<id>\S+)\s*$")
# Old-style IDs may carry a subject class (math.GT/0309136) that arXiv's answer drops.
_SUBJECT_CLASS = re.compile(r"^([a-z-]+)\.[a-z]{2}/")


@dataclass(frozen=True)
class ArxivRecord:
    """One paper as arXiv describes it; text fields have their whitespace collapsed."""

    arxiv_id: str  # without version: 1605.08386, astro-ph/0601001
    version: str  # v1, v2...
    title: str
    authors: tuple[str, ...]
    summary: str
    year: int  # of the first version (`published`)
    month: int
    primary_category: str
    doi: str = ""
    journal_ref: str = ""
    comment: str = ""  # the authors' note: "Accepted at CVPR 2024", "20 pages", a withdrawal


class ArxivQueryError(SourceError):
    """arXiv answered with its error feed; `arxiv_id` is the ID it names, if any."""

    def __init__(self, message: str, arxiv_id: str = "") -> None:
        super().__init__(message)
        self.arxiv_id = arxiv_id


Progress = Callable[[int, int], None]


def fetch_arxiv(
    ids: Iterable[str], *, on_progress: Progress | None = None
) -> dict[str, ArxivRecord | SourceError]:
    """Each ID's record, or the `SourceError` for that ID, keyed by the ID as given.

    A paper arXiv does not return is a `MissingRecord` ("arXiv has no paper ...").
    Transport failures (no connection, timeout, HTTP errors) raise: they are not about
    one ID. `on_progress(done, total)` is called after each batch.
    """
    wanted = list(dict.fromkeys(ids))
    results: dict[str, ArxivRecord | SourceError] = {}
    for start in range(0, len(wanted), BATCH_SIZE):
        results.update(_fetch_batch(wanted[start : start + BATCH_SIZE]))
        if on_progress is not None:
            on_progress(len(results), len(wanted))
    return results


def _fetch_batch(batch: list[str]) -> dict[str, ArxivRecord | SourceError]:
    """One query; if arXiv rejects an ID of the batch, drop it and ask for the rest."""
    results: dict[str, ArxivRecord | SourceError] = {}
    pending = list(batch)
    while pending:
        try:
            records = _query(pending)
        except ArxivQueryError as exc:
            if exc.arxiv_id not in pending:
                results.update(dict.fromkeys(pending, exc))
                break
            results[exc.arxiv_id] = exc
            pending.remove(exc.arxiv_id)
            continue
        results.update(match_records(pending, records))
        break
    return {arxiv_id: results[arxiv_id] for arxiv_id in batch}


def _query(ids: list[str]) -> list[ArxivRecord]:
    from soralit.sources import http

    params = {"id_list": ",".join(ids), "start": 0, "max_results": len(ids)}
    response = http.get(
        http.base_url("arxiv"), service="arxiv", params=params, accept=(400,), throttled=_throttled
    )
    records = parse_feed(response.content)
    if response.status_code == 400:  # a 400 that is not arXiv's error feed
        raise SourceError(f"arXiv: HTTP 400 for {','.join(ids)}")
    return records


def is_rate_exceeded(body: bytes) -> bool:
    """arXiv's throttling answer: HTTP 200 with the plain-text body `Rate exceeded.`"""
    return body[:64].strip().lower().startswith(b"rate exceeded")


def _throttled(response: requests.Response) -> str:
    """Why to ask again (see `http.request`): '' for a real answer."""
    return "'Rate exceeded.'" if is_rate_exceeded(response.content) else ""


def match_records(
    ids: list[str], records: list[ArxivRecord]
) -> dict[str, ArxivRecord | SourceError]:
    """Pair requested IDs with the records of an answer; the unanswered are missing."""
    by_key = {_match_key(r.arxiv_id): r for r in records}
    return {
        arxiv_id: by_key.get(_match_key(arxiv_id))
        or MissingRecord(f"arXiv has no paper {arxiv_id}")
        for arxiv_id in ids
    }


def _match_key(arxiv_id: str) -> str:
    return _SUBJECT_CLASS.sub(r"\1/", split_version(arxiv_id.strip())[0].lower())


def parse_feed(body: bytes) -> list[ArxivRecord]:
    """The records of an Atom answer. Raises `ArxivQueryError` for arXiv's error feed
    and `SourceError` for anything that is not a well-formed arXiv feed."""
    root = _parse_xml(body)
    if root.tag != f"{ATOM}feed":
        raise SourceError("arXiv: the answer is not an Atom feed")
    records = []
    for entry in root.findall(f"{ATOM}entry"):
        if "/api/errors" in entry.findtext(f"{ATOM}id", ""):
            raise _query_error(entry)
        records.append(_entry_to_record(entry))
    return records


def _parse_xml(body: bytes) -> Element:
    try:
        return fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        # Never expand: a DTD in an API answer can only be a billion-laughs or an XXE.
        kind = type(exc).__name__  # DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
        raise SourceError(f"arXiv: refused an answer with a DTD or entities ({kind})") from exc
    except (ParseError, ValueError, LookupError) as exc:
        raise SourceError(f"arXiv: malformed answer ({exc})") from exc


def _query_error(entry: Element) -> ArxivQueryError:
    summary = collapse(entry.findtext(f"{ATOM}summary", "")) or "unknown error"
    match = _ERROR_ID.search(summary)
    return ArxivQueryError(f"arXiv: {summary}", match["id"] if match else "")


def _entry_to_record(entry: Element) -> ArxivRecord:
    entry_id = entry.findtext(f"{ATOM}id", "")
    id_match = _ABS_ID.search(entry_id.strip())
    date = _DATE.match(entry.findtext(f"{ATOM}published", ""))
    title = entry.findtext(f"{ATOM}title")
    if not id_match or not date or title is None:
        raise SourceError(f"arXiv: malformed answer (incomplete entry {entry_id.strip()!r})")
    arxiv_id, version = split_version(id_match["id"])
    return ArxivRecord(
        arxiv_id=arxiv_id,
        version=version,
        title=collapse(title),
        authors=tuple(
            collapse(a.findtext(f"{ATOM}name", "")) for a in entry.findall(f"{ATOM}author")
        ),
        summary=collapse(entry.findtext(f"{ATOM}summary", "")),
        year=int(date["year"]),
        month=int(date["month"]),
        primary_category=_primary_category(entry),
        doi=collapse(entry.findtext(f"{ARXIV}doi", "")),
        journal_ref=collapse(entry.findtext(f"{ARXIV}journal_ref", "")),
        comment=collapse(entry.findtext(f"{ARXIV}comment", "")),
    )


def _primary_category(entry: Element) -> str:
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is None:
        primary = entry.find(f"{ATOM}category")
    return "" if primary is None else primary.get("term", "")


def record_to_entry(record: ArxivRecord, *, key: str, abstract: bool = False) -> Entry:
    """`@misc` in arXiv's BibTeX export layout, plus `doi` and `note` when arXiv has them.

    The journal reference goes to `note`, not `journal`: it is free text with volume,
    pages and year (`Phys. Rev. B 85, 115117 (2012)`), not a journal name, and the
    standard styles print `note` for `@misc` but ignore `journal`.
    """
    fields = {
        "title": protect_title(escape_value(record.title)),
        "author": join_names(record.authors),
        "year": str(record.year),
        "eprint": record.arxiv_id,
        "archiveprefix": "arXiv",
        "primaryclass": record.primary_category,
        "url": f"https://arxiv.org/abs/{record.arxiv_id}",
    }
    if record.doi:
        fields["doi"] = balance_braces(record.doi)
    if record.journal_ref:
        fields["note"] = escape_value(record.journal_ref)
    if abstract and record.summary:
        fields["abstract"] = escape_value(record.summary)
    return Entry(key=key, type="misc", fields=fields)
