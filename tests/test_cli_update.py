"""`soralit update` against a local server replaying recorded Semantic Scholar, Crossref
and dblp answers. The batch endpoint's answer is a JSON list of paper objects (or null
for an unknown ID); the tests assemble it from the recorded single-paper bodies."""

import json

import pytest

from replay import CROSSREF_PATH, S2_PATH, fixture_bytes, json_response, recorded, requests_seen
from soralit import storage
from soralit.catalog import cites_preprint
from soralit.cli import cli
from soralit.model import Entry
from soralit.upgrade import apply, propose

CHEM = "semanticscholar/paper_DOI_10.1038_s42256-024-00832-8_published_with_arxiv_id.json"
PAPERQA = "semanticscholar/paper_DOI_10.48550_arXiv.2312.07559_preprint_only.json"
PREPRINTS = """
@misc{bran2023augmenting,
  title = {Augmenting large language models with chemistry tools},
  author = {Andres M. Bran and Sam Cox},
  year = {2023},
  eprint = {2304.05376},
  archivePrefix = {arXiv},
  keywords = {modeling},
}

@misc{paperqa,
  title = {PaperQA},
  eprint = {2312.07559},
  archivePrefix = {arXiv},
  keywords = {modeling},
}
"""


@pytest.fixture
def preprints(small_library):
    small_library.write_text(small_library.read_text() + PREPRINTS)
    return small_library


def body(name):
    return json.loads(fixture_bytes(name))


def serve(services, papers):
    services.expect_request(f"{S2_PATH}/paper/batch", method="POST").respond_with_response(
        json_response(papers)
    )
    services.expect_request(f"{CROSSREF_PATH}/10.1038/s42256-024-00832-8").respond_with_response(
        recorded("crossref/works_10.1038_s42256-024-00832-8_journal_article.json")
    )


def run(runner, library, *args, code=0):
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == code, result.output
    return result


def test_update_shows_a_diff_and_writes_only_with_write(runner, preprints, services):
    serve(services, [body(CHEM), body(PAPERQA)])
    before = preprints.read_bytes()
    result = run(runner, preprints, "update", "bran2023augmenting", "paperqa")
    assert "-@misc{bran2023augmenting," in result.stdout
    assert "+@article{bran2023augmenting," in result.stdout
    assert "+  journal = {Nature Machine Intelligence}," in result.stdout
    assert "+  year = {2024}," in result.stdout and "-  year = {2023}," in result.stdout
    assert "paperqa" not in result.stdout  # arXiv-only: nothing to upgrade
    assert "1 of 2 preprints have a published version. Run with --write" in result.stderr
    assert preprints.read_bytes() == before
    (batch,) = [r for r in requests_seen(services) if r.path.endswith("/paper/batch")]
    assert batch.get_json() == {"ids": ["ARXIV:2304.05376", "ARXIV:2312.07559"]}

    run(runner, preprints, "update", "bran2023augmenting", "paperqa", "--write")
    entry = storage.load(preprints).find("bran2023augmenting")
    assert entry.type == "article"
    assert entry.get("journal") == "Nature Machine Intelligence"
    assert (entry.get("volume"), entry.get("pages")) == ("6", "525--535")
    assert entry.get("doi") == "10.1038/s42256-024-00832-8"
    assert entry.get("eprint") == "2304.05376" and entry.get("archiveprefix") == "arXiv"
    assert entry.get("listvenue").endswith("'24")
    assert entry.get("keywords") == "modeling"
    others = [e.raw for e in storage.load(preprints).entries if e.key != "bran2023augmenting"]
    assert all(raw in before.decode() for raw in others)


def test_a_crossref_failure_leaves_the_entry_as_it_is_and_says_so(runner, preprints, services):
    """Semantic Scholar names the journal and DOI but no year; Crossref, asked for it,
    answers 500: the entry is not half upgraded (journal, with the preprint's year)."""
    services.expect_request(f"{S2_PATH}/paper/batch", method="POST").respond_with_response(
        json_response([body(CHEM)])
    )
    services.expect_request(f"{CROSSREF_PATH}/10.1038/s42256-024-00832-8").respond_with_data(
        "oops", status=500
    )
    before = preprints.read_bytes()
    result = run(runner, preprints, "update", "bran2023augmenting", "--write")
    assert "Warning: bran2023augmenting: not upgraded: the year of its DOI not read" in (
        result.stderr
    )
    assert preprints.read_bytes() == before


def test_unknown_paper_changes_nothing(runner, preprints, services):
    serve(services, [None])
    before = preprints.read_bytes()
    result = run(runner, preprints, "update", "paperqa", "--write")
    assert "0 of 1 preprints have a published version." in result.stderr
    assert preprints.read_bytes() == before


def test_offline_is_one_clear_line_and_nothing_changes(runner, preprints):
    before = preprints.read_bytes()
    result = run(runner, preprints, "update", "--write", code=1)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Semantic Scholar" in result.stderr
    assert preprints.read_bytes() == before


def test_update_without_preprints(runner, tmp_path):
    lib = tmp_path / "l.bib"
    lib.write_text("@article{a,\n  title = {A},\n  journal = {J},\n  eprint = {2301.00001},\n}\n")
    assert "No arXiv preprints" in run(runner, lib, "update").stderr


def test_propose_keeps_curated_venue_and_arxiv_fields():
    entry = Entry(
        "k",
        "misc",
        {"eprint": "2301.00001", "listvenue": "CVPR'24"},
        raw="@misc{k,\n  eprint = {2301.00001},\n  venue = {CVPR'24},\n}",
    )
    assert cites_preprint(entry)
    proposal = propose(entry, {"booktitle": "Proc. CVPR", "year": "2024"}, "CVPR'24")
    assert proposal.changes == {"booktitle": "Proc. CVPR", "year": "2024"}
    assert proposal.new_type == "inproceedings"
    assert apply(entry.raw, proposal) == (
        "@inproceedings{k,\n  eprint = {2301.00001},\n  venue = {CVPR'24},\n"
        "  booktitle = {Proc. CVPR},\n  year = {2024},\n}"
    )
    preprint_label = Entry("k", fields={"eprint": "2301.00001", "listvenue": "arXiv 2023.01"})
    assert propose(preprint_label, {"journal": "J"}, "J'24").changes["listvenue"] == "J'24"
    assert propose(entry, {}).empty
