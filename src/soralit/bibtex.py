"""BibTeX text: reading an entry's fields, editing them in place, braces, escaping, layout.

Pure string work, the one place that knows how BibTeX text is written:

- reading: `entry_head` (type and key), `scan_fields` (where each field and its value
  lie in an entry's text), `simple_value` (the span of a value that is one `{...}`,
  `"..."` or number, as bibtexparser reads it);
- editing: `set_field`, `remove_field`, `set_type`, keeping every other byte of the
  entry (layout, indentation, comments, trailing spaces) as it was; a new line takes
  the entry's line ending (`newline`: CRLF or LF);
- braces: `unmatched_braces`, `braces_balance`, `balance_braces`, `value_problem`;
- escaping: `text_to_bibtex` (plain text, every special escaped) and `escape_value`
  (service text that may hold LaTeX: only `&`, `%`, `#` escaped, braces balanced);
  `protect_title` braces the words whose capitals carry meaning, so that styles that
  lower-case titles (`plain.bst`) keep `{GenTron}` and `{VIDM}`;
- layout: `format_entry`, soralit's canonical text for entries it writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from soralit.model import Entry

# `@type{key,` (or `@type{key}`, an entry with no fields, as JabRef writes some)
_HEAD = re.compile(r"\s*@\s*(\w+)\s*[{(]\s*([^,\s{}()]*)\s*(?:,|(?=[})]))")
_NAME = re.compile(r"[^\s=,{}()\"#%]+")
_BARE = re.compile(r"[^\s,#{}()]+")
_NUMBER = re.compile(r"\d+")
_ENTRY_START = re.compile(r"\n\s*@\w*[ \t]*[{(]")
_LONE_LF = re.compile(r"(?<!\r)\n")
# Conventional spellings of field names BibTeX tools write in camel case.
FIELD_CASE = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}


@dataclass(frozen=True)
class FieldSpan:
    name: str  # lower-case
    start: int  # first character of the field name
    value_start: int
    value_end: int
    end: int  # just past the separating comma, or value_end if there is none


class EntryTextError(ValueError):
    """The entry text is not a well-formed BibTeX entry."""


# --- reading -------------------------------------------------------------------------


def entry_head(raw: str) -> tuple[str, str]:
    """(type in lower case, key) of an entry's text; EntryTextError if it has no key."""
    head = _HEAD.match(raw)
    if not head:
        raise EntryTextError("not an entry with a key")
    return head.group(1).lower(), head.group(2)


def _skip_space(raw: str, pos: int) -> int:
    while pos < len(raw) and raw[pos].isspace():
        pos += 1
    return pos


def group_end(raw: str, pos: int) -> int:
    """Just past the `{...}` or `"..."` group opening at POS."""
    close, depth, i = ("}" if raw[pos] == "{" else '"'), 0, pos
    while i < len(raw):
        c = raw[i]
        if i > pos and raw[i - 1] == "\\":  # as bibtexparser: `\}` and `\\}` are no brace
            i += 1
            continue
        depth += (c == "{") - (c == "}")
        if (close == "}" and depth == 0) or (close == '"' and c == '"' and i > pos and depth == 0):
            return i + 1
        i += 1
    raise EntryTextError("unbalanced braces in a value")


def end_of_value(raw: str, pos: int) -> int:
    """End of one value (possibly `a # {b}` concatenations) starting at pos."""
    while True:
        if pos >= len(raw):
            raise EntryTextError("entry ends inside a value")
        if raw[pos] in '{"':
            pos = group_end(raw, pos)
        else:
            match = _BARE.match(raw, pos)
            if not match:
                raise EntryTextError(f"expected a value at offset {pos}")
            pos = match.end()
        after = _skip_space(raw, pos)
        if after < len(raw) and raw[after] == "#":
            pos = _skip_space(raw, after + 1)
            continue
        return pos


def scan_fields(raw: str) -> tuple[list[FieldSpan], int]:
    """The fields of an entry and the offset of its closing brace."""
    head = _HEAD.match(raw)
    if not head:
        raise EntryTextError("not an entry with a key")
    pos, fields = head.end(), list[FieldSpan]()
    while True:
        pos = _skip_space(raw, pos)
        if pos >= len(raw):
            raise EntryTextError("entry has no closing brace")
        if raw[pos] in "})":
            return fields, pos
        name = _NAME.match(raw, pos)
        eq = _skip_space(raw, name.end()) if name else pos
        if not name or eq >= len(raw) or raw[eq] != "=":
            raise EntryTextError(f"expected 'name = value' at offset {pos}")
        value_start = _skip_space(raw, eq + 1)
        value_end = end_of_value(raw, value_start)
        end = _skip_space(raw, value_end)
        end = end + 1 if end < len(raw) and raw[end] == "," else value_end
        fields.append(FieldSpan(name.group().lower(), pos, value_start, value_end, end))
        pos = end


