"""`soralit changelog`: what changed in the list since a date or a git ref, as Markdown."""

from __future__ import annotations

import click

from soralit import changelog, history, query
from soralit.commands.options import library_path, load


@click.command("changelog")
@click.option(
    "--since",
    "since",
    required=True,
    metavar="DATE|REF",
    help="A date (YYYY-MM-DD: the library as it was at its start) or any git ref.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.pass_context
def changelog_cmd(ctx: click.Context, since: str, output: str | None) -> None:
    """What was added, moved or upgraded since a date or a git ref.

    Compares the library with its version in git at --since (read with `git show`, so the
    library must be in a git repository): papers added (listed by category, in the list's
    own format), moved to other categories, upgraded (a preprint then, a venue now) and
    removed. The Markdown suits a release note or a "what's new" post. A paper
    whose key changed is matched by its arXiv ID, DOI or title, not counted as new.

    \b
    Examples:
      soralit changelog --since 2024-05-01
      soralit changelog --since v1.2 -o release-notes.md
      soralit changelog --since HEAD~10
    """
    from soralit.commands.export_cmd import _write

    path = library_path(ctx)
    commit, label = history.since(path, since)
    library = load(ctx)
    old = history.parse_text(path, history.text_at(path, commit))
    listed_old = query.listed(old.entries, old.taxonomy)
    changes = changelog.compare(listed_old, query.listed(library.entries, library.taxonomy))
    _write(output, changelog.render_changes(changes, library.taxonomy, since=label))
    click.echo(changelog.summary(changes), err=True)
