"""The only module that reads and writes `library.bib`.

Reading: bibtexparser 2 parses the file (on a cache miss; see `cache.py`) into columns
(`bibparse`), read as `Entry`s made on demand (`records`), and the taxonomy. Writing:
surgical splices of entry or taxonomy text into the file as it was read, written
atomically (same-folder temp file, fsync, rename) under a lock.
"""

from __future__ import annotations

import codecs
import contextlib
import glob
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soralit import cache, records
from soralit import text as text_helpers
from soralit.errors import LibraryError
from soralit.model import Entry, Taxonomy
from soralit.taxonomy import MARKER, TaxonomyError, parse_taxonomy

LOCK_TIMEOUT = 30  # seconds: a concurrent `soralit add` finishes well within this
ARRAYS = ("rows", "spans")  # the integer columns, stored as machine arrays in the cache
# A temp file this old (seconds) is a killed write's: no live write takes nearly as long.
STALE_TEMP_AGE = 3600


@dataclass(frozen=True)
class Library:
    """A parsed library and the exact text it came from."""

    path: Path
    text: str
    entries: Sequence[Entry]  # a records.EntryList when loaded from a file
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    spans: Sequence[tuple[int, int]] = ()  # (start, end) of each entry in `text`
    taxonomy_span: tuple[int, int] | None = None
    digest: str = field(default="", repr=False)

    def find(self, key: str) -> Entry | None:
        try:
            return self.entries[self.index(key)]
        except KeyError:
            return None

    def index(self, key: str) -> int:
        """Position of the first entry with KEY; KeyError if none."""
        keys = getattr(self.entries, "keys", None)  # a records.EntryList: no entry is made
        try:
            return keys().index(key) if keys else [e.key for e in self.entries].index(key)
        except ValueError:
            raise KeyError(key) from None


def read_text(path: Path) -> tuple[str, bytes]:
    """The file's text and bytes, or a LibraryError naming the problem."""
    data = read_bytes(path)
    return decode(path, data), data


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a LibraryError naming the problem."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LibraryError(path, None, "no such file (set --library or SORALIT_LIBRARY)") from None
    except IsADirectoryError:
        raise LibraryError(path, None, "is a directory, not a .bib file") from None
    except OSError as exc:
        raise LibraryError(path, None, f"cannot read: {exc.strerror}") from None


def decode(path: Path, data: bytes) -> str:
    """DATA as UTF-8 (a byte-order mark is dropped), or a LibraryError with the line."""
    try:
        # utf-8-sig only when needed: it decodes at half the speed of utf-8.
        return data.decode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LibraryError(path, line, "is not valid UTF-8") from None


# The last library loaded, reused while its file is unchanged: `add` reads the library,
# fetches, then reads it again under the lock, and a 10k-entry read is most of its time.
_recent: dict[Path, Library] = {}


def load(path: str | os.PathLike[str]) -> Library:
    """Read and parse a library; malformed input raises LibraryError with file and line."""
    path = Path(path)
    data = read_bytes(path)
    digest = cache.digest(data)
    recent = _recent.get(path)
    if recent is not None and recent.digest == digest:
        return recent  # same bytes, same code: the same (immutable) library
    text = decode(path, data)
    del data  # a 50k-entry file is 15 MB: do not hold it twice
    library = _load_text(path, text, digest)
    _recent.clear()
    _recent[path] = library
    return library


def _load_text(path: Path, text: str, digest: str) -> Library:
    sections = cache.read(digest)
    if sections is None:
        sections = parse_records(path, text)
        cache.write(digest, sections, arrays=ARRAYS)
    return library_from_records(path, text, sections, digest)


def parse_records(path: Path, text: str) -> Mapping[str, Any]:
    """Parse with bibtexparser 2 into plain, cacheable columns (see `bibparse`)."""
    from soralit import bibparse

    return bibparse.parse(path, text)


def library_from_records(
    path: Path, text: str, sections: Mapping[str, Any], digest: str
) -> Library:
    columns = records.Columns(text, sections)
    text_helpers.learn(sections["latex"])
    taxonomy, tax_span = Taxonomy(), None
    if sections["taxonomy"]:
        comment, line, start, end = sections["taxonomy"]
        try:
            taxonomy = parse_taxonomy(comment)
        except TaxonomyError as exc:
            raise LibraryError(path, line + exc.offset, str(exc)) from None
        tax_span = (start, end)
    return Library(
        path,
        text,
        records.EntryList(columns),  # type: ignore[arg-type]
        taxonomy,
        records.Spans(columns),  # type: ignore[arg-type]
        tax_span,
        digest,
    )


