"""The rules of the test run itself: CI may not pass without the browser, fault and BibTeX
build tests, and hypothesis draws the same examples in every CI run (tests/needs.py,
conftest.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def pytest_run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A pytest run of this suite in a subprocess, with ENV on top of this one's."""
    environ = {k: v for k, v in os.environ.items() if k != "SORALIT_REQUIRE"}
    environ.update(env)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(argv, cwd=ROOT, env=environ, capture_output=True, text=True, check=False)


def test_ci_requires_the_browser_fault_and_bibtex_tests_and_a_fixed_seed():
    assert re.search(r"^export SORALIT_REQUIRE=browser,faults,bibtex,actionlint$", CI, re.MULTILINE)
    assert re.search(r"^export HYPOTHESIS_PROFILE=ci$", CI, re.MULTILINE)
    assert CI.index("SORALIT_REQUIRE") < CI.index("make test")
    for package in ("chromium", "chromium-driver", "strace", "e2fsprogs", "shellcheck"):
        assert f"missing+=({package})" in CI
    tex = "texlive-latex-base texlive-latex-recommended texlive-bibtex-extra biber"
    assert f"missing+=({tex})" in CI


def test_without_tex_the_bibtex_build_tests_skip_and_fail_when_required():
    absent = {"PATH": "/nonexistent"}
    skipped = pytest_run("tests/test_bibtex_build.py", "-rs", **absent)
    assert skipped.returncode == 5, skipped.stdout  # nothing ran, nothing failed
    assert "BibTeX tools not found: latex, bibtex, biber, kpsewhich" in skipped.stdout
    required = pytest_run("tests/test_bibtex_build.py", SORALIT_REQUIRE="bibtex", **absent)
    assert required.returncode == 2, required.stdout  # a collection error
    assert "SORALIT_REQUIRE=bibtex makes this a failure" in required.stdout


def test_without_chromium_the_browser_tests_skip_and_fail_when_required():
    absent = {"SORALIT_CHROMIUM": "/nonexistent/chromium"}
    skipped = pytest_run("tests/test_browser.py", "-rs", **absent)
    assert skipped.returncode == 5, skipped.stdout  # nothing ran, nothing failed
    assert "browser tests skipped: chromium/chromedriver not found" in skipped.stdout
    required = pytest_run("tests/test_browser.py", SORALIT_REQUIRE="browser", **absent)
    assert required.returncode == 2, required.stdout  # a collection error
    assert "SORALIT_REQUIRE=browser makes this a failure" in required.stdout


def test_a_required_group_of_which_nothing_ran_fails_the_run_and_ci_draws_a_fixed_seed():
    """One run of one test (of no group) with CI's settings: the test passes under the ci
    profile (it checks the profile), and the run fails since no `faults` test ran."""
    one = "tests/test_suite_rules.py::test_the_hypothesis_profile_follows_the_environment"
    required = pytest_run(one, SORALIT_REQUIRE="faults", HYPOTHESIS_PROFILE="ci")
    assert "1 passed" in required.stdout
    assert required.returncode == 1
    assert "SORALIT_REQUIRE: no test of ['faults'] passed" in required.stdout


def test_the_hypothesis_profile_follows_the_environment():
    in_ci = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
    assert settings.default.derandomize is in_ci
    assert settings.get_profile("ci").derandomize is True
    assert settings.get_profile("ci").database is None
