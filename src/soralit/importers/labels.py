"""What a piece of plain text beside a paper's title says: a venue, a date, authors.

Pure, on plain strings (Markdown already resolved by `mdtokens`). A venue is read only
when the text looks like one: a known venue family (`catalog.KNOWN_VENUES`), or the
`Name'YY`, `Name YYYY` or `Name YYYY.MM` forms with an acronym-like name. Dates come in
the shapes lists use (`2023`, `2023/04`, `2023-04-12`, `Dec., 2024`, `4 Feb 2023`).
Anything else stays text, for the entry's `note`.
"""

from __future__ import annotations

import re
from functools import cache

from soralit import catalog

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december")
    )
    for m in names.split()
}  # fmt: skip
_YEAR = r"(?:19[5-9]\d|20[0-3]\d)"
_MONTH = r"(?P<mon>[A-Za-z]{3,9})\.?"
_DATES = [
    re.compile(rf"^\(?(?P<year>{_YEAR})\)?$"),
    re.compile(rf"^(?P<year>{_YEAR})\s*[/.\-]\s*(?P<mm>\d{{1,2}})(?:\s*[/.\-]\s*\d{{1,2}})?$"),
    re.compile(rf"^(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH},?\s+(?P<year>{_YEAR})$"),
    re.compile(rf"^{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<year>{_YEAR})$"),
    re.compile(rf"^(?P<mm>\d{{1,2}})\s*/\s*(?P<year>{_YEAR})$"),
]
_YEARED = re.compile(r"^(?P<name>[A-Za-z][\w&.\- ]{0,40}?)\s*['’]\s?(?P<yy>\d{2})$")
_NAME_YEAR = re.compile(
    rf"^(?P<name>[A-Za-z][\w&.\- ]{{0,40}}?),?\s+(?P<year>{_YEAR})(?P<ym>\.\d{{2}})?"
    r"(?P<extra>(?:\s+[A-Z][\w\-]*){0,2})$"
)
_NAME_YY = re.compile(r"^(?P<name>[A-Za-z][\w&.\- ]{0,40}?)\s+(?P<yy>\d{2})$")
_ACRONYM = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z0-9&\-]{1,14}$")
_EXTRA_WORDS = frozenset(
    ("workshop", "workshops", "findings", "oral", "spotlight", "highlight", "poster",
     "main", "demo", "track", "short", "long", "best", "paper")
)  # fmt: skip
_NOT_VENUES = frozenset(
    ("github", "blog", "website", "project", "code", "paper", "demo", "video", "slides",
     "tutorial", "talk", "medium", "twitter", "huggingface", "hugging face", "colab",
     "notebook", "dataset", "model", "news", "update", "updated", "released", "release")
)  # fmt: skip
_PREFIXES = re.compile(
    r"(?i)^(?:in|at|accepted (?:to|by|at|in)|published (?:in|at)|to appear in)\s+"
)
_ARXIV_PREPRINT = re.compile(r"(?i)^arxiv(?: preprint)?(?:,?\s*arxiv:\s*\S+)?$")
_NAME_WORD = re.compile(
    r"^(?:[A-Z][\w'’\-]*\.?|[A-Z]\.(?:[A-Z]\.)*|[A-Z]\.?-[A-Z]\.?|"
    r"van|von|de|der|den|da|di|du|dos|del|la|le|bin|al|ibn|y|[\u3400-\u9fff]{2,4})$"
)
_AFFILIATION = re.compile(r"\s*[(（][^()（）]*[)）]")
_ET_AL = re.compile(r"(?i)\bet\.?\s*al\b\.?")


def read_date(text: str) -> tuple[str, str] | None:
    """(year, month) that TEXT is, month '' when not given; None when it is no date."""
    text = text.strip().strip("[]()").strip()
    for pattern in _DATES:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        month = _month(groups.get("mon"), groups.get("mm"))
        if month is None:
            continue
        return match["year"], month
    return None


def _month(name: str | None, number: str | None) -> str | None:
    if name is not None:
        found = MONTHS.get(name.lower())
        return str(found) if found else None
    if number is not None:
        return str(int(number)) if 1 <= int(number) <= 12 else None
    return ""


