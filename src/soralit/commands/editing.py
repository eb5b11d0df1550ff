"""`soralit tag` and `soralit rm`: surgical edits of existing entries."""

from __future__ import annotations

import click

from soralit import bibtext, output, query, storage
from soralit.commands.common import find_entry, library_path
from soralit.errors import UsageProblem


@click.command("tag")
@click.argument("key")
@click.option("--add", "-a", "added", multiple=True, metavar="CAT", help="Category to add.")
@click.option("--remove", "-r", "removed", multiple=True, metavar="CAT", help="Category to drop.")
@click.pass_context
def tag_cmd(ctx: click.Context, key: str, added: tuple[str, ...], removed: tuple[str, ...]) -> None:
    """Add or remove categories of entry KEY.

    Only the entry's `keywords` line changes.

    \b
    Examples:
      soralit tag liu2024sora --add robotics
      soralit tag liu2024sora --add movie --remove modeling
    """
    if not added and not removed:
        raise UsageProblem("nothing to do: give --add CAT and/or --remove CAT")
    path = library_path(ctx)
    with storage.locked(path):
        library = storage.load(path)
        entry = find_entry(library, key)
        plus = query.resolve_categories(library.taxonomy, added)
        minus = query.resolve_categories(library.taxonomy, removed)
        slugs = [s for s in entry.categories if s not in minus]
        slugs += [s for s in library.taxonomy.slugs() if s in plus and s not in slugs]
        if list(slugs) == list(entry.categories):
            output.info(f"{key}: categories unchanged ({', '.join(slugs) or 'none'}).")
            return
        raw = (
            bibtext.set_field(entry.raw, "keywords", ", ".join(slugs))
            if slugs
            else bibtext.remove_field(entry.raw, "keywords")
        )
        storage.save(library, storage.replace_entry(library, key, raw))
    output.info(f"{key}: categories now {', '.join(slugs) or 'none'}.")


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
    path = library_path(ctx)
    with storage.locked(path):
        library = storage.load(path)
        entries = [find_entry(library, k) for k in dict.fromkeys(keys)]
        if not yes and output.stdout_is_tty() and output.stderr_is_tty():
            names = ", ".join(e.key for e in entries)
            click.confirm(f"Remove {names} from {path}?", abort=True, err=True)
        storage.save(library, storage.splice_all(library, {e.key: None for e in entries}))
    for entry in entries:
        click.echo(entry.key)
    output.info(f"Removed {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} from {path}.")
