"""The parse cache: keyed by content and code, written atomically, never trusted blindly."""

from __future__ import annotations

import json
import os

import pytest

from soralit import cache, parser, storage


def reread(path):  # type: ignore[no-untyped-def]
    """Load PATH from disk and cache, not from the in-process copy of the last load."""
    storage._recent.clear()
    return storage.load(path)


@pytest.fixture
def cached(small_library, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The small library, loaded once into an empty cache folder: (library, cache file)."""
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "c"))
    library = reread(small_library)
    (file,) = (tmp_path / "c").glob("*.cache")
    return library, file


def test_a_cached_load_reads_no_bibtex(cached, small_library, monkeypatch):
    library, _ = cached
    monkeypatch.setattr(parser, "parse", lambda *_: pytest.fail("parsed again"))
    assert reread(small_library).entries == library.entries


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-20] + bytes([data[-20] ^ 1]) + data[-19:],  # one bit flipped
        lambda data: b"",
        lambda data: data.replace(b'"little"', b'"other"').replace(b'"big"', b'"other"'),
        lambda data: data.replace(b"soralit-cache/4", b"soralit-cache/9"),
    ],
    ids=["truncated", "bit-flip", "empty", "byte-order", "magic"],
)
def test_a_damaged_cache_file_is_ignored_and_rewritten(cached, small_library, damage):
    library, file = cached
    file.write_bytes(damage(file.read_bytes()))
    assert reread(small_library).entries == library.entries
    assert cache.read(library.digest) is not None  # rebuilt


def test_the_cache_of_another_file_is_not_used(cached):
    _, file = cached
    other = cache.digest(b"something else")
    os.replace(file, file.with_name(f"{other}.cache"))
    assert cache.read(other) is None  # the key inside names the first file


def test_deleting_the_cache_changes_nothing_but_time(cached, small_library):
    library, file = cached
    file.unlink()
    assert reread(small_library).entries == library.entries


def test_an_unwritable_cache_folder_is_no_error(small_library, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(blocker))
    assert reread(small_library).entries[0].key == "self2024list"


def test_old_cache_files_are_pruned(small_library, tmp_path, monkeypatch):
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "c"))
    for i in range(cache.KEEP + 3):
        small_library.write_text(small_library.read_text() + f"\n% edit {i}\n")
        reread(small_library)
    assert len(list((tmp_path / "c").glob("*.cache"))) == cache.KEEP
    assert not list((tmp_path / "c").glob(".*.tmp"))


def test_an_unchanged_file_is_read_once_per_process(small_library):
    first = reread(small_library)
    assert storage.load(small_library) is first
    small_library.write_text(first.text.replace("Beta Data", "Beta Date"))
    changed = storage.load(small_library)
    assert changed is not first and changed.find("beta2022data").get("title") == "Beta Date"


def test_sections_round_trip_with_large_offsets():
    sections = {
        "rows": [0, 2**40, -5],
        "spans": [],
        "keys": ["a", "é"],
        "types": ["one\nline", "x"],  # not one line each: kept as JSON
        "none": [],
        "taxonomy": None,
        "work/title": "\nabc\né\n",
    }
    data = cache.encode("k", sections, arrays=("rows", "spans"), lines=("keys", "types", "none"))
    header_end = data.index(b"\n", len(cache.MAGIC))
    header = json.loads(data[len(cache.MAGIC) : header_end])
    decoded = cache.Sections(data[header_end + 1 :], header["sections"])
    assert list(decoded["rows"]) == [0, 2**40, -5]
    assert list(decoded["spans"]) == []
    assert decoded["keys"] == ["a", "é"] and decoded["taxonomy"] is None
    assert decoded["types"] == ["one\nline", "x"] and decoded["none"] == []
    assert decoded["work/title"] == "\nabc\né\n"


@pytest.mark.parametrize("entries_before", [0, 1])
def test_a_write_that_appends_and_changes_the_taxonomy_over_a_warm_cache(
    tmp_path, monkeypatch, entries_before
):
    """`init`, `list` (the cache now holds the library), then `import md`: the import
    appends entries and changes the taxonomy in one write, and the next read is right."""
    from click.testing import CliRunner

    from soralit.cli import cli

    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "c"))
    lib, readme = tmp_path / "library.bib", tmp_path / "README.md"
    readme.write_text(
        "# L\n\n## Papers\n\n### Walks\n\n"
        "- Heat-bath random walks with Markov bases [[paper]](https://arxiv.org/abs/1605.08386)\n"
        "- Another Walk [[paper]](https://arxiv.org/abs/1605.08387)\n"
    )
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--library", str(lib), *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    run("init")
    if entries_before:
        lib.write_text(lib.read_text() + "\n@misc{first,\n  title = {First},\n}\n")
    run("list")
    storage._recent.clear()  # as a new process: the import reads the cache file
    run("import", "md", str(readme))
    assert "<!-- soralit:start -->" in readme.read_text()
    listed = run("list", "--format", "keys").split()
    assert listed == ["first"] * entries_before + ["heat2016", "another2016"]
    storage._recent.clear()
    assert run("list", "--format", "keys").split() == listed
