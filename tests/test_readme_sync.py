"""README sync safety: `export md --in-place` never drops what the library lacks.

The marked region of a README is replaced only when every link it holds is in the
library (or in the new list); CRLF files keep their line endings; doubled markers are an
error. Expected link counts are computed here with a plain regex, not soralit's code.
"""

import re
from pathlib import Path

import pytest

from soralit.cli import cli
from soralit.ids import url_key
from soralit.importers.markdown import SHAPES
from soralit.render.markdown import (
    END,
    START,
    MarkerError,
    dropped_links,
    link_targets,
    splice,
)

FIXTURES = Path(__file__).parent / "fixtures"
SEED_README = FIXTURES / "seed-README.md"


def run(runner, library, *args, code=0):
    result = runner.invoke(cli, ["--library", str(library), *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def wrapped_readme(tmp_path: Path, text: str, first_line: int = 1) -> Path:
    """TEXT with markers around everything from line FIRST_LINE (0-based) on."""
    lines = text.splitlines(keepends=True)
    lines[first_line:first_line] = [START + "\n"]
    lines.append(END + "\n")
    readme = tmp_path / "README.md"
    readme.write_text("".join(lines), encoding="utf-8")
    return readme


def test_a_region_with_links_the_library_lacks_is_not_replaced(runner, small_library, tmp_path):
    """The reported data loss: markers around a whole real README (title, intro, list,
    citation) and a library that does not hold its papers. Nothing may be written."""
    seed = SEED_README.read_text(encoding="utf-8")
    readme = wrapped_readme(tmp_path, seed)
    before = readme.read_bytes()
    no_images = re.sub(r"!\[[^\]]*\]\([^)]*\)|<img[^>]*>", "", seed)
    targets = re.findall(r"\[\[?[^\]]*\]?\]\((https?://[^)\s]+)\)", no_images)
    arxiv = re.compile(r"arxiv\.org/(?:abs|pdf)/+(\d{4}\.\d{4,5})")
    papers = {arxiv.search(u)[1] if arxiv.search(u) else u.rstrip("/") for u in targets}
    result = run(runner, small_library, "export", "md", "--in-place", str(readme), code=1)
    assert readme.read_bytes() == before
    count = int(re.search(r"has (\d+) link\(s\) the library does not hold", result.stderr)[1])
    assert count == len(papers)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"Error: {readme}: ")
    assert "--force" in result.stderr


def test_force_replaces_the_region(runner, small_library, tmp_path):
    readme = wrapped_readme(tmp_path, SEED_README.read_text(encoding="utf-8"))
    run(runner, small_library, "export", "md", "--in-place", str(readme), "--force")
    text = readme.read_text()
    assert "Sora" not in text.split(START)[1]
    assert "## Paper List" in text


def test_force_needs_in_place(runner, small_library):
    result = run(runner, small_library, "export", "md", "--force", code=2)
    assert result.stderr == "Error: --force needs --in-place README\n"


def test_the_shipped_list_syncs_over_its_own_output(runner, library, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# L\n\n{START}\n{END}\n")
    run(runner, library, "export", "md", "--in-place", str(readme))
    first = readme.read_text()
    run(runner, library, "export", "md", "--in-place", str(readme))
    assert readme.read_text() == first


def test_a_paper_removed_from_the_library_blocks_the_sync(runner, library, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# L\n\n{START}\n{END}\n")
    run(runner, library, "export", "md", "--in-place", str(readme))
    removed = run(runner, library, "rm", "--yes", "gu2024seer")
    assert "soralit export md --in-place README.md --force" in removed.stderr
    before = readme.read_bytes()
    result = run(runner, library, "export", "md", "--in-place", str(readme), code=1)
    assert "has 2 link(s) the library does not hold" in result.stderr  # its paper and code
    assert "Papers you removed (soralit rm): pass --force" in result.stderr
    assert readme.read_bytes() == before
    run(runner, library, "export", "md", "--in-place", str(readme), "--force")
    regenerated = readme.read_text()
    assert "Seer: Language Instructed" not in regenerated and regenerated.count("[[paper]]") == 70


def test_crlf_readme_keeps_its_line_endings(runner, library, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_bytes(f"# L\r\n\r\n{START}\r\nold\r\n{END}\r\n\r\nEnd.\r\n".encode())
    run(runner, library, "export", "md", "--in-place", str(readme))
    data = readme.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") > 80
    assert data.startswith(f"# L\r\n\r\n{START}\r\n## Paper List\r\n".encode())
    assert data.endswith(f"{END}\r\n\r\nEnd.\r\n".encode())
    run(runner, library, "export", "md", "--in-place", str(readme), "--check")


@pytest.mark.parametrize("doubled", [START, END])
def test_two_marker_pairs_are_an_error(runner, library, tmp_path, doubled):
    readme = tmp_path / "README.md"
    pair = f"{START}\nold\n{END}\n"
    readme.write_text(f"# L\n{pair}\nprose\n{pair}" if doubled == START else f"# L\n{pair}{END}\n")
    before = readme.read_bytes()
    result = run(runner, library, "export", "md", "--in-place", str(readme), code=1)
    assert result.stderr.startswith(f"Error: {readme}: has 2 {doubled} marker lines (lines ")
    assert readme.read_bytes() == before


def test_splice_errors_name_the_problem():
    with pytest.raises(MarkerError, match="has no"):
        splice(f"{END}\nx\n{START}\n", "new\n")


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://arxiv.org/abs/2402.17177v2", "arxiv:2402.17177"),
        ("http://arxiv.org/pdf/2402.17177.pdf", "arxiv:2402.17177"),
        ("https://doi.org/10.1109/CVPR52733.2024.00616", "doi:10.1109/cvpr52733.2024.00616"),
        ("https://www.github.com/Vchitect/LaVie/", "github.com/Vchitect/LaVie"),
        ("https://x.org/p?utm_source=list&id=3", "x.org/p?id=3"),
        ("http://GitHub.com/Vchitect/LaVie#readme", "github.com/Vchitect/LaVie"),
    ],
)
def test_url_keys_name_what_a_link_points_to(url, key):
    assert url_key(url) == key


def test_link_targets_skip_images_and_anchors():
    text = (
        "- [![badge](https://img.shields.io/x.svg)](https://github.com/a/b) "
        "[Title](https://arxiv.org/abs/2402.17177) [top](#top) see <https://x.org/p> "
        "and https://y.org/q."
    )
    assert link_targets(text) == [
        "https://github.com/a/b",
        "https://arxiv.org/abs/2402.17177",
        "https://x.org/p",
        "https://y.org/q",
    ]


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        # ChenHsing/Awesome-Video-Diffusion-Models: a badge linking a link pasted in a link
        (
            "[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)]"
            "([https://arxiv.org/abs/2307.06940](https://arxiv.org/pdf/2411.11045))",
            ["https://arxiv.org/abs/2307.06940", "https://arxiv.org/pdf/2411.11045"],
        ),
        # terryum/awesome-deep-learning-papers: parentheses in the URL
        (
            "[paper](https://www.cell.com/fulltext/S1364-6613(20)30219-9)",
            ["https://www.cell.com/fulltext/S1364-6613(20)30219-9"],
        ),
        # subeeshvasu/Awesome-Learning-with-Label-Noise: two URLs in one target (text)
        (
            "[[Paper]](https://arxiv.org/abs/1904.03936v3, https://ieeexplore.ieee.org/document/9477020)",
            ["https://arxiv.org/abs/1904.03936v3", "https://ieeexplore.ieee.org/document/9477020"],
        ),
        ('| <img width="100" src="https://example.com/wanda.png"> |', []),
    ],
)
def test_link_targets_of_links_real_lists_write(text, targets):
    assert link_targets(text) == targets


