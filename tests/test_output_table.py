"""`list --format table`: a plain layout of soralit's own (`render.listing.render_table`).

Aligned columns under a rule, the title column wrapped to the terminal's width, cells shown
as they are. The expected tables are written out by hand.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soralit.cli import cli
from soralit.render.listing import cell_width, layout, wrap_cells

DATA = Path(__file__).parent / "data"
COLUMNS = ("key", "year", "venue", "title", "categories")
ROWS = [
    ("a2024x", "2024", "CVPR'24", "[bold]Not bold[/bold] and [link=https://e.org]x[/link]", "m"),
    ("bee2023", "2023", "arXiv 2023.06", "A Title That Runs On", "m, r"),
    ("c", "", "", "Ünïcödé 漢字 wide cells", ""),
]


def test_columns_are_as_wide_as_their_cells_when_there_is_room():
    assert layout(COLUMNS, ROWS, width=200, wrap=3) == [
        "key      year  venue          title                                                 "
        "  categories",
        "───────  ────  ─────────────  ──────────────────────────────────────────────────────"
        "  ──────────",
        "a2024x   2024  CVPR'24        [bold]Not bold[/bold] and [link=https://e.org]x[/link]  m",
        "bee2023  2023  arXiv 2023.06  A Title That Runs On                                  "
        "  m, r",
        "c                             Ünïcödé 漢字 wide cells",
    ]


def test_the_title_wraps_at_spaces_to_fit_the_width():
    lines = layout(COLUMNS, ROWS, width=64, wrap=3)
    assert lines == [
        "key      year  venue          title                   categories",
        "───────  ────  ─────────────  ──────────────────────  ──────────",
        "a2024x   2024  CVPR'24        [bold]Not bold[/bold]   m",
        "                              and",
        "                              [link=https://e.org]x[",  # one word, cut
        "                              /link]",
        "bee2023  2023  arXiv 2023.06  A Title That Runs On    m, r",
        "c                             Ünïcödé 漢字 wide",
        "                              cells",
    ]
    assert max(map(cell_width, lines)) == 64


def test_a_terminal_too_narrow_keeps_twenty_cells_for_the_title():
    lines = layout(COLUMNS, ROWS[1:2], width=30, wrap=3)
    assert lines[2:] == ["bee2023  2023  arXiv 2023.06  A Title That Runs On  m, r"]


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("one two three", 7, ["one two", "three"]),
        ("one   two\tthree\n", 30, ["one two three"]),
        ("abcdefghij klm", 4, ["abcd", "efgh", "ij", "klm"]),
        ("漢字漢字漢 x", 4, ["漢字", "漢字", "漢 x"]),
        ("", 10, [""]),
    ],
)
def test_wrap_cells(text, width, lines):
    assert wrap_cells(text, width) == lines


@pytest.mark.parametrize(("text", "cells"), [("abc", 3), ("漢字", 4), ("e\u0301", 1), ("🎬", 2)])
def test_cell_width(text, cells):
    assert cell_width(text) == cells


WORDS = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S")), min_size=1)


@given(st.lists(WORDS, max_size=12), st.integers(min_value=1, max_value=40))
def test_wrapping_keeps_every_character_and_the_width(words, width):
    lines = wrap_cells(" ".join(words), width)
    assert "".join("".join(lines).split()) == "".join("".join(words).split())
    widest_char = max((cell_width(c) for w in words for c in w), default=0)
    assert all(cell_width(line) <= max(width, widest_char) for line in lines)
    if all(cell_width(w) <= width for w in words):  # then no word is cut
        assert " ".join(lines).split() == " ".join(words).split()


FILTERS = """\
key        year  venue          title  categories
─────────  ────  ─────────────  ─────  ────────────────────────────────────
one2023    2023  RA-L'23        One    diffusion-models
two2023    2023  IEEE RA-L'23   Two    diffusion-models-2
three2024  2024  arXiv 2024.01  Three  diffusion-models-2, diffusion-models
four2024   2024  CoRL'24        Four   robotics
4 entries
"""


def test_list_format_table_on_the_command_line(runner, tmp_path):
    library = tmp_path / "library.bib"
    library.write_bytes((DATA / "filters.bib").read_bytes())
    result = runner.invoke(
        cli, ["--library", str(library), "list", "--format", "table"], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == FILTERS
    one = runner.invoke(cli, ["--library", str(library), "list", "-c", "robotics", "-f", "table"])
    assert one.stdout.endswith("robotics\n1 entry\n")


def test_a_table_needs_no_rich():
    code = (
        "import sys; from soralit.cli import main; sys.argv = ['soralit', '--library', "
        f"{str(DATA / 'small.bib')!r}, 'list', '--format', 'table']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in sys.modules if m == 'rich' or m.startswith('rich.')], file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
    assert done.stdout.endswith("4 entries\n")
