"""A stdout that cannot be written: one `Error:` line and exit 1, never a traceback.

Real soralit processes write to /dev/full (no space left), to a pipe whose reader is gone
(the read end closed before the process starts), and to a closed stdout (`>&-`). Every
command is tried: each `--help`, and each command as it is used, with a library, a README
and the replay server as needed. Commands that print nothing on stdout must not fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from replay import ARXIV_PATH, CROSSREF_PATH, S2_PATH, fixture_bytes, json_response, recorded
from soralit.cli import cli

DATA = Path(__file__).parent / "data"
ERRORS = {
    "full": "No space left on device",  # > /dev/full
    "pipe": "Broken pipe",  # | a reader that is gone
    "closed": "Bad file descriptor",  # >&-
}
# A preprint of the recorded Semantic Scholar answer, for `update` to find published.
PREPRINT = """
@misc{bran2023augmenting,
  title = {Augmenting large language models with chemistry tools},
  author = {Andrés M Bran and Sam Cox and Oliver Schilter and Carlo Baldassari and
            Andrew D. White and P. Schwaller},
  year = {2023},
  eprint = {2304.05376},
  archivePrefix = {arXiv},
  keywords = {modeling},
}
"""
README = (
    "# T\n\n## Paper List\n\n### Modeling\n\n- [Some Title](https://arxiv.org/abs/2402.09999)\n"
)
CHEM = "semanticscholar/paper_DOI_10.1038_s42256-024-00832-8_published_with_arxiv_id.json"


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
    return found


def serve_update(services) -> None:  # type: ignore[no-untyped-def]
    services.expect_request(f"{S2_PATH}/paper/batch", method="POST").respond_with_response(
        json_response([json.loads(fixture_bytes(CHEM))])
    )
    services.expect_request(f"{CROSSREF_PATH}/10.1038/s42256-024-00832-8").respond_with_response(
        recorded("crossref/works_10.1038_s42256-024-00832-8_journal_article.json")
    )
    # arXiv's own record, asked as a second witness: no answer for it is a recorded one.
    services.expect_request(ARXIV_PATH).respond_with_response(
        recorded("arxiv/empty_result_0000.0000.xml")
    )


def serve_add(services) -> None:  # type: ignore[no-untyped-def]
    services.expect_request(ARXIV_PATH).respond_with_response(
        recorded("arxiv/id_list_1605.08386.xml")
    )


def no_server(_services) -> None:  # type: ignore[no-untyped-def]
    pass


# Each command as used: (arguments after `--library LIB`, server setup, prints on stdout).
# `{readme}` and `{new}` are a README and a library path that does not exist yet.
USES: dict[tuple[str, ...], tuple[list[str], Callable[..., None], bool]] = {
    ("add",): (["add", "1605.08386"], serve_add, True),
    ("check",): (["check", "--format", "json"], no_server, True),
    ("export", "bib"): (["export", "bib"], no_server, True),
    ("export", "citation"): (["export", "citation"], no_server, True),
    ("export", "html"): (["export", "html"], no_server, True),
    ("export", "json"): (["export", "json"], no_server, True),
    ("export", "md"): (["export", "md", "--toc"], no_server, True),
    ("import", "md"): (["import", "md", "{readme}", "--dry-run"], no_server, True),
    ("init",): (["--library", "{new}", "init", "--readme", "{new}.md"], no_server, False),
    ("list",): (["list"], no_server, True),
    ("rm",): (["rm", "gamma2024robot"], no_server, True),
    ("show",): (["show", "alpha2023model"], no_server, True),
    ("stats",): (["stats"], no_server, True),
    ("tag",): (["tag", "beta2022data", "--add", "modeling"], no_server, False),
    ("taxonomy",): (["taxonomy"], no_server, True),
    ("taxonomy", "add"): (["taxonomy", "add", "Application", "Movie"], no_server, False),
    ("taxonomy", "move"): (
        ["taxonomy", "move", "robotics", "--after", "modeling"],
        no_server,
        False,
    ),
    ("taxonomy", "rename"): (["taxonomy", "rename", "robotics", "Robots"], no_server, False),
    ("taxonomy", "rm"): (
        ["taxonomy", "rm", "data-pre-processing", "--retag-to", "modeling"],
        no_server,
        False,
    ),
    ("update",): (["update", "bran2023augmenting"], serve_update, True),
    ("changelog",): (["changelog", "--since", "HEAD"], no_server, True),
    ("github",): (["github"], no_server, False),
    ("merge-driver",): (["merge-driver", "{lib}", "{lib}", "{lib}"], no_server, False),
}


GROUPS = {("export",), ("import",)}  # they only dispatch: their `--help` is tried below


def test_every_command_is_tried():
    assert set(USES) | GROUPS == set(all_commands())


def run(argv: list[str], how: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m soralit ARGV` with its stdout broken in the way HOW names."""
    command = [sys.executable, "-m", "soralit", *argv]
    env = {**os.environ, "SORALIT_CACHE_DIR": str(tmp_path / "cache")}
    options = {"stderr": subprocess.PIPE, "text": True, "env": env, "timeout": 60}
    if how == "full":
        with open("/dev/full", "w") as full:
            return subprocess.run(command, stdout=full, check=False, **options)
    if how == "pipe":
        read, write = os.pipe()
        os.close(read)  # the reader is gone before anything is written
        try:
            return subprocess.run(command, stdout=write, check=False, **options)
        finally:
            os.close(write)
    closed = ["sh", "-c", 'exec "$@" >&-', "sh", *command]
    return subprocess.run(closed, stdin=subprocess.DEVNULL, check=False, **options)


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    target = tmp_path / "library.bib"
    shutil.copyfile(DATA / "small.bib", target)
    with target.open("a", encoding="utf-8") as handle:
        handle.write(PREPRINT)
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    # A git repository, for `changelog --since HEAD`.
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    for args in (["init", "-q"], ["add", "library.bib"], ["commit", "-q", "-m", "library"]):
        subprocess.run([*git, *args], cwd=tmp_path, check=True, capture_output=True)
    return target


