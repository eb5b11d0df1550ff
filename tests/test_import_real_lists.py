"""`import md` then `export md --in-place` on real awesome lists (tests/fixtures/lists).

For each list, as a maintainer would run them: every line that was not read as an entry
is still in the README, at least 98% of the paper links are still there, every title is
a title, and every heading is still a heading. The figures are in docs/migration.md.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from listcount import count_entries
from soralit import storage
from soralit.cli import cli
from soralit.importers.markdown import parse_markdown
from soralit.model import slugify
from soralit.text import latex_to_text

LISTS = Path(__file__).parent / "fixtures" / "lists"
NAMES = sorted(p.stem for p in LISTS.glob("*.md") if p.stem != "PROVENANCE")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>")


def heading_slugs(markdown: str) -> list[str]:
    """What each ATX heading says (images, HTML and link targets aside), outside code."""
    found, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            shown = re.sub(r"\]\([^)]*\)", "]", _IMAGE.sub("", match[2]))
            found.append(slugify(shown))
    return [s for s in found if s]


@pytest.fixture(scope="module", params=NAMES)
def migrated(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    """(name, README before, README after, library) after import and export."""
    from click.testing import CliRunner

    name = request.param
    folder = tmp_path_factory.mktemp(name)
    readme, library = folder / "README.md", folder / "library.bib"
    shutil.copy(LISTS / f"{name}.md", readme)
    before = readme.read_bytes().decode("utf-8")
    runner = CliRunner()
    for args in (["import", "md", str(readme)], ["export", "md", "--in-place", str(readme)]):
        result = runner.invoke(cli, ["--library", str(library), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
    return name, before, readme.read_bytes().decode("utf-8"), storage.load(library)


def test_every_line_outside_the_entries_is_kept(migrated):  # type: ignore[no-untyped-def]
    name, before, after, _ = migrated
    entry_lines = parse_markdown(before).entry_lines
    kept = {line.strip() for line in after.splitlines()}
    lost = [
        (i + 1, line)
        for i, line in enumerate(before.splitlines())
        if i not in entry_lines
        and line.strip()
        and not _HEADING.match(line)
        and line.strip() not in kept
    ]
    assert lost == [], f"{name}: {len(lost)} lines lost, first {lost[:3]}"


def test_paper_links_are_kept(migrated):  # type: ignore[no-untyped-def]
    name, before, after, _ = migrated
    links, still = count_entries(before).links, count_entries(after).links
    missing = sorted(links - still)
    assert len(links & still) >= 0.98 * len(links), f"{name}: lost {missing[:5]}"


def test_titles_are_titles(migrated):  # type: ignore[no-untyped-def]
    _, _, _, library = migrated
    titles = [latex_to_text(e.get("title")) for e in library.entries]
    bad = [t for t in titles if not any(c.isalnum() for c in t) or "**" in t or "![" in t
           or "<img" in t.lower()]  # fmt: skip
    assert titles and bad == []


def test_headings_are_kept(migrated):  # type: ignore[no-untyped-def]
    name, before, after, _ = migrated
    still = set(heading_slugs(after))
    assert [h for h in heading_slugs(before) if h not in still] == [], name


def test_line_endings_are_kept(migrated):  # type: ignore[no-untyped-def]
    _, before, after, _ = migrated
    crlf = before.count("\r\n") == before.count("\n")
    assert (after.count("\r\n") == after.count("\n")) == crlf


def test_importing_again_changes_nothing(tmp_path):  # type: ignore[no-untyped-def]
    """Migrated once, each list reads back as it is: `import md` again adds nothing and
    changes no byte of the library, and the README is up to date."""
    from click.testing import CliRunner

    runner = CliRunner()
    stale = []
    for name in NAMES:
        folder = tmp_path / name
        folder.mkdir()
        readme, library = folder / "README.md", folder / "library.bib"
        shutil.copy(LISTS / f"{name}.md", readme)

        def run(*args: str, readme=readme, library=library, name=name) -> str:  # type: ignore[no-untyped-def]
            result = runner.invoke(cli, ["--library", str(library), *args, str(readme)])
            assert result.exit_code == 0, f"{name}: {result.stderr}"
            return result.stderr

        run("import", "md")
        run("export", "md", "--in-place")
        before = library.read_bytes(), readme.read_bytes()
        again = run("import", "md")
        if " 0 new," not in again or (library.read_bytes(), readme.read_bytes()) != before:
            stale.append((name, again.splitlines()[-1]))
        elif "is up to date" not in run("export", "md", "--check", "--in-place"):
            stale.append((name, "export --check not up to date"))
    assert stale == []
