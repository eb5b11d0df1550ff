"""Crossref: the work record behind a DOI, and its BibTeX entry.

`fetch_crossref` is the only I/O (`GET {SORALIT_CROSSREF_URL}/{doi}`, with
`?mailto=SORALIT_MAILTO` when set, for Crossref's polite pool). `parse_work` and
`work_to_entry` are pure. Crossref knows DOIs registered with Crossref only: arXiv's
own DOIs (10.48550, DataCite) answer 404, which becomes `MissingRecord`.
"""

from __future__ import annotations

import html
import json
import os
import re
from typing import Any
from urllib.parse import quote

from soralit.bibtex import (
    balance_braces,
    bibtex_pages,
    collapse,
    escape_value,
    protect_title,
)
from soralit.errors import MissingRecord, SourceError, UsageProblem
from soralit.model import Entry

# Crossref work types -> BibTeX entry types; anything else is @misc.
ENTRY_TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "report": "techreport",
    "dissertation": "phdthesis",
}
CONTAINER_FIELD = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
# Crossref's dates, best first: `issued` is its own "earliest known publication" date.
DATE_FIELDS = ("issued", "published-print", "published-online", "published")
_TAG = re.compile(r"<[^>]+>")


def fetch_crossref(doi: str) -> dict[str, Any]:
    """The Crossref work record (the `message` object) for `doi`."""
    from soralit.sources import http

    url = f"{http.base_url('crossref')}/{quote(doi, safe='/')}"
    response = http.get(url, service="crossref", accept=(404,), params=polite_params())
    if response.status_code == 404:
        raise MissingRecord(f"Crossref has no record of DOI {doi}")
    return parse_work(response.content)


def polite_params() -> dict[str, str]:
    """`mailto` from SORALIT_MAILTO, read now: Crossref serves requests that give a contact
    address from its "polite" pool (faster, and they write before they block)."""
    address = os.environ.get("SORALIT_MAILTO", "").strip()
    if not address:
        return {}
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
        raise UsageProblem(f"SORALIT_MAILTO must be an e-mail address, not {address!r}")
    return {"mailto": address}


def parse_work(body: bytes) -> dict[str, Any]:
    """The work record in a `/works/{doi}` answer; `SourceError` for anything else."""
    try:
        data = json.loads(body)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise SourceError(f"Crossref: malformed answer ({exc})") from exc
    if not isinstance(data, dict) or data.get("message-type") != "work":
        raise SourceError("Crossref: the answer is not a work record")
    message = data.get("message")
    if not isinstance(message, dict):
        raise SourceError("Crossref: the answer is not a work record")
    return message


def work_to_entry(work: dict[str, Any], *, key: str) -> Entry:
    """A BibTeX entry: `@article` with `journal`, `@inproceedings` with `booktitle`..."""
    entry_type = ENTRY_TYPES.get(str(work.get("type", "")), "misc")
    doi = str(work.get("DOI", ""))
    fields = {
        "title": protect_title(escape_value(_plain(_first(work, "title")))),
        "author": " and ".join(_name(a) for a in work.get("author") or [] if _name(a)),
        CONTAINER_FIELD.get(entry_type, ""): escape_value(_plain(_first(work, "container-title"))),
        "volume": escape_value(str(work.get("volume", ""))),
        "number": escape_value(str(work.get("issue", ""))),
        "pages": escape_value(bibtex_pages(str(work.get("page", "")))),
        "year": work_year(work),
        "doi": balance_braces(doi),
        "url": f"https://doi.org/{balance_braces(doi)}" if doi else "",
    }
    return Entry(key=key, type=entry_type, fields={k: v for k, v in fields.items() if k and v})


def work_year(work: dict[str, Any]) -> str:
    """The publication year, or '' when Crossref has no usable date (`[[null]]`)."""
    for name in DATE_FIELDS:
        date = work.get(name)
        parts = date.get("date-parts") if isinstance(date, dict) else None
        first = parts[0] if isinstance(parts, list) and parts else None
        year = first[0] if isinstance(first, list) and first else None
        if isinstance(year, int):
            return str(year)
    return ""


def _first(work: dict[str, Any], name: str) -> str:
    """Crossref wraps titles in lists; the first one, or ''."""
    values = work.get(name)
    if isinstance(values, list) and values:
        return str(values[0])
    return str(values) if isinstance(values, str) else ""


def _plain(value: str) -> str:
    """Crossref titles may carry JATS/HTML markup (`<i>...</i>`) and entities."""
    return collapse(html.unescape(_TAG.sub("", value)))


def _name(author: Any) -> str:
    """`Family, Given` keeps multi-word family names (`M. Bran, Andres`) intact."""
    if not isinstance(author, dict):
        return ""
    family, given = collapse(author.get("family", "")), collapse(author.get("given", ""))
    if family:
        return escape_value(f"{family}, {given}" if given else family)
    name = collapse(author.get("name", ""))  # an organisation: braces keep it whole
    return f"{{{escape_value(name)}}}" if name else ""
