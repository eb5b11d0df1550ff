"""The fast write path of `add`: stat checks of a settled file, appends to the file's bytes."""

import codecs
import functools
import os
import time

import pytest

from soralit import storage
from soralit.errors import LibraryError

NEW = "@misc{new2024,\n  title = {New},\n}\n"


def settle(monkeypatch):  # type: ignore[no-untyped-def]
    """Trust the stat of files changed 50 ms ago, not 2 s (ctime cannot be set back), and
    let 50 ms pass: more than a tick of the kernel's file-time clock."""
    monkeypatch.setattr(storage, "SETTLED_NS", 50_000_000)
    time.sleep(0.05)


@pytest.mark.parametrize(
    "text",
    ["", " \n", "\n\n\n", "a", "a\n", "a\n\n", "a\n\n\n", "a\n\n\n\n\n", "}  \n", "x\r\n"],
)
@pytest.mark.parametrize(
    "entries", [[NEW], [NEW.rstrip("\n"), "@misc{b,\n}\n\n\n"], ["@misc{a}\n\n", "@b{c}"]]
)
def test_appended_tail_is_what_append_entry_gives(text, entries):
    keep, tail = storage.appended_tail(text, entries)
    assert text[:keep] + tail == functools.reduce(storage.append_entry, entries, text)


@pytest.mark.parametrize("settled", [True, False], ids=["settled", "fresh"])
@pytest.mark.parametrize("bom", [False, True], ids=["utf-8", "bom"])
def test_save_appended_writes_what_save_would(small_library, monkeypatch, settled, bom):
    text = small_library.read_text(encoding="utf-8")
    small_library.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode())
    if settled:
        settle(monkeypatch)
    with storage.locked(small_library):
        library = storage.load(small_library)
        storage.save_appended(library, [NEW, NEW.replace("new2024", "newer2024")])
    expected = storage.append_entry(storage.append_entry(text, NEW), NEW.replace("new", "newer"))
    assert small_library.read_bytes() == expected.encode()


@pytest.mark.parametrize("settled", [True, False], ids=["settled", "fresh"])
@pytest.mark.parametrize("locked", [True, False], ids=["locked", "unlocked"])
def test_a_same_size_edit_with_its_mtime_set_back_is_seen(
    small_library, monkeypatch, settled, locked
):
    """Neither an unchanged size nor a restored mtime hides a change (ctime, or the bytes)."""
    if settled:
        settle(monkeypatch)
    with storage.locked(small_library) if locked else open(os.devnull):
        library = storage.load(small_library)
    assert library.state.settled == settled
    time.sleep(0.05)  # past the tick of the first write: ctime moves on
    before = os.stat(small_library)
    edited = library.text.replace("Beta Data", "Beta Date").encode()
    small_library.write_bytes(edited)
    os.utime(small_library, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(LibraryError, match="changed by another program"):
        storage.save_appended(library, [NEW])
    assert small_library.read_bytes() == edited


def test_only_a_load_under_the_lock_keeps_the_bytes(small_library):
    assert storage.load(small_library).data == b""
    with storage.locked(small_library):
        assert storage.load(small_library).data == small_library.read_bytes()
    assert storage.load(small_library).data == b""


def test_a_settled_unchanged_file_is_not_read_again(small_library, monkeypatch):
    settle(monkeypatch)
    first = storage.load(small_library)
    monkeypatch.setattr(storage, "read_file", lambda _path: pytest.fail("read again"))
    assert storage.load(small_library) is first
