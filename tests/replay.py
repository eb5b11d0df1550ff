"""Test helpers: a real HTTP server on 127.0.0.1 replaying recorded response bodies.

Bodies come byte for byte from `tests/fixtures/<service>/` (see PROVENANCE.md there).
The `services` fixture points every `SORALIT_*_URL` at pytest-httpserver and turns off
pacing and backoff sleeps, so the sources run exactly as in production, only locally.
Test modules import it with `from replay import services`.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures"

# Base paths on the local server, mirroring the public services' own paths.
ARXIV_PATH = "/api/query"
CROSSREF_PATH = "/works"
S2_PATH = "/graph/v1"
DBLP_PATH = "/dblp"
DOI_PATH = "/doi"
GITHUB_PATH = "/github"

CONTENT_TYPES = {
    ".xml": "application/atom+xml; charset=UTF-8",
    ".json": "application/json",
    ".txt": "text/plain",
    ".bib": "application/x-bibtex; charset=utf-8",
}


def fixture_bytes(relpath: str) -> bytes:
    """A recorded body, e.g. `fixture_bytes("arxiv/id_list_1605.08386.xml")`."""
    return (FIXTURES / relpath).read_bytes()


def fixture_paths(folder: str, pattern: str = "*") -> list[Path]:
    return sorted((FIXTURES / folder).glob(pattern))


def recorded(relpath: str, status: int = 200) -> Response:
    """A response carrying the recorded body, with the content type of its kind."""
    body = fixture_bytes(relpath)
    return Response(body, status=status, content_type=CONTENT_TYPES[Path(relpath).suffix])


def json_response(value: object, status: int = 200) -> Response:
    return Response(json.dumps(value), status=status, content_type="application/json")


@pytest.fixture
def services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[HTTPServer]:
    """The local server, with soralit's sources pointed at it and no sleeping."""
    monkeypatch.setenv("SORALIT_ARXIV_URL", httpserver.url_for(ARXIV_PATH))
    monkeypatch.setenv("SORALIT_CROSSREF_URL", httpserver.url_for(CROSSREF_PATH))
    monkeypatch.setenv("SORALIT_S2_URL", httpserver.url_for(S2_PATH))
    monkeypatch.setenv("SORALIT_DBLP_URL", httpserver.url_for(DBLP_PATH))
    monkeypatch.setenv("SORALIT_DOI_URL", httpserver.url_for(DOI_PATH))
    monkeypatch.setenv("SORALIT_GITHUB_URL", httpserver.url_for(GITHUB_PATH))
    for service in ("ARXIV", "CROSSREF", "S2", "DBLP", "DOI", "GITHUB", "LINK"):
        monkeypatch.setenv(f"SORALIT_{service}_DELAY", "0")
    monkeypatch.setenv("SORALIT_RETRY_BASE", "0")
    monkeypatch.setenv("SORALIT_TIMEOUT", "5")
    yield httpserver
    wait_until_idle(httpserver)
    httpserver.clear()


def wait_until_idle(server: HTTPServer) -> None:
    """Return once the server has answered everything already sent to it.

    The server handles one request at a time: a slow handler of a finished test may
    still hold it, and its late log lines must not leak into the next test.
    """
    server.expect_request("/__idle__").respond_with_data("")
    requests.get(server.url_for("/__idle__"), timeout=10)


def refused_url(path: str = "/") -> str:
    """A URL on a 127.0.0.1 port that nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def sleeping(seconds: float, then: Response) -> Callable[[Request], Response]:
    """A handler that answers only after `seconds` (to provoke client timeouts)."""

    def handler(_request: Request) -> Response:
        time.sleep(seconds)
        return then

    return handler


def timed(log: list[float], then: Callable[[], Response]) -> Callable[[Request], Response]:
    """A handler that notes when each request arrived (to measure pacing)."""

    def handler(_request: Request) -> Response:
        log.append(time.monotonic())
        return then()

    return handler


def requests_seen(server: HTTPServer) -> list[Request]:
    return [request for request, _response in server.log]
