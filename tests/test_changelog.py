"""`soralit changelog --since DATE|REF`: the pure comparison, then the command in a
scratch git repository whose history holds older versions of the shipped library."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitrepo import Repo
from libtext import SHIPPED_TEXT, edited, parsed, without
from soralit import changelog
from soralit.cli import cli


def older() -> str:
    """The shipped library as it could have stood before: GenTron still a preprint,
    DALL-E-Bot under Healthcare, CACTI not yet in, and one paper since removed kept."""
    text = without(SHIPPED_TEXT, "mandi2022cacti")
    for name in ("booktitle", "listvenue", "pages", "publisher", "doi"):
        text = edited(text, "chen2024gentron", name, None)
    return edited(text, "kapelyukh2023dall", "keywords", "healthcare")


NEWER = without(SHIPPED_TEXT, "awasthi2023video")


def test_compare_finds_added_moved_upgraded_removed():
    old, new = parsed(older()), parsed(NEWER)
    changes = changelog.compare(old.entries, new.entries)
    assert [e.key for e in changes.added] == ["mandi2022cacti"]
    assert [(m.entry.key, m.old, m.new) for m in changes.moved] == [
        ("kapelyukh2023dall", ("healthcare",), ("robotics",))
    ]
    assert [(u.entry.key, u.old_label, u.new_label) for u in changes.upgraded] == [
        ("chen2024gentron", "arXiv 2023.12", "CVPR'24")
    ]
    assert [e.key for e in changes.removed] == ["awasthi2023video"]


def test_a_renamed_key_is_matched_by_its_work_not_counted_as_new():
    renamed = SHIPPED_TEXT.replace("@misc{mandi2022cacti,", "@misc{jia2022cacti,")
    changes = changelog.compare(parsed(SHIPPED_TEXT).entries, parsed(renamed).entries)
    assert changes.empty


def test_markdown_for_a_release_note():
    old, new = parsed(older()), parsed(NEWER)
    text = changelog.render_changes(
        changelog.compare(old.entries, new.entries), new.taxonomy, since="v0.1.0"
    )
    assert text == (
        "## Changes since v0.1.0\n"
        "\n"
        "1 paper added, 1 moved, 1 upgraded, 1 removed.\n"
        "\n"
        "### Added\n"
        "#### Robotics\n"
        "- (*arXiv 2022.12*) CACTI: A Framework for Scalable Multi-Task Multi-Scene Visual"
        " Imitation Learning [[paper]](https://arxiv.org/abs/2212.05711)\n"
        "\n"
        "### Moved\n"
        "- DALL-E-Bot: Introducing Web-Scale Diffusion Models to Robotics: Healthcare → Robotics\n"
        "\n"
        "### Upgraded (preprint → venue)\n"
        "- GenTron: Diffusion Transformers for Image and Video Generation:"
        " arXiv 2023.12 → CVPR'24\n"
        "\n"
        "### Removed\n"
        "- Video Diffusion Models for the Apoptosis Forecasting\n"
    )


def test_no_change_says_so():
    entries = parsed(SHIPPED_TEXT).entries
    changes = changelog.compare(entries, entries)
    assert changelog.summary(changes) == "No changes."


# --- the command, on git history -----------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "list")
    repo.write("library.bib", older())
    repo.commit("first version", date="2024-03-01T12:00:00")
    repo.git("tag", "v0.1.0")
    repo.write("library.bib", NEWER)
    repo.commit("papers of April", date="2024-04-15T12:00:00")
    return repo


def run(runner, repo: Repo, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    path = repo.path / "library.bib"
    result = runner.invoke(cli, ["--library", str(path), "changelog", *args])
    assert result.exit_code == code, result.output
    return result


@pytest.mark.parametrize("since", ["v0.1.0", "2024-04-01", "HEAD~1"])
def test_changelog_since_a_ref_or_a_date(runner, repo: Repo, since: str):
    result = run(runner, repo, "--since", since)
    heading = since.replace("~", "\\~")  # Markdown-escaped
    assert result.stdout.startswith(f"## Changes since {heading}\n\n1 paper added, 1 moved,")
    assert "- (*arXiv 2022.12*) CACTI:" in result.stdout
    assert result.stderr == "1 paper added, 1 moved, 1 upgraded, 1 removed.\n"


def test_changelog_counts_uncommitted_changes_too(runner, repo: Repo):
    repo.write("library.bib", without(NEWER, "kapelyukh2023dall"))
    result = run(runner, repo, "--since", "HEAD")
    assert result.stderr == "0 papers added, 0 moved, 0 upgraded, 1 removed.\n"


def test_a_date_before_the_history_lists_every_paper(runner, repo: Repo):
    result = run(runner, repo, "--since", "2020-01-01")
    assert result.stderr == "70 papers added, 0 moved, 0 upgraded, 0 removed.\n"


def test_to_a_file(runner, repo: Repo, tmp_path: Path):
    target = tmp_path / "notes" / "release.md"
    result = run(runner, repo, "--since", "v0.1.0", "-o", str(target))
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("## Changes since v0.1.0\n")


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("v9", "Error: git knows no commit 'v9'\n"),
        ("--all", "Error: not a git ref: '--all'\n"),
        ("2024-13-45", "Error: invalid date '2024-13-45': use YYYY-MM-DD, or a git ref\n"),
        ("9999-99-99", "Error: invalid date '9999-99-99': use YYYY-MM-DD, or a git ref\n"),
    ],
)
def test_unknown_refs_are_one_line(runner, repo: Repo, since: str, message: str):
    assert run(runner, repo, f"--since={since}", code=2).stderr == message


def test_outside_git_is_one_line(runner, library: Path):
    result = runner.invoke(cli, ["--library", str(library), "changelog", "--since", "HEAD"])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {library.parent} is not in a git repository\n"
