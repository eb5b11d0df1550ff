"""Taxonomies of any depth: the block format, the Markdown list, queries, the page,
stats and the taxonomy commands, on a four-level tree with notes."""

from __future__ import annotations

import pytest

from soralit import stats, storage
from soralit import taxonomy as tax
from soralit.cli import cli
from soralit.errors import UsageProblem
from soralit.model import Entry, Note, Taxonomy
from soralit.query import resolve_categories
from soralit.render.html import sections_view
from soralit.render.markdown import render_markdown

BLOCK = """@comment{soralit-taxonomy:
title: Deep
heading:
level: 1
- vision: 👁️ Vision
  markdown: <span id="v">👁️ Vision</span>
  | Papers on seeing, {braces} and 100% kept.
  |
  | @misc{not-an-entry,
  - generation: Generation
    - images: Images
      before alpha2024:
      | <details><summary>Older</summary>
      after:
      | </details>
    - videos: Videos
  - understanding: Understanding
- audio: Audio
  - generation-2: Generation
}"""


def parse(block: str = BLOCK) -> Taxonomy:
    return tax.parse_taxonomy(block[len("@comment{") : -1])


def tree() -> Taxonomy:
    return parse(BLOCK.replace("{braces} and 100%", "%7Bbraces%7D and 100%25").replace(
        "@misc{not-an-entry,", "@misc%7Bnot-an-entry,"
    ))  # fmt: skip


def entry(key: str, slug: str, title: str) -> Entry:
    fields = {"title": title, "keywords": slug, "url": f"https://arxiv.org/abs/2407.0000{key[-1]}"}
    return Entry(key, "misc", fields)


ENTRIES = [
    entry("alpha2024", "images", "Alpha"),
    entry("beta2024", "videos", "Beta"),
    entry("gamma2024", "audio", "Gamma"),
    entry("delta2024", "generation-2", "Delta"),
]


def test_the_tree_block_reads_and_writes_back_byte_for_byte() -> None:
    taxonomy = tree()
    assert taxonomy.slugs() == [
        "vision", "generation", "images", "videos", "understanding", "audio", "generation-2",
    ]  # fmt: skip
    vision = taxonomy.sections[0]
    assert vision.markdown == '<span id="v">👁️ Vision</span>'
    assert vision.notes == (
        Note("^", "Papers on seeing, {braces} and 100% kept.\n\n@misc{not-an-entry,"),
    )
    images = taxonomy.category("images")
    assert images is not None
    assert images.notes == (
        Note("alpha2024", "<details><summary>Older</summary>"),
        Note("", "</details>"),
    )
    assert (taxonomy.heading, taxonomy.level) == ("", 1)
    written = tax.format_taxonomy(taxonomy)
    assert parse(written) == taxonomy
    assert "%7Bbraces%7D and 100%25" in written and "{braces}" not in written


def test_the_block_survives_the_library_file(tmp_path) -> None:
    library = tmp_path / "library.bib"
    entries = [
        f"@misc{{{e.key},\n  title = {{{e.get('title')}}},\n"
        f"  keywords = {{{e.get('keywords')}}},\n}}\n"
        for e in ENTRIES
    ]
    library.write_text(tax.format_taxonomy(tree()) + "\n\n" + "\n".join(entries), "utf-8")
    loaded = storage.load(library)
    assert loaded.taxonomy == tree()
    assert [e.key for e in loaded.entries] == [e.key for e in ENTRIES]


def test_two_level_blocks_are_written_as_they_always_were() -> None:
    two = "@comment{soralit-taxonomy:\nheading: Paper List\n## Technology\n- modeling: Modeling\n}"
    assert tax.format_taxonomy(parse(two)) == two
    # A section named like one of its categories gets a slug of its own.
    clash = two.replace("- modeling: Modeling", "- technology: Technology")
    assert parse(clash).slugs() == ["technology-section", "technology"]
    assert tax.format_taxonomy(parse(clash)) == clash


def test_each_block_keeps_its_form_through_edits() -> None:
    """A tree block whose top-level names happen to give their slugs stays a tree; a
    sectioned block whose section is renamed stays sectioned, its slug said below it."""
    tree_block = "@comment{soralit-taxonomy:\nheading: Paper List\n- vision: Vision\n}"
    renamed = tax.rename_category(parse(tree_block), "vision", "Seeing")
    assert tax.format_taxonomy(renamed) == tree_block.replace("Vision", "Seeing")
    assert tax.format_taxonomy(tax.rename_category(renamed, "vision", "Vision")) == tree_block
    two = "@comment{soralit-taxonomy:\nheading: Paper List\n## Technology\n- modeling: Modeling\n}"
    moved = tax.format_taxonomy(tax.rename_category(parse(two), "technology", "Tech"))
    assert moved == two.replace("## Technology", "## Tech\n  slug: technology")
    assert parse(moved).slugs() == ["technology", "modeling"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("    - orphan: Orphan", "indented below no category"),
        ("   - odd: Odd", "indent by two spaces"),
        ("  nonsense", "cannot read line"),
        ("level: 9", "level must be 0 to 6"),
    ],
)
def test_malformed_tree_lines(line: str, message: str) -> None:
    block = (
        "@comment{soralit-taxonomy:\nheading: H\n"
        + ("level: 9\n" if "level" in line else "")
        + "- top: Top\n"
        + ("" if "level" in line else line + "\n")
        + "}"
    )
    with pytest.raises(tax.TaxonomyError, match=message):
        parse(block)


def test_the_markdown_list_has_the_trees_levels_and_notes() -> None:
    assert render_markdown(ENTRIES, tree()) == (
        '# <span id="v">👁️ Vision</span>\n'
        "\n"
        "Papers on seeing, {braces} and 100% kept.\n"
        "\n"
        "@misc{not-an-entry,\n"
        "\n"
        "## Generation\n"
        "### Images\n"
        "\n"
        "<details><summary>Older</summary>\n"
        "\n"
        "- (*arXiv 2024.07*) Alpha [[paper]](https://arxiv.org/abs/2407.00004)\n"
        "\n"
        "</details>\n"
        "\n"
        "### Videos\n"
        "- (*arXiv 2024.07*) Beta [[paper]](https://arxiv.org/abs/2407.00004)\n"
        "## Understanding\n"
        "\n"
        "# Audio\n"
        "- (*arXiv 2024.07*) Gamma [[paper]](https://arxiv.org/abs/2407.00004)\n"
        "## Generation\n"
        "- (*arXiv 2024.07*) Delta [[paper]](https://arxiv.org/abs/2407.00004)\n"
    )
    # Filtered to one category: its ancestors' headings come with it, nothing else.
    only = render_markdown(ENTRIES[1:2], tree(), keep_empty=False)
    assert [line for line in only.splitlines() if line.startswith("#")] == [
        '# <span id="v">👁️ Vision</span>',
        "## Generation",
        "### Videos",
    ]


def test_a_category_selects_the_categories_below_it() -> None:
    taxonomy = tree()
    assert resolve_categories(taxonomy, ["generation"]) == {"generation", "images", "videos"}
    assert resolve_categories(taxonomy, ["Audio"]) == {"audio", "generation-2"}
    with pytest.raises(UsageProblem, match="Did you mean 'images'"):
        resolve_categories(taxonomy, ["imagess"])


def test_the_page_and_stats_name_nested_categories_by_their_path() -> None:
    taxonomy = tree()
    views = sections_view(list(range(len(ENTRIES))), ENTRIES, taxonomy, keep_empty=False)
    # (name, papers filed there, papers there and below): a category with papers only
    # below it is shown too, so that the page can select it as `list --category` does.
    assert [(v.name, [(c.name, len(c.papers), c.held) for c in v.categories]) for v in views] == [
        (
            "👁️ Vision",
            [("Generation", 0, 2), ("Generation › Images", 1, 1), ("Generation › Videos", 1, 1)],
        ),
        ("Audio", [("Audio", 1, 2), ("Generation", 1, 1)]),
    ]
    rows = stats.section_counts(ENTRIES, taxonomy)
    assert [(r.section.name, r.section.papers) for r in rows] == [("👁️ Vision", 2), ("Audio", 2)]
    assert [(c.name, c.papers) for c in rows[0].categories] == [
        ("Generation", 2),  # with the papers below it
        ("Generation › Images", 1),
        ("Generation › Videos", 1),
        ("Understanding", 0),
    ]


