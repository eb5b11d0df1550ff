"""The command line: the group, global options, and the lazy command registry.

Commands live in `soralit.commands.*` and are imported only when run (or listed in
`--help`); nothing heavy (requests, rich tables, bibtexparser) is imported here.
Expected failures (`SoralitError`) become one `Error: ...` line and an exit code in one
place, `SoralitGroup.invoke`.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
from typing import Any

import click

from soralit import __version__, streams
from soralit.errors import SoralitError


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's `complex` example).

    `summaries` gives the one-line help of lazy commands, so that `--help` lists them
    without importing any (a test keeps them equal to the commands' own help).
    """

    def __init__(
        self,
        *args: Any,
        lazy: dict[str, str] | None = None,
        summaries: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.registry = lazy or {}
        self.summaries = summaries or {}

    @functools.cached_property
    def lazy(self) -> dict[str, str]:
        """The registry entries whose module exists (found only when listing commands)."""
        return _available(self.registry)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.registry and name not in self.commands:
            module, _, attr = self.registry[name].partition(":")
            try:
                imported = importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
                return None  # registered, not written yet
            self.add_command(getattr(imported, attr), name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows: list[tuple[str, str]] = []
        for name in names:
            if name in self.summaries and name not in self.commands:
                summary = click.Command(name, help=self.summaries[name])
                rows.append((name, summary.get_short_help_str(limit)))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class SoralitGroup(LazyGroup):
    """The root group: turns domain errors, and failed writes to stdout (`streams`), into
    `Error: ...` and their exit code."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with streams.guard():  # `--help` and `--version` print while parsing
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with streams.guard():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SoralitError as exc:
            if os.environ.get("SORALIT_DEBUG"):
                raise
            raise _CLICK_ERRORS.get(exc.exit_code, click.ClickException)(str(exc)) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted") from None


# Each command lives in `soralit/commands/<name>_cmd.py`, and the work it does in
# `soralit.operations` (what changes the library) or in the pure core (what reads it).
class _UsageFailure(click.ClickException):
    """A usage error shown as click shows others: one `Error:` line (no usage block)."""

    exit_code = 2


# `SoralitError.exit_code` -> what click raises for it: `Error: message` and that code.
_CLICK_ERRORS: dict[int, type[click.ClickException]] = {1: click.ClickException, 2: _UsageFailure}


COMMANDS = {
    "list": "soralit.commands.list_cmd:list_cmd",
    "show": "soralit.commands.list_cmd:show_cmd",
    "taxonomy": "soralit.commands.taxonomy_cmd:taxonomy_cmd",
    "export": "soralit.commands.export_cmd:export_cmd",
    "add": "soralit.commands.add_cmd:add_cmd",
    "tag": "soralit.commands.tag_cmd:tag_cmd",
    "rm": "soralit.commands.tag_cmd:rm_cmd",
    "check": "soralit.commands.check_cmd:check_cmd",
    "update": "soralit.commands.update_cmd:update_cmd",
    "import": "soralit.commands.import_cmd:import_cmd",
    "init": "soralit.commands.import_cmd:init_cmd",
    "stats": "soralit.commands.stats_cmd:stats_cmd",
    "merge-driver": "soralit.commands.merge_driver_cmd:merge_driver_cmd",
    "changelog": "soralit.commands.changelog_cmd:changelog_cmd",
    "github": "soralit.commands.github_cmd:github_cmd",
}
# The first line of each command's help, for `soralit --help` (tests/test_startup.py).
SUMMARIES = {
    "add": "Add papers by arXiv ID or DOI, with fetched metadata.",
    "changelog": "What was added, moved or upgraded since a date or a git ref.",
    "check": "Lint the library: duplicates, venues, links, fields.",
    "export": "Export the paper list or the library.",
    "import": "Import a paper list written in another format.",
    "init": "Create a new library and a README with the list markers.",
    "github": "Write the GitHub issue form and workflow for contributions.",
    "list": "List entries, filtered by category, venue, year, text.",
    "merge-driver": "A git merge driver: merge library.bib entry by entry.",
    "rm": "Remove entries from the library.",
    "show": "Show one entry: its fields, then its BibTeX.",
    "stats": "Counts of the paper list: sections, years, venues, code.",
    "tag": "Add or remove categories of entry KEY.",
    "taxonomy": "Show the taxonomy with a count per category, or edit it.",
    "update": "Find preprints that were published since, and upgrade them.",
}


def _available(commands: dict[str, str]) -> dict[str, str]:
    """Only the registry entries whose module exists (commands land one by one)."""
    return {n: t for n, t in commands.items() if importlib.util.find_spec(t.partition(":")[0])}


@click.group(
    cls=SoralitGroup,
    lazy=COMMANDS,
    summaries=SUMMARIES,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--library",
    "-l",
    type=click.Path(dir_okay=False),
    envvar="SORALIT_LIBRARY",
    default="library.bib",
    show_default=True,
    help="The BibTeX library (env SORALIT_LIBRARY).",
)
@click.version_option(__version__, "--version", "-V", prog_name="soralit")
@click.pass_context
def cli(ctx: click.Context, library: str) -> None:
    """Keep a curated paper list as a tagged BibTeX library.

    library.bib is the source of truth: entries carry their categories in `keywords`,
    the taxonomy lives in a @comment block. soralit queries it, adds papers from arXiv
    and Crossref, checks it, and exports the Markdown list, the citation block and more.

    \b
    Examples:
      soralit list --category robotics
      soralit list --venue CVPR --format keys
      soralit export md --in-place README.md
      soralit add 2402.17177 --category modeling

    Exit codes: 0 success, 1 failure (or problems found by check/--check), 2 usage error.
    """
    ctx.obj = {"library": library}


def main() -> None:
    cli(prog_name="soralit")
