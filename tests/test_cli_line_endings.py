"""Surgical writes on a CRLF library with spaces at the ends of lines.

Every command that writes the library is run on LIBRARY (CRLF line endings, trailing
spaces and tabs, blank lines holding spaces) and the file is compared byte for byte with
an expectation written by hand: LIBRARY with the one edit spelled out literally. So an
edit that strips trailing whitespace, turns CRLF into LF, or writes a new line with LF
into a CRLF file fails here. In the texts below `·` stands for a trailing space and every
`\\n` is written to disk as CRLF (`crlf`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replay import CROSSREF_PATH, S2_PATH, fixture_bytes, json_response, recorded
from soralit.cli import cli

# Titles and names are test data, except bran2023augmenting (the recorded Semantic Scholar
# answer in tests/fixtures/semanticscholar/paper_DOI_10.1038_s42256-024-00832-8_...json).
LIBRARY = """\
% Line endings: CRLF, and spaces at the ends of lines.·· Test data, not bibliography.
··
@comment{soralit-taxonomy:
title: Line Endings
citation: self2024list
heading: Paper List
## Technology
- modeling: Modeling
- data-pre-processing: Data Pre-processing
## Application
- robotics: Robotics
}
··
@misc{self2024list,··
  title = {Line Endings},··
  author = {Ada Self},
  year = {2024},··
  eprint = {2402.00001},
  archivePrefix = {arXiv},··
}··
··
% source: test data··
@misc{alpha2024,
  title = {Alpha},··
  author = {Ann Alpha},
  year = {2024},··
  keywords = {modeling},··
  listvenue = {arXiv 2023.01},··
  eprint = {2402.00002},
  archivePrefix = {arXiv},
}··
\t
@article{beta2022data,··
\tTitle = {Beta Data},··
\tAuthor = {Chen, Bo},
\tYear = {2022},··
\tKeywords = {data-pre-processing, robotics}}··
··
@misc{bran2023augmenting,··
  title = {Augmenting large language models with chemistry tools},··
  author = {Andrés M Bran and Sam Cox and Oliver Schilter and Carlo Baldassari and··
            Andrew D. White and P. Schwaller},
  year = {2023},··
  eprint = {2304.05376},
  archivePrefix = {arXiv},··
  keywords = {robotics},
}

@misc{gamma2024robot,
  title = {Gamma Robots},··
  year = {2024},
  keywords = {robotics},··
  eprint = {2403.01234v2},
  archivePrefix = {arXiv},
}··
··
"""
CHEM = "semanticscholar/paper_DOI_10.1038_s42256-024-00832-8_published_with_arxiv_id.json"


def crlf(text: str) -> bytes:
    return text.replace("·", " ").replace("\n", "\r\n").encode("utf-8")


def edited(old: str, new: str, text: str = LIBRARY) -> str:
    """TEXT with OLD (which must occur exactly once) replaced by NEW."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    target = tmp_path / "library.bib"
    target.write_bytes(crlf(LIBRARY))
    return target


