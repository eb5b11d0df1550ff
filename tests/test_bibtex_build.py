"""The shipped library through real BibTeX tools: classic BibTeX with `plain.bst`, and
biblatex with biber, each in a temporary folder with LaTeX around it.

Needs Debian's `texlive-latex-base`, `texlive-latex-recommended`, `texlive-bibtex-extra`
and `biber` (`.ci/run` installs them). Without them the module is skipped, or fails when
`SORALIT_REQUIRE` names the `bibtex` group, as CI does (see `needs.py`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import needs

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "library.bib"
TOOLS = ("latex", "bibtex", "biber", "kpsewhich")

# Warnings that the shipped data gives and that are expected (docs/seed-fixes.md, "Record
# shapes kept as found"): no source gives these entries the container field their type
# asks for, and a field is never invented to silence a tool.
EXPECTED_BIBTEX = {
    "Warning--empty booktitle in dehghani2023patch",  # NaViT: the record has no venue
    "Warning--empty booktitle in yu2022coca",  # CoCa: the record has no venue
    "Warning--empty journal in wang2023decodingtrust",  # an @article with a booktitle
}
EXPECTED_DATAMODEL = {
    ("dehghani2023patch", "Missing mandatory field 'booktitle'"),
    ("yu2022coca", "Missing mandatory field 'booktitle'"),
    ("wang2023decodingtrust", "Missing mandatory field 'journaltitle'"),
    ("wang2023decodingtrust", "Invalid field 'booktitle' for entrytype 'article'"),
    ("liu2023visual", "Invalid field 'publisher' for entrytype 'misc'"),  # LLaVA's README record
    ("liu2023pre", "Invalid field 'publisher' for entrytype 'article'"),  # a Scholar record
}
# Fields soralit owns (docs/library-format.md): no data model defines them, so biber's
# --validate-datamodel names them; no style prints them.
OWN_FIELDS = ("code", "listvenue", "nocheck")
# Names a lower-casing style must not touch (seed-corrections.md found these lower-cased).
ACRONYMS = ("VIDM", "GenTron", "StructDiffusion", "DALL-E-Bot", "U-Net", "CACTI", "GPT", "LLM")


EXAMPLES = ROOT / "tests" / "fixtures" / "bib" / "biblatex" / "biblatex-examples.bib"


def _missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        styles = ("plain.bst", "biblatex.sty", "etoolbox.sty")
        where = subprocess.run(["kpsewhich", *styles], check=False, capture_output=True, text=True)
        found = where.stdout
        missing = [name for name in styles if name not in found]
    return missing


pytestmark = pytest.mark.bibtex
if missing := _missing_tools():
    needs.unavailable("bibtex", f"BibTeX tools not found: {', '.join(missing)}", module=True)


def run(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run a TeX tool in FOLDER, failing the test with its output when it fails."""
    done = subprocess.run(
        command, check=False, cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done


DOCUMENT = r"""\documentclass{article}
%s
\begin{document}
\nocite{*}
%s
\end{document}
"""


@pytest.fixture(scope="module")
def classic(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(the .bbl, the .blg) of LaTeX + BibTeX + LaTeX with plain.bst on the shipped library."""
    folder = tmp_path_factory.mktemp("bibtex")
    shutil.copy(LIBRARY, folder / "library.bib")
    body = "\\bibliographystyle{plain}\n\\bibliography{library}"
    (folder / "doc.tex").write_text(DOCUMENT % ("", body), encoding="utf-8")
    run(folder, "latex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    run(folder, "bibtex", "doc")
    run(folder, "latex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    return tuple((folder / f"doc.{ext}").read_text(encoding="utf-8") for ext in ("bbl", "blg"))


def build_biblatex(folder: Path, library: Path) -> tuple[str, str]:
    """(the .bbl, the .blg) of LaTeX + biber --validate-datamodel + LaTeX with biblatex,
    LIBRARY copied into FOLDER as library.bib."""
    shutil.copy(library, folder / "library.bib")
    preamble = "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{library.bib}"
    (folder / "doc.tex").write_text(DOCUMENT % (preamble, "\\printbibliography"), "utf-8")
    run(folder, "latex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    run(folder, "biber", "--validate-datamodel", "doc")
    run(folder, "latex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    return tuple((folder / f"doc.{ext}").read_text(encoding="utf-8") for ext in ("bbl", "blg"))


@pytest.fixture(scope="module")
def biblatex(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(the .bbl, the .blg) of biblatex and biber on the shipped library."""
    return build_biblatex(tmp_path_factory.mktemp("biber"), LIBRARY)


def shipped_keys() -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", LIBRARY.read_text(encoding="utf-8"), re.MULTILINE)


def protected_groups() -> set[str]:
    """The braced words of the shipped titles (`{GenTron}`), as they must be printed."""
    titles = re.findall(r"^  title = \{(.*)\},$", LIBRARY.read_text(encoding="utf-8"), re.M)
    return {group for title in titles for group in re.findall(r"\{([^{}\\]+)\}", title)}


def test_plain_bst_keeps_acronyms_and_names_in_titles(classic: tuple[str, str]) -> None:
    bbl = " ".join(classic[0].split())
    for name in ACRONYMS:
        assert name in bbl
        assert name.capitalize() not in bbl.replace("{", "").replace("}", "")
    for group in protected_groups():
        assert f"{{{group}}}" in bbl, group
    assert "{GenTron}: Diffusion transformers for image and video generation." in bbl


def test_classic_bibtex_warns_only_where_documented(classic: tuple[str, str]) -> None:
    bbl, blg = classic
    assert set(re.findall(r"^Warning--.*$", blg, re.MULTILINE)) == EXPECTED_BIBTEX
    assert "error message" not in blg
    assert len(re.findall(r"^\\bibitem", bbl, re.MULTILINE)) == len(shipped_keys()) == 72


def test_biber_reads_every_entry_without_warning(biblatex: tuple[str, str]) -> None:
    bbl, blg = biblatex
    assert re.findall(r"(?:WARN|ERROR) - (?!Datamodel: ).*", blg) == []
    assert sorted(re.findall(r"\\entry\{([^}]+)\}", bbl)) == sorted(shipped_keys())
    assert r"\field{title}{{GenTron}: Diffusion Transformers for Image and Video Generation}" in bbl


def test_biber_data_model_finds_only_the_documented_record_shapes(
    biblatex: tuple[str, str],
) -> None:
    found = set(re.findall(r"WARN - Datamodel: Entry '([^']+)' \(library.bib\): (.*)", biblatex[1]))
    own = "|".join(OWN_FIELDS)
    others = {(key, why) for key, why in found if not re.search(rf"[Ff]ield '({own})'", why)}
    assert others == EXPECTED_DATAMODEL


def list_labels() -> set[str]:
    """The shipped library's own venue labels that no style could print by chance: those
    with a year (`CoRL'22`, `arXiv 2023.09`)."""
    found = re.findall(r"^  listvenue = \{(.*)\},$", LIBRARY.read_text(encoding="utf-8"), re.M)
    return {label for label in found if re.search(r"\d", label)}


def test_no_list_only_field_is_printed(classic: tuple[str, str], biblatex: tuple[str, str]) -> None:
    labels = list_labels()
    assert len(labels) > 30 and "CoRL'22" in labels  # distinct ones
    for bbl in (classic[0], biblatex[0]):
        assert [label for label in labels if label in bbl] == []
    for field in OWN_FIELDS:  # biber keeps no field of soralit's for the style
        assert f"{{{field}}}" not in biblatex[0]
    assert "\\field{venue}" not in biblatex[0]


def test_biber_reads_the_year_venue_and_title_soralit_lists(
    tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """biblatex's own example file: what biber hands the style (year, journal or book,
    title) is what `soralit list --format json` shows (an independent reader, biblatex's)."""
    import json

    from soralit import text
    from soralit.cli import cli

    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    bbl, _blg = build_biblatex(tmp_path, EXAMPLES)
    listed = runner.invoke(cli, ["--library", str(EXAMPLES), "list", "--format", "json"])
    ours = {item["key"]: item for item in json.loads(listed.stdout)}
    compared = 0
    for key, body in re.findall(r"\\entry\{([^}]+)\}\{\w+\}\{[^}]*\}(.*?)\\endentry", bbl, re.S):
        fields = dict(re.findall(r"\\field\{(\w+)\}\{(.*)\}$", body, re.M))
        if key not in ours or "year" not in fields:
            continue
        compared += 1
        assert ours[key]["year"] == int(fields["year"]), key
        if "title" in fields:
            assert ours[key]["title"] == text.latex_to_text(fields["title"]), key
        containers = [fields[n] for n in ("journaltitle", "booktitle", "eventtitle") if n in fields]
        if containers and not ours[key]["venue"].endswith("'" + fields["year"][2:]):
            assert ours[key]["venue"] == text.latex_to_text(containers[0]), key
    assert compared >= 80
