"""Surgical edits of one entry's text: only the touched field changes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soralit.bibtex import EntryTextError, remove_field, scan_fields, set_field

CANONICAL = '@misc{k,\n  title = {A {B} c},\n  year = 2024,\n  note = "x {y}" # z,\n}'
BIBDESK = "@article{k,\n\tAuthor = {A},\n\tYear = {1972}}"


def test_scan_finds_every_field_and_the_closing_brace():
    fields, close = scan_fields(CANONICAL)
    assert [f.name for f in fields] == ["title", "year", "note"]
    assert CANONICAL[fields[2].value_start : fields[2].value_end] == '"x {y}" # z'
    assert CANONICAL[close] == "}"


def test_set_existing_field_changes_only_its_value():
    assert set_field(CANONICAL, "year", "2025") == CANONICAL.replace("2024", "{2025}")
    assert set_field(BIBDESK, "YEAR", "1973") == BIBDESK.replace("1972", "1973")
    # A quoted value stays quoted (Better BibTeX's fixtures quote keywords).
    quoted = '@misc{k,\n  keywords = "a, b",\n}'
    assert set_field(quoted, "keywords", "a, b, c") == quoted.replace('"a, b"', '"a, b, c"')


def test_add_field_follows_the_entry_layout():
    assert set_field(CANONICAL, "code", "https://x") == CANONICAL.replace(
        "z,\n}", "z,\n  code = {https://x},\n}"
    )
    assert set_field(BIBDESK, "keywords", "m") == BIBDESK.replace(
        "{1972}}", "{1972},\n\tkeywords = {m}}"
    )
    assert set_field("@misc{k,\n  a = {1}\n}", "b", "2") == "@misc{k,\n  a = {1},\n  b = {2}\n}"


@pytest.mark.parametrize(
    ("entry", "added"),
    [
        # d2l.bib (tests/fixtures/bib/d2l): names padded with tabs to an `=` at column 16
        ("@book{k,\n  title\t\t= {T},\n  year\t\t= {2016}\n}", "  keywords\t= {m}"),
        ("@book{k,\n  author    = {A},\n  year      = {2016},\n}", "  keywords  = {m},"),
        ("@book{k,\n  organization = {O},\n  year = {2016},\n}", "  keywords = {m},"),
        ("@book{k,\n  title={T},\n  year={2016},\n}", "  keywords={m},"),
        ("@book{k,\n  publisher\t= {P},\n  year\t\t= {2016}\n}", "  organization\t= {m}"),
    ],
)
def test_a_new_field_is_written_as_its_neighbours_are(entry, added):
    name = added.split()[0].split("=")[0]
    lines = set_field(entry, name, "m").splitlines()
    assert lines[-2] == added and lines[-1] == "}"


def test_remove_field_takes_its_line():
    assert remove_field(CANONICAL, "year") == CANONICAL.replace("  year = 2024,\n", "")
    assert remove_field(CANONICAL, "absent") == CANONICAL


@pytest.mark.parametrize("bad", ["not an entry", "@misc{k,\n  title = {open\n", "@misc{k, = x}"])
def test_malformed_entries_raise(bad):
    with pytest.raises(EntryTextError):
        scan_fields(bad)


values = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="{}\\"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(value=values)
def test_any_braceless_value_survives_set_then_parse(value):
    import bibtexparser

    edited = set_field(CANONICAL, "title", value)
    parsed = bibtexparser.parse_string(edited)
    assert not parsed.failed_blocks
    assert parsed.entries[0]["title"] == value
    assert parsed.entries[0]["year"] == "2024"


def test_an_entry_with_no_fields_takes_a_field_and_its_comma():
    """`@article{testArticle}` as JabRef's encodingWithoutNewline.bib has it."""
    assert set_field("@article{testArticle}", "keywords", "m") == (
        "@article{testArticle,\n  keywords = {m},\n}"
    )
    assert scan_fields("@article{k}") == ([], len("@article{k"))
