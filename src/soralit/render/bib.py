"""`export bib` and `--format bib`: entries as a BibTeX file. Pure.

Existing entries are written with their original text (`Entry.raw`) when they have one,
so nothing is reformatted behind the user's back; others in soralit's canonical layout
(`bibtex.format_entry`).
"""

from __future__ import annotations

from collections.abc import Iterable

from soralit.bibtex import format_entry
from soralit.model import Entry


def entry_text(entry: Entry) -> str:
    """The entry's original text if it has one, else the canonical layout."""
    return entry.raw.rstrip() + "\n" if entry.raw else format_entry(entry)


def render_bib(entries: Iterable[Entry]) -> str:
    """Entries as a BibTeX file, separated by blank lines."""
    return "\n".join(entry_text(e) for e in entries)
