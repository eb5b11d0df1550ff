"""Timing whole processes: wall time over several runs, and each run's peak memory.

Runs are interleaved (every command once per round, then the next round) so that a slow
moment of the machine spreads over all commands instead of one. Peak RSS comes from the
kernel's own accounting of the one child (`os.wait4`), not from sampling; each run is
started by a small launcher process (`python bench/measure.py ARGV...`) that reports it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class Timing:
    """The runs of one command: seconds, and peak RSS in MiB."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    failed: str = ""

    @property
    def min(self) -> float:
        return min(self.seconds) if self.seconds else float("nan")

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def peak(self) -> float:
        return max(self.peak_mib) if self.peak_mib else float("nan")


@dataclass(frozen=True)
class Command:
    """One process to time. `before` runs untimed before each run (e.g. to empty a cache)."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    before: Callable[[], None] | None = None
    ok_codes: tuple[int, ...] = (0,)


def run_once(command: Command, base_env: Mapping[str, str]) -> tuple[float, float, int, str]:
    """(seconds, peak MiB, exit code, stderr) of one run, through the launcher below."""
    if command.before is not None:
        command.before()
    env = {**base_env, **command.env}
    with tempfile.TemporaryFile() as err:
        launcher = [sys.executable, __file__, *command.argv]
        out = subprocess.run(launcher, env=env, stdout=subprocess.PIPE, stderr=err, check=True)
        err.seek(0)
        message = err.read().decode(errors="replace")
    seconds, peak, code = json.loads(out.stdout)
    return seconds, peak, code, message


def launch(argv: Sequence[str]) -> tuple[float, float, int]:
    """Run ARGV with stdout to /dev/null: (seconds, peak RSS MiB, exit code).

    This runs in a small process of its own: a child's peak RSS as Linux reports it
    includes the memory of the process that spawned it, so the spawner must be small.
    """
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    # wait4 instead of Popen.wait: it also returns the kernel's accounting of this child.
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, code


def time_commands(
    commands: Sequence[Command], rounds: int, base_env: Mapping[str, str]
) -> dict[str, Timing]:
    """Run each command ROUNDS times, interleaved; a failing command is marked, not timed."""
    timings = {c.name: Timing(c.name) for c in commands}
    for _ in range(rounds):
        for command in commands:
            timing = timings[command.name]
            if timing.failed:
                continue
            seconds, peak, code, err = run_once(command, base_env)
            if code not in command.ok_codes:
                timing.failed = f"exit {code}: {err.strip()[-300:]}"
                continue
            timing.seconds.append(seconds)
            timing.peak_mib.append(peak)
    return timings


if __name__ == "__main__":
    print(json.dumps(launch(sys.argv[1:])))
