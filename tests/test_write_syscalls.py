"""What a write does, seen from the kernel: `strace` watches real soralit processes.

A durable replace is: write a temp file in the library's folder, fsync it, rename it over
the library, then fsync the folder (without that last step a power cut can undo the
rename on ext4/XFS even though the command said it was done). Nothing here is mocked:
the test reads the syscalls each command made on the library's folder, in order.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from needs import strace
from replay import ARXIV_PATH, recorded

pytestmark = pytest.mark.faults  # CI requires them (SORALIT_REQUIRE=faults)
DATA = Path(__file__).parent / "data"
TRACED = "fsync,fdatasync,rename,renameat,renameat2"
# `1234  fsync(4</tmp/x/.library.bib.ab12cd34.tmp>) = 0`, `rename("/a", "/b") = 0`
CALL = re.compile(r"^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+)")


def traced(tmp_path: Path, *args: str) -> list[tuple[str, ...]]:
    """Run `soralit ARGS` under strace; (call, paths...) of its calls on the library's folder."""
    log = tmp_path / "strace.log"
    argv = [strace(), "-f", "-y", "-qq", "-e", f"trace={TRACED}", "-o", str(log)]
    argv += [sys.executable, "-m", "soralit", *args]
    env = {**os.environ, "SORALIT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    folder = str(tmp_path / "lib")
    calls = []
    for line in log.read_text().splitlines():
        match = CALL.match(line)
        if not match or folder not in match.group(2):
            continue
        name, rest, result = match.groups()
        assert result == "0", line
        paths = re.findall(r'"([^"]*)"|<([^>]*)>', rest)
        calls.append(("rename" if name.startswith("rename") else name, *(a or b for a, b in paths)))
    return calls


def durable_replace(folder: Path, target: str) -> list[tuple[str, ...]]:
    """The calls of one durable replace of FOLDER/TARGET, with the temp file's name as `*`."""
    temp = f"{folder}/.{target}.*.tmp"
    return [("fsync", temp), ("rename", temp, f"{folder}/{target}"), ("fsync", str(folder))]


def named(calls: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """CALLS with each temp file's random part written as `*`."""
    return [tuple(re.sub(r"\.[a-z0-9_]{8}\.tmp$", ".*.tmp", p) for p in call) for call in calls]


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    (tmp_path / "lib").mkdir()
    target = tmp_path / "lib" / "library.bib"
    shutil.copyfile(DATA / "small.bib", target)
    return target


@pytest.mark.parametrize(
    "args",
    [
        ["tag", "beta2022data", "--add", "modeling"],
        ["rm", "gamma2024robot"],
        ["taxonomy", "rename", "robotics", "Robots"],
        ["check", "--fix"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_an_edit_is_fsynced_renamed_then_its_folder_fsynced(tmp_path, lib, args):
    if args[0] == "check":  # something for --fix to repair: an arXiv label of the wrong month
        gamma = "  keywords = {robotics},\n  eprint = {2403.01234v2},"
        text = lib.read_text(encoding="utf-8")
        lib.write_text(text.replace(gamma, gamma + "\n  venue = {arXiv 2023.01},"), "utf-8")
    before = lib.read_bytes()
    calls = traced(tmp_path, "--library", str(lib), *args)
    assert lib.read_bytes() != before
    assert named(calls) == durable_replace(lib.parent, "library.bib")


def test_add_is_fsynced_renamed_then_its_folder_fsynced(tmp_path, lib, services):
    services.expect_request(ARXIV_PATH).respond_with_response(
        recorded("arxiv/id_list_1605.08386.xml")
    )
    calls = traced(tmp_path, "--library", str(lib), "add", "1605.08386")
    assert "stanley2016heat" in lib.read_text(encoding="utf-8")
    assert named(calls) == durable_replace(lib.parent, "library.bib")


def test_an_export_to_a_file_is_a_durable_replace(tmp_path, lib):
    out = tmp_path / "lib" / "list.md"
    out.write_text("old list\n", encoding="utf-8")
    calls = traced(tmp_path, "--library", str(lib), "export", "md", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("## Paper List\n")
    assert named(calls) == durable_replace(lib.parent, "list.md")


def test_reading_writes_nothing(tmp_path, lib):
    assert traced(tmp_path, "--library", str(lib), "list", "--format", "keys") == []
