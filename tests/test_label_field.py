"""The short venue label lives in `listvenue`; soralit 0.1's `venue` (biblatex's event
location, which biblatex prints) is still read, reported by `check` (`old-venue-field`)
and moved by `check --fix`, one line each, every other byte kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from soralit import bibtex, check
from soralit.cli import cli
from soralit.model import Entry

OLD_LIBRARY = """\
% A library written by soralit 0.1
@comment{soralit-taxonomy:
## Robotics
- robotics: Robotics
}

% source: the seed list
@inproceedings{ajay2022,
  title = {Is Conditional Generative Modeling all you need for Decision-Making?},
  author = {Anurag Ajay and Yilun Du},
  booktitle = {The Eleventh International Conference on Learning Representations},
  year = {2023},
  keywords = {robotics},
  venue = {ICLR'23},
  url = {https://openreview.net/forum?id=sP1fo2K9DFG},
}

@inproceedings{event2023,
  title = {A Talk Given Somewhere},
  author = {Ann Author},
  booktitle = {Proceedings of the Workshop on Things},
  eventtitle = {Workshop on Things},
  venue = {Aspen{\\"a}sgarden, Lerum},
  year = {2023},
  keywords = {robotics},
}

@misc{typo2023,
  title = {A Paper},
  author = {Bea Author},
  year = {2023},
  keywords = {robotics},
  venue = {NeurlPS'23},
  url = {https://example.org/paper},
}
"""


def run(runner, path: Path, *args: str):
    return runner.invoke(cli, ["--library", str(path), *args], catch_exceptions=False)


@pytest.fixture
def old_library(tmp_path: Path) -> Path:
    path = tmp_path / "library.bib"
    path.write_text(OLD_LIBRARY, encoding="utf-8")
    return path


def test_an_old_label_is_still_read_and_a_biblatex_venue_is_not_a_label(runner, old_library):
    listed = json.loads(run(runner, old_library, "list", "--format", "json").stdout)
    assert [item["venue"] for item in listed] == [
        "ICLR'23",
        "Proceedings of the Workshop on Things",
        "NeurlPS'23",
    ]


def test_check_reports_each_label_left_in_venue(runner, old_library):
    result = run(runner, old_library, "check", "--format", "json")
    found = [
        (f["key"], f["rule"], f["line"], f["fix"]) for f in json.loads(result.stdout)["findings"]
    ]
    assert ("ajay2022", "old-venue-field", 14, {"listvenue": "ICLR'23"}) in found
    # a typo is fixed and moved at once: one fix, by unknown-venue
    assert ("typo2023", "old-venue-field", 33, {}) in found
    assert ("typo2023", "unknown-venue", 33, {"listvenue": "NeurIPS'23"}) in found
    assert not any(key == "event2023" and "venue" in rule for key, rule, _, _ in found)


def test_check_fix_moves_the_label_and_changes_only_those_lines(runner, old_library):
    result = run(runner, old_library, "check", "--fix")
    assert "fixed ajay2022: venue ICLR'23 → listvenue ICLR'23\n" in result.stderr
    assert "fixed typo2023: venue NeurlPS'23 → listvenue NeurIPS'23\n" in result.stderr
    after = old_library.read_text(encoding="utf-8")
    assert after == OLD_LIBRARY.replace("  venue = {ICLR'23},", "  listvenue = {ICLR'23},").replace(
        "  venue = {NeurlPS'23},", "  listvenue = {NeurIPS'23},"
    )
    again = run(runner, old_library, "check", "--format", "json")
    assert not any("venue" in f["rule"] for f in json.loads(again.stdout)["findings"])


def test_listvenue_wins_over_venue():
    entry = Entry("k", fields={"listvenue": "CVPR'23", "venue": "ICCV'23"})
    assert (entry.label_field(), entry.venue_label()) == ("listvenue", "CVPR'23")
    assert [
        f.rule for f in check.find_problems([entry], check.Taxonomy()) if "venue" in f.rule
    ] == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("@misc{k,\n  venue = {CVPR'23},\n}", "@misc{k,\n  listvenue = {CVPR'24},\n}"),
        (
            "@misc{k,\n  venue = {Lerum},\n}",
            "@misc{k,\n  venue = {Lerum},\n  listvenue = {CVPR'24},\n}",
        ),
        ("@misc{k,\n  listvenue = {x},\n}", "@misc{k,\n  listvenue = {CVPR'24},\n}"),
        ("@misc{k,\n  title = {T},\n}", "@misc{k,\n  title = {T},\n  listvenue = {CVPR'24},\n}"),
    ],
)
def test_set_label_writes_listvenue_moving_an_old_label(raw, expected):
    assert bibtex.set_label(raw, "CVPR'24") == expected
