"""The Python API (`import soralit`, `soralit.operations`), without click: each operation
returns a frozen result, raises a one-line `SoralitError` on bad input and writes only
what it says. A few CLI checks at the end cover what the commands render of them."""

from __future__ import annotations

import dataclasses

import pytest

import soralit
from replay import ARXIV_PATH, recorded, requests_seen
from soralit import operations, storage
from soralit.cli import cli
from soralit.errors import NotFound, UsageProblem

HEAT_BATH = "arxiv/id_list_1605.08386.xml"
STANLEY = """@misc{stanley2016heat,
  title = {Heat-bath random walks with Markov bases},
  author = {Caprice Stanley and Tobias Windisch},
  year = {2016},
  eprint = {1605.08386},
  archivePrefix = {arXiv},
  primaryClass = {math.CO},
  url = {https://arxiv.org/abs/1605.08386},
  keywords = {modeling, robotics},
  added = {2024-06-10},
}
"""


def serve_arxiv(services):  # type: ignore[no-untyped-def]
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))


def test_the_api_is_the_operations_by_name():
    assert soralit.add is operations.add
    assert soralit.tag is operations.tag
    assert soralit.load is storage.load
    # Every operation the package's `operations` names is `soralit.<name>` too.
    functions = [n for n in operations.__all__ if n[0].islower()]
    assert all(getattr(soralit, n) is getattr(operations, n) for n in functions)
    assert sorted(operations.__all__) == sorted(operations._WHERE)
    for name in operations.__all__:
        assert getattr(operations, name) is not None
    with pytest.raises(AttributeError):
        soralit.no_such_thing  # noqa: B018


def test_add_places_the_entry_and_returns_what_it_did(small_library, services):
    serve_arxiv(services)
    before = small_library.read_text(encoding="utf-8")
    result = soralit.add(small_library, ["arXiv:1605.08386v1"], categories=["Robotics", "modeling"])
    (entry,) = result.added
    assert (entry.key, result.categories) == ("stanley2016heat", ("modeling", "robotics"))
    assert (result.present, result.failed, result.refreshed) == ((), (), ())
    # After the last entry of its first category, Modeling (issue 14).
    last = before.index("}\n", before.index("@inproceedings{alpha2023model,")) + 1
    expected = before[:last] + "\n\n" + STANLEY.rstrip("\n") + before[last:]
    assert small_library.read_text(encoding="utf-8") == expected
    assert result.uncategorised == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.added = ()  # type: ignore[misc]


def test_a_dry_run_runs_the_same_code_and_writes_nothing(small_library, services):
    serve_arxiv(services)
    before = small_library.read_bytes()
    dry = soralit.add(small_library, ["1605.08386"], categories=["robotics"], dry_run=True)
    assert small_library.read_bytes() == before
    assert dry.dry_run and [e.key for e in dry.added] == ["stanley2016heat"]
    real = soralit.add(small_library, ["1605.08386"], categories=["robotics"])
    assert real.added == dry.added and not real.dry_run


def test_a_paper_already_there_is_reported_with_its_categories(small_library):
    before = small_library.read_bytes()
    result = soralit.add(small_library, ["10.1234/none", "2403.01234"], dry_run=False)
    assert [(p.identifier, p.key, p.categories) for p in result.present] == [
        ("2403.01234", "gamma2024robot", ("robotics",))
    ]
    assert [f.identifier for f in result.failed] == ["10.1234/none"]  # offline: refused
    assert small_library.read_bytes() == before


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda p: soralit.add(p, ["nope"]), UsageProblem, "not an arXiv ID or DOI: 'nope'"),
        (
            lambda p: soralit.add(p, ["2401.00001", "2401.00002"], key="k"),
            UsageProblem,
            "--key needs exactly one ID",
        ),
        (lambda p: soralit.add(p, ["2401.00001"], categories=["robot"]), UsageProblem, "robot"),
        (lambda p: soralit.tag(p, "nokey", add=["robotics"]), NotFound, "no entry with key"),
        (lambda p: soralit.tag(p, "beta2022data"), UsageProblem, "nothing to do"),
        (lambda p: soralit.remove(p, ["nokey"]), NotFound, "no entry with key 'nokey'"),
        (lambda p: soralit.remove_category(p, "robotics"), UsageProblem, "is used by 2"),
        (lambda p: soralit.move_category(p, "robotics", after="nope"), UsageProblem, "nope"),
    ],
)
def test_bad_input_is_one_error_and_nothing_is_written(
    small_library, services, call, error, message
):
    before = small_library.read_bytes()
    with pytest.raises(error, match=message):
        call(small_library)
    assert small_library.read_bytes() == before
    assert requests_seen(services) == []


