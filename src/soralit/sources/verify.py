"""`check --online` at list scale: each link asked of its registry, in batches, politely.

- arXiv IDs: arXiv's API, up to 100 IDs a request, `SORALIT_ARXIV_DELAY` (3 s) apart; its
  `HTTP 200 Rate exceeded.` and a 429 are retried with backoff, not read as answers.
- DOIs: a HEAD request to doi.org each, not followed to the publisher (doi.org redirects
  every DOI it knows and answers 404 for the others), `SORALIT_DOI_DELAY` (0.5 s) apart.
- GitHub repositories: one API request each, `SORALIT_GITHUB_DELAY` (1 s) apart, with
  `GITHUB_TOKEN` when set; once GitHub says the rate limit is spent, the rest are blocked
  without asking.
- Any other link: HEAD, or GET where HEAD is refused, `SORALIT_LINK_DELAY` (1 s) apart per
  host, several hosts at a time.

The four registries are asked side by side. Verdicts are judged by `linktargets`; nothing
raises for a bad link, and only a run of several links in which no host answered at all
raises `SourceError` (the machine is offline: no link can be judged).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from soralit.errors import MissingRecord, SourceError
from soralit.linktargets import BLOCKED, BROKEN, OK, Target, Verdict, is_withdrawn, judge
from soralit.sources import http

if TYPE_CHECKING:
    import requests

Progress = Callable[[int], None]
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def verify(
    targets: Iterable[Target], *, timeout: float | None = None, on_done: Progress | None = None
) -> dict[Target, Verdict]:
    """A verdict for each distinct target. ON_DONE(n) is called as targets are judged."""
    wanted = list(dict.fromkeys(targets))  # in file order, each once
    groups: dict[str, list[str]] = {}
    for target in wanted:
        groups.setdefault(target.kind, []).append(target.value)
    checkers = {"arxiv": verify_arxiv, "doi": verify_dois, "github": verify_repos}
    results: dict[Target, Verdict] = {}

    def run(kind: str) -> dict[str, Verdict]:
        found = checkers.get(kind, verify_urls)(groups[kind], timeout)
        if on_done is not None:
            on_done(len(found))
        return found

    with ThreadPoolExecutor(max_workers=max(1, len(groups))) as pool:
        for kind, found in zip(groups, pool.map(run, groups), strict=True):
            results.update({Target(kind, value): v for value, v in found.items()})
    if len(results) > 1 and not any(v.answered for v in results.values()):
        first = next(iter(results.values())).detail
        raise SourceError(
            f"check --online: none of the {len(results)} links and IDs could be reached "
            f"(first: {first}); is this machine offline? Nothing is reported dead; run "
            "without --online for the other checks"
        )
    return results


def verify_arxiv(ids: list[str], timeout: float | None = None) -> dict[str, Verdict]:
    """arXiv IDs, 100 a request: ok, broken (unknown or withdrawn) or blocked."""
    from soralit.sources import arxiv

    results: dict[str, Verdict] = {}
    for start in range(0, len(ids), arxiv.BATCH_SIZE):
        batch = ids[start : start + arxiv.BATCH_SIZE]
        try:
            records = arxiv.fetch_arxiv(batch)
        except SourceError as exc:  # the whole request failed: nothing known of the batch
            results.update(dict.fromkeys(batch, Verdict(BLOCKED, _after(exc), _answered(exc))))
            continue
        for arxiv_id, record in records.items():
            results[arxiv_id] = _arxiv_verdict(record)
    return results


def _arxiv_verdict(record: object) -> Verdict:
    from soralit.sources.arxiv import ArxivQueryError, ArxivRecord

    if isinstance(record, ArxivRecord):
        if is_withdrawn(record.comment, record.summary, record.title):
            return Verdict(BROKEN, f"withdrawn from arXiv ({record.comment or record.summary})")
        return Verdict(OK)
    if isinstance(record, (MissingRecord, ArxivQueryError)):
        return Verdict(BROKEN, _after(record))
    return Verdict(BLOCKED, _after(record) if isinstance(record, Exception) else str(record))


def verify_dois(dois: list[str], timeout: float | None = None) -> dict[str, Verdict]:
    """DOIs, one HEAD request each to doi.org, not followed."""
    base = http.base_url("doi")
    results = {}
    for doi in dois:
        url = f"{base}/{quote(doi, safe='/:;()<>[]')}"
        results[doi] = _ask("HEAD", url, "doi", timeout)
    return results


def verify_repos(repos: list[str], timeout: float | None = None) -> dict[str, Verdict]:
    """GitHub repositories (owner/name), one API request each, until the limit is spent."""
    base = http.base_url("github")
    headers = {"Accept": "application/vnd.github+json"}
    token = os.environ.get("GITHUB_TOKEN", "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    results: dict[str, Verdict] = {}
    spent = ""
    for repo in repos:
        if spent:
            results[repo] = Verdict(BLOCKED, spent)
            continue
        url = f"{base}/repos/{quote(repo, safe='/')}"
        verdict, response = _asked("GET", url, "github", timeout, headers=headers)
        if response is not None and _limit_spent(response):
            spent = "GitHub's API rate limit is spent; set GITHUB_TOKEN for a higher one"
            verdict = Verdict(BLOCKED, spent)
        results[repo] = verdict
    return results


def _limit_spent(response: requests.Response) -> bool:
    return response.status_code in (403, 429) and (
        response.headers.get("x-ratelimit-remaining") == "0" or response.status_code == 429
    )


def verify_urls(urls: list[str], timeout: float | None = None) -> dict[str, Verdict]:
    """Other links: one worker per host (4 hosts at a time), each host paced."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(urlsplit(url).netloc.lower(), []).append(url)

    def host_run(host_urls: list[str]) -> dict[str, Verdict]:
        return {url: _link_verdict(url, timeout) for url in host_urls}

    results: dict[str, Verdict] = {}
    with ThreadPoolExecutor(max_workers=4) as pool:
        for found in pool.map(host_run, by_host.values()):
            results.update(found)
    return results


