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

from soralit import bibtex, fileio, storage, text
from soralit import taxonomy as tax
from soralit.errors import LibraryError, SoralitError, SourceError
from soralit.ids import Identifier
from soralit.model import Category, Entry, Taxonomy
from soralit.operations.papers import Failure, fetch
from soralit.operations.progress import Progress, no_progress

HEADER = "% A soralit library: a BibTeX file whose taxonomy block below orders the list.\n\n"
README_TEMPLATE = """# {title}

A curated list of papers, kept with [soralit](https://github.com/soralit/soralit): the
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
    skipped: tuple[object, ...] = ()  # `Problem`s: items with links not read as papers
    twins: tuple[tuple[Entry, str], ...] = ()  # (new entry, key of an entry of its title)


class NoEntriesFound(SoralitError):
    """The README holds nothing that reads as a paper entry; `problems` says what failed."""

    def __init__(self, readme: Path, problems: Sequence[object]) -> None:
        from soralit.importers.markdown import SHAPES

        super().__init__(f"{readme}: found no paper entries (looked for {SHAPES}); nothing written")
        self.problems = tuple(problems)


class NotAllRead(SoralitError):
    """`--strict`: items with links were not read as papers (`skipped` says which)."""

    def __init__(self, readme: Path, skipped: Sequence[object]) -> None:
        super().__init__(
            f"{readme}: {len(skipped)} item(s) with links not read as papers (listed above); "
            "nothing written (--strict)"
        )
        self.skipped = tuple(skipped)


def import_markdown(
    path: str | Path,
    readme: str | Path,
    *,
    under: str | None = None,
    markers: bool = True,
    dry_run: bool = False,
    strict: bool = False,
) -> MarkdownImport:
    """Turn an awesome-list README into entries of the library at PATH (created if
    missing): its headings under UNDER (found when not given) become the taxonomy, to
    their depth, with the notes between entries; its items, paragraph entries and table
    rows become entries. Papers already there are not added twice. With MARKERS the
    imported part of the README is wrapped in soralit's markers. With STRICT, items with
    links not read as papers make it fail (`NotAllRead`), writing nothing."""
    from soralit.importers.markdown import parse_markdown

    path, readme = Path(path), Path(readme)
    source, _ = storage.read_text(readme)
    existing = storage.load(path) if path.exists() else None
    keys = existing.entries.citation_keys() if existing else []
    listed = source if under is not None else marked_list(readme, source)
    found = parse_markdown(listed, under=under, existing_keys=keys)
    if not found.entries:
        raise NoEntriesFound(readme, found.problems)
    if strict and found.skipped:
        raise NotAllRead(readme, found.skipped)
    current = existing.taxonomy if existing else Taxonomy()
    taxonomy = merged_taxonomy(current, found.taxonomy)
    new, present, twins = split_known(existing.entries if existing else (), found.entries)
    new = stamped(new)
    result = MarkdownImport(
        taxonomy, new, present, found.problems, dry_run=dry_run, skipped=found.skipped,
        twins=twins,
    )  # fmt: skip
    if dry_run:
        return result
    if markers and found.region:
        fileio.check_writable(readme)  # before the library: both are written, or neither
    if existing is None:
        body = "\n".join(bibtex.format_entry(e) for e in new)
        storage.create(path, HEADER + tax.format_taxonomy(taxonomy) + "\n\n" + body)
    else:
        from soralit.placement import place_for

        with storage.edit(path) as tx:
            taken = set(tx.library.entries.citation_keys())
            tx.set_taxonomy(taxonomy)
            places = {}  # by first category: at the end of its run, as `add` puts them
            for entry in new:
                if entry.key not in taken:
                    first = entry.categories[:1]
                    if first not in places:
                        places[first] = place_for(tx.library.entries, taxonomy, first)
                    tx.insert_entry(entry, after=places[first].after, before=places[first].before)
    added = add_markers(readme, source, found.region) if markers and found.region else None
    return dataclasses.replace(result, markers=added)


def marked_list(readme: Path, source: str) -> str:
    """SOURCE as `import md` reads it: when the README has soralit's markers, only the
    list between them (a list soralit keeps, perhaps edited by hand since) and the
    headings above it, which say where the list stands; every other line blank, so that
    line numbers stay the README's. Without markers, all of it."""
    from soralit.render import markdown

    if not markdown.has_markers(source):
        return source
    try:
        start, end = markdown.marked_region(source)
    except markdown.MarkerError as exc:
        raise LibraryError(readme, None, str(exc)) from None
    head, tail = source[:start], source[end:]
    return _headings_only(head) + source[start:end] + "\n" * tail.count("\n")