def test_tag_and_remove(small_library):
    result = soralit.tag(small_library, "beta2022data", add=["modeling"], remove=["Robotics"])
    assert (result.before, result.after) == (
        ("data-pre-processing", "robotics"),
        ("data-pre-processing", "modeling"),
    )
    assert result.changed and not result.unlisted
    last = soralit.tag(small_library, "gamma2024robot", remove=["robotics"])
    assert last.unlisted and last.after == ()
    assert "keywords" not in storage.load(small_library).get("gamma2024robot").fields
    same = soralit.tag(small_library, "beta2022data", add=["modeling"])
    assert not same.changed
    removed = soralit.remove(small_library, ["alpha2023model", "alpha2023model"])
    assert [e.key for e in removed.removed] == ["alpha2023model"]
    assert storage.load(small_library).find("alpha2023model") is None


def test_remove_asks_first_and_a_no_writes_nothing(small_library):
    before = small_library.read_bytes()
    seen = []

    def refuse(entries):  # type: ignore[no-untyped-def]
        seen.extend(entries)
        return False

    result = soralit.remove(small_library, ["beta2022data"], confirm=refuse)
    assert [e.key for e in seen] == ["beta2022data"] and result.removed == ()
    assert small_library.read_bytes() == before


def test_taxonomy_edits_and_retagging(small_library):
    soralit.add_category(small_library, "Application", "Autonomous Driving", "driving")
    soralit.move_category(small_library, "driving", after="modeling")
    soralit.rename_category(small_library, "driving", "Self-Driving")
    taxonomy = storage.load(small_library).taxonomy
    assert [c.slug for c in taxonomy.categories()] == [
        "modeling",
        "driving",
        "data-pre-processing",
        "robotics",
    ]
    assert taxonomy.category("driving").name == "Self-Driving"
    result = soralit.remove_category(small_library, "robotics", retag_to="driving")
    assert result.retagged == ("beta2022data", "gamma2024robot")
    library = storage.load(small_library)
    assert library.get("beta2022data").categories == ("data-pre-processing", "driving")
    assert "robotics" not in library.taxonomy.slugs()


def test_fix_repairs_and_reports_each_change(small_library):
    text = small_library.read_text(encoding="utf-8").replace("CVPR'23", "CVRP'23")
    small_library.write_text(text, encoding="utf-8")
    result = soralit.fix(small_library, ["unknown-venue"])
    assert [(c.key, c.field, c.old, c.new) for c in result.changes] == [
        ("alpha2023model", "listvenue", "CVRP'23", "CVPR'23")
    ]
    assert "listvenue = {CVPR'23}" in small_library.read_text(encoding="utf-8")
    assert soralit.fix(small_library, ["unknown-venue"]).changes == ()  # nothing left


def test_init_and_import(tmp_path):
    readme = tmp_path / "README.md"
    lib = tmp_path / "library.bib"
    created = soralit.init_library(lib, title="My List", readme=readme)
    assert created.readme == readme and "<!-- soralit:start -->" in readme.read_text()
    readme.write_text(
        "# My list\n\n## Papers\n\n### Walks\n\n"
        "- (*arXiv 2016.05*) Heat-bath random walks with Markov bases "
        "[[paper]](https://arxiv.org/abs/1605.08386)\n"
    )
    dry = soralit.import_markdown(lib, readme, dry_run=True)
    assert dry.dry_run and len(dry.new) == 1 and storage.load(lib).entries.citation_keys() == []
    done = soralit.import_markdown(lib, readme)
    assert [e.key for e in done.new] == [e.key for e in dry.new]
    # The lines of the two markers, around the list's one entry (its one category's
    # heading, `### Walks`, stays above them).
    assert done.markers == (7, 9)
    assert readme.read_text().splitlines()[6] == "<!-- soralit:start -->"
    assert storage.load(lib).taxonomy.slugs() == ["walks"]
    again = soralit.import_markdown(lib, readme, markers=False)
    assert again.new == () and len(again.present) == 1


