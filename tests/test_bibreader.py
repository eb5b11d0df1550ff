"""soralit's own BibTeX reader (`bibreader`) reads exactly what bibtexparser 2 reads.

Differential tests: every file of the real corpus (`tests/fixtures/bib/`, see its
PROVENANCE.md), the shipped library, `bench/medium-cdl.bib`, `tests/data/` and inputs
made by hypothesis (fixed seed) are read both ways, through `parser`: with the reader
(`parser.read`) and with bibtexparser (`parser.parse_with_bibtexparser`). The
entries soralit sees (key, type, fields, line, exact text) and the taxonomy block must be
equal, or the reader must decline, which sends the file to bibtexparser. A file that
bibtexparser rejects must be declined (so the error and its line are bibtexparser's).
On the real files the reader must never decline a file that bibtexparser reads.
"""

from __future__ import annotations

import codecs
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from soralit import bibreader, columns, parser
from soralit.errors import LibraryError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "fixtures" / "bib"
MALFORMED = CORPUS / "malformed"
REAL = sorted(
    [
        *(p for p in CORPUS.rglob("*.bib") if MALFORMED not in p.parents),
        ROOT / "library.bib",
        ROOT / "bench" / "medium-cdl.bib",
        *(Path(__file__).parent / "data").rglob("*.bib"),
    ]
)
PATH = Path("library.bib")


def text_of(path: Path) -> str:
    data = path.read_bytes()
    return data.decode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")


def seen(text: str, sections: dict) -> tuple[list, object]:
    """What soralit makes of parsed columns: every entry as a tuple, and the taxonomy."""
    entries = columns.EntryList(columns.Columns(text, sections))
    made = [(e.key, e.type, dict(e.fields), e.line, e.raw) for e in entries]
    return made, sections["taxonomy"]


def by_bibtexparser(text: str) -> tuple[list, object] | LibraryError:
    try:
        return seen(text, parser.parse_with_bibtexparser(PATH, text))
    except LibraryError as exc:
        return exc


def by_reader(text: str) -> tuple[list, object] | None:
    """The reader's result, or None when it declines."""
    try:
        return seen(text, parser.read(text))
    except bibreader.Declined:
        return None


def assert_same_or_declined(text: str) -> bool:
    """The reader equals bibtexparser or declines; True when it read the text."""
    mine, reference = by_reader(text), by_bibtexparser(text)
    if isinstance(reference, LibraryError):
        assert mine is None, f"read a text bibtexparser rejects ({reference})"
        return False
    if mine is not None:
        assert mine == reference
    return mine is not None


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", REAL, ids=relative)
def test_reader_reads_every_valid_corpus_file(path: Path) -> None:
    text = text_of(path)
    reference = by_bibtexparser(text)
    assert not isinstance(reference, LibraryError)
    assert by_reader(text) == reference  # never declined: no fallback on real files


