"""`check --online` at list scale against a local server: arXiv in batches of 100, doi.org
HEADs, GitHub's API, other hosts; answers of 403, 404, 429 and arXiv's `Rate exceeded.`;
the states, the number of requests and the pacing, read from when requests arrived.

arXiv answers are recorded feeds (tests/fixtures/arxiv, PROVENANCE.md). Two are derived
here from recorded ones, as the provenance file says: a feed holding the entries of two
recorded feeds, and 1605.08386's entry with a withdrawal notice as its comment.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from replay import ARXIV_PATH, DOI_PATH, GITHUB_PATH, fixture_bytes, refused_url, services
from soralit.errors import SourceError
from soralit.linktargets import BLOCKED, BROKEN, OK, Target, Verdict, target_of_url
from soralit.sources import verify

__all__ = ["services"]  # a fixture, used by name

MULTI = "arxiv/id_list_multi_0808.05394_1707.08567.xml"  # 1707.08567 found, 0808.05394 dropped
HEAT_BATH = "arxiv/id_list_1605.08386.xml"
EMPTY = "arxiv/empty_result_0000.0000.xml"
WITHDRAWAL = "This paper has been withdrawn by the authors"


def entries_of(relpath: str) -> bytes:
    return b"".join(re.findall(rb"  <entry>.*?</entry>\n", fixture_bytes(relpath), re.DOTALL))


def feed(*entries: bytes) -> bytes:
    """The recorded multi-ID feed's envelope around ENTRIES (derived, see the docstring)."""
    envelope = fixture_bytes(MULTI)
    start, end = envelope.index(b"  <entry>"), envelope.rindex(b"</entry>\n") + 9
    return envelope[:start] + b"".join(entries) + envelope[end:]


def withdrawn_heat_bath() -> bytes:
    return entries_of(HEAT_BATH).replace(
        b"<arxiv:comment>20 pages, 3 figures</arxiv:comment>",
        f"<arxiv:comment>{WITHDRAWAL}</arxiv:comment>".encode(),
    )


def atom(body: bytes, status: int = 200) -> Response:
    return Response(body, status=status, content_type="application/atom+xml; charset=UTF-8")


def recording(log: list[tuple[float, Request]], answer: Callable[[Request], Response]):  # type: ignore[no-untyped-def]
    """A handler that notes when each request arrived, then answers."""

    def handler(request: Request) -> Response:
        log.append((time.monotonic(), request))
        return answer(request)

    return handler


def gaps(log: list[tuple[float, Request]]) -> list[float]:
    times = [t for t, _ in log]
    return [b - a for a, b in itertools.pairwise(times)]


# --- arXiv ---------------------------------------------------------------------------------


def test_arxiv_ok_unknown_and_withdrawn_in_one_request(services: HTTPServer):
    log: list = []
    answer = feed(entries_of(MULTI), withdrawn_heat_bath())
    services.expect_request(ARXIV_PATH).respond_with_handler(recording(log, lambda r: atom(answer)))
    found = verify.verify_arxiv(["1707.08567", "0808.05394", "1605.08386"])
    assert found["1707.08567"] == Verdict(OK)
    assert found["0808.05394"] == Verdict(BROKEN, "arXiv has no paper 0808.05394")
    assert found["1605.08386"] == Verdict(BROKEN, f"withdrawn from arXiv ({WITHDRAWAL})")
    assert len(log) == 1
    assert log[0][1].args["id_list"] == "1707.08567,0808.05394,1605.08386"


def test_arxiv_250_ids_take_three_requests_paced(services: HTTPServer, monkeypatch):
    monkeypatch.setenv("SORALIT_ARXIV_DELAY", "0.25")
    log: list = []
    services.expect_request(ARXIV_PATH).respond_with_handler(
        recording(log, lambda r: atom(fixture_bytes(EMPTY)))
    )
    ids = [f"2401.{n:05d}" for n in range(250)]
    found = verify.verify_arxiv(ids)
    assert [len(r.args["id_list"].split(",")) for _, r in log] == [100, 100, 50]
    assert min(gaps(log)) >= 0.25  # the configured delay, between arrivals
    assert {v.state for v in found.values()} == {BROKEN}
    assert len(found) == 250


