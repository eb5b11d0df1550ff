"""`soralit export html`: the paper list as one searchable, self-contained HTML page."""

from __future__ import annotations

import click

from soralit.commands.export_cmd import _selected, _write
from soralit.commands.options import Filters, pass_filters


@click.command("html")
@pass_filters
@click.option("--sort", type=click.Choice(["library", "year", "title"]), default="library")
@click.option("--title", metavar="TEXT", help="The page title (default: the taxonomy's title).")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout."
)
@click.pass_context
def html_cmd(
    ctx: click.Context, filters: Filters, sort: str, title: str | None, output: str | None
) -> None:
    """One HTML page of the list, with search and filters.

    The page is a single file (inline CSS and script, no requests when viewed): open it
    from disk or publish it with GitHub Pages. Readers search titles, authors and venues
    and filter by category, venue and year; the view is kept in the URL. The filter
    options below choose which papers go into the page at all.

    \b
    Examples:
      soralit export html -o site/index.html
      soralit export html --category robotics -o robotics.html
      soralit export html --year 2023- --title "Recent papers" > recent.html
    """
    from soralit.render.html import render_html

    library, entries, chosen = _selected(ctx, filters, sort)
    key = library.taxonomy.citation_key
    citation = library.find(key) if key else None
    page = render_html(
        entries,
        library.taxonomy,
        citation_entry=citation,
        title=title,
        keep_empty=chosen.empty,
    )
    _write(output, page)
    if output and output != "-":
        click.echo(f"Wrote {output}.", err=True)
