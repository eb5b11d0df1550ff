"""`-o PATH` writes into what is there, in real soralit processes.

A named pipe or `/dev/stdout` is written to: it stays what it was, and the bytes that come
out of it are those the command prints without `-o`. Only a regular file (or a new one) is
replaced, atomically: a new inode with the whole content, a symbolic link kept a link.
(`/dev/null` is left out on purpose: a regression would replace the machine's /dev/null.)
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from soralit.cli import cli

DATA = Path(__file__).parent / "data"
# Every command that takes `-o`, as a user runs it (and `stats --plot`, its one file).
COMMANDS = {
    "export md": ["export", "md"],
    "export citation": ["export", "citation"],
    "export bib": ["export", "bib"],
    "export json": ["export", "json"],
    "export html": ["export", "html"],
}


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    target = tmp_path / "library.bib"
    shutil.copyfile(DATA / "small.bib", target)
    return target


def soralit(lib: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    argv = [sys.executable, "-m", "soralit", "--library", str(lib), *args]
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(argv, stderr=subprocess.PIPE, check=False, timeout=60, **kwargs)


def printed(lib: Path, args: list[str]) -> bytes:
    """What the command prints on stdout without `-o` (run in this process: quicker)."""
    result = CliRunner().invoke(cli, ["--library", str(lib), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes
    return result.stdout_bytes


def read_fifo(fifo: Path, argv: list[str]) -> tuple[bytes, subprocess.CompletedProcess[bytes]]:
    """Run ARGV while reading FIFO (opened first, without waiting for a writer)."""
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    chunks = []
    try:
        with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                done = proc.poll() is not None
                try:
                    while chunk := os.read(fd, 65536):
                        chunks.append(chunk)
                except BlockingIOError:
                    pass
                if done:
                    break
                time.sleep(0.01)
            out, err = proc.communicate(timeout=5)
    finally:
        os.close(fd)
    return b"".join(chunks), subprocess.CompletedProcess(argv, proc.returncode, out, err)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_named_pipe_is_written_into(tmp_path, lib, name):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    argv = [sys.executable, "-m", "soralit", "--library", str(lib), *COMMANDS[name]]
    received, done = read_fifo(fifo, [*argv, "-o", str(fifo)])
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received == printed(lib, COMMANDS[name])
    assert done.stdout == b""


def test_stats_plot_into_a_named_pipe(tmp_path, lib):
    pytest.importorskip("matplotlib")
    fifo = tmp_path / "years.svg"
    os.mkfifo(fifo)
    argv = [sys.executable, "-m", "soralit", "--library", str(lib), "stats", "--plot", str(fifo)]
    received, done = read_fifo(fifo, argv)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received.startswith(b"<?xml") and received.rstrip().endswith(b"</svg>")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_dev_stdout_is_written_to_not_replaced(lib, name):
    done = soralit(lib, *COMMANDS[name], "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert done.stdout == printed(lib, COMMANDS[name])


@pytest.mark.parametrize("target", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_dev_stdout_appended_to_a_file_keeps_what_was_there(tmp_path, lib, target):
    """`{ echo header; soralit export bib -o /dev/stdout; } >> out.bib`: no truncation."""
    out = tmp_path / "out.bib"
    out.write_bytes(b"% header\n")
    inode = out.stat().st_ino
    with out.open("ab") as handle:
        done = soralit(lib, "export", "bib", "-o", target, stdout=handle)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == b"% header\n" + printed(lib, ["export", "bib"])
    assert out.stat().st_ino == inode


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_regular_file_is_replaced_whole(tmp_path, lib, name):
    out = tmp_path / "out" / "file"
    out.parent.mkdir()
    out.write_bytes(b"old content, longer than some of the new ones " * 400)
    inode = out.stat().st_ino
    done = soralit(lib, *COMMANDS[name], "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == printed(lib, COMMANDS[name])
    assert out.stat().st_ino != inode  # a new file renamed over the old one
    assert [p.name for p in out.parent.iterdir()] == ["file"]  # no temp file left


def test_a_link_to_a_regular_file_stays_a_link(tmp_path, lib):
    real = tmp_path / "real.bib"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.bib"
    link.symlink_to(real)
    done = soralit(lib, "export", "bib", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert real.read_bytes() == printed(lib, ["export", "bib"])


def test_a_new_file_gets_its_folders(tmp_path, lib):
    out = tmp_path / "site" / "deep" / "index.html"
    done = soralit(lib, "export", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == printed(lib, ["export", "html"])
    assert done.stderr == f"Wrote {out}.\n".encode()
