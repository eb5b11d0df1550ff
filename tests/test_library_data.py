"""The shipped library.bib: complete, traceable to the seed list and seed-refs.bib, reproducible.

Reads library.bib at the repository root with bibtexparser directly, and checks it against
the verbatim copies of its inputs in tests/fixtures/ (seed README, seed-refs.bib and the
seed-refs.md table that maps seed papers to records and arXiv IDs).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.model import Entry, ExplicitComment, ImplicitComment

from soralit import text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
LIBRARY = ROOT / "library.bib"

EXPECTED_COUNTS = {
    "data-pre-processing": 7,
    "modeling": 12,
    "language-instruction-following": 8,
    "prompt-engineering": 8,
    "trustworthiness": 9,
    "movie": 3,
    "education": 7,
    "gaming": 4,
    "healthcare": 5,
    "robotics": 8,
}
TITLE = (
    "Sora: A Review on Background, Technology, Limitations, "
    "and Opportunities of Large Vision Models"
)
TAXONOMY = f"""soralit-taxonomy:
title: {TITLE}
citation: 2024SoraReview
heading: Paper List
## Technology
- data-pre-processing: Data Pre-processing
- modeling: Modeling
- language-instruction-following: Language Instruction Following
- prompt-engineering: Prompt Engineering
- trustworthiness: Trustworthiness
## Application
- movie: Movie
- education: Education
- gaming: Gaming
- healthcare: Healthcare
- robotics: Robotics"""
VIVIT = (
    "https://openaccess.thecvf.com/content/ICCV2021/html/"
    "Arnab_ViViT_A_Video_Vision_Transformer_ICCV_2021_paper.html"
)
# Every difference between the seed list and the library's list (docs/seed-fixes.md):
# (seed number, field) -> shipped value ("" = dropped).
SEED_FIXES = {
    (1, "title"): "Patch n’Pack: Navit, A Vision Transformer for Any Aspect Ratio and Resolution",
    (4, "url"): VIVIT,
    (24, "venue"): "NeurIPS'23",
    (37, "url"): "https://arxiv.org/abs/2309.05922",
    (40, "url"): "https://arxiv.org/abs/2306.11698",
    (41, "url"): "https://arxiv.org/abs/2307.02483",
    (41, "code"): "",
    (71, "code"): "",
}
# Fields whose value must be the record's, verbatim up to whitespace.
RECORD_FIELDS = ("author", "booktitle", "journal", "volume", "number", "pages", "publisher")
ITEM = re.compile(
    r"^- (?:\(\*(?P<venue>[^*]+)\*\) )?(?P<title>.+?) \[\[paper\]\]\((?P<url>[^)]*)\)"
    r"\s*(?:\[\[code\]\]\((?P<code>[^)]*)\))?\s*$"
)


def collapse(value: str) -> str:
    return " ".join(value.split())


def fields_of(entry: Entry) -> dict[str, str]:
    return {f.key.lower(): f.value for f in entry.fields}


@pytest.fixture(scope="module")
def library() -> bibtexparser.Library:
    return bibtexparser.parse_string(LIBRARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def papers(library: bibtexparser.Library) -> list[tuple[str, Entry]]:
    """(comment above, entry) for the 71 papers, in file order."""
    pairs, comment = [], ""
    for block in library.blocks:
        if isinstance(block, ImplicitComment):
            comment = block.comment
        elif isinstance(block, Entry):
            pairs.append((comment, block))
            comment = ""
    assert pairs[0][1].key == "2024SoraReview"
    return pairs[1:]


@pytest.fixture(scope="module")
def seed_items() -> list[dict[str, str]]:
    """The seed's list items in order: venue, title, url, code ('' when absent)."""
    readme = (FIXTURES / "seed-README.md").read_text(encoding="utf-8")
    body = readme.split("## Paper List\n", 1)[1].split("## Citation", 1)[0]
    matches = [ITEM.match(line) for line in body.splitlines() if line.startswith("- ")]
    assert all(matches)
    return [{k: v or "" for k, v in m.groupdict().items()} for m in matches]


