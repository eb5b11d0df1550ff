"""Meta tests: help for every command, README coverage and sync, lazy imports."""

import subprocess
import sys
from pathlib import Path

import click
import pytest

from soralit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def all_commands(group: click.Group = cli, prefix: str = "") -> list[tuple[str, click.Command]]:
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += all_commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=str)
def test_every_command_has_help_and_is_documented(runner, name, command):
    result = runner.invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert command.help and len(command.help.splitlines()[0]) <= 60
    assert f"soralit {name}" in README, f"README does not show `soralit {name}`"


def test_readme_list_is_in_sync_with_the_library(runner):
    result = runner.invoke(
        cli,
        [
            "--library",
            str(ROOT / "library.bib"),
            "export",
            "md",
            "--in-place",
            str(ROOT / "README.md"),
            "--check",
        ],
    )
    assert result.exit_code == 0, result.output


def test_readme_gives_the_two_setup_commands():
    assert "make run" in README and "make test" in README


def test_importing_the_cli_loads_no_heavy_module():
    code = (
        "import sys, soralit.cli; "
        "heavy = [m for m in ('requests', 'rich.table', 'rich.progress', 'rich', 'bibtexparser',"
        " 'pylatexenc', 'jinja2', 'ftfy', 'defusedxml', 'markdown_it') if m in sys.modules];"
        " print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m_and_version():
    out = subprocess.run(
        [sys.executable, "-m", "soralit", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("soralit, version ")
