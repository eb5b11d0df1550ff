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
from soralit.errors import UsageProblem
from soralit.findings import excerpt
from soralit.model import Entry

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
  soralit check --online --changed-since origin/main
  soralit check --rule unknown-venue --rule venue-year

\b
--online asks each link of the registry that knows it, politely: arXiv IDs through arXiv's
API (100 a request, SORALIT_ARXIV_DELAY = 3 s apart), DOIs through doi.org (HEAD, not
followed), GitHub repositories through GitHub's API (GITHUB_TOKEN raises its limit), other
links with HEAD, one host at a pace. A link is ok, broken (404/410, an arXiv ID unknown
or withdrawn: dead-link, an error) or blocked (401/403/429, a publisher that refuses
robots, a server error: blocked-link, a note that never fails the check).

\b
Rules (id, severity):
{_rules_help()}
"""


@click.command("check", help=HELP)
@format_option(FORMATS, "one line per finding")
@click.option("--strict", is_flag=True, help="Warnings count too: exit 1 on any finding.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes to the file, then check again.")
@click.option("--online", is_flag=True, help="Also verify links and IDs with their registries.")
@click.option(
    "--changed-since", "changed_since", metavar="REF",
    help="With --online: only the entries added or changed since git REF.",
)  # fmt: skip
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
    changed_since: str | None,
    timeout: float | None,
    rules: tuple[str, ...],
) -> None:
    path = library_path(ctx)
    if changed_since and not online:
        raise UsageProblem("--changed-since needs --online")
    if fix:
        fix_library(path, set(rules))
    library = storage.load(path)
    online = online and (not rules or bool(check.ONLINE_RULES & set(rules)))
    tried: bool | frozenset[str] = online
    extra: list[check.Finding] = []
    if online:
        entries = changed_entries(library, changed_since) if changed_since else library.entries
        extra = online_findings(entries, timeout)
        tried = frozenset(e.key for e in entries) if changed_since else True
    findings = check.check_library(library, extra=extra, online=tried)
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
    if any(f.severity == check.ERROR or (strict and f.severity == check.WARNING) for f in shown):
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
    counts = {"errors": 0, "warnings": 0, "notes": 0, "suppressed": 0}
    for f in findings:
        counts["suppressed" if f.suppressed else f"{f.severity}s"] += 1
    return counts


def summary(findings: Iterable[check.Finding], path: str) -> str:
    """`2 errors, 5 warnings in library.bib` (and how many `nocheck` suppressed)."""
    counts = _counts(findings)
    parts = [_plural(counts["errors"], "error"), _plural(counts["warnings"], "warning")]
    if counts["notes"]:
        parts.append(_plural(counts["notes"], "note"))
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


def changed_entries(library: storage.Library, ref: str) -> list[Entry]:
    """The entries added or edited since git REF (their text differs from REF's)."""
    from soralit import history

    commit, _ = history.since(library.path, ref)
    old = history.parse_text(library.path, history.text_at(library.path, commit))
    before = {e.key: e.raw for e in old.entries}
    changed = [e for e in library.entries if before.get(e.key) != e.raw]
    output.info(f"{len(changed)} of {len(library.entries)} entries added or changed since {ref}")
    return changed


def online_findings(entries: Sequence[Entry], timeout: float | None) -> list[check.Finding]:
    """Verify the links and IDs of ENTRIES; dead-link and blocked-link findings."""
    from soralit.linktargets import BLOCKED, BROKEN, entry_targets
    from soralit.sources import verify

    targets = list(dict.fromkeys(t for e in entries for _, _, t in entry_targets(e)))
    with output.progress(
        len(targets), enabled=output.stderr_is_tty() and len(targets) > 1, label="Verifying"
    ) as advance:
        done = 0

        def step(count: int) -> None:
            nonlocal done
            done += count
            advance(done)

        verdicts = verify.verify(targets, timeout=timeout, on_done=step)
    states = [v.state for v in verdicts.values()]
    output.info(
        f"{len(targets)} links and IDs: {states.count(BROKEN)} broken, "
        f"{states.count(BLOCKED)} blocked (not verified), "
        f"{len(states) - states.count(BROKEN) - states.count(BLOCKED)} ok"
    )
    return list(check.online_findings(entries, verdicts))
