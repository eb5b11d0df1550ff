"""`soralit check --online` end to end, against a local server standing in for arXiv,
doi.org, GitHub and a publisher: what is broken fails, what is blocked is a note, arXiv's
throttling is retried; request counts and pacing come from the server's arrival times.
`--changed-since REF` asks only about the entries a branch added or changed.

The two arXiv entries are made by soralit itself from recorded arXiv answers (the
1605.08386 and 1707.08567 feeds, tests/fixtures/PROVENANCE.md); the third cites
0808.05394, the ID arXiv's recorded answer silently dropped.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from gitrepo import Repo
from replay import ARXIV_PATH, DOI_PATH, GITHUB_PATH, fixture_bytes, services
from soralit.bibtex import format_entry
from soralit.cli import cli
from soralit.sources.arxiv import parse_feed, record_to_entry

__all__ = ["services"]  # a fixture, used by name

MULTI = "arxiv/id_list_multi_0808.05394_1707.08567.xml"
HEAT_BATH = "arxiv/id_list_1605.08386.xml"
TAXONOMY = "@comment{soralit-taxonomy:\n## Papers\n- papers: Papers\n}\n"


def entry_text(relpath: str, key: str, **extra: str) -> str:
    (record,) = parse_feed(fixture_bytes(relpath))
    entry = record_to_entry(record, key=key)
    fields = {**entry.fields, "keywords": "papers", **extra}
    return format_entry(type(entry)(key, entry.type, fields))


def both_feeds() -> bytes:
    """The multi-ID feed with the 1605.08386 entry added (derived from two recordings)."""
    multi, heat = fixture_bytes(MULTI), fixture_bytes(HEAT_BATH)
    entry = re.search(rb"  <entry>.*?</entry>\n", heat, re.DOTALL)
    assert entry is not None
    at = multi.rindex(b"</feed>")
    return multi[:at] + entry[0] + multi[at:]


@pytest.fixture
def site(services: HTTPServer, monkeypatch) -> dict[str, list]:
    """arXiv throttles twice, then answers; doi.org knows one DOI; GitHub knows one repo;
    the publisher refuses robots; one page is gone. Every request's arrival is logged."""
    monkeypatch.setenv("SORALIT_ARXIV_DELAY", "0.2")
    monkeypatch.setenv("SORALIT_RETRY_BASE", "0.1")
    log: dict[str, list] = {"arxiv": [], "doi": [], "github": [], "web": []}
    arxiv_answers = iter(
        [
            Response("Rate exceeded.", content_type="text/plain"),
            Response("", status=429),
        ]
    )

    def arxiv(request: Request) -> Response:
        log["arxiv"].append((time.monotonic(), request.args["id_list"]))
        body = next(arxiv_answers, None)
        return body or Response(both_feeds(), content_type="application/atom+xml")

    def doi(request: Request) -> Response:
        log["doi"].append((time.monotonic(), request.path))
        if request.path.endswith("/10.1038/s42256-024-00832-8"):
            return Response("", status=302, headers={"Location": "https://www.nature.com/x"})
        return Response("", status=404)

    def github(request: Request) -> Response:
        log["github"].append((time.monotonic(), request.path))
        found = request.path.endswith("/repos/ur-whitelab/chemcrow-public")
        return Response("{}", status=200 if found else 404, content_type="application/json")

    def web(request: Request) -> Response:
        log["web"].append((time.monotonic(), request.path))
        return Response("", status=403 if request.path == "/publisher" else 404)

    services.expect_request(ARXIV_PATH).respond_with_handler(arxiv)
    services.expect_request(re.compile(f"^{DOI_PATH}/.*")).respond_with_handler(doi)
    services.expect_request(re.compile(f"^{GITHUB_PATH}/.*")).respond_with_handler(github)
    services.expect_request(re.compile("^/(publisher|moved-away)$")).respond_with_handler(web)
    return log


