"""sources.http against a real local server: retries, pacing, timeouts, error lines."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from replay import refused_url, requests_seen, services, sleeping, timed
from soralit import __version__
from soralit.errors import SourceError, UsageProblem
from soralit.sources import http

__all__ = ["services"]  # the fixture is used by name below


def test_base_url_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SORALIT_ARXIV_URL", raising=False)
    assert http.base_url("arxiv") == "https://export.arxiv.org/api/query"
    monkeypatch.setenv("SORALIT_ARXIV_URL", "http://127.0.0.1:1234/api/query/")
    assert http.base_url("arxiv") == "http://127.0.0.1:1234/api/query"


@pytest.mark.parametrize(
    ("service", "public"),
    [
        ("crossref", "https://api.crossref.org/works"),
        ("s2", "https://api.semanticscholar.org/graph/v1"),
        ("dblp", "https://dblp.org"),
    ],
)
def test_public_defaults(monkeypatch: pytest.MonkeyPatch, service: str, public: str) -> None:
    for name in ("CROSSREF", "S2", "DBLP"):
        monkeypatch.delenv(f"SORALIT_{name}_URL", raising=False)
    assert http.base_url(service) == public


def test_user_agent_names_soralit(services: HTTPServer) -> None:
    services.expect_request("/ua").respond_with_data("hi")
    assert http.get(services.url_for("/ua"), service="crossref").text == "hi"
    (request,) = requests_seen(services)
    expected = f"soralit/{__version__} (+https://github.com/soralit/soralit)"
    assert request.headers["User-Agent"] == expected


def test_503_then_success_is_retried(services: HTTPServer) -> None:
    services.expect_ordered_request("/w").respond_with_data("busy", status=503)
    services.expect_ordered_request("/w").respond_with_data("ok")
    response = http.get(services.url_for("/w"), service="crossref", params={"q": "x"})
    assert response.text == "ok"
    assert [r.args["q"] for r in requests_seen(services)] == ["x", "x"]


def test_persistent_503_gives_up_after_four_tries(services: HTTPServer) -> None:
    services.expect_request("/w").respond_with_data("busy", status=503)
    with pytest.raises(SourceError) as caught:
        http.get(services.url_for("/w"), service="crossref")
    assert str(caught.value) == "Crossref: HTTP 503 after 4 tries"
    assert len(services.log) == 4


def test_backoff_doubles(services: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORALIT_RETRY_BASE", "0.05")
    arrivals: list[float] = []
    services.expect_request("/w").respond_with_handler(
        timed(arrivals, lambda: Response("busy", status=502))
    )
    with pytest.raises(SourceError, match=r"^dblp: HTTP 502 after 4 tries$"):
        http.get(services.url_for("/w"), service="dblp")
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert len(gaps) == 3
    assert gaps[0] >= 0.05
    assert gaps[1] >= 0.1
    assert gaps[2] >= 0.2


def test_retry_after_is_honoured(services: HTTPServer) -> None:
    arrivals: list[float] = []
    answers = iter([Response("slow down", status=429, headers={"Retry-After": "1"})])
    services.expect_request("/w").respond_with_handler(
        timed(arrivals, lambda: next(answers, Response("ok")))
    )
    assert http.get(services.url_for("/w"), service="s2").text == "ok"
    assert len(arrivals) == 2
    assert arrivals[1] - arrivals[0] >= 1.0


def test_retry_after_too_long_is_a_refusal(services: HTTPServer) -> None:
    services.expect_request("/w").respond_with_data(
        "later", status=429, headers={"Retry-After": "3600"}
    )
    with pytest.raises(SourceError) as caught:
        http.get(services.url_for("/w"), service="s2")
    assert str(caught.value) == "Semantic Scholar: HTTP 429, asked to retry after 3600 s"
    assert len(services.log) == 1


def test_client_errors_are_not_retried(services: HTTPServer) -> None:
    services.expect_request("/works/x").respond_with_data("Forbidden", status=403)
    url = services.url_for("/works/x")
    with pytest.raises(SourceError) as caught:
        http.get(url, service="crossref", params={"mailto": "a@b"})
    assert str(caught.value) == f"Crossref: HTTP 403 from {url}"
    assert len(services.log) == 1


def test_accepted_status_is_returned(services: HTTPServer) -> None:
    services.expect_request("/w").respond_with_data("Resource not found.", status=404)
    response = http.get(services.url_for("/w"), service="crossref", accept=(404,))
    assert (response.status_code, response.text) == (404, "Resource not found.")


def test_refused_connection_is_one_line() -> None:
    url = refused_url("/api/query")
    with pytest.raises(SourceError) as caught:
        http.get(url, service="arxiv", params={"id_list": "2402.17177"}, timeout=2)
    assert str(caught.value) == f"arXiv: cannot connect to {url} (connection refused)"


def test_timeout_from_argument(services: HTTPServer) -> None:
    services.expect_request("/slow").respond_with_handler(sleeping(0.5, Response("late")))
    with pytest.raises(SourceError) as caught:
        http.get(services.url_for("/slow"), service="arxiv", timeout=0.1)
    assert str(caught.value) == "arXiv: no answer within 0.1 s"


def test_timeout_from_environment(services: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORALIT_TIMEOUT", "0.2")
    services.expect_request("/slow").respond_with_handler(sleeping(0.5, Response("late")))
    with pytest.raises(SourceError, match=r"^Crossref: no answer within 0\.2 s$"):
        http.get(services.url_for("/slow"), service="crossref")


def test_requests_to_arxiv_are_paced(services: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORALIT_ARXIV_DELAY", "0.3")
    arrivals: list[float] = []
    services.expect_request("/q").respond_with_handler(timed(arrivals, lambda: Response("ok")))
    for _ in range(3):
        http.get(services.url_for("/q"), service="arxiv")
    assert arrivals[1] - arrivals[0] >= 0.29
    assert arrivals[2] - arrivals[1] >= 0.29


def test_arxiv_delay_defaults_to_three_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SORALIT_ARXIV_DELAY", raising=False)
    monkeypatch.delenv("SORALIT_CROSSREF_DELAY", raising=False)
    assert http.min_interval("arxiv") == 3.0
    assert http.min_interval("crossref") == 0.0


@pytest.mark.parametrize("value", ["abc", "-1", "nan"])
def test_bad_delay_setting_is_a_usage_problem(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SORALIT_ARXIV_DELAY", value)
    with pytest.raises(UsageProblem) as caught:
        http.min_interval("arxiv")
    assert str(caught.value) == f"SORALIT_ARXIV_DELAY must be a number of seconds, not {value!r}"


def test_parsers_do_not_import_requests() -> None:
    code = (
        "import sys, soralit.ids, soralit.sources.arxiv, soralit.sources.crossref, "
        "soralit.sources.semanticscholar, soralit.sources.dblp, soralit.sources.links; "
        "print(sorted(m for m in ('requests', 'bibtexparser') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
