"""Display text: LaTeX to Unicode, names, title normalisation, mojibake.

Pure functions; pylatexenc and ftfy are imported lazily, only when a value needs them.
The reverse, display text to a BibTeX value, is `bibtex.text_to_bibtex`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from soralit.bibtex import braces_balance

# Characters that make a value LaTeX rather than plain text, and the pairs LaTeX reads
# as one character (`--` is an en dash with or without braces elsewhere in the value).
_LATEX_CHARS = re.compile(r"[\\{}$~%^_&]|--|``|''|!`|\?`")
# ... and those that need pylatexenc: all but braces, and pairs it reads as one character.
_BEYOND_BRACES = re.compile(r"[\\$~%^_&]|--|``|''|!`|\?`")


def _braces_only(value: str) -> str | None:
    """VALUE without its braces, when that is all pylatexenc would do to it (balanced
    braces are its only LaTeX); else None. Most BibTeX titles are like `{BERT}: ...`,
    and pylatexenc takes half a millisecond per title."""
    plain = value.replace("{", "").replace("}", "")
    if _BEYOND_BRACES.search(plain):
        return None
    return plain if braces_balance(value) else None


# pylatexenc's results for values seen before (`learn`), e.g. a library's titles
# stored with its parse cache: at half a millisecond a value, they are worth keeping.
_LEARNED: dict[str, str] = {}
_LEARN_LATER: list[Callable[[], dict[str, str]]] = []  # see learn_later


@lru_cache(maxsize=65536)
def latex_to_text(value: str) -> str:
    """Display text for a raw BibTeX value: `{Sora}` -> Sora, `\\"u` -> ü, whitespace collapsed."""
    if _LATEX_CHARS.search(value):
        plain = _braces_only(value)
        if plain is None:
            return _learned(value) or " ".join(_pylatexenc_text(value).split())
        value = plain
    return " ".join(value.split())


def needs_pylatexenc(value: str) -> bool:
    """True when `latex_to_text(value)` has to call pylatexenc (the slow case)."""
    return bool(_LATEX_CHARS.search(value)) and _braces_only(value) is None


def learn(conversions: dict[str, str]) -> None:
    """Remember `latex_to_text` results computed earlier: {raw value: display text}."""
    _LEARNED.update(conversions)


def learn_later(conversions: Callable[[], dict[str, str]] | None) -> None:
    """Have CONVERSIONS() learned the first time a value needs pylatexenc (None: not)."""
    _LEARN_LATER[:] = [] if conversions is None else [conversions]


def _learned(value: str) -> str | None:
    if value not in _LEARNED and _LEARN_LATER:
        _LEARNED.update(_LEARN_LATER.pop()())
    return _LEARNED.get(value)


@lru_cache(maxsize=1)
def _latex_converter() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text

    from soralit import texmacros  # logos and macros pylatexenc would drop (`\\TeX`)

    return LatexNodes2Text(latex_context=texmacros.latex_context(), strict_latex_spaces=True)


def _pylatexenc_text(value: str) -> str:
    try:
        converted: str = _latex_converter().latex_to_text(value)
        return converted
    except Exception:  # pylatexenc gives up on some broken input: show it raw
        return value.replace("{", "").replace("}", "")


def split_names(value: str) -> list[str]:
    """Split a BibTeX name list on top-level ` and ` (braces protect an `and`)."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(value):
        char = value[i]
        depth += (char == "{") - (char == "}")
        if depth == 0 and value[i : i + 5].lower() in (" and ", "\nand ", " and\n"):
            names.append(value[start:i])
            start = i = i + 5
            continue
        i += 1
    names.append(value[start:])
    return [" ".join(n.split()) for n in names if n.strip()]


def display_name(raw_name: str) -> str:
    """`Last, First` -> `First Last`, LaTeX decoded."""
    name = latex_to_text(raw_name)
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}".strip()
    return name


def authors(raw: str) -> list[str]:
    """Display names of a raw `author` field."""
    return [display_name(n) for n in split_names(raw)]


def last_name(raw_name: str) -> str:
    """The family name of one raw BibTeX name."""
    name = latex_to_text(raw_name)
    if "," in name:
        return name.split(",", 1)[0].strip()
    parts = name.split()
    return parts[-1] if parts else ""


def normalize_title(raw: str) -> str:
    """A key for duplicate detection: LaTeX, braces, case, accents and punctuation removed."""
    text = unicodedata.normalize("NFKD", latex_to_text(raw).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def ascii_fold(text: str) -> str:
    """ASCII only: `Wübben` -> `Wubben`, `Kılıç` -> `Kilic`, `Łuczak` -> `Luczak`, `ß` -> `ss`.

    Accents come off by Unicode decomposition; letters that have none (ı ł đ æ ø ß, other
    scripts) are transliterated by anyascii, imported only for them (it costs ~15 ms).
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in decomposed if not unicodedata.combining(char))
    if text.isascii():
        return text
    from anyascii import anyascii

    return anyascii(text)


def looks_like_mojibake(text: str) -> bool:
    """True when ftfy would change the text (UTF-8 read as Mac-Roman/Latin-1 and the like)."""
    if text.isascii():
        return False
    import ftfy
    from ftfy.badness import is_bad

    return is_bad(text) or ftfy.fix_encoding(text) != text


def fix_mojibake(text: str) -> str:
    """Repair mojibake with ftfy: `n‚ÄôPack` -> `n’Pack`. Plain text is returned unchanged."""
    if text.isascii():
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def name_parts(raw_name: str) -> tuple[str, str]:
    """(given, family) of one raw BibTeX name; `{Braced Corp}` stays whole as the family."""
    stripped = raw_name.strip()
    if stripped.startswith("{") and stripped.endswith("}") and "," not in stripped:
        return "", latex_to_text(stripped)
    name = latex_to_text(stripped)
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    parts = name.split()
    return " ".join(parts[:-1]), parts[-1] if parts else ""
