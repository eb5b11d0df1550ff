"""Surgical edits of one entry's BibTeX text.

Pure, brace-aware string operations: find a field's value, replace it, add or remove a
field, keeping every other byte of the entry (layout, indentation, comments, trailing
spaces) as it was; a new line takes the entry's line ending (CRLF or LF). `storage.py`
splices the edited entry back into the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"[^\s=,{}()\"#%]+")
_ENTRY_START = re.compile(r"\n\s*@\w*[ \t]*[{(]")
_LONE_LF = re.compile(r"(?<!\r)\n")


@dataclass(frozen=True)
class FieldSpan:
    name: str  # lower-case
    start: int  # first character of the field name
    value_start: int
    value_end: int
    end: int  # just past the separating comma, or value_end if there is none


class EntryTextError(ValueError):
    """The entry text is not a well-formed BibTeX entry."""


def _skip_space(raw: str, pos: int) -> int:
    while pos < len(raw) and raw[pos].isspace():
        pos += 1
    return pos


def _value_end(raw: str, pos: int) -> int:
    """End of one value (possibly `a # {b}` concatenations) starting at pos."""
    while True:
        if pos >= len(raw):
            raise EntryTextError("entry ends inside a value")
        if raw[pos] in '{"':
            close, depth = ("}" if raw[pos] == "{" else '"'), 0
            i = pos
            while i < len(raw):
                c = raw[i]
                if i > pos and raw[i - 1] == "\\":  # as bibtexparser: `\}` and `\\}` are no brace
                    i += 1
                    continue
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                if (close == "}" and depth == 0) or (
                    close == '"' and c == '"' and i > pos and depth == 0
                ):
                    break
                i += 1
            else:
                raise EntryTextError("unbalanced braces in a value")
            pos = i + 1
        else:
            match = re.compile(r"[^\s,#{}()]+").match(raw, pos)
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
    head = re.match(r"\s*@\s*\w+\s*[{(]\s*[^,\s]*\s*,", raw)
    if not head:
        raise EntryTextError("not an entry with a key")
    pos, fields = head.end(), []
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
        value_end = _value_end(raw, value_start)
        end = _skip_space(raw, value_end)
        end = end + 1 if end < len(raw) and raw[end] == "," else value_end
        fields.append(FieldSpan(name.group().lower(), pos, value_start, value_end, end))
        pos = end


def set_field(raw: str, name: str, value: str, *, spelled: str = "") -> str:
    """Set field NAME to `{value}`: in place if present, else as a new last field on a
    line of its own (in the entry's line ending; the line above keeps its trailing spaces)."""
    fields, close = scan_fields(raw)
    for f in fields:
        if f.name == name.lower():
            return raw[: f.value_start] + "{" + value + "}" + raw[f.value_end :]
    indent, nl = _indent(raw, fields), newline(raw)
    new = f"{indent}{spelled or name} = {{{value}}},"
    if not fields:
        head = raw[:close].rstrip(" \t")
        if head.endswith("\n"):  # the closing brace has its own line: the field goes above
            return head + new + nl + raw[len(head) :]
        return raw[:close].rstrip() + nl + new + nl + raw[close:]
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


def value_problem(value: str) -> str:
    """Why `{VALUE}` would not read back as VALUE ('' when it would).

    BibTeX counts every brace; bibtexparser skips a brace right after a backslash and ends
    the value at a line that starts a new `@entry{`. A value must suit both readers.
    """
    for counted in (value, re.sub(r"\\[{}]", "", value)):
        depth = 0
        for char in counted:
            depth += (char == "{") - (char == "}")
            if depth < 0:
                break
        if depth:
            return "its braces are not balanced"
    if value.endswith("\\"):
        return "it ends with a backslash"
    if _ENTRY_START.search(value):
        return "a line of it starts a new @entry"
    return ""


def _indent(raw: str, fields: list[FieldSpan]) -> str:
    if not fields:
        return "  "
    first = fields[0]
    line_start = raw.rfind("\n", 0, first.start) + 1
    prefix = raw[line_start : first.start]
    return prefix if prefix.strip() == "" else "  "


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
