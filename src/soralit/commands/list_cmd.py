"""`soralit list` and `soralit show`: read-only queries."""

from __future__ import annotations

import click

from soralit import output, query
from soralit.commands.options import FORMATS, Filters, criteria, format_option, load, pass_filters
from soralit.render import bib, listing


@click.command("list")
@pass_filters
@format_option(FORMATS, "tab-separated lines")
@click.option(
    "--sort", type=click.Choice(["library", "year", "title"]), default="library", show_default=True
)
@click.pass_context
def list_cmd(ctx: click.Context, filters: Filters, fmt: str, sort: str) -> None:
    """List entries, filtered by category, venue, year, text.

    Filters combine (all must match); --category may repeat (any of them).
    A section name such as `technology` selects all its categories.

    \b
    Examples:
      soralit list --category robotics
      soralit list --venue CVPR --format keys
      soralit list --year 2022-2023 --author Liu --format json
    """
    library = load(ctx)
    selected = query.sort_entries(
        query.select(library.entries, criteria(library.taxonomy, filters)), sort
    )
    fmt = output.resolve_format(fmt)
    if fmt == "table":
        click.echo(listing.render_table(selected, width=output.terminal_width()), nl=False)
        return
    renderers = {
        "tsv": listing.render_tsv,
        "json": listing.render_json,
        "keys": listing.render_keys,
        "bib": bib.render_bib,
    }
    click.echo(renderers[fmt](selected), nl=False)


@click.command("show")
@click.argument("key")
@click.option("--format", "-f", "fmt", type=click.Choice(["auto", "json", "bib"]), default="auto")
@click.pass_context
def show_cmd(ctx: click.Context, key: str, fmt: str) -> None:
    """Show one entry: its fields, then its BibTeX.

    \b
    Examples:
      soralit show 2024SoraReview
      soralit show 2024SoraReview --format bib
    """
    entry = load(ctx).get(key)
    if fmt == "json":
        click.echo(listing.render_json([entry]), nl=False)
        return
    if fmt == "auto":
        info = listing.entry_to_dict(entry)
        width = max(len(k) for k in info)
        for name, value in info.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            if shown not in ("", None):
                click.echo(f"{name:<{width}}  {shown}")
        click.echo()
    click.echo(bib.entry_text(entry), nl=False)
