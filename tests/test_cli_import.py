"""`soralit init` and `soralit import md`: adopting soralit for an existing list."""

import shutil
from pathlib import Path

from replay import ARXIV_PATH, recorded
from soralit import storage
from soralit.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
LISTS = Path(__file__).parent / "data" / "lists"


def run(runner, *args, code=0):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result


def test_migration_path_on_the_seed(runner, tmp_path, monkeypatch):
    """init, import md, export md --in-place: the README's list says the same (plus fixes)."""
    readme = tmp_path / "README.md"
    shutil.copyfile(FIXTURES / "seed-README.md", readme)
    lib = str(tmp_path / "library.bib")
    run(runner, "--library", lib, "init", "--readme", str(readme))
    imported = run(runner, "--library", lib, "import", "md", str(readme))
    assert len(imported.stdout.split()) == 71
    assert f"{readme}:85: link target 'link-to-paper' is not an http(s) URL" in imported.stderr
    assert "71 new, 0 already in the library, 3 problems" in imported.stderr
    run(runner, "--library", lib, "export", "md", "--in-place", str(readme))
    before = (FIXTURES / "seed-README.md").read_text(encoding="utf-8").splitlines()
    after = readme.read_text(encoding="utf-8").splitlines()
    # Everything outside the list is unchanged, the list's heading and intro included.
    list_start, list_end = before.index("### Technology"), before.index("## Citation")
    while not before[list_end - 1].strip():
        list_end -= 1
    assert after[: after.index("<!-- soralit:start -->")] == before[:list_start]
    assert after[after.index("<!-- soralit:end -->") + 1 :] == before[list_end:]
    marked = after[after.index("<!-- soralit:start -->") : after.index("<!-- soralit:end -->")]
    items = [line for line in marked if line.startswith("- ")]
    seed_items = [line for line in before[list_start:list_end] if line.startswith("- ")]
    assert len(items) == len(seed_items) == 71
    assert items[0].startswith("- (*NeurIPS'23*) Patch n’Pack: Navit")  # mojibake repaired
    robotics = run(runner, "--library", lib, "list", "--category", "robotics", "--format", "keys")
    assert len(robotics.stdout.split()) == 8


def test_reimport_adds_nothing_twice(runner, tmp_path):
    readme = tmp_path / "README.md"
    shutil.copyfile(FIXTURES / "seed-README.md", readme)
    lib = tmp_path / "library.bib"
    run(runner, "--library", str(lib), "import", "md", str(readme), "--no-markers")
    first = lib.read_bytes()
    again = run(runner, "--library", str(lib), "import", "md", str(readme), "--no-markers")
    assert again.stdout == ""
    assert "0 new, 71 already in the library" in again.stderr
    assert lib.read_bytes() == first


def test_import_into_the_shipped_library_finds_every_paper(runner, library, tmp_path):
    readme = tmp_path / "README.md"
    shutil.copyfile(FIXTURES / "seed-README.md", readme)
    before = library.read_bytes()
    result = run(runner, "--library", str(library), "import", "md", str(readme), "--no-markers")
    assert "0 new, 71 already in the library" in result.stderr
    assert library.read_bytes() == before


def test_dry_run_writes_nothing(runner, tmp_path):
    readme = tmp_path / "README.md"
    shutil.copyfile(LISTS / "table.md", readme)
    lib = tmp_path / "library.bib"
    result = run(runner, "--library", str(lib), "import", "md", str(readme), "--dry-run")
    assert result.stdout.startswith("@comment{soralit-taxonomy:")
    assert "@misc{" in result.stdout
    assert not lib.exists()
    assert readme.read_bytes() == (LISTS / "table.md").read_bytes()


def test_each_test_list_round_trips_through_the_cli(runner, tmp_path):
    for source in sorted(p for p in LISTS.glob("*.md")):
        folder = tmp_path / source.stem
        folder.mkdir()
        readme = folder / "README.md"
        shutil.copyfile(source, readme)
        lib = folder / "library.bib"
        run(runner, "--library", str(lib), "import", "md", str(readme))
        run(runner, "--library", str(lib), "export", "md", "--in-place", str(readme))
        again = folder / "again.bib"
        run(runner, "--library", str(again), "import", "md", str(readme), "--no-markers")
        first, second = storage.load(lib), storage.load(again)
        slugs = [c.slug for c in first.taxonomy.nodes()]
        assert slugs == [c.slug for c in second.taxonomy.nodes()], source.name
        # What the list shows of each entry comes back; a bare `- Title` (its only link
        # was a placeholder) reads back as a note, not as a paper.
        shown = [e for e in first.entries if e.get("url") or e.get("code") or e.venue_label()]
        assert [_shown(e) for e in second.entries] == [_shown(e) for e in shown], source.name


def _shown(entry):  # type: ignore[no-untyped-def]
    fields = ("title", "keywords", "url", "code", "links", "eprint", "doi")
    return (entry.venue_label(), *(entry.get(f) for f in fields))


def test_fetch_completes_arxiv_entries(runner, tmp_path, services):
    services.expect_request(ARXIV_PATH).respond_with_response(
        recorded("arxiv/id_list_1605.08386.xml")
    )
    readme = tmp_path / "README.md"
    readme.write_text(
        "# My list\n\n## Papers\n\n### Walks\n\n"
        "- (*arXiv 2016.05*) Heat-bath random walks with Markov bases "
        "[[paper]](https://arxiv.org/abs/1605.08386)\n"
    )
    lib = tmp_path / "library.bib"
    run(runner, "--library", str(lib), "import", "md", str(readme), "--fetch")
    (entry,) = storage.load(lib).entries
    assert entry.get("author") == "Caprice Stanley and Tobias Windisch"
    assert entry.get("primaryclass") == "math.CO"
    assert entry.get("title") == "Heat-bath random walks with Markov bases"


def test_init_refuses_to_overwrite(runner, tmp_path):
    lib = tmp_path / "library.bib"
    readme = tmp_path / "README.md"
    run(runner, "--library", str(lib), "init", "--title", "Awesome X", "--readme", str(readme))
    assert "title: Awesome X" in lib.read_text()
    assert "<!-- soralit:start -->\n<!-- soralit:end -->" in readme.read_text()
    before = lib.read_bytes()
    result = run(runner, "--library", str(lib), "init", code=1)
    assert result.stderr == f"Error: {lib}: already exists; not overwritten\n"
    assert lib.read_bytes() == before
    run(runner, "--library", str(lib), "taxonomy", "add", "Technology", "Modeling")
    assert storage.load(lib).taxonomy.slugs() == ["technology", "modeling"]
