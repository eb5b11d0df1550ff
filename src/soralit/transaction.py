"""The edits of one `storage.edit` block, and their commit.

A `Transaction` holds the library read under the lock and the edits asked of it (entries
appended, replaced or removed, fields set, the taxonomy). `commit` splices them into the
text (`splicing`: only the touched entries change), checks that the file still holds the
bytes it read, writes atomically (`fileio.write_atomic`: mode and owner kept), and stores
the parse of the new text in the cache (`incremental.edited`), so the next read is warm.
Appending only, the commonest write (`add`), touches neither the old text nor its bytes:
the new file is the old bytes and the encoded entries.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from soralit import bibtex, cache, columns, fileio, incremental, splicing
from soralit.errors import LibraryError, NotFound, UsageProblem
from soralit.fileio import FileState
from soralit.library import Library
from soralit.model import Entry, Taxonomy, rewrite_keywords
from soralit.taxonomy import format_taxonomy

LibraryMaker = Callable[[Path, str, Mapping[str, Any], str], Library]
CHANGED = (
    "changed by another program while soralit was editing it; "
    "nothing written, run the command again"
)


# `\\{` or `\\}`: an escaped backslash, then a brace that BibTeX counts and bibtexparser
# (whose reading soralit follows) takes for an escaped one.
_AMBIGUOUS_BRACE = re.compile(r"\\\\[{}]")
# A field name BibTeX tools read as one: `title`, `bdsk-url-1`, `mendeley-tags`.
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.:+-]*")


class Transaction:
    """The edits of one `storage.edit` block, applied to the library read at its start.

    Entries are named by key (the first entry with that key). Edits of one entry build
    on each other; `raw(key)` is its text with the edits so far.
    """

    def __init__(self, library: Library, make: LibraryMaker) -> None:
        """LIBRARY as read; MAKE (`storage.library_from_sections`) makes the library of
        the text written from its columns."""
        self.library, self._make = library, make
        self.written: Library | None = None  # the library as written, when it is known
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
        if not _FIELD_NAME.fullmatch(name):
            raise UsageProblem(f"invalid field name {name!r}: letters, digits and - _ . : + only")
        with self._entry_text(key):
            self.replace_entry(key, bibtex.set_field(self.raw(key), name, value))

    def remove_field(self, key: str, name: str) -> None:
        with self._entry_text(key):
            self.replace_entry(key, bibtex.remove_field(self.raw(key), name))

    @contextlib.contextmanager
    def _entry_text(self, key: str) -> Any:
        """An entry whose text soralit cannot edit is one LibraryError naming its line."""
        self._check_braces(key)
        try:
            yield
        except bibtex.EntryTextError as exc:
            self._refuse(key, str(exc))

    def _check_braces(self, key: str) -> None:
        """Refuse an entry with `\\{` or `\\}` (a line break, then a brace): BibTeX counts
        that brace and bibtexparser does not, so where the entry ends is not sure."""
        original = self.library.entries[self._index(key)].raw
        if _AMBIGUOUS_BRACE.search(original):
            why = "a brace after \\\\ (BibTeX and bibtexparser end it in different places)"
            self._refuse(key, why)

    def _refuse(self, key: str, why: str) -> NoReturn:
        entry = self.library.entries[self._index(key)]
        message = f"cannot edit entry {key!r}: {why}; edit it by hand; nothing written"
        raise LibraryError(self.library.path, entry.line or None, message) from None

    def set_keywords(self, key: str, slugs: Sequence[str]) -> None:
        """Entry KEY's categories: `keywords = {a, b}`, or no `keywords` field when none."""
        if slugs:
            self.set_field(key, "keywords", rewrite_keywords(self._keywords(key), slugs))
        else:
            self.remove_field(key, "keywords")

    def _keywords(self, key: str) -> str:
        """Entry KEY's `keywords` value as written ('' when none, or not a plain value)."""
        raw = self.raw(key)
        with contextlib.suppress(bibtex.EntryTextError):
            for field in bibtex.scan_fields(raw)[0]:
                span = bibtex.simple_value(raw, field) if field.name == "keywords" else None
                if span is not None:
                    return raw[span[0] : span[1]]
        return ""

    def remove_entry(self, key: str) -> None:
        """Remove entry KEY with the `%` comment lines just above it."""
        self._check_braces(key)
        self._replaced[self._index(key)] = None

    def set_taxonomy(self, taxonomy: Taxonomy) -> None:
        """Replace the taxonomy block. Raises LibraryError (nothing is written) when the
        block would not read back, as when a category slug is used twice."""
        from soralit.taxonomy import TaxonomyError, parse_taxonomy

        block = format_taxonomy(taxonomy)
        try:
            parse_taxonomy(block[len("@comment{") : -1])
        except TaxonomyError as exc:
            raise LibraryError(self.library.path, None, f"{exc}; nothing written") from None
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

    def commit(self) -> bool:
        """Write the edits, if any change the text (`storage.edit` calls it at the end of
        the block); whether the file was written."""
        self._settle_insertions()
        if self._only_appended():
            if self._appended:
                self._commit_appended()
            return bool(self._appended)
        library = self.library
        text, cuts = self._splice()
        if text == library.text:
            return False
        import codecs

        old = self._unchanged_bytes()
        bom = codecs.BOM_UTF8 if old.startswith(codecs.BOM_UTF8) else b""  # kept, as all else
        data = bom + text.encode("utf-8")
        fileio.replace_file(library.path, [data])
        self._leave_warm(cuts, cache.hasher(data), text=text, data=data)
        return True

    def _commit_appended(self) -> None:
        """Only entries appended (`add`): the new file is the old bytes, checked, and the
        encoded tail. The text (3 MB for 10k entries) is neither copied nor encoded."""
        library = self.library
        keep, tail = self._appended_tail()
        encoded = tail.encode("utf-8")
        data = self._unchanged_bytes()  # as late as can be: just before the write
        start = 0  # a byte-order mark stays, as every other old byte
        end = len(data) - (library.source.length - keep)  # only blank space (ASCII) goes
        fileio.replace_file(library.path, [memoryview(data)[start:end], encoded])
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
        on any doubt, leave the parse to the next read. With the new TEXT and DATA, the
        new library is `written` too (for the next load in this process)."""
        library = self.library
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
                made = {name: cache.resolved(value) for name, value in sections.items()}
                new = self._make(library.path, text, made, digest)
                self.written = replace(new, state=state, data=data, hashed=hashed)
