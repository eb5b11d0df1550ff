"""tests/listcount.py, the independent entry counter the real-list tests rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcount import blocks, count_entries, normalise

LISTS = Path(__file__).parent / "fixtures" / "lists"
# (entries, distinct paper links), as recorded in tests/fixtures/lists/PROVENANCE.md.
RECORDED = {
    "applied-ml": (187, 207),
    "awesome-diffusion-models": (2938, 2637),
    "awesome-llm": (61, 59),
    "awesome-nerf": (17, 17),
    "gan-zoo": (499, 497),
    "knowledge-editing": (193, 173),
    "llm-inference": (328, 298),
    "llm-reasoning": (144, 146),
    "llm-robotics": (180, 174),
    "long-context-modeling": (1489, 1436),
    "plm-papers": (125, 125),
}


def test_every_list_is_recorded() -> None:
    assert sorted(p.stem for p in LISTS.glob("*.md") if p.stem != "PROVENANCE") == sorted(RECORDED)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recorded_counts(name: str) -> None:
    count = count_entries((LISTS / f"{name}.md").read_bytes().decode("utf-8"))
    assert (count.entries, len(count.links)) == RECORDED[name]


def test_crlf_fixture_kept_byte_for_byte() -> None:
    data = (LISTS / "llm-robotics.md").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 200


def test_blocks_and_counts() -> None:
    doc = "\n".join(
        [
            "# T",
            "Intro with [a survey](https://arxiv.org/abs/2402.17177v2).",
            "",
            "- [A](https://arxiv.org/pdf/2402.17177.pdf) [code](https://github.com/x/y)",
            "- [Tool](https://github.com/x/tool) - not a paper",
            "1. **B** <br>",
            "   Authors. [[paper](https://doi.org/10.1145/1)]",
            "",
            "| Title | Code |",
            "|---|---|",
            "| [C](https://openreview.net/forum?id=abc) | - |",
            "```",
            "- [D](https://arxiv.org/abs/2101.00001)",
            "```",
            "<!-- - [E](https://arxiv.org/abs/2101.00002) -->",
            "**F** \\",
            "[[Paper](https://proceedings.mlr.press/v1/f.pdf)]",
        ]
    )
    assert len(blocks(doc)) == 7  # the header row is a block, without a paper link
    count = count_entries(doc)
    assert count.entries == 5
    assert count.links == {
        "arxiv:2402.17177",
        "doi.org/10.1145/1",
        "openreview.net/forum?id=abc",
        "proceedings.mlr.press/v1/f.pdf",
    }


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://arxiv.org/abs/2402.17177v3", "arxiv:2402.17177"),
        ("http://arxiv.org/pdf/2402.17177.pdf", "arxiv:2402.17177"),
        ("https://www.Nature.com/articles/x/", "nature.com/articles/x"),
    ],
)
def test_normalise(url: str, normal: str) -> None:
    assert normalise(url) == normal
