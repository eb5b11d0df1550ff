"""Adding papers: what is new, fetching it (arXiv in batches, Crossref per DOI), writing.

`add` is `soralit add`: the library is read once before fetching, to find what is there
already and fail early; each new entry goes at the end of its first category's run
(`placement`), with today's `added` date; fetching happens without the lock; the write
(`storage.edit`) checks for duplicates again on the library as it is then, so
concurrent `add`s lose nothing and never add a paper twice. `add(..., dry_run=True)`
runs the same code and does not write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from soralit import bibtex, citekeys, fileio, query, storage
from soralit.added import stamp
from soralit.duplicates import WorkIndex
from soralit.errors import SourceError, UsageProblem
from soralit.ids import Identifier, parse_identifier
from soralit.model import LABEL_FIELD, OLD_LABEL_FIELD, Entry
from soralit.operations.progress import Progress, no_progress
from soralit.placement import place_for

# Fields the maintainer owns: `--update` never overwrites them.
CURATED = frozenset({"keywords", LABEL_FIELD, OLD_LABEL_FIELD, "code", "added"})


@dataclass(frozen=True)
class Present:
    """A requested paper the library already holds, as entry KEY."""

    identifier: str
    key: str
    categories: tuple[str, ...] = ()  # the entry's categories


@dataclass(frozen=True)
class Failure:
    identifier: str
    error: SourceError


@dataclass(frozen=True)
class AddResult:
    """What `add` did (or, for a dry run, would do)."""

    added: tuple[Entry, ...]  # the new entries, in the canonical layout of the file
    refreshed: tuple[tuple[str, str], ...]  # (key, new text) of refreshed entries
    present: tuple[Present, ...]
    failed: tuple[Failure, ...]
    categories: tuple[str, ...]  # the slugs the new entries got
    dry_run: bool = False

    @property
    def uncategorised(self) -> tuple[Entry, ...]:
        """New entries without a category: the paper list will not show them."""
        return self.added if not self.categories else ()


def add(
    path: str | Path,
    identifiers: Iterable[str | Identifier],
    *,
    categories: Sequence[str] = (),
    venue: str = "",
    code: str = "",
    key: str | None = None,
    abstract: bool = False,
    update: bool = False,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> AddResult:
    """Add papers by arXiv ID or DOI (any pasted form), with metadata fetched.

    CATEGORIES are names or slugs of the taxonomy; VENUE and CODE fill the list's own
    fields; KEY is the citation key (one paper only). UPDATE refreshes the fetched fields
    of papers already present instead of skipping them. Bad input raises `UsageProblem`
    before anything is fetched; a paper that cannot be fetched is a `Failure` in the
    result, the others are still added.
    """
    path = Path(path)
    wanted = [i if isinstance(i, Identifier) else parse_identifier(i) for i in identifiers]
    if key and len(wanted) > 1:
        raise UsageProblem("--key needs exactly one ID")
    if not dry_run:
        fileio.check_writable(path)
    library = storage.load(path, keep_bytes=not dry_run)
    check_key_free(library, key)
    slugs = category_slugs(library, categories)
    extra = {"keywords": ", ".join(slugs), LABEL_FIELD: venue, "code": code}
    present, to_fetch = plan(library, wanted, refresh=update)
    fetched = fetch(to_fetch, abstract=abstract, progress=progress)
    failed = tuple(Failure(i, e) for i, e in fetched.items() if isinstance(e, SourceError))
    entries = {i: e for i, e in fetched.items() if isinstance(e, Entry)}
    with storage.edit(path, dry_run=dry_run) as tx:
        added, refreshed, later = write(tx, entries, extra, key, refresh=update)
    return AddResult(added, refreshed, (*present, *later), failed, tuple(slugs), dry_run)


def category_slugs(library: storage.Library, names: Sequence[str]) -> list[str]:
    """The slugs NAMES resolve to, in taxonomy order (did-you-mean `UsageProblem` for an
    unknown one, also when the taxonomy is empty)."""
    wanted = query.resolve_categories(library.taxonomy, names)
    return [s for s in library.taxonomy.slugs() if s in wanted]


def check_key_free(library: storage.Library, key: str | None) -> None:
    """Refuse a chosen key that an entry already has (BibTeX keys are case-insensitive)."""
    if key and any(k.casefold() == key.casefold() for k in library.entries.citation_keys()):
        raise UsageProblem(f"key {key!r} is already used in {library.path}; choose another --key")


def plan(
    library: storage.Library, identifiers: Sequence[Identifier], *, refresh: bool
) -> tuple[list[Present], list[Identifier]]:
    """Split IDENTIFIERS into those already in the library and those to fetch."""
    index, present, wanted, seen = WorkIndex(library.entries), [], [], set()
    for ident in identifiers:
        if (ident.kind, ident.value.lower()) in seen:
            continue
        seen.add((ident.kind, ident.value.lower()))
        holder = index.holder_of_id(ident.kind, ident.value)
        if holder and not refresh:
            present.append(Present(str(ident), holder, library.get(holder).categories))
        else:
            wanted.append(ident)
    return present, wanted


def fetch(
    identifiers: Sequence[Identifier], *, abstract: bool = False, progress: Progress = no_progress
) -> dict[str, Entry | SourceError]:
    """Each identifier's entry (key still empty) or its error, keyed by `str(identifier)`."""
    from soralit.sources import arxiv

    results: dict[str, Entry | SourceError] = {}
    arxiv_ids = [str(i) for i in identifiers if i.kind == "arxiv"]
    with progress(len(identifiers), label="Fetching") as advance:
        if arxiv_ids:
            try:
                records = arxiv.fetch_arxiv(arxiv_ids, on_progress=lambda done, _t: advance(done))
            except SourceError as exc:
                records = dict.fromkeys(arxiv_ids, exc)
            for arxiv_id, record in records.items():
                results[arxiv_id] = (
                    record
                    if isinstance(record, SourceError)
                    else arxiv.record_to_entry(record, key="", abstract=abstract)
                )
        for ident in (i for i in identifiers if i.kind == "doi"):
            from soralit.sources import crossref

            try:
                work = crossref.fetch_crossref(ident.value)
                results[str(ident)] = crossref.work_to_entry(work, key="")
            except SourceError as exc:
                results[str(ident)] = exc
            advance(len(results))
    return {str(i): results[str(i)] for i in identifiers}


