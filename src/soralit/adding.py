"""Adding papers: plan (what is new), fetch (arXiv in batches, Crossref per DOI), write.

The orchestration behind `soralit add` and `soralit import --fetch`. Fetching happens
without the library lock; the write re-reads the library under the lock and re-checks for
duplicates, so concurrent `add`s lose nothing and never add a paper twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from soralit import bibtext, citekeys, output, storage
from soralit.duplicates import WorkIndex
from soralit.errors import SourceError, UsageProblem
from soralit.ids import Identifier
from soralit.model import Entry
from soralit.render.bibtex import FIELD_CASE, format_entry

# Fields the maintainer owns: `--update` never overwrites them.
CURATED = frozenset({"keywords", "venue", "code"})


@dataclass
class Plan:
    wanted: list[Identifier] = field(default_factory=list)
    present: list[tuple[str, str]] = field(default_factory=list)  # (identifier, key)


def plan(library: storage.Library, identifiers: list[Identifier], *, refresh: bool) -> Plan:
    """Split IDENTIFIERS into those to fetch and those already in the library."""
    index, result, seen = WorkIndex(library.entries), Plan(), set()
    for ident in identifiers:
        if (ident.kind, ident.value.lower()) in seen:
            continue
        seen.add((ident.kind, ident.value.lower()))
        holder = index.holder_of_id(ident.kind, ident.value)
        if holder and not refresh:
            result.present.append((str(ident), holder))
        else:
            result.wanted.append(ident)
    return result


def fetch(
    identifiers: list[Identifier], *, abstract: bool = False, progress: bool = False
) -> dict[str, Entry | SourceError]:
    """Each identifier's entry (key still empty) or its error, keyed by `str(identifier)`."""
    from soralit.sources import arxiv, crossref

    results: dict[str, Entry | SourceError] = {}
    arxiv_ids = [str(i) for i in identifiers if i.kind == "arxiv"]
    with output.progress(len(identifiers), enabled=progress, label="Fetching") as advance:
        if arxiv_ids:
            try:
                records = arxiv.fetch_arxiv(arxiv_ids, on_progress=lambda done, _t: advance(done))
            except SourceError as exc:
                records = dict.fromkeys(arxiv_ids, exc)
            for ident, record in records.items():
                results[ident] = (
                    record
                    if isinstance(record, SourceError)
                    else arxiv.record_to_entry(record, key="", abstract=abstract)
                )
        for ident in (i for i in identifiers if i.kind == "doi"):
            try:
                results[str(ident)] = crossref.work_to_entry(
                    crossref.fetch_crossref(ident.value), key=""
                )
            except SourceError as exc:
                results[str(ident)] = exc
            advance(len(results))
    return {str(i): results[str(i)] for i in identifiers}


def finish(entry: Entry, extra: dict[str, str], key: str | None, index: WorkIndex) -> Entry:
    """ENTRY with its key (given, or Scholar-style and unique) and the curated fields."""
    if not key:
        base = citekeys.base_key(entry.get("author"), entry.get("year"), entry.get("title"))
        key = citekeys.unique_key(base, index.keys)
    fields = dict(entry.fields)
    fields.update({name: value for name, value in extra.items() if value})
    return Entry(key, entry.type, fields)


def refreshed_raw(existing: Entry, fetched: Entry) -> str:
    """EXISTING's text with the fetched fields set in place; curated fields and a
    non-empty `url` (the list's paper link) are kept."""
    raw = existing.raw
    for name, value in fetched.fields.items():
        if name in CURATED or (name == "url" and existing.get("url")):
            continue
        if existing.get(name) != value:
            raw = bibtext.set_field(raw, name, value, spelled=FIELD_CASE.get(name, name))
    return raw


def check_key_free(library: storage.Library, key: str | None) -> None:
    """Refuse a chosen key that an entry already has (BibTeX keys are case-insensitive)."""
    if key and any(e.key.casefold() == key.casefold() for e in library.entries):
        raise UsageProblem(f"key {key!r} is already used in {library.path}; choose another --key")


def write(
    path: Path,
    entries: dict[str, Entry],
    extra: dict[str, str],
    key: str | None,
    *,
    refresh: bool = False,
) -> tuple[list[str], int, list[tuple[str, str]]]:
    """Append the new entries (and refresh present ones) under the lock.

    Returns (added keys, number refreshed, [(identifier, holder)] found present on re-read).
    """
    added: list[str] = []
    present: list[tuple[str, str]] = []
    with storage.locked(path):
        library = storage.load(path)
        index = WorkIndex(library.entries)
        check_key_free(library, key if entries and not refresh else None)
        replacements: dict[str, str | None] = {}
        new_texts: list[str] = []
        for ident, entry in entries.items():
            holder = index.holder(entry)
            if holder and refresh:
                replacements[holder] = refreshed_raw(library.find(holder), entry)
            elif holder:
                present.append((ident, holder))
            else:
                new = finish(entry, extra, key, index)
                index.add(new)
                added.append(new.key)
                new_texts.append(format_entry(new))
        if replacements:
            text = storage.splice_all(library, replacements)
            for entry_text in new_texts:
                text = storage.append_entry(text, entry_text)
            storage.save(library, text)
        else:  # the usual case: extend the file's bytes, without copying the text
            storage.save_appended(library, new_texts)
    return added, len(replacements), present
