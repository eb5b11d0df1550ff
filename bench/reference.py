"""The yardstick: what a script that reads the library with bibtexparser 2 costs.

`python bench/reference.py filter FILE CATEGORY`: parse FILE with `parse_string` and print
the keys of the entries whose `keywords` name CATEGORY (the whole-process reference that
`soralit list --category X --format keys` is compared with).
`python bench/reference.py parse FILE RUNS`: time `parse_string` alone, in-process, RUNS
times, and print the seconds as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def filter_keys(path: str, category: str) -> list[str]:
    import bibtexparser

    library = bibtexparser.parse_string(Path(path).read_text(encoding="utf-8"))
    keys = []
    for entry in library.entries:
        field = entry.fields_dict.get("Keywords") or entry.fields_dict.get("keywords")
        if field and category in (k.strip() for k in str(field.value).split(",")):
            keys.append(entry.key)
    return keys


def time_parse(path: str, runs: int) -> list[float]:
    import bibtexparser

    text = Path(path).read_text(encoding="utf-8")
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        bibtexparser.parse_string(text)
        seconds.append(time.perf_counter() - start)
    return seconds


def main(argv: list[str]) -> None:
    mode, path, arg = argv
    if mode == "filter":
        sys.stdout.write("".join(f"{key}\n" for key in filter_keys(path, arg)))
    else:
        print(json.dumps(time_parse(path, int(arg))))


if __name__ == "__main__":
    main(sys.argv[1:])
