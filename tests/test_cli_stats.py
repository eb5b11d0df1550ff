"""`soralit stats`: text lines, JSON, tables with bars, and the --plot chart."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from soralit.cli import cli
from soralit.commands.stats_cmd import bar


def run(runner, library, *args, code=0):
    result = runner.invoke(cli, ["--library", str(library), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def listed_keys(runner, library, *filters) -> set[str]:
    keys = run(runner, library, "list", *filters, "--format", "keys").stdout.split()
    return set(keys) - {"2024SoraReview"}


def test_json_counts_the_71_listed_papers(runner, library):
    data = json.loads(run(runner, library, "stats", "--format", "json").stdout)
    assert data["papers"] == 71
    assert data["published"] + data["preprints"] == 71
    assert sum(data["years"].values()) == 71
    assert [s["name"] for s in data["sections"]] == ["Technology", "Application"]
    categories = {c["slug"]: c["papers"] for s in data["sections"] for c in s["categories"]}
    assert categories["robotics"] == 8
    assert categories["modeling"] == len(listed_keys(runner, library, "-c", "modeling"))
    venues = {v["venue"]: v["papers"] for v in data["venues"]}
    assert venues["CVPR"] == len(listed_keys(runner, library, "--venue", "CVPR"))
    assert len(data["venues"]) == 10
    assert sum(venues.values()) + data["other_venues"] == 71


def test_with_code_counts_http_code_links(runner, library):
    data = json.loads(run(runner, library, "stats", "--format", "json").stdout)
    papers = json.loads(run(runner, library, "list", "--format", "json").stdout)
    with_code = [p for p in papers if p["code"].startswith(("http://", "https://"))]
    assert data["with_code"] == len(with_code)


def test_in_a_pipe_the_output_is_text_lines(runner, library):
    lines = run(runner, library, "stats").stdout.splitlines()
    assert lines[0] == "papers\tall\t71"
    assert [line.split("\t")[0] for line in lines[:4]] == ["papers"] * 4
    technology = len(listed_keys(runner, library, "-c", "technology"))
    assert f"section\ttechnology\t{technology}" in lines
    assert "category\trobotics\t8" in lines
    assert all(len(line.split("\t")) == 3 for line in lines)


def test_filters_apply_before_counting(runner, library):
    lines = run(runner, library, "stats", "--category", "robotics").stdout.splitlines()
    assert lines[0] == "papers\tall\t8"
    assert "category\tmodeling\t0" in lines
    assert "section\tapplication\t8" in lines


def test_top_limits_the_venues(runner, library):
    data = json.loads(run(runner, library, "stats", "-f", "json", "--top", "3").stdout)
    assert len(data["venues"]) == 3
    assert data["venues"][0]["papers"] >= data["venues"][1]["papers"] >= data["venues"][2]["papers"]
    result = run(runner, library, "stats", "--top", "0", code=2)
    assert "Invalid value for '--top'" in result.stderr


def test_table_format_draws_bars(runner, library):
    out = run(runner, library, "stats", "--format", "table").stdout
    for title in ("71 papers", "Sections and categories", "Papers per year", "Top venues"):
        assert title in out
    robotics = next(line for line in out.splitlines() if "Robotics" in line)
    assert "│ 8 " in robotics and "█" in robotics
    # The largest count of a table gets the full bar.
    assert "█" * 24 in out


@pytest.mark.parametrize(
    ("count", "largest", "expected"),
    [(0, 10, ""), (10, 10, "█" * 24), (5, 10, "█" * 12), (1, 24, "█"), (1, 1000, "▏"), (3, 0, "")],
)
def test_bar(count, largest, expected):
    assert bar(count, largest) == expected


def test_plot_rejects_other_formats_before_reading(runner, tmp_path):
    target = tmp_path / "chart.pdf"
    missing = tmp_path / "nothing.bib"
    result = run(runner, missing, "stats", "--plot", str(target), code=2)
    assert result.stderr == f"Error: --plot {target}: the file name must end in .svg or .png\n"
    assert not target.exists()


def test_plot_svg_is_stacked_by_section_and_reproducible(runner, library, tmp_path):
    pytest.importorskip("matplotlib")
    first, second = tmp_path / "a" / "chart.svg", tmp_path / "b.svg"
    result = run(runner, library, "stats", "--plot", str(first))
    assert result.stdout == ""
    years = json.loads(run(runner, library, "stats", "-f", "json").stdout)["years"]
    unknown = years.pop("unknown", 0)
    note = f"; {unknown} without a year left out" if unknown else ""
    expected = f"Wrote {first}: {sum(years.values())} papers per year, by section{note}.\n"
    assert result.stderr == expected
    run(runner, library, "stats", "--plot", str(second))
    svg = first.read_text(encoding="utf-8")
    assert "<svg" in svg and "Technology" in svg and "Application" in svg
    assert "Papers per year, by section" in svg
    assert first.read_bytes() == second.read_bytes()


def test_plot_png_by_venue(runner, library, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "venues.PNG"
    run(runner, library, "stats", "--plot", str(target), "--by", "venue", "--top", "4")
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def run_without_matplotlib(args: list[str]) -> subprocess.CompletedProcess[str]:
    """soralit in a fresh interpreter where `import matplotlib` fails, as without the extra."""
    code = (
        "import sys\nsys.modules['matplotlib'] = None\n"
        "from soralit.cli import main\nsys.argv = ['soralit', *sys.argv[1:]]\nmain()\n"
    )
    env = {**os.environ, "SORALIT_CACHE_DIR": "off"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )


def test_plot_without_the_extra_names_it(library, tmp_path):
    target = tmp_path / "chart.svg"
    result = run_without_matplotlib(["--library", str(library), "stats", "--plot", str(target)])
    assert result.returncode == 1
    assert result.stderr == (
        "Error: --plot needs matplotlib, which is not installed: pip install 'soralit[plot]'\n"
    )
    assert not target.exists()
    # The counts themselves never need matplotlib.
    counts = run_without_matplotlib(["--library", str(library), "stats", "-f", "json"])
    assert counts.returncode == 0 and json.loads(counts.stdout)["papers"] == 71


def test_counting_does_not_import_matplotlib(library):
    code = (
        "import sys\nfrom soralit.cli import cli\n"
        f"try:\n    cli(['--library', {str(library)!r}, 'stats', '-f', 'table'])\n"
        "except SystemExit:\n    pass\n"
        "print('matplotlib' in sys.modules, file=sys.stderr)"
    )
    env = {**os.environ, "SORALIT_CACHE_DIR": "off"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stderr.strip() == "False"
