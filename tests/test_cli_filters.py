"""Filters as a user sees them: whole category slugs, venue label prefixes, did-you-mean.

tests/data/filters.bib has categories whose slugs contain one another
(`diffusion-models`, `diffusion-models-2`; `robotics`, `robot-learning`) and venue labels
that contain one another (`RA-L'23`, `IEEE RA-L'23`). Every expected answer below is
written by hand from that file, never computed by soralit's query code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from soralit.cli import cli

DATA = Path(__file__).parent / "data"
VALID = "diffusion-models, diffusion-models-2, robotics, robot-learning"


@pytest.fixture
def filters(tmp_path: Path) -> Path:
    target = tmp_path / "library.bib"
    shutil.copyfile(DATA / "filters.bib", target)
    return target


def run(runner, library: Path, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == code, result.output
    return result


@pytest.mark.parametrize(
    ("options", "keys"),
    [
        (["-c", "diffusion-models"], ["one2023", "three2024"]),
        (["-c", "diffusion-models-2"], ["two2023", "three2024"]),
        (["-c", "Diffusion Models"], ["one2023", "three2024"]),  # the display name
        (["-c", "DIFFUSION-MODELS-2"], ["two2023", "three2024"]),
        (["-c", "models"], ["one2023", "two2023", "three2024"]),  # a section
        (["-c", "robotics"], ["four2024"]),
        (["-c", "robot-learning"], []),
        (["-c", "robot-learning", "-c", "diffusion-models-2"], ["two2023", "three2024"]),
        (["--venue", "RA-L"], ["one2023"]),  # a prefix of `RA-L'23`, inside `IEEE RA-L'23`
        (["--venue", "ra-l'23"], ["one2023"]),
        (["--venue", "IEEE"], ["two2023"]),
        (["--venue", "L'23"], []),
        (["--venue", "arXiv"], ["three2024"]),
        (["--venue", "RA-L", "-c", "diffusion-models-2"], []),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
@pytest.mark.parametrize("command", ["list", "export bib"])
def test_filters_match_whole_slugs_and_label_prefixes(runner, filters, command, options, keys):
    if command == "list":
        out = run(runner, filters, "list", *options, "--format", "keys").stdout
        assert out == "".join(f"{k}\n" for k in keys)
    else:
        out = run(runner, filters, "export", "bib", *options).stdout
        assert [line for line in out.splitlines() if line.startswith("@")] == [
            f"@{'inproceedings' if k.endswith('2023') else 'misc'}{{{k}," for k in keys
        ]


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["list", "-c", "robot"], "robot"),
        (["list", "-c", "diffusion"], "diffusion"),
        (["list", "-c", "models-2"], "models-2"),
        (["export", "md", "-c", "robot"], "robot"),
        (["stats", "-c", "robot"], "robot"),
        (["tag", "one2023", "--add", "robot"], "robot"),
        (["tag", "four2024", "--remove", "robot"], "robot"),
        (["add", "1605.08386", "-c", "robot"], "robot"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_a_part_of_a_category_name_is_an_unknown_category(runner, filters, args, name):
    """Never resolved by substring or prefix: the did-you-mean error, nothing written."""
    before = filters.read_bytes()
    result = run(runner, filters, *args, code=2)
    hints = {"robot": "robots", "diffusion": "diffusion-models", "models-2": "models"}
    assert result.stderr == (
        f"Error: unknown category {name!r}. Did you mean {hints[name]!r}? "
        f"Valid categories: {VALID}\n"
    )
    assert result.stdout == ""
    assert filters.read_bytes() == before


FOUR = """@misc{four2024,
  title = {Four},
  author = {Di Four},
  year = {2024},
  keywords = {robotics},
  venue = {CoRL'24},
}
"""
ONE_AND_THREE = """@inproceedings{one2023,
  title = {One},
  author = {Ann One},
  year = {2023},
  keywords = {diffusion-models},
  venue = {RA-L'23},
}

@misc{three2024,
  title = {Three},
  author = {Cy Three},
  year = {2024},
  keywords = {diffusion-models-2, diffusion-models},
  venue = {arXiv 2024.01},
}
"""


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["-c", "robotics"], FOUR),
        (["-c", "diffusion-models"], ONE_AND_THREE),
        (["--venue", "CoRL"], FOUR),
        (["-c", "robot-learning"], ""),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_list_format_bib_prints_the_entries_exactly(runner, filters, options, expected):
    for command in (["list", *options, "--format", "bib"], ["export", "bib", *options]):
        result = run(runner, filters, *command)
        assert result.stdout == expected
        assert result.stderr == ""
