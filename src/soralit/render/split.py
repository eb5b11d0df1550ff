"""The paper list split into one Markdown file per section, and the index that links them.

Pure. GitHub shows only the first 512,000 bytes of a README; a list of a few thousand
papers passes that. `render_split` gives each top-level section its own page
(`technology.md`: `# Technology`, then `## Category` and its papers, deeper levels
deeper) and an index for the README: the list's heading, then each section as a link to
its page and each category as a link to its heading there, with its number of papers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote

from soralit.model import Category, Entry, Taxonomy
from soralit.render.markdown import (
    Anchors,
    entry_line,
    escape,
    members_by_category,
    shown_categories,
)

GITHUB_README_LIMIT = 512_000  # bytes GitHub renders of a README; the rest is cut
WARN_AT = 500_000


def render_split(
    entries: Iterable[Entry],
    taxonomy: Taxonomy,
    *,
    folder: str,
    keep_empty: bool = True,
    is_new: Callable[[Entry], bool] | None = None,
) -> tuple[str, dict[str, str]]:
    """(the index, {file name: page}) for the top-level sections that show anything (all,
    with KEEP_EMPTY). FOLDER is where the pages are, as a link from the index's file.

    A page holds its section's papers and each node below it as a heading one level
    deeper per level of the taxonomy; the index lists every shown node, indented as deep.
    """
    members = members_by_category(entries)
    shown = shown_categories(taxonomy, members, keep_empty=keep_empty)
    index = [f"## {escape(taxonomy.heading)}"] if taxonomy.heading else []
    pages: dict[str, str] = {}

    def line(entry: Entry) -> str:
        return entry_line(entry, new=is_new is not None and is_new(entry))

    for section in taxonomy.sections:
        if section.slug not in shown:
            continue
        name = f"{section.slug or 'section'}.md"
        target = quote(f"{folder.rstrip('/')}/{name}" if folder not in ("", ".") else name)
        papers = members.get(section.slug, [])
        index += ["", f"### [{escape(section.name)}]({target}){_count(_held(section, members))}"]
        page = [f"# {escape(section.name)}", *([""] if papers else []), *map(line, papers)]
        anchors = Anchors()
        anchors(Category(section.slug, section.name))  # the page's `#` heading
        for depth, node in _below(section):
            if node.slug not in shown:
                continue
            papers = members.get(node.slug, [])
            anchor = f"{target}#{anchors(Category(node.slug, node.name))}"
            indent = "    " * (depth - 2)
            index.append(f"{indent}- [{escape(node.name)}]({anchor}){_count(_held(node, members))}")
            page += ["", f"{'#' * min(depth, 6)} {escape(node.name)}", *map(line, papers)]
        pages[name] = "\n".join(page) + "\n"
    return "\n".join(index).lstrip("\n") + "\n", pages


def _held(node: Category, members: dict[str, list[Entry]]) -> list[Entry]:
    """The papers of NODE and the categories below it, each once."""
    found = {id(e): e for n in node.walk() for e in members.get(n.slug, [])}
    return list(found.values())


def _below(section: Category) -> list[tuple[int, Category]]:
    """(depth, node) for the nodes under SECTION, depth first; its children have depth 2."""
    found: list[tuple[int, Category]] = []

    def visit(node: Category, depth: int) -> None:
        found.append((depth, node))
        for child in node.children:
            visit(child, depth + 1)

    for child in section.children:
        visit(child, 2)
    return found


def _count(papers: list[Entry]) -> str:
    return f" ({len(papers)} paper{'' if len(papers) == 1 else 's'})" if papers else ""


def size_warning(name: str, text: str) -> str:
    """A warning when TEXT would pass what GitHub renders of a README ('' when it fits)."""
    size = len(text.encode("utf-8"))
    if size <= WARN_AT:
        return ""
    return (
        f"Warning: {name} would be {size:,} bytes; GitHub shows only the first "
        f"{GITHUB_README_LIMIT:,} bytes of a README. Split the list: --split DIR"
    )
