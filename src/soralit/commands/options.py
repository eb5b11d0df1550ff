"""Shared pieces of the commands: the library path, loading it, filter and format options."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from soralit import query, storage
from soralit.model import Taxonomy

FORMATS = ("auto", "table", "tsv", "json", "keys", "bib")
Filters = dict[str, Any]  # the filter options' values, by name (`pass_filters`)


def format_option(choices: Sequence[str], piped: str) -> Callable[..., Any]:
    """`--format/-f` with `auto` first: a table on a terminal, PIPED when not."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(choices),
        default="auto",
        show_default=True,
        help=f"auto: a table on a terminal, {piped} in a pipe.",
    )


def library_path(ctx: click.Context) -> Path:
    return Path(ctx.find_root().obj["library"])


def load(ctx: click.Context) -> storage.Library:
    return storage.load(library_path(ctx))


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--category/--venue/--year/--author/--search, shared by `list` and `export`."""
    options = [
        click.option(
            "--category",
            "-c",
            "categories",
            multiple=True,
            metavar="NAME",
            help="Category slug or name, or a section (repeatable: any of them).",
        ),
        click.option("--venue", metavar="PREFIX", help="Venue label prefix: CVPR, NeurIPS, arXiv."),
        click.option("--year", metavar="YEAR[-YEAR]", help="A year or range: 2023, 2022-2024."),
        click.option("--author", metavar="NAME", help="Part of an author's name."),
        click.option("--search", "-s", metavar="TEXT", help="Words in the title or abstract."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def criteria(taxonomy: Taxonomy, params: dict[str, Any]) -> query.Criteria:
    """Build query criteria from the filter options (raises UsageProblem on bad input)."""
    return query.Criteria(
        categories=query.resolve_categories(taxonomy, params.get("categories") or ()),
        venue=params.get("venue") or "",
        years=query.parse_years(params["year"]) if params.get("year") else None,
        author=params.get("author") or "",
        search=params.get("search") or "",
    )


def pass_filters(func: Callable[..., Any]) -> Callable[..., Any]:
    """Collect the filter option values into one `filters` dict argument."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        keys = ("categories", "venue", "year", "author", "search")
        kwargs["filters"] = {k: kwargs.pop(k, None) for k in keys}
        return func(*args, **kwargs)

    return filter_options(wrapper)
