"""`export bib` and `--format bib`: entries as a BibTeX file. Pure.

Existing entries are written with their original text (`Entry.raw`) when they have one,
so nothing is reformatted behind the user's back; others in soralit's canonical layout
(`bibtex.format_entry`). The `@string` definitions the entries use come first, each in
its original text, so that the file parses on its own (`macros.used`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from soralit import macros
from soralit.bibtex import format_entry
from soralit.model import Entry


def entry_text(entry: Entry) -> str:
    """The entry's original text if it has one, else the canonical layout."""
    return entry.raw.rstrip() + "\n" if entry.raw else format_entry(entry)


def strings_used(entries: Iterable[Entry]) -> list[macros.StringDef]:
    """The `@string` definitions ENTRIES use, from their libraries, in file order."""
    by_context: dict[int, tuple[Mapping[str, macros.StringDef], list[str]]] = {}
    for entry in entries:
        if entry.raw and macros.uses_macros(entry.raw):
            known = by_context.setdefault(id(entry.context), (entry.context.strings(), []))
            known[1].append(entry.raw)
    return [d for strings, raws in by_context.values() for d in macros.used(raws, strings)]


def with_parents(entries: Iterable[Entry]) -> list[Entry]:
    """ENTRIES, then the `crossref` and `xref` parents they name (and theirs) that are
    not among them, from their libraries: BibTeX and biber look for a parent after the
    entries that name it."""
    chosen = list(entries)
    keys = {e.key.lower() for e in chosen}
    at = 0
    while at < len(chosen):
        entry = chosen[at]
        at += 1
        for name in ("crossref", "xref"):
            for key in entry.fields.get(name, "").split(","):
                parent = entry.context.entry(key.strip()) if key.strip() else None
                if parent is not None and parent.key.lower() not in keys:
                    keys.add(parent.key.lower())
                    chosen.append(parent)
    return chosen


def render_bib(entries: Iterable[Entry]) -> str:
    """Entries as a BibTeX file, separated by blank lines, after the `@string`
    definitions they use; the `crossref`/`xref` parents they name follow them."""
    entries = with_parents(entries)
    blocks = [d.text.rstrip() + "\n" for d in strings_used(entries)]
    return "\n".join([*blocks, *(entry_text(e) for e in entries)])
