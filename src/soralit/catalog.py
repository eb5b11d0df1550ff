"""What soralit knows of the world of papers: venues, preprint servers, code hosts.

Pure tables and the functions that read them; the one place for each:

- venues: `VENUES`, each a short label (`CVPR`) and, for the venues whose long names the
  services write, a pattern for those names. A *label* is the short venue text shown in
  the list: `CVPR'23`, `IEEE RA-L'23`, `arXiv 2023.09`. Extend the table when the list
  cites a venue it lacks.
- preprints: `PREPRINT_SERVERS`. A paper is *published* when a venue signal of its entry
  (`booktitle`, `journal`, the label) names something other than a preprint server; a
  record *cites a preprint* when its `journal`/`booktitle` name none but a server.
- code hosts: `CODE_HOSTS`, where a `code` link is expected to point.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from soralit.model import Entry, arxiv_label
from soralit.text import latex_to_text

# (label, long names services write for it: a regex matched in lower case, or '').
# Order matters for the long names: the more specific patterns come first.
VENUES: tuple[tuple[str, str], ...] = (
    # Machine learning
    ("NeurIPS", r"neural information processing systems|\bneurips\b|\bnips\b"),
    ("NIPS", ""), ("NeurIPS Workshop", ""),
    ("ICML", r"international conference on machine learning|\bicml\b"), ("ICML Workshop", ""),
    ("ICLR", r"international conference on learning representations|\biclr\b"),
    ("ICLR Workshop", ""),
    ("AISTATS", ""), ("UAI", ""), ("COLT", ""),
    ("JMLR", r"journal of machine learning research|\bjmlr\b"),
    ("TMLR", r"transactions on machine learning research|trans\. mach\. learn\. res|\btmlr\b"),
    ("MLSys", ""), ("CoLLAs", ""), ("LoG", ""),
    # Artificial intelligence
    ("AAAI", r"\baaai\b"),
    ("IJCAI", r"international joint conference on artificial intelligence|\bijcai\b"),
    ("AAMAS", ""), ("ECAI", ""), ("AIJ", ""), ("JAIR", ""),
    # Vision and graphics
    ("WACV", r"winter conference on applications of computer vision|\bwacv\b"),
    # The workshop labels first: their short names hold the conference's.
    ("CVPRW", r"\bcvprw\b"), ("ECCVW", r"\beccvw\b"), ("ICCVW", r"\biccvw\b"),
    ("CVPR", r"computer vision and pattern recognition|\bcvpr\b"),
    ("ECCV", r"european conference on computer vision|\beccv\b"),
    ("ICCV", r"international conference on computer vision|\biccv\b"),
    ("BMVC", ""), ("ACCV", ""), ("3DV", ""), ("ICPR", ""), ("ICIP", ""), ("IJCV", ""),
    ("TPAMI", r"transactions on pattern analysis and machine intelligence|\btpami\b"),
    ("IEEE TPAMI", ""), ("TIP", ""), ("IEEE TIP", ""), ("TCSVT", ""), ("IEEE TCSVT", ""),
    ("TVCG", r"transactions on visualization and computer graphics|\btvcg\b"),
    ("IEEE TVCG", ""), ("TOG", ""), ("ACM TOG", ""), ("SIGGRAPH", ""), ("SIGGRAPH Asia", ""),
    ("Eurographics", ""), ("Pattern Recognition", ""), ("Neurocomputing", ""),
    ("Information Fusion", ""),
    # Language and speech
    ("EMNLP", r"empirical methods in natural language processing|\bemnlp\b"),
    ("NAACL", r"north american chapter of the association for computational|\bnaacl\b"),
    ("ACL", r"annual meeting of the association for computational linguistics|^acl\b"),
    ("EACL", ""), ("AACL", ""), ("COLING", ""), ("TACL", ""), ("CoNLL", ""), ("COLM", ""),
    ("LREC", ""), ("Findings of ACL", ""), ("Findings of EMNLP", ""), ("ICASSP", ""),
    ("Interspeech", ""), ("ISMIR", ""),
    # Multimedia, web, data and people
    ("ACM Multimedia", r"acm international conference on multimedia|^acm multimedia$"),
    ("ACM MM", ""), ("TMM", ""), ("IEEE TMM", ""), ("TOMM", ""), ("ACM TOMM", ""), ("ICME", ""),
    ("KDD", r"knowledge discovery and data mining|\bkdd\b"),
    ("WWW", ""), ("SIGIR", ""), ("WSDM", ""), ("CIKM", ""), ("RecSys", ""), ("ICDM", ""),
    ("SDM", ""), ("ICDE", ""), ("VLDB", ""), ("SIGMOD", ""), ("TKDE", ""), ("IEEE TKDE", ""),
    ("TNNLS", ""), ("IEEE TNNLS", ""), ("CHI", ""), ("UIST", ""), ("CSCW", ""), ("IUI", ""),
    ("ACM Computing Surveys", ""), ("CSUR", ""), ("Communications of the ACM", ""),
    # Robotics
    ("CoRL", r"conference on robot learning|\bcorl\b"),
    ("IROS", r"intelligent robots and systems|\biros\b"),
    ("ICRA", r"international conference on robotics and automation|\bicra\b"),
    ("RSS", ""), ("RA-L", ""), ("IEEE RA-L", ""), ("T-RO", ""), ("IEEE T-RO", ""),
    ("IJRR", ""), ("Science Robotics", ""), ("Humanoids", ""), ("HRI", ""),
    # Medicine and science
    ("MICCAI", r"medical image computing and computer.assisted intervention|\bmiccai\b"),
    ("PRIME", ""), ("MIDL", ""), ("ISBI", ""), ("Medical Image Analysis", ""), ("TMI", ""),
    ("IEEE TMI", ""), ("Nature", ""), ("Science", ""), ("PNAS", ""),
    ("Nature Machine Intelligence", ""), ("Nature Communications", ""),
    ("Nature Medicine", ""), ("Nature Methods", ""), ("Scientific Reports", ""),
    # Security
    ("USENIX Security", ""), ("CCS", ""), ("ACM CCS", ""), ("S&P", ""), ("IEEE S&P", ""),
    ("NDSS", ""),
    # Preprint servers (labelled `NAME YYYY.MM`)
    ("arXiv", ""), ("bioRxiv", ""), ("medRxiv", ""), ("ChemRxiv", ""), ("TechRxiv", ""),
    ("SSRN", ""),
)  # fmt: skip
KNOWN_VENUES = tuple(label for label, _ in VENUES)
# The BibTeX fields that say where (and in what part of it) a paper was published.
VENUE_FIELDS = ("journal", "booktitle", "series", "volume", "number", "pages", "publisher")
# Where an entry says what it appeared in (biblatex's names first; `journal` is the
# BibTeX name of `journaltitle`), in the order a label is derived from them.
CONTAINER_FIELDS = ("journaltitle", "journal", "booktitle", "eventtitle")
# Entry types (BibTeX's and biblatex's) that are publications whatever their fields say.
PUBLISHED_TYPES = frozenset({
    "book", "mvbook", "inbook", "bookinbook", "suppbook", "collection", "mvcollection",
    "incollection", "suppcollection", "proceedings", "mvproceedings", "reference",
    "mvreference", "inreference", "periodical", "suppperiodical", "thesis", "phdthesis",
    "mastersthesis", "patent", "standard",
})  # fmt: skip
_ARXIV_ID = re.compile(r"(?<![\d.])\d{4}\.\d{4,5}(?![\d.])")
_LONG_NAMES = tuple((re.compile(p), label) for label, p in VENUES if p)
_BY_FOLDED = {v.casefold(): v for v in KNOWN_VENUES}
_KNOWN = frozenset(KNOWN_VENUES)

# Preprint servers, as they appear in venue labels and in `journal`/`booktitle` fields
# (Google Scholar writes `journal = {arXiv preprint arXiv:2301.11798}`), lower case.
PREPRINT_SERVERS = ("arxiv", "biorxiv", "medrxiv", "chemrxiv", "techrxiv", "ssrn")
_PREPRINT_LABEL = re.compile(rf"(?i)^(?:{'|'.join(PREPRINT_SERVERS)})\b")

CODE_HOSTS = (
    "github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org",
    "sr.ht", "sourceforge.net", "gitee.com", "git.sr.ht",
)  # fmt: skip

# `NAME'YY` (a typographic ’ also reads), or a preprint server's `NAME YYYY.MM`.
_YEARED = re.compile(r"^(?P<name>.+?)\s*['’](?P<yy>\d{2})$")
_DATED = re.compile(r"^(?P<name>\S+)\s+(?P<year>\d{4})\.(?P<month>\d{2})$")
# `NeurIPS 2023`, `ICML, 2025`, `EMNLP 2024 Findings`: a name, then its year.
_NAMED_YEAR = re.compile(r"^(?P<name>\D+?),?\s+(?P<year>(?:19|20)\d{2})(?:\s+[A-Za-z]+){0,2}$")
# The year part of a venue label: `CVPR'23`, `CVPR’23`, `arXiv 2023.09`, `TPAMI 2021`.
_LABEL_YEAR = re.compile(r"\s*(?:['’]\d{2}|\b\d{4}(?:\.\d{2})?)\s*$")


# --- venue labels --------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """A venue label split into its venue name and the rest (`'23`, ` 2023.09`, or '')."""

    name: str
    suffix: str = ""
    yy: int | None = None  # the two-digit year of a `'23` label
    year: int | None = None  # the year of a `2023.09` label
    month: int | None = None


def parse_label(label: str) -> Label:
    """Split LABEL; a label in neither form is all name."""
    label = label.strip()
    match = _YEARED.match(label)
    if match:
        return Label(match["name"], label[match.end("name") :], yy=int(match["yy"]))
    match = _DATED.match(label)
    if match:
        rest = label[match.end("name") :]
        return Label(match["name"], rest, year=int(match["year"]), month=int(match["month"]))
    match = _NAMED_YEAR.match(label)
    if match:
        return Label(match["name"], label[match.end("name") :], year=int(match["year"]))
    return Label(label)


def is_known(name: str) -> bool:
    return name in _KNOWN


def correction(name: str) -> str | None:
    """The one known venue NAME is a slip of: the same name in another case, two letters
    swapped (`EMNPL`), or, in a name of six letters or more, one letter changed, added or
    dropped (`NeurlPS`); and a venue `suggest` names too. None otherwise: an unknown
    acronym (`MILE`, `IRIS`, `SSR`) is never taken for the nearest venue."""
    folded = name.casefold()
    if folded in _BY_FOLDED:
        return _BY_FOLDED[folded]
    close = [v for f, v in _BY_FOLDED.items() if _slip(folded, f) and v in suggest(name)]
    return close[0] if len(close) == 1 else None


def _slip(name: str, venue: str) -> bool:
    if len(name) == len(venue) and sorted(name) == sorted(venue):
        return edit_distance(name, venue) == 1  # two neighbours swapped
    return len(name) >= 6 and edit_distance(name, venue) == 1


def edit_distance(a: str, b: str) -> int:
    """Edits between A and B: letters changed, added or dropped, two neighbours swapped."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def suggest(name: str) -> list[str]:
    """Known venues NAME probably means, best first: the same name in another case, or
    names difflib finds close (`NeurlPS` -> NeurIPS). Empty when nothing is close."""
    folded = name.casefold()
    if folded in _BY_FOLDED:
        return [_BY_FOLDED[folded]]
    close = difflib.get_close_matches(folded, list(_BY_FOLDED), n=3, cutoff=0.75)
    return [_BY_FOLDED[c] for c in close]


