"""Pure counting in `soralit.stats`, on hand-made entries."""

from __future__ import annotations

import pytest

from soralit.catalog import is_published, venue_family
from soralit.model import Category, Entry, Section, Taxonomy
from soralit.stats import compute_stats, stats_to_dict, venue_counts, years_by_group

TAXONOMY = Taxonomy(
    sections=(
        Section("Technology", (Category("modeling", "Modeling"), Category("data", "Data"))),
        Section("Application", (Category("robotics", "Robotics"),)),
    )
)


def entry(key: str, **fields: str) -> Entry:
    fields.setdefault("keywords", "modeling")
    return Entry(key, "misc", fields)


@pytest.mark.parametrize(
    ("label", "family"),
    [
        ("CVPR'23", "CVPR"),
        ("CVPR’23", "CVPR"),
        ("IEEE RA-L'23", "IEEE RA-L"),
        ("arXiv 2023.09", "arXiv"),
        ("bioRxiv 2023.11", "bioRxiv"),
        ("ACM Computing Surveys", "ACM Computing Surveys"),
        ("TPAMI 2021", "TPAMI"),
        ("3DV'24", "3DV"),
        ("", ""),
    ],
)
def test_venue_family(label: str, family: str) -> None:
    assert venue_family(label) == family


@pytest.mark.parametrize(
    ("fields", "published"),
    [
        ({"booktitle": "CVPR"}, True),
        ({"journal": "J. Mach. Learn. Res."}, True),
        ({"venue": "NeurIPS'23"}, True),
        ({"eprint": "2301.11798"}, False),  # label `arXiv 2023.01`
        ({"journal": "arXiv preprint arXiv:2301.11798"}, False),
        ({"journal": "bioRxiv", "venue": "bioRxiv 2023.11"}, False),
        ({"journal": "arXiv preprint", "venue": "ICLR'24"}, True),
        ({}, False),  # nothing known: counted as a preprint
    ],
)
def test_is_published(fields: dict[str, str], published: bool) -> None:
    assert is_published(entry("k", **fields)) is published


def test_compute_stats_counts_every_dimension() -> None:
    entries = [
        entry("a", venue="CVPR'23", year="2023", code="https://github.com/a/b"),
        entry("b", venue="CVPR'22", year="2022", keywords="modeling, robotics"),
        entry("c", eprint="2301.00001", year="2023", keywords="data, modeling"),
        entry("d", keywords="robotics", code="javascript:alert(1)"),
    ]
    stats = compute_stats(entries, TAXONOMY, top=1)
    assert (stats.papers, stats.published, stats.preprints, stats.with_code) == (4, 2, 2, 1)
    data = stats_to_dict(stats)
    technology, application = data["sections"]
    assert technology["papers"] == 3  # `c` is in two Technology categories: counted once
    assert [(c["slug"], c["papers"]) for c in technology["categories"]] == [
        ("modeling", 3),
        ("data", 1),
    ]
    assert application["papers"] == 2
    assert data["years"] == {"2022": 1, "2023": 2, "unknown": 1}
    assert data["venues"] == [{"venue": "CVPR", "papers": 2}]
    assert data["other_venues"] == 2  # the arXiv paper and the one without a label


def test_venue_ties_break_by_name_and_top_limits() -> None:
    entries = [entry("a", venue="b'23"), entry("b", venue="A'23"), entry("c", venue="C'21")]
    venues, other = venue_counts(entries, top=2)
    assert [(v.name, v.papers) for v in venues] == [("A", 1), ("b", 1)]
    assert other == 1


def test_years_by_section_fills_gaps_and_leaves_out_unknown_years() -> None:
    entries = [
        entry("a", year="2020"),
        entry("b", year="2022", keywords="robotics"),
        entry("c", year="2022", keywords="robotics, modeling"),  # its first category decides
        entry("d"),
        entry("e", year="2021", keywords="unknown-slug"),
    ]
    years, groups = years_by_group(entries, TAXONOMY, by="section")
    assert years == [2020, 2021, 2022]
    assert groups == {"Technology": [1, 0, 0], "Application": [0, 0, 2], "other": [0, 1, 0]}


def test_years_by_venue_keeps_the_top_venues_and_pools_the_rest() -> None:
    entries = [
        entry("a", year="2023", venue="CVPR'23"),
        entry("b", year="2023", venue="CVPR'23"),
        entry("c", year="2022", venue="ICCV'21"),
        entry("d", year="2022", eprint="2201.00001"),
    ]
    years, groups = years_by_group(entries, TAXONOMY, by="venue", top=1)
    assert years == [2022, 2023]
    assert groups == {"CVPR": [0, 2], "other": [2, 0]}


def test_no_entries() -> None:
    assert years_by_group([], TAXONOMY) == ([], {})
    stats = compute_stats([], TAXONOMY)
    assert (stats.papers, stats.venues, stats.years) == (0, (), ())
