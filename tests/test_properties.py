"""Property tests (hypothesis): titles through `export md` and `import md`, field values
through write and parse, and the two readers of untrusted input on arbitrary bytes.

Default runs are short; `make stress` (SORALIT_STRESS=1) runs the `stress` variants with
many more examples. docs/reliability.md has the figures.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from replay import ARXIV_PATH, recorded
from soralit import storage
from soralit.bibtex import format_entry, text_to_bibtex
from soralit.cli import cli
from soralit.errors import LibraryError, SourceError
from soralit.importers.markdown import parse_markdown
from soralit.model import Entry
from soralit.sources.arxiv import parse_feed
from soralit.text import latex_to_text, looks_like_mojibake

STRESS = bool(os.environ.get("SORALIT_STRESS"))


def stress(test):  # type: ignore[no-untyped-def]
    """A long variant: run by `make stress` (SORALIT_STRESS=1), skipped otherwise."""
    skip = pytest.mark.skipif(not STRESS, reason="long run: make stress (SORALIT_STRESS=1)")
    return pytest.mark.stress(skip(test))


def examples(count: int):  # type: ignore[no-untyped-def]
    # Fixtures (tmp_path, the replay server) are shared by the examples on purpose.
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


UNICODE = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
# Pieces that mean something to Markdown, HTML, LaTeX, BibTeX or the list's line format.
HOSTILE = [
    "[", "]", "(", ")", "*", "**", "_", "`", "```", "<script>", "</script>",
    "](javascript:alert(1))", "[x](https://e.org)", "![i](https://e.org/i.png)",
    "<https://e.org>", "https://e.org", "www.e.org", "&amp;", "&#42;", "&", "#", "|", "~",
    "{", "}", "\\", "\\*", "$", "%", "^", "--", "``", "''", "@", "!", "\n", "\t", " ",
    "\n- ", "\n# ", "(a) ", "(*CVPR'23*) ", "[CVPR 2023] ", ". *Venue*, 2023.", "é", "中",
    "’", "🎬", "a", "B",
]  # fmt: skip
TITLES = st.one_of(
    st.lists(st.sampled_from(HOSTILE), max_size=14).map("".join),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(UNICODE, max_size=4)), max_size=10).map(
        "".join
    ),
    st.text(st.one_of(UNICODE, st.sampled_from("\n\t")), max_size=40),
)
# The importer strips these from a title's ends: they separate a line's parts.
SEPARATORS = " \t-–—|:,;"
TAXONOMY = (
    "@comment{soralit-taxonomy:\ntitle: T\nheading: Paper List\n"
    "## Technology\n- modeling: Modeling\n}\n\n"
)
URL = "https://example.org/paper"


def readable(title: str) -> bool:
    """A title the importer reads back as written: some text, no separator at either end
    (the importer strips them), nothing ftfy would take for mojibake and repair."""
    shown = " ".join(title.split())
    return (
        bool(shown)
        and shown[0] not in SEPARATORS
        and shown[-1] not in SEPARATORS
        and not (looks_like_mojibake(shown))
    )


def check_title_round_trip(folder: Path, title: str, venue: str) -> None:
    fields = {"title": text_to_bibtex(title), "keywords": "modeling", "url": URL}
    if venue:
        fields["venue"] = venue
    path = folder / "library.bib"
    path.write_text(TAXONOMY + format_entry(Entry("k", "misc", fields)), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--library", str(path), "export", "md"])
    assert result.exit_code == 0, result.output
    imported = parse_markdown(result.stdout)
    assert imported.problems == ()
    (entry,) = imported.entries
    assert entry.get("title") == fields["title"]
    assert latex_to_text(entry.get("title")) == " ".join(title.split())
    assert (entry.get("venue"), entry.get("url")) == (venue, URL)
    assert_renders_as_text(result.stdout, " ".join(title.split()), venue)


def assert_renders_as_text(markdown: str, title: str, venue: str) -> None:
    """Rendered (CommonMark + linkify), the list is headings and one item; the item is the
    venue in <em>, the title as plain text, and the paper link: no other element at all."""
    from markdown_it import MarkdownIt

    out = MarkdownIt("commonmark", {"linkify": True}).enable("linkify").render(markdown)
    assert set(re.findall(r"</?(\w+)", out)) <= {"h2", "h3", "h4", "ul", "li", "em", "a"}
    (item,) = re.findall(r"<li>(.*?)</li>", out, flags=re.S)
    if venue:
        label = f"(<em>{html.escape(venue, quote=False)}</em>) "
        assert item.startswith(label)
        item = item[len(label) :]
    link = f' <a href="{URL}">[paper]</a>'
    assert item.endswith(link)
    text = item[: -len(link)]
    assert "<" not in text and html.unescape(text) == title


@examples(150)
@given(TITLES.filter(readable), st.sampled_from(["", "CVPR'23"]))
def test_any_title_survives_export_and_import_and_stays_text(tmp_path, title, venue):
    check_title_round_trip(tmp_path, title, venue)


@stress
@examples(5000)
@given(TITLES.filter(readable), st.sampled_from(["", "CVPR'23"]))
def test_any_title_survives_export_and_import_stress(tmp_path, title, venue):
    check_title_round_trip(tmp_path, title, venue)


@pytest.mark.parametrize(
    "title",
    [
        "(Almost) Free Lunch",
        "(*CVPR'23*) Not a Venue",
        "[CVPR 2023] Not a Venue Either",
        "Title. *Venue*, 2023.",
        "Evil](javascript:alert(1)) [x",
        "<script>alert(1)</script>",
        "a\n\n# Heading\n- item",
    ],
)
@pytest.mark.parametrize("venue", ["", "CVPR'23"])
def test_titles_that_look_like_line_syntax(tmp_path, title, venue):
    check_title_round_trip(tmp_path, title, venue)


# --- field values through write and parse --------------------------------------------

VALUE_CHARS = st.one_of(UNICODE, st.sampled_from([*'{}{}\\"@,=#%()\n\t ', "\n@misc{"]))


def holdable(value: str) -> bool:
    """What `{value}` can hold for BibTeX and bibtexparser alike: braces balanced whether
    or not a backslash before a brace counts (BibTeX counts it, bibtexparser does not), no
    backslash just before the closing brace, no line that starts a new `@entry{`."""
    for counted in (value, re.sub(r"\\[{}]", "", value)):
        depth = 0
        for char in counted:
            depth += (char == "{") - (char == "}")
            if depth < 0:
                return False
        if depth:
            return False
    starts_entry = re.search(r"\n\s*@\w*[ \t]*[{(]", value)
    return bool(value) and not value.endswith("\\") and not starts_entry


VALUES = st.lists(VALUE_CHARS, min_size=1, max_size=40).map("".join).filter(holdable)


def check_value_round_trip(folder: Path, first: str, second: str) -> None:
    path = folder / "library.bib"
    path.write_text(TAXONOMY + format_entry(Entry("k", "misc", {"title": first, "note": "x"})))
    assert storage.load(path).find("k").fields["title"] == first
    with storage.edit(path) as tx:
        tx.set_field("k", "note", second)  # in place
        tx.set_field("k", "howpublished", second)  # a new last field
    fields = storage.load(path).find("k").fields
    assert (fields["title"], fields["note"], fields["howpublished"]) == (first, second, second)


@examples(300)
@given(VALUES, VALUES)
@example("0", "\\{\\\\}0")  # `\\}`: bibtex.py once counted this brace, bibtexparser does not
def test_any_field_value_survives_write_and_parse(tmp_path, first, second):
    check_value_round_trip(tmp_path, first, second)


@stress
@examples(10000)
@given(VALUES, VALUES)
def test_any_field_value_survives_write_and_parse_stress(tmp_path, first, second):
    check_value_round_trip(tmp_path, first, second)


# --- options of `soralit add` that are written into the library ----------------------

HEAT_BATH = "arxiv/id_list_1605.08386.xml"
OPTIONS = st.text(st.one_of(UNICODE, st.sampled_from('{}\\"@,=#%()\n\t ')), min_size=1, max_size=20)


def check_add_options(path: Path, venue: str, code: str, key: str) -> None:
    """Written and read back exactly, or refused as a usage error with nothing written."""
    path.write_text(TAXONOMY, encoding="utf-8")
    args = ["--library", str(path), "add", "1605.08386", "--venue", venue, "--code", code]
    result = CliRunner().invoke(cli, [*args, "--key", key])
    if result.exit_code == 2:
        assert (
            result.stderr.startswith("Usage: ") and "Error: Invalid value for '--" in result.stderr
        )
        assert path.read_text(encoding="utf-8") == TAXONOMY
        assert not all(map(holdable_option, (venue, code))) or not KEY.fullmatch(key)
        return
    assert result.exit_code == 0, result.output
    entry = storage.load(path).find(key)
    assert (entry.get("venue"), entry.get("code")) == (venue, code)


def holdable_option(value: str) -> bool:
    return holdable(value) and len(value.splitlines()) == 1 and value.splitlines()[0] == value


# A citation key as biber reads one: no whitespace, none of "#%'(),={} or backslash.
KEY = re.compile(r"[^\s\"#%'(),={}\\]+")


@examples(40)
@given(OPTIONS, OPTIONS, st.one_of(OPTIONS, st.from_regex(KEY, fullmatch=True)))
def test_add_options_are_written_exactly_or_refused(tmp_path, services, venue, code, key):
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    check_add_options(tmp_path / "library.bib", venue, code, key)


@stress
@examples(1000)
@given(OPTIONS, OPTIONS, st.one_of(OPTIONS, st.from_regex(KEY, fullmatch=True)))
def test_add_options_are_written_exactly_or_refused_stress(tmp_path, services, venue, code, key):
    services.expect_request(ARXIV_PATH).respond_with_response(recorded(HEAT_BATH))
    check_add_options(tmp_path / "library.bib", venue, code, key)


FIELD = "cannot be written to a BibTeX field"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--code", "https://x.org/{", f"'https://x.org/{{' {FIELD}: its braces are not balanced"),
        ("--venue", "CVPR}'23", f'"CVPR}}\'23" {FIELD}: its braces are not balanced'),
        ("--venue", "Oral \\", f"'Oral \\\\' {FIELD}: it ends with a backslash"),
        ("--venue", "A\n@misc{x}", f"'A\\n@misc{{x}}' {FIELD}: it spans lines"),
        ("--key", "a,b", "'a,b': a key has no spaces and none of \"#%'(),={}\\"),
    ],
)
def test_add_refuses_what_would_break_the_file(small_library, services, option, value, message):
    before = small_library.read_bytes()
    args = ["--library", str(small_library), "add", "1605.08386", option, value]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"\nError: Invalid value for '{option}': {message}\n")
    assert small_library.read_bytes() == before
    assert not services.log  # refused before any request


# --- readers of untrusted input never fail with anything but soralit's own error -----

ATOM = 'xmlns="http://www.w3.org/2005/Atom"'
XML_PIECES = [
    "<?xml version='1.0'?>", "<?xml version='1.0' encoding='utf-16'?>",
    "<?xml version='1.0' encoding='bogus'?>", f"<feed {ATOM}>", "</feed>", "<entry>",
    "</entry>", "<id>", "</id>", "http://arxiv.org/abs/1605.08386v1",
    "http://arxiv.org/api/errors#incorrect_id", "<published>", "</published>", "2016-05-26",
    "<title>", "</title>", "<summary>", "</summary>", "<author><name>", "</name></author>",
    "<arxiv:doi xmlns:arxiv='http://arxiv.org/schemas/atom'>10.1/x</arxiv:doi>",
    "<category term='cs.CV'/>", "&amp;", "&#0;", "&#x110000;", "&undefined;",
    "<!DOCTYPE feed>", '<!ENTITY e "x">', "<![CDATA[", "]]>", "incorrect id format for ",
    "x", " ", "\n", "é", "\x00", "\xff",
]  # fmt: skip
BIB_PIECES = [
    "@misc{", "@article(", "@comment{", "@string{", "@preamble{", "@", "{", "}", "(", ")",
    "k,", "title = ", "author = {A and B}", '"', "#", "=", ",", "\\", "%", "\n", " ",
    "soralit-taxonomy:\n", "## S\n", "- a: A\n", "- Bad\n", "keywords = {a}", "é",
    "\ufeff", "2024",
]  # fmt: skip


def pieces(parts: list[str]) -> st.SearchStrategy[bytes]:
    text = st.lists(st.sampled_from(parts), max_size=40).map("".join)
    return st.one_of(
        text.map(lambda t: t.encode("utf-8", "surrogateescape")),
        text.map(lambda t: t.encode("utf-16", "surrogatepass")),
        st.binary(max_size=400),
    )


def check_feed(body: bytes) -> None:
    try:
        parse_feed(body)
    except SourceError as exc:  # the only failure allowed: one line naming arXiv
        assert str(exc).startswith("arXiv: ") and "\n" not in str(exc)


def check_bib(folder: Path, data: bytes) -> None:
    path = folder / "library.bib"
    path.write_bytes(data)
    try:
        storage.load(path)
    except LibraryError as exc:  # the only failure allowed: one line naming the file
        assert str(exc).startswith(f"{path}") and "\n" not in str(exc)


@examples(300)
@given(pieces(XML_PIECES))
def test_feed_parser_raises_only_source_errors(body):
    check_feed(body)


@stress
@examples(20000)
@given(pieces(XML_PIECES))
def test_feed_parser_raises_only_source_errors_stress(body):
    check_feed(body)


@examples(300)
@given(pieces(BIB_PIECES))
def test_bib_reader_raises_only_library_errors(tmp_path, data):
    check_bib(tmp_path, data)


@stress
@examples(20000)
@given(pieces(BIB_PIECES))
def test_bib_reader_raises_only_library_errors_stress(tmp_path, data):
    check_bib(tmp_path, data)
