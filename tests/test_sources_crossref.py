"""Crossref: parse and map the recorded work records; fetch them from a local server."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from replay import CROSSREF_PATH, fixture_bytes, recorded, requests_seen, services
from soralit.bibtex import format_entry
from soralit.errors import MissingRecord, NotFound, SourceError, UsageProblem
from soralit.sources.crossref import fetch_crossref, parse_work, work_to_entry, work_year

__all__ = ["services"]  # a fixture, used by name

ARTICLE = "crossref/works_10.1038_s42256-024-00832-8_journal_article.json"
PROCEEDINGS = "crossref/works_10.1109_icdcsw.2003.1203662_proceedings_article.json"
NOT_FOUND = "crossref/works_10.48550_arxiv.2312.07559_not_found_404.txt"


def test_parse_journal_article() -> None:
    work = parse_work(fixture_bytes(ARTICLE))
    assert work["DOI"] == "10.1038/s42256-024-00832-8"
    assert work["type"] == "journal-article"
    assert len(work["reference"]) == 103


def test_journal_article_entry() -> None:
    entry = work_to_entry(parse_work(fixture_bytes(ARTICLE)), key="bran2024augmenting")
    assert format_entry(entry) == (
        "@article{bran2024augmenting,\n"
        "  title = {Augmenting large language models with chemistry tools},\n"
        "  author = {M. Bran, Andres and Cox, Sam and Schilter, Oliver and Baldassari, Carlo"
        " and White, Andrew D. and Schwaller, Philippe},\n"
        "  journal = {Nature Machine Intelligence},\n"
        "  volume = {6},\n"
        "  number = {5},\n"
        "  pages = {525--535},\n"
        "  year = {2024},\n"
        "  doi = {10.1038/s42256-024-00832-8},\n"
        "  url = {https://doi.org/10.1038/s42256-024-00832-8},\n"
        "}\n"
    )


def test_proceedings_article_without_a_usable_date() -> None:
    work = parse_work(fixture_bytes(PROCEEDINGS))
    assert work["issued"] == {"date-parts": [[None]]}
    entry = work_to_entry(work, key="arya2003accurate")
    assert entry.type == "inproceedings"
    assert entry.fields == {
        "title": "Accurate and explicit differentiation of wireless and congestion losses",
        "author": "Arya, V. and Turletti, T.",
        "booktitle": "23rd International Conference on Distributed Computing Systems "
        "Workshops, 2003. Proceedings.",
        "pages": "877--882",
        "doi": "10.1109/icdcsw.2003.1203662",
        "url": "https://doi.org/10.1109/icdcsw.2003.1203662",
    }
    assert entry.year is None


@pytest.mark.parametrize(
    ("crossref_type", "bibtex_type", "container_field"),
    [
        ("book-chapter", "incollection", "booktitle"),
        ("posted-content", "misc", None),
        ("some-future-type", "misc", None),
    ],
)
def test_other_work_types(crossref_type: str, bibtex_type: str, container_field: str) -> None:
    work = {**parse_work(fixture_bytes(ARTICLE)), "type": crossref_type}
    entry = work_to_entry(work, key="k")
    assert entry.type == bibtex_type
    containers = {f: entry.get(f) for f in ("journal", "booktitle") if f in entry.fields}
    expected = {container_field: "Nature Machine Intelligence"} if container_field else {}
    assert containers == expected


def test_markup_specials_and_organisations() -> None:
    work = {
        **parse_work(fixture_bytes(PROCEEDINGS)),
        "title": ["Losses in <i>wireless</i> &amp; wired networks: 100% {explicit"],
        "author": [{"name": "R&D Group", "sequence": "first"}, {"family": "Turletti"}],
    }
    entry = work_to_entry(work, key="k")
    assert entry.get("title") == (
        r"Losses in wireless \& wired networks: 100\% \textbraceleft{}explicit"
    )
    assert entry.get("author") == r"{R\&D Group} and Turletti"


def test_titles_keep_acronyms_and_names_from_bibtex_lower_casing() -> None:
    work = {**parse_work(fixture_bytes(PROCEEDINGS)), "title": ["VIDM: Video Implicit Models"]}
    assert work_to_entry(work, key="k").get("title") == "{VIDM}: Video Implicit Models"


@pytest.mark.parametrize(
    ("dates", "year"),
    [
        ({"issued": {"date-parts": [[2024, 5, 8]]}}, "2024"),
        (
            {"issued": {"date-parts": [[None]]}, "published-online": {"date-parts": [[2024, 5]]}},
            "2024",
        ),
        ({"issued": {"date-parts": [[None]]}}, ""),
        ({"issued": {"date-parts": []}}, ""),
        ({"issued": None}, ""),
        ({}, ""),
    ],
)
def test_work_year(dates: dict, year: str) -> None:
    assert work_year(dates) == year


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"Resource not found.", "Crossref: malformed answer (Expecting value: line 1 column 1"),
        (b"[]", "Crossref: the answer is not a work record"),
        (b'{"status":"ok","message-type":"work-list","message":{}}', "Crossref: the answer is"),
        (b'{"status":"ok","message-type":"work","message":null}', "Crossref: the answer is"),
        (b"\xff\xfe\x00", "Crossref: malformed answer ("),
    ],
)
def test_malformed_answers(body: bytes, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_work(body)
    assert str(caught.value).startswith(message)


def test_truncated_record_is_a_source_error() -> None:
    body = fixture_bytes(ARTICLE)
    with pytest.raises(SourceError, match=r"^Crossref: malformed answer"):
        parse_work(body[: len(body) // 3])


# --- over HTTP --------------------------------------------------------------------


def test_fetch_journal_article(services: HTTPServer) -> None:
    path = f"{CROSSREF_PATH}/10.1038/s42256-024-00832-8"
    services.expect_request(path).respond_with_response(recorded(ARTICLE))
    work = fetch_crossref("10.1038/s42256-024-00832-8")
    assert work == json.loads(fixture_bytes(ARTICLE))["message"]
    assert [r.path for r in requests_seen(services)] == [path]


def test_contact_address_for_the_polite_pool(services: HTTPServer, monkeypatch) -> None:
    """The recorded request itself carried `?mailto=` (PROVENANCE.md); so does soralit's."""
    monkeypatch.setenv("SORALIT_MAILTO", "lists@example.org")
    path = f"{CROSSREF_PATH}/10.1038/s42256-024-00832-8"
    services.expect_request(path).respond_with_response(recorded(ARTICLE))
    fetch_crossref("10.1038/s42256-024-00832-8")
    (request,) = requests_seen(services)
    assert request.args.to_dict() == {"mailto": "lists@example.org"}


