"""GitHub's README limit: `export md` warns past 500,000 bytes, and `--split DIR` writes a
page per section with the README's list linking to them."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SHIPPED
from libtext import SHIPPED_TEXT, parsed
from soralit.cli import cli
from soralit.render.split import render_split, size_warning


def run(runner, library: Path, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), "export", "md", *args])
    assert result.exit_code == code, result.output
    return result


def test_pages_per_section_and_an_index_linking_them():
    library = parsed(SHIPPED_TEXT)
    listed = [e for e in library.entries if e.key != library.taxonomy.citation_key]
    index, pages = render_split(listed, library.taxonomy, folder="papers")
    assert list(pages) == ["technology.md", "application.md"]
    assert index.splitlines()[:4] == [
        "## Paper List",
        "",
        "### [Technology](papers/technology.md) (44 papers)",  # its categories' papers
        "- [Data Pre-processing](papers/technology.md#data-pre-processing) (7 papers)",
    ]
    assert "- [Robotics](papers/application.md#robotics) (8 papers)" in index
    robotics = pages["application.md"].split("## Robotics\n")[1]
    assert robotics.startswith("- (*IEEE RA-L'23*) DALL-E-Bot:")
    # Every paper is on exactly one page per category it is in, as in the whole list.
    lines = [line for page in pages.values() for line in page.splitlines() if line.startswith("- ")]
    assert len(lines) == 71


def test_split_in_place_then_check(runner, library: Path):
    readme = library.parent / "README.md"
    readme.write_text("# My list\n\n<!-- soralit:start -->\n<!-- soralit:end -->\n")
    folder = library.parent / "docs" / "papers"
    result = run(runner, library, "--in-place", str(readme), "--split", str(folder))
    assert result.stderr == (
        f"Wrote {folder / 'technology.md'}.\nWrote {folder / 'application.md'}.\n"
        f"Updated the list in {readme}.\n"
    )
    text = readme.read_text()
    assert "### [Technology](docs/papers/technology.md) (44 papers)" in text
    assert (
        (folder / "technology.md")
        .read_text()
        .startswith("# Technology\n\n## Data Pre-processing\n")
    )
    run(runner, library, "--in-place", str(readme), "--split", str(folder), "--check")
    (folder / "application.md").write_text("# Application\n")
    result = run(
        runner, library, "--in-place", str(readme), "--split", str(folder), "--check", code=1
    )
    page = folder / "application.md"
    assert result.stderr.endswith(
        f"Error: {page} is out of date: run `soralit export md --split {folder}`\n"
    )
    assert (folder / "application.md").read_text() == "# Application\n"  # --check writes nothing


def test_size_warning_at_500000_bytes():
    assert size_warning("README.md", "x" * 500_000) == ""
    assert size_warning("README.md", "é" * 250_001) == (
        "Warning: README.md would be 500,002 bytes; GitHub shows only the first 512,000 bytes"
        " of a README. Split the list: --split DIR"
    )


def test_a_list_past_githubs_limit_warns_and_split_does_not(runner, tmp_path: Path):
    """The shipped entries 45 times over (new keys): about 700 KB of Markdown."""
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index("% source: seed list")
    body = text[start:]
    copies = [re.sub(r"(@\w+\{)([^,]+),", rf"\g<1>\g<2>x{n},", body) for n in range(45)]
    big = tmp_path / "library.bib"
    big.write_text(text[:start] + "\n".join(copies), encoding="utf-8")
    out = tmp_path / "README.md"
    result = run(runner, big, "-o", str(out))
    size = out.stat().st_size
    assert size > 512_000
    assert result.stderr == (
        f"Warning: {out} would be {size:,} bytes; GitHub shows only the first 512,000 bytes"
        " of a README. Split the list: --split DIR\n"
    )
    result = run(runner, big, "-o", str(out), "--split", str(tmp_path / "papers"))
    assert "Warning" not in result.stderr and out.stat().st_size < 2_000


# --- what's new: --sort added, --new-days ------------------------------------------------


def dated(library: Path, **dates: str) -> None:
    """Give entries an `added` date, as soralit add writes it."""
    from libtext import edited

    text = library.read_text(encoding="utf-8")
    for key, day in dates.items():
        text = edited(text, key, "added", day)
    library.write_text(text, encoding="utf-8")


def robotics(markdown: str) -> list[str]:
    return markdown.split("#### Robotics\n")[1].splitlines()


def test_sort_added_newest_first_and_new_marks(runner, library: Path, monkeypatch):
    monkeypatch.setenv("SORALIT_TODAY", "2024-06-10")
    dated(
        library, mandi2022cacti="2024-06-01", kapelyukh2023dall="2024-03", gu2024seer="2024-05-20"
    )
    lines = robotics(run(runner, library, "--sort", "added", "--new-days", "30").stdout)
    assert [line.split(") ", 1)[1][:12] for line in lines[:3]] == [
        "CACTI: A Fra",
        "Seer: Langua",
        "DALL-E-Bot: ",
    ]
    assert lines[0].endswith(" 🆕") and lines[1].endswith(" 🆕")
    assert not lines[2].endswith("🆕")  # March: older than 30 days
    assert [line.endswith("🆕") for line in lines[3:]] == [False] * 5  # undated, file order
    plain = robotics(run(runner, library).stdout)
    assert "🆕" not in "".join(plain) and plain[0].startswith("- (*IEEE RA-L'23*) DALL-E-Bot")


def test_new_marks_on_split_pages_too(runner, library: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SORALIT_TODAY", "2024-06-10")
    dated(library, mandi2022cacti="2024-06-01")
    run(
        runner,
        library,
        "-o",
        str(tmp_path / "list.md"),
        "--split",
        str(tmp_path / "p"),
        "--new-days",
        "10",  # added 9 days before
    )
    page = (tmp_path / "p" / "application.md").read_text(encoding="utf-8")
    assert [line for line in page.splitlines() if line.endswith("🆕")] == [
        "- (*arXiv 2022.12*) CACTI: A Framework for Scalable Multi-Task Multi-Scene Visual"
        " Imitation Learning [[paper]](https://arxiv.org/abs/2212.05711) 🆕"
    ]


def test_deeper_categories_nest_in_the_index_and_on_the_page():
    from soralit.model import Category, Entry, Section, Taxonomy

    images = Category("images", "Images")
    taxonomy = Taxonomy(
        (Section("Methods", (Category("generation", "Generation", children=(images,)),)),)
    )
    paper = Entry("k", fields={"title": "A Paper", "keywords": "images", "url": "https://x.org/p"})
    index, pages = render_split([paper], taxonomy, folder="p")
    assert index == (
        "## Paper List\n\n### [Methods](p/methods.md) (1 paper)\n"
        "- [Generation](p/methods.md#generation) (1 paper)\n"
        "    - [Images](p/methods.md#images) (1 paper)\n"
    )
    assert pages["methods.md"] == (
        "# Methods\n\n## Generation\n\n### Images\n- A Paper [[paper]](https://x.org/p)\n"
    )
