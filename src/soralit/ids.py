"""arXiv IDs and DOIs: recognise every pasted form and normalise it.

Pure: no I/O and no network. `parse_identifier` accepts what people paste (bare IDs,
`arXiv:` and `doi:` prefixes, abs/pdf/html links, doi.org links) and returns one
`Identifier`, or raises `UsageProblem` naming the text. Syntax only: whether the paper
exists is the sources' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from soralit.errors import UsageProblem

# New style: YYMM.NNNN (2007-04 to 2014-12) or YYMM.NNNNN (since 2015-01).
_NEW = re.compile(r"(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5})(?P<version>v\d+)?")
# Old style: archive[.SUBJECT]/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136.
_OLD = re.compile(
    r"(?P<archive>[A-Za-z]+(?:-[A-Za-z]+)?)(?P<subject>\.[A-Za-z]{2})?/"
    r"(?P<yy>\d{2})(?P<mm>\d{2})\d{3}(?P<version>v\d+)?"
)
_ARXIV_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")
_ARXIV_PATH = re.compile(r"/+(?:abs|pdf|html|format)/+(?P<id>.+?)(?:\.pdf)?/*")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
# arXiv registers DOIs for its papers with DataCite; Crossref has no record of them.
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(?P<id>.+)", re.IGNORECASE)


@dataclass(frozen=True)
class Identifier:
    """A normalised paper identifier.

    `value` is the arXiv ID without version (`2402.17177`, `math.GT/0309136`) or the DOI
    without prefix; `version` is `v2`-style for a versioned arXiv ID, else ''.
    """

    kind: str  # "arxiv" | "doi"
    value: str
    version: str = ""

    def __str__(self) -> str:
        return self.value + self.version


def parse_identifier(text: str) -> Identifier:
    """The `Identifier` in `text`, or `UsageProblem("not an arXiv ID or DOI: 'text'")`."""
    found = _parse(text.strip())
    if found is None:
        raise UsageProblem(f"not an arXiv ID or DOI: {text!r}")
    return found


def arxiv_id_from_url(url: str) -> str:
    """The unversioned arXiv ID an arxiv.org abs/pdf/html link points to, else ''."""
    found = _arxiv_from_url(url.strip())
    return found.value if found else ""


# Query parameters that say where a reader came from, not what the link points to.
_TRACKING = re.compile(r"(?i)^(?:utm_\w+|ref|ref_src|source|fbclid|gclid)=")


def url_key(url: str) -> str:
    """What a link points to, one spelling per thing, to compare links: `arxiv:ID` for
    any arXiv link (versions and formats aside), `doi:DOI` for a doi.org link (lower
    case), else the URL without scheme, `www.`, fragment, trailing slash and tracking
    parameters (`?utm_source=`, `?ref=`), its path percent-decoded (`%28` is `(`)."""
    from urllib.parse import unquote

    url = url.strip()
    found = _arxiv_from_url(url) or _doi_from_url(url)
    if found is not None:
        return f"{found.kind}:{found.value.lower()}"
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    kept = [q for q in parts.query.split("&") if q and not _TRACKING.match(q)]
    query = f"?{'&'.join(kept)}" if kept else ""
    return f"{host}{unquote(parts.path).rstrip('/')}{query}"


def split_version(arxiv_id: str) -> tuple[str, str]:
    """`2402.17177v2` -> (`2402.17177`, `v2`); an unversioned ID gets ''."""
    match = re.search(r"v\d+$", arxiv_id)
    if match is None:
        return arxiv_id, ""
    return arxiv_id[: match.start()], match.group()


def _parse(text: str) -> Identifier | None:
    if not text:
        return None
    if "://" in text:
        return _arxiv_from_url(text) or _doi_from_url(text)
    prefix, _, rest = text.partition(":")
    if rest and prefix.strip().lower() == "arxiv":
        return _arxiv(rest.strip())
    if rest and prefix.strip().lower() == "doi":
        return _doi(rest.strip())
    return _arxiv(text) or _doi(text)


def _arxiv(text: str) -> Identifier | None:
    """A bare arXiv ID, checked for a plausible year, month and number length."""
    new = _NEW.fullmatch(text)
    if new:
        yymm = new["yy"] + new["mm"]
        digits = 5 if yymm >= "1501" else 4
        if len(new["num"]) != digits or not _valid_month(new["mm"]) or yymm < "0704":
            return None
        return Identifier("arxiv", f"{yymm}.{new['num']}", new["version"] or "")
    old = _OLD.fullmatch(text)
    if old and _valid_month(old["mm"]) and _old_style_year(old["yy"]):
        # Archive names are lower case; the subject class (GT, CO...) keeps its case.
        value = old["archive"].lower() + (old["subject"] or "") + text[text.index("/") :]
        return Identifier("arxiv", split_version(value)[0], old["version"] or "")
    return None


def _arxiv_from_url(url: str) -> Identifier | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in _ARXIV_HOSTS:
        return None
    match = _ARXIV_PATH.fullmatch(unquote(parts.path))
    return _arxiv(match["id"]) if match else None


def _doi(text: str) -> Identifier | None:
    if not _DOI.fullmatch(text):
        return None
    arxiv = _ARXIV_DOI.fullmatch(text)
    if arxiv:
        return _arxiv(arxiv["id"])
    return Identifier("doi", text)


def _doi_from_url(url: str) -> Identifier | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in _DOI_HOSTS:
        return None
    return _doi(unquote(parts.path.lstrip("/")))


def _valid_month(mm: str) -> bool:
    return "01" <= mm <= "12"


def _old_style_year(yy: str) -> bool:
    """Old-style IDs ran from 1991-08 to 2007-03."""
    return yy >= "91" or yy <= "07"
