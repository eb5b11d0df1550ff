"""The edge where results meet the terminal: format choice, consoles, tables.

Data goes to stdout, everything else (progress, summaries, warnings) to stderr. The format
is chosen from `sys.stdout.isatty()`, never from rich's `is_terminal` (FORCE_COLOR flips it).
rich is imported only when a rich table or progress bar is drawn; it honours NO_COLOR.
(`list --format table` is plain text, laid out by `render.listing.render_table`.)
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
) -> None:
    """A rich table on stdout (`stats` and `check` on a terminal); cells are rich markup."""
    from rich.table import Table

    table = Table(*columns, title=title or None, caption=caption or None, show_lines=False)
    for row in rows:
        table.add_row(*row)
    console().print(table)


def terminal_width() -> int:
    """Columns of the terminal (or $COLUMNS, or 80 when stdout is not a terminal)."""
    import shutil

    return shutil.get_terminal_size().columns


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
