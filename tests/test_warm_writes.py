"""A write leaves the parse cache of the new text: the next read is warm, and exact.

`storage.edit` makes the columns of the new text from the old ones (`columns.edited`)
instead of parsing again. Here every kind of edit, alone and mixed, on real libraries
(the shipped one, the test library, a slice of the real `bench/medium-cdl.bib`, a CRLF
file with trailing spaces), is followed by a warm read, which must parse nothing and
equal a fresh bibtexparser parse of the file: keys, types, fields, lines, exact text,
spans, taxonomy, and the cached work ids.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soralit import bibtex, duplicates, parser, storage
from soralit.model import Category, Entry, Section, Taxonomy

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


def medium_slice() -> str:
    """The first 150 entries of the real medium-cdl.bib (MIT, see bench/SOURCE.md)."""
    text = (ROOT / "bench" / "medium-cdl.bib").read_text(encoding="utf-8")
    cut = 0
    for _ in range(151):
        cut = text.index("\n@", cut + 1)
    return text[:cut] + "\n"


def crlf() -> str:
    lines = (DATA / "small.bib").read_text(encoding="utf-8").split("\n")
    return "\r\n".join(f"{line}  " if line.startswith("  ") else line for line in lines)


SOURCES = {
    "shipped": lambda: (ROOT / "library.bib").read_text(encoding="utf-8"),
    "small": lambda: (DATA / "small.bib").read_text(encoding="utf-8"),
    "medium-cdl": medium_slice,
    "crlf": crlf,
}
NEW = Entry(
    "new2024paper",
    "misc",
    {
        "title": "A {New} Paper with $\\alpha$ and \\& Things",
        "author": "Ada Lovelace and Alan Turing",
        "year": "2024",
        "eprint": "2401.00001",
        "archiveprefix": "arXiv",
        "keywords": "modeling",
    },
)


def fresh(path: Path, monkeypatch: pytest.MonkeyPatch) -> storage.Library:
    """PATH parsed by bibtexparser now, with no cache."""
    storage._recent.clear()
    with monkeypatch.context() as patch:
        patch.setenv("SORALIT_CACHE_DIR", "off")
        library = storage.load(path)
    storage._recent.clear()
    return library


def warm(path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> storage.Library:
    """Read PATH from the cache only: a parse fails the test."""
    storage._recent.clear()
    with monkeypatch.context() as patch:
        patch.setenv("SORALIT_CACHE_DIR", str(cache_dir))
        patch.setattr(parser, "parse", lambda *_: pytest.fail("the write left no cache"))
        return storage.load(path)


def described(library: storage.Library) -> dict[str, object]:
    entries = library.entries
    return {
        "entries": [(e.key, e.type, dict(e.fields), e.line, e.raw) for e in entries],
        "spans": [library.text[a:b] for a, b in library.spans],
        "taxonomy": (library.taxonomy, library.text[slice(*library.taxonomy_span or (0, 0))]),
        "work": [duplicates.work_ids(e) for e in entries],
        "text": (library.source.length, library.source.newlines, library.source.blank),
    }


def check_warm(path: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    cached = warm(path, monkeypatch, cache_dir)
    source = cached.source
    known = (source.length, source.newlines, source.suffix, source.newline, source.blank)
    assert not source.decoded  # length and lines came from the cache
    expected = described(fresh(path, monkeypatch))
    assert described(cached) == expected
    text = path.read_bytes().decode("utf-8-sig")
    suffix = text[len(text.rstrip(" \t\r\n")) :]
    ending = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    assert known == (len(text), text.count("\n"), suffix, ending, text.isspace() or not text)
    if cached.entries.knows_work_ids():
        assert cached.entries.work_ids_by_entry() == expected["work"]
    assert cached.entries.field_values("keywords") == [
        fields.get("keywords", "") for _, _, fields, *_ in expected["entries"]
    ]


@pytest.fixture(params=sorted(SOURCES))
def source(request, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A library file (read once into the test's cache), and the cache folder."""
    path = tmp_path / "library.bib"
    path.write_bytes(SOURCES[request.param]().encode("utf-8"))
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(cache_dir))
    storage._recent.clear()
    storage.load(path)
    return path, cache_dir


def keys_of(path: Path) -> list[str]:
    return storage.load(path).entries.citation_keys()


