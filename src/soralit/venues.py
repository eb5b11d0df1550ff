"""Venue labels: the known venues, reading a label, and did-you-mean for a misspelt one.

Pure. A label is the short venue text shown in the list: `CVPR'23`, `IEEE RA-L'23`,
`arXiv 2023.09`, `bioRxiv 2023.11`, `NeurIPS 2023`. `KNOWN_VENUES` is the shipped list of
names a label may start with; extend it here when the list cites a venue it lacks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

KNOWN_VENUES: tuple[str, ...] = (
    # Machine learning
    "NeurIPS", "NIPS", "NeurIPS Workshop", "ICML", "ICML Workshop", "ICLR", "ICLR Workshop",
    "AISTATS", "UAI", "COLT", "JMLR", "TMLR", "MLSys", "CoLLAs", "LoG",
    # Artificial intelligence
    "AAAI", "IJCAI", "AAMAS", "ECAI", "AIJ", "JAIR",
    # Vision and graphics
    "CVPR", "CVPRW", "ICCV", "ICCVW", "ECCV", "ECCVW", "WACV", "BMVC", "ACCV", "3DV",
    "ICPR", "ICIP", "IJCV", "TPAMI", "IEEE TPAMI", "TIP", "IEEE TIP", "TCSVT", "IEEE TCSVT",
    "TVCG", "IEEE TVCG", "TOG", "ACM TOG", "SIGGRAPH", "SIGGRAPH Asia", "Eurographics",
    "Pattern Recognition", "Neurocomputing", "Information Fusion",
    # Language and speech
    "ACL", "EMNLP", "NAACL", "EACL", "AACL", "COLING", "TACL", "CoNLL", "COLM", "LREC",
    "Findings of ACL", "Findings of EMNLP", "ICASSP", "Interspeech", "ISMIR",
    # Multimedia, web, data and people
    "ACM MM", "ACM Multimedia", "TMM", "IEEE TMM", "TOMM", "ACM TOMM", "ICME",
    "KDD", "WWW", "SIGIR", "WSDM", "CIKM", "RecSys", "ICDM", "SDM", "ICDE", "VLDB", "SIGMOD",
    "TKDE", "IEEE TKDE", "TNNLS", "IEEE TNNLS", "CHI", "UIST", "CSCW", "IUI",
    "ACM Computing Surveys", "CSUR", "Communications of the ACM",
    # Robotics
    "CoRL", "RSS", "IROS", "ICRA", "RA-L", "IEEE RA-L", "T-RO", "IEEE T-RO", "IJRR",
    "Science Robotics", "Humanoids", "HRI",
    # Medicine and science
    "MICCAI", "PRIME", "MIDL", "ISBI", "Medical Image Analysis", "TMI", "IEEE TMI",
    "Nature", "Science", "PNAS", "Nature Machine Intelligence", "Nature Communications",
    "Nature Medicine", "Nature Methods", "Scientific Reports",
    # Security
    "USENIX Security", "CCS", "ACM CCS", "S&P", "IEEE S&P", "NDSS",
    # Preprint servers (labelled `NAME YYYY.MM`)
    "arXiv", "bioRxiv", "medRxiv", "ChemRxiv", "TechRxiv", "SSRN",
)  # fmt: skip

# `NAME'YY` (a typographic ’ also reads), or a preprint server's `NAME YYYY.MM`.
_YEARED = re.compile(r"^(?P<name>.+?)\s*['’](?P<yy>\d{2})$")
_DATED = re.compile(r"^(?P<name>\S+)\s+(?P<year>\d{4})\.(?P<month>\d{2})$")
# `NeurIPS 2023`, `ICML, 2025`, `EMNLP 2024 Findings`: a name, then its year.
_NAMED_YEAR = re.compile(r"^(?P<name>\D+?),?\s+(?P<year>(?:19|20)\d{2})(?:\s+[A-Za-z]+){0,2}$")
_BY_FOLDED = {v.casefold(): v for v in KNOWN_VENUES}
_KNOWN = frozenset(KNOWN_VENUES)


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
