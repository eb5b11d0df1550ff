"""`soralit init` and `soralit import md`: start a library, or adopt an existing list
(`operations.imports`)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from soralit import output
from soralit.bibtex import format_entry
from soralit.cli import LazyGroup
from soralit.commands.options import library_path
from soralit.taxonomy import format_taxonomy
from soralit.text import latex_to_text


@click.command("init")
@click.option("--title", default="", help="The list's title (default: taken from the README).")
@click.option(
    "--readme",
    type=click.Path(dir_okay=False),
    default="README.md",
    show_default=True,
    help="README to create with the markers (kept if it exists).",
)
@click.pass_context
def init_cmd(ctx: click.Context, title: str, readme: str) -> None:
    """Create a new library and a README with the list markers.

    The library gets an empty taxonomy; add sections and categories with
    `soralit taxonomy add`, or fill it from an existing list with `soralit import md`.
    Neither file is overwritten if it exists.

    \b
    Examples:
      soralit init --title "Awesome Video Diffusion"
      soralit taxonomy add Technology Modeling
    """
    from soralit.operations.imports import init_library

    result = init_library(library_path(ctx), title=title, readme=readme)
    output.info(f"Created {result.library}.")
    if result.readme is None:
        output.info(f"{readme} exists; left as it is (`soralit import md` adds markers).")
    else:
        output.info(f"Created {result.readme} with the list markers.")


@click.group("import", cls=LazyGroup)
def import_cmd() -> None:
    """Import a paper list written in another format."""


@import_cmd.command("md")
@click.argument("readme", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--into",
    type=click.Path(dir_okay=False),
    help="Library to import into (default: --library). Created if missing.",
)
@click.option(
    "--under",
    metavar="HEADING",
    help="The heading that holds the list "
    "(default: the one whose subtree holds the paper entries).",
)
@click.option("--dry-run", "-n", is_flag=True, help="Show what would be added; write nothing.")
@click.option(
    "--strict", is_flag=True, help="Fail, writing nothing, if any item with links is not read."
)
@click.option("--fetch", is_flag=True, help="Then complete new arXiv entries from arXiv.")
@click.option("--no-markers", is_flag=True, help="Do not add the soralit markers to README.")
@click.pass_context
def import_md_cmd(
    ctx: click.Context,
    readme: str,
    into: str | None,
    under: str | None,
    dry_run: bool,
    strict: bool,
    fetch: bool,
    no_markers: bool,
) -> None:
    """Turn an awesome-list README into library entries.

    The headings of the list become the taxonomy, to the list's own depth; list
    items, paragraph entries (bold title, authors, venue and links) and table rows
    that read as papers become entries, in order. A paper under two headings is one
    entry in both categories; papers already in the library (same arXiv ID, DOI or
    link) are not added again. Notes inside the list (a paragraph under a heading, a
    <details> tag, an item that is no paper) are kept in the taxonomy and written back
    in place by `export md`. Items with links that are not read as papers are listed
    under "Not imported" with their line numbers (--strict makes them an error).
    Unless --no-markers, <!-- soralit:start/end --> markers go around exactly the
    imported part of the README; its title, intro, news and everything after the list
    stay outside. An import that finds no entries writes nothing.

    A README that has the markers already (a list soralit keeps) is read only between
    them: papers pasted into the generated list by hand come back into the library,
    and the prose around it is left alone (--under reads it all).

    \b
    Examples:
      soralit import md README.md --dry-run
      soralit import md README.md --under "Paper List" --fetch
    """
    from soralit.operations import imports

    path = Path(into) if into else library_path(ctx)
    try:
        result = imports.import_markdown(
            path, readme, under=under, markers=not no_markers, dry_run=dry_run, strict=strict
        )
    except imports.NoEntriesFound as exc:
        show_problems(readme, exc.problems)
        raise
    except imports.NotAllRead as exc:
        show_skipped(readme, exc.skipped)
        raise
    show_problems(readme, result.problems)
    show_skipped(readme, result.skipped)
    for entry, twin in result.twins:
        click.echo(
            f"{readme}:{entry.line}: probably the same paper as {twin} (same title, other "
            f"links); kept both: {latex_to_text(entry.get('title'))}",
            err=True,
        )
    summary = (
        f"{len(result.new)} new, {len(result.present)} already in the library, "
        f"{len(result.problems)} problems, {len(result.skipped)} not imported"
    )
    if dry_run:
        click.echo(format_taxonomy(result.taxonomy) + "\n")
        for entry in result.new:
            click.echo(format_entry(entry))
        output.info(f"Dry run, nothing written: {summary}.")
        return
    for entry in result.new:
        click.echo(entry.key)
    if result.markers:
        start, end = result.markers
        output.info(f"Added the soralit markers around the list in {readme} (lines {start}-{end}).")
    output.info(f"Imported into {path}: {summary}.")
    if fetch:
        progress = functools.partial(output.progress, enabled=output.stderr_is_tty())
        done = imports.complete_from_arxiv(path, [e.key for e in result.new], progress=progress)
        for failure in done.failed:
            click.echo(f"Error: {failure.identifier}: {failure.error}", err=True)
        output.info(
            f"Completed {len(done.completed)} entries from arXiv; {len(done.failed)} failed."
        )
        if done.failed:
            ctx.exit(1)


def show_skipped(readme: str, skipped: Sequence[Any]) -> None:
    """The items with links that were not read as papers, under a "Not imported" line."""
    if skipped:
        click.echo(f"Not imported ({len(skipped)} items with links, not read as papers):", err=True)
    for item in skipped:
        click.echo(f"  {readme}:{item.line}: {item.reason}: {item.text}", err=True)


def show_problems(readme: str, problems: Sequence[Any]) -> None:
    """`README:LINE: reason: text` on stderr for each line that was not read."""
    for problem in problems:
        click.echo(f"{readme}:{problem.line}: {problem.reason}: {problem.text}", err=True)
