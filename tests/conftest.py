"""Shared fixtures: an offline world, an isolated cache, a CLI runner, library copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from replay import services  # noqa: F401  (the local replay server, for every test module)

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