# --- writing -------------------------------------------------------------------------


def write_atomic(path: Path, text: str) -> None:
    """Replace PATH with TEXT: same-folder temp file, fsync, rename; keeps the file mode."""
    path = Path(os.path.realpath(path))  # a symlinked library stays a link to the new text
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    import tempfile  # here, not at the top: see __getattr__ below

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
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
def locked(path: Path) -> Iterator[None]:
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


def save(library: Library, new_text: str) -> None:
    """Write NEW_TEXT over the library if the file is still what was read, else refuse."""
    if new_text == library.text:
        return
    if cache.digest(read_bytes(library.path)) != library.digest:
        raise LibraryError(
            library.path,
            None,
            "changed by another program while soralit was editing it; "
            "nothing written, run the command again",
        )
    try:
        write_atomic(library.path, new_text)
    except OSError as exc:
        raise LibraryError(library.path, None, f"cannot write: {exc.strerror or exc}") from None


def create(path: Path, text: str) -> None:
    """Write a new library file; refuses to overwrite an existing one."""
    if path.exists():
        raise LibraryError(path, None, "already exists; not overwritten")
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise LibraryError(path, None, f"cannot write: {exc.strerror or exc}") from None


# --- splicing (pure) -------------------------------------------------------------------


def _removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """What goes with a removed entry: its `%` comment lines just above, its newline, and
    one of the blank lines around it."""
    while start > 0:
        line_start = text.rfind("\n", 0, start - 1) + 1
        if not text[line_start : start - 1].lstrip().startswith("%"):
            break
        start = line_start
    end += text[end : end + 1] == "\n"
    if text[end : end + 1] == "\n" and (start == 0 or text[start - 2 : start] == "\n\n"):
        end += 1
    elif end == len(text) and text[start - 2 : start] == "\n\n":
        start -= 1  # the last entry: drop the blank line before it instead
    return start, end


def replace_entry(library: Library, key: str, new_raw: str | None) -> str:
    """The library text with entry KEY replaced by NEW_RAW (None removes it and its line)."""
    return splice_all(library, {key: new_raw})


def append_entry(text: str, entry_text: str) -> str:
    """TEXT with ENTRY_TEXT appended after one blank line."""
    if not text or text.isspace():
        return entry_text
    newlines = 0
    while text[-1 - newlines] == "\n":
        newlines += 1
    # Keep TEXT whole when it ends in one or two newlines: a copy of a large library costs.
    head, glue = (text, "\n\n"[: 2 - newlines]) if newlines <= 2 else (text.rstrip("\n"), "\n\n")
    return "".join((head, glue, entry_text.rstrip("\n"), "\n"))


def splice_all(
    library: Library, replacements: dict[str, str | None], taxonomy_block: str | None = None
) -> str:
    """The library text with several entries (by key) and the taxonomy replaced at once."""
    edits = [(library.spans[library.index(k)], raw) for k, raw in replacements.items()]
    if taxonomy_block is not None and library.taxonomy_span is not None:
        edits.append((library.taxonomy_span, taxonomy_block))
    text = library.text
    for (start, end), new in sorted(edits, key=lambda e: e[0][0], reverse=True):
        cut = (start, end) if new is not None else _removal_span(text, start, end)
        text = text[: cut[0]] + (new or "") + text[cut[1] :]
    if taxonomy_block is not None and library.taxonomy_span is None:
        text = taxonomy_block + "\n\n" + text
    return text


def replace_taxonomy(library: Library, block: str) -> str:
    """The library text with the taxonomy block replaced (or inserted at the top)."""
    return splice_all(library, {}, block)


def __getattr__(name: str) -> Any:
    """`storage.tempfile`, imported when first used: only writes need it, and importing it
    (with shutil, random, bz2, lzma) costs every read-only command ~2.5 ms of start-up."""
    if name == "tempfile":
        import tempfile

        return tempfile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["MARKER", "Library", "load", "locked", "save", "write_atomic"]
