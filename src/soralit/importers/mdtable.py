"""Paper tables (GFM pipe tables): which column holds what, and one row -> a `Draft`.

Pure. A table is a header line, a delimiter line (`|---|:--:|`) and rows. Each column's
role comes from its header (`Title`, `Venue`, `Year`, `Code`, `Link`...); columns with
other headers are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soralit import model, text
from soralit.importers.items import Draft, read_item, sort_links
from soralit.importers.mdtext import Link, find_links, markdown_to_text

_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_BARE_URL = re.compile(r"https?://[^\s<>|]+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
ROLES = {
    "title": ("title", "paper-title", "name", "paper-name", "method", "model"),
    "venue": ("venue", "conference", "publication", "journal", "conference-journal", "published"),
    "year": ("year", "date", "time"),
    "code": ("code", "github", "repo", "repository", "implementation", "official-code"),
    "link": ("link", "links", "url", "pdf", "arxiv", "paper-link", "paper-url"),
}


@dataclass(frozen=True)
class Row:
    line: int  # 1-based
    cells: dict[str, str]  # role -> the cell's Markdown


def starts_table(lines: list[str], index: int) -> bool:
    """True when lines[index] is a table header (a delimiter line follows it)."""
    return (
        "|" in lines[index]
        and index + 1 < len(lines)
        and "-" in lines[index + 1]
        and bool(_DELIMITER.match(lines[index + 1]))
    )


def split_cells(line: str) -> list[str]:
    """The cells of one row: outer pipes dropped, `\\|` kept inside a cell."""
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [cell.strip() for cell in _CELL_SPLIT.split(line)]


def column_roles(header: list[str]) -> list[str | None]:
    """Each column's role. `Paper` is the title column unless another column is."""
    slugs = [model.slugify(markdown_to_text(cell)) for cell in header]
    roles: list[str | None] = [
        next((role for role, names in ROLES.items() if slug in names), None) for slug in slugs
    ]
    paper_role = "link" if "title" in roles else "title"
    return [
        paper_role if slug in ("paper", "papers") else r
        for slug, r in zip(slugs, roles, strict=True)
    ]


def read_table(lines: list[str], index: int) -> tuple[list[Row], int]:
    """The data rows of the table whose header is lines[index], and the index after it."""
    roles = column_roles(split_cells(lines[index]))
    rows, index = [], index + 2
    while index < len(lines) and "|" in lines[index] and lines[index].strip():
        cells: dict[str, str] = {}
        for role, cell in zip(roles, split_cells(lines[index]), strict=False):
            if role is not None:  # a second column with the same role adds to the first
                cells[role] = f"{cells[role]} {cell}" if role in cells else cell
        rows.append(Row(index + 1, cells))
        index += 1
    return rows, index


def read_row(row: Row) -> tuple[Draft | None, list[str]]:
    """The draft in one table row, and reasons for problems. The title cell is read
    like a list item (`[Title](url) (CVPR'23)`); other columns add to what it says."""
    if "title" not in row.cells:
        return None, ["the table has no Title, Paper or Name column; row not imported"]
    draft, reasons = read_item(row.cells["title"])
    if draft is None:
        return None, reasons
    papers, _, paper_reasons = sort_links(_cell_links(row.cells.get("link", "")))
    _, codes, code_reasons = sort_links(_cell_links(row.cells.get("code", "")), code=True)
    year = _YEAR.search(row.cells.get("year", ""))
    venue = text.fix_mojibake(markdown_to_text(row.cells.get("venue", "")))
    draft = Draft(
        title=draft.title,
        venue=venue or draft.venue,
        year=year.group() if year else draft.year,
        papers=draft.papers + tuple(papers),
        codes=draft.codes + tuple(codes),
    )
    return draft, reasons + paper_reasons + code_reasons


def _cell_links(cell: str) -> list[Link]:
    """Markdown links in a cell; failing those, bare URLs (GFM shows them as links)."""
    links = find_links(cell)
    if links or not cell:
        return links
    return [Link("", m.group(), *m.span()) for m in _BARE_URL.finditer(cell)]
