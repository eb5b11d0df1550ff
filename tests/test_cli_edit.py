"""tag, rm and taxonomy edits: surgical, byte-exact elsewhere, and safe on failure."""

import pytest

from soralit import storage
from soralit.cli import cli


def run(runner, library, *args, code=0, **kwargs):
    result = runner.invoke(cli, ["--library", str(library), *args], **kwargs)
    assert result.exit_code == code, result.output
    return result


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    import difflib

    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [(d[0], d[2:]) for d in diff if d[0] in "+-"]


def test_tag_changes_only_the_keywords_line(runner, library):
    before = library.read_text(encoding="utf-8")
    result = run(runner, library, "tag", "gu2024seer", "--add", "Movie", "--remove", "robotics")
    assert result.stderr == "gu2024seer: categories now movie.\n"
    assert changed_lines(before, library.read_text(encoding="utf-8")) == [
        ("-", "  keywords = {robotics},"),
        ("+", "  keywords = {movie},"),
    ]


def test_tag_adds_in_taxonomy_order_and_reports_no_change(runner, library):
    run(runner, library, "tag", "gu2024seer", "--add", "modeling")
    assert storage.load(library).find("gu2024seer").categories == ("robotics", "modeling")
    before = library.read_bytes()
    result = run(runner, library, "tag", "gu2024seer", "--add", "robotics")
    assert "categories unchanged" in result.stderr
    assert library.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["tag", "gu2024seer"], 2, "Error: nothing to do: give --add CAT and/or --remove CAT\n"),
        (["tag", "nokey", "--add", "movie"], 1, "Error: no entry with key 'nokey'"),
        (["tag", "gu2024seer", "--add", "moive"], 2, "Error: unknown category 'moive'. Did you"),
        (["rm", "nokey", "--yes"], 1, "Error: no entry with key 'nokey'"),
        (["taxonomy", "rm", "robotics"], 2, "Error: category 'robotics' is used by 8 entries"),
        (["taxonomy", "add", "Technology", "Modeling"], 2, "Error: category 'modeling' already"),
        (["taxonomy", "move", "robotics", "--after", "nope"], 2, "Error: no category 'nope'"),
    ],
)
def test_failures_leave_the_library_byte_identical(runner, library, args, code, message):
    before = library.read_bytes()
    result = run(runner, library, *args, code=code)
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert library.read_bytes() == before


def test_rm_removes_the_entry_and_its_source_comments(runner, library):
    before = storage.load(library)
    result = run(runner, library, "rm", "mandi2022cacti", "chen2023genaug")
    assert result.stdout == "mandi2022cacti\nchen2023genaug\n"
    after = storage.load(library)
    assert [e.key for e in after.entries] == [
        e.key for e in before.entries if e.key not in ("mandi2022cacti", "chen2023genaug")
    ]
    assert "github.com/genaug" not in after.text
    kept = [e.raw for e in after.entries]
    assert kept == [e.raw for e in before.entries if e.key in {x.key for x in after.entries}]


def test_taxonomy_edits_reorder_the_export(runner, library):
    run(
        runner, library, "taxonomy", "add", "Application", "Autonomous Driving", "--slug", "driving"
    )
    run(runner, library, "taxonomy", "move", "driving", "--after", "movie")
    run(runner, library, "taxonomy", "rename", "driving", "Self-Driving")
    run(runner, library, "tag", "mandi2022cacti", "--add", "driving")
    md = run(runner, library, "export", "md").stdout
    assert md.index("#### Movie") < md.index("#### Self-Driving") < md.index("#### Education")
    run(runner, library, "taxonomy", "rm", "driving", "--retag-to", "robotics")
    assert storage.load(library).find("mandi2022cacti").categories == ("robotics",)
    assert "driving" not in storage.load(library).taxonomy.slugs()


def test_renaming_a_section_changes_only_its_lines(runner, library):
    """A `## Name` section whose new name no longer gives its slug keeps its `## ` line
    and says its slug below it; the block is not rewritten in another form."""
    before = library.read_text(encoding="utf-8")
    run(runner, library, "taxonomy", "rename", "technology", "Core Technology")
    assert changed_lines(before, library.read_text(encoding="utf-8")) == [
        ("-", "## Technology"),
        ("+", "## Core Technology"),
        ("+", "  slug: technology"),
    ]
    keys = run(runner, library, "list", "--category", "technology", "--format", "keys")
    assert len(keys.output.split()) == 44  # the 44 papers of its five categories
    run(runner, library, "taxonomy", "rename", "technology", "Technology")
    assert library.read_text(encoding="utf-8") == before


def test_taxonomy_edit_changes_only_the_block(runner, library):
    before = library.read_text(encoding="utf-8")
    run(runner, library, "taxonomy", "rename", "movie", "Film")
    assert changed_lines(before, library.read_text(encoding="utf-8")) == [
        ("-", "- movie: Movie"),
        ("+", "- movie: Film"),
    ]


def test_tag_keeps_a_fields_own_keywords_as_written(runner, tmp_path):
    """IEEE keywords separated by `;` and broken over lines (Better BibTeX's
    pandoc/biblio.bib has them): tag adds with `;`, and removing gives the bytes back."""
    library = tmp_path / "library.bib"
    original = (
        "@comment{soralit-taxonomy:\n## Papers\n- some: Some\n}\n\n"
        "@inproceedings{todor,\n  title = {T},\n  keywords = {computer games;continuing\n"
        "              education;e-learning},\n}\n"
    )
    library.write_text(original)
    run(runner, library, "tag", "todor", "--add", "some")
    assert "              education;e-learning;some},\n" in library.read_text()
    result = run(runner, library, "tag", "todor", "--remove", "some")
    assert library.read_text() == original
    assert "categories now computer games, continuing education, e-learning." in result.stderr
