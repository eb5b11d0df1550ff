"""Import an awesome-list README: Markdown text -> taxonomy, entries, and what was left.

Pure: no I/O, no click. markdown-it-py reads the document (`mdtokens`); the headings
give the outline (`outline`), and the node that holds the list gives the taxonomy, to
the list's own depth. List items, paragraph entries (a bold title line, an author line,
a venue and links line) and table rows that read as papers become `misc` entries
(`items`, `mdtable`), in document order; a paper under two headings is one entry in two
categories. Items with links that do not read as papers are returned as `skipped`, with
their line numbers; problems (a link left out, a probable duplicate) as `problems`.

The result also says which lines the soralit markers should wrap (`region`): from the
list's first category heading (or first entry) to its last entry, never the README's
head or anything after the list. Everything else inside that region (notes under a
heading, `<details>` tags, items that are not papers) is kept as the categories' notes
(`notes`), to be written back in place by `export md`.
"""

from __future__ import annotations

from collections.abc import Iterable

from soralit import citekeys, ids, model, text
from soralit.importers import links, mdtable
from soralit.importers.draft import Draft, draft_fields
from soralit.importers.items import read_item
from soralit.importers.mdtokens import Block, read_blocks
from soralit.importers.outline import Node, build_outline, find_list, heading_name
from soralit.importers.result import Candidate, ImportResult, Problem, ReadState, within

__all__ = ["SHAPES", "ImportResult", "Problem", "heading_name", "parse_markdown"]

SHAPES = (
    "list items with a paper link or a venue (`- [Title](url) - Venue 2023`, "
    "`- **Title** [[Paper]](url)`, `1. [CVPR'23] Title [[pdf]](url)`), paragraph entries "
    "(a bold title line, authors, venue and links), and tables with a Title or Paper column"
)


def parse_markdown(
    markdown: str, *, under: str | None = None, existing_keys: Iterable[str] = ()
) -> ImportResult:
    """Read a paper list. `under` names the heading that holds it (case, emoji and
    punctuation ignored); `existing_keys` are citation keys new entries must not take.

    Raises `UsageProblem` when `under` names no heading of the document.
    """
    state = ReadState(markdown.splitlines())
    root = build_outline(read_blocks(markdown))
    for node in root.walk():
        _read_node(node, state)
    counts = _counts(root, state)
    top = find_list(root, lambda n: counts.get(id(n), 0), under)
    _report_asides(root, top, state)
    _report_outside(top, state)
    from soralit.importers.region import build_result

    return build_result(top, root, state, set(existing_keys))


def _read_node(node: Node, state: ReadState) -> None:
    """Candidates for the blocks written directly under NODE."""
    columns = None
    for block in node.blocks:
        if block.kind == "row" and block.header:
            columns = mdtable.column_roles(block.cells)
            for reason in columns.report():
                state.problem(block.start, reason)
            continue
        if block.kind == "row" and columns is not None:
            draft, reasons = mdtable.read_row(columns, block.cells)
            found = [p for cell in block.cells for p in cell if p.kind == "link"]
            entry = draft is not None and (bool(found) or draft.paper_evidence())
            http = any(links.is_http(p.href) for p in found)
            why = "" if entry or not http else (reasons[0] if draft is None else "not a paper")
            state.candidates.append(Candidate(block, node, draft, reasons, entry, why))
        elif block.kind in ("item", "paragraph"):
            state.candidates.append(_item(block, node))


def _item(block: Block, node: Node) -> Candidate:
    draft, reasons = read_item(block.pieces)
    found = [p for p in block.pieces if p.kind == "link"]
    http = any(links.is_http(p.href) for p in found)
    # A table of contents: links within the page, or a title linking there.
    navigation = bool(found) and (
        all(p.href.startswith("#") for p in found)
        or (draft is not None and draft.title_link.startswith("#"))
    )
    entry = (
        draft is not None
        and not navigation
        and draft.paper_evidence()
        and (http or draft.styled or draft.claimed)
    )
    if block.kind == "paragraph":  # a bold or linked title, then authors, venue or date
        entry = (
            entry
            and draft is not None
            and draft.styled
            and bool(draft.authors or draft.venue or draft.year)
        )
    why = ""
    shaped = block.kind == "item" or (draft is not None and draft.styled)  # prose is not
    if not entry and found and not navigation and shaped:
        if draft is None:
            why = "no title found"
        elif draft.codes and not draft.papers and not draft.others:
            why = "only code links and no venue: a tool or repository, not a paper"
        else:
            why = "no paper link (arXiv, DOI, OpenReview, publisher, PDF) and no venue"
    return Candidate(block, node, draft, reasons, entry, why)


def _counts(root: Node, state: ReadState) -> dict[int, int]:
    """Entries in each node's subtree, sections beside the list (news...) counting none."""
    direct: dict[int, int] = {}
    for candidate in state.candidates:
        if candidate.entry:
            direct[id(candidate.node)] = direct.get(id(candidate.node), 0) + 1
    counts: dict[int, int] = {}

    def count(node: Node) -> int:
        total = 0 if node.aside else direct.get(id(node), 0)
        total += sum(count(c) for c in node.children if not c.aside)
        counts[id(node)] = total
        return total

    count(root)
    return counts


def _report_asides(root: Node, top: Node, state: ReadState) -> None:
    """Paper items in a news (or citation...) section: not imported, said once."""
    for node in root.walk():
        if not node.aside or node is top:
            continue
        found = [c for c in state.candidates if c.entry and within(c.node, node)]
        for candidate in found:
            candidate.entry = False
        if found:
            lines = f"lines {found[0].block.start + 1}-{found[-1].block.end}"
            state.skipped.append(
                Problem(
                    node.line + 1,
                    state.lines[node.line].strip(),
                    f"{len(found)} paper items under {node.name!r} ({lines}) left as they "
                    "are: that section is beside the list, not part of it",
                )
            )


def _report_outside(top: Node, state: ReadState) -> None:
    """Paper items outside the node that holds the list: left where they are, said."""
    for candidate in state.candidates:
        if candidate.entry and not within(candidate.node, top):
            candidate.entry = False
            where = f"under {candidate.node.name!r}" if candidate.node.name else "above it"
            state.skipped.append(
                Problem(
                    candidate.block.start + 1,
                    state.lines[candidate.block.start].strip(),
                    f"outside the list ({where}); left as it is",
                )
            )


def entry_for(draft: Draft, slugs: list[str], line: int, taken: set[str]) -> model.Entry:
    """A `misc` entry for DRAFT with a new unique key (added to TAKEN)."""
    fields = draft_fields(draft, slugs)
    key = citekeys.unique_key(
        citekeys.base_key(
            text.latex_to_text(fields.get("author", "")), fields.get("year", ""), fields["title"]
        ),
        taken,
    )
    taken.add(key)
    return model.Entry(key, "misc", fields, line=line + 1)


def identity(draft: Draft) -> str:
    """What makes two items the same paper: arXiv ID, DOI, or the paper link."""
    for url in draft.papers:
        found = links.arxiv_id(url)
        if found:
            return "arxiv:" + found.lower()
    for url in draft.papers:
        found = links.doi(url)
        if found:
            return "doi:" + found.lower()
    first = (draft.papers or draft.others or draft.codes)[:1]
    return "url:" + ids.url_key(first[0]) if first else ""
