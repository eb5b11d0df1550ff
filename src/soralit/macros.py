"""BibTeX's `@string` macros and `#` concatenation: definitions, expansion, use.

Pure string work on a library's text. bibtexparser (and `bibreader`, which reads as it
does) resolves a value that is one macro name (`publisher = cup`), but leaves a
concatenation (`"Proc. Fifteenth Annual" # STOC`, `"10~" # jan`) and a name with no
`@string` as written. Here:

- `definitions(text)`: the `@string` blocks of a library, in file order;
- `expand(value, strings)`: the text a value written as parts joined by `#` stands for,
  as BibTeX makes it (the parts' contents concatenated, macros replaced by their
  values); the month names `jan` ... `dec` are known without a definition, as in every
  BibTeX style and in biblatex;
- `field_text(entry, name)`: an entry's value with its macros expanded (what the list,
  the exports and CSL-JSON show);
- `used(raws, known)`: the macros a set of entries uses, for `export bib`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from soralit import bibtex
from soralit.model import Entry

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
# BibTeX's predefined month macros (`month = jul`), by lower-case name.
MONTH_MACROS = {name[:3].lower(): name for name in MONTHS}

_STRING = re.compile(r"@[ \t]*string[ \t]*[{(]", re.IGNORECASE)
_NAME = re.compile(r"[^\s=,{}()\"#%]+")
# A value a macro may stand behind: bibtexparser leaves such names as they are written.
_BARE = re.compile(r"[^\s\d\"#%'(),={}][^\s\"#%'(),={}]*")
_DEPTH = 16  # macros defined through macros, deeper than any real file (and cycles)


@dataclass(frozen=True)
class StringDef:
    """One `@string{name = value}`: NAME as written, VALUE as written (delimiters kept),
    the block's span in the text and its exact TEXT."""

    name: str
    value: str
    start: int
    end: int
    text: str


def definitions(text: str) -> dict[str, StringDef]:
    """The `@string` macros of TEXT by lower-case name (BibTeX ignores case), in file
    order; a name defined again with the same spelling is ignored, as bibtexparser does.
    A `@string{` starts a block wherever it stands, as in bibtexparser's splitter: one
    search of the text finds them all."""
    found: dict[str, StringDef] = {}
    spelled: set[str] = set()
    for block in _STRING.finditer(text):
        end = _block_end(text, block.end() - 1)
        if end is None:
            continue
        definition = _definition(text, block.end(), end - 1, block.start())
        if definition is not None and definition.name not in spelled:
            spelled.add(definition.name)
            found[definition.name.lower()] = definition
    return found


def _block_end(text: str, opening: int) -> int | None:
    """Just past the block whose `{` or `(` is at OPENING (None: it never closes)."""
    if text[opening] == "{":
        try:
            return bibtex.group_end(text, opening)
        except bibtex.EntryTextError:
            return None
    depth, i = 0, opening
    while i < len(text):
        char = text[i]
        if char == "{":
            try:
                i = bibtex.group_end(text, i)
            except bibtex.EntryTextError:
                return None
            continue
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return i + 1
        i += 1
    return None


def _definition(text: str, pos: int, close: int, start: int) -> StringDef | None:
    name = _NAME.match(text, _skip(text, pos))
    if name is None:
        return None
    equals = _skip(text, name.end())
    if equals >= close or text[equals] != "=":
        return None
    value_start = _skip(text, equals + 1)
    try:
        value_end = bibtex.end_of_value(text[:close], value_start)
    except bibtex.EntryTextError:
        return None
    value = text[value_start:value_end]
    return StringDef(name.group(), value, start, close + 1, text[start : close + 1])


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def parts(value: str) -> list[tuple[str, str]]:
    """The parts of a value as written, joined by `#`: ("text", what is inside a `{}` or
    `""` pair, or a number) or ("macro", a name). Text that is not a part ends the list."""
    found: list[tuple[str, str]] = []
    pos = _skip(value, 0)
    while pos < len(value):
        if value[pos] in '{"':
            try:
                end = bibtex.group_end(value, pos)
            except bibtex.EntryTextError:
                return found
            found.append(("text", value[pos + 1 : end - 1]))
        else:
            name = _NAME.match(value, pos)
            if name is None:
                return found
            end = name.end()
            kind = "text" if name.group().isdigit() else "macro"
            found.append((kind, name.group()))
        pos = _skip(value, end)
        if pos >= len(value) or value[pos] != "#":
            return found
        pos = _skip(value, pos + 1)
    return found


