"""`soralit add`: new entries from arXiv IDs and DOIs (the work is `operations.papers.add`)."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, TextIO

import click

from soralit import output
from soralit.commands.options import library_path
from soralit.errors import UsageProblem

if TYPE_CHECKING:
    from soralit.operations.papers import AddResult

    ParamType = click.ParamType[Any, Any]  # generic for the type checker (click >= 8.2)
else:
    ParamType = click.ParamType


class IdentifierType(ParamType):
    """An arXiv ID or DOI in any pasted form, checked before any request.

    A bad one is a `UsageProblem`: one `Error: not an arXiv ID or DOI: 'x'` line, exit 2,
    rather than click's usage block (people paste many IDs; the line must name the bad one).
    """

    name = "ID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from soralit.ids import parse_identifier

        return value if not isinstance(value, str) else parse_identifier(value)


class FieldValueType(ParamType):
    """Text for a field of the new entries: one line that reads back exactly as given."""

    name = "TEXT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from soralit.bibtex import value_problem

        problem = "it spans lines" if value.splitlines() not in ([], [value]) else ""
        problem = problem or value_problem(value)
        if problem:
            self.fail(f"{value!r} cannot be written to a BibTeX field: {problem}", param, ctx)
        return value


class CiteKeyType(ParamType):
    """A citation key as biber reads one."""

    name = "KEY"
    _KEY = re.compile(r"[^\s\"#%'(),={}\\]+")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not self._KEY.fullmatch(value):
            self.fail(f"{value!r}: a key has no spaces and none of \"#%'(),={{}}\\", param, ctx)
        return value


@click.command("add")
@click.argument("identifiers", nargs=-1, type=IdentifierType())
@click.option(
    "--from-issue",
    "issue",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="Read the paper from an 'Add a paper' issue's text (FILE, or - for stdin).",
)
@click.option(
    "--category",
    "-c",
    "categories",
    multiple=True,
    metavar="CAT",
    help="Category for the new entries (repeatable). Without one, a paper is not in the list.",
)
@click.option(
    "--venue", metavar="LABEL", type=FieldValueType(), help='Short venue label, e.g. "CVPR\'23".'
)
@click.option("--code", metavar="URL", type=FieldValueType(), help="Code repository link.")
@click.option(
    "--key",
    metavar="KEY",
    type=CiteKeyType(),
    help="Citation key (one ID only; default: liu2024sora).",
)
@click.option("--abstract", is_flag=True, help="Keep the abstract in the entry.")
@click.option(
    "--update",
    is_flag=True,
    help="Refresh fetched fields of papers already in the library, in place.",
)
@click.option("--dry-run", "-n", is_flag=True, help="Print the entries; write nothing.")
@click.pass_context
def add_cmd(
    ctx: click.Context,
    identifiers: tuple[Any, ...],
    issue: TextIO | None,
    categories: tuple[str, ...],
    venue: str | None,
    code: str | None,
    key: str | None,
    abstract: bool,
    update: bool,
    dry_run: bool,
) -> None:
    """Add papers by arXiv ID or DOI, with fetched metadata.

    IDs may be pasted in any form: 2402.17177, 2402.17177v2, arXiv:2402.17177,
    https://arxiv.org/abs/2402.17177, https://arxiv.org/pdf/2402.17177v1.pdf,
    hep-th/9901001, 10.1145/3581783.3612667, doi:..., https://doi.org/...
    A paper already in the library is not added twice (nor tagged: the command says
    how to tag it, `soralit tag KEY --add CAT`). The new keys are printed on stdout; a
    summary goes to stderr. Exit 1 if any ID failed.

    \b
    Examples:
      soralit add 2402.17177 --category modeling
      soralit add 2309.15103 2401.03048 -c modeling --venue "arXiv 2023.09"
      soralit add 10.1038/s42256-024-00832-8 --dry-run
      soralit add 2402.17177 --update
      soralit add --from-issue issue.md

    --from-issue reads the body GitHub writes for the issue form of `soralit github`: the
    arXiv ID or DOI, the categories (their names as the dropdown offers them), the code
    link and the venue label; a field it cannot read is one `Error:` line naming it.
    """
    from soralit.operations.papers import add

    if issue is not None:
        if identifiers:
            raise UsageProblem("give the paper by --from-issue or as an ID, not both")
        identifiers, categories, venue, code = from_issue(ctx, issue, categories, venue, code)
    elif not identifiers:
        raise UsageProblem("no ID given: soralit add ID... (or --from-issue FILE)")

    progress = functools.partial(output.progress, enabled=output.stderr_is_tty())
    result = add(
        library_path(ctx),
        identifiers,
        categories=categories,
        venue=venue or "",
        code=code or "",
        key=key,
        abstract=abstract,
        update=update,
        dry_run=dry_run,
        progress=progress,
    )
    render(result)
    if result.failed:
        ctx.exit(1)  # each failure already has its own `Error:` line


def from_issue(
    ctx: click.Context,
    issue: TextIO,
    categories: tuple[str, ...],
    venue: str | None,
    code: str | None,
) -> tuple[tuple[Any, ...], tuple[str, ...], str | None, str | None]:
    """(identifiers, categories, venue, code) from the issue's text; options given on the
    command line win over the form's answers."""
    from soralit import issueform, storage

    try:
        body = issue.read()
    except UnicodeDecodeError as exc:
        where = getattr(issue, "name", "-")
        raise UsageProblem(f"{where}: not UTF-8 text (byte {exc.start}); nothing added") from None
    submission = issueform.read_submission(body, storage.load(library_path(ctx)).taxonomy)
    return (
        (submission.identifier,),
        categories or submission.categories,
        venue or submission.venue,
        code or submission.code,
    )


def render(result: AddResult) -> None:
    """New keys (a dry run: the entries) on stdout; notes and the summary on stderr."""
    from soralit.bibtex import format_entry

    if result.dry_run:
        for entry in result.added:
            click.echo(format_entry(entry))
        for _key, raw in result.refreshed:
            click.echo(raw.rstrip("\n") + "\n")
    else:
        for entry in result.added:
            click.echo(entry.key)
    for present in result.present:
        tag = "".join(f" --add {s}" for s in result.categories if s not in present.categories)
        hint = f"; tag it with: soralit tag {present.key}{tag}" if tag else ""
        output.info(f"{present.identifier}: already in library as {present.key}{hint}")
    for failure in result.failed:
        click.echo(f"Error: {failure.identifier}: {failure.error}", err=True)
    for entry in result.uncategorised:
        output.info(
            f"Warning: {entry.key} has no category, so the list will not show it: "
            f"soralit tag {entry.key} --add CATEGORY"
        )
    output.info(("Dry run: nothing written. " if result.dry_run else "") + summary(result))


def summary(result: AddResult) -> str:
    parts = [
        f"added {len(result.added)}",
        f"already present {len(result.present)}",
        f"failed {len(result.failed)}",
    ]
    if result.refreshed:
        parts.insert(1, f"refreshed {len(result.refreshed)}")
    return ", ".join(parts).capitalize() + "."
