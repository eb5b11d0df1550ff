"""biblatex entries read for year and venue: `date` in its ISO 8601 forms, `year` with
`month`, `journaltitle`, `eventtitle`, `booktitle`, `journal`; `list --year`, `list
--venue`, `stats`, the Markdown list and CSL-JSON all see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soralit import dates
from soralit.cli import cli
from soralit.model import Entry

EXAMPLES = Path(__file__).parent / "fixtures" / "bib" / "biblatex" / "biblatex-examples.bib"

LIBRARY = """\
@comment{soralit-taxonomy:
## Papers
- papers: Papers
}

@article{dated,
  author = {Ann Author},
  title = {A Dated Journal Article},
  journaltitle = {Journal of Things},
  date = {2023-05-17},
  keywords = {papers},
}

@inproceedings{event,
  author = {Bob Author},
  title = {A Talk},
  eventtitle = {Conference on Robot Learning},
  date = {2022/2023},
  keywords = {papers},
}

@article{monthly,
  author = {Cy Author},
  title = {A Monthly Article},
  journal = {Advances in Neural Information Processing Systems},
  year = {2021},
  month = dec,
  keywords = {papers},
}
"""


def run(runner, library: Path, *args: str) -> str:
    result = runner.invoke(cli, ["--library", str(library), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def biblatex_library(tmp_path: Path) -> Path:
    path = tmp_path / "library.bib"
    path.write_text(LIBRARY, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "parts", "end", "circa"),
    [
        ("2023", [2023], [], False),
        ("2023-05", [2023, 5], [], False),
        ("2023-05-17", [2023, 5, 17], [], False),
        ("2023-05-17T10:30:00Z", [2023, 5, 17], [], False),
        ("2023/2024", [2023], [2024], False),
        ("2023-05-01/2023-06-30", [2023, 5, 1], [2023, 6, 30], False),
        ("2023/", [2023], [], False),
        ("2023/..", [2023], [], False),
        ("/2023", [2023], [], False),
        ("2023?", [2023], [], True),
        ("2023~", [2023], [], True),
        ("2023%", [2023], [], True),
        ("2023-21", [2023], [], False),  # spring: a season, no month
        ("{2023}", [2023], [], False),
    ],
)
def test_biblatex_dates(value, parts, end, circa):
    date = dates.parse_date(value)
    assert date is not None
    assert (date.parts(), date.end_parts(), date.circa) == (parts, end, circa)


@pytest.mark.parametrize(
    "value", ["", "n.d.", "May 2023", "2023-13-45", "2023-00", "2023-05-00", "20230", "2023/x"]
)
def test_what_is_no_biblatex_date(value):
    assert dates.parse_date(value) is None


@pytest.mark.parametrize(
    ("month", "number"),
    [("5", 5), ("05", 5), ("may", 5), ("May", 5), ("Sept.", 9), ("10~January", 1), ("", None)],
)
def test_year_and_month(month, number):
    assert dates.parse_year_month("2023", month) == dates.Date(2023, number)


def test_date_wins_over_year_as_biber_has_it():
    entry = Entry("k", fields={"date": "2020-03", "year": "2019"})
    assert (entry.year, entry.date.month) == (2020, 3)
    assert Entry("k", fields={"date": "n.d.", "year": "2019"}).year == 2019


def test_list_reads_year_and_venue_of_biblatex_entries(runner, biblatex_library):
    listed = json.loads(run(runner, biblatex_library, "list", "--format", "json"))
    assert [(i["key"], i["year"], i["venue"]) for i in listed] == [
        ("dated", 2023, "Journal of Things"),
        ("event", 2022, "CoRL'22"),
        ("monthly", 2021, "NeurIPS'21"),
    ]
    assert run(runner, biblatex_library, "list", "--year", "2023", "--format", "keys") == "dated\n"
    keys = run(runner, biblatex_library, "list", "--venue", "journal of", "--format", "keys")
    assert keys == "dated\n"  # the journal's name, not only the label
    assert run(runner, biblatex_library, "list", "--venue", "CoRL", "--format", "keys") == "event\n"


def test_stats_counts_a_dated_journal_article_as_published(runner, biblatex_library):
    stats = json.loads(run(runner, biblatex_library, "stats", "--format", "json"))
    assert (stats["published"], stats["preprints"]) == (3, 0)
    assert stats["years"] == {"2021": 1, "2022": 1, "2023": 1}


def test_markdown_and_csl_show_the_derived_venue_and_the_date(runner, biblatex_library):
    md = run(runner, biblatex_library, "export", "md")
    assert "- (*Journal of Things*) A Dated Journal Article" in md
    assert "- (*CoRL'22*) A Talk" in md
    csl = {i["id"]: i for i in json.loads(run(runner, biblatex_library, "export", "json"))}
    assert csl["dated"]["issued"] == {"date-parts": [[2023, 5, 17]]}
    assert csl["dated"]["container-title"] == "Journal of Things"
    assert csl["event"]["issued"] == {"date-parts": [[2022], [2023]]}
    assert csl["event"]["event-title"] == "Conference on Robot Learning"
    assert csl["monthly"]["issued"] == {"date-parts": [[2021, 12]]}


def test_biblatex_examples_have_a_year_and_are_published(runner, monkeypatch):
    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    listed = json.loads(run(runner, EXAMPLES, "list", "--format", "json"))
    assert len(listed) == 92
    assert sum(item["year"] is not None for item in listed) == 90  # 12 before `date` was read
    stats = json.loads(run(runner, EXAMPLES, "stats", "--format", "json"))
    assert stats["preprints"] <= 10  # online pages, manuals, unpublished: not 80 preprints


def test_export_bib_brings_the_crossref_parent_along(runner, tmp_path, monkeypatch):
    """biblatex-examples' `westfahl:space` takes its year and booktitle from its
    `crossref` parent: exported alone, the file still gives them."""
    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    out = run(runner, EXAMPLES, "export", "bib", "--search", "True Frontier")
    assert [line for line in out.splitlines() if line.startswith("@")] == [
        "@incollection{westfahl:space,",
        "@collection{westfahl:frontier,",
    ]
    alone = tmp_path / "alone.bib"
    alone.write_text(out, encoding="utf-8")
    child = json.loads(run(runner, alone, "list", "--format", "json", "--search", "True"))[0]
    assert (child["key"], child["year"], child["venue"]) == (
        "westfahl:space",
        2000,
        "Space and Beyond",
    )
