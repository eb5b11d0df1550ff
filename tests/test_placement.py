"""Where a new entry goes (the end of its first category's run), and the transaction that
puts it there byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from libtext import SHIPPED_TEXT, parsed
from soralit import storage
from soralit.bibtex import format_entry
from soralit.model import Category, Entries, Entry, Section, Taxonomy
from soralit.placement import END, Place, place_for

LIBRARY = parsed(SHIPPED_TEXT)
ENTRIES = LIBRARY.entries


def test_after_the_last_entry_of_the_first_category():
    assert place_for(ENTRIES, LIBRARY.taxonomy, ["robotics"]) == Place(after="mandi2022cacti")
    assert place_for(ENTRIES, LIBRARY.taxonomy, ["modeling", "robotics"]) == Place(
        after="esser2024scaling"
    )
    assert place_for(ENTRIES, LIBRARY.taxonomy, ["movie"]) == Place(after="zhuang2024vlogger")


def test_an_empty_category_opens_after_the_one_before_it_or_before_the_one_after():
    taxonomy = Taxonomy(
        (
            Section("A", (Category("first", "First"), Category("second", "Second"))),
            Section("B", (Category("third", "Third"),)),
        )
    )
    one = Entry("one", fields={"keywords": "first"})
    three = Entry("three", fields={"keywords": "third"})
    assert place_for(Entries([one, three]), taxonomy, ["second"]) == Place(after="one")
    assert place_for(Entries([three]), taxonomy, ["first"]) == Place(before="three")
    assert place_for(Entries([three]), taxonomy, ["second"]) == Place(before="three")


def test_no_category_no_entries_or_an_unknown_category_go_at_the_end():
    assert place_for(ENTRIES, LIBRARY.taxonomy, []) == END
    assert place_for(Entries(), LIBRARY.taxonomy, ["robotics"]) == END
    assert place_for(ENTRIES, LIBRARY.taxonomy, ["cooking"]) == END


# --- the transaction puts it there -------------------------------------------------------


NEW = Entry("new2024", "misc", {"title": "New", "keywords": "modeling"})


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_insert_after_and_before_keep_every_other_byte(tmp_path: Path, nl: str):
    text = (
        "@misc{a,\n  title = {A},\n}\n\n% about b\n@misc{b,\n  title = {B},\n}\n\n"
        "@misc{c,\n  title = {C},\n}\n"
    ).replace("\n", nl)
    path = tmp_path / "library.bib"
    path.write_bytes(text.encode())
    with storage.edit(path) as tx:
        tx.insert_entry(NEW, after="a")
    new = format_entry(NEW).rstrip("\n").replace("\n", nl)
    after_a = text.index("}" + nl) + 1
    assert path.read_bytes().decode() == text[:after_a] + nl * 2 + new + text[after_a:]
    path.write_bytes(text.encode())
    with storage.edit(path) as tx:
        tx.insert_entry(NEW, before="b")  # above b's comment line
    at = text.index("% about b")
    assert path.read_bytes().decode() == text[:at] + new + nl * 2 + text[at:]


def test_after_the_last_entry_is_an_append(tmp_path: Path):
    path = tmp_path / "library.bib"
    path.write_text("@misc{a,\n  title = {A},\n}\n")
    with storage.edit(path) as tx:
        tx.insert_entry(NEW, after="a")
        assert tx.appended == (NEW,) and tx.added == (NEW,)
    assert path.read_text() == "@misc{a,\n  title = {A},\n}\n\n" + format_entry(NEW)
