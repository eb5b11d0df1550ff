"""Target 5 of issue 7: the fast read path is exact.

`storage.load` reads a file with soralit's own reader (`bibreader`, through `parser`)
into cached columns (`cache`, `columns`) and answers some questions without making
entries (`field_values`, `work_ids`). Here every entry of real-shaped libraries — the
shipped one, the 6,315-entry `bench/medium-cdl.bib`, the 2,720-entry TUGboat bibliography
and biblatex's examples (`@string` macros, concatenations), a generated 1k library with
keywords, and one whose second half repeats its first — is compared with a direct, full
bibtexparser 2 parse: key, type, fields, line and exact text, with the cache off, cold
(being filled) and warm (read back). The sections derived from the entries (work ids,
LaTeX titles) are computed on first need and then cached.
The shortcuts in `text`, `query`, `duplicates` and `render.markdown` are compared with
the slow paths they stand for.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import model as bp
from hypothesis import given, settings
from hypothesis import strategies as st

from soralit import duplicates, query, storage, text
from soralit.model import Entry
from soralit.render import markdown

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _generated_1k() -> str:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.generate(1000, module.SOURCE.read_text(encoding="utf-8"))


def _repeats() -> str:
    """400 entries of medium-cdl.bib, then the same again under other keys: duplicates."""
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    first = module.split_entries(module.SOURCE.read_text(encoding="utf-8"))[:400]
    return module.generate(800, "\n\n".join(first))


MACROS = """@string{conf = "Proceedings of Tests"}
@string{jan = "January"}

@inproceedings{macro2020a,
  title = "Quoted " # {and braced} # " parts",
  booktitle = conf,
  month = jan,
  year = 2020,
  keywords = {recall},
}

@misc{plain2021b,
  title = {Plain {Braces} and \\"Umlauts},
  note = {},
  year = {2021},
}
"""

CORPUS = ROOT / "tests" / "fixtures" / "bib"

LIBRARIES = {
    "macros": lambda: MACROS,
    "tugboat": lambda: (CORPUS / "pybtex" / "tugboat.bib").read_text(encoding="utf-8"),
    "biblatex-examples": lambda: (CORPUS / "biblatex" / "biblatex-examples.bib").read_text(
        encoding="utf-8"
    ),
    "shipped": lambda: (ROOT / "library.bib").read_text(encoding="utf-8"),
    "medium-cdl": lambda: (BENCH / "medium-cdl.bib").read_text(encoding="utf-8"),
    "generated-1k": _generated_1k,
    "repeats": _repeats,
}


def reference(source: str) -> list[tuple[str, str, dict[str, str], int, str]]:
    """(key, type, fields, line, raw) of every entry, straight from bibtexparser.

    The line is counted in the text: bibtexparser's own `start_line` misses a newline
    that follows a backslash (line 7,762 of tugboat.bib ends in `\\TUB\\`).
    """
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL + 1)
    entries, cursor = [], 0
    for block in bibtexparser.parse_string(source).blocks:
        start = source.find(block.raw, cursor)
        cursor = start + len(block.raw)
        if isinstance(block, bp.Entry):
            fields = {f.key.lower(): f.value for f in block.fields}
            line = source.count("\n", 0, start) + 1
            entries.append((block.key, block.entry_type.lower(), fields, line, block.raw))
    return entries


def reread(path: Path) -> storage.Library:
    """Load PATH from disk and cache, not from the in-process copy of the last load."""
    storage._recent.clear()
    return storage.load(path)


def as_tuples(library: storage.Library) -> list[tuple[str, str, dict[str, str], int, str]]:
    return [(e.key, e.type, dict(e.fields), e.line, e.raw) for e in library.entries]


@pytest.fixture(scope="module", params=sorted(LIBRARIES))
def case(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A library file, its text and the reference parse."""
    source = LIBRARIES[request.param]()
    path = tmp_path_factory.mktemp(request.param) / "library.bib"
    path.write_text(source, encoding="utf-8")
    return path, source, reference(source)


def test_entries_equal_a_full_bibtexparser_parse_cold_warm_and_uncached(
    case, tmp_path, monkeypatch
):
    path, source, expected = case
    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    uncached = reread(path)
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "cache"))
    cold = reread(path)
    assert len(list((tmp_path / "cache").glob("*.cache"))) == 1
    warm = reread(path)
    for library in (uncached, cold, warm):
        assert as_tuples(library) == expected
        assert [source[a:b] for a, b in library.spans] == [raw for *_, raw in expected]
        assert source.splitlines()[library.entries[-1].line - 1].startswith("@")
    assert warm.taxonomy == uncached.taxonomy


def test_column_answers_equal_the_entries(case, tmp_path, monkeypatch):
    path, _, expected = case
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "cache"))
    reread(path)
    entries = reread(path).entries  # warm
    made = list(entries)
    assert entries.field_values("keywords") == [e.get("keywords") for e in made]
    assert entries.field_values("title") == [
        fields.get("title", "") for _, _, fields, *_ in expected
    ]
    assert entries.citation_keys() == [e.key for e in made]
    fast, slow = duplicates.WorkIndex(entries), duplicates.WorkIndex(made)
    assert fast._cached is not None and slow._cached is None
    assert {w: fast.held(w) for w in slow.first} == slow.first
    assert fast.keys == slow.keys
    assert [fast.holder(e) for e in made[:300]] == [slow.holder(e) for e in made[:300]]
    assert entries.work_ids_by_entry() == [duplicates.work_ids(e) for e in made]
    assert list(duplicates.repeated_works(entries)) == list(duplicates.repeated_works(made))
    newcomer = Entry("new", "misc", {"title": "A Title No Library Has", "eprint": "2401.99999"})
    assert fast.holder(newcomer) == slow.holder(newcomer) == ""
    fast.add(newcomer)
    assert fast.holder(Entry("x", "misc", {"title": "A title no library has"})) == "new"


