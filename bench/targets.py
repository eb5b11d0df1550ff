"""The targets of issues 7 and 12, as ratios of timings measured in the same run.

Pure: timings in, `report.Target`s out. A ratio is judged on each command's fastest run
(the one least disturbed by other work on the machine); the ratio of medians is shown
beside it. A figure that was not measured fails its target.
"""

from __future__ import annotations

from collections.abc import Mapping

from generate import QUERY_CATEGORY as CAT
from measure import Timing
from report import Target

CLICK = 'python -c "import click"'
ADD_BUDGET = 0.65  # `add` into 10k: soralit's own work, as a share of `import click`
WARM_AFTER_WRITE = 1.5  # the read just after a write, vs a warm read (a cold one is ~10x)
RSS_BUDGET_MIB = 100.0


def _ms(timings: Mapping[str, Timing], name: str) -> tuple[float, float]:
    """(min, median) milliseconds of a command; NaN when it was not measured."""
    timing = timings.get(name)
    if timing is None or timing.failed or not timing.seconds:
        return float("nan"), float("nan")
    return timing.min * 1000, timing.median * 1000


def _ratio(
    name: str,
    value: tuple[float, float],
    base: tuple[float, float],
    limit: float,
    *,
    below: bool = False,
    limit_shown: str = "",
) -> Target:
    """VALUE / BASE against LIMIT (at most, or strictly below), judged on the fastest runs."""
    fastest = value[0] / base[0] if base[0] else float("nan")
    typical = value[1] / base[1] if base[1] else float("nan")
    ok = fastest < limit if below else fastest <= limit
    sign = "<" if below else "≤"
    shown = f"{value[0]:,.0f} ms / {base[0]:,.0f} ms = {fastest:.2f}× (medians: {typical:.2f}×)"
    return Target(name, shown, f"{sign} {limit_shown or f'{limit:g}'}×", bool(ok))  # NaN: False


def evaluate(
    timings: Mapping[str, Timing],
    phases: Mapping[str, tuple[float, float]],
    *,
    add_ok: bool,
    light: bool,
    exact: bool,
) -> list[Target]:
    ms = lambda name: _ms(timings, name)  # noqa: E731
    click = ms(CLICK)
    keys = {
        size: ms(f"soralit list --category {CAT} --format keys ({size})") for size in ("10k", "50k")
    }
    ref = {size: ms(f"reference: bibtexparser parse + filter ({size})") for size in ("10k", "50k")}
    rss = timings.get(f"soralit list --category {CAT} --format keys (50k)")
    peak = rss.peak if rss is not None and rss.seconds else float("nan")
    own = phases.get("own", (float("nan"), float("nan")))
    cold = f"soralit list --category {CAT} --format keys ({{}}, cold cache)"
    cold_rss = timings.get(cold.format("50k"))
    cold_peak = cold_rss.peak if cold_rss is not None and cold_rss.seconds else float("nan")
    targets = [
        _ratio("1. `soralit --version` vs import click", ms("soralit --version"), click, 1.5),
        _ratio("1. `soralit --help` vs import click", ms("soralit --help"), click, 1.5),
        Target(
            "1. `import soralit.cli` loads no requests, rich.table/progress, bibtexparser",
            "none loaded" if light else "loaded",
            "none",
            light,
        ),
        _ratio("2. `list -c X -f keys` 10k vs import click", keys["10k"], click, 3),
        _ratio("2. `list -c X -f keys` 10k vs reference 10k", keys["10k"], ref["10k"], 0.2),
        _ratio(
            "2. `list -c X -f keys` 50k vs reference 50k", keys["50k"], ref["50k"], 0.1, below=True
        ),
        Target(
            "2. peak RSS of `list` 50k",
            f"{peak:.0f} MiB",
            f"< {RSS_BUDGET_MIB:g} MiB",
            peak < RSS_BUDGET_MIB,
        ),
        _ratio(
            "2. `list --format table` (shipped) vs import click",
            ms("soralit list --format table (shipped library)"),
            click,
            3,
        ),
        _ratio("3. `add` into 10k: soralit's own work vs import click", own, click, ADD_BUDGET),
        Target(
            "3. `add` changes no other byte",
            "unchanged" if add_ok else "CHANGED",
            "unchanged",
            add_ok,
        ),
        _ratio("4. `export md` 10k vs import click", ms("soralit export md (10k)"), click, 5),
        _ratio(
            "4. `check` 10k vs reference 10k", ms("soralit check (10k)"), ref["10k"], 1, below=True
        ),
        *(
            _ratio(
                f"3. `list -c X -f keys` just after `{write}` (10k) vs warm",
                ms(f"soralit list --category {CAT} --format keys (10k, just after {write})"),
                keys["10k"],
                WARM_AFTER_WRITE,
            )
            for write in ("add", "tag", "rm")
        ),
        Target(
            "5. fast path equals bibtexparser (tests/test_fast_path.py)",
            "equal" if exact else "differs or not run",
            "equal",
            exact,
        ),
        # Issue 12: the first read after an edit (an empty cache) is fast too.
        _ratio(
            "7. cold `list -c X -f keys` 10k vs reference 10k",
            ms(cold.format("10k")),
            ref["10k"],
            1 / 3,
            limit_shown="1/3",
        ),
        Target(
            "7. peak RSS of cold `list` 50k",
            f"{cold_peak:.0f} MiB",
            f"≤ {RSS_BUDGET_MIB:g} MiB",
            cold_peak <= RSS_BUDGET_MIB,
        ),
    ]
    return targets
