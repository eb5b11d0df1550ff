"""The edge where results meet the terminal: format choice, consoles, tables.

Data goes to stdout, everything else (progress, summaries, warnings) to stderr. The format
is chosen from `sys.stdout.isatty()`, never from rich's `is_terminal` (FORCE_COLOR flips it).
rich is imported only when a rich table or progress bar is drawn; it honours NO_COLOR.
(`list --format table` is plain text, laid out by `render.listing.render_table`.)
"""

from __future__ import annotations

import contextlib
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from soralit.errors import LibraryError

# Paths that name one of this process's own descriptors: written to, never replaced.
_DESCRIPTORS = {"/dev/stdout": 1, "/dev/stderr": 2}
_FD_PATH = re.compile(r"/(?:dev|proc/self)/fd/(\d+)")


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


def write_output(target: str, content: str | bytes) -> None:
    """Write CONTENT where `-o TARGET` says, as a user means it.

    `-` is stdout. A regular file, or a new one (with its folders), is replaced atomically
    (`fileio.write_atomic`). /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are
    this process's own descriptors: written to, never truncated or replaced. Anything
    else that is there (a named pipe, /dev/null, a terminal) is opened and written into.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    match = _FD_PATH.fullmatch(target)
    fd = 1 if target == "-" else _DESCRIPTORS.get(target, int(match[1]) if match else None)
    if fd is not None:
        _write_descriptor(fd, data)
        return
    path = Path(target)
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    except OSError as exc:
        raise LibraryError(target, None, f"cannot write: {exc.strerror or exc}") from None
    try:
        if mode is None or stat.S_ISREG(mode):
            _make_folder(path)
            from soralit.fileio import write_atomic

            write_atomic(path, [data])
        else:
            with open(path, "wb") as handle:
                handle.write(data)
    except OSError as exc:
        raise LibraryError(target, None, f"cannot write: {exc.strerror or exc}") from None


def _write_descriptor(fd: int, data: bytes) -> None:
    """DATA to descriptor FD; stdout through `sys.stdout` (its buffer stays in order)."""
    if fd == 1:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with open(fd, "wb", closefd=False) as handle:
        handle.write(data)


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LibraryError(path, None, f"cannot create its folder: {exc.strerror or exc}") from None


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
