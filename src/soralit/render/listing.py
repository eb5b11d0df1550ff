"""Listings for `soralit list`: TSV, JSON and keys. Pure."""

from __future__ import annotations

import json
from collections.abc import Iterable

from soralit import text
from soralit.model import Entry


def entry_to_dict(entry: Entry) -> dict:
    """The JSON shape of an entry (display text, LaTeX decoded)."""
    return {
        "key": entry.key,
        "title": text.latex_to_text(entry.get("title")),
        "authors": text.authors(entry.get("author")),
        "year": entry.year,
        "venue": entry.venue_label(),
        "categories": list(entry.categories),
        "url": entry.get("url"),
        "code": entry.get("code"),
        "eprint": entry.arxiv_id,
        "doi": entry.doi,
    }


def render_json(entries: Iterable[Entry]) -> str:
    return json.dumps([entry_to_dict(e) for e in entries], ensure_ascii=False, indent=2) + "\n"


def render_keys(entries: Iterable[Entry]) -> str:
    return "".join(f"{e.key}\n" for e in entries)


def _cell(value: str) -> str:
    return " ".join(value.split())  # no tab or newline can split a TSV row


COLUMNS = ("key", "year", "venue", "title", "categories")


def row(entry: Entry, *, separator: str = ",") -> tuple[str, ...]:
    """The listing's columns (`COLUMNS`) for one entry, as display text."""
    return (
        entry.key,
        str(entry.year or ""),
        entry.venue_label(),
        text.latex_to_text(entry.get("title")),
        separator.join(entry.categories),
    )


def render_tsv(entries: Iterable[Entry]) -> str:
    """key, year, venue, title, categories: one tab-separated line per entry."""
    return "".join("\t".join(_cell(c) for c in row(e)) + "\n" for e in entries)
