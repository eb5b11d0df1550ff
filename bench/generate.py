"""Benchmark libraries: N entries made from the real `bench/medium-cdl.bib`, tagged.

Pure text in, text out (the runner writes the files). Entries are repeated in order with
their citation keys made unique (`Rame72`, then `Rame72-r1`, ...), and each gets a
`Keywords` field of one or two slugs from a small taxonomy, drawn with a fixed seed so
that every run queries the same libraries. A `soralit-taxonomy` block at the top makes
`--category` queries resolve. Everything else in an entry is the source's bytes.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SOURCE = Path(__file__).with_name("medium-cdl.bib")

TAXONOMY = {
    "Memory": ["episodic-memory", "working-memory", "recall", "forgetting"],
    "Learning": ["education", "reinforcement", "category-learning", "skill"],
    "Methods": ["neuroimaging", "modeling", "behavior", "statistics"],
}
QUERY_CATEGORY = "recall"  # the category `list --category` asks for in the benchmarks

_ENTRY_START = re.compile(r"^@", re.M)
_HEAD = re.compile(r"^@(\w+)\{([^,\s]+),[ \t]*\n")


def split_entries(text: str) -> list[str]:
    """The entries of a file that holds only entries, each without trailing whitespace."""
    starts = [m.start() for m in _ENTRY_START.finditer(text)]
    return [text[a:b].rstrip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def taxonomy_block() -> str:
    lines = ["@comment{soralit-taxonomy:", "title: soralit benchmark library"]
    for section, slugs in TAXONOMY.items():
        lines.append(f"## {section}")
        lines += [f"- {slug}: {slug.replace('-', ' ').title()}" for slug in slugs]
    return "\n".join([*lines, "}"])


def tagged(entry: str, key: str, keywords: list[str]) -> str:
    """ENTRY with its key replaced by KEY and a Keywords field as its first field."""
    head = _HEAD.match(entry)
    if head is None:
        raise ValueError(f"unexpected entry head: {entry[:60]!r}")
    field = f"\tKeywords = {{{', '.join(keywords)}}},\n"
    return f"@{head.group(1)}{{{key},\n{field}{entry[head.end() :]}"


def generate(count: int, source: str, *, seed: int = 7) -> str:
    """A library of COUNT entries built from the entries of SOURCE."""
    entries = split_entries(source)
    slugs = [slug for group in TAXONOMY.values() for slug in group]
    rng = random.Random(seed)
    parts = [taxonomy_block()]
    for i in range(count):
        entry = entries[i % len(entries)]
        round_ = i // len(entries)
        key = _HEAD.match(entry).group(2)  # type: ignore[union-attr]
        if round_:
            key = f"{key}-r{round_}"
        parts.append(tagged(entry, key, rng.sample(slugs, rng.choice((1, 1, 2)))))
    return "\n\n".join(parts) + "\n"


def write_libraries(folder: Path, sizes: dict[str, int]) -> dict[str, Path]:
    """Generate each size into FOLDER (rewritten only when its text changed)."""
    source = SOURCE.read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for label, count in sizes.items():
        path = folder / f"library-{label}.bib"
        text = generate(count, source)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths[label] = path
    return paths