def _headings_only(text: str) -> str:
    """TEXT with every line blank but its ATX headings (those in fenced code too)."""
    from soralit.render.markdown import heading_lines

    lines = text.split("\n")
    kept = set(heading_lines(lines))
    return "\n".join(line if i in kept else "" for i, line in enumerate(lines))


def stamped(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """ENTRIES with an `added` date (today's, `added.stamp`) where they have none."""
    from soralit.added import stamp

    day = stamp()
    return tuple(
        e if e.get("added") else Entry(e.key, e.type, {**e.fields, "added": day}, e.line, e.raw)
        for e in entries
    )


def _identifiers(entry: Entry) -> list[str]:
    from soralit.ids import url_key

    url = entry.get("url").strip()
    found = (
        entry.arxiv_id and "arxiv:" + entry.arxiv_id.lower(),
        entry.doi and "doi:" + entry.doi.lower(),
        url and "url:" + url_key(url),
    )
    return [i for i in found if i]


def split_known(
    library: Sequence[Entry], entries: Sequence[Entry]
) -> tuple[tuple[Entry, ...], tuple[tuple[Entry, str], ...], tuple[tuple[Entry, str], ...]]:
    """(ENTRIES the library lacks, (entry, holder key) of those it holds, (new entry, key)
    of the new ones whose title an entry has). The same arXiv ID, DOI or paper link is the
    same paper; so is the same title for an entry with none of those (nothing says it is
    another paper). A title shared by entries with other links is never taken as proof."""
    by_id = {i: e.key for e in library for i in _identifiers(e)}
    by_title = {text.normalize_title(e.get("title")): e.key for e in library}
    new: list[Entry] = []
    present: list[tuple[Entry, str]] = []
    twins: list[tuple[Entry, str]] = []
    for entry in entries:
        mine = _identifiers(entry)
        twin = by_title.get(text.normalize_title(entry.get("title")), "")
        holder = next((by_id[i] for i in mine if i in by_id), "") or ("" if mine else twin)
        if holder:
            present.append((entry, holder))
            continue
        if twin:
            twins.append((entry, twin))
        new.append(entry)
    return tuple(new), tuple(present), tuple(twins)


def merged_taxonomy(current: Taxonomy, imported: Taxonomy) -> Taxonomy:
    """CURRENT plus the categories of IMPORTED it lacks, each under its parent (or at
    the top), in their order. An empty CURRENT takes IMPORTED whole (its heading, level
    and notes), keeping its own title and citation key."""
    if not current.sections:
        return dataclasses.replace(
            imported,
            title=current.title or imported.title,
            citation_key=current.citation_key,
        )
    known = set(current.slugs())
    # (slug, children): categories the list has under another parent than the library;
    # their new children go under the library's category of that slug.
    grafts: list[tuple[str, tuple[Category, ...]]] = []

    def merge(nodes: tuple[Category, ...], incoming: tuple[Category, ...]) -> tuple[Category, ...]:
        out = list(nodes)
        for node in incoming:
            at = next((i for i, n in enumerate(out) if n.slug == node.slug), None)
            if at is not None:
                children = merge(out[at].children, node.children)
                out[at] = dataclasses.replace(out[at], children=children)
            elif node.slug in known:
                grafts.append((node.slug, node.children))
            else:
                out.append(unknown(node))
        return tuple(out)

    def unknown(node: Category) -> Category:
        """NODE, new to the library, without the categories below it that it has."""
        known.add(node.slug)
        kept = []
        for child in node.children:
            if child.slug in known:
                grafts.append((child.slug, child.children))
            else:
                kept.append(unknown(child))
        return dataclasses.replace(node, children=tuple(kept))

    def graft(
        nodes: tuple[Category, ...], slug: str, children: tuple[Category, ...]
    ) -> tuple[Category, ...]:
        return tuple(
            dataclasses.replace(n, children=merge(n.children, children))
            if n.slug == slug
            else dataclasses.replace(n, children=graft(n.children, slug, children))
            for n in nodes
        )

    sections = merge(current.sections, imported.sections)
    while grafts:
        slug, children = grafts.pop(0)
        sections = graft(sections, slug, children)
    return dataclasses.replace(current, sections=sections, title=current.title or imported.title)


def add_markers(readme: Path, text: str, region: tuple[int, int]) -> tuple[int, int] | None:
    """Wrap REGION (0-based lines [start, end)) of the README in the soralit markers,
    with the file's own line endings, unless it has markers already; the 1-based lines
    of the markers, or None."""
    from soralit.render import markdown

    if markdown.has_markers(text):
        return None
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    start, end = region
    if end >= len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    lines[end:end] = [markdown.END + newline]
    lines[start:start] = [markdown.START + newline]
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
