"""The taxonomy block: parsing, formatting, and edits."""

import pytest

from soralit import taxonomy as tax
from soralit.errors import UsageProblem

BLOCK = """@comment{soralit-taxonomy:
title: A List
citation: own2024
heading: Paper List
## Technology
- modeling: Modeling
- data: Data Pre-processing
## Application
- robotics: Robotics
}"""


def parse(block=BLOCK):
    return tax.parse_taxonomy(block[len("@comment{") : -1])


def test_round_trip():
    taxonomy = parse()
    assert taxonomy.title == "A List" and taxonomy.citation_key == "own2024"
    assert taxonomy.slugs() == ["technology", "modeling", "data", "application", "robotics"]
    assert [c.slug for c in taxonomy.categories()] == ["modeling", "data", "robotics"]
    assert taxonomy.section_of("data").name == "Technology"
    assert tax.format_taxonomy(taxonomy) == BLOCK


@pytest.mark.parametrize(
    ("line", "message"),
    [("- bad_slug: X", "expected '- slug: Name'"), ("nonsense", "cannot read line")],
)
def test_malformed_lines(line, message):
    with pytest.raises(tax.TaxonomyError, match=message):
        parse(BLOCK.replace("- data: Data Pre-processing", line))


def test_duplicate_slug_is_refused():
    with pytest.raises(tax.TaxonomyError, match="used twice: modeling"):
        parse(BLOCK.replace("- robotics: Robotics", "- modeling: Again"))


def test_edits():
    taxonomy = parse()
    added = tax.add_category(taxonomy, "application", "Autonomous Driving")
    assert added.slugs()[-1] == "autonomous-driving"
    new_section = tax.add_category(taxonomy, "Theory", "Bounds", "bounds")
    assert [s.name for s in new_section.sections] == ["Technology", "Application", "Theory"]
    moved = tax.move_category(taxonomy, "robotics", after="modeling")
    # Application, left with nothing below it, is a category of its own now.
    assert [c.slug for c in moved.categories()] == ["modeling", "robotics", "data", "application"]
    assert moved.section_of("robotics").name == "Technology"
    assert tax.rename_category(taxonomy, "data", "Data").category("data").name == "Data"
    removed = tax.remove_category(taxonomy, "data")
    assert [c.slug for c in removed.categories()] == ["modeling", "robotics"]


def test_edit_errors():
    taxonomy = parse()
    with pytest.raises(UsageProblem, match="already exists"):
        tax.add_category(taxonomy, "Technology", "Modeling")
    with pytest.raises(UsageProblem, match="would both be 'surveys': give the category another"):
        tax.add_category(taxonomy, "Surveys", "Surveys")  # a new section, named alike
    added = tax.add_category(taxonomy, "Surveys", "Surveys", slug="all-surveys")
    assert added.subtree("surveys") == ["surveys", "all-surveys"]
    with pytest.raises(UsageProblem, match="no category 'nope'"):
        tax.rename_category(taxonomy, "nope", "X")
    with pytest.raises(UsageProblem, match="no braces"):
        tax.add_category(taxonomy, "Technology", "Bad {name}")
