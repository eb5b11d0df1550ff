"""The read side of the CLI: list, show, taxonomy, export, and their error paths."""

import json
from pathlib import Path

import pytest

from soralit.cli import cli

ROBOTICS = [
    "kapelyukh2023dall",
    "liu2022structdiffusion",
    "janner2022planning",
    "ajay2022conditional",
    "carvalho2023motion",
    "gu2024seer",
    "chen2023genaug",
    "mandi2022cacti",
]


def run(runner, library, *args, code=0):
    result = runner.invoke(cli, ["--library", str(library), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def test_robotics_lists_the_eight_robotics_papers(runner, library):
    result = run(runner, library, "list", "--category", "robotics", "--format", "keys")
    assert result.stdout.split() == ROBOTICS


def test_cvpr_venue_prefix_gives_twelve_papers(runner, library):
    keys = run(runner, library, "list", "--venue", "CVPR", "--format", "keys").stdout.split()
    assert len(keys) == 12


def test_piped_output_is_tab_separated(runner, library):
    lines = run(runner, library, "list", "-c", "Robotics").stdout.splitlines()
    assert lines[0].split("\t") == [
        "kapelyukh2023dall",
        "2023",
        "IEEE RA-L'23",
        "DALL-E-Bot: Introducing Web-Scale Diffusion Models to Robotics",
        "robotics",
    ]
    assert len(lines) == 8


def test_table_format_shows_a_count(runner, library):
    result = run(runner, library, "list", "--category", "movie", "--format", "table")
    assert "3 entries" in result.stdout
    assert "Vlogger" in result.stdout


def test_json_format_has_the_documented_fields(runner, library):
    data = json.loads(run(runner, library, "list", "--venue", "TVCG", "--format", "json").stdout)
    assert len(data) == 1
    assert set(data[0]) == {
        "key",
        "title",
        "authors",
        "year",
        "venue",
        "categories",
        "url",
        "code",
        "eprint",
        "doi",
    }
    assert data[0]["categories"] == ["education"]
    assert data[0]["eprint"] == "2306.00943"
    assert isinstance(data[0]["authors"], list) and data[0]["authors"]


def test_filters_combine(runner, library):
    out = run(
        runner, library, "list", "-c", "technology", "--year", "2021", "--format", "keys"
    ).stdout.split()
    assert out == [
        "dosovitskiy2021image",
        "arnab2021vivit",
        "bertasius2021space",
        "lester2021power",
    ]
    by_author = run(runner, library, "list", "--author", "Dehghani", "--format", "keys").stdout
    assert by_author.split() == ["dehghani2023patch", "dosovitskiy2021image", "arnab2021vivit"]
    found = run(runner, library, "list", "--search", "jailbreak", "--format", "keys").stdout
    assert found.split() == ["niu2024jailbreaking", "liu2024autodan"]


def test_bib_format_is_the_entries_own_text(runner, library):
    out = run(runner, library, "list", "--venue", "TVCG", "--format", "bib").stdout
    assert out in library.read_text(encoding="utf-8")


def test_unknown_category_is_a_usage_error_with_suggestion(runner, library):
    result = run(runner, library, "list", "--category", "robotcs", code=2)
    assert result.stderr.startswith("Error: unknown category 'robotcs'. Did you mean 'robotics'?")
    assert "Valid categories: data-pre-processing, modeling," in result.stderr
    assert result.stdout == ""


def test_bad_year_is_a_usage_error(runner, library):
    result = run(runner, library, "list", "--year", "2024-2020", code=2)
    assert result.stderr == "Error: invalid year range '2024-2020': 2024 is after 2020\n"


def test_missing_library_is_one_line(runner, tmp_path):
    missing = tmp_path / "nope.bib"
    result = run(runner, missing, "list", code=1)
    assert result.stderr == f"Error: {missing}: no such file (set --library or SORALIT_LIBRARY)\n"


def test_malformed_library_names_file_and_line(runner, tmp_path):
    bad = tmp_path / "bad.bib"
    bad.write_text("@misc{ok,\n  title = {Fine},\n}\n\n@article{broken,\n  title = {open\n")
    before = bad.read_bytes()
    result = run(runner, bad, "list", code=1)
    assert result.stderr == (
        f"Error: {bad}:5: malformed BibTeX block: unexpectedly reached end of file\n"
    )
    assert bad.read_bytes() == before


def test_a_field_given_twice_is_one_plain_line(runner, tmp_path):
    """As in a real thesis bibliography (153957/phd_thesis, two `year` fields)."""
    bad = tmp_path / "bad.bib"
    bad.write_text(
        "@misc{ok,\n  title = {Fine},\n}\n\n@article{k,\n  year = {2001},\n  year = {2002},\n}\n"
    )
    result = run(runner, bad, "list", code=1)
    assert result.stderr == (
        f"Error: {bad}:5: malformed BibTeX block: duplicate field keys on entry: 'year'\n"
    )


def test_library_from_env(runner, library, monkeypatch):
    monkeypatch.setenv("SORALIT_LIBRARY", str(library))
    result = runner.invoke(cli, ["list", "-c", "gaming", "--format", "keys"])
    assert len(result.stdout.split()) == 4


def test_show_prints_fields_and_bibtex(runner, library):
    out = run(runner, library, "show", "2024SoraReview").stdout
    assert "\ntitle       Sora: A Review on Background" in out
    assert "\nauthors     Yixin Liu, Kai Zhang," in out
    assert "@misc{2024SoraReview," in out


def test_show_unknown_key_suggests(runner, library):
    result = run(runner, library, "show", "2024SoraReviw", code=1)
    assert result.stderr == (
        f"Error: no entry with key '2024SoraReviw' in {library}. Did you mean: 2024SoraReview?\n"
    )


def test_taxonomy_tree_counts(runner, library):
    out = run(runner, library, "taxonomy").stdout
    assert out.splitlines()[0] == "Technology (44)"
    assert "Robotics" in out and out.rstrip().endswith("8")
    data = json.loads(run(runner, library, "taxonomy", "--format", "json").stdout)
    assert [s["section"] for s in data] == ["Technology", "Application"]
    assert sum(c["count"] for s in data for c in s["categories"]) == 71


def test_export_md_writes_file(runner, library, tmp_path):
    target = tmp_path / "build" / "list.md"  # the folder is created
    run(runner, library, "export", "md", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert text.startswith("## Paper List\n\n### Technology\n#### Data Pre-processing\n")
    assert text.count("\n- ") == 71


def test_export_md_filters_toc_and_sort(runner, library):
    out = run(runner, library, "export", "md", "-c", "robotics", "--toc", "--sort", "year").stdout
    assert "- [Application](#application)\n    - [Robotics](#robotics)\n" in out
    assert "### Technology" not in out
    items = [line for line in out.splitlines() if line.startswith("- (")]
    assert len(items) == 8 and items[0].startswith("- (*ICLR'24*) Seer")


def test_export_citation_matches_the_seed_block(runner, library):
    out = run(runner, library, "export", "citation").stdout
    seed = (Path(__file__).parent / "fixtures" / "seed-README.md").read_text(encoding="utf-8")
    seed_block = seed.split("```\n", 1)[1].split("```", 1)[0]
    assert out.startswith("## Citation\n\n```bibtex\n")
    assert out.split("```bibtex\n", 1)[1].split("```", 1)[0] == seed_block


def test_export_bib_and_csl_json(runner, library):
    bib = run(runner, library, "export", "bib", "-c", "robotics").stdout
    assert bib.count("\n@") + bib.startswith("@") == 8
    items = json.loads(run(runner, library, "export", "json", "-c", "robotics").stdout)
    assert len(items) == 8
    seer = next(i for i in items if i["id"] == "gu2024seer")
    assert seer["type"] == "paper-conference"
    assert seer["issued"] == {"date-parts": [[2024]]}
    assert seer["author"][0]["family"]


README_WITH_MARKERS = "# My list\n\n<!-- soralit:start -->\nstale\n<!-- soralit:end -->\n\nEnd.\n"


def test_in_place_sync_and_check(runner, library, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README_WITH_MARKERS)
    stale = readme.read_bytes()
    result = run(runner, library, "export", "md", "--in-place", str(readme), "--check", code=1)
    assert "-stale\n" in result.stdout and "+## Paper List\n" in result.stdout
    assert result.stderr == (
        f"Error: {readme} is out of date: run `soralit export md --in-place {readme}`\n"
    )
    assert readme.read_bytes() == stale
    run(runner, library, "export", "md", "--in-place", str(readme))
    text = readme.read_text()
    assert text.startswith("# My list\n\n<!-- soralit:start -->\n## Paper List\n")
    assert text.endswith("<!-- soralit:end -->\n\nEnd.\n")
    result = run(runner, library, "export", "md", "--in-place", str(readme), "--check")
    assert result.stdout == ""


def test_in_place_without_markers_is_an_error(runner, library, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n")
    result = run(runner, library, "export", "md", "--in-place", str(readme), code=1)
    assert "has no <!-- soralit:start --> ... <!-- soralit:end --> markers" in result.stderr
    assert readme.read_text() == "# no markers\n"


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "--format", "json"],
        ["show", "2024SoraReview"],
        ["taxonomy"],
        ["export", "md"],
        ["export", "citation"],
        ["export", "bib"],
        ["export", "json"],
    ],
)
def test_read_commands_never_touch_the_library(runner, library, args):
    before = library.read_bytes()
    run(runner, library, *args)
    assert library.read_bytes() == before
