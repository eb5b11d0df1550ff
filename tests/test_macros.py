"""`@string` macros and `#` concatenation: what `export bib` writes (its output parses on
its own, with bibtexparser and with pybtex, and holds only the definitions its entries
use) and what the list, the Markdown, the page and CSL-JSON show (expanded)."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string

from soralit import macros
from soralit.cli import cli

CORPUS = Path(__file__).parent / "fixtures" / "bib"
WITH_STRINGS = [
    "pybtex/xampl.bib",
    "pybtex/tugboat.bib",
    "biblatex/biblatex-examples.bib",
    "bibtexparser/features2.bib",
    "bibtexparser/biber-examples.bib",
    "bibtexparser/article_with_strings.bib",
    "jabref/complex.bib",
    "zotero-bbt/import-871-round-braces.bib",
]

LIBRARY = """\
@comment{soralit-taxonomy:
## Theory
- theory: Theory
}

@string{acm = "ACM"}
@string{stoc = acm # " Symposium on the Theory of Computing"}
@STRING{unused = {Never used}}
@string{cup = {Cambridge University Press}}

@inproceedings{sleator1983,
  title = "Proc. Fifteenth Annual" # { } # STOC,
  author = {Daniel D. Sleator and Robert E. Tarjan},
  booktitle = "Proc. Fifteenth Annual " # stoc,
  year = 1983,
  month = "25~" # apr,
  keywords = {theory},
}

@book{knuth1973,
  title = {Fundamental Algorithms},
  author = {Donald E. Knuth},
  publisher = cup,
  date = {1973-05/1974?},
  keywords = {theory},
}
"""


def run(runner, library: Path, *args: str) -> str:
    result = runner.invoke(cli, ["--library", str(library), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def strings_library(tmp_path: Path) -> Path:
    path = tmp_path / "library.bib"
    path.write_text(LIBRARY, encoding="utf-8")
    return path


def bibtexparser_fields(text: str) -> dict[str, dict[str, str]]:
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL + 1)
    parsed = parse_string(text)
    failed = [b for b in parsed.failed_blocks if type(b).__name__ != "DuplicateBlockKeyBlock"]
    assert failed == []  # a key used twice (biber-examples' `tmn4`) is the file's own
    return {e.key: {f.key.lower(): str(f.value) for f in e.fields} for e in parsed.entries}


def pybtex_strict(text: str) -> dict[str, dict[str, str]]:
    """pybtex's reading in strict mode: an undefined macro is an error."""
    from pybtex import errors
    from pybtex.database import parse_string as pybtex_parse

    errors.set_strict_mode(True)
    with contextlib.redirect_stderr(io.StringIO()):
        data = pybtex_parse(text, "bibtex")
    return {
        key: {k.lower(): str(v) for k, v in e.fields.items()} for key, e in data.entries.items()
    }


def test_export_bib_writes_the_strings_its_entries_use_and_only_those(runner, strings_library):
    out = run(runner, strings_library, "export", "bib", "--search", "Fifteenth")
    assert out.startswith('@string{acm = "ACM"}\n\n@string{stoc = acm # " Symposium')
    assert "unused" not in out and "cup" not in out.replace("@inproceedings", "")
    assert "@inproceedings{sleator1983," in out
    # Alone, it reads as the whole library does: by bibtexparser and by pybtex.
    assert bibtexparser_fields(out)["sleator1983"] == bibtexparser_fields(LIBRARY)["sleator1983"]
    assert pybtex_strict(out)["sleator1983"] == pybtex_strict(LIBRARY)["sleator1983"]
    book = run(runner, strings_library, "export", "bib", "--search", "Fundamental")
    assert book.startswith("@string{cup = {Cambridge University Press}}\n\n@book{knuth1973,")


def test_an_entry_shown_alone_carries_its_strings(runner, strings_library):
    out = run(runner, strings_library, "show", "knuth1973", "--format", "bib")
    assert out.startswith("@string{cup = {Cambridge University Press}}\n\n@book{knuth1973,")


def test_the_pages_bibtex_of_an_entry_carries_its_strings(runner, strings_library, tmp_path):
    import html
    import re

    page = tmp_path / "index.html"
    run(runner, strings_library, "export", "html", "-o", str(page))
    snippets = [
        html.unescape(s)
        for s in re.findall(r"<pre[^>]*><code>(.*?)</code></pre>", page.read_text(), re.S)
    ]
    book = next(s for s in snippets if "@book{knuth1973," in s)
    assert book.startswith("@string{cup = {Cambridge University Press}}\n\n@book{knuth1973,")


@pytest.mark.parametrize("name", WITH_STRINGS)
def test_export_of_real_files_parses_on_its_own(runner, name, monkeypatch, tmp_path):
    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    path = CORPUS / name
    out = run(runner, path, "export", "bib")
    text = path.read_text(encoding="utf-8-sig")
    ours, whole = bibtexparser_fields(out), bibtexparser_fields(text)
    assert set(ours) == set(whole)
    assert all(ours[key] == whole[key] for key in ours)
    defined = macros.definitions(text)
    written = macros.definitions(out)
    assert set(written) <= set(defined)
    # pybtex, strict: every macro the export uses is defined in it (or is a month).
    # Not where pybtex's strict mode stops at the file itself: complex.bib's @preamble names
    # a macro it never defines, biber-examples.bib has a key twice.
    if name not in ("jabref/complex.bib", "bibtexparser/biber-examples.bib"):
        assert set(pybtex_strict(out)) == set(pybtex_strict(text))


def test_concatenations_are_expanded_for_display(runner, strings_library):
    listed = json.loads(run(runner, strings_library, "list", "--format", "json"))
    paper = listed[0]
    assert paper["title"] == "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing"
    assert paper["venue"] == "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing"
    assert paper["year"] == 1983
    md = run(runner, strings_library, "export", "md")
    assert "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing" in md
    assert " # " not in md and '"' not in md
    csl = json.loads(run(runner, strings_library, "export", "json"))
    assert (
        csl[0]["container-title"]
        == "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing"
    )
    assert csl[0]["issued"] == {"date-parts": [[1983, 4]]}
    assert csl[1]["issued"] == {"date-parts": [[1973, 5], [1974]], "circa": True}
    assert csl[1]["publisher"] == "Cambridge University Press"


def test_expand_reads_parts_macros_and_months():
    strings = macros.definitions('@string{a = "A"} @String(b = a # {B})')
    assert macros.expand('"x" # b # 1 # jan # {y}', strings) == "xAB1Januaryy"
    assert macros.expand("undefined", strings) == "undefined"
    loop = macros.definitions("@string{x = y} @string{y = x}")
    assert macros.expand("x", loop) in ("x", "y")  # a cycle ends, with a name shown