def _link_verdict(url: str, timeout: float | None) -> Verdict:
    """HEAD, then GET where HEAD is refused or fails (`links.check_link`), paced per host."""
    from soralit.sources import links

    timeout = http.default_timeout() if timeout is None else timeout
    http.wait_for_turn(url, http.link_interval())
    try:
        result = links.check_link(url, http.shared_session(), timeout)
    finally:
        http.finished(url)
    if result.status is None:
        return Verdict(BLOCKED, result.error, answered=False)
    return judge(result.status)


def _ask(method: str, url: str, service: str, timeout: float | None) -> Verdict:
    return _asked(method, url, service, timeout)[0]


def _asked(
    method: str,
    url: str,
    service: str,
    timeout: float | None,
    headers: dict[str, str] | None = None,
) -> tuple[Verdict, requests.Response | None]:
    """(verdict, response) of one paced request; 429 and 5xx are retried by `http`."""
    accept = set(range(300, 500)) - {429}
    try:
        response = http.request(
            method, url, service=service, timeout=timeout, accept=accept,
            headers=headers, allow_redirects=service != "doi",
        )  # fmt: skip
    except SourceError as exc:
        return Verdict(BLOCKED, _after(exc), _answered(exc)), None
    verdict = judge(response.status_code)
    if service == "doi" and response.status_code in REDIRECTS:
        verdict = Verdict(OK, f"HTTP {response.status_code}")
    return verdict, response


def _after(exc: Exception) -> str:
    """The cause, without the service name `http` puts first (the finding names it)."""
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


def _answered(exc: Exception) -> bool:
    """Whether the service answered at all (an HTTP status, a body) before failing."""
    return "cannot connect" not in str(exc) and "no answer within" not in str(exc)


__all__ = ["BLOCKED", "BROKEN", "OK", "verify"]
