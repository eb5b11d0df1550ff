"""Google-Scholar-style citation keys: `liu2024sora`.

Pure: last name of the first author + year + first significant title word, ASCII-folded,
with `a`, `b`, ... appended when the key is taken.
"""

from __future__ import annotations

import re
from collections.abc import Container

from soralit import text

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "and",
        "with",
        "by",
        "from",
        "at",
        "as",
        "is",
        "are",
        "be",
        "via",
        "towards",
        "toward",
        "what",
        "how",
        "why",
        "when",
        "do",
        "does",
        "can",
        "we",
        "our",
        "your",
        "its",
        "into",
        "over",
        "under",
    ]
)


def _word(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.ascii_fold(value).lower())


def first_significant_word(title: str) -> str:
    """The first title word that is not a stopword, lower-case ASCII (`Is Space-Time` -> space)."""
    for token in re.split(r"[\s\-–—:/]+", text.latex_to_text(title)):
        word = _word(token)
        if word and word not in STOPWORDS:
            return word
    return ""


def base_key(author: str, year: str, title: str) -> str:
    """`lastname` + `year` + first significant title word; title word first when no author."""
    names = text.split_names(author)
    last = _word(text.last_name(names[0])) if names else ""
    found = re.search(r"\d{4}", year)
    year = found.group() if found else ""
    word = first_significant_word(title)
    key = f"{last}{year}{word}" if last else f"{word}{year}"
    return key or "entry"


def unique_key(base: str, taken: Container[str]) -> str:
    """`base`, or `base` + a, b, ..., z, aa, ab ... : the first not in `taken`."""
    if base not in taken:
        return base
    n = 0
    while True:
        suffix, m = "", n
        while True:
            suffix = chr(ord("a") + m % 26) + suffix
            m = m // 26 - 1
            if m < 0:
                break
        if base + suffix not in taken:
            return base + suffix
        n += 1
