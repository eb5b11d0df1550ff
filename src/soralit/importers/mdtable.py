"""Paper tables (GFM pipe tables): which column holds what, and one row -> a `Draft`.

Pure. Each column's role comes from its header: the title (`Title`, `Paper`, `Name`),
`Venue`/`Conference`/`Pub.`, `Date`/`Year`, `Pub. & Date`, links (`Paper` beside a
title column, `Link`, `PDF`, `arXiv`), `Code`/`GitHub`, other pages (`Website`,
`Demo`). Star counts and ratings (`Stars`, `Recom`) are left out, and any other column
is kept in the entry's note as `Header: value`; both are reported once per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from soralit import model
from soralit.importers.items import Cell, Draft, read_item
from soralit.importers.mdtokens import Piece, plain_text

ROLES = {
    "title": ("title", "titles", "paper-title", "name", "paper-name", "method", "methods",
              "model", "models", "title-authors", "title-and-authors", "paper-and-authors",
              "paper-authors", "work"),
    "venue": ("venue", "venues", "conference", "conf", "publication", "journal", "pub",
              "conference-journal", "journal-conference", "published", "publisher", "source",
              "published-in", "proceedings"),
    "date": ("year", "date", "time", "month", "release", "released", "release-date",
             "published-date", "submission-date", "arxiv-date"),
    "venue-date": ("pub-date", "pub-and-date", "venue-date", "venue-and-date",
                   "conference-date", "venue-year", "publication-date"),
    "code": ("code", "codes", "github", "repo", "repository", "implementation",
             "official-code", "source-code", "project-code"),
    "paper": ("link", "links", "url", "pdf", "arxiv", "paper-link", "paper-url", "download",
              "openreview", "doi"),
    "other": ("website", "web-site", "project", "project-page", "homepage", "page", "demo",
              "demos", "blog"),
    "drop": ("stars", "star", "github-stars", "recom", "recommend", "recommendation",
             "rating", "score", "hot", "citations", "cited-by"),
}  # fmt: skip
_BY_SLUG = {slug: role for role, slugs in ROLES.items() for slug in slugs}


@dataclass(frozen=True)
class Columns:
    roles: tuple[str, ...]  # one per column; `note` for others
    headers: tuple[str, ...]

    @property
    def has_title(self) -> bool:
        return "title" in self.roles

    def report(self) -> list[str]:
        """What the table's columns leave out or keep in the note (one line each)."""
        notes = [h for h, r in zip(self.headers, self.roles, strict=True) if r == "note" and h]
        dropped = [h for h, r in zip(self.headers, self.roles, strict=True) if r == "drop"]
        found = []
        if notes:
            found.append(f"columns kept in the note as 'Header: value': {', '.join(notes)}")
        if dropped:
            found.append(f"columns left out (star counts and ratings): {', '.join(dropped)}")
        return found


def column_roles(header: Sequence[Sequence[Piece]]) -> Columns:
    """Each column's role. `Paper` is the title column unless another column is."""
    names = [plain_text(cell) for cell in header]
    slugs = [model.slugify(name) for name in names]
    roles = [_BY_SLUG.get(slug, "note") for slug in slugs]
    if "title" not in roles:
        for i, slug in enumerate(slugs):
            if slug in ("paper", "papers", "paper-list", "article", "publication-title"):
                roles[i] = "title"
                break
    roles = ["paper" if r == "note" and s in ("paper", "papers") else r
             for r, s in zip(roles, slugs, strict=True)]  # fmt: skip
    return Columns(tuple(roles), tuple(names))


def read_row(columns: Columns, cells: Sequence[Sequence[Piece]]) -> tuple[Draft | None, list[str]]:
    """The draft in one table row, and reasons for problems. The title cell is read as
    a list item is (`[Title](url) (CVPR'23)`); the other columns add what they say."""
    if not columns.has_title:
        return None, ["the table has no Title, Paper or Name column; row not imported"]
    title: Sequence[Piece] = ()
    extra: list[Cell] = []
    for role, header, cell in zip(columns.roles, columns.headers, cells, strict=False):
        if role == "title" and not title:
            title = cell
        elif role != "drop":
            extra.append((role, header, cell))
    return read_item(title, extra)
