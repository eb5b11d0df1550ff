"""The only module that reads and writes `library.bib`.

Reading: `load(path) -> Library`. The file is parsed on a cache miss (`parser`, see
`cache.py`) into columns, read as `Entry`s made on demand (`columns`), and the taxonomy;
what is derived from the entries (work ids, LaTeX titles) is worked out, and cached, by
the first command that needs it.

Writing: one transaction, `with storage.edit(path) as tx:`. It refuses a file the user
may not write, takes the writers' lock (`fileio.locked`), reads the library once, and
offers the edits (add an entry, set a field, set the keywords, remove an entry, set the
taxonomy). When the block ends without an error it checks that the file still holds the
bytes it read, splices the edits into the text (`splicing`: only the touched entries
change), writes it atomically keeping mode and owner (`fileio.write_atomic`), and
leaves a parse cache for the new text (`incremental.edited`), so the next read is warm.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from soralit import bibtex, cache, columns, fileio, incremental, splicing
from soralit import text as text_helpers
from soralit.errors import LibraryError, NotFound
from soralit.fileio import FileState, read_file, write_atomic  # write_atomic: for export
from soralit.model import Entries, Entry, Taxonomy
from soralit.taxonomy import TaxonomyError, format_taxonomy, parse_taxonomy

CHANGED = (
    "changed by another program while soralit was editing it; "
    "nothing written, run the command again"
)


@dataclass(frozen=True)
class Library:
    """A parsed library and the exact text it came from."""

    path: Path
    source: columns.Text  # the text, decoded when first asked for (`text`)
    entries: Entries
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    spans: Sequence[tuple[int, int]] = ()  # (start, end) of each entry in `text`
    taxonomy_span: tuple[int, int] | None = None
    digest: str = field(default="", repr=False)
    state: FileState | None = field(default=None, repr=False, compare=False)
    # The file's bytes, kept by `load(..., keep_bytes=True)`: a transaction compares
    # the file with them instead of hashing it again.
    data: bytes = field(default=b"", repr=False, compare=False)
    columns: columns.Columns | None = field(default=None, repr=False, compare=False)
    # `cache.hasher` of the bytes: a write that only appends hashes just what it adds.
    hashed: Any = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.source.text

    def find(self, key: str) -> Entry | None:
        try:
            return self.entries[self.index(key)]
        except KeyError:
            return None

    def index(self, key: str) -> int:
        """Position of the first entry with KEY; KeyError if none."""
        try:
            return self.entries.citation_keys().index(key)
        except ValueError:
            raise KeyError(key) from None

    def get(self, key: str) -> Entry:
        """The entry with KEY, or NotFound naming the closest keys."""
        entry = self.find(key)
        if entry is None:
            import difflib

            close = difflib.get_close_matches(key, self.entries.citation_keys(), n=3, cutoff=0.6)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise NotFound(f"no entry with key {key!r} in {self.path}.{hint}")
        return entry


def read_text(path: Path) -> tuple[str, bytes]:
    """A text file's text and bytes (the README, a list to import), or a LibraryError."""
    data, _ = read_file(path)
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
    _write(path, [text.encode("utf-8")])


def _write(path: Path, chunks: Sequence[bytes | memoryview]) -> None:
    try:
        fileio.write_atomic(path, chunks)
    except OSError as exc:
        raise LibraryError(path, None, f"cannot write: {exc.strerror or exc}") from None


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
        yield Transaction(load(path))
        return
    fileio.check_writable(path)
    with fileio.locked(path) as fd:
        try:
            library = _locked_library(path, fd)
        except OSError as exc:
            raise LibraryError(path, None, f"cannot read: {exc.strerror or exc}") from None
        transaction = Transaction(library)
        yield transaction
        transaction.commit()


def _locked_library(path: Path, fd: int) -> Library:
    """The library in the locked file FD: the one read last (`add` read it before
    fetching), when the file still holds those bytes, else read now."""
    recent = _recent.get(path)
    state = FileState.of(os.fstat(fd))
    if recent is not None and recent.data and fileio.holds(fd, recent.data):
        return recent if recent.state == state else replace(recent, state=state)
    data, state = fileio.read_handle(fd)
    return _library_of(path, data, state, keep_bytes=True)


