"""`soralit tag` and `soralit rm`: edits of existing entries (`operations.entries`)."""

from __future__ import annotations

from collections.abc import Sequence

import click

from soralit import output
from soralit.commands.options import library_path
from soralit.model import Entry


@click.command("tag")
@click.argument("key")
@click.option("--add", "-a", "added", multiple=True, metavar="CAT", help="Category to add.")
@click.option("--remove", "-r", "removed", multiple=True, metavar="CAT", help="Category to drop.")
@click.pass_context
def tag_cmd(ctx: click.Context, key: str, added: tuple[str, ...], removed: tuple[str, ...]) -> None:
    """Add or remove categories of entry KEY.

    Only the entry's `keywords` line changes. An entry left without a category is not
    in the paper list (a warning says so).

    \b
    Examples:
      soralit tag liu2024sora --add robotics
      soralit tag liu2024sora --add movie --remove modeling
    """
    from soralit.operations.entries import tag

    result = tag(library_path(ctx), key, add=added, remove=removed)
    now = ", ".join(" ".join(s.split()) for s in result.after) or "none"
    if not result.changed:
        output.info(f"{key}: categories unchanged ({now}).")
        return
    output.info(f"{key}: categories now {now}.")
    if result.unlisted:
        output.info(f"Warning: {key} has no category now, so the list will not show it.")


@click.command("rm")
@click.argument("keys", nargs=-1, required=True)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def rm_cmd(ctx: click.Context, keys: tuple[str, ...], yes: bool) -> None:
    """Remove entries from the library.

    Each entry goes with the `%` comment lines just above it.

    Asks for confirmation on a terminal unless --yes.

    \b
    Examples:
      soralit rm liu2024sora
      soralit rm liu2024sora chen2023genaug --yes
    """
    from soralit.operations.entries import remove

    path = library_path(ctx)
    ask = not yes and output.stdout_is_tty() and output.stderr_is_tty()

    def confirm(entries: Sequence[Entry]) -> bool:
        names = ", ".join(e.key for e in entries)
        return click.confirm(f"Remove {names} from {path}?", abort=True, err=True)

    result = remove(path, keys, confirm=confirm if ask else None)
    for entry in result.removed:
        click.echo(entry.key)
    count = len(result.removed)
    output.info(f"Removed {count} entr{'y' if count == 1 else 'ies'} from {path}.")
    if count:
        output.info(
            f"A README's list still shows {'it' if count == 1 else 'them'} until you "
            "regenerate it: "
            "soralit export md --in-place README.md --force"
        )
