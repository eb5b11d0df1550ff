"""The edge where results meet the terminal: format choice, consoles, tables.

Data goes to stdout, everything else (progress, summaries, warnings) to stderr. The format
is chosen from `sys.stdout.isatty()`, never from rich's `is_terminal` (FORCE_COLOR flips it).
rich is imported only when a table or progress bar is drawn; it honours NO_COLOR.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


@cache
def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    caption: str = "",
    title: str = "",
    markup: bool = True,
) -> None:
    """A rich table on stdout (used for `--format table` and `auto` on a terminal).

    With `markup=False` the cells are plain text, shown as they are (a title such as
    `[bold] ...` stays text), and the column widths are measured here: rich's own
    measuring of every cell was most of the time of `soralit list` on a small library.
    """
    from rich.table import Column, Table

    if markup:
        table = Table(*columns, title=title or None, caption=caption or None, show_lines=False)
        for row in rows:
            table.add_row(*row)
    else:
        from rich.text import Text

        table = Table(
            *(Column(header=Text(name)) for name in columns),
            title=Text(title, style="table.title") if title else None,
            caption=Text(caption, style="table.caption") if caption else None,
            show_lines=False,
        )
        rows = [tuple(row) for row in rows]
        for column, width in zip(table.columns, plain_widths(columns, rows), strict=True):
            column.width = width
        for row in rows:
            table.add_row(*map(Text, row))
    console().print(table)


def plain_widths(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Column widths that fit the console, found as rich finds them for plain text: the
    widest content, then, while too wide, the widest columns narrowed together down to
    the next widest (`rich.table.Table._collapse_widths`)."""
    from rich.cells import cell_len

    widths = [
        max(cell_len(t) for t in [name, *(r[i] for r in rows)]) for i, name in enumerate(columns)
    ]
    room = console().width - 3 * len(widths) - 1  # a border and two spaces per column, one more
    excess = sum(widths) - room
    while excess > 0:
        widest = max(widths)
        below = max((w for w in widths if w != widest), default=0)
        tied = [i for i, w in enumerate(widths) if w == widest]
        cap, remaining = min(excess, widest - below), excess
        for left, i in zip(range(len(tied), 0, -1), tied, strict=True):
            cut = min(cap, round(remaining / left), widths[i] - 1)
            widths[i] -= cut
            remaining -= cut
        if remaining == excess:
            break  # every column is one character wide
        excess = remaining
    return widths


def resolve_format(requested: str) -> str:
    """`auto` becomes `table` on a terminal and `tsv` otherwise."""
    if requested == "auto":
        return "table" if stdout_is_tty() else "tsv"
    return requested


def info(message: str) -> None:
    """A human note on stderr (summaries, hints), plain so pipes and logs stay readable."""
    print(message, file=sys.stderr)


@contextlib.contextmanager
def progress(total: int, *, enabled: bool, label: str) -> Iterator[Callable[[int], None]]:
    """A transient progress bar on stderr, for terminals and several items only.

    Yields `advance(done)`; without a bar it does nothing.
    """
    if not enabled or total < 2:
        yield lambda _done: None
        return
    from rich.progress import Progress

    with Progress(console=err_console(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)