def expand(value: str, strings: Mapping[str, StringDef], depth: int = 0) -> str:
    """What VALUE (written as BibTeX writes a value: `{...}`, `"..."`, numbers and macro
    names joined by `#`) stands for: the parts' contents, each macro replaced by its
    expanded value. A month name with no definition is the month (`jan`: January); any
    other unknown name is kept as written (bibtexparser's reading, and no text lost)."""
    out = []
    for kind, part in parts(value):
        if kind == "text":
            out.append(part)
            continue
        definition = strings.get(part.lower())
        if definition is not None and depth < _DEPTH:
            out.append(expand(definition.value, strings, depth + 1))
        else:
            out.append(MONTH_MACROS.get(part.lower(), part))
    return "".join(out)


def may_hide_macros(value: str) -> bool:
    """Whether a value as bibtexparser read it may still hold a macro or a concatenation
    (cheap: most values do not, and need no look at the entry's text)."""
    return "#" in value or _BARE.fullmatch(value) is not None


def written_value(raw: str, name: str) -> str | None:
    """The value of field NAME as written in the entry text RAW (delimiters and `#`
    kept), when it is not one `{...}`, `"..."` or number; None otherwise, or if absent."""
    try:
        spans, _ = bibtex.scan_fields(raw)
    except bibtex.EntryTextError:
        return None
    for span in reversed(spans):  # bibtexparser keeps the last of names differing in case
        if span.name == name:
            if bibtex.simple_value(raw, span) is not None:
                return None
            return raw[span.value_start : span.value_end]
    return None


def field_text(entry: Entry, name: str, strings: Mapping[str, StringDef]) -> str:
    """ENTRY's value of field NAME with `@string` macros and `#` concatenations expanded
    (raw BibTeX text still: LaTeX is `text.latex_to_text`'s)."""
    value = entry.get(name)
    if not entry.raw or not may_hide_macros(value):
        return value
    if "{" + value + "}" in entry.raw or '"' + value + '"' in entry.raw:
        return value  # written enclosed, as nearly always (`journal = {Cognition}`): no scan
    written = written_value(entry.raw, name)
    return value if written is None else expand(written, strings)


_MAYBE_MACRO = re.compile(r"[=#]\s*[^\s{\"\d#,})]")


def uses_macros(raw: str) -> bool:
    """Whether the entry text RAW may use a macro (cheap; `used` is exact)."""
    return _MAYBE_MACRO.search(raw) is not None


def used(raws: Iterable[str], strings: Mapping[str, StringDef]) -> list[StringDef]:
    """The `@string` definitions that the entry texts RAWS use, directly or through other
    definitions, in file order; month names and undefined names need none."""
    wanted: set[str] = set()
    todo = [name for raw in raws for name in _macro_names(raw)]
    while todo:
        name = todo.pop().lower()
        if name in wanted or name not in strings:
            continue
        wanted.add(name)
        todo += [part for kind, part in parts(strings[name].value) if kind == "macro"]
    return sorted((strings[n] for n in wanted), key=lambda d: d.start)


def _macro_names(raw: str) -> list[str]:
    try:
        spans, _ = bibtex.scan_fields(raw)
    except bibtex.EntryTextError:
        return []
    names = []
    for span in spans:
        if bibtex.simple_value(raw, span) is None:
            value = raw[span.value_start : span.value_end]
            names += [part for kind, part in parts(value) if kind == "macro"]
    return names
