"""`soralit init` and `soralit import md`: start a library, or adopt an existing list."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from soralit import output, storage
from soralit import taxonomy as tax
from soralit.cli import LazyGroup
from soralit.commands.common import library_path
from soralit.errors import SoralitError
from soralit.model import Category, Taxonomy
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
@click.option(
    "--strict", is_flag=True, help="Fail, writing nothing, if any item with links is not read."
)
@click.option("--fetch", is_flag=True, help="Then complete new arXiv entries from arXiv.")
@click.option("--no-markers", is_flag=True, help="Do not add the soralit markers to README.")
@click.pass_context
def import_md_cmd(ctx, readme, into, under, dry_run, strict, fetch, no_markers) -> None:  # type: ignore[no-untyped-def]
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

    \b
    Examples:
      soralit import md README.md --dry-run
      soralit import md README.md --under "Paper List" --fetch
    """
    from soralit.importers.markdown import SHAPES, parse_markdown

    path = Path(into) if into else library_path(ctx)
    text, _ = storage.read_text(Path(readme))
    existing = storage.load(path) if path.exists() else None
    keys = [e.key for e in existing.entries] if existing else []
    result = parse_markdown(text, under=under, existing_keys=keys)
    for problem in result.problems:
        click.echo(f"{readme}:{problem.line}: {problem.reason}: {problem.text}", err=True)
    _report_skipped(readme, result.skipped)
    if not result.entries:
        raise SoralitError(
            f"{readme}: found no paper entries (looked for {SHAPES}); nothing written"
        )
    if strict and result.skipped:
        raise SoralitError(
            f"{readme}: {len(result.skipped)} item(s) with links not read as papers "
            "(listed above); nothing written (--strict)"
        )
    new, present = split_known(existing.entries if existing else (), result.entries, readme)
    taxonomy = merged_taxonomy(existing.taxonomy if existing else Taxonomy(), result.taxonomy)
    summary = (
        f"{len(new)} new, {len(present)} already in the library, "
        f"{len(result.problems)} problems, {len(result.skipped)} not imported"
    )
    if dry_run:
        click.echo(tax.format_taxonomy(taxonomy) + "\n")
        for entry in new:
            click.echo(format_entry(entry))
        output.info(f"Dry run, nothing written: {summary}.")
        return
    write_import(path, existing, taxonomy, new)
    for entry in new:
        click.echo(entry.key)
    if not no_markers and result.region is not None:
        add_markers(Path(readme), text, result.region)
    output.info(f"Imported into {path}: {summary}.")
    if fetch:
        complete_from_arxiv(path, [e.key for e in new])


def _report_skipped(readme: str, skipped) -> None:  # type: ignore[no-untyped-def]
    if skipped:
        click.echo(f"Not imported ({len(skipped)} items with links, not read as papers):", err=True)
    for item in skipped:
        click.echo(f"  {readme}:{item.line}: {item.reason}: {item.text}", err=True)


def split_known(held, found, readme: str) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    """FOUND entries the library lacks, and those it holds: the same arXiv ID, DOI or
    paper link, or the same title for an entry with none of those (nothing says it is
    another paper). A title shared by entries with other links is reported ("probably
    the same paper"), never taken as proof."""
    from soralit import text as txt
    from soralit.importers.links import normal_url

    def ids(entry):  # type: ignore[no-untyped-def]
        url = entry.get("url").strip()
        return [
            i
            for i in (
                entry.arxiv_id and "arxiv:" + entry.arxiv_id.lower(),
                entry.doi and "doi:" + entry.doi.lower(),
                url and "url:" + normal_url(url),
            )
            if i
        ]

    by_id = {i: e.key for e in held for i in ids(e)}
    by_title = {txt.normalize_title(e.get("title")): e.key for e in held}
    new, present = [], []
    for entry in found:
        mine = ids(entry)
        twin = by_title.get(txt.normalize_title(entry.get("title")))
        holder = next((by_id[i] for i in mine if i in by_id), "") or ("" if mine else twin)
        if holder:
            present.append(entry)
            continue
        if twin:
            click.echo(
                f"{readme}:{entry.line}: probably the same paper as {twin} (same title, "
                f"other links); kept both: {txt.latex_to_text(entry.get('title'))}",
                err=True,
            )
        new.append(entry)
    return new, present


def merged_taxonomy(current: Taxonomy, imported: Taxonomy) -> Taxonomy:
    """CURRENT plus the categories of IMPORTED it lacks, each under its parent (or at
    the top), in their order. An empty CURRENT takes IMPORTED whole."""
    if not current.sections:
        return dataclasses.replace(imported, title=current.title or imported.title,
                                   citation_key=current.citation_key)  # fmt: skip
    known = set(current.slugs())

    def merge(nodes: tuple[Category, ...], incoming: tuple[Category, ...]) -> tuple[Category, ...]:
        out = list(nodes)
        for node in incoming:
            at = next((i for i, n in enumerate(out) if n.slug == node.slug), None)
            if at is not None:
                out[at] = dataclasses.replace(
                    out[at], children=merge(out[at].children, node.children)
                )
            elif node.slug not in known:
                out.append(node)
                known.update(n.slug for n in node.walk())
        return tuple(out)

    return dataclasses.replace(
        current,
        sections=merge(current.sections, imported.sections),
        title=current.title or imported.title,
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
        taken = {e.key for e in library.entries}
        text = storage.splice_all(library, {}, block)
        for entry in entries:
            if entry.key not in taken:
                text = storage.append_entry(text, format_entry(entry))
        storage.save(library, text)


def add_markers(readme: Path, text: str, region: tuple[int, int]) -> None:
    """Wrap REGION (0-based lines [start, end)) of the README in the soralit markers,
    with the file's own line endings, unless it has markers already."""
    if markdown.has_markers(text):
        return
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    start, end = region
    if end >= len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    lines[end:end] = [markdown.END + newline]
    lines[start:start] = [markdown.START + newline]
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
