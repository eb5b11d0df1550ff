"""Standard output that fails: a full disk (`> /dev/full`), a reader gone (`| head -1` of
a long list), a stdout closed at start (`>&-`).

Such a failure is one `Error: cannot write to stdout: ...` line and exit 1 for every
command, `--help` and `--version` included, never a traceback nor Python's "Exception
ignored" at exit. `cli.SoralitGroup` runs its parsing and its command inside `guard()`.
Plain Python and click; no soralit imports.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator

import click

# What a write to a stream (never the opening of a file: that error names the file) fails
# with: no reader, no space, over quota or size limit, a closed or broken descriptor.
STREAM_ERRORS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EBADF, errno.EIO}
)


class ClosedStdout(io.TextIOBase):
    """Stands for a stdout closed at start (Python sets `sys.stdout` to None then, and
    click would drop the output silently): writing to it fails like a closed descriptor."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, _text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False


def is_stream_error(exc: BaseException) -> bool:
    """Whether EXC is a failed write to a stream (rather than a file soralit opened)."""
    return isinstance(exc, OSError) and exc.errno in STREAM_ERRORS and exc.filename is None


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Turn a failed write to stdout inside the block into one `Error:` line, exit 1."""
    if sys.stdout is None:
        sys.stdout = ClosedStdout()
    try:
        try:
            yield
        finally:
            sys.stdout.flush()  # buffered output fails here, not at interpreter exit
    except OSError as exc:
        if not is_stream_error(exc):
            raise
        _silence_stdout()
        raise click.ClickException(f"cannot write to stdout: {exc.strerror}") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null: what is still buffered is dropped at exit, quietly."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
