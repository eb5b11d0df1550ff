"""The core records: arXiv IDs, venue labels, keywords, slugs."""

import pytest

from soralit.model import Entry, arxiv_label, slugify, split_keywords


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"eprint": "2402.17177", "archiveprefix": "arXiv"}, "2402.17177"),
        ({"eprint": "2402.17177v3"}, "2402.17177"),
        ({"eprint": "hep-th/9901001v1", "archiveprefix": "arXiv"}, "hep-th/9901001"),
        ({"url": "https://arxiv.org/abs//2306.11698"}, "2306.11698"),
        ({"url": "https://arxiv.org/pdf/2402.17177v1.pdf"}, "2402.17177"),
        ({"eprint": "123", "archiveprefix": "PubMed"}, ""),
        ({"url": "https://example.org/2402.17177"}, ""),
    ],
)
def test_arxiv_id(fields, expected):
    assert Entry("k", fields=fields).arxiv_id == expected


@pytest.mark.parametrize(
    ("arxiv_id", "label"),
    [
        ("2309.15103", "arXiv 2023.09"),
        ("1312.6114", "arXiv 2013.12"),
        ("math.GT/0309136", "arXiv 2003.09"),
        ("hep-th/9901001", "arXiv 1999.01"),
        ("nonsense", ""),
    ],
)
def test_arxiv_label(arxiv_id, label):
    assert arxiv_label(arxiv_id) == label


def test_venue_label_prefers_venue_then_arxiv_then_nothing():
    assert Entry("k", fields={"venue": "CVPR'23", "eprint": "2302.1"}).venue_label() == "CVPR'23"
    assert Entry("k", fields={"eprint": "2401.03048"}).venue_label() == "arXiv 2024.01"
    assert Entry("k", fields={"url": "https://cdn.openai.com/x.pdf"}).venue_label() == ""


def test_keywords_and_year():
    entry = Entry("k", fields={"keywords": " modeling, robotics ;;gaming", "year": "{2023}"})
    assert entry.categories == ("modeling", "robotics", "gaming")
    assert entry.year == 2023
    assert Entry("k").year is None
    assert split_keywords("") == ()


def test_entry_fields_are_read_only():
    entry = Entry("k", fields={"title": "x"})
    with pytest.raises(TypeError):
        entry.fields["title"] = "y"  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Data Pre-processing", "data-pre-processing"),
        ("📑 Paper List", "paper-list"),
        ("Language  Instruction Following", "language-instruction-following"),
        ("Café & Robots!", "cafe-robots"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug
