"""Reading and writing library.bib: parse cache, atomic writes, locks, surgical splices."""

import fcntl
import os
import stat
from pathlib import Path

import pytest

from needs import read_only
from soralit import cache, fileio, splicing, storage
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
    assert [c.slug for c in library.taxonomy.categories()] == [
        "modeling",
        "data-pre-processing",
        "robotics",
    ]


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


def test_a_transaction_refuses_when_the_file_changed_underneath(small_library):
    with (
        pytest.raises(LibraryError, match="changed by another program"),
        storage.edit(small_library) as tx,
    ):
        small_library.write_text(tx.library.text + "\n% edited elsewhere\n")
        tx.set_field("beta2022data", "title", "Delta")
    assert "Delta" not in small_library.read_text()


@pytest.mark.faults
def test_a_transaction_in_a_read_only_folder_is_a_clear_error(small_library):
    with (
        read_only(small_library.parent),
        pytest.raises(LibraryError, match="cannot write"),
        storage.edit(small_library) as tx,
    ):
        tx.set_field("beta2022data", "title", "Delta")


def splice(library, key, raw):  # type: ignore[no-untyped-def]
    i = library.index(key)
    return splicing.splice(library.text, {i: (library.spans[i], raw)})[0]


def test_splices_touch_only_their_entries(small_library):
    library = storage.load(small_library)
    text = library.text
    new = splice(library, "beta2022data", "@misc{beta2022data,\n}")
    assert new == text.replace(library.find("beta2022data").raw, "@misc{beta2022data,\n}")
    removed = splice(library, "alpha2023model", None)
    alpha = library.find("alpha2023model").raw
    assert removed == text.replace("% source: test data\n" + alpha + "\n\n", "")
    last = splice(library, "gamma2024robot", None)
    assert last == text[: text.index("\n@misc{gamma2024robot")]
    appended = splicing.append_entry(text, "@misc{new,\n}\n")
    assert appended == text.rstrip("\n") + "\n\n@misc{new,\n}\n"


def test_the_lock_leaves_no_file_beside_the_library(small_library):
    with fileio.locked(small_library):
        assert os.listdir(small_library.parent) == ["library.bib"]
    with storage.edit(small_library) as tx:
        tx.set_field("beta2022data", "title", "Delta")
    assert os.listdir(small_library.parent) == ["library.bib"]


def test_a_lock_file_left_by_soralit_0_1_is_removed(small_library):
    old = Path(f"{small_library}.lock")
    old.touch()
    with fileio.locked(small_library):
        assert not old.exists()


def test_lock_excludes_other_holders_and_times_out_in_one_line(small_library, monkeypatch):
    monkeypatch.setattr(fileio, "LOCK_TIMEOUT", 0.2)
    with open(small_library, "rb") as other:  # another process's flock on the library
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        with (
            pytest.raises(LibraryError, match=r"library.bib: locked by another soralit for 0.2 s$"),
            fileio.locked(small_library),
        ):
            pass
    with fileio.locked(small_library):  # released: free again
        pass


def test_a_lock_won_on_a_replaced_file_is_taken_again_on_the_new_one(small_library):
    """A writer renames a new file over the library while another waits for the lock:
    the waiter must lock (and read) the new file, not the old one it opened."""
    old = open(small_library, "rb")  # noqa: SIM115
    fcntl.flock(old.fileno(), fcntl.LOCK_EX)
    replacement = small_library.with_name("new.bib")
    replacement.write_text("@misc{new,\n}\n")
    import threading

    def release() -> None:
        os.replace(replacement, small_library)
        old.close()

    timer = threading.Timer(0.2, release)
    timer.start()
    with fileio.locked(small_library) as fd:
        assert os.fstat(fd).st_ino == os.stat(small_library).st_ino
        assert fileio.read_handle(fd)[0] == b"@misc{new,\n}\n"
    timer.join()
