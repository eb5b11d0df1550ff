"""`soralit check`: lint the library, repair what is safe (`--fix`), try links (`--online`).

The rules are `soralit.check`; this module runs them, has `--fix` made
(`operations.repairs`) and renders the findings: a table, one line per finding, or
JSON on stdout; the summary, the fixes made and link progress on stderr.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from soralit import check, output, storage
from soralit.commands.options import format_option, library_path
from soralit.errors import SourceError
from soralit.findings import excerpt

FORMATS = ("auto", "table", "lines", "json")
FIXABLE = (
    "mojibake, a venue typo with one clear suggestion, an arXiv label that contradicts the arXiv"
    " ID, a label left in the old `venue` field (moved to `listvenue`)"
)


def _rules_help() -> str:
    width = max(map(len, check.RULES))
    return "\n".join(
        f"  {r.id:<{width}}  {r.severity:<7}  {r.summary}" for r in check.RULES.values()
    )


HELP = f"""Lint the library: duplicates, venues, links, fields.

Every finding names its rule, the entry key and the file line. Piped, each is one line
`FILE:LINE: RULE KEY: SEVERITY: MESSAGE`, the form editors and CI annotators read. The
exit status is 1 when an error is found (with --strict, any warning too), else 0. --fix
applies the safe repairs to the file ({FIXABLE}), prints each, and checks again. An entry
field `nocheck = {{missing-year}}` suppresses the listed rules for that entry, for
problems no source can fix: suppressed findings are counted in the summary and listed in
--format json, and a `nocheck` that suppresses nothing is reported.

\b
Examples:
  soralit check
  soralit check --format json
  soralit check --fix
  soralit check --online --strict
  soralit check --rule unknown-venue --rule venue-year

\b
Rules (id, severity):
{_rules_help()}
"""


@click.command("check", help=HELP)
@format_option(FORMATS, "one line per finding")
@click.option("--strict", is_flag=True, help="Warnings count too: exit 1 on any finding.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes to the file, then check again.")
@click.option("--online", is_flag=True, help="Also check that every url and code link answers.")
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=None,
    help="Seconds to wait for each link with --online (default: SORALIT_TIMEOUT or 10).",
)  # fmt: skip
@click.option(
    "--rule", "rules", multiple=True, metavar="ID", type=click.Choice(sorted(check.RULES)),
    help="Only this rule (repeatable); --fix then fixes only these rules' findings.",
)  # fmt: skip
@click.pass_context
def check_cmd(
    ctx: click.Context,
    fmt: str,
    strict: bool,
    fix: bool,
    online: bool,
    timeout: float | None,
    rules: tuple[str, ...],
) -> None:
    path = library_path(ctx)
    if fix:
        fix_library(path, set(rules))
    library = storage.load(path)
    online = online and (not rules or "dead-link" in rules)
    extra = dead_link_findings(library, timeout) if online else []
    findings = check.check_library(library, extra=extra, online=online)
    findings = [f for f in findings if not rules or f.rule in rules]
    if fmt == "auto":
        fmt = "table" if output.stdout_is_tty() else "lines"
    shown = [f for f in findings if not f.suppressed]
    if fmt == "json":
        click.echo(render_json(findings, str(path)))
    elif fmt == "table":
        print_findings(shown, str(path))
    else:
        click.echo("".join(f"{line}\n" for line in render_lines(shown, str(path))), nl=False)
    output.info(summary(findings, str(path)))
    if any(f.severity == check.ERROR or strict for f in shown):
        ctx.exit(1)


def render_lines(findings: Iterable[check.Finding], path: str) -> list[str]:
    """`FILE:LINE: RULE KEY: SEVERITY: MESSAGE` per finding."""
    return [f"{path}:{f.line}: {f.rule} {f.key}: {f.severity}: {f.message}" for f in findings]


def render_json(findings: Sequence[check.Finding], path: str) -> str:
    counts = _counts(findings)
    body = {"file": path, **counts, "findings": [f.to_dict() for f in findings]}
    return json.dumps(body, indent=2, ensure_ascii=False)


def print_findings(findings: Sequence[check.Finding], path: str) -> None:
    from rich.markup import escape

    rows = [(str(f.line), f.severity, f.rule, escape(f.key), escape(f.message)) for f in findings]
    output.print_table(("line", "severity", "rule", "key", "message"), rows, title=escape(path))


def _counts(findings: Iterable[check.Finding]) -> dict[str, int]:
    counts = {"errors": 0, "warnings": 0, "suppressed": 0}
    for f in findings:
        counts["suppressed" if f.suppressed else f"{f.severity}s"] += 1
    return counts


def summary(findings: Iterable[check.Finding], path: str) -> str:
    """`2 errors, 5 warnings in library.bib` (and how many `nocheck` suppressed)."""
    counts = _counts(findings)
    parts = [_plural(counts["errors"], "error"), _plural(counts["warnings"], "warning")]
    if counts["suppressed"]:
        parts.append(f"{counts['suppressed']} suppressed by nocheck")
    return f"{', '.join(parts)} in {path}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def fix_library(path: Path, rules: set[str]) -> None:
    """Apply the safe fixes (of RULES only, if any) and say what changed."""
    from soralit.operations.repairs import fix

    result = fix(path, rules)
    for change in result.changes:
        old, new = excerpt(change.old, change.new)
        if change.old_field:
            output.info(f"fixed {change.key}: {change.old_field} {old} → {change.field} {new}")
        else:
            output.info(f"fixed {change.key}: {change.field} {old} → {new}")
    if not result.changes:
        output.info("nothing to fix automatically")


def dead_link_findings(library: storage.Library, timeout: float | None) -> list[check.Finding]:
    """Try every well-formed link; a dead-link finding per field whose link fails."""
    from soralit.sources import links

    urls = check.link_targets(library.entries)
    results = links.check_links(urls, concurrency=4, timeout=timeout)
    if len(set(urls)) > 1 and all(r.status is None for r in results):  # not one answer
        raise SourceError(
            f"check --online: none of the {len(set(urls))} links could be reached "
            f"(first: {results[0].error}); is this machine offline? Nothing is reported "
            "dead; run without --online for the other checks"
        )
    broken = {r.url: r.describe() for r in results if not r.ok}
    output.info(f"{len(urls) - len(broken)} of {len(urls)} links answer, {len(broken)} do not")
    return list(check.dead_links(library.entries, broken))