def test_links_held_by_the_new_list_are_not_lost():
    document = f"{START}\n- [T](https://arxiv.org/abs/2402.17177v1)\n{END}\n"
    assert dropped_links(document, "- [T](https://arxiv.org/abs/2402.17177)\n", []) == []
    assert dropped_links(document, "", []) == ["https://arxiv.org/abs/2402.17177v1"]


def test_an_import_that_finds_no_entries_writes_nothing(runner, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Notes\n\nSome prose with a [link](https://example.org).\n\n## More\n\nText.\n"
    )
    before = readme.read_bytes()
    lib = tmp_path / "library.bib"
    result = run(runner, lib, "import", "md", str(readme), code=1)
    assert (
        result.stderr
        == f"Error: {readme}: found no paper entries (looked for {SHAPES}); nothing written\n"
    )
    assert readme.read_bytes() == before
    assert not lib.exists()


def test_import_md_takes_back_a_paper_pasted_between_the_markers(runner, library, tmp_path):
    """The way out that the refusal names: a contributor pasted a paper into the generated
    list by hand. `import md` on a README with markers reads only the list between them
    (prose and examples outside are not papers of the list): one new entry, under its
    heading's category, the taxonomy and every other byte of the library unchanged."""
    readme = tmp_path / "README.md"
    prose = (
        "# L\n\n## Adding a paper\n\nLines like this one are the list's shape:\n\n"
        "- (*CVPR'23*) An Example Title [[paper]](https://arxiv.org/abs/2301.99999)\n\n"
    )
    readme.write_text(f"{prose}## Paper List\n{START}\n{END}\n\n## Citation\n")
    run(runner, library, "export", "md", "--in-place", str(readme))
    pasted = "- (*arXiv 2016*) Heat-bath random walks [[paper]](https://arxiv.org/abs/1605.08386)"
    text = readme.read_text()
    readme.write_text(text.replace("#### Robotics\n", f"#### Robotics\n{pasted}\n"))
    run(runner, library, "export", "md", "--in-place", str(readme), code=1)

    old_library = library.read_text()
    result = run(runner, library, "import", "md", str(readme))
    assert "1 new, 71 already in the library" in result.stderr
    new_library = library.read_text()
    added = re.findall(r"^@\w+\{([^,]+),", new_library, re.M)
    assert sorted(set(added) - set(re.findall(r"^@\w+\{([^,]+),", old_library, re.M))) == [
        "heat2016"
    ]
    block = re.search(r"@misc\{heat2016,.*?\n\}\n", new_library, re.S)[0]
    assert "keywords = {robotics}" in block
    assert new_library.replace("\n" + block, "") == old_library  # nothing else changed
    run(runner, library, "export", "md", "--in-place", str(readme))
    assert readme.read_text().startswith(prose)
    assert "2301.99999" not in new_library


def test_a_read_only_readme_is_refused_by_export_and_import(runner, library, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# L\n\n{START}\n{END}\n")
    readme.chmod(0o444)
    result = run(runner, library, "export", "md", "--in-place", str(readme), code=1)
    assert result.stderr.endswith(
        "cannot write: the file is read-only (-r--r--r--); nothing written\n"
    )
    assert readme.read_text() == f"# L\n\n{START}\n{END}\n"
    # import md would add markers: it refuses before writing the library too.
    listed = tmp_path / "list.md"
    listed.write_text("# L\n\n## A\n\n- A Paper [[paper]](https://arxiv.org/abs/2301.00001)\n")
    listed.chmod(0o444)
    before = library.read_bytes()
    run(runner, library, "import", "md", str(listed), code=1)
    assert library.read_bytes() == before
