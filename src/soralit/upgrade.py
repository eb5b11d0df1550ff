"""Upgrading preprints to their published versions: what changes, as a pure function.

`soralit update` fetches what Semantic Scholar and DBLP know of each arXiv preprint
(see `sources/semanticscholar.py`, `sources/dblp.py`); this module decides which fields
change and rewrites the entry's text surgically. The arXiv fields (`eprint`,
`archivePrefix`, `primaryClass`) always stay, so both versions remain linked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from soralit import bibtex, catalog
from soralit.model import LABEL_FIELD, Entry


@dataclass(frozen=True)
class Proposal:
    key: str
    changes: dict[str, str] = field(default_factory=dict)
    new_type: str = ""

    @property
    def empty(self) -> bool:
        return not self.changes and not self.new_type


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
    for name in (*catalog.VENUE_FIELDS, "year", "doi"):
        value = published.get(name, "")
        if value and entry.get(name) != value and (name != "doi" or not entry.get("doi")):
            changes[name] = value
    own = entry.label_field()
    current = entry.get(own) if own else ""
    if label and label != current and (not current or catalog.is_preprint_label(current)):
        changes[LABEL_FIELD] = label
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
        if name == LABEL_FIELD:
            raw = bibtex.set_label(raw, value)
        else:
            raw = bibtex.set_field(raw, name, value)
    return bibtex.set_type(raw, proposal.new_type) if proposal.new_type else raw