def test_sync_readme_writes_the_list_and_refuses_to_drop_links(tmp_path):
    from soralit.errors import LibraryError
    from soralit.render.markdown import render_markdown

    readme, lib = tmp_path / "README.md", tmp_path / "library.bib"
    soralit.init_library(lib, title="My List", readme=readme)
    library = storage.load(lib)
    generated = render_markdown(list(library.entries), library.taxonomy)
    first = operations.sync_readme(readme, generated, list(library.entries))
    assert first.written and readme.read_text() == first.new
    again = operations.sync_readme(readme, generated, list(library.entries))
    assert not again.changed and not again.written
    # A paper pasted by hand between the markers, that the library lacks: refused.
    by_hand = "<!-- soralit:start -->\n- Heat-bath [[paper]](https://arxiv.org/abs/1605.08386)\n"
    readme.write_text(readme.read_text().replace("<!-- soralit:start -->\n", by_hand))
    before = readme.read_bytes()
    with pytest.raises(LibraryError, match="1 link"):
        operations.sync_readme(readme, generated, list(library.entries))
    checked = operations.sync_readme(readme, generated, list(library.entries), check=True)
    assert checked.changed and not checked.written and readme.read_bytes() == before
    forced = operations.sync_readme(readme, generated, list(library.entries), force=True)
    assert forced.written and "1605.08386" not in readme.read_text()


# --- what the commands render (issue 13) ---------------------------------------------


def run(runner, library, *args, code=0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == code, result.output
    return result


def test_add_with_an_unknown_category_after_init_is_the_usual_error(runner, tmp_path, services):
    lib = tmp_path / "library.bib"
    run(runner, lib, "init", "--readme", str(tmp_path / "README.md"))
    before = lib.read_bytes()
    result = run(runner, lib, "add", "1605.08386", "-c", "robotics", code=2)
    assert result.stderr == (
        "Error: unknown category 'robotics'. Valid categories: none: the taxonomy is empty "
        "(add one: soralit taxonomy add SECTION NAME)\n"
    )
    assert lib.read_bytes() == before and requests_seen(services) == []


def test_add_of_a_present_paper_with_categories_says_how_to_tag_it(runner, small_library):
    result = run(runner, small_library, "add", "2403.01234", "-c", "modeling", "-c", "robotics")
    assert result.stderr == (
        "2403.01234: already in library as gamma2024robot; "
        "tag it with: soralit tag gamma2024robot --add modeling\n"
        "Added 0, already present 1, failed 0.\n"
    )


def test_add_without_a_category_warns_that_the_list_will_not_show_it(
    runner, small_library, services
):
    serve_arxiv(services)
    result = run(runner, small_library, "add", "1605.08386")
    assert result.stdout == "stanley2016heat\n"
    assert result.stderr == (
        "Warning: stanley2016heat has no category, so the list will not show it: "
        "soralit tag stanley2016heat --add CATEGORY\n"
        "Added 1, already present 0, failed 0.\n"
    )


def test_tag_remove_of_the_last_category_warns(runner, small_library):
    result = run(runner, small_library, "tag", "gamma2024robot", "--remove", "robotics")
    assert result.stderr == (
        "gamma2024robot: categories now none.\n"
        "Warning: gamma2024robot has no category now, so the list will not show it.\n"
    )
    listed = run(runner, small_library, "export", "md").stdout
    assert "Gamma" not in listed


@pytest.mark.parametrize(
    "args",
    [
        ["tag", "beta2022data", "--add", "modeling"],
        ["rm", "beta2022data", "--yes"],
        ["add", "1605.08386", "-c", "modeling"],
        ["taxonomy", "rename", "robotics", "Robots"],
        ["check", "--fix"],
    ],
    ids=lambda a: a[0] if a[0] != "taxonomy" else "taxonomy-rename",
)
def test_a_read_only_library_is_refused_in_one_line(runner, small_library, services, args):
    """`chmod 444` means do not edit: refused before anything is fetched, even as root."""
    before = small_library.read_bytes()
    small_library.chmod(0o444)
    try:
        result = run(runner, small_library, *args, code=1)
    finally:
        small_library.chmod(0o644)
    assert result.stderr == (
        f"Error: {small_library}: cannot write: the file is read-only (-r--r--r--); "
        "nothing written\n"
    )
    assert small_library.read_bytes() == before
    assert requests_seen(services) == []


def test_a_field_name_bibtex_cannot_read_is_refused(small_library):
    before = small_library.read_bytes()
    key = storage.load(small_library).entries.citation_keys()[0]
    refused = pytest.raises(UsageProblem, match="invalid field name 'bad field!'")
    with refused, soralit.edit(small_library) as tx:
        tx.set_field(key, "bad field!", "x")
    assert small_library.read_bytes() == before


def test_a_missing_readme_is_named_as_such(tmp_path):
    from soralit.errors import LibraryError

    with pytest.raises(LibraryError) as raised:
        soralit.import_markdown(tmp_path / "library.bib", tmp_path / "nofile.md")
    assert str(raised.value) == f"{tmp_path / 'nofile.md'}: no such file"