def simple_value(raw: str, field: FieldSpan) -> tuple[int, int] | None:
    """(start, end) in RAW of the value bibtexparser reads for FIELD, when the value is
    one `{...}` or `"..."` group (the delimiters dropped) or a number; None for macros,
    concatenations and anything else whose value is not a plain slice of the text."""
    start, end = field.value_start, field.value_end
    if raw[start] in '{"':
        return (start + 1, end - 1) if group_end(raw, start) == end else None
    return (start, end) if _NUMBER.fullmatch(raw, start, end) else None


# --- editing -------------------------------------------------------------------------


def set_field(raw: str, name: str, value: str, *, spelled: str = "") -> str:
    """Set field NAME to `{value}`: in place if present, else as a new last field on a
    line of its own (in the entry's line ending; the line above keeps its trailing spaces)."""
    fields, close = scan_fields(raw)
    for f in fields:
        if f.name == name.lower():
            old = raw[f.value_start : f.value_end]
            quoted = old[:1] == old[-1:] == '"' and len(old) > 1 and '"' not in value
            new = f'"{value}"' if quoted else "{" + value + "}"  # delimited as it was
            return raw[: f.value_start] + new + raw[f.value_end :]
    indent, nl = _indent(raw, fields), newline(raw)
    head = indent + (spelled or FIELD_CASE.get(name, name))
    new = f"{_assignment(raw, fields[-1], head) if fields else head + ' = '}{{{value}}},"
    if not fields:
        head = raw[:close].rstrip(" \t")
        rest = raw[len(head) :]
        if not head.rstrip().endswith(","):  # `@article{key}`: the key gets its comma
            key_end = len(head.rstrip())
            head = head[:key_end] + "," + head[key_end:]
        if head.endswith("\n"):  # the closing brace has its own line: the field goes above
            return head + new + nl + rest
        return head.rstrip() + nl + new + nl + raw[close:]
    last = fields[-1]
    after = line_end(raw, last.end)  # the last field ends its line: the new one follows it
    if last.end > last.value_end:  # the last field has a comma
        if after is not None:
            return raw[:after] + new + nl + raw[after:]
        return raw[: last.end] + nl + new + raw[last.end :]
    # No trailing comma (also BibDesk's `Year = {1972}}`): the new field becomes last.
    if after is not None:
        return (
            raw[: last.value_end] + "," + raw[last.value_end : after] + new[:-1] + nl + raw[after:]
        )
    return raw[: last.value_end] + "," + nl + new.rstrip(",") + raw[last.value_end :]


def rename_field(raw: str, old: str, new: str) -> str:
    """RAW with field OLD's name written NEW, its value and every other byte kept.
    No-op when OLD is absent or NEW is present already."""
    fields, _close = scan_fields(raw)
    if any(f.name == new.lower() for f in fields):
        return raw
    for f in fields:
        if f.name == old.lower():
            name_end = _NAME.match(raw, f.start)
            assert name_end is not None  # scan_fields read a name there
            return raw[: f.start] + new + raw[name_end.end() :]
    return raw


def set_label(raw: str, label: str) -> str:
    """RAW with its short venue label set to LABEL in `model.LABEL_FIELD`: in place; or,
    when the label is still in soralit 0.1's `venue` field, that field renamed and set
    (the migration `check --fix` makes); else as a new last field."""
    from soralit.catalog import looks_like_label
    from soralit.model import LABEL_FIELD, OLD_LABEL_FIELD

    fields, _close = scan_fields(raw)
    names = {f.name: f for f in fields}
    old = names.get(OLD_LABEL_FIELD)
    if LABEL_FIELD not in names and old is not None:
        inner = simple_value(raw, old) or (old.value_start, old.value_end)
        if looks_like_label(raw[inner[0] : inner[1]]):
            raw = rename_field(raw, OLD_LABEL_FIELD, LABEL_FIELD)
    return set_field(raw, LABEL_FIELD, label)


def remove_field(raw: str, name: str) -> str:
    """Remove field NAME with its line (when it is alone on it). No-op when absent."""
    fields, _close = scan_fields(raw)
    for f in fields:
        if f.name == name.lower():
            line_start = raw.rfind("\n", 0, f.start) + 1
            start = line_start if raw[line_start : f.start].strip() == "" else f.start
            end = (line_end(raw, f.end) if start == line_start else None) or f.end
            return raw[:start] + raw[end:]
    return raw


