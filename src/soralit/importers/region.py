"""From the node that holds the list to the import's result: categories, entries (one
per paper), the lines the markers wrap, and the notes kept in between.

Pure; `markdown.parse_markdown` calls `build_result`. See that module for the contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from soralit import bibtex, model, text
from soralit.importers.draft import Draft
from soralit.importers.markdown import entry_for, identity
from soralit.importers.outline import Node
from soralit.importers.result import Candidate, ImportResult, Note, Problem, ReadState, within


@dataclass
class _Work:
    """One paper: its first draft and line, and the categories it is listed under."""

    draft: Draft
    line: int
    slugs: list[str] = field(default_factory=list)
    entry: model.Entry | None = None


def build_result(top: Node, root: Node, state: ReadState, taken: set[str]) -> ImportResult:
    inside = [c for c in state.candidates if within(c.node, top)]
    entries = [c for c in inside if c.entry]
    title = next((n.name for n in root.walk() if n.level == 1), "")
    if not entries:
        return ImportResult(model.Taxonomy(title=title), (), tuple(state.problems))
    entries = _without_strays(top, entries, state)
    direct = any(c.node is top for c in entries)
    tops = [top] if direct else _top_nodes(top, entries)
    head = 0 if direct else _title_head(top, tops[0], entries)
    entries = _left_above(head, entries, state)
    skip = {id(n) for c in tops[0].children if c.line < head for n in c.walk()}
    slugs = _slugs(tops)
    for candidate in inside:
        candidate.slug = slugs.get(id(candidate.node), "")
    works = _works(entries, state)
    for work in works:
        work.entry = entry_for(work.draft, work.slugs, work.line, taken)
    for candidate in entries:
        candidate.key = candidate.work.entry.key
    # A table's header and delimiter rows go inside the markers with its first row.
    start = min(_entry_lines(entries[:1], state)) if direct else max(tops[0].line, head)
    end = max(c.block.outer for c in entries)
    # Headings after the last entry (a tool list closing the last section) stay outside.
    skip |= {id(n) for t in tops for n in t.walk() if n.line >= end}
    heading = _list_heading(top, start, state, direct=direct)
    for candidate in inside:
        if not candidate.entry and candidate.why_not:
            state.skipped.append(
                Problem(candidate.block.start + 1, _first_line(state, candidate), candidate.why_not)
            )
        for reason in (
            candidate.reasons if candidate.entry and start <= candidate.block.start < end else ()
        ):
            state.problem(candidate.block.start, reason)
    made = tuple(w.entry for w in works if w.entry is not None)
    notes = _notes(tops, slugs, entries, state, start, end)
    return ImportResult(
        taxonomy=_taxonomy(tops, slugs, notes, title, heading, skip, direct=direct),
        entries=made,
        problems=tuple(
            sorted((p for p in state.problems if start < p.line <= end), key=lambda p: p.line)
        ),
        skipped=tuple(sorted(state.skipped, key=lambda p: p.line)),
        region=(start, end),
        entry_lines=frozenset(_entry_lines(entries, state)),
    )


def _without_strays(top: Node, entries: list[Candidate], state: ReadState) -> list[Candidate]:
    """ENTRIES without the stray few written above the list's first category (a survey
    link in an intro): they stay where they are, outside the markers, reported."""
    strays = [c for c in entries if c.node is top]
    if not strays or len(strays) == len(entries) or len(strays) > max(2, len(entries) // 20):
        return entries
    return _left_outside(entries, strays, "above the list's first heading", state)


def _title_head(top: Node, first: Node, entries: list[Candidate]) -> int:
    """The line where the list starts inside FIRST when FIRST is the README's title (the
    document's first heading, `#`, holding the logo and intro and then part of the list):
    its first sub-heading with entries, or its first direct entry when more than a stray
    few (a news item linking the list's own paper) are written under it. 0 otherwise."""
    if top.heading is not None or first.level != 1 or top.children[0] is not first:
        return 0
    direct = [c.block.start for c in entries if c.node is first]
    below = [c.line for c in first.children if any(within(e.node, c) for e in entries)]
    if below and len(direct) <= max(2, len(entries) // 20):
        return below[0]
    return min(direct + below, default=0)


def _left_above(head: int, entries: list[Candidate], state: ReadState) -> list[Candidate]:
    """ENTRIES without those written above HEAD, in the README's head: left as they
    are, outside the markers, reported."""
    above = [c for c in entries if c.block.start < head]
    return _left_outside(entries, above, "in the README's head, above the list", state)


def _left_outside(
    entries: list[Candidate], left: list[Candidate], where: str, state: ReadState
) -> list[Candidate]:
    """ENTRIES without LEFT, which stay as they are, outside the markers, reported."""
    for candidate in left:
        candidate.entry = False
        reason = f"{where}; left as it is, outside the markers"
        state.skipped.append(
            Problem(candidate.block.start + 1, _first_line(state, candidate), reason)
        )
    return [c for c in entries if c not in left]


def _first_line(state: ReadState, candidate: Candidate) -> str:
    return state.lines[candidate.block.start].strip()


def _top_nodes(top: Node, entries: list[Candidate]) -> list[Node]:
    """The children of TOP from the first that holds an entry to the last."""
    holders = [i for i, c in enumerate(top.children) if any(within(e.node, c) for e in entries)]
    return top.children[holders[0] : holders[-1] + 1]


def _slugs(tops: list[Node]) -> dict[int, str]:
    """A unique slug for every node under TOPS (`generation`, `generation-2`...)."""
    found: dict[int, str] = {}
    taken: set[str] = set()
    for node in (n for t in tops for n in t.walk()):
        base = model.slugify(node.name) or "category"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        found[id(node)] = slug
    return found


def _works(entries: list[Candidate], state: ReadState) -> list[_Work]:
    """One work per paper: the same identifier (arXiv ID, DOI, paper link) under a
    matching title is the same paper, in any category, its links merged. The same
    identifier under another title (a link pasted twice in the list) and the same title
    under other identifiers are reported, never merged."""
    works: list[_Work] = []
    by_id: dict[str, _Work] = {}
    by_title: dict[str, _Work] = {}
    for candidate in entries:
        draft = candidate.draft
        assert draft is not None
        ident, title = identity(draft), _normal_title(draft.title)
        held = by_id.get(ident) if ident else None
        if held is not None and _same_title(title, _normal_title(held.draft.title)):
            if candidate.slug in held.slugs:
                where = f"same entry as line {held.line + 1}; imported once"
                state.problem(candidate.block.start, where)
            else:
                held.slugs.append(candidate.slug)
            held.draft = _merged(held.draft, draft)
            candidate.work = held
            continue
        if held is not None:
            state.problem(
                candidate.block.start,
                f"same link as line {held.line + 1} under another title (a link pasted "
                "twice?); kept both",
            )
        twin = by_title.get(title)
        if twin is not None:
            state.problem(
                candidate.block.start,
                f"probably the same paper as line {twin.line + 1} (same title, other links); "
                "kept both",
            )
        work = _Work(draft, candidate.block.start, [candidate.slug])
        by_title.setdefault(title, work)
        if ident:
            by_id.setdefault(ident, work)
        works.append(work)
        candidate.work = work
    return works


def _normal_title(title: str) -> str:
    return text.normalize_title(bibtex.text_to_bibtex(title))


def _same_title(a: str, b: str) -> bool:
    """Titles of the same paper: equal once normalised, one inside the other (`MaxViT`
    and `MaxViT: Multi-Axis...`), or nearly equal (a typo)."""
    import difflib

    if a == b or (a and b and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def _merged(first: Draft, again: Draft) -> Draft:
    """FIRST with the links AGAIN adds (a second listing may give the code link)."""
    import dataclasses

    def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*a, *b)))

    return dataclasses.replace(
        first,
        papers=union(first.papers, again.papers),
        codes=union(first.codes, again.codes),
        others=union(first.others, again.others),
    )