@pytest.mark.parametrize("path", REAL, ids=relative)
def test_every_value_is_a_span_of_its_entry_or_a_literal(path: Path) -> None:
    """A write moves an entry's spans with it (`incremental`): none may point elsewhere."""
    sections = parser.read(text_of(path))
    rows, spans, width = sections["rows"], sections["spans"], columns.ROW
    for i in range(len(rows) // width):
        _, start, end, layout, first = rows[width * i : width * (i + 1)]
        for k in range(first, first + len(sections["layouts"][layout])):
            at, stop = spans[2 * k], spans[2 * k + 1]
            assert at < 0 or start <= at <= stop <= end
    literal_entries = {i for i in range(len(rows) // width) if any_literal(sections, i)}
    assert literal_entries == set(sections["literal_entries"])


def any_literal(sections: dict, i: int) -> bool:
    rows, width = sections["rows"], columns.ROW
    layout, first = rows[width * i + 3], rows[width * i + 4]
    count = len(sections["layouts"][layout])
    return any(sections["spans"][2 * k] < 0 for k in range(first, first + count))


@pytest.mark.parametrize("path", sorted(MALFORMED.glob("*.bib")), ids=relative)
def test_reader_declines_what_bibtexparser_rejects(path: Path) -> None:
    text = text_of(path)
    assert isinstance(by_bibtexparser(text), LibraryError)
    assert by_reader(text) is None
    with pytest.raises(LibraryError) as failure:
        parser.parse(PATH, text)
    assert str(failure.value) == str(by_bibtexparser(text))


def test_the_corpus_is_what_provenance_describes() -> None:
    provenance = (CORPUS / "PROVENANCE.md").read_text(encoding="utf-8")
    files = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.bib"))
    assert len(files) == 66
    for name in files:
        assert f"| `{name}` |" in provenance, name


# --- the quirks, one by one ---------------------------------------------------------

QUIRKS = {
    "macro resolved, any case": '@string{Conf = "Proc. of Tests"}\n@misc{a, booktitle = cONF}',
    "macro defined after use": '@misc{a, booktitle = conf}\n@string{conf = "Later"}',
    "macro redefined, other case": '@string{x = "1"}\n@string{X = "2"}\n@misc{a, t = x}',
    "macro repeated exactly": '@string{x = "1"}\n@string{x = "2"}\n@misc{a, t = x}',
    "macro in braces is text": '@string{x = "1"}\n@misc{a, t = {x}}',
    "concatenation kept": '@string{x = "1"}\n@misc{a, t = x # " and " # {y}}',
    "braces start and end": "@misc{a, t = {A} # {B}}",
    "quotes start and end": '@misc{a, t = "A" # "B"}',
    "quote in braces in quotes": '@misc{a, t = "say {"}hi{"}"}',
    "escaped braces": r"@misc{a, t = {a \} b \{ c}}",
    "escaped quote": r'@misc{a, t = "a \" b"}',
    "backslash before a brace": "@misc{a, t = {a\\\\} b}}",
    "parentheses": '@misc(a, t = {x)y}, u = "p)q")',
    "brace closes nothing in parentheses": "@misc(a, t = x}y)",
    "no fields": "@misc{a}\n@misc{b,}\n@misc{c, }",
    "trailing comma": "@misc{a, t = {x},\n}",
    "repeated key keeps delimiters": '@misc{a, t = {x}}\n@misc{a, t = "y", m = jan}',
    "names differing in case": "@misc{a, Title = {x}, title = {y}}",
    "empty value": "@misc{a, t = , u = {}}",
    "numbers": "@misc{a, year = 2020, n = 007}",
    "comment blocks": "@comment{soralit-taxonomy: x}\n@Comment(soralit-taxonomy: y)",
    "commentary is a comment": "@commentary{anything, goes}",
    "preamble": '@preamble{"\\newcommand{\\x}{y}"}\n@preamble("a)b")',
    "at inside a value": "@misc{a, email = {me@host.org}, note = {see @misc{b}}}",
    "at in text outside blocks": "mail me@x.org\n@misc{a, t = {x}}",
    "entry type with spaces": "@ misc {a, t = {x}}\n@{b, t = {y}}",
    "field name with spaces": "@misc{a, my field = {x}}",
    "CRLF and tabs": "@misc{a,\r\n\tt\t=\t{x},\r\n}\r\n",
    "unicode whitespace": "@misc{a,\u00a0t = {x}\u2003}",
    "string with a comma inside": '@string{x = "1", y = "2"}\n@misc{a, t = x}',
    "string in braces ends at its brace": '@string{x = "a}b"}\n@misc{a, t = x}',
}


@pytest.mark.parametrize("text", list(QUIRKS.values()), ids=list(QUIRKS))
def test_quirks_read_as_bibtexparser_reads_them(text: str) -> None:
    assert_same_or_declined(text)
    assert by_reader(text) is not None


DECLINED = {
    "an @ starting a line in a value": "@misc{a, t = {x\n@misc{b, t = {y}}}}",
    "a repeated field": "@misc{a, t = {x}, t = {y}}",
    "braces nested too deep": "@misc{a, t = " + "{" * 10 + "x" + "}" * 10 + "}",
    "a key with a brace": "@misc{a{b}, t = {x}}",
    "no comma after the key": "@misc{a t = {x}}",
    "a dangling name": "@misc{a, t = {x}, junk}",
    "an unclosed entry": "@misc{a, t = {x}",
    "an unclosed value": "@misc{a, t = {x, u = {y}}",
}


@pytest.mark.parametrize("text", list(DECLINED.values()), ids=list(DECLINED))
def test_reader_declines_what_it_cannot_be_sure_of(text: str) -> None:
    assert by_reader(text) is None
    assert_same_or_declined(text)


def test_values_users_see() -> None:
    """A few results written out, so that a bug shared by both readers shows too."""
    text = (
        '@string{conf = "Proc. of " # "Tests"}\n'
        "@inproceedings{k1, Title = {The {\\TeX}book}, booktitle = Conf, year = 1984}\n"
        '@misc(k2, title = "A {"} quote", note = {a \\} b})\n'
    )
    entries, _ = by_reader(text)  # type: ignore[misc]
    assert entries[0][:3] == (
        "k1",
        "inproceedings",
        {"title": "The {\\TeX}book", "booktitle": '"Proc. of " # "Tests"', "year": "1984"},
    )
    assert entries[1][2] == {"title": 'A {"} quote', "note": "a \\} b"}
    assert [e[3] for e in entries] == [2, 3]


def test_a_macro_defined_after_its_use_is_read_in_a_second_pass() -> None:
    text = "@misc{a, booktitle = conf}\n@string{conf = {Later}}\n@misc{b, booktitle = conf}"
    entries, _ = by_reader(text)  # type: ignore[misc]
    assert [e[2]["booktitle"] for e in entries] == ["Later", "Later"]


# --- fuzzing ------------------------------------------------------------------------

ALPHABET = '@{}()",=#\\% \t\n\r\u00a0abcxyzAT0129é-_.:;/'
WORDS = ["@misc", "@article", "@string", "@comment", "@preamble", "@Comment", "title", "jan"]
pieces = st.one_of(st.text(alphabet=ALPHABET, max_size=6), st.sampled_from(WORDS))


@seed(20261130)
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=30).map("".join))
def test_random_text(text: str) -> None:
    assert_same_or_declined(text)


def entry_text() -> st.SearchStrategy[str]:
    """Entries in the forms real files use, with values that nest and concatenate."""
    word = st.text(alphabet="abcXYZ019-_:.", min_size=1, max_size=6)
    inner = st.recursive(
        st.text(alphabet="ab c,=\"#@\\'\n()%é", max_size=6),
        lambda sub: st.lists(sub, max_size=3).map(lambda parts: "{" + "".join(parts) + "}"),
        max_leaves=6,
    )
    value = st.one_of(
        inner.map(lambda v: "{" + v + "}"),
        st.text(alphabet="ab {}c,#@\\()", max_size=8).map(lambda v: '"' + v + '"'),
        word,
        st.lists(st.one_of(word, inner, st.just('"q"')), min_size=2, max_size=3).map(" # ".join),
    )
    field = st.tuples(word, st.sampled_from([" = ", "=", "\t=\t", " =\n  "]), value).map("".join)
    return st.tuples(
        st.sampled_from(["@article", "@Misc", "@string", "@comment", "@ inbook", "@preamble"]),
        st.sampled_from(["{", "("]),
        word,
        st.lists(field, max_size=4),
        st.sampled_from(["", ",", ",\n", "\n"]),
    ).map(
        lambda t: (
            t[0]
            + t[1]
            + t[2]
            + "".join(",\n  " + f for f in t[3])
            + t[4]
            + ("}" if t[1] == "{" else ")")
        )
    )


@seed(20261130)
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entry_text(), min_size=1, max_size=5).map("\n\n".join))
def test_generated_entries(text: str) -> None:
    """About half of these are valid BibTeX: the reader reads every one of them."""
    if not isinstance(by_bibtexparser(text), LibraryError):
        assert assert_same_or_declined(text), "declined a text bibtexparser reads"
    else:
        assert by_reader(text) is None


