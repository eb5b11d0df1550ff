"""When a paper entered the list: the `added` field, sorting by it, and the "new" marker.

Pure, except `today()`, which reads `SORALIT_TODAY` (YYYY-MM-DD) at call time before the
clock, so that tests and reproducible builds can fix the date. soralit writes
`added = {YYYY-MM-DD}` on every entry it adds or imports; a list may hold only the month
(`added = {2024-05}`) or the year, which sort and count from their first day.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import date

from soralit.errors import UsageProblem
from soralit.model import Entry

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


def today() -> date:
    """`SORALIT_TODAY` if set, else the local date."""
    value = os.environ.get("SORALIT_TODAY", "").strip()
    if not value:
        return date.today()
    parsed = parse_added(value)
    if parsed is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise UsageProblem(f"SORALIT_TODAY must be a date YYYY-MM-DD, not {value!r}")
    return parsed


def stamp(day: date | None = None) -> str:
    """The `added` value for DAY (default: today)."""
    return (day or today()).isoformat()


def parse_added(value: str) -> date | None:
    """`2024-05-17`, `2024-05` or `2024` as a date (the first day of a month or year);
    None for anything else."""
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def added_on(entry: Entry) -> date | None:
    return parse_added(entry.get("added"))


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """ENTRIES by `added`, newest first; those without a readable date after them, in the
    order given (stable)."""
    listed = [(added_on(e), e) for e in entries]
    dated = [(day, e) for day, e in listed if day is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [e for _, e in dated] + [e for day, e in listed if day is None]


def is_new(entry: Entry, day: date, days: int) -> bool:
    """Added within the DAYS days up to DAY (a future date counts as new)."""
    added = added_on(entry)
    return added is not None and (day - added).days < days
