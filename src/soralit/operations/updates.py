"""`soralit update`: find where arXiv preprints were published, and upgrade their entries.

Semantic Scholar is asked for every preprint at once (its answers paired by arXiv ID),
DBLP and Crossref per paper where they can refine the answer, arXiv for its own record:
missing authors, and a second witness (its journal_ref, an "Accepted at X" comment) that
keeps a workshop paper from being taken for the main conference (`upgrade.weigh`).
What changes is decided by the pure `upgrade.propose`; the write is one `storage.edit` of
the changed entries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soralit import catalog, storage, upgrade
from soralit.errors import SourceError
from soralit.model import Entry
from soralit.operations.progress import Progress, no_progress


@dataclass(frozen=True)
class UpdateResult:
    candidates: tuple[Entry, ...]  # the preprints looked up
    proposals: tuple[upgrade.Proposal, ...]  # the non-empty ones, in library order
    written: bool
    warnings: tuple[str, ...] = ()


def update(
    path: str | Path,
    keys: Sequence[str] = (),
    *,
    write: bool = False,
    progress: Progress = no_progress,
) -> UpdateResult:
    """Look up the arXiv preprints of the library (or the entries KEYS) and, with WRITE,
    apply the proposed changes (journal/booktitle, volume, pages, year, DOI, the short
    venue label, missing authors). A failing Semantic Scholar raises `SourceError`."""
    library = storage.load(path)
    if keys:
        candidates = [library.get(k) for k in dict.fromkeys(keys)]
    else:
        candidates = [e for e in library.entries if catalog.cites_preprint(e)]
    candidates = [e for e in candidates if e.arxiv_id]
    if not candidates:
        return UpdateResult((), (), False)
    found, warnings = propose_all(candidates, progress)
    proposals = tuple(p for e in candidates if (p := found.get(e.key)) and not p.empty)
    if write and proposals:
        with storage.edit(path) as tx:
            for proposal in proposals:
                if tx.library.find(proposal.key) is not None:
                    tx.replace_entry(proposal.key, upgrade.apply(tx.raw(proposal.key), proposal))
    return UpdateResult(tuple(candidates), proposals, write and bool(proposals), warnings)


def propose_all(
    entries: Sequence[Entry], progress: Progress = no_progress
) -> tuple[dict[str, upgrade.Proposal], tuple[str, ...]]:
    """Ask the services; one batch request to Semantic Scholar, DBLP per paper."""
    from soralit.sources import arxiv, semanticscholar

    papers = semanticscholar.fetch_papers([e.arxiv_id for e in entries])
    records: Mapping[str, Any] = {}
    warnings: tuple[str, ...] = ()
    try:  # arXiv's own journal_ref and comments, and the authors an entry lacks
        records = arxiv.fetch_arxiv([e.arxiv_id for e in entries])
    except SourceError as exc:  # a second witness: the upgrade goes on without it
        warnings = (f"arXiv's journal references and comments not read: {exc}",)
    proposals = {}
    missed: list[str] = []
    with progress(len(entries), label="Looking up") as advance:
        for done, entry in enumerate(entries, 1):
            proposals[entry.key] = _proposal(entry, papers, records, missed)
            advance(done)
    return proposals, (*warnings, *missed)


def _proposal(
    entry: Entry, papers: Mapping[str, Any], records: Mapping[str, Any], missed: list[str]
) -> upgrade.Proposal:
    """One entry's proposal from the answers (DBLP and Crossref asked here, per paper).
    A service that fails where its answer is needed leaves the entry as it is, with a
    warning in MISSED, rather than half an upgrade."""
    from soralit.sources import arxiv, semanticscholar

    paper = papers.get(entry.arxiv_id)
    published: dict[str, str] = {}
    label, kind, workshop = "", "", False
    if paper is not None and not isinstance(paper, SourceError):
        published = semanticscholar.published_fields(paper)
        published, kind = _with_dblp(paper, published)
        try:
            published = _with_crossref_year(published)
        except SourceError as exc:
            missed.append(f"{entry.key}: not upgraded: the year of its DOI not read: {exc}")
            published = {}
        year = int(published["year"]) if published.get("year", "").isdigit() else None
        # Without a sure year (S2's is the preprint's), no label rather than a wrong one.
        label = semanticscholar.short_venue_label(paper, year=year) if year else ""
        workshop = semanticscholar.is_workshop_paper(paper)
    record = records.get(entry.arxiv_id)
    authors, evidence = "", None
    if record is not None and not isinstance(record, SourceError):
        authors = arxiv.record_to_entry(record, key="").get("author")
        evidence = upgrade.arxiv_evidence(record.journal_ref, record.comment)
    weighed, label = upgrade.weigh(published, label, evidence, s2_workshop=workshop)
    kind = kind if weighed is published else ""
    return upgrade.propose(entry, weighed, label, published_type=kind, authors=authors)


def _with_dblp(paper: Any, published: dict[str, str]) -> tuple[dict[str, str], str]:
    """DBLP's record, where it answers, refines Semantic Scholar's (venue names, pages)."""
    from soralit.sources import dblp

    if not published or not paper.dblp_key or dblp.is_corr_key(paper.dblp_key):
        return published, ""
    try:
        record = dblp.fetch_dblp_record(paper.dblp_key)
    except SourceError:
        return published, ""  # a second source: its silence changes nothing
    fields = dblp.published_fields(record)
    if not fields:
        return published, ""
    merged = {k: v for k, v in published.items() if k not in ("journal", "booktitle")}
    return {**merged, **fields}, record.get("type", "")


def _with_crossref_year(published: dict[str, str]) -> dict[str, str]:
    """The publication year from Crossref when only the DOI is known (SourceError when
    Crossref does not answer)."""
    if published.get("year") or not published.get("doi"):
        return published
    from soralit.sources import crossref

    year = crossref.work_year(crossref.fetch_crossref(published["doi"]))
    return {**published, "year": year} if year else published
