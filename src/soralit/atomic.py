"""Atomic file replacement and the lock around read-modify-write. Knows nothing of BibTeX.

`write_atomic`: a temp file in the same folder, fsync, rename over the target (a crash
leaves the old or the new file, never a truncated one). `file_lock`: an exclusive lock
on a sibling `.lock` file, shared with every other soralit process.
"""

from __future__ import annotations

import contextlib
import glob
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from soralit.errors import LibraryError

LOCK_TIMEOUT = 30  # seconds: a concurrent `soralit add` finishes well within this
# A temp file this old (seconds) is a killed write's: no live write takes nearly as long.
STALE_TEMP_AGE = 3600


def write_atomic(path: Path, text: str | Sequence[bytes | memoryview]) -> None:
    """Replace PATH with TEXT (or the concatenation of byte chunks): same-folder temp
    file, fsync, rename; keeps the file mode."""
    path = Path(os.path.realpath(path))  # a symlinked library stays a link to the new text
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    import tempfile  # only writes need it; importing it costs read-only commands ~2.5 ms

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        chunks = [text.encode("utf-8")] if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    remove_stale_temps(path)


def remove_stale_temps(path: Path, max_age: float = STALE_TEMP_AGE) -> None:
    """Delete PATH's own temp files (`.NAME.XXXXXXXX.tmp`) older than MAX_AGE seconds.

    Only a write killed between `mkstemp` and `os.replace` leaves one; it is never read,
    but it would pile up next to the library (and show in `git status`).
    """
    limit = time.time() - max_age
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.{'?' * 8}.tmp"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < limit:
                tmp.unlink()


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Serialise read-modify-write cycles on PATH through a sibling `.lock` file.

    On POSIX this is `fcntl.flock` on that file, the very lock filelock takes there (so
    the two exclude each other), without filelock's import, which alone would be half
    of `soralit add`'s time on a large library. Elsewhere, filelock itself.
    """
    lock_path = Path(f"{path}.lock")
    try:
        import fcntl
    except ImportError:  # Windows
        with _filelock(path, lock_path):
            yield
        return
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # a read-only folder: the lock file cannot be created
        reason = f"{exc.strerror or exc} (creating {lock_path.name})"
        raise LibraryError(path, None, f"cannot write: {reason}") from None
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    message = f"locked by another soralit for {LOCK_TIMEOUT} s"
                    raise LibraryError(path, None, message) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays, as filelock leaves it


@contextlib.contextmanager
def _filelock(path: Path, lock_path: Path) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(lock_path, timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise LibraryError(path, None, f"locked by another soralit for {LOCK_TIMEOUT} s") from None
    except OSError as exc:  # a read-only folder: the lock file cannot be created
        reason = f"{exc.strerror or exc} (creating {lock_path.name})"
        raise LibraryError(path, None, f"cannot write: {reason}") from None
    try:
        yield
    finally:
        lock.release()
