"""The write path of a transaction: stat checks of a settled file, appends to the file's
bytes, the file's mode and owner, a read-only library refused."""

import codecs
import functools
import os
import stat
import time

import pytest

from soralit import fileio, splicing, storage
from soralit.errors import LibraryError
from soralit.model import Entry

NEW = Entry("new2024", "misc", {"title": "New"})
NEWER = Entry("newer2024", "misc", {"title": "New"})


def settle(monkeypatch):  # type: ignore[no-untyped-def]
    """Trust the stat of files changed 50 ms ago, not 2 s (ctime cannot be set back), and
    let 50 ms pass: more than a tick of the kernel's file-time clock."""
    monkeypatch.setattr(fileio, "SETTLED_NS", 50_000_000)
    time.sleep(0.05)


@pytest.mark.parametrize(
    "text",
    ["", " \n", "\n\n\n", "a", "a\n", "a\n\n", "a\n\n\n", "a\n\n\n\n\n", "}  \n", "x\r\n"],
)
@pytest.mark.parametrize(
    "entries",
    [
        ["@misc{new2024,\n}\n"],
        ["@misc{new2024,\n}", "@misc{b,\n}\n\n\n"],
        ["@misc{a}\n\n", "@b{c}"],
    ],
)
def test_appended_tail_is_what_append_entry_gives(text, entries):
    keep, tail = splicing.appended_tail(text, entries)
    assert text[:keep] + tail == functools.reduce(splicing.append_entry, entries, text)


@pytest.mark.parametrize("settled", [True, False], ids=["settled", "fresh"])
@pytest.mark.parametrize("bom", [False, True], ids=["utf-8", "bom"])
def test_appending_writes_the_old_bytes_and_the_new_entries(
    small_library, monkeypatch, settled, bom
):
    text = small_library.read_text(encoding="utf-8")
    small_library.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode())
    if settled:
        settle(monkeypatch)
    with storage.edit(small_library) as tx:
        tx.add_entry(NEW)
        tx.add_entry(NEWER)
    expected = splicing.append_entry(
        splicing.append_entry(text, "@misc{new2024,\n  title = {New},\n}\n"),
        "@misc{newer2024,\n  title = {New},\n}\n",
    )
    # A byte-order mark stays, as every other old byte.
    assert small_library.read_bytes() == (codecs.BOM_UTF8 if bom else b"") + expected.encode()


def test_an_edit_keeps_a_byte_order_mark(small_library):
    data = codecs.BOM_UTF8 + small_library.read_bytes()
    small_library.write_bytes(data)
    key = storage.load(small_library).entries.citation_keys()[0]
    with storage.edit(small_library) as tx:
        tx.set_field(key, "note", "Kept")
    after = small_library.read_bytes()
    assert after.startswith(codecs.BOM_UTF8) and after.count(codecs.BOM_UTF8) == 1
    assert b"note = {Kept}" in after
    assert storage.load(small_library).get(key).get("note") == "Kept"


@pytest.mark.parametrize("settled", [True, False], ids=["settled", "fresh"])
def test_a_same_size_edit_with_its_mtime_set_back_is_seen(small_library, monkeypatch, settled):
    """Neither an unchanged size nor a restored mtime hides a change (ctime, or the bytes)."""
    if settled:
        settle(monkeypatch)
    with (
        pytest.raises(LibraryError, match="changed by another program"),
        storage.edit(small_library) as tx,
    ):
        assert tx.library.state.settled == settled
        time.sleep(0.05)  # past the tick of the first write: ctime moves on
        before = os.stat(small_library)
        edited = tx.library.text.replace("Beta Data", "Beta Date").encode()
        small_library.write_bytes(edited)
        os.utime(small_library, ns=(before.st_atime_ns, before.st_mtime_ns))
        tx.add_entry(NEW)
    assert small_library.read_bytes() == edited


def test_only_a_load_for_a_transaction_keeps_the_bytes(small_library):
    assert storage.load(small_library).data == b""
    assert storage.load(small_library, keep_bytes=True).data == small_library.read_bytes()
    with storage.edit(small_library) as tx:
        assert tx.library.data == small_library.read_bytes()
    assert storage.load(small_library).data == b""


def test_a_settled_unchanged_file_is_not_read_again(small_library, monkeypatch):
    settle(monkeypatch)
    first = storage.load(small_library)
    monkeypatch.setattr(storage, "read_file", lambda _path: pytest.fail("read again"))
    assert storage.load(small_library) is first


