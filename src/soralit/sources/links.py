"""One link, checked for `soralit check --online`: does the URL still answer?

The only I/O is here and in `sources.http`; the batching and pacing across a list are
`sources.verify`'s. A URL is asked with HEAD first; when HEAD is refused (403, 405, 501,
which many sites send to HEAD only) or fails, with GET, without downloading the body.
Nothing raises for a dead link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import requests

# Statuses some servers give HEAD while GET works.
HEAD_REFUSED = frozenset({403, 405, 501})


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None  # the final HTTP status after redirects; None without an answer
    error: str  # one line when there was no answer, else ''
    ok: bool

    def describe(self) -> str:
        """`HTTP 404`, or the error line."""
        return self.error or f"HTTP {self.status}"


def check_link(url: str, session: requests.Session, timeout: float) -> LinkResult:
    """HEAD, then GET if HEAD is refused or fails."""
    import requests

    from soralit.sources import http

    try:
        response = session.head(url, timeout=timeout, allow_redirects=True)
        if response.status_code not in HEAD_REFUSED:
            return _answered(url, response.status_code)
    except requests.RequestException:
        pass  # some servers drop HEAD requests: GET decides
    try:
        with session.get(url, timeout=timeout, allow_redirects=True, stream=True) as response:
            return _answered(url, response.status_code)
    except requests.RequestException as exc:
        return LinkResult(url, None, http.describe_failure(exc, url, timeout), ok=False)


def _answered(url: str, status: int) -> LinkResult:
    return LinkResult(url, status, "", ok=status < 400)