# A closed stdout fails at the same place as the other two: tried on a few commands only.
CASES = [(c, how) for c in sorted(USES) for how in ("full", "pipe")] + [
    (c, "closed") for c in [("list",), ("export", "md"), ("tag",), ("rm",)]
]


@pytest.mark.parametrize(
    ("command", "how"), CASES, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v
)
def test_a_command_that_cannot_write_its_output_says_so_in_one_line(
    tmp_path, lib, services, command, how
):
    args, serve, prints = USES[command]
    serve(services)
    fill = {
        "{readme}": str(tmp_path / "README.md"),
        "{new}": str(tmp_path / "new.bib"),
        "{lib}": str(lib),
    }
    args = [fill.get(a, a.replace("{new}", str(tmp_path / "new.bib"))) for a in args]
    argv = args if args[0] == "--library" else ["--library", str(lib), *args]
    done = run(argv, how, tmp_path)
    if prints:
        assert (done.returncode, done.stderr) == (
            1,
            f"Error: cannot write to stdout: {ERRORS[how]}\n",
        )
    else:  # nothing to print: nothing fails
        assert done.returncode == 0, done.stderr
        assert "Error" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--version"], ["-h"]] + [[*c, "--help"] for c in sorted(all_commands())],
    ids=" ".join,
)
def test_help_that_cannot_be_written_is_one_line(tmp_path, argv):
    done = run(argv, "full", tmp_path)
    assert (done.returncode, done.stderr) == (
        1,
        f"Error: cannot write to stdout: {ERRORS['full']}\n",
    )


@pytest.mark.parametrize("how", ["pipe", "closed"])
def test_root_help_in_a_gone_pipe_or_closed_stdout(tmp_path, how):
    done = run(["--help"], how, tmp_path)
    assert (done.returncode, done.stderr) == (1, f"Error: cannot write to stdout: {ERRORS[how]}\n")
