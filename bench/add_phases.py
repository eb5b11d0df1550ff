"""Where the time of one `soralit add` goes, measured inside the process.

`python bench/add_phases.py LIBRARY ID`: imports soralit and the HTTP stack, then runs the
real `add` command in-process with timers wrapped around its phases, and prints them as
JSON (milliseconds). soralit's own work is the command's time minus the HTTP round trips;
interpreter start-up and imports are reported apart. The caller points
`SORALIT_ARXIV_URL` at a local replay server and sets `SORALIT_ARXIV_DELAY=0`.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

START = time.perf_counter()

from soralit import cache, fileio, incremental, storage  # noqa: E402  (imports are timed)
from soralit.cli import cli  # noqa: E402
from soralit.commands import add_cmd  # noqa: E402, F401
from soralit.operations import papers  # noqa: E402
from soralit.sources import arxiv, http  # noqa: E402

IMPORTED = time.perf_counter()
PHASES: dict[str, float] = defaultdict(float)


def timed(owner: Any, name: str, label: str) -> None:
    """Replace OWNER.NAME by a wrapper that adds its duration to PHASES[LABEL]."""
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        begin = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            PHASES[label] += time.perf_counter() - begin

    setattr(owner, name, wrapper)


def main(library: str, identifier: str) -> None:
    for owner, name, label in [
        (http, "request", "network"),
        (storage, "load", "load"),
        (papers, "plan", "plan"),
        (papers, "fetch", "fetch"),
        (arxiv, "parse_feed", "feed parse"),
        (fileio, "holds", "same bytes"),
        (papers, "write", "locked work"),
        (storage.Transaction, "commit", "commit"),
        (fileio, "write_atomic", "save"),
        (os, "fsync", "fsync"),
        (incremental, "edited", "cache update"),
        (cache, "write", "cache write"),
    ]:
        timed(owner, name, label)
    begin = time.perf_counter()
    try:
        cli(["--library", library, "add", identifier], prog_name="soralit")
    except SystemExit as exc:
        if exc.code:
            raise
    total = time.perf_counter() - begin
    result = {name: seconds * 1000 for name, seconds in PHASES.items()}
    result["imports"] = (IMPORTED - START) * 1000
    result["command"] = total * 1000
    result["own"] = (total - PHASES["network"]) * 1000
    print(json.dumps(result))  # the last line of stdout, after the new key


if __name__ == "__main__":
    main(*sys.argv[1:])