@pytest.mark.parametrize(
    "path",
    [CORPUS / "pybtex" / "xampl.bib", CORPUS / "biblatex" / "biblatex-examples.bib"],
    ids=relative,
)
def test_mutated_real_files(path: Path) -> None:
    """Real files with one mark inserted, deleted or swapped, 200 times (fixed seed)."""
    text, rng = text_of(path), random.Random(20261130)
    marks = '{}()",=#@\\\n'
    read = 0
    for _ in range(200):
        at = rng.randrange(len(text))
        change = rng.choice(("insert", "delete", "replace"))
        mark = rng.choice(marks)
        if change == "insert":
            mutated = text[:at] + mark + text[at:]
        elif change == "delete":
            mutated = text[:at] + text[at + 1 :]
        else:
            mutated = text[:at] + mark + text[at + 1 :]
        read += assert_same_or_declined(mutated)
    assert read >= 60


# --- the seam -----------------------------------------------------------------------


def test_a_cold_read_does_not_import_bibtexparser(tmp_path: Path) -> None:
    library = tmp_path / "library.bib"
    library.write_bytes((CORPUS / "pybtex" / "tugboat.bib").read_bytes())
    code = (
        "import sys; from soralit import storage; "
        f"lib = storage.load({str(library)!r}); "
        "print(len(lib.entries), 'bibtexparser' in sys.modules)"
    )
    env = {"SORALIT_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    argv = [sys.executable, "-c", code]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["2720", "False"], out.stderr


def test_a_declined_file_is_read_by_bibtexparser() -> None:
    text = "@misc{a, t = " + "{" * 10 + "x" + "}" * 10 + "}\n@misc{b, t = {y}}"
    assert by_reader(text) is None
    entries, _ = seen(text, parser.parse(PATH, text))
    assert [e[0] for e in entries] == ["a", "b"]
    assert entries[0][2]["t"] == "{" * 9 + "x" + "}" * 9
