"""Semantic Scholar and dblp: parsers on every recorded answer, published-version
fields and venue labels, and the fetch functions against a local server."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from replay import (
    DBLP_PATH,
    S2_PATH,
    fixture_bytes,
    json_response,
    recorded,
    requests_seen,
    services,
)
from soralit.catalog import label_for_name
from soralit.errors import MissingRecord, NotFound, SourceError
from soralit.sources import dblp
from soralit.sources.semanticscholar import (
    FIELDS,
    S2Paper,
    fetch_paper,
    fetch_papers,
    is_preprint_only,
    pair_batch,
    parse_batch,
    parse_paper,
    published_fields,
    short_venue_label,
)

__all__ = ["services"]  # a fixture, used by name

PUBLISHED = "semanticscholar/paper_DOI_10.1038_s42256-024-00832-8_published_with_arxiv_id.json"
PREPRINT = "semanticscholar/paper_DOI_10.48550_arXiv.2312.07559_preprint_only.json"
MATCH = "semanticscholar/search_match_attention_is_all_you_need_arXiv_1706.03762.json"
S2_404 = "semanticscholar/error_paper_not_found_404.json"
SPIRE = "dblp/rec_bib1_conf_spire_BastMW06_standard.bib"
SCI = "dblp/rec_series_sci_2023-1062.bib"


# --- Semantic Scholar parsers -----------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "arxiv_id", "title"),
    [
        (PUBLISHED, "2304.05376", "Augmenting large language models with chemistry tools"),
        (
            PREPRINT,
            "2312.07559",
            "PaperQA: Retrieval-Augmented Generative Agent for Scientific Research",
        ),
        (MATCH, "1706.03762", "Attention is All you Need"),
    ],
)
def test_every_recorded_paper_parses(fixture: str, arxiv_id: str, title: str) -> None:
    paper = parse_paper(fixture_bytes(fixture))
    assert (paper.arxiv_id, paper.title) == (arxiv_id, title)
    assert paper.year in (2017, 2023)
    assert paper.authors


def test_published_paper_record() -> None:
    paper = parse_paper(fixture_bytes(PUBLISHED))
    assert paper == S2Paper(
        paper_id="354dcdebf3f8b5feeed5c62090e0bc1f0c28db06",
        title="Augmenting large language models with chemistry tools",
        venue="Nat. Mac. Intell.",
        year=2023,
        journal_name="Nature Machine Intelligence",
        journal_volume="6",
        journal_pages="525 - 535",
        publication_types=("JournalArticle",),
        authors=(
            "Andrés M Bran",
            "Sam Cox",
            "Oliver Schilter",
            "Carlo Baldassari",
            "Andrew D. White",
            "P. Schwaller",
        ),
        doi="10.1038/s42256-024-00832-8",
        arxiv_id="2304.05376",
        dblp_key="journals/natmi/BranCSBWS24",
    )


def test_not_found_error_body() -> None:
    with pytest.raises(MissingRecord) as caught:
        parse_paper(fixture_bytes(S2_404))
    assert str(caught.value) == (
        "Semantic Scholar: Paper with id DOI:10.1101/2024.04.01.587366 not found"
    )


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        (b'{"error": "Unrecognized field"}', SourceError, "Semantic Scholar: Unrecognized field"),
        (b'{"data": []}', MissingRecord, "Semantic Scholar: no matching paper"),
        (b"[1, 2]", SourceError, "Semantic Scholar: the answer is not a paper record"),
        (
            b"",
            SourceError,
            "Semantic Scholar: malformed answer (Expecting value: line 1 column 1 (char 0))",
        ),
    ],
)
def test_bad_paper_answers(body: bytes, error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        parse_paper(body)
    assert str(caught.value) == message


def test_truncated_paper_is_a_source_error() -> None:
    body = fixture_bytes(PUBLISHED)
    with pytest.raises(SourceError, match=r"^Semantic Scholar: malformed answer"):
        parse_paper(body[:-20])


def test_batch_answer_with_a_gap() -> None:
    body = b"[" + fixture_bytes(PUBLISHED) + b", null]"
    published, gap = parse_batch(body)
    assert isinstance(published, S2Paper) and published.arxiv_id == "2304.05376"
    assert gap is None
    with pytest.raises(SourceError, match=r"^Semantic Scholar: the batch answer is not a list$"):
        parse_batch(fixture_bytes(PUBLISHED))


# --- what a published version adds ------------------------------------------------


def test_published_journal_fields() -> None:
    # No `year`: S2's 2023 is the preprint's; the article is Crossref's 2024.
    assert published_fields(parse_paper(fixture_bytes(PUBLISHED))) == {
        "journal": "Nature Machine Intelligence",
        "volume": "6",
        "pages": "525--535",
        "doi": "10.1038/s42256-024-00832-8",
    }


def test_published_conference_fields() -> None:
    assert published_fields(parse_paper(fixture_bytes(MATCH))) == {
        "booktitle": "Neural Information Processing Systems",
        "pages": "5998--6008",
        "year": "2017",
    }


def test_arxiv_only_paper_adds_nothing() -> None:
    paper = parse_paper(fixture_bytes(PREPRINT))
    assert is_preprint_only(paper)
    assert published_fields(paper) == {}
    assert short_venue_label(paper) == ""


def test_short_venue_labels() -> None:
    assert short_venue_label(parse_paper(fixture_bytes(MATCH))) == "NeurIPS'17"
    published = parse_paper(fixture_bytes(PUBLISHED))
    assert short_venue_label(published) == "Nat. Mac. Intell.'23"
    assert short_venue_label(published, year=2024) == "Nat. Mac. Intell.'24"


@pytest.mark.parametrize(
    ("venue", "label"),
    [
        ("Neural Information Processing Systems", "NeurIPS"),
        ("Advances in Neural Information Processing Systems 36", "NeurIPS"),
        ("NeurIPS", "NeurIPS"),
        ("International Conference on Machine Learning", "ICML"),
        ("International Conference on Learning Representations", "ICLR"),
        ("Computer Vision and Pattern Recognition", "CVPR"),
        ("2023 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)", "CVPR"),
        ("IEEE International Conference on Computer Vision", "ICCV"),
        ("European Conference on Computer Vision", "ECCV"),
        ("IEEE Workshop/Winter Conference on Applications of Computer Vision", "WACV"),
        ("AAAI Conference on Artificial Intelligence", "AAAI"),
        ("Annual Meeting of the Association for Computational Linguistics", "ACL"),
        ("Conference on Empirical Methods in Natural Language Processing", "EMNLP"),
        ("Trans. Mach. Learn. Res.", "TMLR"),
        ("Transactions on Machine Learning Research", "TMLR"),
        ("Journal of machine learning research", "JMLR"),
        ("IEEE Transactions on Visualization and Computer Graphics", "TVCG"),
        ("Conference on Robot Learning", "CoRL"),
        ("IEEE/RJS International Conference on Intelligent RObots and Systems", "IROS"),
        ("Nat. Mac. Intell.", ""),
        ("arXiv.org", ""),
    ],
)
def test_venue_labels_for_long_names(venue: str, label: str) -> None:
    assert label_for_name(venue) == label


# --- Semantic Scholar over HTTP ---------------------------------------------------


def test_fetch_papers_in_one_batch(services: HTTPServer) -> None:
    # The batch endpoint answers a JSON list with one paper object (or null for an
    # unknown ID) per ID asked, in order. No batch answer was recorded, so this one
    # is assembled from the recorded single-paper bodies; 0808.05394 is the ID arXiv
    # itself dropped (see the multi-ID arXiv fixture).
    answer = [
        json.loads(fixture_bytes(PUBLISHED)),
        json.loads(fixture_bytes(MATCH))["data"][0],
        None,
    ]
    services.expect_request(f"{S2_PATH}/paper/batch", method="POST").respond_with_response(
        json_response(answer)
    )
    results = fetch_papers(["2304.05376", "1706.03762v7", "0808.05394"])
    assert [type(r).__name__ for r in results.values()] == ["S2Paper", "S2Paper", "MissingRecord"]
    assert results["1706.03762v7"].title == "Attention is All you Need"
    assert str(results["0808.05394"]) == "Semantic Scholar has no paper arXiv:0808.05394"
    (request,) = requests_seen(services)
    assert request.args.to_dict() == {"fields": FIELDS}
    assert request.get_json() == {
        "ids": ["ARXIV:2304.05376", "ARXIV:1706.03762", "ARXIV:0808.05394"]
    }


def test_batch_answers_are_paired_by_arxiv_id_not_by_place(services: HTTPServer) -> None:
    """Derived from the recorded bodies: the same papers in another order, one of them
    missing its place. Each answer goes to the ID it carries in externalIds.ArXiv."""
    answer = [json.loads(fixture_bytes(MATCH))["data"][0], json.loads(fixture_bytes(PUBLISHED))]
    services.expect_request(f"{S2_PATH}/paper/batch", method="POST").respond_with_response(
        json_response(answer)
    )
    results = fetch_papers(["2304.05376", "0808.05394", "1706.03762"])
    assert results["2304.05376"].title == "Augmenting large language models with chemistry tools"
    assert results["1706.03762"].title == "Attention is All you Need"
    assert str(results["0808.05394"]) == "Semantic Scholar has no paper arXiv:0808.05394"


def test_a_paper_for_another_arxiv_id_is_no_answer() -> None:
    """A record shifted into the wrong place (or merged into another paper) is not taken."""
    published = parse_paper(fixture_bytes(PUBLISHED))  # its arXiv ID is 2304.05376
    results = pair_batch(["2312.07559", "2304.05376v2"], [published, None])
    assert str(results["2312.07559"]) == "Semantic Scholar has no paper arXiv:2312.07559"
    assert results["2304.05376v2"] is published


def test_fetch_single_paper(services: HTTPServer) -> None:
    path = f"{S2_PATH}/paper/ARXIV:2304.05376"
    services.expect_request(path).respond_with_response(recorded(PUBLISHED))
    paper = fetch_paper("2304.05376v2")
    assert paper.doi == "10.1038/s42256-024-00832-8"
    (request,) = requests_seen(services)
    assert request.path == path
    assert request.args["fields"] == (
        "title,venue,publicationVenue,journal,year,externalIds,authors,publicationTypes"
    )


def test_fetch_single_paper_not_found(services: HTTPServer) -> None:
    services.expect_request(f"{S2_PATH}/paper/ARXIV:0808.05394").respond_with_response(
        recorded(S2_404, 404)
    )
    with pytest.raises(NotFound) as caught:
        fetch_paper("0808.05394")
    assert str(caught.value) == "Semantic Scholar has no paper arXiv:0808.05394"


def test_rate_limit_then_success(services: HTTPServer) -> None:
    path = f"{S2_PATH}/paper/ARXIV:1706.03762"
    services.expect_ordered_request(path).respond_with_data("Too Many Requests", status=429)
    services.expect_ordered_request(path).respond_with_response(
        json_response(json.loads(fixture_bytes(MATCH))["data"][0])
    )
    assert fetch_paper("1706.03762").venue == "Neural Information Processing Systems"
    assert len(services.log) == 2


# --- dblp -------------------------------------------------------------------------


def test_dblp_conference_record() -> None:
    record = dblp.parse_dblp_bib(fixture_bytes(SPIRE))
    assert (record["type"], record["key"]) == ("inproceedings", "DBLP:conf/spire/BastMW06")
    fields = record["fields"]
    assert fields["author"] == "H. Bast and Christian Worm Mortensen and Ingmar Weber"
    assert fields["booktitle"] == (
        "String Processing and Information Retrieval, 13th International Conference, "
        "{SPIRE} 2006, Glasgow, UK, October 11-13, 2006, Proceedings"
    )
    assert fields["doi"] == "10.1007/11880561_13"
    assert fields["url"] == "https://doi.org/10.1007/11880561_13"
    assert dblp.published_fields(record) == {
        "booktitle": fields["booktitle"],
        "series": "Lecture Notes in Computer Science",
        "volume": "4209",
        "pages": "150--162",
        "publisher": "Springer",
        "year": "2006",
        "doi": "10.1007/11880561_13",
    }


def test_dblp_current_layout_record() -> None:
    record = dblp.parse_dblp_bib(fixture_bytes(SCI).decode())
    assert (record["type"], record["key"]) == ("book", "DBLP:series/sci/2023-1062")
    assert record["fields"]["title"] == (
        "Banach Space Valued Neural Network - Ordinary and Fractional Approximation "
        "and Interpolation"
    )
    assert list(record["fields"])[:4] == ["author", "title", "series", "volume"]
    assert record["fields"]["isbn"] == "978-3-031-16399-9"


def test_corr_records_are_not_published_versions() -> None:
    record = {"type": "article", "key": "DBLP:journals/corr/abs-2312-07559", "fields": {}}
    assert dblp.published_fields({**record, "fields": {"journal": "CoRR", "year": "2023"}}) == {}
    assert dblp.is_corr_key("journals/corr/VaswaniSPUJGKP17")
    assert not dblp.is_corr_key("journals/natmi/BranCSBWS24")


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>Not Found</body></html>", b"\xff\xfe", b"@article{a, title={x}}@book{"],
)
def test_dblp_bad_answers(body: bytes) -> None:
    with pytest.raises(SourceError, match=r"^dblp: "):
        dblp.parse_dblp_bib(body)


def test_dblp_truncated_record() -> None:
    body = fixture_bytes(SPIRE)
    with pytest.raises(SourceError, match=r"^dblp: "):
        dblp.parse_dblp_bib(body[: len(body) // 2])


def test_fetch_dblp_record(services: HTTPServer) -> None:
    # The recorded "standard" (bib1) body, served at the key's plain .bib address.
    path = f"{DBLP_PATH}/rec/conf/spire/BastMW06.bib"
    services.expect_request(path).respond_with_response(recorded(SPIRE))
    record = dblp.fetch_dblp_record("conf/spire/BastMW06")
    assert record["fields"]["pages"] == "150--162"
    assert [r.path for r in requests_seen(services)] == [path]


def test_fetch_dblp_series_record(services: HTTPServer) -> None:
    path = f"{DBLP_PATH}/rec/series/sci/2023-1062.bib"
    services.expect_request(path).respond_with_response(recorded(SCI))
    assert dblp.fetch_dblp_record("series/sci/2023-1062")["fields"]["volume"] == "1062"


def test_fetch_unknown_dblp_key(services: HTTPServer) -> None:
    services.expect_request(f"{DBLP_PATH}/rec/placeholder/unknown-key.bib").respond_with_data(
        "Not Found", status=404
    )
    with pytest.raises(MissingRecord) as caught:
        dblp.fetch_dblp_record("placeholder/unknown-key")
    assert str(caught.value) == "dblp has no record placeholder/unknown-key"
