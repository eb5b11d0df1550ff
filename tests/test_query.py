"""Queries: filters, year ranges, category resolution."""

import pytest

from soralit.errors import UsageProblem
from soralit.model import Category, Entry, Section, Taxonomy
from soralit.query import (
    Criteria,
    listed,
    parse_years,
    resolve_categories,
    select,
    sort_entries,
)

TAX = Taxonomy(
    sections=(
        Section(
            "Technology",
            (
                Category("modeling", "Modeling"),
                Category("data-pre-processing", "Data Pre-processing"),
            ),
        ),
        Section("Application", (Category("robotics", "Robotics"),)),
    ),
    citation_key="own",
)
ENTRIES = [
    Entry("own", fields={"title": "Our Review", "year": "2024", "eprint": "2402.17177"}),
    Entry(
        "a",
        fields={
            "title": "Alpha {Diffusion}",
            "year": "2023",
            "venue": "CVPR'23",
            "keywords": "modeling",
            "author": 'M{\\"u}ller, J{\\"o}rg',
        },
    ),
    Entry(
        "b",
        fields={
            "title": "Beta",
            "year": "2022",
            "venue": "CVPR'22",
            "keywords": "robotics, modeling",
            "abstract": "About diffusion.",
        },
    ),
    Entry(
        "c",
        fields={
            "title": "Gamma",
            "year": "2024",
            "eprint": "2401.00001",
            "keywords": "data-pre-processing",
            "author": "Bo Chen",
        },
    ),
]


def keys(criteria):
    return [e.key for e in select(ENTRIES, criteria)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023", (2023, 2023)),
        ("2022-2024", (2022, 2024)),
        ("2022-", (2022, 9999)),
        (" -2023", (0, 2023)),
    ],
)
def test_parse_years(value, expected):
    assert parse_years(value) == expected


@pytest.mark.parametrize("value", ["", "23", "2024-2022", "twenty", "2022--2023"])
def test_parse_years_rejects(value):
    with pytest.raises(UsageProblem):
        parse_years(value)


def test_categories_resolve_by_slug_name_or_section():
    assert resolve_categories(TAX, ["Robotics"]) == {"robotics"}
    assert resolve_categories(TAX, ["data pre-processing"]) == {"data-pre-processing"}
    # A section (or any category with categories below it) selects its whole subtree.
    assert resolve_categories(TAX, ["technology"]) == {
        "technology",
        "modeling",
        "data-pre-processing",
    }


def test_unknown_category_suggests_and_lists():
    with pytest.raises(UsageProblem) as info:
        resolve_categories(TAX, ["robotcs"])
    message = str(info.value)
    assert "Did you mean 'robotics'?" in message
    assert "technology, modeling, data-pre-processing, application, robotics" in message


def test_filters():
    assert keys(Criteria(categories=frozenset({"modeling"}))) == ["a", "b"]
    assert keys(Criteria(venue="cvpr")) == ["a", "b"]
    assert keys(Criteria(venue="CVPR'23")) == ["a"]
    assert keys(Criteria(venue="arxiv")) == ["own", "c"]
    assert keys(Criteria(years=(2023, 2024))) == ["own", "a", "c"]
    assert keys(Criteria(author="muller")) == ["a"]
    assert keys(Criteria(search="diffusion")) == ["a", "b"]
    assert keys(Criteria(categories=frozenset({"modeling"}), years=(2022, 2022))) == ["b"]


def test_listed_leaves_out_the_lists_own_paper():
    assert [e.key for e in listed(ENTRIES, TAX)] == ["a", "b", "c"]


def test_sorting():
    assert [e.key for e in sort_entries(ENTRIES, "year")] == ["own", "c", "a", "b"]
    assert [e.key for e in sort_entries(ENTRIES, "title")] == ["a", "b", "c", "own"]