@lru_cache(maxsize=4096)  # a library names few venues, each many times
def label_for_name(venue_name: str) -> str:
    """The usual short label of a venue's long name (`NeurIPS` for "Advances in Neural
    Information Processing Systems"), else ''."""
    text = " ".join(venue_name.split()).lower()
    return next((label for pattern, label in _LONG_NAMES if pattern.search(text)), "")


_WORKSHOP = re.compile(r"(?i)\bworkshops?\b|\b(?:cvpr|iccv|eccv)w\b")


def is_workshop(venue: str) -> bool:
    """Whether a venue name is a workshop's (`CVPR Workshops`, `NeurIPS 2023 Workshop on...`)."""
    return _WORKSHOP.search(venue) is not None


def workshop_label(label: str) -> str:
    """The label of a workshop held with conference LABEL: `CVPRW`, `NeurIPS Workshop`; a
    workshop label stays as it is. Never the main conference's label."""
    if is_workshop(label):
        return label
    return f"{label}W" if is_known(f"{label}W") else f"{label} Workshop"


def venue_family(label: str) -> str:
    """`CVPR'23` -> `CVPR`; `arXiv 2023.09` -> `arXiv`; `IEEE RA-L'23` -> `IEEE RA-L`."""
    return _LABEL_YEAR.sub("", label).strip() or label.strip()


