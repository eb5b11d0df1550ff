"""`check --fix` and venue labels: a slip of a known venue is fixed (its year kept); a
paper's own acronym (MILE, IRIS, SSR) is never "fixed" to the nearest venue."""

from __future__ import annotations

import pytest

from soralit import catalog, check
from soralit.cli import cli
from soralit.model import Category, Entry, Taxonomy

TAXONOMY = Taxonomy(sections=(Category("modeling", "Modeling"),), level=3)


def entry(title: str, venue: str, **more: str) -> Entry:
    fields = {"title": title, "year": "2024", "keywords": "modeling", "venue": venue, **more}
    fields.setdefault("url", "https://arxiv.org/abs/2401.00001")
    raw = "@misc{k,\n" + "".join(f"  {k} = {{{v}}},\n" for k, v in fields.items()) + "}"
    return Entry("k", "misc", fields, 1, raw)


def venue_findings(item: Entry) -> list[tuple[str, dict[str, str]]]:
    found = check.find_problems([item], TAXONOMY)
    return [(f.message, dict(f.fix)) for f in found if f.rule == "unknown-venue"]


@pytest.mark.parametrize(
    ("label", "fixed"),
    [
        ("NeurlPS'24", "NeurIPS'24"),
        ("NeurlPS 2024", "NeurIPS 2024"),  # the year is kept, in the label's own form
        ("EMNPL 2024 Findings", "EMNLP 2024 Findings"),
        ("neurips'24", "NeurIPS'24"),
    ],
)
def test_a_slip_of_one_known_venue_is_fixed_with_its_year(label: str, fixed: str) -> None:
    [(_, fix)] = venue_findings(entry("A Paper About Things", label))
    assert fix == {"venue": fixed}


@pytest.mark.parametrize("label", ["MILE", "IRIS", "SSR", "MILE'24", "IRIS 2024"])
def test_an_unknown_acronym_is_not_taken_for_the_nearest_venue(label: str) -> None:
    [(message, fix)] = venue_findings(entry("A Paper About Things", label))
    assert fix == {}
    assert message.startswith(f"unknown venue {catalog.parse_label(label).name} in {label}")


@pytest.mark.parametrize(
    ("title", "label", "more"),
    [
        ("MILE: Memory-Intensive Learning Engines", "MILE", {}),
        ("IRIS: A Sampler for Images", "IRIS 2024", {}),
        ("A Paper Whose Acronym Is Given Apart", "SSR", {"shorttitle": "SSR"}),
        ("Sparse Sequence Retrieval", "SSR'24", {}),  # the title's initials
    ],
)
def test_the_papers_own_acronym_is_said_never_fixed(title: str, label: str, more) -> None:  # type: ignore[no-untyped-def]
    [(message, fix)] = venue_findings(entry(title, label, **more))
    name = catalog.parse_label(label).name
    assert (message, fix) == (f"venue {label} is the paper's own name ({name}), not a venue", {})


@pytest.mark.parametrize(
    ("label", "year"),
    [("NeurIPS 2023", 2023), ("ECCV 2024", 2024), ("ICML, 2025", 2025),
     ("EMNLP 2024 Findings", 2024)],
)  # fmt: skip
def test_name_and_year_labels_are_known_venues(label: str, year: int) -> None:
    assert venue_findings(entry("A Paper About Things", label)) == []
    parsed = catalog.parse_label(label)
    assert (parsed.year, catalog.is_known(parsed.name)) == (year, True)


def test_check_fix_leaves_an_acronym_venue_alone(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    library = tmp_path / "library.bib"
    library.write_text(
        "@comment{soralit-taxonomy:\nheading: Paper List\n## Technology\n"
        "- modeling: Modeling\n}\n\n@misc{iris2024,\n  title = {IRIS: A Sampler for Images},\n"
        "  year = {2024},\n"
        "  keywords = {modeling},\n  venue = {IRIS},\n  url = {https://arxiv.org/abs/2401.00002},\n}\n",
        encoding="utf-8",
    )
    before = library.read_bytes()
    result = runner.invoke(cli, ["--library", str(library), "check", "--fix"])
    assert "venue IRIS is the paper's own name (IRIS), not a venue" in result.stdout + result.stderr
    assert library.read_bytes() == before
