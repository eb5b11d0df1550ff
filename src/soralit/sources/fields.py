"""BibTeX field values from service metadata. Pure string work, no I/O.

Services hand us plain text (titles, names, journal references); a BibTeX file needs it
safe inside `{...}`: whitespace collapsed, the LaTeX specials `&`, `%` and `#` escaped,
and no unbalanced brace that would end the value early or swallow the next field.
LaTeX that is already there (`$\\omega$Test`, `\\&`, `{GPT}`) is left as it is.
Titles also get their meaningful capitals braced (`protect_title`), so that styles that
lower-case titles (`plain.bst`) keep `{GenTron}` and `{VIDM}`.
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