@pytest.fixture(scope="module")
def refs_table() -> dict[int, dict[str, str]]:
    """seed-refs.md rows by seed number: record key and established arXiv ID."""
    rows = {}
    for line in (FIXTURES / "seed-refs.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0].isdigit():
            key, arxiv = cells[6].strip("`"), cells[8]
            rows[int(cells[0])] = {"key": "" if key == "—" else key, "arxiv": arxiv}
    return rows


@pytest.fixture(scope="module")
def records() -> dict[str, Entry]:
    refs = bibtexparser.parse_file(str(FIXTURES / "seed-refs.bib"))
    assert not refs.failed_blocks
    return {e.key: e for e in refs.entries}


def record_key(comment: str) -> str:
    match = re.search(r"^% source: seed list \+ .*, record (\S+)$", comment, re.MULTILINE)
    return match[1] if match else ""


def test_library_parses_without_failed_blocks(library: bibtexparser.Library) -> None:
    assert library.failed_blocks == []
    assert len(library.entries) == 72


def test_keys_are_unique(library: bibtexparser.Library) -> None:
    keys = [e.key for e in library.entries]
    assert len(set(keys)) == len(keys)


def test_taxonomy_block_is_the_documented_one(library: bibtexparser.Library) -> None:
    blocks = [b for b in library.blocks if isinstance(b, ExplicitComment)]
    assert [b.comment for b in blocks] == [TAXONOMY]


def test_review_has_exactly_the_seed_citation_fields(library: bibtexparser.Library) -> None:
    readme = (FIXTURES / "seed-README.md").read_text(encoding="utf-8")
    cited = bibtexparser.parse_string(readme.split("## Citation")[1].split("```")[1]).entries[0]
    review = library.entries_dict["2024SoraReview"]
    assert review.entry_type == "misc"
    shipped = [(f.key, f.value) for f in review.fields]
    assert shipped == [(f.key, collapse(f.value)) for f in cited.fields]
    assert [k for k, _ in shipped] == [
        "title", "author", "year", "eprint", "archivePrefix", "primaryClass",
    ]  # fmt: skip
    assert len(fields_of(review)["author"].split(" and ")) == 12


def test_each_paper_has_one_category_in_seed_order(papers: list[tuple[str, Entry]]) -> None:
    keywords = [fields_of(e)["keywords"] for _, e in papers]
    assert Counter(keywords) == EXPECTED_COUNTS
    order = list(EXPECTED_COUNTS)
    assert keywords == sorted(keywords, key=order.index)


def test_list_fields_are_the_seeds_except_documented_fixes(
    papers: list[tuple[str, Entry]], seed_items: list[dict[str, str]]
) -> None:
    assert len(papers) == len(seed_items) == 71
    for number, ((_, entry), item) in enumerate(zip(papers, seed_items, strict=True), 1):
        fields = fields_of(entry)
        seed = item | {"title": re.sub(r"([&%#$_])", r"\\\1", item["title"])}
        for name in ("title", "venue", "url", "code"):
            expected = SEED_FIXES.get((number, name), seed[name])
            assert fields.get(name, "") == expected, (number, name)


def test_record_fields_are_copied_verbatim(
    papers: list[tuple[str, Entry]], records: dict[str, Entry], refs_table: dict
) -> None:
    used = []
    for number, (comment, entry) in enumerate(papers, 1):
        key = record_key(comment)
        assert key == refs_table[number]["key"], number
        if not key:
            continue
        used.append(key)
        record, shipped = fields_of(records[key]), fields_of(entry)
        assert entry.entry_type == records[key].entry_type
        for name in (*RECORD_FIELDS, "year", "primaryclass"):
            assert shipped.get(name) == (collapse(record[name]) if name in record else None)
        if "doi" in record:
            assert shipped["doi"] == record["doi"]
    assert sorted(used) == sorted(records)


def test_papers_without_record_carry_only_seed_data(
    papers: list[tuple[str, Entry]], seed_items: list[dict[str, str]]
) -> None:
    for (comment, entry), item in zip(papers, seed_items, strict=True):
        if record_key(comment):
            continue
        assert comment.startswith("% source: seed list only (no BibTeX record found)")
        fields = fields_of(entry)
        assert entry.entry_type == "misc"
        assert not set(fields) & {*RECORD_FIELDS, "primaryclass"}
        label_year = re.search(r"(20\d\d)\.\d\d$|'(\d\d)$", item["venue"])
        if label_year:
            assert fields["year"] in (label_year[1], f"20{label_year[2]}")
        else:
            assert "year" not in fields


def test_dois_come_from_the_record_or_the_seed_link(
    papers: list[tuple[str, Entry]], records: dict[str, Entry], seed_items: list
) -> None:
    for (comment, entry), item in zip(papers, seed_items, strict=True):
        doi = fields_of(entry).get("doi")
        key = record_key(comment)
        if doi and not (key and "doi" in fields_of(records[key])):
            assert doi in item["url"]
            assert not doi.startswith("10.5555/")


def test_arxiv_ids_are_the_established_ones(
    papers: list[tuple[str, Entry]], refs_table: dict
) -> None:
    for number, (_, entry) in enumerate(papers, 1):
        fields = fields_of(entry)
        expected = refs_table[number]["arxiv"]
        assert fields.get("eprint", "—") == expected, number
        assert fields.get("archiveprefix") == ("arXiv" if "eprint" in fields else None)


def test_every_entry_names_its_source(papers: list[tuple[str, Entry]]) -> None:
    for comment, entry in papers:
        assert comment.startswith("% source: "), entry.key


def test_no_placeholders_or_mojibake() -> None:
    content = LIBRARY.read_text(encoding="utf-8")
    assert "link-to-" not in content
    bad = [line for line in content.splitlines() if text.looks_like_mojibake(line)]
    assert bad == []


def test_build_script_reproduces_library(tmp_path: Path) -> None:
    out = tmp_path / "library.bib"
    args = [FIXTURES / "seed-README.md", FIXTURES / "seed-refs.bib", out]
    script = ROOT / "scripts" / "build_seed_library.py"
    subprocess.run([sys.executable, script, *args], check=True, capture_output=True)
    assert out.read_bytes() == LIBRARY.read_bytes()