def run(runner, library: Path, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == code, result.output
    return result


def test_the_library_reads_as_written(runner, library):
    out = run(runner, library, "list", "--format", "tsv").stdout
    assert out.splitlines()[1:3] == [
        "alpha2024\t2024\tarXiv 2023.01\tAlpha\tmodeling",
        "beta2022data\t2022\t\tBeta Data\tdata-pre-processing,robotics",
    ]


EDITS = {
    "tag an existing keywords field": (
        ["tag", "alpha2024", "--add", "robotics"],
        lambda: edited("  keywords = {modeling},··\n", "  keywords = {modeling, robotics},··\n"),
    ),
    "tag a BibDesk entry": (
        ["tag", "beta2022data", "--add", "modeling"],
        lambda: edited(
            "\tKeywords = {data-pre-processing, robotics}}··\n",
            "\tKeywords = {data-pre-processing, robotics, modeling}}··\n",
        ),
    ),
    "tag: a new keywords line": (
        ["tag", "self2024list", "--add", "robotics"],
        lambda: edited(
            "  archivePrefix = {arXiv},··\n}··\n",
            "  archivePrefix = {arXiv},··\n  keywords = {robotics},\n}··\n",
        ),
    ),
    "tag: the keywords line removed": (
        ["tag", "gamma2024robot", "--remove", "robotics"],
        lambda: edited("  year = {2024},\n  keywords = {robotics},··\n", "  year = {2024},\n"),
    ),
    "rm with its comment": (
        ["rm", "alpha2024"],
        lambda: edited(
            "··\n% source: test data··\n@misc{alpha2024,\n"
            "  title = {Alpha},··\n  author = {Ann Alpha},\n  year = {2024},··\n"
            "  keywords = {modeling},··\n  listvenue = {arXiv 2023.01},··\n"
            "  eprint = {2402.00002},\n  archivePrefix = {arXiv},\n}··\n\t\n@article",
            "··\n@article",
        ),
    ),
    "rm between blank lines": (
        ["rm", "beta2022data"],
        lambda: edited(
            "}··\n\t\n@article{beta2022data,··\n\tTitle = {Beta Data},··\n\tAuthor = {Chen, Bo},\n"
            "\tYear = {2022},··\n\tKeywords = {data-pre-processing, robotics}}··\n··\n@misc",
            "}··\n\t\n@misc",
        ),
    ),
    "rm the last entry": (
        ["rm", "gamma2024robot"],
        lambda: edited(
            "}\n\n@misc{gamma2024robot,\n  title = {Gamma Robots},··\n  year = {2024},\n"
            "  keywords = {robotics},··\n  eprint = {2403.01234v2},\n"
            "  archivePrefix = {arXiv},\n}··\n··\n",
            "}\n\n",
        ),
    ),
    "taxonomy add": (
        ["taxonomy", "add", "Application", "Movie"],
        lambda: edited("- robotics: Robotics\n}", "- robotics: Robotics\n- movie: Movie\n}"),
    ),
    "taxonomy rename": (
        ["taxonomy", "rename", "robotics", "Robot Arms"],
        lambda: edited("- robotics: Robotics\n", "- robotics: Robot Arms\n"),
    ),
    "taxonomy rm --retag-to": (
        ["taxonomy", "rm", "data-pre-processing", "--retag-to", "modeling"],
        lambda: edited(
            "- data-pre-processing: Data Pre-processing\n",
            "",
            edited(
                "\tKeywords = {data-pre-processing, robotics}}··\n",
                "\tKeywords = {modeling, robotics}}··\n",
            ),
        ),
    ),
    "check --fix": (
        ["check", "--fix", "--rule", "arxiv-label"],
        lambda: edited("  listvenue = {arXiv 2023.01},··\n", "  listvenue = {arXiv 2024.02},··\n"),
    ),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_changes_only_its_lines_and_keeps_crlf_and_trailing_spaces(runner, library, name):
    args, expected = EDITS[name]
    run(runner, library, *args)
    assert library.read_bytes() == crlf(expected())


STANLEY = """\
@misc{stanley2016heat,
  title = {Heat-bath random walks with Markov bases},
  author = {Caprice Stanley and Tobias Windisch},
  year = {2016},
  eprint = {1605.08386},
  archivePrefix = {arXiv},
  primaryClass = {math.CO},
  url = {https://arxiv.org/abs/1605.08386},
  keywords = {robotics},
  added = {2024-06-10},
}
"""


# Robotics: the last entry's category, so the new entry goes at the end (issue 14).
@pytest.mark.parametrize(
    ("ending", "glue"),
    [("}··\n··\n", ""), ("}··\n", "\n"), ("}··", "\n\n"), ("}\n··\n\t\n\n", None)],
    ids=["blank-line", "newline", "no-newline", "three-blank-lines"],
)
def test_add_appends_in_crlf_after_one_blank_line(runner, library, services, ending, glue):
    services.expect_request("/api/query").respond_with_response(
        recorded("arxiv/id_list_1605.08386.xml")
    )
    text = LIBRARY[: LIBRARY.rindex("}")] + ending
    library.write_bytes(crlf(text))
    assert run(runner, library, "add", "1605.08386", "-c", "robotics").stdout == (
        "stanley2016heat\n"
    )
    if glue is None:  # blank lines beyond the first are dropped, the first one is kept
        expected = LIBRARY[: LIBRARY.rindex("}")] + "}\n··\n" + STANLEY
    else:
        expected = text + glue + STANLEY
    assert library.read_bytes() == crlf(expected)


def test_update_write_changes_only_its_entry(runner, library, services):
    services.expect_request(f"{S2_PATH}/paper/batch", method="POST").respond_with_response(
        json_response([json.loads(fixture_bytes(CHEM))])
    )
    services.expect_request(f"{CROSSREF_PATH}/10.1038/s42256-024-00832-8").respond_with_response(
        recorded("crossref/works_10.1038_s42256-024-00832-8_journal_article.json")
    )
    run(runner, library, "update", "bran2023augmenting", "--write")
    expected = edited("@misc{bran2023augmenting,··\n", "@article{bran2023augmenting,··\n").replace(
        "  year = {2023},··\n  eprint = {2304.05376},\n  archivePrefix = {arXiv},··\n"
        "  keywords = {robotics},\n}\n",
        "  year = {2024},··\n  eprint = {2304.05376},\n  archivePrefix = {arXiv},··\n"
        "  keywords = {robotics},\n  journal = {Nature Machine Intelligence},\n"
        "  volume = {6},\n  pages = {525--535},\n  doi = {10.1038/s42256-024-00832-8},\n"
        "  listvenue = {Nat. Mac. Intell.'24},\n}\n",
    )
    assert library.read_bytes() == crlf(expected)


README = """\
# Test

## Paper List

### Technology

#### Modeling

- [Heat-bath random walks with Markov bases](https://arxiv.org/abs/1605.08386)

### Application

#### Robotics

- [Gamma Robots](https://arxiv.org/abs/2403.01234)
"""
HEAT = """\
@misc{heat2016,
  title = {Heat-bath random walks with Markov bases},
  year = {2016},
  month = {5},
  keywords = {modeling},
  url = {https://arxiv.org/abs/1605.08386},
  eprint = {1605.08386},
  archivePrefix = {arXiv},
  added = {2024-06-10},
}
"""


def test_import_md_inserts_in_crlf_after_its_categorys_last_entry(runner, library, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    result = run(runner, library, "import", "md", str(readme), "--no-markers")
    assert result.stdout == "heat2016\n"  # gamma2024robot is in the library already
    # After alpha2024, the last `modeling` entry, whose last line keeps its spaces.
    alpha_end = "  archivePrefix = {arXiv},\n}··\n"
    assert LIBRARY.count(alpha_end + "\t\n") == 1
    expected = LIBRARY.replace(alpha_end + "\t\n", alpha_end + "\n" + HEAT + "\t\n")
    assert library.read_bytes() == crlf(expected)


def test_add_inserts_after_its_categorys_last_entry_without_touching_it(runner, library, services):
    services.expect_request("/api/query").respond_with_response(
        recorded("arxiv/id_list_1605.08386.xml")
    )
    assert run(runner, library, "add", "1605.08386", "-c", "modeling").stdout == (
        "stanley2016heat\n"
    )
    alpha_end = "  archivePrefix = {arXiv},\n}··\n"
    new = STANLEY.replace("keywords = {robotics}", "keywords = {modeling}")
    expected = LIBRARY.replace(alpha_end + "\t\n", alpha_end + "\n" + new + "\t\n")
    assert library.read_bytes() == crlf(expected)
