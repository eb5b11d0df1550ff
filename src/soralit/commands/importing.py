"""`soralit init` and `soralit import md`: start a library, or adopt an existing list."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from soralit import output, storage
from soralit import taxonomy as tax
from soralit.cli import LazyGroup
from soralit.commands.common import library_path
from soralit.duplicates import WorkIndex
from soralit.errors import SoralitError
from soralit.model import Section, Taxonomy
from soralit.render import markdown
from soralit.render.bibtex import format_entry

HEADER = "% A soralit library: a BibTeX file whose taxonomy block below orders the list.\n\n"
README_TEMPLATE = """# {title}

A curated list of papers, kept with [soralit](https://pypi.org/project/soralit/): the
list below is generated from `library.bib` by `soralit export md --in-place README.md`.

{start}
{end}
"""


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
    path = library_path(ctx)
    block = tax.format_taxonomy(Taxonomy(title=title))
    storage.create(path, HEADER + block + "\n")
    output.info(f"Created {path}.")
    readme_path = Path(readme)
    if readme_path.exists():
        output.info(f"{readme_path} exists; left as it is (`soralit import md` adds markers).")
    else:
        text = README_TEMPLATE.format(
            title=title or "Paper List", start=markdown.START, end=markdown.END
        )
        storage.create(readme_path, text)
        output.info(f"Created {readme_path} with the list markers.")


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
@click.option("--fetch", is_flag=True, help="Then complete new arXiv entries from arXiv.")
@click.option("--no-markers", is_flag=True, help="Do not add the soralit markers to README.")
@click.pass_context
def import_md_cmd(ctx, readme, into, under, dry_run, fetch, no_markers) -> None:  # type: ignore[no-untyped-def]
    """Turn an awesome-list README into library entries.

    Headings under the list's heading become sections and categories; list items
    and table rows become entries in their categories, in order. Papers already in
    the library are not added twice. Lines that look like entries but cannot be read
    are reported with their line numbers. Unless --no-markers, the README gets
    <!-- soralit:start/end --> markers around the list, ready for
    `soralit export md --in-place`.

    \b
    Examples:
      soralit import md README.md --dry-run
      soralit import md README.md --under "Paper List" --fetch
    """
    from soralit.importers.markdown import list_region, parse_markdown

    path = Path(into) if into else library_path(ctx)
    text, _ = storage.read_text(Path(readme))
    existing = storage.load(path) if path.exists() else None
    keys = [e.key for e in existing.entries] if existing else []
    result = parse_markdown(text, under=under, existing_keys=keys)
    for problem in result.problems:
        click.echo(f"{readme}:{problem.line}: {problem.reason}: {problem.text}", err=True)
    if not result.entries:
        raise SoralitError(
            f"{readme}: found no paper entries (looked for list items and table rows with a "
            "title and an http(s) link, under headings); nothing written"
        )
    index = WorkIndex(existing.entries if existing else ())
    new, present = [], []
    for entry in result.entries:
        holder = index.holder(entry)
        (present if holder else new).append((entry, holder))
        if not holder:
            index.add(entry)
    taxonomy = merged_taxonomy(existing.taxonomy if existing else Taxonomy(), result.taxonomy)
    summary = f"{len(new)} new, {len(present)} already in the library, " + (
        f"{len(result.problems)} problems"
    )
    if dry_run:
        click.echo(tax.format_taxonomy(taxonomy) + "\n")
        for entry, _ in new:
            click.echo(format_entry(entry))
        output.info(f"Dry run, nothing written: {summary}.")
        return
    write_import(path, existing, taxonomy, [e for e, _ in new])
    for entry, _ in new:
        click.echo(entry.key)
    if not no_markers:
        add_markers(Path(readme), text, list_region(text, result.taxonomy.heading))
    output.info(f"Imported into {path}: {summary}.")
    if fetch:
        complete_from_arxiv(path, [e.key for e, _ in new])


def merged_taxonomy(current: Taxonomy, imported: Taxonomy) -> Taxonomy:
    """CURRENT plus the sections and categories of IMPORTED it lacks, in their order."""
    sections = list(current.sections)
    known = set(current.slugs())
    for section in imported.sections:
        fresh = tuple(c for c in section.categories if c.slug not in known)
        known.update(c.slug for c in fresh)
        at = next((i for i, s in enumerate(sections) if s.slug == section.slug), None)
        if at is None:
            sections.append(Section(section.name, fresh))
        elif fresh:
            sections[at] = Section(sections[at].name, sections[at].categories + fresh)
    return dataclasses.replace(
        current,
        sections=tuple(sections),
        title=current.title or imported.title,
        heading=imported.heading if not current.sections else current.heading,
    )


def write_import(path: Path, existing, taxonomy: Taxonomy, entries) -> None:  # type: ignore[no-untyped-def]
    """Append ENTRIES and set the taxonomy, under the lock (or create the library)."""
    block = tax.format_taxonomy(taxonomy)
    if existing is None:
        body = "\n".join(format_entry(e) for e in entries)
        storage.create(path, HEADER + block + "\n\n" + body)
        return
    with storage.locked(path):
        library = storage.load(path)
        index = WorkIndex(library.entries)
        text = storage.splice_all(library, {}, block)
        for entry in entries:
            if not index.holder(entry) and entry.key not in index.keys:
                text = storage.append_entry(text, format_entry(entry))
        storage.save(library, text)


def add_markers(readme: Path, text: str, region: tuple[int, int]) -> None:
    """Wrap the README's list in the soralit markers, unless it has them already."""
    if markdown.has_markers(text):
        return
    lines = text.splitlines(keepends=True)
    start, end = region
    lines[end:end] = [markdown.END + "\n"]
    lines[start:start] = [markdown.START + "\n"]
    storage.write_atomic(readme, "".join(lines))
    output.info(
        f"Added the soralit markers around the list in {readme} (lines {start + 1}-{end + 2})."
    )


def complete_from_arxiv(path: Path, keys: list[str]) -> None:
    """Fill missing fields (authors, year, primaryClass, DOI) of new arXiv entries."""
    from soralit import adding, bibtext
    from soralit.errors import SourceError
    from soralit.ids import Identifier
    from soralit.render.bibtex import FIELD_CASE

    library = storage.load(path)
    wanted = {e.arxiv_id: e.key for e in library.entries if e.key in keys and e.arxiv_id}
    fetched = adding.fetch(
        [Identifier("arxiv", a) for a in wanted], progress=output.stderr_is_tty()
    )
    failed = [(i, err) for i, err in fetched.items() if isinstance(err, SourceError)]
    for ident, error in failed:
        click.echo(f"Error: {ident}: {error}", err=True)
    with storage.locked(path):
        library = storage.load(path)
        changes = {}
        for ident, record in fetched.items():
            entry = library.find(wanted[ident])
            if entry is None or isinstance(record, SourceError):
                continue
            raw = entry.raw
            for name in ("author", "year", "primaryclass", "doi"):
                if record.get(name) and not entry.get(name):
                    raw = bibtext.set_field(
                        raw, name, record.get(name), spelled=FIELD_CASE.get(name, name)
                    )
            if raw != entry.raw:
                changes[entry.key] = raw
        storage.save(library, storage.splice_all(library, changes))
    output.info(f"Completed {len(changes)} entries from arXiv; {len(failed)} failed.")
    if failed:
        raise SystemExit(1)