def _list_heading(top: Node, start: int, state: ReadState, *, direct: bool) -> str:
    """The list's heading, when it stands right above the marked region."""
    if direct or top.heading is None:
        return ""
    between = state.lines[top.line + 1 : start]
    return "" if any(line.lstrip().startswith("#") for line in between) else top.name


def _taxonomy(
    tops: list[Node],
    slugs: dict[int, str],
    notes: list[Note],
    title: str,
    heading: str,
    skip: set[int],
    *,
    direct: bool,
) -> model.Taxonomy:
    """The categories as a tree, to the list's own depth, with their notes; the nodes
    whose ids SKIP holds (sub-headings of the README's title above the list) left out."""
    by_slug: dict[str, list[model.Note]] = {}
    for note in notes:
        by_slug.setdefault(note.slug, []).append(model.Note(note.before, note.text))

    level = tops[0].level if direct else min(t.level for t in tops)

    def node(n: Node, depth: int) -> model.Category:
        """N at DEPTH (1 at the top), with its heading level when it skips one."""
        slug = slugs[id(n)]
        written = n.level if n.heading is not None else 0
        return model.Category(
            slug,
            n.name or "Paper List",
            tuple(node(c, depth + 1) for c in n.children if id(c) not in skip),
            _as_written(n),
            tuple(by_slug.get(slug, ())),
            written if written and written != min(level + depth - 1, 6) else 0,
        )

    return model.Taxonomy(
        sections=tuple(node(t, 1) for t in tops), title=title, heading=heading, level=level
    )


