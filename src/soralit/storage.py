"""The only module that reads and writes `library.bib`.

Reading: `load(path) -> Library`. The file is parsed on a cache miss (`parser`, see
`cache.py`) into columns, read as `Entry`s made on demand (`columns`), and the taxonomy;
what is derived from the entries (work ids, LaTeX titles) is worked out, and cached, by
the first command that needs it. The last library read is kept, so that a transaction
after it (`add` reads before fetching, then writes) need not read it again.

Writing: one transaction, `with storage.edit(path) as tx:`. It refuses a file the user
may not write, takes the writers' lock (`fileio.locked`), reads the library once, and
offers the edits (add an entry, set a field, set the keywords, remove an entry, set the
taxonomy). When the block ends without an error the edits are committed
(`transaction.py`): checked against the file, written atomically, and left in the
parse cache, so the next read is warm.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from soralit import cache, columns, fileio
from soralit import text as text_helpers
from soralit.errors import LibraryError
from soralit.fileio import FileState, read_file, write_atomic  # write_atomic: for export
from soralit.library import Library
from soralit.model import Taxonomy
from soralit.taxonomy import TaxonomyError, parse_taxonomy
from soralit.transaction import Transaction


def read_text(path: Path) -> tuple[str, bytes]:
    """A text file's text and bytes (the README, a list to import), or a LibraryError."""
    try:
        data, _ = read_file(path)
    except LibraryError as exc:
        if not Path(path).exists():  # not a library: no --library hint
            raise LibraryError(path, None, "no such file") from None
        raise exc from None
    return fileio.decode(path, data), data


# The last library loaded, reused while its file is unchanged.
_recent: dict[Path, Library] = {}


def load(path: str | os.PathLike[str], *, keep_bytes: bool = False) -> Library:
    """Read and parse a library; malformed input raises LibraryError with file and line.

    KEEP_BYTES keeps the file's bytes in the library (for a transaction to come).
    """
    path = Path(path)
    recent = _recent.get(path)
    if recent is not None and recent.state is not None and (recent.data or not keep_bytes):
        with contextlib.suppress(OSError):  # unreadable: read_file below says why
            if recent.state.same_file(FileState.of(os.stat(path))):
                return recent  # settled and unchanged: no need to read it again
    data, state = read_file(path)
    return _library_of(path, data, state, keep_bytes=keep_bytes)


def _library_of(path: Path, data: bytes, state: FileState, *, keep_bytes: bool) -> Library:
    """The library in DATA, remembered as the recent one: the one read last if it had
    these bytes, else parsed (or read from the parse cache). Its bytes are kept only if
    asked (a 50k-entry file is 15 MB)."""
    recent = _recent.get(path)
    same = recent is not None and bool(recent.data) and recent.data == data
    changes: dict[str, Any] = {}
    if recent is None or not same:
        hashed = cache.hasher(data)
        digest = hashed.hexdigest()
        if recent is None or recent.digest != digest:  # else: same bytes, same code
            recent = _parsed(path, data, digest)
        if recent.hashed is None:
            changes["hashed"] = hashed
    if recent.state != state:
        changes["state"] = state
    if keep_bytes and recent.data is not data and not same:
        changes["data"] = data
    elif not keep_bytes and recent.data:
        changes["data"] = b""
    library = replace(recent, **changes) if changes else recent
    _recent.clear()
    _recent[path] = library
    return library


def _parsed(path: Path, data: bytes, digest: str) -> Library:
    """The library in DATA, from the parse cache or parsed now (and cached)."""
    sections = cache.read(digest)
    if sections is None:
        from soralit import parser

        text = fileio.decode(path, data)
        parsed = parser.parse(path, text)
        parsed["length"], parsed["newlines"] = len(text), text.count("\n")
        cache.write(digest, parsed, arrays=columns.ARRAYS, lines=columns.LINES)
        return library_from_sections(path, text, parsed, digest)
    lazy = columns.Text(
        data,
        lambda data: fileio.decode(path, data),
        length=sections["length"],
        newlines=sections["newlines"],
    )
    return library_from_sections(path, lazy, sections, digest)


def library_from_sections(
    path: Path, text: str | columns.Text, sections: Mapping[str, Any], digest: str
) -> Library:
    """The library whose TEXT was parsed into SECTIONS (see `parser`)."""
    derive = None
    if "latex" in sections:
        text_helpers.learn(sections["latex"])
    else:  # a cold read cached the columns only: the rest is worked out when needed
        derive = _deriver(text, sections, digest)
        text_helpers.learn_later(lambda: derive()["latex"])
    cols = columns.Columns(text, sections, derive)
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
        cols.source,
        columns.EntryList(cols),
        taxonomy,
        columns.Spans(cols),
        tax_span,
        digest,
        columns=cols,
    )


def _deriver(
    text: str | columns.Text, sections: Mapping[str, Any], digest: str
) -> Callable[[], dict[str, Any]]:
    """What computes the derived sections (`parser.derive`) the first time they are
    needed, and caches them with the others, so that later reads find them."""
    derived: dict[str, Any] = {}

    def derive() -> dict[str, Any]:
        if not derived:
            from soralit import parser

            text_helpers.learn_later(None)  # computing them asks for the LaTeX titles
            source = text if isinstance(text, str) else text.text
            derived.update(parser.derive(source, sections))
            text_helpers.learn(derived["latex"])
            kept: dict[str, Any] = (
                {name: cache.Extended(sections.stored(name)) for name in sections}
                if isinstance(sections, cache.Sections)
                else dict(sections)
            )  # a stored section is written back as it was read: not decoded, not encoded
            cache.write(digest, kept | derived, arrays=columns.ARRAYS, lines=columns.LINES)
        return derived

    return derive


def create(path: Path, text: str) -> None:
    """Write a new file (a library, a README); refuses to overwrite an existing one."""
    if path.exists():
        raise LibraryError(path, None, "already exists; not overwritten")
    fileio.replace_file(path, [text.encode("utf-8")])


# --- the transaction -----------------------------------------------------------------


@contextlib.contextmanager
def edit(path: str | os.PathLike[str], *, dry_run: bool = False) -> Iterator[Transaction]:
    """Change the library at PATH in one locked, checked, atomic write (see the module).

    Nothing is written when the block raises or changes nothing. With DRY_RUN the same
    edits are made on the library as it is read now, without the lock, and never
    written (`Transaction.new_text` shows the outcome).
    """
    path = Path(path)
    if dry_run:
        yield Transaction(load(path), library_from_sections)
        return
    fileio.check_writable(path)
    with fileio.locked(path) as fd:
        try:
            library = _locked_library(path, fd)
        except OSError as exc:
            raise LibraryError(path, None, f"cannot read: {exc.strerror or exc}") from None
        transaction = Transaction(library, library_from_sections)
        yield transaction
        if transaction.commit():
            _recent.pop(path, None)  # what was read is no longer the file
            if transaction.written is not None:
                _recent[path] = transaction.written


def _locked_library(path: Path, fd: int) -> Library:
    """The library in the locked file FD: the one read last (`add` read it before
    fetching), when the file still holds those bytes, else read now."""
    recent = _recent.get(path)
    state = FileState.of(os.fstat(fd))
    if recent is not None and recent.data and fileio.holds(fd, recent.data):
        return recent if recent.state == state else replace(recent, state=state)
    data, state = fileio.read_handle(fd)
    return _library_of(path, data, state, keep_bytes=True)


__all__ = [
    "Library",
    "Transaction",
    "create",
    "edit",
    "library_from_sections",
    "load",
    "read_text",
    "write_atomic",
]
