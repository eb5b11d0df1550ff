"""`soralit taxonomy`: show the sections and categories; add, rename, move, remove them."""

from __future__ import annotations

import click

from soralit import bibtext, output, storage
from soralit import taxonomy as tax
from soralit.commands.common import library_path, load
from soralit.errors import UsageProblem
from soralit.model import Category, Entry, Taxonomy, slugify


@click.group("taxonomy", invoke_without_command=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["auto", "tree", "json"]), default="auto")
@click.pass_context
def taxonomy_cmd(ctx: click.Context, fmt: str) -> None:
    """Show the taxonomy with a count per category, or edit it.

    Categories nest to any depth; a count includes the papers of the categories below.

    \b
    Examples:
      soralit taxonomy
      soralit taxonomy add Application "Autonomous Driving" --slug driving
      soralit taxonomy move driving --after robotics
    """
    if ctx.invoked_subcommand:
        return
    library = load(ctx)
    taxonomy = library.taxonomy
    held = {n.slug: {m.slug for m in n.walk()} for n in taxonomy.nodes()}
    counts = {
        slug: sum(bool(slugs.intersection(e.categories)) for e in library.entries)
        for slug, slugs in held.items()
    }
    if fmt == "json":
        import json

        def tree(node: Category) -> dict:  # type: ignore[type-arg]
            return {
                "slug": node.slug,
                "name": node.name,
                "count": counts[node.slug],
                "categories": [tree(c) for c in node.children],
            }

        data = [
            {**tree(s), "section": s.name, "categories": [tree(c) for c in s.children]}
            for s in taxonomy.sections
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for depth, node in taxonomy.depths():
        if depth == 1 and node.children:
            click.echo(f"{node.name} ({counts[node.slug]})")
            continue
        name = "  " * max(depth - 2, 0) + node.name  # two levels look as they always did
        click.echo(f"  {name:<32} {node.slug:<32} {counts[node.slug]:>4}")
    if output.stdout_is_tty():
        sections, categories = taxonomy.sections, taxonomy.categories()
        output.info(f"{len(categories)} categories in {len(sections)} sections")


def _edit(ctx: click.Context, change) -> Taxonomy:  # type: ignore[no-untyped-def]
    """Apply CHANGE(taxonomy, library) under the lock and write the new block."""
    path = library_path(ctx)
    with storage.locked(path):
        library = storage.load(path)
        new = change(library.taxonomy, library)
        storage.save(library, storage.replace_taxonomy(library, tax.format_taxonomy(new)))
    return new


@taxonomy_cmd.command("add")
@click.argument("section")
@click.argument("name")
@click.option("--slug", help="The category's slug (default: derived from NAME).")
@click.pass_context
def add_cmd(ctx: click.Context, section: str, name: str, slug: str | None) -> None:
    """Add a category at the end of another.

    SECTION is the category to add it under, at any depth (by slug or name); a new
    top-level section is created when no category has that name.
    """
    slug = slug or slugify(name)
    _edit(ctx, lambda t, _lib: tax.add_category(t, section, name, slug))
    click.echo(f"Added category {slug!r} to {section!r}.", err=True)


@taxonomy_cmd.command("rename")
@click.argument("slug")
@click.argument("name")
@click.pass_context
def rename_cmd(ctx: click.Context, slug: str, name: str) -> None:
    """Give a category a new display name.

    Its slug, which entries use, stays the same.
    """
    _edit(ctx, lambda t, _lib: tax.rename_category(t, slug, name))
    click.echo(f"Renamed {slug!r} to {name!r}.", err=True)


@taxonomy_cmd.command("move")
@click.argument("slug")
@click.option("--after", required=True, metavar="SLUG", help="Put it just after this category.")
@click.pass_context
def move_cmd(ctx: click.Context, slug: str, after: str) -> None:
    """Move a category (with those below it) after another.

    It goes to the other category's level, just after it.
    """
    _edit(ctx, lambda t, _lib: tax.move_category(t, slug, after))
    click.echo(f"Moved {slug!r} after {after!r}.", err=True)


@taxonomy_cmd.command("rm")
@click.argument("slug")
@click.option("--retag-to", metavar="SLUG", help="Move the category's entries to SLUG first.")
@click.pass_context
def rm_cmd(ctx: click.Context, slug: str, retag_to: str | None) -> None:
    """Remove a category from the taxonomy.

    Refused while entries use it, unless --retag-to moves them first, and while
    categories sit below it.
    """
    path = library_path(ctx)
    with storage.locked(path):
        library = storage.load(path)
        users = [e for e in library.entries if slug in e.categories]
        if users and not retag_to:
            keys = ", ".join(e.key for e in users)
            raise UsageProblem(
                f"category {slug!r} is used by {_count(users)} ({keys}); use --retag-to SLUG"
            )
        new_tax = tax.remove_category(library.taxonomy, slug)
        if retag_to and new_tax.category(retag_to) is None:
            raise UsageProblem(f"no category {retag_to!r} to retag to")
        retagged = {e.key: retag(e, slug, retag_to) for e in users} if retag_to else {}
        block = tax.format_taxonomy(new_tax)
        library_text = storage.splice_all(library, retagged, block)
        storage.save(library, library_text)
    click.echo(
        f"Removed {slug!r}" + (f"; {_count(users)} retagged to {retag_to!r}." if users else "."),
        err=True,
    )


def retag(entry: Entry, old: str, new: str) -> str:
    """ENTRY's text with category OLD replaced by NEW in `keywords` (no duplicates)."""
    slugs = [new if s == old else s for s in entry.categories]
    return bibtext.set_field(entry.raw, "keywords", ", ".join(dict.fromkeys(slugs)))


def _count(entries: list[Entry]) -> str:
    return f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
