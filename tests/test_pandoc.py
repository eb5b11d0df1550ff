"""soralit's CSL-JSON through pandoc's citeproc: an entry with a date is printed with it.

biblatex's own example file (its entries dated by `date`, `year` and `month`, journals
in `journaltitle`) is exported with `soralit export json` and typeset by `pandoc
--citeproc`: "n.d." (no date) is printed for the entries without a year only. Needs
pandoc (group `bibtex`, installed by `.ci/run`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import needs
from soralit.cli import cli

EXAMPLES = Path(__file__).parent / "fixtures" / "bib" / "biblatex" / "biblatex-examples.bib"

pytestmark = pytest.mark.bibtex
if shutil.which("pandoc") is None:
    needs.unavailable("bibtex", "pandoc not found", module=True)


def test_pandoc_prints_the_date_of_every_dated_entry(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("SORALIT_CACHE_DIR", "off")
    csl = tmp_path / "refs.json"
    result = runner.invoke(cli, ["--library", str(EXAMPLES), "export", "json", "-o", str(csl)])
    assert result.exit_code == 0, result.output
    items = json.loads(csl.read_text(encoding="utf-8"))
    undated = [item["id"] for item in items if "issued" not in item]
    assert len(items) == 92 and len(undated) <= 2
    document = tmp_path / "doc.md"
    document.write_text('---\nnocite: "@*"\n---\n\n# References\n', encoding="utf-8")
    typeset = subprocess.run(
        ["pandoc", "--citeproc", "--bibliography", str(csl), "-t", "plain", str(document)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert len(re.findall(r"\bn\.d\.", typeset.stdout)) == len(undated)
    assert "1988" in typeset.stdout and "J. Organomet. Chem." in typeset.stdout
