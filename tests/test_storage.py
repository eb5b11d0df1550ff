"""Reading and writing library.bib: parse cache, atomic writes, locks, surgical splices."""

import os
import stat
from pathlib import Path

import pytest

from needs import read_only
from soralit import atomic, cache, storage
from soralit.errors import LibraryError


def test_load_reads_entries_taxonomy_and_exact_text(small_library):
    library = storage.load(small_library)
    assert [e.key for e in library.entries] == [
        "self2024list",
        "alpha2023model",
        "beta2022data",
        "gamma2024robot",
    ]
    beta = library.find("beta2022data")
    assert beta.fields["title"] == "Beta Data"  # BibDesk capitals are normalised
    assert beta.categories == ("data-pre-processing", "robotics")
    assert beta.raw.startswith("@article{beta2022data,\n\tTitle") and beta.raw.endswith("}}")
    assert library.text[slice(*library.spans[2])] == beta.raw
    assert library.text.splitlines()[beta.line - 1].startswith("@article{beta2022data")
    assert library.taxonomy.slugs() == ["modeling", "data-pre-processing", "robotics"]


def test_cache_gives_the_same_library_and_survives_corruption(small_library, tmp_path, monkeypatch):
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "c"))
    first = storage.load(small_library)
    files = list((tmp_path / "c").glob("*.cache"))
    assert len(files) == 1
    storage._recent.clear()  # read from the cache, not the in-process copy
    second = storage.load(small_library)
    assert second.entries == first.entries and second.spans == first.spans
    files[0].write_text("{not json")
    storage._recent.clear()
    assert storage.load(small_library).entries == first.entries
    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    storage._recent.clear()
    assert storage.load(small_library).entries == first.entries


def test_cache_key_changes_with_content():
    assert cache.digest(b"a") != cache.digest(b"b")


def test_duplicate_keys_are_kept_for_check(tmp_path):
    path = tmp_path / "dup.bib"
    path.write_text("@misc{a,\n  title = {One},\n}\n@misc{a,\n  title = {Two},\n}\n")
    library = storage.load(path)
    assert [(e.key, e.fields["title"]) for e in library.entries] == [("a", "One"), ("a", "Two")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"@misc{a,\n  title = {x},\n}\n\xff\xfe", "is not valid UTF-8"),
        (b"@comment{soralit-taxonomy:\n## S\n- Bad: x\n}\n", "expected '- slug: Name'"),
    ],
)
def test_bad_files_raise_library_errors(tmp_path, content, message):
    path = tmp_path / "bad.bib"
    path.write_bytes(content)
    with pytest.raises(LibraryError, match=message):
        storage.load(path)


def test_write_atomic_keeps_mode_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "lib.bib"
    path.write_text("old")
    path.chmod(0o640)
    storage.write_atomic(path, "new ✓")
    assert path.read_text(encoding="utf-8") == "new ✓"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["lib.bib"]


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "lib.bib"
    path.write_text("old")

    def fail(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        storage.write_atomic(path, "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["lib.bib"]


def test_save_refuses_when_the_file_changed_underneath(small_library):
    library = storage.load(small_library)
    small_library.write_text(library.text + "\n% edited elsewhere\n")
    with pytest.raises(LibraryError, match="changed by another program"):
        storage.save(library, library.text.replace("Beta", "Delta"))
    assert "Delta" not in small_library.read_text()


@pytest.mark.faults
def test_save_in_read_only_folder_is_a_clear_error(small_library):
    library = storage.load(small_library)
    with read_only(small_library.parent), pytest.raises(LibraryError, match="cannot write"):
        storage.save(library, library.text + "\n")


def test_splices_touch_only_their_entries(small_library):
    library = storage.load(small_library)
    text = library.text
    new = storage.replace_entry(library, "beta2022data", "@misc{beta2022data,\n}")
    assert new == text.replace(library.find("beta2022data").raw, "@misc{beta2022data,\n}")
    removed = storage.replace_entry(library, "alpha2023model", None)
    alpha = library.find("alpha2023model").raw
    assert removed == text.replace("% source: test data\n" + alpha + "\n\n", "")
    last = storage.replace_entry(library, "gamma2024robot", None)
    assert last == text[: text.index("\n@misc{gamma2024robot")]
    appended = storage.append_entry(text, "@misc{new,\n}\n")
    assert appended == text.rstrip("\n") + "\n\n@misc{new,\n}\n"


def test_lock_is_a_sibling_file(small_library):
    with storage.locked(small_library):
        assert Path(f"{small_library}.lock").exists()


def test_lock_excludes_filelock_holders_and_times_out_in_one_line(small_library, monkeypatch):
    from filelock import FileLock

    monkeypatch.setattr(atomic, "LOCK_TIMEOUT", 0.2)
    with (
        FileLock(f"{small_library}.lock"),
        pytest.raises(LibraryError, match=r"library.bib: locked by another soralit for 0.2 s$"),
        storage.locked(small_library),
    ):
        pass
    with storage.locked(small_library):  # released: free again
        assert Path(f"{small_library}.lock").exists()