# --- preprints -----------------------------------------------------------------------


@lru_cache(maxsize=4096)  # journal and book names repeat across a library
def names_preprint_server(value: str) -> bool:
    """Whether VALUE (a journal, booktitle or venue name) mentions a preprint server."""
    folded = value.casefold()
    return any(server in folded for server in PREPRINT_SERVERS)


def is_preprint_label(label: str) -> bool:
    """Whether a venue label is a preprint server's (`arXiv 2023.09`, `bioRxiv`)."""
    return bool(_PREPRINT_LABEL.match(label.strip()))


def is_published(entry: Entry) -> bool:
    """True when any venue signal of ENTRY names something other than a preprint server,
    or its type is a publication by nature (a book, a thesis, a patent: `PUBLISHED_TYPES`).

    The signals: its journal, book or event (`CONTAINER_FIELDS`) and its venue label.
    Every other entry counts as a preprint, including one with no venue at all.
    """
    if entry.type in PUBLISHED_TYPES:
        return True
    signals = (*(entry.value(name) for name in CONTAINER_FIELDS), entry.venue_label())
    return any(s.strip() and not names_preprint_server(s) for s in signals)


def cites_preprint(entry: Entry) -> bool:
    """An arXiv paper whose record cites no published version: no journal, book or event
    but a preprint server's (its label may already name the venue)."""
    venues = (entry.get(name) for name in CONTAINER_FIELDS)
    return bool(entry.arxiv_id) and not any(
        v.strip() and not names_preprint_server(v) for v in venues
    )


