"""Where a new entry goes: the end of its first category's run in the shipped library."""

from __future__ import annotations

from libtext import SHIPPED_TEXT, parsed
from soralit.model import Category, Entry, Section, Taxonomy
from soralit.placement import END, Place, place_for

LIBRARY = parsed(SHIPPED_TEXT)
ENTRIES = list(LIBRARY.entries)


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
    assert place_for([one, three], taxonomy, ["second"]) == Place(after="one")
    assert place_for([three], taxonomy, ["first"]) == Place(before="three")
    assert place_for([three], taxonomy, ["second"]) == Place(before="three")


def test_no_category_no_entries_or_an_unknown_category_go_at_the_end():
    assert place_for(ENTRIES, LIBRARY.taxonomy, []) == END
    assert place_for([], LIBRARY.taxonomy, ["robotics"]) == END
    assert place_for(ENTRIES, LIBRARY.taxonomy, ["cooking"]) == END