def read_venue(text: str) -> tuple[str, str] | None:
    """(label, year) when TEXT is a venue label: `CVPR'23` -> ("CVPR'23", "2023");
    `ICML, 2025` -> ("ICML 2025", "2025"); `NeurIPS` -> ("NeurIPS", ""). None otherwise."""
    text = _PREFIXES.sub("", " ".join(text.split()).strip(" .,;:[]()*_"))
    if not text or len(text) > 60 or read_date(text):
        return None
    if _ARXIV_PREPRINT.match(text):
        return "arXiv", ""
    match = _YEARED.match(text)
    if match and _venue_name(match["name"], strict=False):
        return f"{_spelled(match['name'])}'{match['yy']}", _century(match["yy"])
    match = _NAME_YEAR.match(text)
    if match and _venue_name(match["name"]) and _extras(match["extra"]):
        label = f"{_spelled(match['name'])} {match['year']}{match['ym'] or ''}{match['extra']}"
        return label, match["year"]
    match = _NAME_YY.match(text)
    if match and known_family(match["name"]):  # `ECCV 24` reads as the library's `ECCV'24`
        return f"{_spelled(match['name'])}'{match['yy']}", _century(match["yy"])
    if known_family(text):
        return _spelled(text), ""
    return None


def _spelled(name: str) -> str:
    """NAME as the venues table spells it when it is a known venue (`arxiv` -> arXiv)."""
    name = " ".join(name.split())
    return _canonical().get(name.casefold(), name)


def _century(yy: str) -> str:
    return str((1900 if int(yy) >= 50 else 2000) + int(yy))


def _extras(extra: str) -> bool:
    return all(word.lower() in _EXTRA_WORDS for word in extra.split())


def _venue_name(name: str, *, strict: bool = True) -> bool:
    """True for a known venue family or an acronym-like name (`NSR`, `CoRL`); with
    `strict` off (a `Name'YY` label), any short name that is not a date word."""
    name = name.strip()
    if not name or name.lower() in _NOT_VENUES or name.lower() in MONTHS:
        return False
    if known_family(name) or _ACRONYM.match(name):
        return True
    words = name.split()
    if words and words[-1].lower() in _EXTRA_WORDS and len(words) > 1:
        return _venue_name(" ".join(words[:-1]), strict=strict)
    return not strict and len(words) <= 4 and not _ET_AL.search(name)


@cache
def _canonical() -> dict[str, str]:
    return {v.casefold(): v for v in catalog.KNOWN_VENUES}


def _families() -> dict[str, str]:
    return _canonical()


def known_family(name: str) -> bool:
    """True when NAME is a known venue, or starts with one (`NeurIPS Workshop`,
    `EMNLP Findings`), case aside."""
    folded = " ".join(name.split()).casefold()
    if folded in _families():
        return True
    words = folded.split()
    return any(" ".join(words[:n]) in _families() for n in range(len(words) - 1, 0, -1)) and all(
        w in _EXTRA_WORDS or w in ("of", "and", "datasets", "benchmarks", "&") for w in words[1:]
    )


def looks_like_authors(text: str, *, emphasised: bool = False) -> bool:
    """True for a list of person names: `A. Smith, B. Jones`, `Smith et al.`, or (in
    italics, where lists put authors) one name of two to four words."""
    text = _AFFILIATION.sub("", text).strip(" .,;*_")
    if not text or any(c.isdigit() for c in text):
        return False
    if _ET_AL.search(text):
        head = _ET_AL.split(text)[0].strip(" ,")
        return bool(head) and all(_name_like(n, surname=True) for n in split_names(head))
    names = split_names(text)
    if len(names) >= 2:
        return sum(_name_like(n) for n in names) >= max(2, len(names) * 3 // 4)
    return emphasised and bool(names) and _name_like(names[0]) and len(names[0].split()) >= 2


def split_names(text: str) -> list[str]:
    """Names in `A, B and C` / `A; B & C` / `A、B`."""
    parts = re.split(r"\s*(?:,|;|、|，|\band\b|&)\s*", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def _name_like(name: str, *, surname: bool = False) -> bool:
    """Two to five name words (`Yen-Chen Lin`, `J. R. R. Tolkien`), a CJK name, or with
    SURNAME (before `et al.`) one capitalised word."""
    words = name.replace("\u00a0", " ").split()
    if not 1 <= len(words) <= 5:
        return False
    if len(words) == 1 and not (surname and words[0][:1].isupper()):
        return bool(re.match(r"^[\u3400-\u9fff]{2,4}$", words[0]))
    return all(_NAME_WORD.match(w) for w in words)


def bibtex_authors(text: str) -> str:
    """`A. Smith (MIT), B. Jones et al.` -> `A. Smith and B. Jones and others`."""
    text = _AFFILIATION.sub("", text).strip(" .,;*_")
    others = bool(_ET_AL.search(text))
    head = _ET_AL.split(text)[0] if others else text
    names = split_names(head)
    return " and ".join([*names, "others"] if others else names)
