"""`soralit merge-driver`: the pure entry-by-entry merge, then real `git merge` runs in a
scratch repository wired as the README says, on the shipped library's real entries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gitrepo import Repo
from libtext import SHIPPED_TEXT, append, edited, parsed, unit, without
from soralit import history, merging


def merged(old: str, ours: str, theirs: str, **labels: object) -> merging.Merged:
    sides = [merging.layout(t, history.blocks(parsed(t))) for t in (old, ours, theirs)]
    return merging.merge(*sides, labels=merging.Labels(**labels))  # type: ignore[arg-type]


# --- the pure merge ----------------------------------------------------------------------


def test_layout_round_trips_and_comments_go_with_their_entry():
    layout = merging.layout(SHIPPED_TEXT, history.blocks(parsed(SHIPPED_TEXT)))
    assert layout.preamble + "".join(layout.units.values()) + layout.tail == SHIPPED_TEXT
    assert layout.order[:2] == ["@taxonomy", "2024SoraReview"]
    assert layout.preamble.startswith("% library.bib: the paper list of the Sora review")
    assert unit(SHIPPED_TEXT, "gu2024seer").startswith("% source: seed list")
    assert len(layout.units) == 73


def test_papers_added_on_both_sides_are_all_kept():
    base = without(SHIPPED_TEXT, "esser2024scaling", "mandi2022cacti")
    ours = without(SHIPPED_TEXT, "mandi2022cacti")  # adds esser2024scaling back in place
    theirs = without(SHIPPED_TEXT, "esser2024scaling")  # adds mandi2022cacti back at the end
    result = merged(base, ours, theirs)
    assert result.conflicts == []
    assert result.text == SHIPPED_TEXT


def test_two_appends_at_the_end_keep_both_ours_first():
    base = without(SHIPPED_TEXT, "kapelyukh2023dall", "mandi2022cacti")
    library = parsed(base)
    ours = append(base, unit(SHIPPED_TEXT, "mandi2022cacti"))
    theirs = append(base, unit(SHIPPED_TEXT, "kapelyukh2023dall"))
    result = merged(base, ours, theirs)
    assert result.conflicts == []
    assert (
        result.text == ours.rstrip("\n") + "\n\n" + unit(SHIPPED_TEXT, "kapelyukh2023dall") + "\n"
    )
    assert len(parsed(result.text).entries) == len(library.entries) + 2


def test_one_side_edits_the_other_adds():
    base = without(SHIPPED_TEXT, "mandi2022cacti")
    ours = edited(base, "gu2024seer", "venue", "ICLR'24 (oral)")
    theirs = SHIPPED_TEXT
    result = merged(base, ours, theirs)
    assert result.conflicts == []
    assert result.text == edited(SHIPPED_TEXT, "gu2024seer", "venue", "ICLR'24 (oral)")


def test_same_edit_on_both_sides_is_taken_once():
    ours = edited(SHIPPED_TEXT, "gu2024seer", "venue", "ICLR'24")
    assert merged(SHIPPED_TEXT, ours, ours).text == ours


def test_different_edits_of_one_entry_conflict_on_that_entry_alone():
    ours = edited(SHIPPED_TEXT, "gu2024seer", "venue", "ICLR'24 (oral)")
    ours = edited(ours, "mandi2022cacti", "code", "https://github.com/example/cacti")
    theirs = edited(SHIPPED_TEXT, "gu2024seer", "venue", "ICLR'24 (spotlight)")
    result = merged(SHIPPED_TEXT, ours, theirs)
    assert result.conflicts == ["gu2024seer"]
    start = result.text.index("<<<<<<< ours\n")
    end = result.text.index(">>>>>>> theirs") + len(">>>>>>> theirs")
    assert result.text[start:end] == (
        "<<<<<<< ours\n"
        + unit(ours, "gu2024seer")
        + "\n=======\n"
        + unit(theirs, "gu2024seer")
        + "\n>>>>>>> theirs"
    )
    # Everything around the conflict merged: the other edit is in, the rest untouched.
    assert result.text[:start] == ours[:start]
    assert "https://github.com/example/cacti" in result.text[end:]
    assert result.text.count("<<<<<<<") == 1


def test_diff3_labels_show_the_base_and_marker_size_is_honoured():
    ours = edited(SHIPPED_TEXT, "gu2024seer", "venue", "A")
    theirs = edited(SHIPPED_TEXT, "gu2024seer", "venue", "B")
    result = merged(SHIPPED_TEXT, ours, theirs, base="base", size=9)
    block = result.text[result.text.index("<<<<<<<<<") :]
    assert block.startswith("<<<<<<<<< ours\n% source:")
    assert "\n||||||||| base\n% source:" in block and "venue = {ICLR'24}" in block
    assert "\n=========\n" in block and "\n>>>>>>>>> theirs\n" in block


def test_removed_on_one_side_untouched_on_the_other_is_removed():
    ours = without(SHIPPED_TEXT, "gu2024seer")
    theirs = edited(SHIPPED_TEXT, "mandi2022cacti", "venue", "arXiv 2022.12")
    result = merged(SHIPPED_TEXT, ours, theirs)
    assert result.conflicts == []
    assert result.text == edited(ours, "mandi2022cacti", "venue", "arXiv 2022.12")


def test_removed_on_one_side_edited_on_the_other_conflicts():
    ours = without(SHIPPED_TEXT, "gu2024seer")
    theirs = edited(SHIPPED_TEXT, "gu2024seer", "venue", "ICLR'24 (oral)")
    result = merged(SHIPPED_TEXT, ours, theirs)
    assert result.conflicts == ["gu2024seer"]
    assert "<<<<<<< ours\n=======\n% source:" in result.text


def test_taxonomy_edits_merge_or_conflict_as_a_unit():
    def taxonomy_edit(old: str, new: str) -> str:
        assert old in SHIPPED_TEXT
        return SHIPPED_TEXT.replace(old, new, 1)

    renamed = taxonomy_edit("- movie: Movie\n", "- movie: Film\n")
    # Only one side edits the taxonomy, the other edits an entry: both edits are kept.
    theirs = edited(SHIPPED_TEXT, "mandi2022cacti", "venue", "arXiv 2022.12")
    result = merged(SHIPPED_TEXT, renamed, theirs)
    assert result.conflicts == []
    assert "- movie: Film\n" in result.text and "venue = {arXiv 2022.12}" in result.text
    # Both sides edit it differently: one conflict, around the whole block.
    added = taxonomy_edit("- robotics: Robotics\n", "- robotics: Robotics\n- driving: Driving\n")
    result = merged(SHIPPED_TEXT, renamed, added)
    assert result.conflicts == ["@taxonomy"]
    block = result.text[result.text.index("<<<<<<<") : result.text.index(">>>>>>>")]
    assert block.count("@comment{soralit-taxonomy:") == 2


def test_a_moved_entry_keeps_its_comments_and_the_other_side_edits():
    layout = merging.layout(SHIPPED_TEXT, history.blocks(parsed(SHIPPED_TEXT)))
    units = dict(layout.units)
    moved = units.pop("gu2024seer")
    order = list(units)
    order.insert(order.index("2024SoraReview") + 1, "gu2024seer")
    units["gu2024seer"] = moved
    theirs = layout.preamble + "".join(units[k] for k in order) + layout.tail
    ours = edited(SHIPPED_TEXT, "mandi2022cacti", "venue", "arXiv 2022.12")
    result = merged(SHIPPED_TEXT, ours, theirs)
    assert result.conflicts == []
    assert result.text == edited(theirs, "mandi2022cacti", "venue", "arXiv 2022.12")
    keys = [e.key for e in parsed(result.text).entries]
    assert keys[1] == "gu2024seer"


def test_an_empty_base_merges_two_new_files():
    one, two = without(SHIPPED_TEXT, "mandi2022cacti"), without(SHIPPED_TEXT, "kapelyukh2023dall")
    result = merged("", one, two)
    assert result.conflicts == []
    keys = [e.key for e in parsed(result.text).entries]
    assert sorted(keys) == sorted(e.key for e in parsed(SHIPPED_TEXT).entries)


# --- real git merges -----------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """main holds the shipped library less three papers; branches add or edit."""
    repo = Repo(tmp_path / "list")
    repo.write(
        "library.bib",
        without(SHIPPED_TEXT, "kapelyukh2023dall", "mandi2022cacti", "esser2024scaling"),
    )
    repo.commit("library")
    return repo


def branch(repo: Repo, name: str, text: str) -> None:
    repo.git("switch", "-q", "-c", name, "main")
    repo.write("library.bib", text)
    repo.commit(f"{name}: edit library")
    repo.git("switch", "-q", "main")


def appended(repo: Repo, key: str) -> str:
    return append(repo.read("library.bib"), unit(SHIPPED_TEXT, key))


def test_git_alone_conflicts_on_two_appended_papers(repo: Repo):
    """The problem the driver solves: two pull requests that each append a paper."""
    branch(repo, "add-cacti", appended(repo, "mandi2022cacti"))
    branch(repo, "add-dall", appended(repo, "kapelyukh2023dall"))
    assert repo.merge("add-cacti")
    assert not repo.merge("add-dall")
    assert repo.conflicted() == ["library.bib"]


def test_git_with_the_driver_merges_two_appended_papers(repo: Repo):
    repo.use_merge_driver()
    repo.commit("use soralit's merge driver")
    branch(repo, "add-cacti", appended(repo, "mandi2022cacti"))
    branch(repo, "add-dall", appended(repo, "kapelyukh2023dall"))
    assert repo.merge("add-cacti")
    assert repo.merge("add-dall"), repo.last.stdout + repo.last.stderr
    assert "library.bib: merged entry by entry, no conflict" in repo.last.stderr
    text = repo.read("library.bib")
    tail = (
        unit(SHIPPED_TEXT, "mandi2022cacti")
        + "\n\n"
        + unit(SHIPPED_TEXT, "kapelyukh2023dall")
        + "\n"
    )
    assert text.endswith(tail)
    assert repo.git("status", "--porcelain") == ""


def test_git_with_the_driver_marks_one_conflicting_entry(repo: Repo):
    repo.use_merge_driver()
    repo.commit("use soralit's merge driver")
    base = repo.read("library.bib")
    ours = edited(appended(repo, "mandi2022cacti"), "gu2024seer", "venue", "ICLR'24 (oral)")
    theirs = edited(base, "gu2024seer", "venue", "ICLR'24 (spotlight)")
    theirs = edited(theirs, "kingma2014auto", "venue", "ICLR'14")
    branch(repo, "ours", ours)
    branch(repo, "theirs", theirs)
    assert repo.merge("ours")
    assert not repo.merge("theirs")
    assert "library.bib: 1 conflicting entries: gu2024seer" in repo.last.stderr
    assert repo.conflicted() == ["library.bib"]
    text = repo.read("library.bib")
    assert text.count("<<<<<<< ours\n") == 1 and text.count(">>>>>>> theirs\n") == 1
    conflict = re.search(r"<<<<<<< ours\n(.*?)>>>>>>> theirs\n", text, re.DOTALL)
    assert conflict is not None
    assert conflict[1].count("@inproceedings{gu2024seer,") == 2
    assert "@" not in conflict[1].replace("@inproceedings{gu2024seer,", "")
    assert "venue = {ICLR'14}" in text and unit(SHIPPED_TEXT, "mandi2022cacti") in text
    # Resolving the one entry leaves a library soralit reads.
    resolved = text[: conflict.start()] + unit(ours, "gu2024seer") + "\n" + text[conflict.end() :]
    assert len(parsed(resolved).entries) == 70  # 69 on main, plus mandi2022cacti


def test_git_with_the_driver_honours_diff3(repo: Repo):
    repo.use_merge_driver()
    repo.git("config", "merge.conflictStyle", "diff3")
    repo.commit("use soralit's merge driver")
    base = repo.read("library.bib")
    branch(repo, "ours", edited(base, "gu2024seer", "venue", "A"))
    branch(repo, "theirs", edited(base, "gu2024seer", "venue", "B"))
    assert repo.merge("ours")
    assert not repo.merge("theirs")
    assert "\n||||||| base\n" in repo.read("library.bib")


def test_an_unreadable_side_falls_back_to_git_line_merge(repo: Repo):
    repo.use_merge_driver()
    repo.commit("use soralit's merge driver")
    base = repo.read("library.bib")
    broken = base.replace("@inproceedings{gu2024seer,", "@inproceedings{gu2024seer", 1)
    branch(repo, "broken", broken)
    branch(repo, "theirs", appended(repo, "kapelyukh2023dall"))
    assert repo.merge("broken")
    assert repo.merge("theirs"), repo.last.stderr
    assert "merging line by line instead" in repo.last.stderr
    text = repo.read("library.bib")
    assert "@inproceedings{gu2024seer\n" in text and unit(SHIPPED_TEXT, "kapelyukh2023dall") in text
