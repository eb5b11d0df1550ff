"""BibTeX value helpers shared by the source mappings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soralit.bibtex import balance_braces, bibtex_pages, escape_value, join_names


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("525 - 535", "525--535"),
        ("5998-6008", "5998--6008"),
        ("150--162", "150--162"),
        ("877\u2013882", "877--882"),
        ("e1002345", "e1002345"),
        ("  12 ", "12"),
        ("", ""),
    ],
)
def test_bibtex_pages(pages: str, expected: str) -> None:
    assert bibtex_pages(pages) == expected


def test_join_names_escapes_and_drops_empty_names() -> None:
    assert join_names(["Dirk Wübben", " ", "R&D  Team"]) == r"Dirk Wübben and R\&D Team"


def _depth_never_negative_and_ends_at_zero(value: str) -> bool:
    depth = 0
    for char in value:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


@given(st.text(alphabet=st.sampled_from("ab {}\\&%#$\n"), max_size=40))
def test_escaped_values_are_balanced_and_have_no_bare_specials(value: str) -> None:
    escaped = escape_value(value)
    assert _depth_never_negative_and_ends_at_zero(escaped)
    assert not re.search(r"(?<!\\)[&%#]", escaped)
    assert "\n" not in escaped


@given(st.text(max_size=40))
def test_balanced_text_is_left_alone(value: str) -> None:
    if _depth_never_negative_and_ends_at_zero(value):
        assert balance_braces(value) == value
