"""`soralit check`: what a user sees (lines, table, JSON, summary, exit code), `--fix`
editing only the fixed lines, and `--online` against a local server."""

import json
import re

import pytest
from pytest_httpserver import HTTPServer

from replay import refused_url
from soralit import storage
from soralit.cli import cli
from soralit.commands.check_cmd import HELP

# Test data, not bibliography: the titles, names and DOIs are made up.
BAD = """\
@comment{soralit-taxonomy:
title: A Bad List
citation: self2024list
## Technology
- modeling: Modeling
- robotics: Robotics
}

@misc{self2024list,
  title = {A Bad List},
  author = {Ada Self},
  year = {2024},
}

@inproceedings{alpha2023,
  title = {Alpha Instruction Tuning},
  author = {Ada Alpha},
  year = {2023},
  keywords = {modeling},
  listvenue = {NeurlPS'23},
  url = {https://example.org/alpha},
  eprint = {2304.00001},
}

% source: test data
@inproceedings{beta2023,
  title = {Beta n‚ÄôPack: Models},
  author = {Bo Beta},
  year = {2023},
  keywords = {modeling},
  listvenue = {NeurIPS'23},
}

@misc{gamma2023,
  title = {A Survey of Gammas},
  author = {Gil Gamma},
  year = {2023},
  keywords = {robotics},
  url = {link-to-paper},
  doi = {10.1234/test-dup},
}

@article{delta2023,
  title = {Delta Predicts},
  author = {Dee Delta},
  year = {2023},
  keywords = {modeling},
  doi = {10.1234/TEST-dup},
}
"""


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "library.bib"
    path.write_text(BAD, encoding="utf-8")
    return path


def run(runner, library, *args, code=0):
    result = runner.invoke(cli, ["--library", str(library), "check", *args])
    assert result.exit_code == code, result.output
    return result


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    import difflib

    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [(d[0], d[2:]) for d in diff if d[0] in "+-"]


def test_piped_output_is_one_line_per_finding_and_errors_exit_1(runner, bad):
    result = run(runner, bad, code=1)
    assert result.stdout == (
        f"{bad}:20: unknown-venue alpha2023: warning: unknown venue NeurlPS in NeurlPS'23;"
        " did you mean NeurIPS?\n"
        f"{bad}:27: mojibake beta2023: error: title looks like mojibake:"
        " Beta n‚ÄôPack: Models should read Beta n’Pack: Models\n"
        f"{bad}:39: placeholder-link gamma2023: error: url link-to-paper is a placeholder,"
        " not a link\n"
        f"{bad}:43: duplicate-work delta2023: error: same DOI 10.1234/test-dup as gamma2023"
        " (line 34)\n"
    )
    assert result.stderr == f"3 errors, 1 warning in {bad}\n"
    assert bad.read_text(encoding="utf-8") == BAD


def test_fix_changes_only_the_fixed_lines_then_checks_again(runner, bad):
    result = run(runner, bad, "--fix", code=1)
    fixed = BAD.replace("NeurlPS'23", "NeurIPS'23").replace("n‚ÄôPack", "n’Pack")
    assert bad.read_bytes() == fixed.encode()
    assert changed_lines(BAD, bad.read_text(encoding="utf-8")) == [
        ("-", "  listvenue = {NeurlPS'23},"),
        ("+", "  listvenue = {NeurIPS'23},"),
        ("-", "  title = {Beta n‚ÄôPack: Models},"),
        ("+", "  title = {Beta n’Pack: Models},"),
    ]
    assert result.stderr == (
        "fixed alpha2023: listvenue NeurlPS'23 → NeurIPS'23\n"
        "fixed beta2023: title Beta n‚ÄôPack: Models → Beta n’Pack: Models\n"
        f"2 errors, 0 warnings in {bad}\n"
    )
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == [
        "placeholder-link gamma2023",
        "duplicate-work delta2023",
    ]


def test_fix_with_nothing_to_fix_writes_nothing(runner, bad):
    before = bad.read_bytes()
    result = run(runner, bad, "--fix", "--rule", "placeholder-link", code=1)
    assert result.stderr == f"nothing to fix automatically\n1 error, 0 warnings in {bad}\n"
    assert bad.read_bytes() == before


def test_fix_restricted_to_one_rule(runner, bad):
    run(runner, bad, "--fix", "--rule", "unknown-venue")
    assert changed_lines(BAD, bad.read_text(encoding="utf-8")) == [
        ("-", "  listvenue = {NeurlPS'23},"),
        ("+", "  listvenue = {NeurIPS'23},"),
    ]


def test_a_library_with_only_warnings_passes_unless_strict(runner, small_library):
    before = small_library.read_bytes()
    line = f"{small_library}:41: missing-author gamma2024robot: warning: no author\n"
    result = run(runner, small_library)
    assert (result.stdout, result.stderr) == (line, f"0 errors, 1 warning in {small_library}\n")
    assert run(runner, small_library, "--strict", code=1).stdout == line
    assert small_library.read_bytes() == before


def test_json_lists_every_finding_with_its_fix(runner, bad):
    result = run(runner, bad, "--format", "json", code=1)
    body = json.loads(result.stdout)
    assert {k: body[k] for k in ("file", "errors", "warnings", "suppressed")} == {
        "file": str(bad),
        "errors": 3,
        "warnings": 1,
        "suppressed": 0,
    }
    assert body["findings"][0] == {
        "rule": "unknown-venue",
        "severity": "warning",
        "key": "alpha2023",
        "line": 20,
        "message": "unknown venue NeurlPS in NeurlPS'23; did you mean NeurIPS?",
        "fix": {"listvenue": "NeurIPS'23"},
        "suppressed": False,
    }
    assert bad.read_text(encoding="utf-8") == BAD


