"""Upgrading preprints to their published versions: what changes, as a pure function.

`soralit update` fetches what Semantic Scholar and DBLP know of each arXiv preprint
(see `sources/semanticscholar.py`, `sources/dblp.py`); this module decides which fields
change and rewrites the entry's text surgically. The arXiv fields (`eprint`,
`archivePrefix`, `primaryClass`) always stay, so both versions remain linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from soralit import bibtex, catalog
from soralit.model import LABEL_FIELD, Entry

# "Accepted at CVPR 2024", "To appear in the NeurIPS 2023 Workshop on ...", "Published in TMLR"
_ACCEPTED = re.compile(
    r"(?i)\b(?:accepted|to appear|appears?|appeared|published|presented|camera[- ]ready)"
    r"(?:\s+(?:as\s+(?:an?\s+)?[\w-]+(?:\s+paper)?|for publication))?"
    r"\s+(?:to|at|in|by|for|on)\s+"
    r"(?:the\s+)?(?P<venue>[^.;()\[\]]{2,120})"
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_JOURNAL_NAME = re.compile(r"^(?P<name>[^\d(]*[^\d\s(,:;])")


@dataclass(frozen=True)
class Evidence:
    """What arXiv's own record says of where a preprint was published."""

    text: str  # the venue as written there: `CVPR 2024`, `Phys. Rev. B 85, 115117 (2012)`
    label: str  # `CVPR'24`, `CVPRW'24`, `Phys. Rev. B'12`; '' when no venue could be named
    year: str  # `2024`, or '' when the text gives none
    workshop: bool
    journal: str = ""  # the journal's name, from a journal_ref only


def arxiv_evidence(journal_ref: str, comment: str) -> Evidence | None:
    """Evidence of publication in an arXiv record: its journal_ref, else an "Accepted
    at X" in the authors' comment. None when neither names a venue."""
    if journal_ref.strip():
        text = " ".join(journal_ref.split())
        name = _JOURNAL_NAME.match(text)
        journal = name["name"].strip() if name else ""
        return _evidence(text, journal, journal=journal)
    match = _ACCEPTED.search(comment)
    if match:
        text = " ".join(match["venue"].split()).rstrip(" ,:")
        return _evidence(text, "")
    return None


def _evidence(text: str, fallback_name: str, journal: str = "") -> Evidence | None:
    years = _YEAR.findall(text)
    year = years[-1] if years else ""
    acronym = catalog.label_for_name(text)
    workshop = catalog.is_workshop(text)
    if acronym and workshop:
        acronym = catalog.workshop_label(acronym)
    name = acronym or fallback_name
    if not name:
        return None
    label = f"{name}'{year[2:]}" if year else name
    return Evidence(text, label, year, workshop, journal)


def weigh(
    published: dict[str, str], label: str, evidence: Evidence | None, *, s2_workshop: bool
) -> tuple[dict[str, str], str]:
    """Semantic Scholar's answer (PUBLISHED fields, LABEL) weighed against arXiv's EVIDENCE.

    A workshop paper is never taken for the main conference: when arXiv says workshop and
    Semantic Scholar names the conference, its venue fields are dropped and the workshop's
    label and year taken. Where Semantic Scholar knows nothing, the evidence alone gives
    the label and year (and the journal, from a journal_ref).
    """
    if evidence is None:
        return published, label
    if published and not (evidence.workshop and not s2_workshop):
        return published, label
    fields = {"year": evidence.year} if evidence.year else {}
    if evidence.journal and not evidence.workshop:
        fields["journal"] = bibtex.text_to_bibtex(evidence.journal)
    return fields, evidence.label


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
