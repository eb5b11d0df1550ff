"""Year, venue and title of every entry of the real .bib files, as `soralit list --format
json` gives them, against an independent parse: pybtex's own parser (its macros, `#`
concatenation and month names; not bibtexparser's, on which soralit's reader is built).

The reading rules the test states for itself (they are docs/library-format.md's):
- year: biblatex's `date` (its leading year), else the first four digits of `year`;
- venue: the first of `journaltitle`, `journal`, `booktitle`, `eventtitle`, shown as the
  catalog's short label with the year (`NeurIPS'23`) when the catalog knows the name, else
  as written; none, or only a preprint server's: the arXiv label from the ID (`eprint`,
  else an ID in that name: `arXiv preprint arXiv:2301.11798`), else the name, else nothing;
- a field an entry lacks comes from its `crossref` parent (a book's or proceedings'
  `title` is the `booktitle` of a part of it: `@inbook`, `@incollection`,
  `@inproceedings`), as BibTeX and biber do.
LaTeX becomes display text through soralit's `text.latex_to_text` on both sides: what is
compared is the value each parser reads, not two LaTeX renderers.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from soralit import catalog, text
from soralit.model import arxiv_label

pybtex_database = pytest.importorskip("pybtex.database")
pybtex_errors = pytest.importorskip("pybtex.errors")

CORPUS = Path(__file__).parent / "fixtures" / "bib"
FILES = sorted(p for p in CORPUS.rglob("*.bib") if "malformed" not in p.parts)
CONTAINERS = ("journaltitle", "journal", "booktitle", "eventtitle")
BOOK_LIKE = {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings"}
PARTS = {"inbook", "bookinbook", "suppbook", "incollection", "inproceedings", "conference"}
NOT_INHERITED = {"crossref", "xref", "ids", "keywords", "url", "doi", "eprint"}


def pybtex_entries(path: Path) -> dict:
    """pybtex's entries of PATH (lenient: a key used twice keeps its first entry, an
    entry without a key is skipped), keyed by citation key."""
    pybtex_errors.set_strict_mode(False)
    with contextlib.redirect_stderr(io.StringIO()):
        return dict(pybtex_database.parse_file(str(path), bib_format="bibtex").entries)


def field(entries: dict, entry, name: str, depth: int = 0) -> str:
    """Field NAME of a pybtex entry, inherited through `crossref`."""
    if name in entry.fields:
        return str(entry.fields[name])
    parent_key = entry.fields.get("crossref")
    if not parent_key or depth > 3 or name in NOT_INHERITED:
        return ""
    parent = next((e for k, e in entries.items() if k.lower() == parent_key.lower()), None)
    if parent is None:
        return ""
    if entry.type.lower() in PARTS and parent.type.lower() in BOOK_LIKE:
        if name == "booktitle" and "booktitle" not in parent.fields:
            return field(entries, parent, "title", depth + 1)
        if name == "title":
            return ""
    return field(entries, parent, name, depth + 1)


def expected_year(entries: dict, entry) -> int | None:
    date = re.match(r"\s*[+-]?(\d{4})(?![\d])", field(entries, entry, "date"))
    if date:
        return int(date.group(1))
    year = re.search(r"\d{4}", field(entries, entry, "year"))
    return int(year.group()) if year else None


def expected_venue(entries: dict, entry, year: int | None) -> str:
    names = [text.latex_to_text(field(entries, entry, n)) for n in CONTAINERS]
    names = [n for n in names if n]
    eprint = re.sub(r"v\d+$", "", field(entries, entry, "eprint").strip())
    prefix = field(entries, entry, "archiveprefix").strip().lower()
    arxiv = arxiv_label(eprint) if prefix in ("", "arxiv") else ""
    if not names or all(catalog.names_preprint_server(n) for n in names):
        in_name = [m.group() for n in names for m in re.finditer(r"\d{4}\.\d{4,5}", n)]
        return arxiv or arxiv_label(in_name[0] if in_name else "") or (names[0] if names else "")
    short = next((s for n in names if (s := catalog.label_for_name(n))), "")
    if short:
        return f"{short}'{year % 100:02d}" if year is not None else short
    return next(n for n in names if not catalog.names_preprint_server(n))


def listed(runner, path: Path) -> list[dict]:
    result = runner.invoke(
        __import__("soralit.cli", fromlist=["cli"]).cli,
        ["--library", str(path), "list", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def compared(runner, path: Path) -> tuple[int, list[str]]:
    """(how many entries were compared, the differences found)."""
    ours = listed(runner, path)
    counts: dict[str, int] = {}
    for item in ours:
        counts[item["key"].lower()] = counts.get(item["key"].lower(), 0) + 1
    theirs = pybtex_entries(path)
    problems, done = [], 0
    for item in ours:
        entry = theirs.get(item["key"])
        if entry is None or counts[item["key"].lower()] > 1 or not item["key"]:
            continue  # pybtex skips an entry without a key; a key used twice is ambiguous
        done += 1
        year = expected_year(theirs, entry)
        title = text.latex_to_text(field(theirs, entry, "title"))
        venue = expected_venue(theirs, entry, year)
        for what, got, want in (
            ("year", item["year"], year),
            ("title", item["title"], title),
            ("venue", item["venue"], venue),
        ):
            if got != want:
                problems.append(f"{item['key']}: {what} {got!r}, pybtex reads {want!r}")
    return done, problems


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_year_venue_and_title_match_an_independent_parse(runner, path, monkeypatch):
    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    done, problems = compared(runner, path)
    assert problems == []
    keyed = len(set(pybtex_entries(path)) & {i["key"] for i in listed(runner, path)})
    assert done >= keyed - 70  # only keys used twice (61 in the Mendeley export) are left out
