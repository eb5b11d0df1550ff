"""Files on disk, knowing nothing of BibTeX: reading, the writers' lock, atomic replacement.

- `read_file`: a file's bytes and what `fstat` said of it (`FileState`), errors as
  `LibraryError`s.
- `locked`: the exclusive lock of soralit's writers, taken on the file itself (POSIX
  `flock`), so no lock file is left beside it. It yields the open, locked file.
- `check_writable`: refuses a file the user could not write before anything is done.
- `write_atomic`: same-folder temp file, fsync, rename over the target, folder fsync; the
  file keeps its mode and (where the system lets us) its owner and group.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from soralit.errors import LibraryError

LOCK_TIMEOUT = 30.0  # seconds: a concurrent `soralit add` finishes well within this
# A temp file this old (seconds) is a killed write's: no live write takes nearly as long.
STALE_TEMP_AGE = 3600
# A file last changed this long (ns) before it was read can be trusted to show any later
# change in its stat: coarser than every file system's timestamps (FAT: 2 s).
SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class FileState:
    """What `fstat` said of a file just before its bytes were read."""

    signature: tuple[int, ...]  # mtime, ctime (ns), size, inode, device
    settled: bool  # changed at least SETTLED_NS before the read

    @classmethod
    def of(cls, st: os.stat_result) -> FileState:
        last_change = max(st.st_mtime_ns, st.st_ctime_ns)
        signature = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)
        return cls(signature, time.time_ns() - last_change >= SETTLED_NS)

    def same_file(self, later: FileState) -> bool:
        """Whether the file cannot have changed between the two reads.

        Only for a settled file: a write in the same clock tick as the first read could
        leave mtime and size as they were. ctime catches an mtime set back by `touch`.
        """
        return self.settled and later.signature == self.signature


def read_file(path: Path) -> tuple[bytes, FileState]:
    """The file's bytes and its state just before they were read, or a LibraryError."""
    try:
        with open(path, "rb") as handle:
            return read_handle(handle.fileno())
    except OSError as exc:
        raise _read_error(path, exc) from None


def read_handle(fd: int) -> tuple[bytes, FileState]:
    """The whole content of open file FD (from its start) and its state."""
    state = FileState.of(os.fstat(fd))
    os.lseek(fd, 0, os.SEEK_SET)
    with open(fd, "rb", closefd=False) as handle:
        return handle.read(), state


def holds(fd: int, data: bytes) -> bool:
    """Whether open file FD holds exactly DATA: compared in place where the file can be
    mapped (one memcmp against the page cache, no copy), else read in small pieces into
    one buffer (no new 3 MB object to fault in, as a whole read would make)."""
    if os.fstat(fd).st_size != len(data):
        return False
    import mmap

    try:
        with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as mapped:
            return len(mapped) == len(data) and data.startswith(mapped)
    except (OSError, ValueError):  # an empty file, or one that cannot be mapped
        pass
    buffer = bytearray(min(len(data), 1 << 18) or 1)
    offset = 0
    os.lseek(fd, 0, os.SEEK_SET)
    with open(fd, "rb", buffering=0, closefd=False) as handle:
        while offset < len(data):
            count = handle.readinto(buffer)
            read = buffer if count == len(buffer) else buffer[:count]
            # bytes against bytes: a memcmp (memoryviews compare item by item, 100x slower)
            if not count or read != data[offset : offset + count]:
                return False
            offset += count
        return not handle.read(1)


def _read_error(path: Path, exc: OSError) -> LibraryError:
    if isinstance(exc, FileNotFoundError):
        return LibraryError(path, None, "no such file (set --library or SORALIT_LIBRARY)")
    if isinstance(exc, IsADirectoryError):
        return LibraryError(path, None, "is a directory, not a .bib file")
    return LibraryError(path, None, f"cannot read: {exc.strerror or exc}")


def decode(path: Path, data: bytes) -> str:
    """DATA as UTF-8 (a byte-order mark is dropped), or a LibraryError with the line."""
    try:
        # utf-8-sig only when needed: it decodes at half the speed of utf-8.
        return data.decode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LibraryError(path, line, "is not valid UTF-8") from None


def check_writable(path: Path) -> None:
    """Refuse, before anything is read or fetched, a file soralit may not replace.

    A file without write permission for this user is refused, and so is a file whose mode
    gives nobody write permission even when the user is root (whom the system would let
    write): `chmod 444 library.bib` means "do not edit". A missing file is left to the
    reader to report.
    """
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return
    if not os.access(real, os.W_OK) or not mode & 0o222:
        raise LibraryError(
            path,
            None,
            f"cannot write: the file is read-only ({stat.filemode(mode)}); nothing written",
        )


# --- the writers' lock ---------------------------------------------------------------


