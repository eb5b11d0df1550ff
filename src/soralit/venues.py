"""Venue labels: the known venues, reading a label, and did-you-mean for a misspelt one.

Pure. A label is the short venue text shown in the list: `CVPR'23`, `IEEE RA-L'23`,
`arXiv 2023.09`, `bioRxiv 2023.11`. `KNOWN_VENUES` is the shipped list of names a label
may start with; extend it here when the list cites a venue it lacks.
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

# Long venue names (matched in lower case) -> the short labels curated lists use
# (Semantic Scholar's and dblp's names, arXiv's journal_ref and comments).
# Order matters: the more specific patterns come first.
VENUE_LABELS: tuple[tuple[str, str], ...] = (
    (r"neural information processing systems|\bneurips\b|\bnips\b", "NeurIPS"),
    (r"international conference on machine learning|\bicml\b", "ICML"),
    (r"international conference on learning representations|\biclr\b", "ICLR"),
    (r"winter conference on applications of computer vision|\bwacv\b", "WACV"),
    (r"\bcvprw\b", "CVPRW"),
    (r"\biccvw\b", "ICCVW"),
    (r"\beccvw\b", "ECCVW"),
    (r"computer vision and pattern recognition|\bcvpr\b", "CVPR"),
    (r"european conference on computer vision|\beccv\b", "ECCV"),
    (r"international conference on computer vision|\biccv\b", "ICCV"),
    (r"\baaai\b", "AAAI"),
    (r"international joint conference on artificial intelligence|\bijcai\b", "IJCAI"),
    (r"empirical methods in natural language processing|\bemnlp\b", "EMNLP"),
    (r"north american chapter of the association for computational|\bnaacl\b", "NAACL"),
    (r"annual meeting of the association for computational linguistics|^acl\b", "ACL"),
    (r"transactions on machine learning research|trans\. mach\. learn\. res|\btmlr\b", "TMLR"),
    (r"journal of machine learning research|\bjmlr\b", "JMLR"),
    (r"transactions on pattern analysis and machine intelligence|\btpami\b", "TPAMI"),
    (r"transactions on visualization and computer graphics|\btvcg\b", "TVCG"),
    (r"conference on robot learning|\bcorl\b", "CoRL"),
    (r"intelligent robots and systems|\biros\b", "IROS"),
    (r"international conference on robotics and automation|\bicra\b", "ICRA"),
    (r"medical image computing and computer.assisted intervention|\bmiccai\b", "MICCAI"),
    (r"acm international conference on multimedia|^acm multimedia$", "ACM Multimedia"),
    (r"knowledge discovery and data mining|\bkdd\b", "KDD"),
)


_WORKSHOP = re.compile(r"(?i)\bworkshops?\b|\b(?:cvpr|iccv|eccv)w\b")


def venue_acronym(venue: str) -> str:
    """The usual short name of a well-known venue (`NeurIPS`), else ''."""
    text = " ".join(venue.split()).lower()
    return next((label for pattern, label in VENUE_LABELS if re.search(pattern, text)), "")


def is_workshop(venue: str) -> bool:
    """Whether a venue name is a workshop's (`CVPR Workshops`, `NeurIPS 2023 Workshop on...`)."""
    return _WORKSHOP.search(venue) is not None


def workshop_label(acronym: str) -> str:
    """The label of a workshop held with conference ACRONYM: `CVPRW`, `NeurIPS Workshop`."""
    return f"{acronym}W" if is_known(f"{acronym}W") else f"{acronym} Workshop"


# `NAME'YY` (a typographic ’ also reads), or a preprint server's `NAME YYYY.MM`.
_YEARED = re.compile(r"^(?P<name>.+?)\s*['’](?P<yy>\d{2})$")
_DATED = re.compile(r"^(?P<name>\S+)\s+(?P<year>\d{4})\.(?P<month>\d{2})$")
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
    return Label(label)


def is_known(name: str) -> bool:
    return name in _KNOWN


def suggest(name: str) -> list[str]:
    """Known venues NAME probably means, best first: the same name in another case, or
    names difflib finds close (`NeurlPS` -> NeurIPS). Empty when nothing is close."""
    folded = name.casefold()
    if folded in _BY_FOLDED:
        return [_BY_FOLDED[folded]]
    close = difflib.get_close_matches(folded, list(_BY_FOLDED), n=3, cutoff=0.75)
    return [_BY_FOLDED[c] for c in close]