EDITS = {
    "append": lambda tx, keys: tx.add_entry(
        Entry(f"new{len(keys)}", NEW.type, {**NEW.fields, "eprint": f"2401.{len(keys):05d}"})
    ),
    "tag-first": lambda tx, keys: tx.set_keywords(keys[0], ["robotics", "modeling"]),
    "untag-middle": lambda tx, keys: tx.set_keywords(keys[len(keys) // 2], []),
    "field-last": lambda tx, keys: tx.set_field(keys[-1], "note", "A {note}, with\nlines"),
    "remove-first": lambda tx, keys: tx.remove_entry(keys[0]),
    "remove-last-two": lambda tx, keys: (tx.remove_entry(keys[-1]), tx.remove_entry(keys[-2])),
    "remove-middle": lambda tx, keys: tx.remove_entry(keys[len(keys) // 3]),
    "retype": lambda tx, keys: tx.replace_entry(
        keys[1], bibtex.set_type(tx.raw(keys[1]), "inproceedings")
    ),
    "taxonomy": lambda tx, keys: tx.set_taxonomy(
        Taxonomy((Section("Only", (Category("modeling", "Modeling"),)),), title="T")
    ),
    # Issue 14: a new entry in place, between two others.
    "insert-after-first": lambda tx, keys: tx.insert_entry(NEW, after=keys[0]),
    "insert-before-middle": lambda tx, keys: tx.insert_entry(NEW, before=keys[len(keys) // 2]),
    "insert-two-after-a-retyped-one": lambda tx, keys: (
        tx.replace_entry(keys[1], bibtex.set_type(tx.raw(keys[1]), "inproceedings")),
        tx.insert_entry(NEW, after=keys[1]),
        tx.insert_entry(Entry("second2024", "misc", {"title": "Second"}), after=keys[1]),
    ),
    "insert-before-a-removed-one": lambda tx, keys: (
        tx.remove_entry(keys[2]),
        tx.insert_entry(NEW, before=keys[2]),
    ),
    "insert-after-one-then-remove-it": lambda tx, keys: (
        tx.insert_entry(NEW, after=keys[-2]),
        tx.remove_entry(keys[-2]),
        tx.remove_entry(keys[-1]),
    ),
    "mixed": lambda tx, keys: (
        tx.set_keywords(keys[2], ["movie"]),
        tx.remove_entry(keys[3]),
        tx.set_taxonomy(Taxonomy((Section("S", (Category("movie", "Movie"),)),))),
        tx.add_entry(NEW),
    ),
}


@pytest.mark.parametrize("cached", [True, False], ids=["read-from-cache", "parsed-here"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_each_edit_leaves_a_warm_and_exact_cache(source, monkeypatch, edit, cached):
    """The old columns come from the cache file (then an append writes the stored bytes
    and the new ones after them) or from a parse in this process."""
    path, cache_dir = source
    keys = keys_of(path)
    if cached:
        storage._recent.clear()
    with storage.edit(path) as tx:
        EDITS[edit](tx, keys)
    check_warm(path, monkeypatch, cache_dir)


def test_edits_in_a_row_stay_warm_and_exact(source, monkeypatch):
    path, cache_dir = source
    for edit in ("append", "append", "tag-first", "append", "remove-middle", "taxonomy"):
        keys = keys_of(path)
        storage._recent.clear()  # the edit reads the cache the last one left
        with storage.edit(path) as tx:
            EDITS[edit](tx, keys)
        check_warm(path, monkeypatch, cache_dir)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["tag", "untag", "note", "remove", "append", "insert"]),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(OPERATIONS)
def test_random_edits_of_the_shipped_library_stay_exact(tmp_path_factory, operations):
    folder = tmp_path_factory.mktemp("random")
    path, cache_dir = folder / "library.bib", folder / "cache"
    path.write_bytes((ROOT / "library.bib").read_bytes())
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SORALIT_CACHE_DIR", str(cache_dir))
        storage._recent.clear()
        keys = storage.load(path).entries.citation_keys()
        removed: set[str] = set()
        with storage.edit(path) as tx:
            for n, (operation, pick) in enumerate(operations):
                key = random.Random(pick).choice(keys)
                if key in removed:
                    continue
                if operation == "tag":
                    tx.set_keywords(key, ["movie", "robotics"])
                elif operation == "untag":
                    tx.set_keywords(key, [])
                elif operation == "note":
                    tx.set_field(key, "note", f"note {pick}")
                elif operation == "remove":
                    tx.remove_entry(key)
                    removed.add(key)
                elif operation == "append":
                    tx.add_entry(Entry(f"new{n}", "misc", {"title": f"New {pick}"}))
                elif operation == "insert":
                    tx.insert_entry(Entry(f"put{n}", "misc", {"title": f"Put {pick}"}), after=key)
        check_warm(path, monkeypatch, cache_dir)


MACROS = """@string{conf = "Proceedings of Tests"}

@misc{first2019,
  title = {First},
}

@inproceedings{macro2020a,
  title = "Quoted " # {and braced} # " parts",
  booktitle = conf,
  year = 2020,
  keywords = {recall},
}

@misc{plain2021b,
  title = {Plain},
  year = {2021},
}
"""


def test_an_entry_it_cannot_read_exactly_is_left_to_the_next_parse(tmp_path, monkeypatch):
    """A macro or a concatenation is not a slice of the text: no guess is cached."""
    path, cache_dir = tmp_path / "library.bib", tmp_path / "cache"
    path.write_text(MACROS, encoding="utf-8")
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(cache_dir))
    storage._recent.clear()
    storage.load(path)
    with storage.edit(path) as tx:
        tx.set_keywords("macro2020a", ["modeling"])
    storage._recent.clear()
    parsed = []
    real = parser.parse
    monkeypatch.setattr(parser, "parse", lambda *a: parsed.append(1) or real(*a))
    library = storage.load(path)
    assert parsed == [1]
    assert library.find("macro2020a").fields["booktitle"] == "Proceedings of Tests"
    assert library.find("macro2020a").fields["keywords"] == "modeling"
    with storage.edit(path) as tx:  # plain entries: these edits are followed
        tx.set_keywords("first2019", ["modeling", "robotics"])
        tx.set_keywords("plain2021b", ["modeling"])
    check_warm(path, monkeypatch, cache_dir)