def test_arxiv_rate_exceeded_and_a_bare_429_are_retried_not_read(services: HTTPServer, monkeypatch):
    monkeypatch.setenv("SORALIT_RETRY_BASE", "0.2")
    log: list = []
    answers = iter(
        [
            Response("Rate exceeded.", status=200, content_type="text/plain"),
            Response("", status=429),  # no Retry-After: our own backoff
            atom(fixture_bytes(MULTI)),
        ]
    )
    services.expect_request(ARXIV_PATH).respond_with_handler(
        recording(log, lambda r: next(answers))
    )
    found = verify.verify_arxiv(["1707.08567"])
    assert found == {"1707.08567": Verdict(OK)}
    assert len(log) == 3
    first, second = gaps(log)
    assert first >= 0.2 and second >= 0.4  # backoff doubles


def test_arxiv_that_keeps_refusing_leaves_the_batch_blocked(services: HTTPServer):
    log: list = []
    services.expect_request(ARXIV_PATH).respond_with_handler(
        recording(log, lambda r: Response("Rate exceeded.", content_type="text/plain"))
    )
    found = verify.verify_arxiv(["1707.08567", "1605.08386"])
    assert found == dict.fromkeys(
        ["1707.08567", "1605.08386"], Verdict(BLOCKED, "'Rate exceeded.' after 4 tries")
    )
    assert len(log) == 4


# --- doi.org -------------------------------------------------------------------------------


def test_doi_redirect_is_ok_404_is_broken_and_nothing_is_followed(services: HTTPServer):
    log: list = []
    publisher = services.url_for("/publisher/article")

    def answer(request: Request) -> Response:
        if request.path.endswith("10.1145/3581783.3612667"):
            return Response("", status=302, headers={"Location": publisher})
        return Response("", status=404)

    services.expect_request(re.compile(f"^{DOI_PATH}/.*")).respond_with_handler(
        recording(log, answer)
    )
    found = verify.verify_dois(["10.1145/3581783.3612667", "10.9999/no-such-doi"])
    assert found == {
        "10.1145/3581783.3612667": Verdict(OK, "HTTP 302"),
        "10.9999/no-such-doi": Verdict(BROKEN, "HTTP 404"),
    }
    assert [r.method for _, r in log] == ["HEAD", "HEAD"]  # the publisher was never asked


def test_doi_requests_keep_their_pace(services: HTTPServer, monkeypatch):
    monkeypatch.setenv("SORALIT_DOI_DELAY", "0.2")
    log: list = []
    services.expect_request(re.compile(f"^{DOI_PATH}/.*")).respond_with_handler(
        recording(log, lambda r: Response("", status=302, headers={"Location": "https://x.org"}))
    )
    verify.verify_dois([f"10.1000/{n}" for n in range(4)])
    assert len(log) == 4 and min(gaps(log)) >= 0.2


# --- GitHub --------------------------------------------------------------------------------


def test_github_repos_and_a_spent_rate_limit(services: HTTPServer, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    log: list = []

    def answer(request: Request) -> Response:
        name = request.path.removeprefix(f"{GITHUB_PATH}/repos/")
        if name == "owner/live":
            return Response("{}", content_type="application/json")
        if name == "owner/gone":
            return Response("{}", status=404, content_type="application/json")
        return Response("", status=403, headers={"x-ratelimit-remaining": "0"})

    services.expect_request(re.compile(f"^{GITHUB_PATH}/repos/.*")).respond_with_handler(
        recording(log, answer)
    )
    found = verify.verify_repos(["owner/gone", "owner/live", "owner/limit", "owner/later"])
    spent = "GitHub's API rate limit is spent; set GITHUB_TOKEN for a higher one"
    assert found == {
        "owner/gone": Verdict(BROKEN, "HTTP 404"),
        "owner/live": Verdict(OK, "HTTP 200"),
        "owner/limit": Verdict(BLOCKED, spent),
        "owner/later": Verdict(BLOCKED, spent),
    }
    assert len(log) == 3  # nothing asked once the limit was spent
    assert {r.headers["Authorization"] for _, r in log} == {"Bearer test-token"}


# --- other hosts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, Verdict(OK, "HTTP 200")),
        (404, Verdict(BROKEN, "HTTP 404")),
        (410, Verdict(BROKEN, "HTTP 410")),
        (401, Verdict(BLOCKED, "HTTP 401 (refused)")),
        (403, Verdict(BLOCKED, "HTTP 403 (refused)")),
        (429, Verdict(BLOCKED, "HTTP 429 (rate limited)")),
        (503, Verdict(BLOCKED, "HTTP 503")),
    ],
)
def test_a_publisher_page_by_status(services: HTTPServer, status: int, verdict: Verdict):
    services.expect_request("/paper").respond_with_data("", status=status)
    assert verify.verify_urls([services.url_for("/paper")]) == {services.url_for("/paper"): verdict}
    # 403 on HEAD is asked again with GET (some servers refuse HEAD only); 429 is not retried.
    assert len(services.log) == (2 if status == 403 else 1)