# --- labels of entries ---------------------------------------------------------------


def looks_like_label(value: str) -> bool:
    """Whether VALUE reads as a short venue label (`CVPR'23`, `arXiv 2023.09`, `TPAMI
    2021`, `Science Robotics`, a slip such as `NeurlPS'23`) rather than, say, biblatex's
    `venue`, an event's location (`Aspen{\\"a}sgarden, Lerum`)."""
    shown = value.strip()
    label = parse_label(shown)
    if label.yy is not None or label.year is not None or venue_family(shown) != shown:
        return True
    return is_known(shown) or is_preprint_label(shown) or bool(suggest(shown))


def container(entry: Entry) -> str:
    """Display text of the journal, book or event ENTRY appeared in ('' if none): the
    first of `CONTAINER_FIELDS` it has (macros expanded, inherited through crossref)."""
    for name in CONTAINER_FIELDS:
        shown = latex_to_text(entry.value(name))
        if shown:
            return shown
    return ""


def derived_label(entry: Entry) -> str:
    """A label for an entry without one of its own: the catalog's short name of its
    journal, book or event with the year (`NeurIPS'23`; `NeurIPS` without a year), else
    that venue's name as written; an arXiv preprint's `arXiv YYYY.MM`; else ''."""
    inherits = "crossref" in entry.fields  # else only the fields present need a look
    values = (entry.value(n) for n in CONTAINER_FIELDS if inherits or n in entry.fields)
    names = tuple(shown for value in values if (shown := latex_to_text(value)))
    published, short = _published_name(names)
    if not published:
        in_name = next((m.group() for n in names if (m := _ARXIV_ID.search(n))), "")
        return arxiv_label(entry.arxiv_id) or arxiv_label(in_name) or (names[0] if names else "")
    if not short:
        return published
    year = entry.year
    return f"{short}'{year % 100:02d}" if year is not None else short


@lru_cache(maxsize=4096)  # a library names few venues, each many times
def _published_name(names: tuple[str, ...]) -> tuple[str, str]:
    """(the first of NAMES that is no preprint server, the catalog's short label of the
    first name it knows), each '' if none."""
    published = next((n for n in names if not names_preprint_server(n)), "")
    if not published:
        return "", ""
    return published, next((found for n in names if (found := label_for_name(n))), "")


# --- code hosts ----------------------------------------------------------------------


def is_code_host(url: str) -> bool:
    """Whether URL points to a repository host (GitHub, GitLab, ... or a GitLab of one's own)."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return host.startswith("gitlab.") or any(
        host == h or host.endswith("." + h) for h in CODE_HOSTS
    )
