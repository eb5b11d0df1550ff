"""The benchmark report: the machine, the timings table, the targets with pass/fail.

Pure formatting (plus reading /proc for the CPU name). The same Markdown is printed and
spliced into docs/benchmarks.md between the `bench:start`/`bench:end` markers, so the
prose around it survives each run.
"""

from __future__ import annotations

import datetime
import math
import os
import platform
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass(frozen=True)
class Row:
    name: str
    min_ms: float
    median_ms: float
    runs: int
    peak_mib: float = float("nan")
    note: str = ""


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    limit: str
    ok: bool


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> list[str]:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "absent"

    return [
        f"- Date: {datetime.date.today().isoformat()}",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores ({platform.system()} {platform.release()})",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"bibtexparser {version('bibtexparser')}, click {version('click')}, "
        f"rich {version('rich')}, soralit {version('soralit')}",
    ]


def _ms(value: float) -> str:
    if math.isnan(value):  # not measured
        return "n/a"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def timings_table(rows: Iterable[Row]) -> list[str]:
    return table(
        ("command", "min ms", "median ms", "runs", "peak RSS MiB", "note"),
        (
            (
                f"`{r.name}`",
                _ms(r.min_ms),
                _ms(r.median_ms),
                str(r.runs) if r.runs else "n/a",
                _ms(r.peak_mib),
                r.note,
            )
            for r in rows
        ),
    )


def targets_table(targets: Iterable[Target]) -> list[str]:
    return table(
        ("target", "measured", "limit", "result"),
        ((t.name, t.measured, t.limit, "pass" if t.ok else "**FAIL**") for t in targets),
    )


def render(sections: Sequence[tuple[str, list[str]]]) -> str:
    """Markdown: the machine, then each (heading, lines) section."""
    lines = ["### Machine", "", *machine()]
    for heading, body in sections:
        lines += ["", f"### {heading}", "", *body]
    return "\n".join(lines) + "\n"


def splice_into(path: Path, generated: str, markers: tuple[str, str] = (START, END)) -> None:
    """Replace the text between the MARKERS in PATH (created with them if missing)."""
    first, last = markers
    old = (
        path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{first}\n{last}\n"
    )
    start, end = old.find(first), old.find(last)
    if start < 0 or end < start:
        old = old.rstrip("\n") + f"\n\n{first}\n{last}\n"
        start, end = old.find(first), old.find(last)
    path.write_text(old[: start + len(first)] + "\n" + generated + old[end:], encoding="utf-8")
