"""`soralit stats`: counts of the paper list as tables with bars, text lines, JSON or a chart.

The counting is `soralit.stats`; this module only draws it. rich is imported when a table
is drawn, matplotlib (through `soralit.plot`) only with `--plot`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click

from soralit import output, query
from soralit import stats as counting
from soralit.commands.options import Filters, criteria, format_option, load, pass_filters
from soralit.errors import UsageProblem
from soralit.model import Entry, Taxonomy

BLOCKS = " ▏▎▍▌▋▊▉█"  # eighths of a cell, so short bars still differ
BAR_WIDTH = 24


def bar(count: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of COUNT relative to LARGEST, WIDTH cells at most."""
    if largest <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


def text_lines(stats: counting.Stats) -> Iterator[str]:
    """`kind<TAB>name<TAB>papers` lines: easy to grep, cut and sort."""
    yield f"papers\tall\t{stats.papers}"
    yield f"papers\tpublished\t{stats.published}"
    yield f"papers\tpreprint\t{stats.preprints}"
    yield f"papers\twith code\t{stats.with_code}"
    for row in stats.sections:
        yield f"section\t{row.section.id}\t{row.section.papers}"
        yield from (f"category\t{c.id}\t{c.papers}" for c in row.categories)
    yield from (f"year\t{c.id}\t{c.papers}" for c in stats.years)
    yield from (f"venue\t{c.name}\t{c.papers}" for c in stats.venues)
    if stats.other_venues:
        yield f"venue\t(other)\t{stats.other_venues}"


def _rows(counts: list[tuple[str, int]]) -> list[tuple[str, str, str]]:
    largest = max((n for _, n in counts), default=0)
    return [(name, str(n), bar(n, largest)) for name, n in counts]


def print_tables(stats: counting.Stats) -> None:
    """Four rich tables on stdout, each count with its bar."""
    overview = [
        ("published", stats.published),
        ("preprint", stats.preprints),
        ("with code", stats.with_code),
    ]
    taxonomy = []
    for row in stats.sections:
        taxonomy.append((row.section.name, row.section.papers))
        taxonomy.extend((f"  {c.name}", c.papers) for c in row.categories)
    venues = [(c.name, c.papers) for c in stats.venues]
    if stats.other_venues:
        venues.append(("(other)", stats.other_venues))
    tables = (
        (f"{stats.papers} papers", "kind", overview),
        ("Sections and categories", "section / category", taxonomy),
        ("Papers per year", "year", [(c.name, c.papers) for c in stats.years]),
        ("Top venues", "venue", venues),
    )
    for title, first, counts in tables:
        output.print_table((first, "papers", ""), _rows(counts), title=title)


def _plot_format(path: str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ("svg", "png"):
        raise UsageProblem(f"--plot {path}: the file name must end in .svg or .png")
    return suffix


def write_plot(path: str, entries: list[Entry], taxonomy: Taxonomy, *, by: str, top: int) -> None:
    from soralit import plot

    years, groups = counting.years_by_group(entries, taxonomy, by=by, top=top)
    title = f"Papers per year, by {by}"
    data = plot.plot_years(years, groups, fmt=_plot_format(path), title=title)
    output.write_output(path, data)
    drawn = sum(map(sum, groups.values()))
    left_out = len(entries) - drawn
    note = f"; {left_out} without a year left out" if left_out else ""
    output.info(f"Wrote {path}: {drawn} papers per year, by {by}{note}.")


@click.command("stats")
@pass_filters
@format_option(["auto", "table", "text", "json"], "tab-separated text lines")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="How many venues to show (and to stack with --by venue).")  # fmt: skip
@click.option("--plot", metavar="FILE.svg|FILE.png", help="Draw papers per year to FILE instead.")
@click.option("--by", type=click.Choice(["section", "venue"]), default="section", show_default=True,
              help="With --plot: stack the bars by section or by venue.")  # fmt: skip
@click.pass_context
def stats_cmd(
    ctx: click.Context, filters: Filters, fmt: str, top: int, plot: str | None, by: str
) -> None:
    """Counts of the paper list: sections, years, venues, code.

    Counts the papers in the list (not the list's own paper), after the filters.
    A paper is published when its booktitle, journal or venue label names something
    other than a preprint server (arXiv, bioRxiv, ...); otherwise it is a preprint.
    --plot draws papers per year as stacked bars (needs `pip install 'soralit[plot]'`).

    \b
    Examples:
      soralit stats
      soralit stats --format json --top 5
      soralit stats --category technology
      soralit stats --plot docs/images/stats.svg
      soralit stats --plot venues.png --by venue --top 6
    """
    if plot:
        _plot_format(plot)  # a bad name fails before the library is read
    library = load(ctx)
    entries = query.select(
        query.listed(library.entries, library.taxonomy), criteria(library.taxonomy, filters)
    )
    if plot:
        write_plot(plot, entries, library.taxonomy, by=by, top=top)
        return
    stats = counting.compute_stats(entries, library.taxonomy, top=top)
    fmt = "table" if fmt == "auto" and output.stdout_is_tty() else fmt
    if fmt == "json":
        click.echo(json.dumps(counting.stats_to_dict(stats), ensure_ascii=False, indent=2))
    elif fmt == "table":
        print_tables(stats)
    else:
        click.echo("".join(f"{line}\n" for line in text_lines(stats)), nl=False)
