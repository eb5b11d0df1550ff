"""Start-up: `soralit --help` lists every command without importing any of them."""

from __future__ import annotations

import subprocess
import sys

import click

from soralit.cli import COMMANDS, SUMMARIES, cli


def test_summaries_are_the_commands_own_first_help_lines():
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        assert SUMMARIES.get(name) == command.get_short_help_str(limit=200), name


def test_every_registered_command_has_a_summary():
    assert set(COMMANDS) <= set(SUMMARIES)


def test_help_imports_no_command_module_and_nothing_heavy():
    code = (
        "import sys\nfrom soralit.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='soralit')\nexcept SystemExit:\n    pass\n"
        "heavy = ('requests', 'rich', 'bibtexparser', 'anyascii', 'pylatexenc')\n"
        "loaded = [m for m in sys.modules if m.startswith('soralit.commands.') or m in heavy]\n"
        "print(loaded, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "[]"
    for name in SUMMARIES:
        if name in cli.lazy:
            assert f"  {name} " in out.stdout
