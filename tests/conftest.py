"""Shared fixtures: an offline world, an isolated cache, a CLI runner, library copies.

Also the run's rules: hypothesis draws from a fixed seed under the `ci` profile
(`HYPOTHESIS_PROFILE=ci`, set by `.ci/run`), and the test groups named in
`SORALIT_REQUIRE` may not be skipped (see `needs.py`).
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

import needs
from replay import services  # noqa: F401  (the local replay server, for every test module)

# No example has a time limit: on a loaded 2-core machine hypothesis' default 200 ms
# deadline fails correct code ("Flaky"); timings belong in `make bench`, not in tests.
_untimed = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", **_untimed)
# CI runs the same examples every time: a red build is a bug, never a new random draw.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **_untimed)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "library.bib"
DATA = Path(__file__).parent / "data"
SERVICES = ("ARXIV", "CROSSREF", "S2", "DBLP", "DOI", "GITHUB")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reaches the internet: every service URL points at a closed local port
    (tests that need a service override it with the replay server). The parse cache and
    the politeness delays are test-local too."""
    for name in SERVICES:
        monkeypatch.setenv(f"SORALIT_{name}_URL", "http://127.0.0.1:9/")
    for name in ("ARXIV", "DOI", "GITHUB", "LINK"):
        monkeypatch.setenv(f"SORALIT_{name}_DELAY", "0")
    monkeypatch.setenv("SORALIT_RETRY_BASE", "0")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("SORALIT_MAILTO", raising=False)
    # The `added` date soralit writes: fixed, so that written entries are the same any day.
    monkeypatch.setenv("SORALIT_TODAY", "2024-06-10")
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("SORALIT_LIBRARY", raising=False)
    monkeypatch.delenv("SORALIT_DEBUG", raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A private copy of the shipped library.bib."""
    target = tmp_path / "library.bib"
    shutil.copyfile(SHIPPED, target)
    return target


@pytest.fixture
def small_library(tmp_path: Path) -> Path:
    """A private copy of tests/data/small.bib (a few hand-made entries)."""
    target = tmp_path / "library.bib"
    shutil.copyfile(DATA / "small.bib", target)
    return target


# --- required test groups (SORALIT_REQUIRE) -------------------------------------------

_passed: Counter[str] = Counter()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """A skipped test of a required group is a failure; passes are counted per group."""
    outcome = yield
    report = outcome.get_result()
    groups = {m.name for m in item.iter_markers()} & set(needs.GROUPS)
    if report.passed and report.when == "call":
        _passed.update(groups)
    required = groups & needs.required()
    if report.skipped and required and not item.get_closest_marker("stress"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped ({reason}), but SORALIT_REQUIRE names {sorted(required)}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail a run that required a group of which no test passed (not collected, deselected)."""
    missing = [g for g in sorted(needs.required()) if not _passed[g]]
    if missing and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"SORALIT_REQUIRE: no test of {missing} passed", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
