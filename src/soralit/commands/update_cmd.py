"""`soralit update`: upgrade arXiv preprints to their published versions
(`operations.updates`)."""

from __future__ import annotations

import difflib
import functools

import click

from soralit import output, upgrade
from soralit.commands.options import library_path
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
    from soralit.operations.updates import update

    path = library_path(ctx)
    progress = functools.partial(output.progress, enabled=output.stderr_is_tty())
    result = update(path, keys, write=write, progress=progress)
    for warning in result.warnings:
        output.info(f"Warning: {warning}")
    if not result.candidates:
        output.info("No arXiv preprints to look up.")
        return
    by_key = {e.key: e for e in result.candidates}
    for proposal in result.proposals:
        click.echo(diff(by_key[proposal.key], proposal), nl=False)
    found, looked = len(result.proposals), len(result.candidates)
    if result.written:
        output.info(f"Updated {found} of {looked} preprints in {path}.")
    else:
        hint = " Run with --write to apply." if found else ""
        output.info(f"{found} of {looked} preprints have a published version.{hint}")


def diff(entry: Entry, proposal: upgrade.Proposal) -> str:
    """The entry's text before and after the proposal, as a unified diff."""
    new = upgrade.apply(entry.raw, proposal)
    lines = difflib.unified_diff(
        entry.raw.splitlines(keepends=True),
        new.splitlines(keepends=True),
        f"{entry.key} (library.bib:{entry.line})",
        f"{entry.key} (published)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
