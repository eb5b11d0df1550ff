"""CSL-JSON, the format pandoc, Zotero and citeproc read. Pure."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from soralit import text
from soralit.model import Entry

CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "misc": "article",
}

# CSL variable <- BibTeX field, copied as display text.
TEXT_FIELDS = {
    "title": "title",
    "container-title": ("journal", "booktitle"),
    "volume": "volume",
    "issue": "number",
    "page": "pages",
    "publisher": "publisher",
    "DOI": "doi",
    "URL": "url",
    "abstract": "abstract",
}


def entry_to_csl(entry: Entry) -> dict[str, Any]:
    """One CSL-JSON item."""
    item: dict[str, Any] = {"id": entry.key, "type": CSL_TYPES.get(entry.type, "article")}
    for csl, fields in TEXT_FIELDS.items():
        for field in (fields,) if isinstance(fields, str) else fields:
            if entry.get(field):
                value = text.latex_to_text(entry.get(field))
                item[csl] = value.replace("--", "–") if csl == "page" else value
                break
    names = [text.name_parts(n) for n in text.split_names(entry.get("author"))]
    if names:
        item["author"] = [
            {"family": family, "given": given} if given else {"literal": family}
            for given, family in names
        ]
    if entry.year:
        item["issued"] = {"date-parts": [[entry.year]]}
    if entry.arxiv_id:
        item["number"] = f"arXiv:{entry.arxiv_id}"
        item.setdefault("URL", f"https://arxiv.org/abs/{entry.arxiv_id}")
    if entry.categories:
        item["keyword"] = ", ".join(entry.categories)
    return item


def render_csljson(entries: Iterable[Entry]) -> str:
    return json.dumps([entry_to_csl(e) for e in entries], ensure_ascii=False, indent=2) + "\n"
