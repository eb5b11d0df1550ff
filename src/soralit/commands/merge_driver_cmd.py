"""`soralit merge-driver`: git's merge driver for library.bib, entry by entry.

Reads the three versions git hands over (%O %A %B), merges them with `merging.merge`, and
writes the result over %A. A version that does not read as a library falls back to git's
own line merge (`git merge-file`), so the driver never does worse than git would.
"""

from __future__ import annotations

from pathlib import Path

import click

from soralit import history, merging, output, storage
from soralit.errors import LibraryError


@click.command("merge-driver")
@click.argument("base", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("marker_size", type=click.IntRange(min=1), default=7, required=False)
@click.argument("name", default="library.bib", required=False)
def merge_driver_cmd(base: Path, ours: Path, theirs: Path, marker_size: int, name: str) -> None:
    """A git merge driver: merge library.bib entry by entry.

    git calls it with the common ancestor, our version and their version (%O %A %B), and
    optionally the conflict-marker size and the file's name (%L %P); the result replaces
    OURS. Papers added on both sides are all kept, each near its neighbour; an entry
    edited on one side takes that edit; an entry edited differently on both sides is a
    conflict, marked around that entry alone; the taxonomy block merges as one unit; the
    `%` comment lines above an entry travel with it. Exit 0 when clean, 1 on conflicts.
    Set it up once per clone:

    \b
      git config merge.soralit.name "soralit: merge library.bib entry by entry"
      git config merge.soralit.driver "soralit merge-driver %O %A %B %L %P"
      echo "library.bib merge=soralit" >> .gitattributes
    """
    labels = merging.Labels(base=_base_label(ours), size=marker_size)
    try:
        sides = [_layout(path, name) for path in (base, ours, theirs)]
    except LibraryError as exc:
        output.info(f"{name}: {exc.message}; merging line by line instead")
        raise SystemExit(_line_merge(base, ours, theirs, labels)) from None
    base_side, ours_side, theirs_side = sides
    merged = merging.merge(base_side, ours_side, theirs_side, labels=labels)
    storage.write_atomic(ours, merged.text)
    if merged.conflicts:
        shown = ", ".join(merged.conflicts[:5]) + (", ..." if len(merged.conflicts) > 5 else "")
        output.info(f"{name}: {len(merged.conflicts)} conflicting entries: {shown}")
        raise SystemExit(1)
    output.info(f"{name}: merged entry by entry, no conflict")


def _layout(path: Path, name: str) -> merging.Layout:
    text, _ = storage.read_text(path)
    library = history.parse_text(Path(name), text)
    return merging.layout(text, history.blocks(library))


def _base_label(ours: Path) -> str | None:
    """`base` when git is set to show the ancestor in conflicts (diff3, zdiff3)."""
    done = history.git_output(["config", "--get", "merge.conflictStyle"], ours.parent, check=False)
    return "base" if done.stdout.strip() in (b"diff3", b"zdiff3") else None


def _line_merge(base: Path, ours: Path, theirs: Path, labels: merging.Labels) -> int:
    """git's own line merge into OURS; 0 when clean, 1 on conflicts."""
    args = ["merge-file", f"--marker-size={labels.size}", "-L", labels.ours, "-L", "base"]
    args += ["-L", labels.theirs, str(ours), str(base), str(theirs)]
    done = history.git_output(args, ours.parent, check=False)
    return 0 if done.returncode == 0 else 1
