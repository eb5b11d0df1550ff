"""The command line: the group, global options, and the lazy command registry.

Commands live in `soralit.commands.*` and are imported only when run (or listed in
`--help`); nothing heavy (requests, rich tables, bibtexparser) is imported here.
Expected failures (`SoralitError`) become one `Error: ...` line and an exit code in one
place, `SoralitGroup.invoke`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os

import click

from soralit import __version__
from soralit.errors import SoralitError


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's `complex` example)."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.lazy = _available(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            module, _, attr = self.lazy[name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)


class SoralitGroup(LazyGroup):
    """The root group: turns domain errors into `Error: ...` and their exit code."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except SoralitError as exc:
            if os.environ.get("SORALIT_DEBUG"):
                raise
            error = click.ClickException(str(exc))
            error.exit_code = exc.exit_code
            raise error from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted; nothing was written") from None


COMMANDS = {
    "list": "soralit.commands.reading:list_cmd",
    "show": "soralit.commands.reading:show_cmd",
    "taxonomy": "soralit.commands.taxonomy:taxonomy_cmd",
    "export": "soralit.commands.export:export_cmd",
    "add": "soralit.commands.adding:add_cmd",
    "tag": "soralit.commands.editing:tag_cmd",
    "rm": "soralit.commands.editing:rm_cmd",
    "check": "soralit.commands.checking:check_cmd",
    "update": "soralit.commands.updating:update_cmd",
    "import": "soralit.commands.importing:import_cmd",
    "init": "soralit.commands.importing:init_cmd",
    "stats": "soralit.commands.stats:stats_cmd",
}


def _available(commands: dict[str, str]) -> dict[str, str]:
    """Only the registry entries whose module exists (commands land one by one)."""
    return {n: t for n, t in commands.items() if importlib.util.find_spec(t.partition(":")[0])}


@click.group(
    cls=SoralitGroup,
    lazy=COMMANDS,
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