@contextlib.contextmanager
def locked(path: Path) -> Iterator[int]:
    """Hold the writers' lock of PATH (an existing file); yields its open descriptor.

    On POSIX the lock is `flock` on the file itself: nothing is created next to it. A
    writer replaces the file by rename, so a lock won on a file that is no longer the one
    at PATH is let go and taken again on the new one. Elsewhere (Windows, where an open
    file cannot be renamed over), filelock on a file in soralit's cache folder.
    """
    real = Path(os.path.realpath(path))
    try:
        import fcntl
    except ImportError:  # Windows
        with _filelock(path, real) as fd:
            yield fd
        return
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        fd = _open_for_lock(path, real)
        try:
            _wait_for(fcntl, fd, path, deadline)
            if _same_inode(fd, real):
                _remove_old_lock_file(fcntl, real)
                yield fd
                return
        finally:
            os.close(fd)  # releases the lock


def _open_for_lock(path: Path, real: Path) -> int:
    try:
        return os.open(real, os.O_RDONLY)
    except OSError as exc:
        raise _read_error(path, exc) from None


def _wait_for(fcntl: ModuleType, fd: int, path: Path, deadline: float) -> None:
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                message = f"locked by another soralit for {LOCK_TIMEOUT:g} s"
                raise LibraryError(path, None, message) from None
            time.sleep(0.02)


def _same_inode(fd: int, real: Path) -> bool:
    """Whether FD is still the file at REAL (not one replaced while we waited)."""
    held = os.fstat(fd)
    try:
        now = os.stat(real)
    except FileNotFoundError:
        return False
    return (held.st_ino, held.st_dev) == (now.st_ino, now.st_dev)


def _remove_old_lock_file(fcntl: ModuleType, real: Path) -> None:
    """Delete the sibling `NAME.lock` soralit 0.1 left in the user's folder, unless an
    old soralit holds it right now."""
    old = real.with_name(real.name + ".lock")
    with contextlib.suppress(OSError):
        fd = os.open(old, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            st = os.fstat(fd)
            if stat.S_ISREG(st.st_mode) and st.st_size == 0:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(old)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _filelock(path: Path, real: Path) -> Iterator[int]:
    import hashlib

    from filelock import FileLock, Timeout
    from platformdirs import user_cache_dir

    folder = Path(os.environ.get("SORALIT_LOCK_DIR") or user_cache_dir("soralit")) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(os.fsencode(real)).hexdigest()[:32]
    lock = FileLock(folder / f"{name}.lock", timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        message = f"locked by another soralit for {LOCK_TIMEOUT:g} s"
        raise LibraryError(path, None, message) from None
    try:
        fd = _open_for_lock(path, real)
        try:
            yield fd
        finally:
            os.close(fd)
    finally:
        lock.release()


# --- atomic replacement --------------------------------------------------------------


def write_atomic(path: Path, text: str | Sequence[bytes | memoryview]) -> None:
    """Replace PATH with TEXT (or the concatenation of byte chunks): same-folder temp
    file, fsync, rename, folder fsync. The file keeps its mode, owner and group."""
    path = Path(os.path.realpath(path))  # a symlinked library stays a link to the new text
    try:
        old: os.stat_result | None = path.stat()
    except FileNotFoundError:
        old = None
    import tempfile  # only writes need it; importing it costs read-only commands ~2.5 ms

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _keep_owner(fd, old)
        chunks = [text.encode("utf-8")] if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(old.st_mode) if old else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_folder(path.parent)
    remove_stale_temps(path)


def replace_file(path: Path, chunks: Sequence[bytes | memoryview]) -> None:
    """`write_atomic`, with a failure as one LibraryError line (`cannot write: ...`)."""
    try:
        write_atomic(path, chunks)
    except OSError as exc:
        raise LibraryError(path, None, f"cannot write: {exc.strerror or exc}") from None


def _keep_owner(fd: int, old: os.stat_result | None) -> None:
    """Give the temp file the old file's owner and group; where the system refuses (only
    root may give a file away), at least its group, else leave it as created."""
    if old is None or not hasattr(os, "fchown"):
        return
    now = os.fstat(fd)
    if (now.st_uid, now.st_gid) == (old.st_uid, old.st_gid):
        return
    for uid in (old.st_uid, -1):
        with contextlib.suppress(OSError):
            os.fchown(fd, uid, old.st_gid)
            return


def sync_folder(folder: Path) -> None:
    """Make a rename in FOLDER durable (where folders can be opened)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def remove_stale_temps(path: Path, max_age: float = STALE_TEMP_AGE) -> None:
    """Delete PATH's own temp files (`.NAME.XXXXXXXX.tmp`) older than MAX_AGE seconds.

    Only a write killed between `mkstemp` and `os.replace` leaves one; it is never read,
    but it would pile up next to the library (and show in `git status`).
    """
    limit, prefix = time.time() - max_age, f".{path.name}."
    with os.scandir(path.parent) as found:  # not Path.glob: it compiles a regex per pattern
        temps = [
            e.path
            for e in found
            if e.name.startswith(prefix) and e.name.endswith(".tmp")
            and len(e.name) == len(prefix) + 12
        ]  # fmt: skip
    for tmp in temps:
        with contextlib.suppress(OSError):
            if os.stat(tmp).st_mtime < limit:
                os.unlink(tmp)
