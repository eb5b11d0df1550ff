"""A fast BibTeX reader that reads exactly as bibtexparser 2 does, or declines.

Text in, blocks out; no I/O, no bibtexparser. `read(text)` yields, in file order, each
entry as `(key, type, fields, line, start, end)` and each `@comment` block as a `Comment`:
what `bibparse` makes of bibtexparser 2.1's `parse_string` with its default parse stack
(`@string` names resolved, enclosing braces or quotes removed, names and types in lower
case; an entry whose key came before is read as the splitter left it, one pair of
delimiters taken off), `line` 1-based, `text[start:end]` the block's exact text.
`scan(text)` gives the same with each field value as a span of the text (every value is
one: a resolved name points into its `@string` block), for `bibparse`'s columns.

The grammar is bibtexparser's splitter written as regular expressions: the same marks
(`{ } " , =`, `@type{` anywhere, and `)` in a `(` block), the same rule that a backslash
just before a mark makes it text, the same ends of values, matched in C; then what its
default middlewares do (`@string` resolution across the whole file, enclosing removal).
Where the input leaves what these patterns know (a block bibtexparser reports as failed,
a repeated field name, braces nested deeper than DEPTH, an `@` starting a line inside a
block), `Declined` is raised and the caller reads the file with bibtexparser, which is
right by definition. `tests/test_bibreader.py` compares the two on real files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

DEPTH = 8  # braces nested deeper than this (never seen in real files) decline

Record = tuple[str, str, dict[str, str], int, int, int]  # key, type, fields, line, start, end
# ... and as `scan` gives it: key, type, field names, [start, end, ...] of values, line, start, end
Spans = tuple[str, str, tuple[str, ...], list[int], int, int, int]


class Declined(Exception):
    """The text holds something this reader cannot be sure to read as bibtexparser does."""


class LateStrings(Declined):
    """An `@string` defined after an entry that names it: `scan` again, knowing them all."""

    def __init__(self, strings: dict[str, tuple[int, int]]) -> None:
        super().__init__("an @string is defined after an entry that uses it")
        self.strings = strings


class Comment(NamedTuple):
    """An `@comment` block: its text (stripped), line, and span in the text."""

    comment: str
    line: int
    start: int
    end: int


# --- the grammar --------------------------------------------------------------------

# A backslash makes the character after it text; a second backslash is left to do the
# same to the next one (`\\{`: the brace is text, as the splitter's `(?<!\\)` has it).
_ESC = r"\\[^\\]?"


def _braced(depth: int) -> str:
    """What is inside a `{...}` group nested at most DEPTH deep: only braces count."""
    inner = r"(?:[^{}\\]++|" + _ESC + r")*+"
    for _ in range(depth - 1):
        inner = r"(?:[^{}\\]++|" + _ESC + r"|\{" + inner + r"\})*+"
    return inner


_BRACED = _braced(DEPTH)
_GROUP = r"\{" + _BRACED + r"\}"
# A `"..."` part of a value: braces are text inside it, and `{"}` is a literal quote.
_QUOTED = r'"(?:[^"\\]++|' + _ESC + r'|(?<=\{)"(?=\}[\s\S]))*+"'
# What is inside a `"..."` with no quote inside (nor ending on a `{"}`): enclosed whole.
_PLAIN_QUOTED = r'(?:[^"\\]++|' + _ESC + r")*+"
_PLAIN_QUOTE_END = r'(?:(?<!\{)"|"(?!\}[\s\S]))'
_BLOCK_START = re.compile(r"@\w*[ \t]*(?=[{(])")
# An `@` that starts a line (after blanks) within a block makes the splitter abort it.
_LINE_START_AT = re.compile(r"\n[^\S\n]*@\w*[ \t]*[{(]")


def _value(close: str) -> str:
    """A field value, up to (not including) the `,` or CLOSE that ends it."""
    plain = r'[^{}",\\]++' if close == "}" else r'[^{}",\\)]++|\}'  # `}` is text in `(...)`
    return r"(?:" + plain + "|" + _ESC + "|" + _GROUP + "|" + _QUOTED + r")*+"


def _free_text(close: str, *, quotes: bool) -> str:
    """The body of a `@comment` or `@preamble`, or a `@string` value, up to CLOSE; only
    a `(` block with QUOTES skips a CLOSE within quotes."""
    if close == "}":
        return r"(?:[^{}\\]++|" + _ESC + "|" + _GROUP + r")*+"
    if not quotes:
        return r"(?:[^{}\\)]++|\}|" + _ESC + "|" + _GROUP + r")*+"
    inside = r'"(?:[^"{}\\]++|\}|' + _ESC + "|" + _GROUP + r')*+"'
    return r'(?:[^{}"\\)]++|\}|' + _ESC + "|" + _GROUP + "|" + inside + r")*+"


def _sources(close: str) -> dict[str, str]:
    """The patterns for a block closed by CLOSE, each matched where the reading stands.

    `field` matches `,name = value`: it captures the name (group 1); then, for a value
    that is one `{...}` group or one `"..."` string (nearly all), what is inside the pair
    (group 3: group 2 is the `{` when there is one, to close the pair alike); or else (a
    number, a macro, a `#` concatenation), the value as the splitter cuts it (group 4).
    """
    # A name or key runs to the next mark; a backslash makes the character after it
    # text (not an `@`: the start of a block is a mark however it is preceded).
    plain = r'[^{}",=\\@]++' if close == "}" else r'[^{}",=\\@)]++'
    key = f"(?:{plain}|\\\\[^\\\\@]?|@(?!\\w*[ \\t]*[{{(]))*+"
    end = re.escape(close)
    enclosed = r"\s*(?=[," + end + "])"
    return {
        "key": key,
        "field": (
            f',({key})=\\s*(?:(?:(\\{{)|")((?(2){_BRACED}|{_PLAIN_QUOTED}))'
            f"(?(2)\\}}|{_PLAIN_QUOTE_END}){enclosed}|({_value(close)}))"
        ),
        "end": r"(?:,\s*)?" + end,
        "comment": f"({_free_text(close, quotes=False)}){end}",
        "preamble": _free_text(close, quotes=True) + end,
        "string": f"({key})=\\s*({_free_text(close, quotes=True)}){end}",
    }


class _Patterns(dict[str, re.Pattern[str]]):
    """The patterns for one closing delimiter, compiled when first used (start-up time:
    most files need four of the twelve)."""

    def __init__(self, close: str) -> None:
        super().__init__()
        self.sources = _sources(close)

    def __missing__(self, kind: str) -> re.Pattern[str]:
        pattern = self[kind] = re.compile(self.sources[kind])
        return pattern


_PATTERNS = {"{": _Patterns("}"), "(": _Patterns(")")}
_BRACE_MARKS = re.compile(r"(?<!\\)[{}]")
_QUOTE_MARKS = re.compile(r'(?<!\\)[{}"]')


def _enclosed(value: str) -> bool:
    """Whether one pair of braces or quotes encloses the whole (stripped) VALUE, as
    bibtexparser's RemoveEnclosingMiddleware decides it."""
    if len(value) < 2:
        return False
    first, last = value[0], value[-1]
    if first == "{" and last == "}":
        inner = value[1:-1]
        if "{" not in inner and "}" not in inner:
            return not inner.endswith("\\")
        depth, end = 0, len(value) - 1
        for mark in _BRACE_MARKS.finditer(value):
            depth += 1 if mark.group() == "{" else -1
            if depth < 0 or (depth == 0 and mark.start() != end):
                return False
        return depth == 0
    if first == '"' and last == '"':
        end = len(value) - 1
        depth = 0
        for mark in _QUOTE_MARKS.finditer(value, 1, end):
            char = mark.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth = max(depth - 1, 0)
            elif depth == 0:
                return False
        return True
    return False


