"""Table tests for arXiv ID and DOI recognition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soralit.errors import UsageProblem
from soralit.ids import Identifier, arxiv_id_from_url, parse_identifier, split_version
from soralit.model import Entry

ARXIV_FORMS = [
    ("2402.17177", "2402.17177", ""),
    ("2402.17177v2", "2402.17177", "v2"),
    ("arXiv:2402.17177", "2402.17177", ""),
    ("arxiv:2402.17177v3", "2402.17177", "v3"),
    ("ARXIV: 2402.17177", "2402.17177", ""),
    ("  2402.17177\n", "2402.17177", ""),
    ("https://arxiv.org/abs/2402.17177", "2402.17177", ""),
    ("http://arxiv.org/abs/2402.17177v2", "2402.17177", "v2"),
    ("https://arxiv.org/pdf/2402.17177v1", "2402.17177", "v1"),
    ("https://arxiv.org/pdf/2402.17177v1.pdf", "2402.17177", "v1"),
    ("https://arxiv.org/pdf/2402.17177.pdf", "2402.17177", ""),
    ("https://arxiv.org/abs/2402.17177/", "2402.17177", ""),
    ("https://www.arxiv.org/abs/2402.17177", "2402.17177", ""),
    ("https://export.arxiv.org/abs/2402.17177", "2402.17177", ""),
    ("http://export.arxiv.org/pdf/2402.17177v2", "2402.17177", "v2"),
    ("https://arxiv.org/html/2402.17177v1", "2402.17177", "v1"),
    ("https://arxiv.org/abs/2402.17177?context=cs", "2402.17177", ""),
    ("1111.2011v2", "1111.2011", "v2"),
    ("0704.0001", "0704.0001", ""),
    ("1412.6980", "1412.6980", ""),
    ("1501.00001", "1501.00001", ""),
    ("hep-th/9901001", "hep-th/9901001", ""),
    ("math.GT/0309136", "math.GT/0309136", ""),
    ("quant-ph/0201082v1", "quant-ph/0201082", "v1"),
    ("astro-ph/0601001", "astro-ph/0601001", ""),
    ("arXiv:hep-th/9901001", "hep-th/9901001", ""),
    ("HEP-TH/9901001", "hep-th/9901001", ""),
    ("https://arxiv.org/abs/math.GT/0309136v2", "math.GT/0309136", "v2"),
    ("https://arxiv.org/pdf/hep-th/9901001", "hep-th/9901001", ""),
    # arXiv's own DataCite DOIs are arXiv papers: Crossref has no record of them.
    ("10.48550/arXiv.2312.07559", "2312.07559", ""),
    ("https://doi.org/10.48550/arXiv.2402.17177", "2402.17177", ""),
]

DOI_FORMS = [
    ("10.1145/3581783.3612667", "10.1145/3581783.3612667"),
    ("doi:10.1145/3581783.3612667", "10.1145/3581783.3612667"),
    ("DOI: 10.1145/3581783.3612667", "10.1145/3581783.3612667"),
    ("https://doi.org/10.1145/3581783.3612667", "10.1145/3581783.3612667"),
    ("http://dx.doi.org/10.1103/PhysRevB.85.115117", "10.1103/PhysRevB.85.115117"),
    ("https://doi.org/10.1038%2Fs42256-024-00832-8", "10.1038/s42256-024-00832-8"),
    ("10.1007/11880561_13", "10.1007/11880561_13"),
    ("10.1109/icdcsw.2003.1203662", "10.1109/icdcsw.2003.1203662"),
]

GARBAGE = [
    "abc",
    "2402.1717",  # 4-digit number after 2015
    "2402.171770",
    "1234.56789012",
    "1412.69801",  # 5-digit number before 2015
    "2413.17177",  # month 13
    "0612.0001",  # new style before April 2007
    "",
    "   ",
    "https://example.com/x",
    "https://example.com/abs/2402.17177",
    "ftp://arxiv.org/abs/2402.17177",
    "https://arxiv.org/list/cs.CV/recent",
    "https://doi.org/not-a-doi",
    "10.1/x",
    "doi:",
    "arXiv:",
    "hep-th/990100",
    "hep-th/9913001",  # month 13
    "arXiv:10.1145/3581783.3612667",
]


@pytest.mark.parametrize(("text", "value", "version"), ARXIV_FORMS)
def test_arxiv_forms(text: str, value: str, version: str) -> None:
    assert parse_identifier(text) == Identifier("arxiv", value, version)


@pytest.mark.parametrize(("text", "value"), DOI_FORMS)
def test_doi_forms(text: str, value: str) -> None:
    assert parse_identifier(text) == Identifier("doi", value)


@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_is_a_usage_problem(text: str) -> None:
    with pytest.raises(UsageProblem) as caught:
        parse_identifier(text)
    assert str(caught.value) == f"not an arXiv ID or DOI: {text!r}"
    assert caught.value.exit_code == 2


def test_identifier_str_keeps_the_version() -> None:
    assert str(parse_identifier("arXiv:quant-ph/0201082v1")) == "quant-ph/0201082v1"
    assert str(parse_identifier("doi:10.1145/3581783.3612667")) == "10.1145/3581783.3612667"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2402.17177", "2402.17177"),
        ("https://arxiv.org/pdf/2402.17177v1.pdf", "2402.17177"),
        ("http://export.arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001"),
        (" https://arxiv.org/abs/math.GT/0309136 ", "math.GT/0309136"),
        ("https://github.com/lichao-sun/SoraReview", ""),
        ("https://doi.org/10.1145/3581783.3612667", ""),
        ("2402.17177", ""),  # not a link
        ("", ""),
    ],
)
def test_arxiv_id_from_url(url: str, expected: str) -> None:
    assert arxiv_id_from_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2402.17177v2", ("2402.17177", "v2")),
        ("2402.17177", ("2402.17177", "")),
        ("quant-ph/0201082v12", ("quant-ph/0201082", "v12")),
    ],
)
def test_split_version(text: str, expected: tuple[str, str]) -> None:
    assert split_version(text) == expected


@given(st.text(max_size=60))
def test_any_text_is_an_identifier_or_a_usage_problem(text: str) -> None:
    try:
        found = parse_identifier(text)
    except UsageProblem:
        return
    assert parse_identifier(str(found)) == found


@given(st.from_regex(r"(0[89]|1[0-4])(0[1-9]|1[0-2])\.\d{4}(v[1-9]\d?)?", fullmatch=True))
def test_four_digit_new_style_ids_round_trip(text: str) -> None:
    found = parse_identifier(f"https://arxiv.org/pdf/{text}.pdf")
    assert (found.kind, str(found)) == ("arxiv", text)


# --- Entry.arxiv_id reads links as the ID parser does ----------------------------------

URL_FORMS = [
    ("https://arxiv.org/abs/2402.17177", "2402.17177"),
    ("https://arxiv.org/abs/2402.17177v2", "2402.17177"),
    ("http://arxiv.org/abs/2402.17177", "2402.17177"),
    ("https://www.arxiv.org/abs/2402.17177", "2402.17177"),
    ("https://export.arxiv.org/abs/2402.17177", "2402.17177"),
    ("https://ArXiv.org/abs/2402.17177", "2402.17177"),
    ("https://arxiv.org/pdf/2402.17177", "2402.17177"),
    ("https://arxiv.org/pdf/2402.17177v1.pdf", "2402.17177"),
    ("https://arxiv.org/pdf/2402.17177.pdf", "2402.17177"),
    ("https://arxiv.org/html/2402.17177", "2402.17177"),
    ("https://arxiv.org/html/2402.17177v1", "2402.17177"),
    ("https://arxiv.org/html/2402.17177v1/", "2402.17177"),
    ("https://arxiv.org/abs/2402.17177/", "2402.17177"),
    ("https://arxiv.org/abs//2402.17177", "2402.17177"),
    ("https://arxiv.org/abs/2402.17177?context=cs", "2402.17177"),
    ("https://arxiv.org/abs/2402.17177#section", "2402.17177"),
    ("https://arxiv.org/format/2402.17177", "2402.17177"),
    ("  https://arxiv.org/abs/2402.17177  ", "2402.17177"),
    ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
    ("https://arxiv.org/abs/hep-th/9901001v3", "hep-th/9901001"),
    ("https://arxiv.org/pdf/math.GT/0309136", "math.GT/0309136"),
    ("https://arxiv.org/abs/1412.1234", "1412.1234"),
    ("https://arxiv.org/abs/2402.1717", ""),  # four digits after 2015: no such ID
    ("https://arxiv.org/abs/2413.17177", ""),  # month 13
    ("https://arxiv.org/list/cs.CV/recent", ""),
    ("https://arxiv.org/", ""),
    ("https://arxiv.org.evil.example/abs/2402.17177", ""),
    ("https://evil.example/arxiv.org/abs/2402.17177", ""),
    ("ftp://arxiv.org/abs/2402.17177", ""),
    ("https://doi.org/10.48550/arXiv.2402.17177", ""),  # a DOI link, not an arXiv link
    ("https://github.com/x/arxiv.org", ""),
    ("arxiv.org/abs/2402.17177", ""),  # no scheme: not a link
    ("", ""),
]


@pytest.mark.parametrize(("url", "expected"), URL_FORMS)
def test_entry_arxiv_id_and_the_id_parser_agree_on_links(url, expected):
    assert Entry("k", fields={"url": url}).arxiv_id == expected
    assert arxiv_id_from_url(url) == expected
    if expected:
        assert parse_identifier(url) == Identifier("arxiv", expected, parse_identifier(url).version)


@given(
    st.sampled_from(["http", "https", "ftp", "HTTPS"]),
    st.sampled_from(["arxiv.org", "www.arxiv.org", "export.arxiv.org", "arxiv.com", "ARXIV.ORG"]),
    st.sampled_from(["abs", "pdf", "html", "format", "list", "ABS"]),
    st.sampled_from(["2402.17177", "1501.00001", "0704.0001", "hep-th/9901001", "2402.1717"]),
    st.sampled_from(["", "v1", "v12"]),
    st.sampled_from(["", ".pdf", "/", "?x=1", "#top"]),
)
def test_entry_arxiv_id_agrees_with_the_parser_on_generated_links(
    scheme, host, kind, arxiv_id, version, end
):
    url = f"{scheme}://{host}/{kind}/{arxiv_id}{version}{end}"
    try:
        parsed = parse_identifier(url)
    except UsageProblem:
        parsed = None
    shown = Entry("k", fields={"url": url}).arxiv_id
    assert shown == arxiv_id_from_url(url)
    assert shown == (parsed.value if parsed and parsed.kind == "arxiv" else "")
