"""Upgrading preprints to their published versions: what changes, as a pure function.

`soralit update` fetches what Semantic Scholar and DBLP know of each arXiv preprint
(see `sources/semanticscholar.py`, `sources/dblp.py`); this module decides which fields
change and rewrites the entry's text surgically. The arXiv fields (`eprint`,
`archivePrefix`, `primaryClass`) always stay, so both versions remain linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from soralit import bibtext
from soralit.model import Entry
from soralit.render.bibtex import FIELD_CASE

PREPRINT_LABEL = re.compile(r"(?i)^(arxiv|biorxiv|medrxiv)\b")
VENUE_FIELDS = ("journal", "booktitle", "series", "volume", "number", "pages", "publisher")


@dataclass(frozen=True)
class Proposal:
    key: str
    changes: dict[str, str] = field(default_factory=dict)
    new_type: str = ""

    @property
    def empty(self) -> bool:
        return not self.changes and not self.new_type


def is_preprint(entry: Entry) -> bool:
    """An arXiv paper not yet cited as published: no `journal` and no `booktitle`."""
    return bool(entry.arxiv_id) and not (entry.get("journal") or entry.get("booktitle"))


def propose(
    entry: Entry,
    published: dict[str, str],
    label: str = "",
    *,
    published_type: str = "",
    authors: str = "",
) -> Proposal:
    """The changes that make ENTRY cite its published version.

    PUBLISHED holds the venue fields, `year` and `doi` of the published version; LABEL is
    its short venue label (`NeurIPS'23`), used when the entry's own label is empty or a
    preprint label. AUTHORS fills a missing `author` field.
    """
    changes: dict[str, str] = {}
    for name in (*VENUE_FIELDS, "year", "doi"):
        value = published.get(name, "")
        if value and entry.get(name) != value and (name != "doi" or not entry.get("doi")):
            changes[name] = value
    current = entry.get("venue")
    if label and label != current and (not current or PREPRINT_LABEL.match(current)):
        changes["venue"] = label
    if authors and not entry.get("author"):
        changes["author"] = authors
    new_type = published_type or (
        "inproceedings" if "booktitle" in changes else "article" if "journal" in changes else ""
    )
    if new_type == entry.type or not (changes.keys() & {"journal", "booktitle"}):
        new_type = ""
    return Proposal(entry.key, changes, new_type)


def apply(raw: str, proposal: Proposal) -> str:
    """RAW with the proposal's fields set in place and its entry type changed."""
    for name, value in proposal.changes.items():
        raw = bibtext.set_field(raw, name, value, spelled=FIELD_CASE.get(name, name))
    if proposal.new_type:
        raw = re.sub(r"^(\s*@)\s*\w+", rf"\g<1>{proposal.new_type}", raw, count=1)
    return raw
