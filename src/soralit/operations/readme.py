"""Keeping a README's paper list in sync (`export md --in-place`).

The list sits between the README's soralit markers; `sync_readme` puts a freshly
rendered list there, refusing to drop links that the library does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from soralit import storage
from soralit.errors import LibraryError
from soralit.model import Entry


@dataclass(frozen=True)
class ReadmeSync:
    path: Path
    old: str  # the README as it was
    new: str  # the README with the generated list (== old when up to date)
    written: bool  # False when up to date, or when only checked

    @property
    def changed(self) -> bool:
        return self.new != self.old


def sync_readme(
    path: str | Path,
    generated: str,
    entries: Sequence[Entry],
    *,
    check: bool = False,
    force: bool = False,
) -> ReadmeSync:
    """Put GENERATED (the rendered list) between the markers of the README at PATH.

    Raises `LibraryError` when the markers are missing or doubled, or when the text
    between them links to papers (or any page) that ENTRIES lack (unless FORCE: then
    they are dropped). With CHECK nothing is written: the result says what would change.
    """
    from soralit.render import markdown

    path = Path(path)
    old, _ = storage.read_text(path)
    try:
        new = markdown.splice(old, generated)
    except markdown.MarkerError as exc:
        raise LibraryError(path, None, str(exc)) from None
    lost = [] if check or force else markdown.dropped_links(old, generated, entries)
    if lost:
        raise LibraryError(
            path,
            None,
            f"the list between the markers has {len(lost)} link(s) the library does not "
            f"hold (first: {lost[0]}); nothing written. Papers you removed (soralit rm): "
            f"pass --force to drop them from the list; papers added to the README by hand: "
            f"import them first (soralit import md {path})",
        )
    write = new != old and not check
    if write:
        from soralit import fileio

        fileio.check_writable(path)  # `chmod 444 README.md` means "do not edit", as for a library
        storage.write_atomic(path, new)
    return ReadmeSync(path, old, new, write)
