"""arXiv: the feed parser on every recorded answer, the entry mapping, and fetch_arxiv
against a local server replaying those answers."""

from __future__ import annotations

import bibtexparser
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from replay import (
    ARXIV_PATH,
    fixture_bytes,
    recorded,
    requests_seen,
    services,
    sleeping,
    timed,
)
from soralit.bibtex import format_entry
from soralit.errors import MissingRecord, NotFound, SourceError
from soralit.sources.arxiv import (
    ArxivQueryError,
    ArxivRecord,
    fetch_arxiv,
    parse_feed,
    record_to_entry,
)
from soralit.text import latex_to_text

__all__ = ["services"]  # a fixture, used by name

HEAT_BATH = "arxiv/id_list_1605.08386.xml"
MULTI = "arxiv/id_list_multi_0808.05394_1707.08567.xml"
SEARCH = "arxiv/search_testing_start20_latex_title.xml"
ERROR_ABC = "arxiv/error_malformed_id_abc.xml"
EMPTY = "arxiv/empty_result_0000.0000.xml"
LEGACY_DOI = "arxiv/legacy/id_list_1111.2011v2_doi_journal_ref.xml"

# fixture -> (arXiv ID, version) of each entry, in feed order
FEEDS = {
    EMPTY: [],
    HEAT_BATH: [("1605.08386", "v1")],
    "arxiv/id_list_2104.12255v1_versioned.xml": [("2104.12255", "v1")],
    "arxiv/id_list_astro-ph_0601001_oldstyle_journal_ref.xml": [("astro-ph/0601001", "v1")],
    MULTI: [("1707.08567", "v1")],
    "arxiv/id_list_quant-ph_0201082v1_oldstyle_versioned.xml": [("quant-ph/0201082", "v1")],
    SEARCH: [
        ("2008.01944", "v1"),
        ("2005.06826", "v1"),
        ("2306.03845", "v1"),
        ("1908.03707", "v1"),
        ("2109.07960", "v2"),
        ("2409.05654", "v9"),
        ("2104.11069", "v1"),
        ("2106.13414", "v2"),
        ("2007.10224", "v1"),
        ("2602.15552", "v1"),
    ],
    LEGACY_DOI: [("1111.2011", "v2")],
    "arxiv/legacy/id_list_math_0211159_oldstyle.xml": [("math/0211159", "v1")],
}
ERROR_FEEDS = {ERROR_ABC: "abc", "arxiv/legacy/error_malformed_id_INVALIDID.xml": "INVALIDID"}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE feed [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol4;</title></entry></feed>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&xxe;</title></entry></feed>
"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<feed xmlns="http://www.w3.org/2005/Atom"/>
"""


# --- parse_feed -------------------------------------------------------------------


@pytest.mark.parametrize("fixture", sorted(FEEDS))
def test_every_recorded_feed_parses(fixture: str) -> None:
    records = parse_feed(fixture_bytes(fixture))
    assert [(r.arxiv_id, r.version) for r in records] == FEEDS[fixture]
    for record in records:
        assert record.title == " ".join(record.title.split()) != ""
        assert record.authors and all(record.authors)
        assert 1991 <= record.year <= 2026 and 1 <= record.month <= 12
        assert record.primary_category


@pytest.mark.parametrize("fixture", sorted(ERROR_FEEDS))
def test_error_feed_names_the_rejected_id(fixture: str) -> None:
    with pytest.raises(ArxivQueryError) as caught:
        parse_feed(fixture_bytes(fixture))
    bad_id = ERROR_FEEDS[fixture]
    assert str(caught.value) == f"arXiv: incorrect id format for {bad_id}"
    assert caught.value.arxiv_id == bad_id


def test_current_layout_record() -> None:
    (record,) = parse_feed(fixture_bytes(HEAT_BATH))
    assert record == ArxivRecord(
        arxiv_id="1605.08386",
        version="v1",
        title="Heat-bath random walks with Markov bases",
        authors=("Caprice Stanley", "Tobias Windisch"),
        summary=record.summary,
        year=2016,
        month=5,
        primary_category="math.CO",
        comment="20 pages, 3 figures",
    )
    assert record.summary.startswith("Graphs on lattice points are studied whose edges")
    assert record.summary.endswith("is an expander in fixed dimension.")


def test_legacy_layout_with_doi_and_journal_ref() -> None:
    (record,) = parse_feed(fixture_bytes(LEGACY_DOI))
    assert record.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    assert record.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    assert (record.doi, record.journal_ref) == (
        "10.1103/PhysRevB.85.115117",
        "Phys. Rev. B 85, 115117 (2012)",
    )
    assert (record.year, record.month, record.primary_category) == (2011, 11, "cond-mat.str-el")
    assert record.summary.startswith("Theoretical description of anisotropic systems, such as")
    assert "\n" not in record.summary and "  " not in record.summary


def test_legacy_old_style_id() -> None:
    (record,) = parse_feed(fixture_bytes("arxiv/legacy/id_list_math_0211159_oldstyle.xml"))
    assert (record.arxiv_id, record.primary_category) == ("math/0211159", "math.DG")
    assert record.authors == ("Grisha Perelman",)


def test_journal_ref_and_unescaped_xml_text() -> None:
    body = fixture_bytes("arxiv/id_list_astro-ph_0601001_oldstyle_journal_ref.xml")
    (record,) = parse_feed(body)
    assert record.journal_ref == "ActaAstron.56:1-50,2006"
    assert record.doi == ""
    assert "following Gould & Morgan (2003)" in record.summary
    assert "limit of V_max<17.5." in record.summary


def test_non_ascii_author_is_kept() -> None:
    (record,) = parse_feed(fixture_bytes(MULTI))
    assert len(record.authors) == 34
    assert "Dirk Wübben" in record.authors


def test_latex_title_and_new_layout_doi() -> None:
    records = {r.arxiv_id: r for r in parse_feed(fixture_bytes(SEARCH))}
    record = records["2306.03845"]
    assert record.title == "$ω$Test: WebView-Oriented Testing for Android Applications"
    assert record.doi == "10.1145/3597926.3598112"


@pytest.mark.parametrize(
    "body", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY], ids=["laughs", "xxe", "param"]
)
def test_dtds_and_entities_are_refused(body: bytes) -> None:
    with pytest.raises(SourceError) as caught:
        parse_feed(body)
    assert type(caught.value) is SourceError
    assert str(caught.value).startswith("arXiv: refused an answer with a DTD or entities")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "arXiv: malformed answer (no element found: line 1, column 0)"),
        (b"<html><body>Service Unavailable</body></html>", "arXiv: the answer is not an Atom feed"),
        (
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&xxe;</title></entry></feed>',
            "arXiv: malformed answer (undefined entity: line 1, column 56)",
        ),
        (
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/'
            b"1605.08386v1</id><title>t</title></entry></feed>",
            "arXiv: malformed answer (incomplete entry 'http://arxiv.org/abs/1605.08386v1')",
        ),
    ],
)
def test_malformed_bodies(body: bytes, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_feed(body)
    assert str(caught.value) == message


def test_bogus_encoding_is_a_source_error() -> None:
    with pytest.raises(SourceError, match=r"^arXiv: malformed answer"):
        parse_feed(b'<?xml version="1.0" encoding="no-such-codec"?><feed/>')


@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: f"<feed>{t}".encode()))
def test_arbitrary_bytes_give_records_or_a_source_error(body: bytes) -> None:
    try:
        records = parse_feed(body)
    except SourceError:
        return
    assert all(isinstance(r, ArxivRecord) for r in records)


@pytest.mark.parametrize("fixture", [HEAT_BATH, LEGACY_DOI, ERROR_ABC])
def test_every_truncation_is_a_source_error(fixture: str) -> None:
    body = fixture_bytes(fixture)
    for end in range(0, len(body) - 10, 7):  # -10: the tail is whitespace after </feed>
        with pytest.raises(SourceError, match=r"^arXiv: "):
            parse_feed(body[:end])


# --- record_to_entry --------------------------------------------------------------


def test_entry_in_arxiv_export_layout() -> None:
    (record,) = parse_feed(fixture_bytes(HEAT_BATH))
    assert format_entry(record_to_entry(record, key="stanley2016heatbath")) == (
        "@misc{stanley2016heatbath,\n"
        "  title = {Heat-bath random walks with Markov bases},\n"
        "  author = {Caprice Stanley and Tobias Windisch},\n"
        "  year = {2016},\n"
        "  eprint = {1605.08386},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass = {math.CO},\n"
        "  url = {https://arxiv.org/abs/1605.08386},\n"
        "}\n"
    )


def test_entry_with_doi_journal_ref_and_abstract() -> None:
    (record,) = parse_feed(fixture_bytes(LEGACY_DOI))
    entry = record_to_entry(record, key="murray2011quantum", abstract=True)
    assert list(entry.fields) == [
        "title",
        "author",
        "year",
        "eprint",
        "archiveprefix",
        "primaryclass",
        "url",
        "doi",
        "note",
        "abstract",
    ]
    assert entry.get("doi") == "10.1103/PhysRevB.85.115117"
    assert entry.get("note") == "Phys. Rev. B 85, 115117 (2012)"
    assert entry.get("eprint") == "1111.2011"
    assert entry.get("abstract").startswith("Theoretical description of anisotropic")
    assert "abstract" not in record_to_entry(record, key="k").fields


def test_entry_for_old_style_id_and_abstract_escaping() -> None:
    body = fixture_bytes("arxiv/id_list_astro-ph_0601001_oldstyle_journal_ref.xml")
    (record,) = parse_feed(body)
    entry = record_to_entry(record, key="gould2006frequency", abstract=True)
    assert entry.get("url") == "https://arxiv.org/abs/astro-ph/0601001"
    assert entry.get("note") == "ActaAstron.56:1-50,2006"
    assert "Gould \\& Morgan (2003)" in entry.get("abstract")
    assert "only 4--16\\% of those" in entry.get("abstract")
    assert entry.arxiv_id == "astro-ph/0601001"


def test_entry_keeps_utf8_names_and_latex_titles() -> None:
    (multi,) = parse_feed(fixture_bytes(MULTI))
    assert "Dirk Wübben" in record_to_entry(multi, key="k").get("author")
    search = {r.arxiv_id: r for r in parse_feed(fixture_bytes(SEARCH))}
    entry = record_to_entry(search["2306.03845"], key="hu2023omegatest")
    assert entry.get("title") == "$ω$Test: {WebView-Oriented} Testing for Android Applications"
    assert entry.get("doi") == "10.1145/3597926.3598112"


def _record(title: str) -> ArxivRecord:
    (record,) = parse_feed(fixture_bytes(HEAT_BATH))
    return ArxivRecord(**{**record.__dict__, "title": title})


@pytest.mark.parametrize(
    ("title", "escaped"),
    [
        ("Fish & Chips at 100% #1", r"Fish \& Chips at 100\% \#1"),
        (r"Already \& escaped \%", r"Already \& escaped \%"),
        ("An {open brace", r"An \textbraceleft{}open brace"),
        ("A close} brace", r"A close\textbraceright{} brace"),
        ("}{ inverted", r"\textbraceright{}\textbraceleft{} inverted"),
        ("{GPT} stays", "{GPT} stays"),
        (r"$\omega$Test", r"$\omega$Test"),
    ],
)
def test_bibtex_specials_are_escaped(title: str, escaped: str) -> None:
    entry = record_to_entry(_record(title), key="k")
    assert entry.get("title") == escaped
    # The written entry stays one valid entry with every field intact.
    library = bibtexparser.parse_string(format_entry(entry))
    assert not library.failed_blocks
    (parsed,) = library.entries
    assert parsed.fields_dict["title"].value == escaped
    assert parsed.fields_dict["url"].value == "https://arxiv.org/abs/1605.08386"


def test_titles_keep_acronyms_and_names_from_bibtex_lower_casing() -> None:
    entry = record_to_entry(_record("GenTron: Diffusion Transformers for VIDM"), key="k")
    assert entry.get("title") == "{GenTron}: Diffusion Transformers for {VIDM}"
    assert latex_to_text(entry.get("title")) == "GenTron: Diffusion Transformers for VIDM"


# --- fetch_arxiv over HTTP --------------------------------------------------------


def test_batch_of_three_is_one_request(services: HTTPServer) -> None:
    # The recorded search page holds these three papers (and seven more we ignore).
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(SEARCH))
    progress: list[tuple[int, int]] = []
    ids = ["2008.01944", "2306.03845v1", "2005.06826"]
    results = fetch_arxiv(ids, on_progress=lambda done, total: progress.append((done, total)))
    assert list(results) == ids
    assert {k: (r.arxiv_id, r.version) for k, r in results.items()} == {
        "2008.01944": ("2008.01944", "v1"),
        "2306.03845v1": ("2306.03845", "v1"),
        "2005.06826": ("2005.06826", "v1"),
    }
    (request,) = requests_seen(services)
    assert request.args.to_dict() == {
        "id_list": "2008.01944,2306.03845v1,2005.06826",
        "start": "0",
        "max_results": "3",
    }
    assert progress == [(3, 3)]


def test_id_dropped_from_the_answer_is_missing(services: HTTPServer) -> None:
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(MULTI))
    results = fetch_arxiv(["0808.05394", "1707.08567"])
    missing = results["0808.05394"]
    assert isinstance(missing, MissingRecord) and isinstance(missing, NotFound)
    assert str(missing) == "arXiv has no paper 0808.05394"
    found = results["1707.08567"]
    assert isinstance(found, ArxivRecord)
    assert found.title.startswith("Proceedings of Workshop AEW10")
    assert len(services.log) == 1


def test_empty_feed_means_no_such_paper(services: HTTPServer) -> None:
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(EMPTY))
    (result,) = fetch_arxiv(["0000.0000"]).values()
    assert isinstance(result, MissingRecord)
    assert str(result) == "arXiv has no paper 0000.0000"


def test_error_feed_is_a_per_id_error(services: HTTPServer) -> None:
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(ERROR_ABC, 400))
    result = fetch_arxiv(["abc"])["abc"]
    assert isinstance(result, ArxivQueryError)
    assert str(result) == "arXiv: incorrect id format for abc"


def test_rejected_id_is_dropped_and_the_rest_fetched(services: HTTPServer) -> None:
    services.expect_ordered_request(ARXIV_PATH).respond_with_response(recorded(ERROR_ABC, 400))
    services.expect_ordered_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    results = fetch_arxiv(["abc", "1605.08386"])
    assert str(results["abc"]) == "arXiv: incorrect id format for abc"
    assert isinstance(results["1605.08386"], ArxivRecord)
    id_lists = [r.args["id_list"] for r in requests_seen(services)]
    assert id_lists == ["abc,1605.08386", "1605.08386"]


@pytest.mark.parametrize(
    ("arxiv_id", "fixture", "title_start"),
    [
        (
            "quant-ph/0201082v1",
            "arxiv/id_list_quant-ph_0201082v1_oldstyle_versioned.xml",
            "Quantum Computers and Quantum Computer Languages",
        ),
        (
            "astro-ph/0601001",
            "arxiv/id_list_astro-ph_0601001_oldstyle_journal_ref.xml",
            "Frequency of Hot Jupiters",
        ),
        ("2104.12255v1", "arxiv/id_list_2104.12255v1_versioned.xml", "0"),
        ("1111.2011v2", LEGACY_DOI, "Quantum Criticality for Extended Nodes"),
    ],
)
def test_old_style_and_versioned_ids(
    services: HTTPServer, arxiv_id: str, fixture: str, title_start: str
) -> None:
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(fixture))
    record = fetch_arxiv([arxiv_id])[arxiv_id]
    assert isinstance(record, ArxivRecord)
    assert record.title.startswith(title_start)
    assert requests_seen(services)[0].args["id_list"] == arxiv_id


def test_503_then_success(services: HTTPServer) -> None:
    services.expect_ordered_request(ARXIV_PATH).respond_with_data("down", status=503)
    services.expect_ordered_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    record = fetch_arxiv(["1605.08386"])["1605.08386"]
    assert isinstance(record, ArxivRecord)
    assert len(services.log) == 2


def test_timeout_raises(services: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORALIT_TIMEOUT", "0.1")
    services.expect_request(ARXIV_PATH).respond_with_handler(sleeping(0.4, recorded(HEAT_BATH)))
    with pytest.raises(SourceError) as caught:
        fetch_arxiv(["1605.08386"])
    assert str(caught.value) == "arXiv: no answer within 0.1 s"


def test_truncated_answer_raises(services: HTTPServer) -> None:
    body = fixture_bytes(HEAT_BATH)
    services.expect_request(ARXIV_PATH).respond_with_data(
        body[: len(body) // 2], content_type="application/atom+xml"
    )
    with pytest.raises(SourceError, match=r"^arXiv: malformed answer \(.+\)$"):
        fetch_arxiv(["1605.08386"])


def test_billion_laughs_answer_is_refused(services: HTTPServer) -> None:
    services.expect_request(ARXIV_PATH).respond_with_data(BILLION_LAUGHS)
    with pytest.raises(SourceError, match=r"^arXiv: refused an answer with a DTD"):
        fetch_arxiv(["1605.08386"])


def test_large_lists_go_in_paced_batches_of_100(
    services: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORALIT_ARXIV_DELAY", "0.2")
    arrivals: list[float] = []
    services.expect_request(ARXIV_PATH).respond_with_handler(
        timed(arrivals, lambda: recorded(EMPTY))
    )
    # Placeholders, not arXiv IDs: the recorded empty feed answers every batch.
    ids = [f"placeholder-{n}" for n in range(150)]
    progress: list[tuple[int, int]] = []
    results = fetch_arxiv(ids, on_progress=lambda *p: progress.append(p))
    assert list(results) == ids
    assert all(isinstance(r, MissingRecord) for r in results.values())
    sizes = [r.args["max_results"] for r in requests_seen(services)]
    assert sizes == ["100", "50"]
    assert requests_seen(services)[1].args["id_list"].split(",") == ids[100:]
    assert progress == [(100, 150), (150, 150)]
    assert arrivals[1] - arrivals[0] >= 0.19


def test_duplicates_are_asked_once(services: HTTPServer) -> None:
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    results = fetch_arxiv(["1605.08386", "1605.08386"])
    assert list(results) == ["1605.08386"]
    assert requests_seen(services)[0].args["id_list"] == "1605.08386"
