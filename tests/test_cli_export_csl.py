"""`soralit export json` (CSL-JSON) item by item, written out by hand from tests/data/small.bib.

Each name form of BibTeX (`Last, First` and `First Last`, with LaTeX accents) must land in
CSL's `family` and `given`; pandoc and citeproc print what these say.
"""

from __future__ import annotations

import json

import pytest

from soralit.cli import cli

ALPHA = {
    "id": "alpha2023model",
    "type": "paper-conference",
    "title": "Alpha: A Model of Über Things",
    "container-title": "Proceedings of CVPR",
    "URL": "https://example.org/alpha",
    "author": [{"family": "Müller", "given": "Jörg"}, {"family": "Chen", "given": "Bo"}],
    "issued": {"date-parts": [[2023]]},
    "keyword": "modeling",
}
BETA = {
    "id": "beta2022data",
    "type": "article-journal",
    "title": "Beta Data",
    "container-title": "Journal of Tests",
    "author": [{"family": "Chen", "given": "Bo"}],
    "issued": {"date-parts": [[2022]]},
    "keyword": "data-pre-processing, robotics",
}
SELF = {
    "id": "self2024list",
    "type": "article",
    "title": "A Test List",
    "author": [{"family": "Self", "given": "Ada"}],
    "issued": {"date-parts": [[2024]]},
    "number": "arXiv:2402.00001",
    "URL": "https://arxiv.org/abs/2402.00001",
}


@pytest.mark.parametrize(
    ("options", "items"),
    [
        (["-c", "modeling"], [ALPHA]),
        (["--year", "2022"], [BETA]),
        (["--author", "Self"], [SELF]),
        (["--author", "Chen"], [ALPHA, BETA]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) and isinstance(v[0], str) else None,
)
def test_csl_json_names_and_fields(runner, small_library, options, items):
    result = runner.invoke(cli, ["--library", str(small_library), "export", "json", *options])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == items
    assert result.stdout.endswith("}\n]\n")
