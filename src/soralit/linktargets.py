"""What `check --online` asks about an entry, and how an answer is judged. Pure.

Each link or identifier of an entry becomes a `Target` of the registry that knows it best:
an arXiv ID (from `eprint`, an arxiv.org link or an arXiv DOI) is asked of arXiv's API in
batches; a DOI (the field, or a doi.org link) of doi.org; a GitHub repository link of
GitHub's API; anything else of its own host. An answer has one of three states:

- ok: it answers (2xx, or a redirect: doi.org sends every known DOI on to its publisher);
- broken: it is gone: HTTP 404 or 410, an arXiv ID arXiv does not know or withdrew;
- blocked: it could not be verified: 401/403/429 (a site that refuses robots or rate
  limits), a server error, no answer in time. Only broken links fail a check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from soralit.errors import UsageProblem
from soralit.ids import arxiv_id_from_url, parse_identifier
from soralit.model import Entry

OK, BROKEN, BLOCKED = "ok", "broken", "blocked"
GONE = frozenset({404, 410})
REFUSED = frozenset({401, 403, 429})
FIELDS = ("eprint", "doi", "url", "code")
_GITHUB_REPO = re.compile(r"^/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?(?:/.*)?$")
# Paths under github.com that are not user or organisation names.
_GITHUB_RESERVED = frozenset({"orgs", "topics", "features", "marketplace", "sponsors", "apps"})
_WITHDRAWN = re.compile(
    r"(?i)\b(?:this (?:paper|submission|article|manuscript) (?:has been|is|was) withdrawn"
    r"|withdrawn by (?:the )?(?:authors?|arxiv|moderators?))"
)


@dataclass(frozen=True, order=True)
class Target:
    kind: str  # "arxiv" | "doi" | "github" | "url"
    value: str  # arXiv ID, DOI (lower case), owner/repo, or the URL

    def __str__(self) -> str:
        return {"arxiv": "arXiv:", "doi": "doi:", "github": "github.com/"}.get(
            self.kind, ""
        ) + self.value


@dataclass(frozen=True)
class Verdict:
    state: str  # OK | BROKEN | BLOCKED
    detail: str = ""  # `HTTP 404`, `arXiv has no paper 2402.99999`, `no answer within 10 s`
    answered: bool = True  # False: no HTTP answer at all (a transport failure)


def target_of_url(url: str) -> Target:
    """The registry target a link points to: arXiv, doi.org, a GitHub repo, or itself."""
    url = url.strip()
    arxiv = arxiv_id_from_url(url)
    if arxiv:
        return Target("arxiv", arxiv)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in ("doi.org", "dx.doi.org"):
        doi = _doi(url)
        if doi:
            return doi
    if host == "github.com":
        match = _GITHUB_REPO.match(parts.path)
        if match and match[1].lower() not in _GITHUB_RESERVED:
            return Target("github", f"{match[1]}/{match[2]}")
    return Target("url", url)


def _doi(text: str) -> Target | None:
    try:
        ident = parse_identifier(text)
    except UsageProblem:
        return None
    return Target("arxiv" if ident.kind == "arxiv" else "doi", ident.value.lower())


def entry_targets(entry: Entry) -> Iterator[tuple[str, str, Target]]:
    """(field, value, target) for each link or identifier of ENTRY worth asking about."""
    from soralit.rules import link_problem

    if entry.arxiv_id and entry.get("eprint").strip():
        yield "eprint", entry.get("eprint").strip(), Target("arxiv", entry.arxiv_id)
    if entry.doi:
        doi = _doi(entry.doi)
        if doi is not None:
            yield "doi", entry.doi, doi
    for name in ("url", "code"):
        url = entry.get(name).strip()
        if url and link_problem(url) is None:  # malformed links are the lint rules' business
            yield name, url, target_of_url(url)


def judge(status: int) -> Verdict:
    """The verdict on an HTTP status (after redirects, or the redirect itself for doi.org)."""
    if status < 400:
        return Verdict(OK, f"HTTP {status}")
    if status in GONE:
        return Verdict(BROKEN, f"HTTP {status}")
    if status in REFUSED:
        reason = "rate limited" if status == 429 else "refused"
        return Verdict(BLOCKED, f"HTTP {status} ({reason})")
    return Verdict(BLOCKED, f"HTTP {status}")


def is_withdrawn(comment: str, summary: str, title: str) -> bool:
    """arXiv's notice of a withdrawn paper, in its comment, abstract or title."""
    return bool(
        _WITHDRAWN.search(comment)
        or _WITHDRAWN.search(summary[:300])
        or title.lower().startswith("withdrawn")
    )
