"""dblp: the BibTeX record of a publication, by dblp key (`conf/spire/BastMW06`).

`fetch_dblp_record` is the only I/O (`GET {SORALIT_DBLP_URL}/rec/{key}.bib`).
`parse_dblp_bib` and `published_fields` are pure; bibtexparser is imported only when
a record is parsed. Semantic Scholar's `externalIds.DBLP` gives the key.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from soralit.bibtex import collapse
from soralit.catalog import VENUE_FIELDS
from soralit.errors import MissingRecord, SourceError

# dblp writes `\_` in identifiers for LaTeX; in soralit `doi` holds the bare DOI.
_IDENTIFIER_FIELDS = ("doi", "url", "biburl")


def fetch_dblp_record(dblp_key: str) -> dict[str, Any]:
    """The parsed record (see `parse_dblp_bib`); `MissingRecord` for an unknown key."""
    from soralit.sources import http

    url = f"{http.base_url('dblp')}/rec/{quote(dblp_key, safe='/')}.bib"
    response = http.get(url, service="dblp", accept=(404, 410))
    if response.status_code in (404, 410):
        raise MissingRecord(f"dblp has no record {dblp_key}")
    return parse_dblp_bib(response.content)


def parse_dblp_bib(body: bytes | str) -> dict[str, Any]:
    """`{"type": "inproceedings", "key": "DBLP:conf/...", "fields": {name: value}}`.

    Field names are lower case, values are raw BibTeX with whitespace collapsed (dblp
    wraps long values), in dblp's order.
    """
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError as exc:
        raise SourceError(f"dblp: malformed answer ({exc})") from exc
    from bibtexparser.entrypoint import parse_string

    library = parse_string(text)
    if library.failed_blocks or len(library.entries) != 1:
        raise SourceError("dblp: the answer is not one BibTeX record")
    (entry,) = library.entries
    fields = {f.key.lower(): _clean(f.key.lower(), f.value) for f in entry.fields}
    return {"type": entry.entry_type.lower(), "key": entry.key, "fields": fields}


def published_fields(record: dict[str, Any]) -> dict[str, str]:
    """Venue fields plus `year` and `doi` of a dblp record; {} for a CoRR (arXiv) copy."""
    fields: dict[str, str] = record.get("fields", {})
    if fields.get("journal", "").strip().lower() == "corr":
        return {}
    wanted = (*VENUE_FIELDS, "year", "doi")
    return {name: fields[name] for name in wanted if fields.get(name)}


def is_corr_key(dblp_key: str) -> bool:
    """dblp files arXiv preprints under `journals/corr/`: not a published version."""
    return dblp_key.removeprefix("DBLP:").startswith("journals/corr/")


def _clean(name: str, value: Any) -> str:
    text = collapse(str(value))
    return text.replace("\\_", "_") if name in _IDENTIFIER_FIELDS else text