def test_no_contact_address_no_mailto(services: HTTPServer) -> None:
    path = f"{CROSSREF_PATH}/10.1038/s42256-024-00832-8"
    services.expect_request(path).respond_with_response(recorded(ARTICLE))
    fetch_crossref("10.1038/s42256-024-00832-8")
    assert requests_seen(services)[0].query_string == b""


def test_a_bad_contact_address_is_refused_before_asking(monkeypatch) -> None:
    monkeypatch.setenv("SORALIT_MAILTO", "not an address")
    with pytest.raises(UsageProblem) as caught:
        fetch_crossref("10.1038/s42256-024-00832-8")
    assert str(caught.value) == "SORALIT_MAILTO must be an e-mail address, not 'not an address'"


def test_fetch_proceedings_article(services: HTTPServer) -> None:
    path = f"{CROSSREF_PATH}/10.1109/icdcsw.2003.1203662"
    services.expect_request(path).respond_with_response(recorded(PROCEEDINGS))
    entry = work_to_entry(fetch_crossref("10.1109/icdcsw.2003.1203662"), key="k")
    assert entry.type == "inproceedings"
    assert "year" not in entry.fields


def test_unknown_doi_is_not_found(services: HTTPServer) -> None:
    services.expect_request(f"{CROSSREF_PATH}/10.48550/arxiv.2312.07559").respond_with_response(
        recorded(NOT_FOUND, 404)
    )
    with pytest.raises(NotFound) as caught:
        fetch_crossref("10.48550/arxiv.2312.07559")
    assert isinstance(caught.value, MissingRecord)
    assert str(caught.value) == "Crossref has no record of DOI 10.48550/arxiv.2312.07559"


def test_server_error_is_a_source_error(services: HTTPServer) -> None:
    services.expect_request(f"{CROSSREF_PATH}/10.1038/x").respond_with_data("", status=500)
    with pytest.raises(SourceError) as caught:
        fetch_crossref("10.1038/x")
    assert str(caught.value) == "Crossref: HTTP 500 after 4 tries"