@pytest.mark.parametrize("categories", [{"recall"}, {"modeling", "robotics"}, {"no-such"}])
def test_category_queries_skip_no_entry(case, categories):
    path, *_ = case
    library = storage.load(path)
    criteria = query.Criteria(categories=frozenset(categories))
    fast = query.select(library.entries, criteria)
    assert fast == [e for e in library.entries if query.matches(e, criteria)]


def test_cached_title_conversions_are_pylatexenc_results(case, tmp_path, monkeypatch):
    path, _, expected = case
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "cache"))
    assert reread(path).entries.knows_work_ids()  # derives, and caches, ids and titles
    text._LEARNED.clear()
    text.learn_later(None)
    reread(path)  # warm: the cached conversions are learned
    learned = dict(text._LEARNED)
    titles = {fields["title"] for _, _, fields, *_ in expected if "title" in fields}
    slow = {t for t in titles if text.needs_pylatexenc(t)}
    assert slow <= learned.keys()
    for title in slow:
        assert learned[title] == " ".join(text._pylatexenc_text(title).split())


def test_brace_shortcut_equals_pylatexenc_on_real_titles(case):
    _, _, expected = case
    for _, _, fields, *_ in expected:
        value = fields.get("title", "")
        plain = text._braces_only(value)
        if plain is not None and text._LATEX_CHARS.search(value):
            assert " ".join(plain.split()) == " ".join(text._pylatexenc_text(value).split())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab {}-`'!?.,:;\"()\n\té’#@/", max_size=14))
def test_brace_shortcut_equals_pylatexenc(value):
    plain = text._braces_only(value)
    if plain is not None:
        assert " ".join(plain.split()) == " ".join(text._pylatexenc_text(value).split())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ahtpsfmilo:./&#;\\`*_[]<>|~@ 1é²X\n", max_size=20))
def test_markdown_escape_shortcut_changes_nothing(value):
    assert markdown.escape(value) == markdown.escape_all(" ".join(value.split()))


def test_derived_sections_are_computed_when_first_needed_then_cached(tmp_path, monkeypatch):
    from soralit import cache, parser

    path = tmp_path / "library.bib"
    path.write_bytes((CORPUS / "pybtex" / "xampl.bib").read_bytes())
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "cache"))
    cold = reread(path)  # a cold read (`list -f keys`) derives nothing
    core = cache.read(cold.digest)
    assert not any(parser.is_derived(name) for name in core)
    core = {name: core[name] for name in core}  # decoded, before the file is rewritten
    warm = reread(path)  # from a cache file without the derived sections
    assert warm.entries.knows_work_ids()
    stored = cache.read(cold.digest)
    derived = {name: stored[name] for name in stored if parser.is_derived(name)}
    assert derived == parser.derive(cold.text, core)
    assert {name: stored[name] for name in core} == core
    monkeypatch.setattr(parser, "derive", lambda *_: pytest.fail("derived again"))
    warm = reread(path)
    assert duplicates.WorkIndex(warm.entries)._cached is not None


def test_a_title_that_needs_pylatexenc_derives_the_titles(tmp_path, monkeypatch):
    from soralit import cache

    path = tmp_path / "library.bib"
    path.write_text('@misc{a, title = {Schr\\"odinger \\& {\\TeX}}}\n', encoding="utf-8")
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "cache"))
    text._LEARNED.clear()
    text.latex_to_text.cache_clear()
    library = reread(path)
    title = library.entries[0].get("title")
    assert text.needs_pylatexenc(title) and title not in text._LEARNED
    shown = text.latex_to_text(title)
    assert text._LEARNED[title] == shown
    assert cache.read(library.digest)["latex"] == {title: shown}
    assert "work" in cache.read(library.digest)


@pytest.mark.parametrize("derived_first", [False, True], ids=["not derived", "derived"])
def test_a_write_keeps_the_derived_sections_it_knows(tmp_path, monkeypatch, derived_first):
    """After a cold read, a write leaves the derived sections to the next command that
    needs them; after a read that derived them, it keeps them. Either way they are right."""
    from soralit import cache, parser

    path = tmp_path / "library.bib"  # plain braced values: the write is followed
    path.write_bytes((CORPUS / "jabref" / "jabref-authors.bib").read_bytes())
    monkeypatch.setenv("SORALIT_CACHE_DIR", str(tmp_path / "cache"))
    library = reread(path)
    if derived_first:
        assert library.entries.knows_work_ids()
    key = library.entries[3].key
    with storage.edit(path) as tx:
        tx.set_keywords(key, ["modeling"])
    monkeypatch.setattr(parser, "parse", lambda *_: pytest.fail("the write left no cache"))
    after = reread(path)
    stored = cache.read(after.digest)
    assert stored is not None and ("work" in stored) is derived_first
    made = list(after.entries)
    assert after.entries.work_ids_by_entry() == [duplicates.work_ids(e) for e in made]
    assert made[3].fields["keywords"] == "modeling"
