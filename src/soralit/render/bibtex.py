"""BibTeX text for entries: soralit's canonical layout for entries it writes.

Pure. Existing entries are exported with their original text (`Entry.raw`) when they
have one, so nothing is reformatted behind the user's back.
"""

from __future__ import annotations

from collections.abc import Iterable

from soralit.model import Entry

# Conventional spellings of field names BibTeX tools write in camel case.
FIELD_CASE = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}


def format_entry(entry: Entry) -> str:
    """`@type{key,\\n  name = {value},\\n}` with fields in their given order."""
    lines = [f"@{entry.type}{{{entry.key},"]
    for name, value in entry.fields.items():
        if value != "":
            lines.append(f"  {FIELD_CASE.get(name, name)} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def entry_text(entry: Entry) -> str:
    """The entry's original text if it has one, else the canonical layout."""
    return entry.raw.rstrip() + "\n" if entry.raw else format_entry(entry)


def render_bib(entries: Iterable[Entry]) -> str:
    """Entries as a BibTeX file, separated by blank lines."""
    return "\n".join(entry_text(e) for e in entries)
