"""What some tests need from the machine, and what happens when it is missing.

A developer's machine may lack Chromium, strace or chattr: those tests are skipped there,
with the reason in pytest's summary. CI must not pass quietly without them, so it names
the groups it requires in `SORALIT_REQUIRE` (`.ci/run`: `browser,faults,bibtex`). Then a missing
tool fails the test instead (`unavailable`), and `conftest.py` fails the run when a test
of a required group is skipped for any other reason or none of the group ran.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

# The groups, each a pytest marker: `browser` (tests/test_browser.py), `faults` (writes
# that fail for real: read-only folders, the syscalls of a write), `bibtex` (LaTeX,
# BibTeX and biber build the shipped library, TeX Live's bibliographies are read, pandoc
# typesets the CSL-JSON: tests/test_bibtex_build.py, tests/test_tex_titles.py,
# tests/test_pandoc.py), `actionlint` (the generated GitHub workflows linted,
# tests/test_cli_github.py).
GROUPS = ("browser", "faults", "bibtex", "actionlint")


def required() -> frozenset[str]:
    """The groups named in SORALIT_REQUIRE (comma-separated), read at call time."""
    names = os.environ.get("SORALIT_REQUIRE", "").replace(",", " ").split()
    unknown = set(names) - set(GROUPS)
    if unknown:
        raise pytest.UsageError(f"SORALIT_REQUIRE: unknown group(s) {sorted(unknown)}")
    return frozenset(names)


def unavailable(group: str, reason: str, *, module: bool = False) -> NoReturn:
    """Skip for REASON, or fail when GROUP is required (in CI)."""
    if group in required():
        pytest.fail(f"{reason} (SORALIT_REQUIRE={group} makes this a failure)", pytrace=False)
    pytest.skip(reason, allow_module_level=module)


def actionlint() -> str:
    """The actionlint binary (the test extra installs it next to python), or skip/fail."""
    import sys

    found = shutil.which("actionlint") or shutil.which(
        "actionlint", path=str(Path(sys.executable).parent)
    )
    if not found:
        unavailable("actionlint", "actionlint not found (pip install '.[test]' brings it)")
    return found


def strace() -> str:
    """The strace binary, or skip/fail (group `faults`)."""
    found = shutil.which("strace")
    if not found:
        unavailable("faults", "strace not found: cannot watch the syscalls of a write")
    probe = subprocess.run(
        [found, "-f", "-o", os.devnull, "true"], capture_output=True, check=False
    )
    if probe.returncode:
        unavailable("faults", f"strace cannot trace here: {probe.stderr.decode().strip()}")
    return found


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """FOLDER made read-only for real; yields the error text a write there gets.

    Root ignores permission bits, so as root the folder is made immutable (chattr +i).
    """
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield os.strerror(errno.EACCES)
        finally:
            folder.chmod(0o755)
        return
    if not shutil.which("chattr"):
        unavailable("faults", "running as root without chattr: no way to make a folder read-only")
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
    if done.returncode:
        unavailable("faults", f"chattr +i is not supported on {folder}: {done.stderr!r}")
    try:
        yield os.strerror(errno.EPERM)
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
