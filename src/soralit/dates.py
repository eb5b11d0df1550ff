"""When a work was published: biblatex's `date`, or BibTeX's `year` and `month`.

Pure. `parse_date` reads the ISO 8601 forms biblatex reads in `date` (its manual,
§2.3.8, and the EDTF level 1 it supports): `2023`, `2023-05`, `2023-05-17`, a time
after `T` (ignored), ranges `2023/2024` and `2023-05-01/2023-06-30`, open ranges
`2023/` and `/2023` (or `../2023`), uncertain `2023?` and approximate `2023~`
(both: `2023%`), and seasons (`2023-21`: spring; no month). `parse_year_month` reads
`year = {2023}` with `month` as a number (`5`, `05`) or a month name or macro (`may`,
`May`, `jan # "~13"` expanded). `Date` is what both give; `date` wins when an entry has
both, as biber does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from soralit.macros import MONTHS

_YEAR = re.compile(r"\d{4}")
# One end of a `date` range: a year (EDTF allows a sign), month and day, then the
# uncertainty marks and an optional time.
_ONE = re.compile(
    r"(?P<year>[+-]?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<marks>[?~%]*)"
    r"(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_MONTH_NAMES = {name.lower(): i for i, name in enumerate(MONTHS, start=1)}
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}\.?")
_MONTH_NUMBER = re.compile(r"(?<![\d-])(\d{1,2})(?![\d-])")


@dataclass(frozen=True)
class Date:
    """A publication date: the year, and month and day when known (1-based). END is the
    last year, month and day of a range (`2023/2024`), None for a single date; an open
    range (`2023/`) has END = (None, None, None). CIRCA: uncertain or approximate."""

    year: int
    month: int | None = None
    day: int | None = None
    end: tuple[int | None, int | None, int | None] | None = None
    circa: bool = False

    def parts(self) -> list[int]:
        """[year, month, day] as far as known (CSL-JSON's `date-parts` of the start)."""
        return _known(self.year, self.month, self.day)

    def end_parts(self) -> list[int]:
        """The range's end as `parts`; [] for a single date or an open end."""
        if self.end is None or self.end[0] is None:
            return []
        return _known(*self.end)


def _known(year: int | None, month: int | None, day: int | None) -> list[int]:
    out: list[int] = []
    for part in (year, month, day):
        if part is None:
            break
        out.append(part)
    return out


def parse_date(value: str) -> Date | None:
    """A biblatex `date` value, or None when it is not a date biblatex reads."""
    value = value.strip().replace("{", "").replace("}", "")
    if not value:
        return None
    start, slash, end = value.partition("/")
    first = _one(start) if start not in ("", "..") else None
    last = _one(end) if end not in ("", "..") else None
    if slash and end and end != ".." and last is None:
        return None
    if first is None:  # `/2023`: open start; the year known is the end's
        if last is None:
            return None
        return Date(last.year, last.month, last.day, circa=last.circa)
    if not slash:
        return first
    closed = (last.year, last.month, last.day) if last else (None, None, None)
    return Date(
        first.year, first.month, first.day, closed, first.circa or bool(last and last.circa)
    )


def _one(value: str) -> Date | None:
    match = _ONE.fullmatch(value.strip())
    if match is None:
        return None
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if month is not None and 21 <= month <= 24 and day is None:  # a season: no month
        month = None
    elif not ((month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31)):
        return None
    return Date(year, month, day, circa=bool(match["marks"]))


def parse_year_month(year: str, month: str = "") -> Date | None:
    """BibTeX's `year` (its first four digits) and `month` (a number or a month name, as
    text with macros expanded), or None without a year."""
    found = _YEAR.search(year)
    if found is None:
        return None
    return Date(int(found.group()), parse_month(month))


def parse_month(value: str) -> int | None:
    """1-12 from `5`, `05`, `may`, `May`, `Sept.`, `10~January`; None if none."""
    for found in _MONTH_WORD.findall(value):
        word = found.rstrip(".").lower()
        for name, number in _MONTH_NAMES.items():
            if name.startswith(word) or (len(word) > 3 and word.startswith(name[:3])):
                return number
    for number in _MONTH_NUMBER.findall(value):
        if 1 <= int(number) <= 12:
            return int(number)
    return None
