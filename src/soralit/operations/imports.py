"""Starting a library (`init`) and adopting an existing paper list (`import md`).

The README is read by `importers.markdown` (pure); this module merges what it found into
the library (one `storage.edit`, or a new file), wraps the README's list in soralit's
markers, and completes new arXiv entries from arXiv (`import md --fetch`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from soralit import bibtex, fileio, storage
from soralit import taxonomy as tax
from soralit.duplicates import WorkIndex
from soralit.errors import LibraryError, SoralitError, SourceError
from soralit.ids import Identifier
from soralit.model import Entry, Section, Taxonomy
from soralit.operations.papers import Failure, fetch
from soralit.operations.progress import Progress, no_progress

HEADER = "% A soralit library: a BibTeX file whose taxonomy block below orders the list.\n\n"
README_TEMPLATE = """# {title}

A curated list of papers, kept with [soralit](https://pypi.org/project/soralit/): the
list below is generated from `library.bib` by `soralit export md --in-place README.md`.

{start}
{end}
"""
# Fields `--fetch` fills from arXiv where the list gave none.
COMPLETED_FIELDS = ("author", "year", "primaryclass", "doi")


@dataclass(frozen=True)
class InitResult:
    library: Path
    readme: Path | None  # the README created, or None when one existed


def init_library(
    path: str | Path, *, title: str = "", readme: str | Path = "README.md"
) -> InitResult:
    """Create a library with an empty taxonomy, and README (with the list markers)
    unless it exists. An existing library is never overwritten."""
    from soralit.render import markdown

    path, readme = Path(path), Path(readme)
    storage.create(path, HEADER + tax.format_taxonomy(Taxonomy(title=title)) + "\n")
    if readme.exists():
        return InitResult(path, None)
    text = README_TEMPLATE.format(
        title=title or "Paper List", start=markdown.START, end=markdown.END
    )
    storage.create(readme, text)
    return InitResult(path, readme)


@dataclass(frozen=True)
class MarkdownImport:
    """What `import_markdown` found and did (or, for a dry run, would do)."""

    taxonomy: Taxonomy  # the library's taxonomy after the import
    new: tuple[Entry, ...]
    present: tuple[tuple[Entry, str], ...]  # (entry from the list, key holding it)
    problems: tuple[object, ...]  # `importers.markdown.Problem`s: lines that were not read
    markers: tuple[int, int] | None = None  # 1-based lines of the markers added
    dry_run: bool = False


class NoEntriesFound(SoralitError):
    """The README holds nothing that reads as a paper entry; `problems` says what failed."""

    def __init__(self, readme: Path, problems: Sequence[object]) -> None:
        super().__init__(
            f"{readme}: found no paper entries (looked for list items and table rows with a "
            "title and an http(s) link, under headings); nothing written"
        )
        self.problems = tuple(problems)


def import_markdown(
    path: str | Path,
    readme: str | Path,
    *,
    under: str | None = None,
    markers: bool = True,
    dry_run: bool = False,
) -> MarkdownImport:
    """Turn an awesome-list README into entries of the library at PATH (created if
    missing): its headings under UNDER (found when not given) become sections and
    categories, its items and table rows entries. Papers already there are not added
    twice. With MARKERS the README's list is wrapped in soralit's markers."""
    from soralit.importers.markdown import list_region, parse_markdown

    path, readme = Path(path), Path(readme)
    text, _ = storage.read_text(readme)
    existing = storage.load(path) if path.exists() else None
    keys = existing.entries.citation_keys() if existing else []
    found = parse_markdown(text, under=under, existing_keys=keys)
    if not found.entries:
        raise NoEntriesFound(readme, found.problems)
    current = existing.taxonomy if existing else Taxonomy()
    taxonomy = merged_taxonomy(current, found.taxonomy)
    new, present = _split(existing.entries if existing else (), found.entries)
    result = MarkdownImport(taxonomy, new, present, found.problems, dry_run=dry_run)
    if dry_run:
        return result
    if existing is None:
        body = "\n".join(bibtex.format_entry(e) for e in new)
        storage.create(path, HEADER + tax.format_taxonomy(taxonomy) + "\n\n" + body)
    else:
        with storage.edit(path) as tx:
            index = WorkIndex(tx.library.entries)
            tx.set_taxonomy(taxonomy)
            for entry in new:  # again, on the library as it is now
                if not index.holder(entry) and entry.key not in index:
                    tx.add_entry(entry)
    added = (
        add_markers(readme, text, list_region(text, found.taxonomy.heading)) if markers else None
    )
    return dataclasses.replace(result, markers=added)


def _split(
    library: Sequence[Entry], entries: Sequence[Entry]
) -> tuple[tuple[Entry, ...], tuple[tuple[Entry, str], ...]]:
    """(ENTRIES the library lacks, (entry, holder key) of those it has)."""
    index = WorkIndex(library)
    new: list[Entry] = []
    present: list[tuple[Entry, str]] = []
    for entry in entries:
        holder = index.holder(entry)
        if holder:
            present.append((entry, holder))
        else:
            new.append(entry)
            index.add(entry)
    return tuple(new), tuple(present)


def merged_taxonomy(current: Taxonomy, imported: Taxonomy) -> Taxonomy:
    """CURRENT plus the sections and categories of IMPORTED it lacks, in their order."""
    sections = list(current.sections)
    known = set(current.slugs())
    for section in imported.sections:
        fresh = tuple(c for c in section.categories if c.slug not in known)
        known.update(c.slug for c in fresh)
        at = next((i for i, s in enumerate(sections) if s.slug == section.slug), None)
        if at is None:
            sections.append(Section(section.name, fresh))
        elif fresh:
            sections[at] = Section(sections[at].name, sections[at].categories + fresh)
    return dataclasses.replace(
        current,
        sections=tuple(sections),
        title=current.title or imported.title,
        heading=imported.heading if not current.sections else current.heading,
    )


def add_markers(readme: Path, text: str, region: tuple[int, int]) -> tuple[int, int] | None:
    """Wrap the README's list (0-based line range REGION) in the soralit markers, unless
    it has them already; the 1-based lines of the markers, or None."""
    from soralit.render import markdown

    if markdown.has_markers(text):
        return None
    lines = text.splitlines(keepends=True)
    start, end = region
    lines[end:end] = [markdown.END + "\n"]
    lines[start:start] = [markdown.START + "\n"]
    try:
        fileio.write_atomic(readme, "".join(lines))
    except OSError as exc:
        raise LibraryError(readme, None, f"cannot write: {exc.strerror or exc}") from None
    return start + 1, end + 2


@dataclass(frozen=True)
class Completion:
    completed: tuple[str, ...]  # keys of the entries that got fields
    failed: tuple[Failure, ...]


def complete_from_arxiv(
    path: str | Path, keys: Sequence[str], *, progress: Progress = no_progress
) -> Completion:
    """Fill missing fields (authors, year, primaryClass, DOI) of the arXiv entries KEYS."""
    library = storage.load(path)
    wanted = {e.arxiv_id: e.key for e in library.entries if e.key in keys and e.arxiv_id}
    fetched = fetch([Identifier("arxiv", a) for a in wanted], progress=progress)
    failed = tuple(Failure(i, e) for i, e in fetched.items() if isinstance(e, SourceError))
    completed = []
    with storage.edit(path) as tx:
        for ident, record in fetched.items():
            entry = tx.library.find(wanted[ident])
            if entry is None or isinstance(record, SourceError):
                continue
            missing = [n for n in COMPLETED_FIELDS if record.get(n) and not entry.get(n)]
            for name in missing:
                tx.set_field(entry.key, name, record.get(name))
            if missing:
                completed.append(entry.key)
    return Completion(tuple(completed), failed)
