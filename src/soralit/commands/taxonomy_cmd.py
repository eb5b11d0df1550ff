"""`soralit taxonomy`: show the sections and categories; edit them (`operations.categories`)."""

from __future__ import annotations

import click

from soralit import output
from soralit.commands.options import library_path, load
from soralit.model import Category, slugify
from soralit.operations import categories


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

        def tree(node: Category) -> dict[str, object]:
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
    # Two levels look as they always did: sections, and their categories indented. A
    # top-level category with none below it, beside sections that have some, is not
    # indented under the section before it.
    mixed = any(s.children for s in taxonomy.sections)
    for depth, node in taxonomy.depths():
        if depth == 1 and node.children:
            click.echo(f"{node.name} ({counts[node.slug]})")
            continue
        name = "  " * max(depth - 2, 0) + node.name
        indent = "" if depth == 1 and mixed else "  "
        click.echo(f"{indent}{name:<{34 - len(indent)}} {node.slug:<32} {counts[node.slug]:>4}")
    if output.stdout_is_tty():
        shown = taxonomy.categories()
        output.info(f"{len(shown)} categories in {len(taxonomy.sections)} sections")


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
    categories.add_category(library_path(ctx), section, name, slug)
    click.echo(f"Added category {slug!r} to {section!r}.", err=True)


@taxonomy_cmd.command("rename")
@click.argument("slug")
@click.argument("name")
@click.pass_context
def rename_cmd(ctx: click.Context, slug: str, name: str) -> None:
    """Give a category a new display name.

    Its slug, which entries use, stays the same.
    """
    categories.rename_category(library_path(ctx), slug, name)
    click.echo(f"Renamed {slug!r} to {name!r}.", err=True)


@taxonomy_cmd.command("move")
@click.argument("slug")
@click.option("--after", required=True, metavar="SLUG", help="Put it just after this category.")
@click.pass_context
def move_cmd(ctx: click.Context, slug: str, after: str) -> None:
    """Move a category (with those below it) after another.

    It goes to the other category's level, just after it.
    """
    categories.move_category(library_path(ctx), slug, after)
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
    result = categories.remove_category(library_path(ctx), slug, retag_to=retag_to or "")
    users = len(result.retagged)
    moved = f"; {users} entr{'y' if users == 1 else 'ies'} retagged to {retag_to!r}."
    click.echo(f"Removed {slug!r}" + (moved if users else "."), err=True)
