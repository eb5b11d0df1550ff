"""`check --online` on a machine without a network: one line, not every link dead.

The "network" is a proxy on a refused local port (HTTP_PROXY/HTTPS_PROXY, which requests
honours): every request fails to connect, as on a machine whose network is down.
"""

from __future__ import annotations

import pytest

from replay import refused_url
from soralit.cli import cli

# Links of the usual hosts; the test data is not bibliography.
LIBRARY = """\
@comment{soralit-taxonomy:
## Technology
- modeling: Modeling
}

@misc{alpha2024,
  title = {Alpha},
  author = {Ann Alpha},
  year = {2024},
  keywords = {modeling},
  url = {https://arxiv.org/abs/2402.00002},
  code = {https://github.com/example/alpha},
}

@misc{beta2024,
  title = {Beta},
  author = {Bo Beta},
  year = {2024},
  keywords = {modeling},
  url = {https://example.org/beta},
}
"""


@pytest.fixture
def offline_network(monkeypatch: pytest.MonkeyPatch) -> str:
    proxy = refused_url()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return proxy


def test_no_network_is_one_line(runner, tmp_path, offline_network):
    library = tmp_path / "library.bib"
    library.write_text(LIBRARY, encoding="utf-8")
    result = runner.invoke(cli, ["--library", str(library), "check", "--online"])
    assert result.exit_code == 1
    assert result.stdout == ""
    # The arXiv ID is asked of arXiv's API (SORALIT_ARXIV_URL), the first registry asked.
    assert result.stderr == (
        "Error: check --online: none of the 3 links and IDs could be reached (first: cannot"
        " connect to http://127.0.0.1:9 (connection refused)); is this machine offline?"
        " Nothing is reported dead; run without --online for the other checks\n"
    )
    assert library.read_text(encoding="utf-8") == LIBRARY


def test_without_online_the_network_is_not_needed(runner, tmp_path, offline_network):
    library = tmp_path / "library.bib"
    library.write_text(LIBRARY, encoding="utf-8")
    result = runner.invoke(cli, ["--library", str(library), "check"])
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("", f"0 errors, 0 warnings in {library}\n")


def test_one_link_that_cannot_be_reached_is_a_note_not_a_dead_link(runner, tmp_path):
    """Unreachable is not gone (issue 14): it is `blocked`, a note that fails nothing."""
    url = refused_url("/paper")
    library = tmp_path / "library.bib"
    one = LIBRARY.replace(LIBRARY[LIBRARY.index("@misc{alpha") : LIBRARY.index("@misc{beta")], "")
    library.write_text(one.replace("https://example.org/beta", url), encoding="utf-8")
    result = runner.invoke(cli, ["--library", str(library), "check", "--online"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{library}:11: blocked-link beta2024: note: url {url} could not be verified:"
        f" cannot connect to {url} (connection refused)\n"
    )
    assert result.stderr.endswith(f"\n0 errors, 0 warnings, 1 note in {library}\n")