def library_text(services: HTTPServer) -> str:
    return "\n".join(
        [
            TAXONOMY,
            entry_text(
                HEAT_BATH,
                "stanley2016heat",
                code="https://github.com/ur-whitelab/chemcrow-public",
                doi="10.1038/s42256-024-00832-8",
            ),
            entry_text(MULTI, "chen2017proceedings", url=services.url_for("/publisher")),
            "@misc{dropped2008,\n  title = {Cited with an ID arXiv does not know},\n"
            "  year = {2008},\n  keywords = {papers},\n  eprint = {0808.05394},\n"
            "  archivePrefix = {arXiv},\n  code = {https://github.com/nobody/nothing},\n"
            f"  url = {{{services.url_for('/moved-away')}}},\n}}\n",
        ]
    )


def run(runner, path: Path, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(path), "check", "--online", *args])
    assert result.exit_code == code, result.output
    return result


def test_broken_fails_blocked_is_noted_throttling_is_retried(runner, tmp_path, services, site):
    path = tmp_path / "library.bib"
    path.write_text(library_text(services), encoding="utf-8")
    before = path.read_bytes()
    rules = ("--rule", "dead-link", "--rule", "blocked-link")
    result = run(runner, path, "--format", "lines", *rules, code=1)
    found = [line.split(": ", 2)[1:] for line in result.stdout.splitlines()]
    assert [f[0].split(" ", 1) for f in found] == [
        ["blocked-link", "chen2017proceedings"],
        ["dead-link", "dropped2008"],
        ["dead-link", "dropped2008"],
        ["dead-link", "dropped2008"],
    ]
    publisher = services.url_for("/publisher")
    assert found[0][1] == f"note: url {publisher} could not be verified: HTTP 403 (refused)"
    assert found[1][1] == "error: eprint 0808.05394 is gone: arXiv has no paper 0808.05394"
    assert found[2][1] == "error: code https://github.com/nobody/nothing is gone: HTTP 404"
    moved = services.url_for("/moved-away")
    assert found[3][1] == f"error: url {moved} is gone: HTTP 404"
    assert result.stderr.splitlines()[0] == (
        "8 links and IDs: 3 broken, 1 blocked (not verified), 4 ok"
    )
    # arXiv: one batch for the three IDs, asked three times (Rate exceeded., 429, answer),
    # each try at least the arXiv delay and the doubling backoff after the last.
    assert [ids for _, ids in site["arxiv"]] == ["1605.08386,1707.08567,0808.05394"] * 3
    times = [t for t, _ in site["arxiv"]]
    assert times[1] - times[0] >= 0.2 and times[2] - times[1] >= 0.2
    assert len(site["doi"]) == 1 and len(site["github"]) == 2
    assert sorted(p for _, p in site["web"]) == ["/moved-away", "/publisher", "/publisher"]
    assert path.read_bytes() == before


def test_changed_since_asks_only_about_what_a_branch_changed(runner, tmp_path, services, site):
    repo = Repo(tmp_path / "list")
    text = library_text(services)
    new_entry = text[text.index("@misc{dropped2008") :]
    repo.write("library.bib", text[: text.index("@misc{dropped2008")].rstrip("\n") + "\n")
    repo.commit("two papers")
    repo.write("library.bib", text)  # the pull request adds the third
    result = run(runner, repo.path / "library.bib", "--changed-since", "HEAD", code=1)
    assert result.stderr.splitlines()[:2] == [
        "1 of 3 entries added or changed since HEAD",
        "3 links and IDs: 3 broken, 0 blocked (not verified), 0 ok",
    ]
    assert [ids for _, ids in site["arxiv"]][-1] == "0808.05394"
    assert site["doi"] == [] and [p for _, p in site["web"]] == ["/moved-away"]
    assert "dropped2008" in result.stdout and "stanley2016heat" not in result.stdout
    assert new_entry.startswith("@misc{dropped2008")


def test_changed_since_needs_online(runner, library):
    result = runner.invoke(cli, ["--library", str(library), "check", "--changed-since", "HEAD"])
    assert result.exit_code == 2
    assert result.stderr == "Error: --changed-since needs --online\n"