def write(
    tx: storage.Transaction,
    entries: Mapping[str, Entry],
    extra: Mapping[str, str],
    key: str | None,
    *,
    refresh: bool = False,
) -> tuple[tuple[Entry, ...], tuple[tuple[str, str], ...], tuple[Present, ...]]:
    """Append the new ENTRIES (and refresh present ones) in transaction TX, checking for
    duplicates against the library as TX read it.

    Returns (added entries, (key, new text) refreshed, papers found present only now).
    """
    index = WorkIndex(tx.library.entries)
    check_key_free(tx.library, key if entries and not refresh else None)
    present: list[Present] = []
    for ident, entry in entries.items():
        holder = index.holder(entry)
        if holder and refresh:
            tx.replace_entry(holder, refreshed_raw(tx.library.get(holder), entry))
        elif holder:
            present.append(Present(ident, holder, tx.library.get(holder).categories))
        else:
            new = finish(entry, extra, key, index)
            index.add(new)
            place = place_for(tx.library.entries, tx.taxonomy, new.categories)
            tx.insert_entry(new, after=place.after, before=place.before)
    refreshed = tuple((k, tx.raw(k)) for k in tx.replaced_keys())
    return tx.added, refreshed, tuple(present)


def finish(entry: Entry, extra: Mapping[str, str], key: str | None, index: WorkIndex) -> Entry:
    """ENTRY with its key (given, or Scholar-style and unique) and the curated fields."""
    if not key:
        base = citekeys.base_key(entry.get("author"), entry.get("year"), entry.get("title"))
        key = citekeys.unique_key(base, index)
    fields = dict(entry.fields)
    fields.update({name: value for name, value in extra.items() if value})
    fields.setdefault("added", stamp())  # when the paper entered the list
    return Entry(key, entry.type, fields)


def refreshed_raw(existing: Entry, fetched: Entry) -> str:
    """EXISTING's text with the fetched fields set in place; curated fields and a
    non-empty `url` (the list's paper link) are kept."""
    raw = existing.raw
    for name, value in fetched.fields.items():
        if name in CURATED or (name == "url" and existing.get("url")):
            continue
        if existing.get(name) != value:
            raw = bibtex.set_field(raw, name, value)
    return raw