def set_type(raw: str, entry_type: str) -> str:
    """RAW with its entry type (`@misc`) changed to ENTRY_TYPE."""
    return re.sub(r"^(\s*@)\s*\w+", rf"\g<1>{entry_type}", raw, count=1)


def _assignment(raw: str, like: FieldSpan, head: str) -> str:
    """HEAD (indent and name) and its `=` written as field LIKE writes its own: the `=` at
    the same column when LIKE's line aligns it (with tabs or spaces, as it does), the same
    space around it otherwise."""
    name = _NAME.match(raw, like.start)
    eq = raw.find("=", name.end()) if name else -1
    if name is None or eq == -1 or "\n" in raw[like.start : like.value_start]:
        return head + " = "
    gap, after = raw[name.end() : eq], raw[eq + 1 : like.value_start]
    column = len(raw[raw.rfind("\n", 0, like.start) + 1 : eq].expandtabs())
    width = len(head.expandtabs())
    if width >= column or gap.strip(" \t") or (len(gap) < 2 and "\t" not in gap):
        return head + (gap if gap in ("", " ") else " ") + "=" + after
    if "\t" not in gap:
        return head + " " * (column - width) + "=" + after
    while len(head.expandtabs()) < column:
        head += "\t"
    return head + (" " if len(head.expandtabs()) > column else "") + "=" + after


def _indent(raw: str, fields: list[FieldSpan]) -> str:
    if not fields:
        return "  "
    first = fields[0]
    line_start = raw.rfind("\n", 0, first.start) + 1
    prefix = raw[line_start : first.start]
    return prefix if prefix.strip() == "" else "  "


# --- lines ---------------------------------------------------------------------------


def newline(text: str) -> str:
    """TEXT's line ending: CRLF when its first line ends with one, else LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def with_newline(text: str, nl: str) -> str:
    """TEXT with its lone LFs written as NL (text made with LF, going into a CRLF file)."""
    return _LONE_LF.sub(nl, text) if nl != "\n" else text


def line_end(text: str, pos: int) -> int | None:
    """Just past the newline that ends POS's line, when only spaces come before it."""
    while pos < len(text) and text[pos] in " \t\r":
        pos += 1
    return pos + 1 if pos < len(text) and text[pos] == "\n" else None


# --- braces --------------------------------------------------------------------------


def unmatched_braces(value: str) -> set[int]:
    """Positions of the braces of VALUE without a partner (BibTeX counts every brace,
    `\\{` included)."""
    unmatched: set[int] = set()
    opened: list[int] = []
    for index, char in enumerate(value):
        if char == "{":
            opened.append(index)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                unmatched.add(index)
    unmatched.update(opened)
    return unmatched


def braces_balance(value: str) -> bool:
    """Whether every brace of VALUE has its partner, as BibTeX counts them."""
    return ("{" not in value and "}" not in value) or not unmatched_braces(value)


def balance_braces(value: str) -> str:
    """Replace braces without a partner by `\\textbraceleft{}`/`\\textbraceright{}`.

    BibTeX counts every brace, escaped or not, so `\\{` would not help; the
    replacements print the same brace and are balanced themselves.
    """
    unmatched = unmatched_braces(value)
    if not unmatched:
        return value
    words = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
    return "".join(words[c] if i in unmatched else c for i, c in enumerate(value))


def value_problem(value: str) -> str:
    """Why `{VALUE}` would not read back as VALUE ('' when it would).

    BibTeX counts every brace; bibtexparser skips a brace right after a backslash and ends
    the value at a line that starts a new `@entry{`. A value must suit both readers.
    """
    if not braces_balance(value) or not braces_balance(re.sub(r"\\[{}]", "", value)):
        return "its braces are not balanced"
    if value.endswith("\\"):
        return "it ends with a backslash"
    if _ENTRY_START.search(value):
        return "a line of it starts a new @entry"
    return ""


# --- escaping ------------------------------------------------------------------------

# BibTeX/LaTeX specials in display text, and what stands for each in a raw value. `^`
# stays as it is: pylatexenc shows it literally, and `\^{}` would show as nothing.
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
}
# Pairs that LaTeX (and pylatexenc) read as ligatures: `--` is an en dash, ``` `` ``` a quote.
_LIGATURES = frozenset({"--", "``", "''", "!`", "?`"})
# The specials that text from a service may hold bare, LaTeX being left as it is.
_SPECIAL = re.compile(r"(?<!\\)([&%#])")
_PAGE_RANGE = re.compile(r"^\s*(\w+)\s*[-\u2010-\u2015]+\s*(\w+)\s*$")