class Transaction:
    """The edits of one `storage.edit` block, applied to the library read at its start.

    Entries are named by key (the first entry with that key). Edits of one entry build
    on each other; `raw(key)` is its text with the edits so far.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._replaced: dict[int, str | None] = {}
        self._appended: list[Entry] = []
        self._inserted: list[tuple[int, str, Entry]] = []  # (entry position, side, new entry)
        self._added: list[Entry] = []  # appended or inserted, in the order they came
        self._taxonomy: Taxonomy | None = None

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy, as edited so far."""
        return self._taxonomy if self._taxonomy is not None else self.library.taxonomy

    @property
    def appended(self) -> tuple[Entry, ...]:
        """The entries added at the end so far."""
        return tuple(self._appended)

    @property
    def added(self) -> tuple[Entry, ...]:
        """Every entry added so far, at the end or in place, in the order they came."""
        return tuple(self._added)

    def replaced_keys(self) -> list[str]:
        """The keys of the entries edited so far (not removed), in file order."""
        keys = self.library.entries.citation_keys()
        return [keys[i] for i in sorted(self._replaced) if self._replaced[i] is not None]

    def raw(self, key: str) -> str:
        """The text of entry KEY with this transaction's edits (NotFound if none)."""
        index = self._index(key)
        raw = self._replaced.get(index, self.library.entries[index].raw)
        if raw is None:
            raise NotFound(f"entry {key!r} is removed in this edit")
        return raw

    def _index(self, key: str) -> int:
        self.library.get(key)  # NotFound, with the closest keys
        return self.library.index(key)

    def add_entry(self, entry: Entry) -> None:
        """Append ENTRY at the end, in the canonical layout (`bibtex.format_entry`)."""
        self._appended.append(entry)
        self._added.append(entry)

    def insert_entry(
        self, entry: Entry, *, after: str | None = None, before: str | None = None
    ) -> None:
        """Put ENTRY right after entry AFTER, or before entry BEFORE (and the `%` lines
        above it), one blank line apart; at the end when neither is given. Entries put at
        one place keep the order they came in."""
        if after is None and before is None:
            self.add_entry(entry)
            return
        if after is not None and self._index(after) == len(self.library.entries) - 1:
            self.add_entry(entry)  # after the last entry: the end, and the fast write
            return
        side, key = ("after", after) if after is not None else ("before", before)
        assert key is not None
        self._inserted.append((self._index(key), side, entry))
        self._added.append(entry)

    def replace_entry(self, key: str, raw: str) -> None:
        """Put RAW in place of entry KEY's text."""
        self._replaced[self._index(key)] = raw

    def set_field(self, key: str, name: str, value: str) -> None:
        """Set field NAME of entry KEY to `{value}`, in place or as a new last field."""
        self.replace_entry(key, bibtex.set_field(self.raw(key), name, value))

    def remove_field(self, key: str, name: str) -> None:
        self.replace_entry(key, bibtex.remove_field(self.raw(key), name))

    def set_keywords(self, key: str, slugs: Sequence[str]) -> None:
        """Entry KEY's categories: `keywords = {a, b}`, or no `keywords` field when none."""
        if slugs:
            self.set_field(key, "keywords", ", ".join(slugs))
        else:
            self.remove_field(key, "keywords")

    def remove_entry(self, key: str) -> None:
        """Remove entry KEY with the `%` comment lines just above it."""
        self._replaced[self._index(key)] = None

    def set_taxonomy(self, taxonomy: Taxonomy) -> None:
        self._taxonomy = taxonomy

    def new_text(self) -> str:
        """The library's text with the edits so far."""
        self._settle_insertions()
        if self._only_appended():
            keep, tail = self._appended_tail()
            return self.library.text[:keep] + tail
        return self._splice()[0]

    def _appended_tail(self) -> tuple[int, str]:
        """`splicing.appended_tail` of the library's text, known without decoding it."""
        source = self.library.source
        return splicing.appended_tail_at(
            source.length, source.suffix, source.newline, source.blank, self._appended_texts()
        )

    def _settle_insertions(self) -> None:
        """An entry to go next to one removed in this edit goes at the end instead: the
        removal takes the blank space around its entry, where the new one would stand."""
        for item in [i for i in self._inserted if self._replaced.get(i[0], "") is None]:
            self._inserted.remove(item)
            self._appended.append(item[2])

    def _only_appended(self) -> bool:
        taxonomy = self._taxonomy
        unchanged = taxonomy is None or taxonomy == self.library.taxonomy
        return not self._replaced and not self._inserted and unchanged

    def _appended_texts(self) -> list[str]:
        return [bibtex.format_entry(e) for e in self._appended]

    def _splice(self) -> tuple[str, list[splicing.Cut] | None]:
        library = self.library
        replacements = {i: (library.spans[i], raw) for i, raw in self._replaced.items()}
        block = None
        if self._taxonomy is not None and self._taxonomy != library.taxonomy:
            block = (library.taxonomy_span, format_taxonomy(self._taxonomy))
        appended = self._appended_texts()
        inserted = [place for place, _ in self._insertions()]
        return splicing.splice(
            library.text, replacements, taxonomy=block, appended=appended, inserted=inserted
        )

    def _insertions(self) -> list[tuple[tuple[int, str], list[Entry]]]:
        """((offset, text), entries) for each place entries are inserted at."""
        groups: dict[tuple[int, str], list[Entry]] = {}
        for index, side, entry in self._inserted:
            groups.setdefault((index, side), []).append(entry)
        text, spans = self.library.text, self.library.spans
        found = []
        for (index, side), entries in groups.items():
            joined = "\n\n".join(bibtex.format_entry(e).rstrip("\n") for e in entries)
            start, end = spans[index]
            place = (
                splicing.insertion_after(text, end, joined)
                if side == "after"
                else splicing.insertion_before(text, start, joined)
            )
            found.append((place, entries))
        return found

    def commit(self) -> None:
        """Write the edits, if any change the text (called by `edit` at the block's end)."""
        self._settle_insertions()
        if self._only_appended():
            if self._appended:
                self._commit_appended()
            return
        library = self.library
        text, cuts = self._splice()
        if text == library.text:
            return
        self._unchanged_bytes()
        data = text.encode("utf-8")
        _write(library.path, [data])
        self._leave_warm(cuts, cache.hasher(data), text=text, data=data)

    def _commit_appended(self) -> None:
        """Only entries appended (`add`): the new file is the old bytes, checked, and the
        encoded tail. The text (3 MB for 10k entries) is neither copied nor encoded."""
        import codecs

        library = self.library
        keep, tail = self._appended_tail()
        encoded = tail.encode("utf-8")
        data = self._unchanged_bytes()  # as late as can be: just before the write
        start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # as `decode`
        end = len(data) - (library.source.length - keep)  # only blank space (ASCII) goes
        _write(library.path, [memoryview(data)[start:end], encoded])
        if (start, end) == (0, len(data)) and library.hashed is not None:
            hashed = library.hashed.copy()  # the digest of the new bytes, hashing the tail
            hashed.update(encoded)
        else:
            hashed = cache.hasher(data[start:end] + encoded)
        cut = splicing.Cut(keep, library.source.length, tail, "appended")
        self._leave_warm([cut], hashed)

    def _unchanged_bytes(self) -> bytes:
        """The library file's bytes now, or a LibraryError if they are not those read.

        Checked by stat for a settled file (see `FileState`), else byte for byte.
        """
        library = self.library
        try:
            with open(library.path, "rb") as handle:
                now = FileState.of(os.fstat(handle.fileno()))
                if library.state is not None and library.state.same_file(now):
                    return library.data
                if fileio.holds(handle.fileno(), library.data):
                    return library.data
        except OSError as exc:
            raise LibraryError(library.path, None, f"cannot read: {exc.strerror or exc}") from None
        raise LibraryError(library.path, None, CHANGED)

    def _leave_warm(
        self, cuts: list[splicing.Cut] | None, hashed: Any, *, text: str = "", data: bytes = b""
    ) -> None:
        """Store the columns of the new text in the parse cache, made from the old ones;
        on any doubt, leave the parse to the next read. With the new TEXT and DATA, keep
        the new library as the recent one too (for the next load in this process)."""
        library = self.library
        _recent.pop(library.path, None)
        if library.columns is None or cuts is None:
            return
        inserted = [entries for _, entries in self._insertions()] if self._inserted else []
        sections = incremental.edited(library.columns, cuts, self._appended, inserted)
        if sections is None:
            return
        digest = hashed.hexdigest()
        cache.write(digest, sections, arrays=columns.ARRAYS, lines=columns.LINES)
        if text:
            with contextlib.suppress(OSError):
                state = FileState.of(os.stat(library.path))
                new = library_from_sections(library.path, text, sections, digest)
                _recent[library.path] = replace(new, state=state, data=data, hashed=hashed)


__all__ = ["Library", "Transaction", "create", "edit", "load", "read_text", "write_atomic"]
