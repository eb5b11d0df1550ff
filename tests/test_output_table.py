"""`list --format table`: plain cells, laid out as rich lays them out, measured faster."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.markup import escape

from soralit import output

ROWS = [
    (
        "a2024x",
        "2024",
        "CVPR'24",
        "[bold]Not bold[/bold] and [link=https://e.org]no link[/link]",
        "robotics",
    ),
    ("bee2023longer-key", "2023", "arXiv 2023.06", "A Title " * 12, "modeling, robotics"),
    ("c", "", "", "Ünïcödé 漢字 wide cells", ""),
]
COLUMNS = ("key", "year", "venue", "title", "categories")


def rendered(monkeypatch: pytest.MonkeyPatch, width: int, rows, *, markup: bool) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    console = Console(file=out, width=width, highlight=False, soft_wrap=False)
    monkeypatch.setattr(output, "console", lambda: console)
    output.print_table(COLUMNS, rows, caption="3 entries", markup=markup)
    return out.getvalue()


@pytest.mark.parametrize("width", [30, 45, 60, 80, 100, 120, 200])
def test_plain_tables_are_laid_out_as_rich_lays_them_out(monkeypatch, width):
    by_rich = rendered(monkeypatch, width, [tuple(map(escape, r)) for r in ROWS], markup=True)
    assert rendered(monkeypatch, width, ROWS, markup=False) == by_rich


def test_plain_cells_are_shown_as_they_are(monkeypatch):
    text = " ".join(rendered(monkeypatch, 250, ROWS, markup=False).split())
    assert "[bold]Not bold[/bold] and [link=https://e.org]no link[/link]" in text