def _as_written(node: Node) -> str:
    """The heading's Markdown, when it shows more than its name (emoji, links, HTML)."""
    from soralit.render.markdown import escape

    if node.heading is None:
        return ""
    source = node.heading.source.strip()
    return "" if source == escape(node.name) else source


def _notes(
    tops: list[Node],
    slugs: dict[int, str],
    entries: list[Candidate],
    state: ReadState,
    start: int,
    end: int,
) -> list[Note]:
    """The region's lines that are neither headings nor entries, by category and place."""
    covered = _entry_lines(entries, state)
    found: list[Note] = []
    for node in (n for t in tops for n in t.walk()):
        first = max(start, node.line + 1)
        last = min(node.children[0].line if node.children else node.end(len(state.lines)), end)
        mine = [c for c in entries if c.node is node]
        chunk: list[int] = []
        for line in range(first, last):
            if line in covered:
                _add_note(found, slugs[id(node)], chunk, mine, state)
                chunk = []
            else:
                chunk.append(line)
        _add_note(found, slugs[id(node)], chunk, mine, state)
    return found


def _entry_lines(entries: list[Candidate], state: ReadState) -> set[int]:
    """Lines that belong to entries: their own lines, and the header and delimiter of a
    table with entries."""
    covered: set[int] = set()
    for candidate in entries:
        covered.update(range(candidate.block.start, candidate.block.end))
        if candidate.block.kind == "row":
            header = next(
                (
                    b
                    for b in reversed(candidate.node.blocks)
                    if b.kind == "row" and b.header and b.start < candidate.block.start
                ),
                None,
            )
            if header is not None:
                covered.update((header.start, header.start + 1))
    return covered


def _add_note(
    found: list[Note], slug: str, chunk: list[int], mine: list[Candidate], state: ReadState
) -> None:
    while chunk and not state.lines[chunk[0]].strip():
        chunk = chunk[1:]
    while chunk and not state.lines[chunk[-1]].strip():
        chunk = chunk[:-1]
    if not chunk:
        return
    before = [c for c in mine if c.block.start < chunk[0]]
    # An entry listed again after the note is rendered once, where it first stood: the
    # note goes before the next entry that is new there.
    seen = {c.key for c in before}
    after = [c for c in mine if c.block.start > chunk[-1] and c.key not in seen]
    anchor = "^" if not before else (after[0].key if after else "")
    found.append(Note(slug, anchor, "\n".join(state.lines[chunk[0] : chunk[-1] + 1])))
