"""`update`'s second witness and its care: arXiv's journal_ref and "Accepted at X" comments,
workshops never taken for the main conference, and Semantic Scholar's batch answers
paired by arXiv ID (a shifted answer must not upgrade the wrong paper)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from replay import ARXIV_PATH, S2_PATH, fixture_bytes, json_response, recorded, services
from soralit import storage
from soralit.bibtex import format_entry
from soralit.cli import cli
from soralit.sources.arxiv import parse_feed, record_to_entry
from soralit.sources.semanticscholar import is_workshop_paper, parse_paper, short_venue_label
from soralit.upgrade import Evidence, arxiv_evidence, weigh

__all__ = ["services"]  # a fixture, used by name

LEGACY = "arxiv/legacy/id_list_1111.2011v2_doi_journal_ref.xml"  # journal_ref + DOI
CHEM = "semanticscholar/paper_DOI_10.1038_s42256-024-00832-8_published_with_arxiv_id.json"
MATCH = "semanticscholar/search_match_attention_is_all_you_need_arXiv_1706.03762.json"


@pytest.mark.parametrize(
    ("journal_ref", "comment", "label", "year", "workshop"),
    [
        ("Phys. Rev. B 85, 115117 (2012)", "", "Phys. Rev. B'12", "2012", False),  # recorded
        ("ActaAstron.56:1-50,2006", "", "ActaAstron.'06", "2006", False),  # recorded
        ("", "Accepted at CVPR 2024", "CVPR'24", "2024", False),
        ("", "To appear in ICLR 2024 (oral)", "ICLR'24", "2024", False),
        ("", "Published as a conference paper at ICLR 2023", "ICLR'23", "2023", False),
        (
            "",
            "Accepted to the NeurIPS 2023 Workshop on Diffusion Models",
            "NeurIPS Workshop'23",
            "2023",
            True,
        ),
        ("", "Accepted at the CVPR 2023 Workshop on Generative Models", "CVPRW'23", "2023", True),
        ("", "Accepted at CVPRW 2023", "CVPRW'23", "2023", True),
    ],
)
def test_evidence_from_arxiv(journal_ref, comment, label, year, workshop):
    found = arxiv_evidence(journal_ref, comment)
    assert found is not None
    assert (found.label, found.year, found.workshop) == (label, year, workshop)


@pytest.mark.parametrize(
    "comment",
    ["20 pages, 3 figures", "44 pages, editors for the proceedings: Yanling Chen and A. J.",
     "Accepted at a top venue", "Submitted to NeurIPS"],
)  # fmt: skip
def test_no_evidence_without_a_named_venue(comment: str):
    assert arxiv_evidence("", comment) is None


def test_a_workshop_on_arxiv_beats_the_main_conference_on_semantic_scholar():
    main = {"booktitle": "Neural Information Processing Systems", "year": "2017"}
    workshop = arxiv_evidence("", "Accepted at the NeurIPS 2017 Workshop on Deep Learning")
    assert weigh(main, "NeurIPS'17", workshop, s2_workshop=False) == (
        {"year": "2017"},
        "NeurIPS Workshop'17",
    )
    # Both say workshop, or arXiv says nothing more: Semantic Scholar's fields stand.
    assert weigh(main, "NeurIPSW'17", workshop, s2_workshop=True) == (main, "NeurIPSW'17")
    plain = Evidence("NeurIPS 2017", "NeurIPS'17", "2017", workshop=False)
    assert weigh(main, "NeurIPS'17", plain, s2_workshop=False) == (main, "NeurIPS'17")


def test_evidence_alone_when_semantic_scholar_knows_nothing():
    found = arxiv_evidence("Phys. Rev. B 85, 115117 (2012)", "")
    assert weigh({}, "", found, s2_workshop=False) == (
        {"year": "2012", "journal": "Phys. Rev. B"},
        "Phys. Rev. B'12",
    )
    assert weigh({}, "", None, s2_workshop=False) == ({}, "")


def test_a_workshop_venue_on_semantic_scholar_gets_a_workshop_label():
    """Derived from the recorded NeurIPS record: its venue renamed as a workshop's."""
    paper = parse_paper(fixture_bytes(MATCH))
    assert short_venue_label(paper) == "NeurIPS'17" and not is_workshop_paper(paper)
    workshop = dataclasses.replace(
        paper, venue="Neural Information Processing Systems Workshop on Deep Learning"
    )
    assert is_workshop_paper(workshop)
    assert short_venue_label(workshop) == "NeurIPS Workshop'17"
    cvprw = dataclasses.replace(
        paper,
        venue="IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops",
        year=2023,
    )
    assert short_venue_label(cvprw) == "CVPRW'23"


# --- the command -------------------------------------------------------------------------


def test_a_shifted_batch_answer_is_not_taken_and_journal_ref_speaks(runner, tmp_path, services):
    """The entry is soralit's own from the recorded 1111.2011v2 feed. Semantic Scholar's
    answer holds a paper of another arXiv ID (the recorded Nature MI one, as a shifted
    list would put it): paired by position it would make this physics paper a Nature
    Machine Intelligence article. Paired by ID it is no answer, and arXiv's journal_ref
    gives the journal and year."""
    (record,) = parse_feed(fixture_bytes(LEGACY))
    entry = record_to_entry(record, key="murray2011quantum")
    path = tmp_path / "library.bib"
    path.write_text(format_entry(entry), encoding="utf-8")
    services.expect_request(f"{S2_PATH}/paper/batch", method="POST").respond_with_response(
        json_response([json.loads(fixture_bytes(CHEM))])
    )
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(LEGACY))
    result = runner.invoke(cli, ["--library", str(path), "update", "--write"])
    assert result.exit_code == 0, result.output
    assert "Nature" not in result.stdout
    assert "+@article{murray2011quantum," in result.stdout
    assert "+  journal = {Phys. Rev. B}," in result.stdout
    updated = storage.load(path).find("murray2011quantum")
    assert (updated.type, updated.get("year"), updated.get("listvenue")) == (
        "article",
        "2012",
        "Phys. Rev. B'12",
    )
    assert updated.get("doi") == "10.1103/PhysRevB.85.115117"  # arXiv's, kept
