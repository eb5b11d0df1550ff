"""`soralit update`: upgrade arXiv preprints to their published versions."""

from __future__ import annotations

import difflib

import click

from soralit import output, storage, upgrade
from soralit.commands.common import find_entry, library_path
from soralit.errors import SourceError
from soralit.model import Entry


@click.command("update")
@click.argument("keys", nargs=-1)
@click.option("--write", "-w", is_flag=True, help="Apply the changes (default: only show them).")
@click.pass_context
def update_cmd(ctx: click.Context, keys: tuple[str, ...], write: bool) -> None:
    """Find preprints that were published since, and upgrade them.

    For every arXiv preprint (or the given KEYs), Semantic Scholar (and DBLP where it
    answers) tells where it was published; arXiv's own record is a second witness: its
    journal reference and an "Accepted at X" in the authors' comment. A workshop paper is
    never taken for the main conference: when arXiv says workshop, the workshop's label
    is proposed, not the conference's fields. The proposed changes (journal/booktitle,
    volume, pages, year, DOI, the short venue label, missing authors from arXiv) are
    shown as a diff per entry; --write applies them. eprint and archivePrefix stay, so
    both versions remain linked. Semantic Scholar's answers are paired with the papers
    by their arXiv IDs. Services: SORALIT_S2_URL, SORALIT_DBLP_URL, SORALIT_ARXIV_URL,
    SORALIT_CROSSREF_URL (with SORALIT_MAILTO, Crossref's polite pool).

    \b
    Examples:
      soralit update
      soralit update gu2024seer --write
    """
    path = library_path(ctx)
    library = storage.load(path)
    if keys:
        candidates = [find_entry(library, k) for k in dict.fromkeys(keys)]
    else:
        candidates = [e for e in library.entries if upgrade.is_preprint(e)]
    candidates = [e for e in candidates if e.arxiv_id]
    if not candidates:
        output.info("No arXiv preprints to look up.")
        return
    proposals = _proposals(candidates)
    for entry in candidates:
        proposal = proposals.get(entry.key)
        if proposal and not proposal.empty:
            click.echo(_diff(entry, proposal), nl=False)
    found = [p for p in proposals.values() if not p.empty]
    if write and found:
        _apply(path, found)
        output.info(f"Updated {len(found)} of {len(candidates)} preprints in {path}.")
    else:
        hint = " Run with --write to apply." if found else ""
        output.info(f"{len(found)} of {len(candidates)} preprints have a published version.{hint}")


def _proposals(entries: list[Entry]) -> dict[str, upgrade.Proposal]:
    """Ask the services; one batch request to Semantic Scholar, DBLP per paper."""
    from soralit.sources import arxiv, semanticscholar

    papers = semanticscholar.fetch_papers([e.arxiv_id for e in entries])
    records: dict = {}
    try:  # arXiv's own journal_ref and comments, and the authors an entry lacks
        records = arxiv.fetch_arxiv([e.arxiv_id for e in entries])
    except SourceError as exc:  # a second opinion: the upgrade goes on without it
        output.info(f"Warning: arXiv's journal references and comments not read: {exc}")
    proposals = {}
    with output.progress(
        len(entries), enabled=output.stderr_is_tty(), label="Looking up"
    ) as advance:
        for done, entry in enumerate(entries, 1):
            proposals[entry.key] = _proposal(entry, papers, records)
            advance(done)
    return proposals


def _proposal(entry: Entry, papers: dict, records: dict) -> upgrade.Proposal:  # type: ignore[type-arg]
    """One entry's proposal from the answers (DBLP and Crossref asked here, per paper)."""
    from soralit.sources import arxiv, dblp, semanticscholar

    paper = papers.get(entry.arxiv_id)
    published, label, kind, workshop = {}, "", "", False
    if paper is not None and not isinstance(paper, SourceError):
        published = semanticscholar.published_fields(paper)
        published, kind = _with_dblp(paper, published, dblp)
        published = _with_crossref_year(published)
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


def _with_dblp(paper, published: dict, dblp) -> tuple[dict, str]:  # type: ignore[no-untyped-def]
    """DBLP's record, where it answers, refines Semantic Scholar's (venue names, pages)."""
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


def _with_crossref_year(published: dict) -> dict:  # type: ignore[type-arg]
    """The publication year from Crossref when only the DOI is known."""
    if published.get("year") or not published.get("doi"):
        return published
    from soralit.sources import crossref

    try:
        year = crossref.work_year(crossref.fetch_crossref(published["doi"]))
    except SourceError:
        return published
    return {**published, "year": year} if year else published


def _diff(entry: Entry, proposal: upgrade.Proposal) -> str:
    new = upgrade.apply(entry.raw, proposal)
    lines = difflib.unified_diff(
        entry.raw.splitlines(keepends=True),
        new.splitlines(keepends=True),
        f"{entry.key} (library.bib:{entry.line})",
        f"{entry.key} (published)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _apply(path, proposals: list[upgrade.Proposal]) -> None:  # type: ignore[no-untyped-def]
    with storage.locked(path):
        library = storage.load(path)
        replacements = {}
        for proposal in proposals:
            entry = library.find(proposal.key)
            if entry is not None:
                replacements[entry.key] = upgrade.apply(entry.raw, proposal)
        storage.save(library, storage.splice_all(library, replacements))