def test_a_transaction_that_changes_nothing_writes_nothing(small_library):
    before = os.stat(small_library)
    with storage.edit(small_library) as tx:
        tx.set_keywords("beta2022data", tx.library.get("beta2022data").categories)
    assert os.stat(small_library).st_ino == before.st_ino  # not replaced


def test_an_error_in_the_block_writes_nothing(small_library):
    before = small_library.read_bytes()
    with pytest.raises(RuntimeError), storage.edit(small_library) as tx:
        tx.set_field("beta2022data", "title", "Changed")
        raise RuntimeError
    assert small_library.read_bytes() == before


def test_writing_keeps_the_mode(small_library):
    small_library.chmod(0o640)
    with storage.edit(small_library) as tx:
        tx.set_field("beta2022data", "title", "Changed")
    assert stat.S_IMODE(small_library.stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_writing_keeps_the_owner_and_group(small_library):
    os.chown(small_library, 12345, 23456)
    with storage.edit(small_library) as tx:
        tx.set_field("beta2022data", "title", "Changed")
    after = small_library.stat()
    assert (after.st_uid, after.st_gid) == (12345, 23456)
    assert "Changed" in small_library.read_text()


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_a_read_only_library_is_refused_even_for_root(small_library, mode):
    """`chmod 444 library.bib` means "do not edit", also to root (whom the system lets)."""
    before = small_library.read_bytes()
    small_library.chmod(mode)
    try:
        with pytest.raises(LibraryError) as caught, storage.edit(small_library) as tx:
            tx.set_field("beta2022data", "title", "Changed")
    finally:
        small_library.chmod(0o644)
    shown = stat.filemode(stat.S_IFREG | mode)
    assert str(caught.value) == (
        f"{small_library}: cannot write: the file is read-only ({shown}); nothing written"
    )
    assert small_library.read_bytes() == before


def test_removing_an_entry_that_shares_its_line_keeps_what_is_before_it(tmp_path):
    """The shape of JabRef's test file encodingWithoutNewline.bib: a
    `%` line, a @PREAMBLE and the entry on one line. bibtexparser reads three blocks."""
    path = tmp_path / "library.bib"
    head = "% Encoding: US-ASCII@PREAMBLE{testPreamble}"
    path.write_text(f"{head}@article{{gone,\n  title = {{T}},\n}}\n\n@article{{kept,\n}}\n")
    with storage.edit(path) as tx:
        tx.remove_entry("gone")
    text = path.read_text()
    assert text.startswith(head) and "gone" not in text and "@article{kept," in text


def test_removing_the_first_entry_keeps_the_files_header(tmp_path):
    """JabRef's jabref-header.bib: its header comments stand right above the first entry."""
    path = tmp_path / "library.bib"
    header = "% This file was created with JabRef 2.9.2.\n% Encoding: UTF-8\n"
    path.write_text(header + "@article{a,\n  title = {A},\n}\n\n% source: x\n@article{b,\n}\n")
    with storage.edit(path) as tx:
        tx.remove_entry("a")
    assert path.read_text() == header + "\n% source: x\n@article{b,\n}\n"
    with storage.edit(path) as tx:  # an entry's own `%` lines, below the header, go with it
        tx.remove_entry("b")
    assert path.read_text().startswith(header) and "source" not in path.read_text()


def test_an_entry_with_a_brace_after_an_escaped_backslash_is_not_edited(tmp_path):
    """Better BibTeX's fixture "Better BibTeX.014.bib" writes `\\\\{`: BibTeX counts that
    brace and bibtexparser does not, so no edit can be sure where the entry ends."""
    path = tmp_path / "library.bib"
    path.write_text(
        "@article{k,\n  title = {First line\\\\{\\em Second}},\n  year = {2020}\n}\n\n"
        "@article{j,\n  title = {J},\n}\n"
    )
    before = path.read_bytes()
    for edit in (lambda tx: tx.set_field("k", "note", "x"), lambda tx: tx.remove_entry("k")):
        refused = pytest.raises(LibraryError, match="cannot edit entry 'k': a brace after")
        with refused, storage.edit(path) as tx:
            edit(tx)
        assert path.read_bytes() == before
    with storage.edit(path) as tx:  # the others are edited as ever
        tx.set_field("j", "note", "x")
    assert b"note = {x}" in path.read_bytes()