# --- reading ------------------------------------------------------------------------


class _Strings:
    """The `@string` macros seen so far, as spans of their values, and every lookup
    made, to check at the end that no later definition would have changed one."""

    def __init__(self, known: dict[str, tuple[int, int]] | None) -> None:
        self.known = known  # all of the file's macros, on a second reading
        self.keys: set[str] = set()
        self.spans: dict[str, tuple[int, int]] = {}  # lower-case name -> value span
        self.asked: dict[str, tuple[int, int] | None] = {}

    def define(self, key: str, start: int, end: int) -> None:
        if key not in self.keys:  # a name defined again is a duplicate block: ignored
            self.keys.add(key)
            self.spans[key.lower()] = (start, end)  # BibTeX names ignore case; later wins

    def resolve(self, name: str) -> tuple[int, int] | None:
        """The span of macro NAME's value, or None."""
        name = name.lower()
        found = (self.spans if self.known is None else self.known).get(name)
        self.asked.setdefault(name, found)
        return found

    def check(self) -> None:
        """Raise LateStrings when a macro defined later changes a lookup made earlier."""
        if self.known is None and any(self.spans.get(n) != f for n, f in self.asked.items()):
            raise LateStrings(dict(self.spans))


def _other_value(text: str, start: int, end: int, strings: _Strings | None) -> tuple[int, int]:
    """The span of a value that is not one enclosed part, from the span the splitter
    cut: stripped, a macro name resolved (STRINGS None: not, for a repeated key), then
    unenclosed (for a repeated key: any outer `{}` or `""` pair taken off, as bibparse
    does)."""
    raw = text[start:end]
    value = raw.strip()
    start += len(raw) - len(raw.lstrip())
    end = start + len(value)
    if strings is None:
        if len(value) >= 2 and (value[0], value[-1]) in (("{", "}"), ('"', '"')):
            return start + 1, end - 1
        return start, end
    looks_enclosed = value[:1] == value[-1:] == '"' or (value[:1], value[-1:]) == ("{", "}")
    if not looks_enclosed:
        resolved = strings.resolve(value)
        if resolved is not None:
            start, end = resolved
            value = text[start:end]
    return (start + 1, end - 1) if _enclosed(value) else (start, end)


