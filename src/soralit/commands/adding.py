"""`soralit add`: new entries from arXiv IDs and DOIs, appended surgically."""

from __future__ import annotations

import re

import click

from soralit import output, query, storage
from soralit.commands.common import library_path
from soralit.duplicates import WorkIndex
from soralit.errors import SourceError, UsageProblem
from soralit.model import Entry
from soralit.render.bibtex import format_entry


class IdentifierType(click.ParamType):
    """An arXiv ID or DOI in any pasted form, checked before any request.

    A bad one is a `UsageProblem`: one `Error: not an arXiv ID or DOI: 'x'` line, exit 2,
    rather than click's usage block (people paste many IDs; the line must name the bad one).
    """

    name = "ID"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        from soralit.ids import parse_identifier

        return value if not isinstance(value, str) else parse_identifier(value)


class FieldValueType(click.ParamType):
    """Text for a field of the new entries: one line that reads back exactly as given."""

    name = "TEXT"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        from soralit.bibtext import value_problem

        problem = "it spans lines" if value.splitlines() not in ([], [value]) else ""
        problem = problem or value_problem(value)
        if problem:
            self.fail(f"{value!r} cannot be written to a BibTeX field: {problem}", param, ctx)
        return value


class CiteKeyType(click.ParamType):
    """A citation key as biber reads one."""

    name = "KEY"
    _KEY = re.compile(r"[^\s\"#%'(),={}\\]+")

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if not self._KEY.fullmatch(value):
            self.fail(f"{value!r}: a key has no spaces and none of \"#%'(),={{}}\\", param, ctx)
        return value


@click.command("add")
@click.argument("identifiers", nargs=-1, required=True, type=IdentifierType())
@click.option(
    "--category",
    "-c",
    "categories",
    multiple=True,
    metavar="CAT",
    help="Category for the new entries (repeatable).",
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
def add_cmd(ctx, identifiers, categories, venue, code, key, abstract, update, dry_run) -> None:  # type: ignore[no-untyped-def]
    """Add papers by arXiv ID or DOI, with fetched metadata.

    IDs may be pasted in any form: 2402.17177, 2402.17177v2, arXiv:2402.17177,
    https://arxiv.org/abs/2402.17177, https://arxiv.org/pdf/2402.17177v1.pdf,
    hep-th/9901001, 10.1145/3581783.3612667, doi:..., https://doi.org/...
    A paper already in the library is not added twice. The new keys are printed on
    stdout; a summary goes to stderr. Exit 1 if any ID failed.

    \b
    Examples:
      soralit add 2402.17177 --category modeling
      soralit add 2309.15103 2401.03048 -c modeling --venue "arXiv 2023.09"
      soralit add 10.1038/s42256-024-00832-8 --dry-run
      soralit add 2402.17177 --update
    """
    from soralit import adding

    path = library_path(ctx)
    if key and len(identifiers) > 1:
        raise UsageProblem("--key needs exactly one ID")
    library = storage.load(path)
    adding.check_key_free(library, key)
    slugs = [
        s
        for s in library.taxonomy.slugs()
        if s in query.resolve_categories(library.taxonomy, categories)
    ]
    extra = {"keywords": ", ".join(slugs), "venue": venue or "", "code": code or ""}
    plan = adding.plan(library, list(identifiers), refresh=update)
    for ident, holder in plan.present:
        output.info(f"{ident}: already in library as {holder}")
    fetched = adding.fetch(plan.wanted, abstract=abstract, progress=output.stderr_is_tty())
    failures = [(ident, err) for ident, err in fetched.items() if isinstance(err, SourceError)]
    for ident, error in failures:
        click.echo(f"Error: {ident}: {error}", err=True)
    entries = {i: e for i, e in fetched.items() if isinstance(e, Entry)}
    if dry_run:
        for entry in entries.values():
            click.echo(format_entry(adding.finish(entry, extra, key, WorkIndex(library.entries))))
        output.info(f"Dry run: nothing written. {_summary(len(entries), plan, failures)}")
    else:
        added, refreshed, present = adding.write(path, entries, extra, key, refresh=update)
        for new_key in added:
            click.echo(new_key)
        for ident, holder in present:
            output.info(f"{ident}: already in library as {holder}")
        plan.present.extend(present)
        output.info(_summary(len(added), plan, failures, refreshed))
    if failures:
        ctx.exit(1)  # each failure already has its own `Error:` line


def _summary(added: int, plan, failures, refreshed: int = 0) -> str:  # type: ignore[no-untyped-def]
    parts = [f"added {added}", f"already present {len(plan.present)}", f"failed {len(failures)}"]
    if refreshed:
        parts.insert(1, f"refreshed {refreshed}")
    return ", ".join(parts).capitalize() + "."