def run(runner, library, *args, code=0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def deep_library(tmp_path):  # type: ignore[no-untyped-def]
    library = tmp_path / "library.bib"
    test_the_block_survives_the_library_file(tmp_path)
    return library


def test_taxonomy_command_shows_and_edits_the_tree(runner, deep_library) -> None:
    shown = run(runner, deep_library, "taxonomy").stdout.splitlines()
    assert shown[:3] == [
        "👁️ Vision (2)",
        f"  {'Generation':<32} {'generation':<32}    2",
        f"  {'  Images':<32} {'images':<32}    1",
    ]
    run(runner, deep_library, "taxonomy", "add", "images", "Faces")
    assert storage.load(deep_library).taxonomy.subtree("generation") == [
        "generation", "images", "faces", "videos",
    ]  # fmt: skip
    run(runner, deep_library, "taxonomy", "move", "faces", "--after", "understanding")
    moved = storage.load(deep_library).taxonomy
    assert [c.slug for c in moved.sections[0].children] == ["generation", "understanding", "faces"]
    result = run(runner, deep_library, "taxonomy", "rm", "generation", code=2)
    assert "categories below it (images, videos)" in result.stderr
    run(runner, deep_library, "taxonomy", "rename", "vision", "Seeing")
    renamed = storage.load(deep_library).taxonomy.sections[0]
    assert (renamed.name, renamed.markdown) == ("Seeing", "")  # the old heading showed the old name


def test_a_top_level_category_is_not_shown_inside_the_section_before_it(runner, library):
    text = library.read_text(encoding="utf-8")  # a top-level category with none below
    library.write_text(text.replace("- robotics: Robotics\n", "- robotics: Robotics\n## Surveys\n"))
    shown = run(runner, library, "taxonomy").stdout.splitlines()
    assert shown[-2:] == [
        f"  {'Robotics':<32} {'robotics':<32}    8",
        f"{'Surveys':<34} {'surveys':<32}    0",
    ]


def test_the_documented_blocks_read_and_write_back() -> None:
    """docs/library-format.md shows the block as soralit writes it."""
    import re
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "library-format.md").read_text("utf-8")
    blocks = re.findall(r"```bibtex\n(@comment\{soralit-taxonomy:.*?\n\})\n```", doc, re.S)
    assert len(blocks) == 2
    for block in blocks:
        assert tax.format_taxonomy(parse(block)) == block


def test_an_import_under_another_parent_never_repeats_a_slug():
    """A README whose list sits under one more heading than the library's taxonomy
    (`Paper List > Technology > Modeling`): known categories stay where the library has
    them and take the new ones below them; only new categories are added."""
    from soralit.model import Category
    from soralit.operations.imports import merged_taxonomy

    current = Taxonomy((Category("technology", "Technology", (Category("modeling", "Modeling"),)),))
    imported = Taxonomy(
        (
            Category(
                "paper-list",
                "Paper List",
                (
                    Category(
                        "technology",
                        "Technology",
                        (Category("modeling", "Modeling"), Category("agents", "Agents")),
                    ),
                    Category("extras", "Extras"),
                ),
            ),
        )
    )
    merged = merged_taxonomy(current, imported)
    assert [(d, n.slug) for d, n in merged.depths()] == [
        (1, "technology"),
        (2, "modeling"),
        (2, "agents"),
        (1, "paper-list"),
        (2, "extras"),
    ]


def test_a_taxonomy_that_would_not_read_back_is_never_written(small_library):
    from soralit.errors import LibraryError
    from soralit.model import Category

    before = small_library.read_bytes()
    twice = Taxonomy((Category("a", "A", (Category("b", "B"),)), Category("b", "B again")))
    refused = pytest.raises(LibraryError, match="slug used twice: b; nothing written")
    with refused, storage.edit(small_library) as tx:
        tx.set_taxonomy(twice)
    assert small_library.read_bytes() == before
