"""Test helpers: versions of a library text made from the shipped library's real entries
(entries removed, a field set or dropped), as a branch or an older commit would hold them."""

from __future__ import annotations

from pathlib import Path

from conftest import SHIPPED
from soralit import history, merging, splicing, storage
from soralit.bibtex import set_field

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def parsed(text: str) -> storage.Library:
    return history.parse_text(Path("library.bib"), text)


def without(text: str, *keys: str) -> str:
    """TEXT with the entries KEYS (and their comment lines) removed."""
    return spliced(parsed(text), dict.fromkeys(keys))


def edited(text: str, key: str, field: str, value: str | None) -> str:
    """TEXT with FIELD of entry KEY set to VALUE (None removes the field)."""
    library = parsed(text)
    entry = library.find(key)
    assert entry is not None, key
    if value is None:
        raw = "".join(
            line
            for line in entry.raw.splitlines(keepends=True)
            if not line.strip().lower().startswith(f"{field.lower()} =")
        )
    else:
        raw = set_field(entry.raw, field, value)
    return spliced(library, {key: raw})


def spliced(library: storage.Library, replacements: dict[str, str | None]) -> str:
    """LIBRARY's text with entries replaced by key (None removes one), as soralit splices."""
    keys = library.entries.citation_keys()
    cuts = {keys.index(k): (library.spans[keys.index(k)], raw) for k, raw in replacements.items()}
    return splicing.splice(library.text, cuts)[0]


def append(text: str, entry_text: str) -> str:
    """TEXT with ENTRY_TEXT appended, as `soralit add` once did."""
    return splicing.append_entry(text, entry_text)


def unit(text: str, key: str) -> str:
    """The `%` comment lines and the entry KEY, as they stand in TEXT."""
    layout = merging.layout(text, history.blocks(parsed(text)))
    return layout.units[key].lstrip("\n")
