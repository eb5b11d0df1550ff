"""Listings for `soralit list`: TSV, JSON, keys and a plain table. Pure."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from soralit import text
from soralit.model import Entry


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """The JSON shape of an entry (display text, LaTeX decoded)."""
    return {
        "key": entry.key,
        "title": text.latex_to_text(entry.get("title")),
        "authors": text.authors(entry.get("author")),
        "year": entry.year,
        "venue": entry.venue_label(),
        "categories": list(entry.categories),
        "url": entry.get("url"),
        "code": entry.get("code"),
        "eprint": entry.arxiv_id,
        "doi": entry.doi,
    }


def render_json(entries: Iterable[Entry]) -> str:
    return json.dumps([entry_to_dict(e) for e in entries], ensure_ascii=False, indent=2) + "\n"


def render_keys(entries: Iterable[Entry]) -> str:
    return "".join(f"{e.key}\n" for e in entries)


def _cell(value: str) -> str:
    return " ".join(value.split())  # no tab or newline can split a TSV row


COLUMNS = ("key", "year", "venue", "title", "categories")


def row(entry: Entry, *, separator: str = ",") -> tuple[str, ...]:
    """The listing's columns (`COLUMNS`) for one entry, as display text."""
    return (
        entry.key,
        str(entry.year or ""),
        entry.venue_label(),
        text.latex_to_text(entry.get("title")),
        separator.join(entry.categories),
    )


def render_tsv(entries: Iterable[Entry]) -> str:
    """key, year, venue, title, categories: one tab-separated line per entry."""
    return "".join("\t".join(_cell(c) for c in row(e)) + "\n" for e in entries)


# --- `list --format table` -------------------------------------------------------------

GAP = "  "  # between columns
MIN_WRAP = 20  # the wrapped column is never narrower than this, however narrow the terminal


def render_table(entries: Iterable[Entry], *, width: int) -> str:
    """`list --format table`: aligned columns under a rule, titles wrapped to fit WIDTH
    terminal cells, then the count. Plain text: a cell is shown as it is, never as markup."""
    rows = [row(e, separator=", ") for e in entries]
    lines = layout(COLUMNS, rows, width=width, wrap=COLUMNS.index("title"))
    noun = "entry" if len(rows) == 1 else "entries"
    return "".join(f"{line}\n" for line in lines) + f"{len(rows)} {noun}\n"


def layout(
    columns: Sequence[str], rows: Sequence[Sequence[str]], *, width: int, wrap: int
) -> list[str]:
    """Lines of a table: the header, a rule, then each row. Columns are as wide as their
    widest cell, except column WRAP, which gets the room left on a WIDTH-cell line and
    wraps its cells at spaces. On a terminal too narrow even then, lines run longer."""
    cells = [[_cell(c) for c in r] for r in rows]
    widths = [
        max(map(cell_width, [name, *(r[i] for r in cells)])) for i, name in enumerate(columns)
    ]
    room = width - sum(widths) + widths[wrap] - len(GAP) * (len(columns) - 1)
    widths[wrap] = max(min(widths[wrap], room), min(widths[wrap], MIN_WRAP))
    lines = [_line(columns, widths), _line(["─" * w for w in widths], widths)]
    for r in cells:
        wrapped = wrap_cells(r[wrap], widths[wrap])
        for n, part in enumerate(wrapped):
            shown = [part if i == wrap else (c if n == 0 else "") for i, c in enumerate(r)]
            lines.append(_line(shown, widths))
    return lines


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = (c + " " * (w - cell_width(c)) for c, w in zip(cells, widths, strict=True))
    return GAP.join(padded).rstrip()


def cell_width(text: str) -> int:
    """How many terminal cells TEXT takes: wide (East Asian) characters 2, combining 0."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def wrap_cells(text: str, width: int) -> list[str]:
    """TEXT in lines of at most WIDTH cells, broken at spaces (a longer word is cut)."""
    lines, line = [], ""
    for word in text.split():
        for piece in _pieces(word, width):
            if line and cell_width(line) + 1 + cell_width(piece) > width:
                lines.append(line)
                line = ""
            line = f"{line} {piece}" if line else piece
    return [*lines, line]


def _pieces(word: str, width: int) -> list[str]:
    """WORD cut into pieces of at most WIDTH cells (one piece when it fits)."""
    if cell_width(word) <= width:
        return [word]
    pieces, start, used = [], 0, 0
    for i, char in enumerate(word):
        if used + _char_width(char) > width and i > start:
            pieces.append(word[start:i])
            start, used = i, 0
        used += _char_width(char)
    return [*pieces, word[start:]]
