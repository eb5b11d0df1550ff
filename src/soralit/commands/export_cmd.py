"""`soralit export FORMAT`: the paper list and the library in other formats."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from soralit import output, query, storage
from soralit.cli import LazyGroup
from soralit.commands.options import Filters, criteria, load, pass_filters
from soralit.errors import SoralitError, UsageProblem
from soralit.model import Entry
from soralit.render import bib, citation, csljson, markdown


class Drift(SoralitError):
    """`--check` found the file out of date (exit 1, the diff already printed)."""


@click.group("export", cls=LazyGroup, lazy={"html": "soralit.commands.html_cmd:html_cmd"})
def export_cmd() -> None:
    """Export the paper list or the library."""


def _write(path: str | None, content: str) -> None:
    """CONTENT to stdout, or where `-o PATH` says (`output.write_output`)."""
    if path is None or path == "-":
        click.echo(content, nl=False)
        return
    output.write_output(path, content)


def _selected(
    ctx: click.Context, filters: Filters, sort: str = "library"
) -> tuple[storage.Library, list[Entry], query.Criteria]:
    library = load(ctx)
    chosen = criteria(library.taxonomy, filters)
    entries = query.select(query.listed(library.entries, library.taxonomy), chosen)
    return library, query.sort_entries(entries, sort), chosen


output_option = click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout."
)


@export_cmd.command("md")
@pass_filters
@click.option("--toc", is_flag=True, help="Start with a table of contents.")
@click.option(
    "--sort",
    type=click.Choice(["library", "year", "added", "title"]),
    default="library",
    help="Order within each category: file order, year or added date (newest first), title.",
)
@click.option(
    "--new-days",
    type=click.IntRange(min=1),
    metavar="N",
    help="Mark the papers added in the last N days with 🆕 (their `added` field).",
)
@output_option
@click.option(
    "--in-place",
    "in_place",
    type=click.Path(dir_okay=False, exists=True),
    metavar="README",
    help="Replace the list between <!-- soralit:start --> and <!-- soralit:end --> in README.",
)
@click.option("--check", is_flag=True, help="With --in-place: write nothing, exit 1 if outdated.")
@click.option(
    "--force",
    is_flag=True,
    help="With --in-place: replace the list even if it holds links the library lacks.",
)
@click.option(
    "--split",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="One page per section in DIR; the list itself links to them (for long lists).",
)
@click.pass_context
def md_cmd(
    ctx: click.Context,
    filters: Filters,
    toc: bool,
    sort: str,
    new_days: int | None,
    output: str | None,
    in_place: str | None,
    check: bool,
    force: bool,
    split: str | None,
) -> None:
    """The Markdown paper list, in the seed's format.

    Sections, categories, then one line per paper. With --in-place, the list between
    the README's <!-- soralit:start --> and <!-- soralit:end --> lines is replaced; the
    README keeps its own line endings. If the text there links to papers (or any page)
    that the library does not hold, nothing is written and the command says how many:
    papers added to the README by hand, import them first (`soralit import md`);
    papers you removed (`soralit rm`), pass --force to drop them.

    GitHub shows only the first 512,000 bytes of a README: past 500,000 bytes a warning
    says so. --split DIR then writes one page per section into DIR (`technology.md`...),
    and the list becomes an index linking each section's page and each category on it,
    with its number of papers.

    \b
    Examples:
      soralit export md > list.md
      soralit export md --category robotics --toc
      soralit export md --in-place README.md
      soralit export md --in-place README.md --check   # in CI
      soralit export md --in-place README.md --split papers
      soralit export md --sort added --new-days 30
    """
    from soralit.render import split as splitting

    library, entries, chosen = _selected(ctx, filters, sort)
    if (check or force) and not in_place:
        raise UsageProblem(f"--{'check' if check else 'force'} needs --in-place README")
    target = in_place or output
    if split:
        folder = os.path.relpath(split, Path(target).parent if target and target != "-" else ".")
        text, pages = splitting.render_split(
            entries,
            library.taxonomy,
            folder=Path(folder).as_posix(),
            keep_empty=chosen.empty,
            is_new=_new(new_days),
        )
        _write_pages(Path(split), pages, check=check)
    else:
        text = markdown.render_markdown(
            entries, library.taxonomy, toc=toc, keep_empty=chosen.empty, is_new=_new(new_days)
        )
    if not in_place:
        _warn_size(output or "the list", text)
        _write(output, text)
        return
    _sync_readme(Path(in_place), text, library.entries, check=check, force=force)


def _sync_readme(
    path: Path, generated: str, entries: Sequence[Entry], *, check: bool, force: bool
) -> None:
    from soralit.operations.readme import sync_readme

    synced = sync_readme(path, generated, entries, check=check, force=force)
    _warn_size(str(path), synced.new)
    if not synced.changed:
        click.echo(f"{path} is up to date.", err=True)
        return
    if check:
        old, new = synced.old.splitlines(keepends=True), synced.new.splitlines(keepends=True)
        click.echo("".join(difflib.unified_diff(old, new, str(path), "generated")), nl=False)
        raise Drift(f"{path} is out of date: run `soralit export md --in-place {path}`")
    click.echo(f"Updated the list in {path}.", err=True)


def _new(days: int | None) -> Callable[[Entry], bool] | None:
    """The test of a new entry for --new-days DAYS (None without it)."""
    if days is None:
        return None
    from soralit import added

    day = added.today()
    return lambda entry: added.is_new(entry, day, days)


def _warn_size(name: str, text: str) -> None:
    from soralit.render.split import size_warning

    warning = size_warning(name, text)
    if warning:
        click.echo(warning, err=True)


def _write_pages(folder: Path, pages: dict[str, str], *, check: bool) -> None:
    """Write the section pages (with --check: compare them, and fail on a difference)."""
    stale = [n for n, text in pages.items() if _read(folder / n) != text]
    if check and stale:
        raise Drift(f"{folder / stale[0]} is out of date: run `soralit export md --split {folder}`")
    for name in [] if check else stale:
        _write(str(folder / name), pages[name])
        click.echo(f"Wrote {folder / name}.", err=True)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


@export_cmd.command("citation")
@click.argument("key", required=False)
@output_option
@click.pass_context
def citation_cmd(ctx: click.Context, key: str | None, output: str | None) -> None:
    """The `## Citation` block of a paper.

    KEY defaults to the list's own paper (the taxonomy's `citation:`).

    \b
    Examples:
      soralit export citation
      soralit export citation liu2024sora
    """
    library = load(ctx)
    key = key or library.taxonomy.citation_key
    if not key:
        raise UsageProblem("no KEY given and the taxonomy declares no `citation:` key")
    _write(output, citation.render_citation(library.get(key)))


@export_cmd.command("bib")
@pass_filters
@output_option
@click.pass_context
def bib_cmd(ctx: click.Context, filters: Filters, output: str | None) -> None:
    """The matching entries as BibTeX.

    Each entry is written exactly as it stands in the library, after the @string
    definitions it uses; the crossref/xref parents the entries name follow them, so
    the file reads the same on its own.

    \b
    Example:
      soralit export bib --category robotics -o robotics.bib
    """
    library = load(ctx)
    entries = query.select(library.entries, criteria(library.taxonomy, filters))
    _write(output, bib.render_bib(entries))


@export_cmd.command("json")
@pass_filters
@output_option
@click.pass_context
def json_cmd(ctx: click.Context, filters: Filters, output: str | None) -> None:
    """The matching entries as CSL-JSON.

    For pandoc, Zotero and other citeproc tools.

    \b
    Example:
      soralit export json --year 2023 -o refs.json
    """
    library = load(ctx)
    entries = query.select(library.entries, criteria(library.taxonomy, filters))
    _write(output, csljson.render_csljson(entries))