def text_to_bibtex(value: str) -> str:
    """A raw BibTeX value that displays as `value`: `text.latex_to_text` is its inverse.

    Whitespace is collapsed; specials are escaped and ligature pairs split by `{}`.
    """
    value = collapse(value)
    out = []
    for i, char in enumerate(value):
        out.append(_ESCAPES.get(char, char))
        if value[i : i + 2] in _LIGATURES:
            out.append("{}")
    return "".join(out)


def escape_value(value: str) -> str:
    """Text from a service, made safe as a braced value: whitespace collapsed, bare `&`,
    `%` and `#` escaped, braces balanced. LaTeX already there (`$\\omega$Test`, `\\&`,
    `{GPT}`) is left as it is."""
    return balance_braces(_SPECIAL.sub(r"\\\1", collapse(value)))


def collapse(value: str) -> str:
    """Runs of whitespace (hard wraps included) become one space; ends trimmed."""
    return " ".join(value.split())


def join_names(names: Iterable[str]) -> str:
    """`A B and C D`: names as given, escaped, empty ones dropped."""
    return " and ".join(escape_value(n) for n in names if n.strip())


def bibtex_pages(pages: str) -> str:
    """`525 - 535` or `525-535` -> `525--535`; anything else is returned collapsed."""
    match = _PAGE_RANGE.match(pages)
    return f"{match.group(1)}--{match.group(2)}" if match else collapse(pages)


# Punctuation around a word that stays outside its protecting braces.
_LEADING = "\"'`([<“‘«"
_TRAILING = "\"'`)]>.,:;!?”’»"
_ENDS_IN_MACRO = re.compile(r"\\[A-Za-z]+$")


def protect_title(value: str) -> str:
    """A raw BibTeX title with the words whose capitals carry meaning in braces.

    BibTeX styles such as `plain.bst` lower-case a title except its first letter and
    what is braced (`GenTron` would print as "Gentron"). A word is braced when one of
    its parts (split at `-` and `/`) has a capital after its first character (GenTron,
    mPLUG, n’Pack, VIDM, LLMs, 3D), mixes capitals and digits (V2), or is a lone
    capital joined to another part (U-Net, DALL-E, I/O). Capitalised ordinary words are
    left to the style, so sentence-case styles still apply; proper nouns spelt like
    them (Bayes) cannot be told apart and stay unprotected. Words that already hold
    braces, a backslash or math are left as they are, and so is a title with no
    lower-case letter at all (its capitals tell nothing). Display text is unchanged.
    """
    if not any(char.islower() for char in value):
        return value
    out, depth, math, after_macro = [], 0, False, False
    for token in re.split(r"(\s+)", value):
        plain = depth == 0 and not math and not any(c in token for c in "{}\\$")
        # A word right after a macro may be its argument (`\\b 2A`): braces would widen it.
        out.append(_protect_word(token) if plain and not after_macro else token)
        if token.strip():
            after_macro = bool(_ENDS_IN_MACRO.search(token))
        for char in token.replace("\\$", ""):
            depth += (char == "{") - (char == "}")
            math ^= char == "$" and depth == 0
    return "".join(out)


def _protect_word(token: str) -> str:
    core = token.lstrip(_LEADING)
    lead = token[: len(token) - len(core)]
    stripped = core.rstrip(_TRAILING)
    trail, core = core[len(stripped) :], stripped
    return f"{lead}{{{core}}}{trail}" if core and _meaningful_capitals(core) else token


def _meaningful_capitals(word: str) -> bool:
    parts = [p for p in re.split(r"[-/\u2010-\u2015]", word) if p]
    for part in parts:
        if any(c.isupper() for c in part[1:]):
            return True
        if any(c.isupper() for c in part) and any(c.isdigit() for c in part):
            return True
        if len(parts) > 1 and len(part) == 1 and part.isupper():
            return True
    return False


# --- layout --------------------------------------------------------------------------


def format_entry(entry: Entry) -> str:
    """`@type{key,\\n  name = {value},\\n}` with fields in their given order; empty
    values are left out."""
    lines = [f"@{entry.type}{{{entry.key},"]
    for name, value in entry.fields.items():
        if value != "":
            lines.append(f"  {FIELD_CASE.get(name, name)} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"