# (raw field names of an entry) -> (lower-case names, their positions); None: no repeat
_LAYOUTS: dict[tuple[str, ...], tuple[tuple[str, ...], list[int] | None]] = {}


def _layout(raw: tuple[str, ...]) -> tuple[tuple[str, ...], list[int] | None]:
    """Field names as bibparse keys them (stripped, lower case, first place, last value).

    A name repeated exactly fails the block in bibtexparser: declined. `Title` and
    `title` are two names to it, one to bibparse; POSITIONS then says, for each name
    kept, which field's value it takes.
    """
    known = _LAYOUTS.get(raw)
    if known is None:
        stripped = [name.strip() for name in raw]
        if len(set(stripped)) < len(stripped):
            raise Declined("an entry repeats a field name")
        order: dict[str, int] = {}
        for i, name in enumerate(stripped):
            order[name.lower()] = i
        names = tuple(order)
        positions = list(order.values()) if len(names) < len(raw) else None
        if len(_LAYOUTS) >= 4096:  # a file whose every entry has its own fields
            _LAYOUTS.clear()
        known = _LAYOUTS[raw] = (names, positions)
    return known


def _fields(
    text: str, pos: int, patterns: _Patterns, strings: _Strings | None
) -> tuple[tuple[str, ...], list[int], int]:
    """(names, value spans, end of the entry) for the fields from POS (after the key)."""
    raw: list[str] = []
    spans: list[int] = []
    match = patterns["field"].match
    while (field := match(text, pos)) is not None:
        raw.append(field.group(1))
        if field.lastindex == 3:
            spans += field.span(3)
        else:
            spans += _other_value(text, *field.span(4), strings)
        pos = field.end()
    if (closing := patterns["end"].match(text, pos)) is None:
        raise Declined("an entry bibtexparser may read otherwise")
    names, positions = _layout(tuple(raw))
    if positions is not None:
        spans = [spans[2 * i + half] for i in positions for half in (0, 1)]
    return names, spans, closing.end()


def _other_block(
    text: str, pos: int, pattern: re.Pattern[str], kind: str, macros: _Strings
) -> tuple[str | None, int]:
    """(text of a `@comment`, else None; end) of the block whose body starts at POS; the
    macro of a `@string` is defined."""
    body = pattern.match(text, pos)
    if body is None:
        raise Declined("a block bibtexparser may read otherwise")
    if kind == "string":
        value_start, value = body.start(2), body.group(2).rstrip()
        macros.define(body.group(1).strip(), value_start, value_start + len(value))
    return (body.group(1).strip() if kind == "comment" else None), body.end()


_HEADS: dict[str, tuple[str, str]] = {}  # "@Article " -> ("entry", "article")


def _head(head: str) -> tuple[str, str]:
    """(kind of block, entry type) of a block start such as `@Article`."""
    known = _HEADS.get(head)
    if known is None:
        lowered = head.lower()
        kind = next(
            (k for k in ("comment", "preamble", "string") if lowered.startswith("@" + k)),
            "entry",
        )
        known = _HEADS[head] = (kind, lowered[1:].strip().lower())
    return known


def scan(text: str, strings: dict[str, tuple[int, int]] | None = None) -> Iterator[Spans | Comment]:
    """Every entry (values as spans) and `@comment` of TEXT in order, or Declined.

    STRINGS: the file's `@string` macros, when a first scan raised LateStrings.
    """
    macros = _Strings(strings)
    seen: set[str] = set()
    line, counted, pos = 1, 0, 0
    search, line_start_at = _BLOCK_START.search, _LINE_START_AT.search
    while (head := search(text, pos)) is not None:
        start, opening = head.start(), head.end()
        line += text.count("\n", counted, start)
        counted = start
        patterns = _PATTERNS[text[opening]]
        kind, entry_type = _head(head.group())
        if kind == "entry":
            found = patterns["key"].match(text, opening + 1)
            if found is None:  # never: the pattern matches ''
                raise Declined(f"line {line}: no key")
            key = found.group().strip()
            repeated = key in seen
            seen.add(key)
            names, spans, end = _fields(text, found.end(), patterns, None if repeated else macros)
            block: Spans | Comment | None = (key, entry_type, names, spans, line, start, end)
        else:
            comment, end = _other_block(text, opening + 1, patterns[kind], kind, macros)
            block = None if comment is None else Comment(comment, line, start, end)
        if line_start_at(text, start, end):
            raise Declined(f"line {line}: a line within a block starts with @")
        pos = end
        if block is not None:
            yield block
    macros.check()


def read(text: str) -> Iterator[Record | Comment]:
    """Every entry (values as text) and `@comment` of TEXT in order, or Declined."""
    try:
        blocks = list(scan(text))
    except LateStrings as late:
        blocks = list(scan(text, late.strings))
    for block in blocks:
        if isinstance(block, Comment):
            yield block
            continue
        key, kind, names, spans, line, start, end = block
        values = [text[spans[i] : spans[i + 1]] for i in range(0, len(spans), 2)]
        yield (key, kind, dict(zip(names, values, strict=True)), line, start, end)