def test_one_host_is_paced_others_go_alongside(services: HTTPServer, monkeypatch):
    monkeypatch.setenv("SORALIT_LINK_DELAY", "0.2")
    log: list = []
    services.expect_request(re.compile("^/page/.*")).respond_with_handler(
        recording(log, lambda r: Response("ok"))
    )
    urls = [services.url_for(f"/page/{n}") for n in range(3)]
    verify.verify_urls(urls)
    assert len(log) == 3 and min(gaps(log)) >= 0.2


# --- the whole run -----------------------------------------------------------------------


def test_verify_asks_each_registry_once_per_target(services: HTTPServer):
    services.expect_request(ARXIV_PATH).respond_with_handler(lambda r: atom(fixture_bytes(MULTI)))
    services.expect_request(re.compile(f"^{DOI_PATH}/.*")).respond_with_data("", status=404)
    services.expect_request(re.compile(f"^{GITHUB_PATH}/.*")).respond_with_data("{}")
    targets = [
        target_of_url("https://arxiv.org/abs/1707.08567v2"),
        Target("arxiv", "1707.08567"),
        target_of_url("https://doi.org/10.1145/3581783.3612667"),
        target_of_url("https://github.com/lichao-sun/SoraReview/tree/main"),
    ]
    found = verify.verify(targets)
    assert found == {
        Target("arxiv", "1707.08567"): Verdict(OK),
        Target("doi", "10.1145/3581783.3612667"): Verdict(BROKEN, "HTTP 404"),
        Target("github", "lichao-sun/SoraReview"): Verdict(OK, "HTTP 200"),
    }
    assert sorted(r.path.split("/")[1] for r, _ in services.log) == ["api", "doi", "github"]


def test_no_network_at_all_is_one_error_not_every_link_dead(monkeypatch):
    for name in ("ARXIV", "DOI", "GITHUB"):
        monkeypatch.setenv(f"SORALIT_{name}_URL", refused_url("/"))
    targets = [Target("arxiv", "1707.08567"), Target("url", refused_url("/paper"))]
    with pytest.raises(SourceError) as raised:
        verify.verify(targets)
    message = str(raised.value)
    assert message.startswith("check --online: none of the 2 links and IDs could be reached (")
    assert message.endswith(
        "); is this machine offline? Nothing is reported dead; run without --online for the"
        " other checks"
    )
    assert "\n" not in message


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://arxiv.org/pdf/2402.17177v1.pdf", Target("arxiv", "2402.17177")),
        ("https://doi.org/10.1145/3560815", Target("doi", "10.1145/3560815")),
        ("https://doi.org/10.48550/arXiv.2312.07559", Target("arxiv", "2312.07559")),
        (
            "https://github.com/google-research/scenic/tree/main/x",
            Target("github", "google-research/scenic"),
        ),
        ("https://github.com/Vchitect/LaVie.git", Target("github", "Vchitect/LaVie")),
        (
            "https://github.com/topics/diffusion",
            Target("url", "https://github.com/topics/diffusion"),
        ),
        ("https://openreview.net/forum?id=x", Target("url", "https://openreview.net/forum?id=x")),
    ],
)
def test_each_link_goes_to_its_registry(url: str, target: Target):
    assert target_of_url(url) == target
