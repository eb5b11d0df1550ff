"""The only module that reads and writes `library.bib`.

Reading: `bibparse` parses the file (on a cache miss; see `cache.py`) into columns
(`bibparse`), read as `Entry`s made on demand (`records`), and the taxonomy. Writing:
surgical splices of entry or taxonomy text into the file as it was read, written
atomically (same-folder temp file, fsync, rename) under a lock.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from soralit import atomic, cache, records
from soralit import text as text_helpers
from soralit.atomic import LOCK_TIMEOUT, STALE_TEMP_AGE, remove_stale_temps, write_atomic
from soralit.errors import LibraryError
from soralit.model import Entry, Taxonomy
from soralit.splicing import (
    append_entry,
    appended_tail,
    replace_entry,
    replace_taxonomy,
    splice_all,
)
from soralit.taxonomy import MARKER, TaxonomyError, parse_taxonomy

ARRAYS = ("rows", "spans")  # the integer columns, stored as machine arrays in the cache
# A file last changed this long (ns) before it was read can be trusted to show any later
# change in its stat: coarser than every file system's timestamps (FAT: 2 s).
SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class FileState:
    """What `fstat` said of the library file just before its bytes were read."""

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
    state: FileState | None = field(default=None, repr=False, compare=False)
    # The file's bytes, kept only by a load under `locked`: the write that follows
    # checks the file against them and extends them instead of encoding the text again.
    data: bytes = field(default=b"", repr=False, compare=False)

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
    return read_file(path)[0]


def read_file(path: Path) -> tuple[bytes, FileState]:
    """The file's bytes and its state just before they were read, or a LibraryError."""
    try:
        with open(path, "rb") as handle:
            state = FileState.of(os.fstat(handle.fileno()))
            return handle.read(), state
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
_locked: set[Path] = set()  # the libraries this process holds the lock of


def load(path: str | os.PathLike[str]) -> Library:
    """Read and parse a library; malformed input raises LibraryError with file and line."""
    path = Path(path)
    recent = _recent.get(path)
    if recent is not None and recent.state is not None:
        with contextlib.suppress(OSError):  # unreadable: read_file below says why
            if recent.state.same_file(FileState.of(os.stat(path))):
                return recent  # settled and unchanged: no need to read it again
    keep = path in _locked
    data, state = read_file(path)
    digest = cache.digest(data)
    if recent is None or recent.digest != digest:
        text = decode(path, data)
        if not keep:
            data = b""  # a 50k-entry file is 15 MB: only a writer keeps it twice
        recent = _load_text(path, text, digest, state)
    elif recent.state != state:
        recent = replace(recent, state=state)  # same bytes, same code: the same library
    _recent.clear()
    _recent[path] = recent
    return replace(recent, data=data) if keep else recent


def _load_text(path: Path, text: str, digest: str, state: FileState | None = None) -> Library:
    sections = cache.read(digest)
    if sections is None:
        sections = parse_records(path, text)
        cache.write(digest, sections, arrays=ARRAYS)
    return replace(library_from_records(path, text, sections, digest), state=state)


def parse_records(path: Path, text: str) -> Mapping[str, Any]:
    """Parse into plain, cacheable columns (see `bibparse`)."""
    from soralit import bibparse

    return bibparse.parse(path, text)


def _deriver(text: str, sections: Mapping[str, Any], digest: str) -> Callable[[], dict[str, Any]]:
    """What computes the derived sections the first time they are needed, and stores
    them with the others, so that later reads of the same file find them cached."""
    derived: dict[str, Any] = {}

    def derive() -> dict[str, Any]:
        if not derived:
            from soralit import bibparse

            text_helpers.learn_later(None)  # computing them asks for the LaTeX titles
            derived.update(bibparse.derive(text, sections))
            text_helpers.learn(derived["latex"])
            cache.write(digest, {**sections, **derived}, arrays=ARRAYS)
        return derived

    return derive


def library_from_records(
    path: Path, text: str, sections: Mapping[str, Any], digest: str
) -> Library:
    derive = None
    if "latex" in sections:
        text_helpers.learn(sections["latex"])
    else:
        derive = _deriver(text, sections, digest)
        text_helpers.learn_later(lambda: derive()["latex"])
    columns = records.Columns(text, sections, derive)
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


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Serialise read-modify-write cycles on PATH (see `atomic.file_lock`); while held,
    `load` keeps the bytes it reads, for `save` to check and extend."""
    with atomic.file_lock(path), _holding(path):
        yield


@contextlib.contextmanager
def _holding(path: Path) -> Iterator[None]:
    """Mark PATH as locked by this process while the block runs (see `load`)."""
    path = Path(path)
    _locked.add(path)
    try:
        yield
    finally:
        _locked.discard(path)


def save(library: Library, new_text: str) -> None:
    """Write NEW_TEXT over the library if the file is still what was read, else refuse."""
    if new_text == library.text:
        return
    unchanged_bytes(library)
    _write(library.path, [new_text.encode("utf-8")])


def save_appended(library: Library, entry_texts: Sequence[str]) -> None:
    """Save the library with ENTRY_TEXTS appended, each as `append_entry` does.

    The new file is the old bytes (checked unchanged) and the encoded tail: a large
    library's text is neither copied nor encoded again.
    """
    if not entry_texts:
        return
    text, data = library.text, unchanged_bytes(library)
    keep, tail = appended_tail(text, entry_texts)
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # as `decode`
    end = len(data) - (len(text) - keep)  # only newlines (one byte each) are dropped
    _write(library.path, [memoryview(data)[start:end], tail.encode("utf-8")])


def unchanged_bytes(library: Library) -> bytes:
    """The library file's bytes now, or a LibraryError if they are not those it was read from.

    Checked by stat for a settled file (see `FileState`), else against the bytes kept by a
    load under the lock, else by content hash.
    """
    data, now = read_file(library.path)
    if library.state is not None and library.state.same_file(now):
        return data
    if (data == library.data) if library.data else (cache.digest(data) == library.digest):
        return data
    raise LibraryError(
        library.path,
        None,
        "changed by another program while soralit was editing it; "
        "nothing written, run the command again",
    )


def _write(path: Path, chunks: Sequence[bytes | memoryview]) -> None:
    try:
        write_atomic(path, chunks)
    except OSError as exc:
        raise LibraryError(path, None, f"cannot write: {exc.strerror or exc}") from None


def create(path: Path, text: str) -> None:
    """Write a new library file; refuses to overwrite an existing one."""
    if path.exists():
        raise LibraryError(path, None, "already exists; not overwritten")
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise LibraryError(path, None, f"cannot write: {exc.strerror or exc}") from None


# The API: reading, writing, and (re-exported) the pure splices and atomic primitives.
__all__ = [
    "LOCK_TIMEOUT",
    "MARKER",
    "STALE_TEMP_AGE",
    "FileState",
    "Library",
    "append_entry",
    "appended_tail",
    "create",
    "load",
    "locked",
    "remove_stale_temps",
    "replace_entry",
    "replace_taxonomy",
    "save",
    "save_appended",
    "splice_all",
    "write_atomic",
]
