"""`soralit taxonomy`: show the sections and categories; edit them (`operations.categories`)."""

from __future__ import annotations

import click

from soralit import output
from soralit.commands.options import library_path, load
from soralit.model import slugify
from soralit.operations import categories


@click.group("taxonomy", invoke_without_command=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["auto", "tree", "json"]), default="auto")
@click.pass_context
def taxonomy_cmd(ctx: click.Context, fmt: str) -> None:
    """Show the taxonomy with a count per category, or edit it.

    \b
    Examples:
      soralit taxonomy
      soralit taxonomy add Application "Autonomous Driving" --slug driving
      soralit taxonomy move driving --after robotics
    """
    if ctx.invoked_subcommand:
        return
    library = load(ctx)
    counts = dict.fromkeys(library.taxonomy.slugs(), 0)
    for entry in library.entries:
        for slug in entry.categories:
            counts[slug] = counts.get(slug, 0) + 1
    if fmt == "json":
        import json

        data = [
            {
                "section": s.name,
                "categories": [
                    {"slug": c.slug, "name": c.name, "count": counts[c.slug]} for c in s.categories
                ],
            }
            for s in library.taxonomy.sections
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for section in library.taxonomy.sections:
        total = len(
            {
                e.key
                for e in library.entries
                if set(e.categories) & {c.slug for c in section.categories}
            }
        )
        click.echo(f"{section.name} ({total})")
        for c in section.categories:
            click.echo(f"  {c.name:<32} {c.slug:<32} {counts[c.slug]:>4}")
    if output.stdout_is_tty():
        sections, categories = library.taxonomy.sections, library.taxonomy.slugs()
        output.info(f"{len(categories)} categories in {len(sections)} sections")


@taxonomy_cmd.command("add")
@click.argument("section")
@click.argument("name")
@click.option("--slug", help="The category's slug (default: derived from NAME).")
@click.pass_context
def add_cmd(ctx: click.Context, section: str, name: str, slug: str | None) -> None:
    """Add a category at the end of a section.

    SECTION is created when it does not exist yet.
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
    """Move a category to just after another one."""
    categories.move_category(library_path(ctx), slug, after)
    click.echo(f"Moved {slug!r} after {after!r}.", err=True)


@taxonomy_cmd.command("rm")
@click.argument("slug")
@click.option("--retag-to", metavar="SLUG", help="Move the category's entries to SLUG first.")
@click.pass_context
def rm_cmd(ctx: click.Context, slug: str, retag_to: str | None) -> None:
    """Remove a category from the taxonomy.

    Refused while entries use it, unless --retag-to moves them first.
    """
    result = categories.remove_category(library_path(ctx), slug, retag_to=retag_to or "")
    users = len(result.retagged)
    moved = f"; {users} entr{'y' if users == 1 else 'ies'} retagged to {retag_to!r}."
    click.echo(f"Removed {slug!r}" + (moved if users else "."), err=True)