def test_table_shows_rule_key_and_line(runner, bad):
    result = run(runner, bad, "--format", "table", code=1)
    assert re.search(r"│ 39\s+│ error\s+│ placeholder-link\s+│ gamma2023\s+│", result.stdout)
    assert result.stderr == f"3 errors, 1 warning in {bad}\n"


def test_rule_filter_and_unknown_rule(runner, bad):
    result = run(runner, bad, "--rule", "unknown-venue")
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == [
        "unknown-venue alpha2023"
    ]
    result = run(runner, bad, "--rule", "no-such-rule", code=2)
    assert "Invalid value for '--rule'" in result.stderr


def test_help_lists_every_rule_with_its_severity():
    for rule in ("duplicate-work", "placeholder-link", "missing-year", "dead-link"):
        assert re.search(rf"^  {rule}\s+(error|warning)\s+\S", HELP, re.MULTILINE)


# --- the shipped library -------------------------------------------------------------------


def with_nocheck(path, key: str, rules: str) -> None:
    """Add `nocheck = {RULES}` to entry KEY of the library at PATH (as a user would)."""
    with storage.edit(path) as tx:
        tx.set_field(key, "nocheck", rules)


def test_shipped_library_check_is_clean_and_read_only(runner, library):
    before = library.read_bytes()
    result = runner.invoke(cli, ["--library", str(library), "check"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"0 errors, 0 warnings in {library}\n"
    assert library.read_bytes() == before


def test_a_suppressed_finding_is_counted_and_listed_not_hidden(runner, library):
    # The DALL-E 3 report as it would be without a source for its year, suppressed.
    key = "betker2023improving"
    with storage.edit(library) as tx:
        tx.remove_field(key, "year")
    with_nocheck(library, key, "missing-year")
    result = run(runner, library)
    assert result.stdout == ""
    assert result.stderr == f"0 errors, 0 warnings, 1 suppressed by nocheck in {library}\n"
    found = json.loads(run(runner, library, "--format", "json").stdout)["findings"]
    assert [(f["key"], f["rule"], f["suppressed"]) for f in found] == [(key, "missing-year", True)]


# --- online -----------------------------------------------------------------------------------


LINKS = """\
@comment{soralit-taxonomy:
## Technology
- modeling: Modeling
}

@misc{live2023,
  title = {Live Paper},
  author = {Ann Live},
  year = {2023},
  keywords = {modeling},
  url = {LIVE},
}

@misc{gone2023,
  title = {Gone Paper},
  author = {Gus Gone},
  year = {2023},
  keywords = {modeling},
  url = {GONE},
  code = {LIVE},
}

@misc{refused2023,
  title = {Refused Paper},
  author = {Ray Refused},
  year = {2023},
  keywords = {modeling},
  url = {REFUSED},
}
"""


@pytest.fixture
def linked(tmp_path, httpserver: HTTPServer, monkeypatch):
    """A library whose links point at a live page, a 404 and a closed port."""
    monkeypatch.setenv("SORALIT_TIMEOUT", "5")
    httpserver.expect_request("/live").respond_with_data("<html>paper</html>")
    httpserver.expect_request("/gone").respond_with_data("Not Found", status=404)
    urls = {"LIVE": httpserver.url_for("/live"), "GONE": httpserver.url_for("/gone")}
    urls["REFUSED"] = refused_url("/paper")
    text = LINKS
    for marker, url in urls.items():
        text = text.replace("{" + marker + "}", "{" + url + "}")
    path = tmp_path / "library.bib"
    path.write_text(text, encoding="utf-8")
    return path, urls


def test_online_a_broken_link_fails_an_unverified_one_is_a_note(
    runner, linked, httpserver: HTTPServer
):
    path, urls = linked
    before = path.read_bytes()
    result = run(runner, path, "--online", code=1)
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{path}:19: dead-link gone2023: error: url {urls['GONE']} is gone: HTTP 404"
    )
    assert lines[1] == (
        f"{path}:20: code-not-repo gone2023: warning: code {urls['LIVE']} is not on a"
        " repository host (GitHub, GitLab, ...)"
    )
    assert lines[2] == (
        f"{path}:28: blocked-link refused2023: note: url {urls['REFUSED']} could not be"
        f" verified: cannot connect to {urls['REFUSED']} (connection refused)"
    )
    assert len(lines) == 3
    assert result.stderr == (
        "3 links and IDs: 1 broken, 1 blocked (not verified), 1 ok\n"
        f"1 error, 1 warning, 1 note in {path}\n"
    )
    # The live page was asked once, though two fields link to it.
    assert sum(r.path == "/live" for r, _ in httpserver.log) == 1
    assert path.read_bytes() == before


def test_online_a_note_never_fails_even_strict(runner, linked):
    path, urls = linked
    path.write_text(path.read_text(encoding="utf-8").replace(urls["GONE"], urls["LIVE"]))
    result = run(runner, path, "--online", "--strict", "--rule", "blocked-link")
    assert result.stdout.startswith(f"{path}:28: blocked-link refused2023: note: url ")
    assert result.stderr.endswith(f"0 errors, 0 warnings, 1 note in {path}\n")


def test_offline_check_asks_no_link(runner, linked, httpserver: HTTPServer):
    path, _ = linked
    result = run(runner, path)
    assert "dead-link" not in result.stdout
    assert httpserver.log == []
