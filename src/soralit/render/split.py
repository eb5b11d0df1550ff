"""The paper list split into one Markdown file per section, and the index that links them.

Pure. GitHub shows only the first 512,000 bytes of a README; a list of a few thousand
papers passes that. `render_split` gives each section its own page (`technology.md`:
`# Technology`, then `## Category` and its papers) and an index for the README: the list's
heading, then each section as a link to its page and each category as a link to its
heading there, with its number of papers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote

from soralit.model import Entry, Taxonomy, slugify
from soralit.render.markdown import entry_line, escape, members_by_category

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
    """(the index, {file name: page}) for the sections that have papers (all, when
    KEEP_EMPTY). FOLDER is where the pages are, as a link from the index's file."""
    members = members_by_category(entries)
    index = [f"## {escape(taxonomy.heading)}"]
    pages: dict[str, str] = {}
    for section in taxonomy.sections:
        shown = [c for c in section.categories if members.get(c.slug) or keep_empty]
        if not shown:
            continue
        name = f"{section.slug or 'section'}.md"
        target = quote(f"{folder.rstrip('/')}/{name}" if folder not in ("", ".") else name)
        index += ["", f"### [{escape(section.name)}]({target})"]
        page = [f"# {escape(section.name)}"]
        for category in shown:
            papers = members.get(category.slug, [])
            count = f"{len(papers)} paper{'' if len(papers) == 1 else 's'}"
            index.append(
                f"- [{escape(category.name)}]({target}#{slugify(category.name)}) ({count})"
            )
            lines = [entry_line(e, new=is_new is not None and is_new(e)) for e in papers]
            page += ["", f"## {escape(category.name)}", *lines]
        pages[name] = "\n".join(page) + "\n"
    return "\n".join(index) + "\n", pages


def size_warning(name: str, text: str) -> str:
    """A warning when TEXT would pass what GitHub renders of a README ('' when it fits)."""
    size = len(text.encode("utf-8"))
    if size <= WARN_AT:
        return ""
    return (
        f"Warning: {name} would be {size:,} bytes; GitHub shows only the first "
        f"{GITHUB_README_LIMIT:,} bytes of a README. Split the list: --split DIR"
    )
