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
    "mvbook": "book",
    "collection": "book",
    "proceedings": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "inreference": "entry-encyclopedia",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "online": "webpage",
    "patent": "patent",
    "unpublished": "manuscript",
    "misc": "article",
}

# CSL variable <- BibTeX fields (the first present), copied as display text.
TEXT_FIELDS = {
    "title": ("title",),
    "container-title": ("journaltitle", "journal", "booktitle"),
    "event-title": ("eventtitle",),
    "volume": ("volume",),
    "issue": ("number",),
    "page": ("pages",),
    "publisher": ("publisher",),
    "DOI": ("doi",),
    "URL": ("url",),
    "abstract": ("abstract",),
}


def entry_to_csl(entry: Entry) -> dict[str, Any]:
    """One CSL-JSON item: text fields with macros expanded and inherited through
    `crossref`, names, and `issued` from `date` or `year` and `month`."""
    item: dict[str, Any] = {"id": entry.key, "type": CSL_TYPES.get(entry.type, "article")}
    for csl, fields in TEXT_FIELDS.items():
        for name in fields:
            value = text.latex_to_text(entry.value(name))
            if value:
                item[csl] = value.replace("--", "–") if csl == "page" else value
                break
    for role in ("author", "editor"):
        names = [text.name_parts(n) for n in text.split_names(entry.value(role))]
        if names:
            item[role] = [
                {"family": family, "given": given} if given else {"literal": family}
                for given, family in names
            ]
    date = entry.date
    if date is not None:
        parts = [date.parts()] + ([date.end_parts()] if date.end_parts() else [])
        item["issued"] = {"date-parts": parts} | ({"circa": True} if date.circa else {})
    if entry.arxiv_id:
        item["number"] = f"arXiv:{entry.arxiv_id}"
        item.setdefault("URL", f"https://arxiv.org/abs/{entry.arxiv_id}")
    if entry.categories:
        item["keyword"] = ", ".join(entry.categories)
    return item


def render_csljson(entries: Iterable[Entry]) -> str:
    return json.dumps([entry_to_csl(e) for e in entries], ensure_ascii=False, indent=2) + "\n"
