"""The `stats --plot` chart: papers per year, stacked by group, drawn with matplotlib.

The only module that imports matplotlib, and only inside `plot_years`: it is the optional
extra `soralit[plot]`. Its absence is an expected failure (`MissingExtra`), not a traceback.
Returns the image bytes (the command writes them); the numbers come from
`stats.years_by_group`.
"""

from __future__ import annotations

import io
from typing import Any

from soralit.errors import SoralitError

FORMATS = ("svg", "png")


class MissingExtra(SoralitError):
    """An optional dependency is not installed."""


def _figure() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise MissingExtra(
            "--plot needs matplotlib, which is not installed: pip install 'soralit[plot]'"
        ) from None
    # SVG ids derive from this salt instead of a random one: the same data, the same file.
    matplotlib.rcParams["svg.hashsalt"] = "soralit"
    # Text stays text (smaller, selectable, readable by screen readers), not glyph paths.
    matplotlib.rcParams["svg.fonttype"] = "none"
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

    return Figure(figsize=(8, 4.5), layout="constrained")


def plot_years(
    years: list[int], groups: dict[str, list[int]], *, fmt: str = "svg", title: str = ""
) -> bytes:
    """A stacked bar chart of papers per year, one colour per group, as FMT (svg, png)."""
    figure = _figure()
    axes = figure.add_subplot()
    positions = [str(y) for y in years]
    bottom = [0] * len(years)
    for name, counts in groups.items():
        colour = {"color": "#9e9e9e"} if name == "other" else {}
        axes.bar(positions, counts, bottom=bottom, label=name, edgecolor="white", linewidth=0.5,
                 **colour)  # fmt: skip
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_xlabel("year")
    axes.set_ylabel("papers")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if title:
        axes.set_title(title, loc="left")
    if groups:
        handles, labels = axes.get_legend_handles_labels()
        # Top to bottom, like the stack itself.
        axes.legend(handles[::-1], labels[::-1], frameon=False)
    # No creation date in the file, so regenerating an unchanged chart changes no byte.
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata=metadata, dpi=150)
    return buffer.getvalue()
