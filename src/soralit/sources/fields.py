"""BibTeX field values from service metadata. Pure string work, no I/O.

Services hand us plain text (titles, names, journal references); a BibTeX file needs it
safe inside `{...}`: whitespace collapsed, the LaTeX specials `&`, `%` and `#` escaped,
and no unbalanced brace that would end the value early or swallow the next field.
LaTeX that is already there (`$\\omega$Test`, `\\&`, `{GPT}`) is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPECIAL = re.compile(r"(?<!\\)([&%#])")
_PAGE_RANGE = re.compile(r"^\s*(\w+)\s*[-\u2010-\u2015]+\s*(\w+)\s*$")


def collapse(value: str) -> str:
    """Runs of whitespace (hard wraps included) become one space; ends trimmed."""
    return " ".join(value.split())


def escape_value(value: str) -> str:
    """Text made safe as a braced BibTeX value (see the module docstring)."""
    return balance_braces(_SPECIAL.sub(r"\\\1", collapse(value)))


def balance_braces(value: str) -> str:
    """Replace braces without a partner by `\\textbraceleft{}`/`\\textbraceright{}`.

    BibTeX counts every brace, escaped or not, so `\\{` would not help; the
    replacements print the same brace and are balanced themselves.
    """
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
    if not unmatched:
        return value
    words = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
    return "".join(words[c] if i in unmatched else c for i, c in enumerate(value))


def join_names(names: Iterable[str]) -> str:
    """`A B and C D`: names as given, escaped, empty ones dropped."""
    return " and ".join(escape_value(n) for n in names if n.strip())


def bibtex_pages(pages: str) -> str:
    """`525 - 535` or `525-535` -> `525--535`; anything else is returned collapsed."""
    match = _PAGE_RANGE.match(pages)
    return f"{match.group(1)}--{match.group(2)}" if match else collapse(pages)
