"""`import md` on the shapes lists are written in: one small test list per shape
(tests/data/lists/shapes, made-up papers), read field by field and round-tripped through
`import md` and `export md --in-place` as a maintainer would run them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from soralit import storage
from soralit.cli import cli
from soralit.importers.markdown import parse_markdown
from soralit.model import Category

SHAPES = Path(__file__).parent / "data" / "lists" / "shapes"
NAMES = (
    "bullets",
    "paragraphs",
    "tables",
    "details",
    "deep",
    "titled",
    # Shapes of real lists that once went wrong (reduced from them): a table with no
    # heading above it, headings after the last entry, `##` alone as a separator,
    # `####` right under `##`.
    "table-first",
    "trailing-headings",
    "empty-heading",
    "skipped-levels",
    # Links the sync guard once misread, so that the export after the import refused.
    "paren-url",
    "comma-url",
    "image-cell",
    "nested-link",
)


def read(name: str):  # type: ignore[no-untyped-def]
    return parse_markdown((SHAPES / f"{name}.md").read_text(encoding="utf-8"))


def fields(result, key: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(next(e for e in result.entries if e.key == key).fields)


def run(runner, library: Path, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == code, result.output
    return result


# --- what each shape gives --------------------------------------------------------------


def test_bullet_shapes() -> None:
    result = read("bullets")
    assert [e.key for e in result.entries] == [
        "alpha2024", "beta2024", "gamma2024", "delta2024", "epsilon2024", "zeta2024",
        "eta2024", "theta2024", "author2024iota", "mile2024",
    ]  # fmt: skip
    # `- [Title](url) - Venue 2023`, and the same paper under a second heading (another
    # arXiv version): one entry in both categories.
    assert fields(result, "alpha2024") == {
        "title": "Alpha: A Title With a Link",
        "year": "2024",
        "keywords": "links-and-labels, nested-and-labelled",
        "listvenue": "CVPR 2024",
        "url": "https://arxiv.org/abs/2401.00001",
        "eprint": "2401.00001",
        "archiveprefix": "arXiv",
    }
    assert fields(result, "beta2024")["title"] == "Beta: A Bold Linked Title"
    gamma = fields(result, "gamma2024")  # `[**ACRONYM**] Title [[Paper](url)]`
    assert (gamma["title"], gamma["shorttitle"]) == ("Gamma: A Title After an Acronym", "GAMMA")
    delta = fields(result, "delta2024")  # `Paper: [Title](url) (Venue)`
    assert (delta["title"], delta["listvenue"], delta["url"]) == (
        "Delta: A Title After a Label",
        "ICLR 2024",
        "https://openreview.net/forum?id=delta123",
    )
    epsilon = fields(result, "epsilon2024")  # badges beside the title, linked or not
    assert (epsilon["url"], epsilon["code"]) == (
        "https://arxiv.org/abs/2401.00005",
        "https://github.com/example/epsilon",
    )
    zeta = fields(result, "zeta2024")  # links and text on continuation lines
    assert (zeta["links"], zeta["note"]) == (
        "https://zeta.example.org/",
        "A description of the paper on a line of its own",
    )
    # Published venues written in bold or as code are kept, in the library's form.
    assert fields(result, "eta2024")["listvenue"] == "ECCV 2024"
    assert fields(result, "theta2024")["listvenue"] == "ECCV'24"
    # Trailing authors and dates go to author, year and month; never to venue.
    iota = fields(result, "author2024iota")
    assert (iota["author"], iota["year"], iota["month"]) == (
        "Ann Author and Bob Builder",
        "2024",
        "12",
    )
    assert "listvenue" not in iota
    # `[MILE]` is the paper's acronym, not a venue.
    mile = fields(result, "mile2024")
    assert ("listvenue" not in mile, mile["shorttitle"]) == (True, "MILE")
    assert [(p.line, p.reason) for p in result.skipped] == [
        (27, "only code links and no venue: a tool or repository, not a paper")
    ]


def test_paragraph_entries() -> None:
    result = read("paragraphs")
    assert fields(result, "author2023lambda") == {
        "title": "Lambda: A Survey in Paragraph Form",
        "author": "Ann Author and Bob Builder and Carol Coder",
        "year": "2023",
        "month": "5",
        "keywords": "survey",
        "listvenue": "NeurIPS 2023",
        "url": "https://arxiv.org/abs/2305.00011",
        "code": "https://github.com/example/lambda",
        "eprint": "2305.00011",
        "archiveprefix": "arXiv",
    }
    mu = fields(result, "dee2024mu")  # `**Title** (Venue) <br />`, then an author line
    assert (mu["listvenue"], mu["author"]) == ("EMNLP 2024 Findings", "Dan Dee and Eve Eff")
    nu = fields(result, "gee2023nu")  # `arXiv 2023.`: the arXiv ID gives the label
    assert ("listvenue" not in nu, nu["year"], nu["month"]) == (True, "2023", "6")
    # The blog post under `# Resources` is not a paper: that heading is not the list's.
    assert (result.taxonomy.heading, result.taxonomy.level) == ("Papers", 2)


def test_tables() -> None:
    result = read("tables")
    xi = fields(result, "xi2024")  # star badge, bold linked title, Date and Code columns
    assert (xi["title"], xi["month"], xi["code"]) == (
        "Xi: A Table Row",
        "2",
        "https://github.com/example/xi",
    )
    assert fields(result, "omicron2024")["note"] == "Blog"  # `Blog` is not a venue
    assert fields(result, "pi2023")["note"] == "Institute: Example University"
    assert fields(result, "sigma2024")["listvenue"] == "ECCV 2024"  # a `Pub. & Date` column
    assert [(p.line, p.reason) for p in result.problems] == [
        (8, "columns left out (star counts and ratings): Stars"),
        (14, "columns kept in the note as 'Header: value': Institute"),
    ]


def test_details_news_and_html_headings() -> None:
    result = read("details")
    (vision,) = result.taxonomy.sections
    assert (vision.name, vision.markdown) == ("Vision", '<span id="vision">👁️ Vision</span>')
    assert [(n.before, n.text) for n in vision.notes] == [
        ("psi2024", "</details>"),
        ("omega2024", "- [A Dataset Page](https://huggingface.co/datasets/example/data) "
                      "- the dataset of Psi."),
    ]  # fmt: skip
    assert [p.line for p in result.skipped] == [3, 21]
    assert "under 'News'" in result.skipped[0].reason


def category_tree(nodes: tuple[Category, ...]) -> list:  # type: ignore[type-arg]
    return [(c.slug, category_tree(c.children)) for c in nodes]


def test_four_heading_levels_are_kept() -> None:
    result = read("deep")
    assert category_tree(result.taxonomy.sections) == [
        ("vision", [("generation", [("images", []), ("videos", [])]), ("understanding", [])]),
        ("audio", [("speech", [])]),
    ]
    assert [e.categories for e in result.entries] == [
        ("images",), ("videos",), ("understanding",), ("audio",), ("speech",),
    ]  # fmt: skip


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_each_depth_is_kept(runner, tmp_path, depth: int) -> None:
    """Two categories at each level, a paper in each leaf: the taxonomy has DEPTH levels,
    and the export writes the same headings back."""
    lines = ["# T", "", "## Papers"]
    papers = iter(range(51, 99))

    def branch(level: int, name: str) -> None:
        lines.extend(["", f"{'#' * (2 + level)} {name}"])
        if level == depth:
            n = next(papers)
            lines.extend(["", f"- [Paper {n}: A Title](https://arxiv.org/abs/2408.000{n})"])
            return
        for child in ("A", "B"):
            branch(level + 1, f"{name}{child}")

    for top in ("X", "Y"):
        branch(1, top)
    text = "\n".join(lines) + "\n"
    result = parse_markdown(text)
    node, found = result.taxonomy.sections, 0
    while node:
        found += 1
        node = node[0].children
    assert (found, result.taxonomy.level, len(result.entries)) == (depth, 3, 2**depth)
    readme = tmp_path / "README.md"
    readme.write_text(text, encoding="utf-8")
    run(runner, tmp_path / "library.bib", "import", "md", str(readme))
    run(runner, tmp_path / "library.bib", "export", "md", "--in-place", str(readme))
    after = readme.read_text(encoding="utf-8").splitlines()
    assert [h for h in after if h.startswith("#")] == [h for h in lines if h.startswith("#")]


# --- import, then export in place, as a maintainer runs them -------------------------------


def migrate(runner, tmp_path: Path, name: str, *, crlf: bool = False):  # type: ignore[no-untyped-def]
    readme, library = tmp_path / "README.md", tmp_path / "library.bib"
    text = (SHAPES / f"{name}.md").read_text(encoding="utf-8")
    readme.write_bytes(text.replace("\n", "\r\n" if crlf else "\n").encode("utf-8"))
    imported = run(runner, library, "import", "md", str(readme))
    run(runner, library, "export", "md", "--in-place", str(readme))
    return text, readme.read_bytes().decode("utf-8"), imported


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_keeps_every_other_line_and_the_headings(runner, tmp_path, name):
    before, after, _ = migrate(runner, tmp_path, name)
    entry_lines = parse_markdown(before).entry_lines
    kept = set(after.splitlines())
    lost = [
        line
        for i, line in enumerate(before.splitlines())
        if i not in entry_lines and line.strip() and line not in kept
    ]
    assert lost == []
    # Headings come back at their levels, written as the README wrote them.
    assert [h for h in before.splitlines() if h.startswith("#")] == [
        h for h in after.splitlines() if h.startswith("#")
    ]
    assert after.count("<!-- soralit:start -->") == after.count("<!-- soralit:end -->") == 1
    # Read back, the migrated README is what the library holds: nothing new, no change.
    library = tmp_path / "library.bib"
    held = library.read_bytes()
    again = run(runner, library, "import", "md", str(tmp_path / "README.md"))
    assert " 0 new," in again.stderr and library.read_bytes() == held
    run(runner, library, "export", "md", "--check", "--in-place", str(tmp_path / "README.md"))


def test_round_trip_of_a_crlf_readme(runner, tmp_path):
    before, after, _ = migrate(runner, tmp_path, "details", crlf=True)
    assert after.count("\r\n") == after.count("\n") > before.count("\n")
    # The <details> block still holds the two papers it held, the rest follow it.
    body = after.replace("\r\n", "\n")
    block = body[body.index("<details>") : body.index("</details>")]
    assert re.findall(r"\[\[paper\]\]\(https://arxiv.org/abs/(\S+?)\)", block) == [
        "2201.00032",
        "2201.00033",
    ]
    tail = body[body.index("</details>") :]
    assert tail.index("Psi: After the Details") < tail.index("A Dataset Page")
    assert tail.index("A Dataset Page") < tail.index("Omega: The Last Paper")


def test_the_readme_head_and_tail_stay_outside_the_markers(runner, tmp_path):
    before, after, _ = migrate(runner, tmp_path, "paragraphs")
    head = after[: after.index("<!-- soralit:start -->")]
    assert head == before[: before.index("## Survey")]
    tail = after[after.index("<!-- soralit:end -->") :]
    assert tail.endswith(before[before.index("## Citation") :])


def test_a_title_holding_part_of_the_list_keeps_the_head_outside(runner, tmp_path):
    """The README's `#` title holds its logo, a news item, a contact section and then
    highlighted papers, before more `#` sections: the markers start at the highlights."""
    before, after, imported = migrate(runner, tmp_path, "titled")
    head = after[: after.index("<!-- soralit:start -->")]
    assert head == before[: before.index("## Highlights")]
    assert after.count("# Awesome Titled Lists") == 1
    assert "README.md:7: in the README's head, above the list" in imported.output
    # Sigma, listed again under the second caption, stays where it first stood; the
    # caption stays before the papers that follow it.
    body = after[after.index("## Highlights") : after.index("# Awesome Papers")]
    order = [body.index(s) for s in ("Surveys of", "Sigma:", "Benchmarks of", "Tau:", "Upsilon:")]
    assert order == sorted(order) and body.count("Sigma:") == 1


def test_not_imported_items_are_listed_and_strict_fails(runner, tmp_path):
    readme, library = tmp_path / "README.md", tmp_path / "library.bib"
    shutil.copyfile(SHAPES / "bullets.md", readme)
    before = readme.read_bytes()
    strict = run(runner, library, "import", "md", str(readme), "--strict", code=1)
    assert strict.stderr.endswith(
        f"Error: {readme}: 1 item(s) with links not read as papers (listed above); "
        "nothing written (--strict)\n"
    )
    assert (readme.read_bytes(), library.exists()) == (before, False)
    result = run(runner, library, "import", "md", str(readme))
    assert (
        "Not imported (1 items with links, not read as papers):\n"
        f"  {readme}:27: only code links and no venue: a tool or repository, not a paper: "
        "- [Kappa Toolkit](https://github.com/example/kappa) - A toolkit for the papers above.\n"
    ) in result.stderr
    assert result.stderr.endswith("10 new, 0 already in the library, 0 problems, 1 not imported.\n")


def test_a_title_alone_never_merges_two_papers(runner, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# L\n\n## Papers\n\n### A\n\n- [Same Title](https://arxiv.org/abs/2409.00061)\n\n"
        "### B\n\n- [Same Title](https://arxiv.org/abs/2409.00062)\n",
        encoding="utf-8",
    )
    result = run(runner, tmp_path / "library.bib", "import", "md", str(readme))
    assert result.stdout.split() == ["same2024", "same2024a"]
    assert (
        f"{readme}:11: probably the same paper as line 7 (same title, other links); kept both"
    ) in result.stderr


def test_reimport_into_the_library_adds_a_title_twin_with_other_links(runner, tmp_path):
    library = tmp_path / "library.bib"
    first = tmp_path / "first.md"
    first.write_text("# L\n\n## P\n\n- [Twin](https://arxiv.org/abs/2409.00071)\n")
    run(runner, library, "import", "md", str(first), "--no-markers")
    second = tmp_path / "second.md"
    second.write_text("# L\n\n## P\n\n- [Twin](https://arxiv.org/abs/2409.00072)\n")
    result = run(runner, library, "import", "md", str(second), "--no-markers")
    assert "probably the same paper as twin2024 (same title, other links); kept both" in (
        result.stderr
    )
    assert [e.get("eprint") for e in storage.load(library).entries] == [
        "2409.00071",
        "2409.00072",
    ]


def test_a_table_with_no_heading_above_goes_inside_the_markers_whole(runner, tmp_path):
    before, after, _ = migrate(runner, tmp_path, "table-first")
    assert after.index("<!-- soralit:start -->") == before.index("| Title | Venue | Code |")
    assert "| Title |" not in after and "|---|" not in after  # no header left dangling


def test_the_urls_of_a_link_pasted_into_a_link_are_kept(runner, tmp_path):
    _, after, imported = migrate(runner, tmp_path, "nested-link")
    assert "read the 2 URL(s) in it" in imported.stderr
    assert "(https://arxiv.org/abs/2304.04487)" in after
    assert "(https://arxiv.org/pdf/2406.18200)" in after
