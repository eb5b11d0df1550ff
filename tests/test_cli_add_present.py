"""`soralit add` of a paper the library already holds, under another identifier.

A DOI already in the library is recognised before any request (the services point at a
closed port here: asking one would be an `Error:` line). A paper whose record, once
fetched from the local replay server, has the DOI or the title of an entry is not added
either. Each says `already in library as KEY`, exits 0 and leaves the file byte for byte.
The existing entries are made from the recorded answers' own title, authors and DOI.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replay import ARXIV_PATH, recorded, requests_seen
from soralit.cli import cli

DATA = Path(__file__).parent / "data"
# The published version of arXiv 1111.2011, as a library would hold it: no eprint, the DOI
# (title, authors, DOI and year from tests/fixtures/arxiv/legacy/
# id_list_1111.2011v2_doi_journal_ref.xml: its journal_ref is "Phys. Rev. B 85, 115117 (2012)").
BETHE = """
@article{murray2012quantum,
  title = {Quantum Criticality for Extended Nodes on a {Bethe} Lattice in the Large
           Connectivity Limit},
  author = {James M. Murray and Adrian Del Maestro and Zlatko Tesanovic},
  year = {2012},
  doi = {10.1103/PhysRevB.85.115117},
}
"""
# arXiv 1605.08386 by its title only, spelled differently (tests/fixtures/arxiv/
# id_list_1605.08386.xml): no eprint, no DOI.
HEAT_BATH = """
@misc{stanley2016markov,
  title = {Heat-Bath Random Walks with {M}arkov Bases},
  author = {Stanley, Caprice and Windisch, Tobias},
  year = {2016},
}
"""


@pytest.fixture
def held(tmp_path: Path) -> Path:
    target = tmp_path / "library.bib"
    shutil.copyfile(DATA / "small.bib", target)
    with target.open("a", encoding="utf-8") as handle:
        handle.write(BETHE + HEAT_BATH)
    return target


def run(runner, library: Path, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize(
    ("pasted", "shown"),
    [
        ("10.1103/PhysRevB.85.115117", "10.1103/PhysRevB.85.115117"),
        ("10.1103/physrevb.85.115117", "10.1103/physrevb.85.115117"),
        ("doi:10.1103/PhysRevB.85.115117", "10.1103/PhysRevB.85.115117"),
        ("https://doi.org/10.1103/PhysRevB.85.115117", "10.1103/PhysRevB.85.115117"),
    ],
)
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["add", "dry-run"])
def test_a_doi_already_in_the_library_is_known_offline(runner, held, pasted, shown, dry_run):
    before = held.read_bytes()
    result = run(runner, held, "add", pasted, *dry_run)
    assert result.stdout == ""
    summary = "Added 0, already present 1, failed 0."
    if dry_run:
        summary = f"Dry run: nothing written. {summary}"
    assert result.stderr == f"{shown}: already in library as murray2012quantum\n{summary}\n"
    assert held.read_bytes() == before


@pytest.mark.parametrize(
    ("arxiv_id", "fixture", "holder"),
    [
        ("1111.2011", "arxiv/legacy/id_list_1111.2011v2_doi_journal_ref.xml", "murray2012quantum"),
        ("1605.08386", "arxiv/id_list_1605.08386.xml", "stanley2016markov"),
    ],
    ids=["same-doi", "same-title"],
)
def test_a_fetched_paper_with_a_known_doi_or_title_is_not_added(
    runner, held, services, arxiv_id, fixture, holder
):
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(fixture))
    before = held.read_bytes()
    result = run(runner, held, "add", arxiv_id, "-c", "modeling")
    assert result.stdout == ""
    # With a category, how to tag the paper it holds (issue 13).
    assert result.stderr == (
        f"{arxiv_id}: already in library as {holder}; tag it with: soralit tag {holder} "
        "--add modeling\nAdded 0, already present 1, failed 0.\n"
    )
    assert held.read_bytes() == before
    assert len(requests_seen(services)) == 1
