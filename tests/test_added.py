"""The `added` date: reading it (day, month or year), sorting newest first, "new"."""

from __future__ import annotations

from datetime import date

import pytest

from soralit.added import is_new, newest_first, parse_added, stamp, today
from soralit.errors import UsageProblem
from soralit.model import Entry


def entry(key: str, added: str = "") -> Entry:
    return Entry(key, fields={"added": added} if added else {})


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-05-17", date(2024, 5, 17)),
        ("2024-05", date(2024, 5, 1)),
        ("2024", date(2024, 1, 1)),
        (" 2024-5-7 ", date(2024, 5, 7)),
        ("2024-02-30", None),
        ("May 2024", None),
        ("", None),
    ],
)
def test_parse(value, day):
    assert parse_added(value) == day


def test_newest_first_with_months_and_undated_last():
    entries = [
        entry("old", "2023-11-02"),
        entry("none"),
        entry("may", "2024-05"),
        entry("day", "2024-05-17"),
    ]
    assert [e.key for e in newest_first(entries)] == ["day", "may", "old", "none"]


def test_new_within_n_days():
    day = date(2024, 6, 10)
    assert is_new(entry("a", "2024-06-10"), day, 1)
    assert is_new(entry("a", "2024-05-12"), day, 30)
    assert not is_new(entry("a", "2024-05-11"), day, 30)
    assert is_new(entry("a", "2024-06"), day, 30)  # a month counts from its first day
    assert not is_new(entry("a"), day, 30)


def test_today_can_be_fixed(monkeypatch):
    monkeypatch.setenv("SORALIT_TODAY", "2024-05-30")
    assert today() == date(2024, 5, 30) and stamp() == "2024-05-30"
    monkeypatch.setenv("SORALIT_TODAY", "2024-05")
    with pytest.raises(
        UsageProblem, match="SORALIT_TODAY must be a date YYYY-MM-DD, not '2024-05'"
    ):
        today()
