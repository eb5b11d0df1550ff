"""Migration figures for docs/migration.md: each real list of tests/fixtures/lists through
`soralit import md` and `soralit export md --in-place`, as a maintainer runs them.

    .venv/bin/python bench/migration.py          # prints the Markdown table

Per list: the paper entries the independent counter (tests/listcount.py) finds, the
entries imported, the items reported as not imported, the distinct paper links kept by
the export (of those the counter finds), the lines outside the entries that are lost
(always 0), and the wall-clock seconds of each command, as whole processes (the fastest
of three runs, so that start-up counts and a busy machine counts least).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from listcount import count_entries  # noqa: E402
from soralit.importers.markdown import parse_markdown  # noqa: E402

LISTS = ROOT / "tests" / "fixtures" / "lists"
SORALIT = [sys.executable, "-m", "soralit"]
RUNS = 3


def timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:  # type: ignore[type-arg]
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - start, done


def migrate(name: str) -> dict[str, object]:
    """The figures of one list (the fastest of RUNS runs for the times)."""
    source = LISTS / f"{name}.md"
    before = source.read_bytes().decode("utf-8")
    result = parse_markdown(before)
    import_s, export_s = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(RUNS):
            readme, library = Path(folder) / "README.md", Path(folder) / "library.bib"
            shutil.copyfile(source, readme)
            library.unlink(missing_ok=True)
            env = {"SORALIT_CACHE_DIR": "off", "PATH": "/usr/bin:/bin"}
            seconds, done = timed([*SORALIT, "--library", str(library), "import", "md",
                                   str(readme)], env)  # fmt: skip
            assert done.returncode == 0, done.stderr[-500:]
            import_s.append(seconds)
            seconds, done = timed([*SORALIT, "--library", str(library), "export", "md",
                                   "--in-place", str(readme)], env)  # fmt: skip
            assert done.returncode == 0, done.stderr[-500:]
            export_s.append(seconds)
        after = readme.read_bytes().decode("utf-8")
    counted, kept = count_entries(before), count_entries(after)
    outside = {line.strip() for line in after.splitlines()}
    lost = [
        line
        for i, line in enumerate(before.splitlines())
        if i not in result.entry_lines
        and line.strip()
        and not re.match(r" {0,3}#", line)
        and line.strip() not in outside
    ]
    return {
        "name": name,
        "lines": len(before.splitlines()),
        "counted": counted.entries,
        "imported": len(result.entries),
        "skipped": len(result.skipped),
        "links": f"{len(counted.links & kept.links)}/{len(counted.links)}",
        "share": len(counted.links & kept.links) / max(1, len(counted.links)),
        "lost": len(lost),
        "import": min(import_s),
        "export": min(export_s),
    }


def table(rows: list[dict[str, object]]) -> str:
    head = (
        "| list | lines | entries counted | imported | not imported | paper links kept | "
        "lines lost | import md (s) | export md --in-place (s) |\n"
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    body = "".join(
        f"| `{r['name']}` | {r['lines']:,} | {r['counted']:,} | {r['imported']:,} | "
        f"{r['skipped']:,} | {r['links']} ({r['share']:.1%}) | {r['lost']} | "
        f"{r['import']:.2f} | {r['export']:.2f} |\n"
        for r in rows
    )
    return head + body


def main() -> None:
    names = sorted(p.stem for p in LISTS.glob("*.md") if p.stem != "PROVENANCE")
    print(table([migrate(name) for name in names]), end="")


if __name__ == "__main__":
    main()
