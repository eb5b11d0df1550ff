"""Link checks against a local server: live, missing, HEAD-refusing, redirected,
slow and refused URLs."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from replay import refused_url, requests_seen, services, sleeping
from soralit import __version__
from soralit.sources import http
from soralit.sources.links import LinkResult, check_link

__all__ = ["services"]  # a fixture, used by name


def check(url: str, timeout: float = 10) -> LinkResult:
    with http.make_session() as session:
        return check_link(url, session, timeout)


@pytest.fixture
def site(services: HTTPServer) -> HTTPServer:
    services.expect_request("/live").respond_with_data("<html>paper</html>")
    services.expect_request("/missing").respond_with_data("Not Found", status=404)
    for path, status in (("/no-head", 405), ("/head-forbidden", 403), ("/head-501", 501)):
        services.expect_request(path, method="HEAD").respond_with_data("", status=status)
        services.expect_request(path, method="GET").respond_with_data("<html>ok</html>")
    services.expect_request("/moved").respond_with_data(
        "", status=301, headers={"Location": services.url_for("/live")}
    )
    services.expect_request("/gone-after-redirect").respond_with_data(
        "", status=302, headers={"Location": services.url_for("/missing")}
    )
    return services


def test_live_and_missing_pages(site: HTTPServer) -> None:
    live, missing = site.url_for("/live"), site.url_for("/missing")
    assert check(live) == LinkResult(live, 200, "", ok=True)
    assert check(missing) == LinkResult(missing, 404, "", ok=False)
    # HEAD was enough: no page was downloaded.
    assert [r.method for r in requests_seen(site)] == ["HEAD", "HEAD"]
    assert requests_seen(site)[0].headers["User-Agent"].startswith(f"soralit/{__version__} ")


@pytest.mark.parametrize("path", ["/no-head", "/head-forbidden", "/head-501"])
def test_head_refused_falls_back_to_get(site: HTTPServer, path: str) -> None:
    url = site.url_for(path)
    assert check(url) == LinkResult(url, 200, "", ok=True)
    assert [r.method for r in requests_seen(site)] == ["HEAD", "GET"]


def test_redirects_are_followed(site: HTTPServer) -> None:
    moved, gone = site.url_for("/moved"), site.url_for("/gone-after-redirect")
    results = [check(moved), check(gone)]
    assert [(r.url, r.status, r.ok) for r in results] == [(moved, 200, True), (gone, 404, False)]


def test_refused_port() -> None:
    url = refused_url("/")
    result = check(url)
    assert result == LinkResult(url, None, f"cannot connect to {url} (connection refused)", False)
    assert result.describe() == f"cannot connect to {url} (connection refused)"


def test_no_answer_in_time(services: HTTPServer) -> None:
    services.expect_request("/slow").respond_with_handler(sleeping(0.3, Response("late")))
    url = services.url_for("/slow")
    result = check(url, timeout=0.1)
    assert (result.status, result.error, result.ok) == (None, "no answer within 0.1 s", False)


def test_not_a_url() -> None:
    result = check("github.com/lichao-sun/SoraReview")
    assert not result.ok and result.status is None
    assert result.error.startswith("request to github.com/lichao-sun/SoraReview failed (")
