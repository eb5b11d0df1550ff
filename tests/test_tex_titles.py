"""Display text of every title of a real TeX bibliography: its logos are rendered.

Nelson H. F. Beebe's TUGboat bibliography (public domain) ships in Debian's
`texlive-bibtex-extra`, which the `bibtex` test group needs anyway (`.ci/run` installs
it); `kpsewhich tugboat.bib` finds it. A third of its titles write a logo as a macro
(`{\\TeX}`, `\\LaTeXe`, `\\MF`, `{\\TUB}`), which pylatexenc alone deletes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import needs
from soralit import texmacros, text

pytestmark = pytest.mark.bibtex


@pytest.fixture(scope="module")
def titles() -> list[str]:
    found = ""
    if shutil.which("kpsewhich"):
        where = subprocess.run(
            ["kpsewhich", "tugboat.bib"], capture_output=True, text=True, check=False
        )
        found = where.stdout.strip()
    if not found:
        needs.unavailable("bibtex", "tugboat.bib not found (texlive-bibtex-extra)")
    import bibtexparser

    library = bibtexparser.parse_file(found)
    assert Path(found).stat().st_size > 1_000_000
    return [e.fields_dict["title"].value for e in library.entries if "title" in e.fields_dict]


def test_every_logo_macro_in_a_title_shows_its_text(titles: list[str]) -> None:
    printed = {**texmacros.LOGOS, **texmacros.TUGBOAT, **texmacros.TEXT}
    with_logo = 0
    for raw in titles:
        used = [m for m in re.findall(r"\\([A-Za-z]+)", raw) if printed.get(m, "").strip()]
        with_logo += bool(used)
        shown = text.latex_to_text(raw)
        for macro in used:
            assert printed[macro] in shown, (macro, raw, shown)
    assert len(titles) > 4000
    assert with_logo > len(titles) / 3


def test_no_title_shows_a_known_logo_as_nothing(titles: list[str]) -> None:
    # The words around a logo stay apart from it: "The {\TeX book}" is "The TeXbook",
    # never "The book" or "The  book".
    shown = [text.latex_to_text(raw) for raw in titles if re.search(r"\\TeX(?![A-Za-z])", raw)]
    assert shown
    assert all("TeX" in title and "  " not in title for title in shown)


def test_an_ads_journal_macro_is_the_journals_name(runner, tmp_path, monkeypatch):
    """NASA ADS writes `journal = {\\aap}` (Better BibTeX's fixture "unknown command
    handler #1733.bib" has this record): the venue is A&A, not the arXiv ID's month."""
    import json

    from soralit.cli import cli

    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    library = tmp_path / "ads.bib"
    library.write_text(
        "@ARTICLE{2004A&A...424..927C,\n"
        "  title = \"{Bright metal-poor variables: Why ``Anomalous'' Cepheids?}\",\n"
        "  journal = {\\aap}, year = 2004,\n"
        "  archivePrefix = {arXiv}, eprint = {astro-ph/0405395},\n}\n"
        "@article{m,\n  title = {T},\n  journal = {\\mnras},\n  year = 2010,\n}\n"
    )
    result = runner.invoke(cli, ["--library", str(library), "list", "--format", "json"])
    assert [e["venue"] for e in json.loads(result.stdout)] == ["A&A", "MNRAS"]
