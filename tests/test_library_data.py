"""The shipped library.bib: complete, traceable to the seed list and seed-refs.bib, reproducible.

Reads library.bib at the repository root with bibtexparser directly, and checks it against
the verbatim copies of its inputs in tests/fixtures/ (seed README, seed-refs.bib, the
seed-refs.md table that maps seed papers to records and arXiv IDs, seed-corrections.md with
the authors of the papers without a record) and of the sources of the corrected entries
(tests/fixtures/sources/).
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

from soralit import bibtex, citekeys, text

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
    (16, "title"): "GenTron: Diffusion Transformers for Image and Video Generation",
    (36, "title"): "Jailbreaking Attack against Multimodal Large Language Model",
    (4, "url"): VIVIT,
    (24, "venue"): "NeurIPS'23",
    (37, "url"): "https://arxiv.org/abs/2309.05922",
    (40, "url"): "https://arxiv.org/abs/2306.11698",
    (41, "url"): "https://arxiv.org/abs/2307.02483",
    (41, "code"): "",
    (71, "code"): "",
}
# Entries made one real version (docs/seed-fixes.md): (seed number, field) -> shipped value,
# in place of the record's. #65's record (the RSS 2023 version) is not used at all.
VERSION_FIXES = {
    (49, "author"): "Jinbo Xing and Menghan Xia and Yuxin Liu and Yuechen Zhang and Yong Zhang "
    "and Yingqing He and Hanyuan Liu and Haoxin Chen and Xiaodong Cun and Xintao Wang and "
    "Ying Shan and Tien-Tsin Wong",
    (49, "journal"): "IEEE TVCG",
    (49, "year"): "2024",
    (65, "author"): "Weiyu Liu and Tucker Hermans and Sonia Chernova and Chris Paxton",
    (65, "booktitle"): "Workshop on Language and Robotics at CoRL 2022",
    (65, "year"): "2022",
}
UNUSED_RECORDS = {65: "structdiffusion2023"}
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
def corrections() -> dict[int, list[str]]:
    """seed-corrections.md's first table: the cells of each row, by seed number."""
    markdown = (FIXTURES / "seed-corrections.md").read_text(encoding="utf-8")
    table = markdown.split("\n\n# Entries of the shipped library", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0].isdigit():
            rows[int(cells[0])] = cells
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


def test_keys_are_derived_from_first_author_year_and_title(
    papers: list[tuple[str, Entry]],
) -> None:
    keys = []
    for _, entry in papers:
        fields = fields_of(entry)
        base = citekeys.base_key(fields["author"], fields["year"], fields["title"])
        assert re.fullmatch(rf"{base}[a-z]?", entry.key), entry.key
        keys.append(entry.key)
    # The papers that got their authors from seed-corrections.md, and the corrected versions.
    assert {
        "betker2023improving", "chen2023unleashing", "pitis2023boosted", "niu2024jailbreaking",
        "rawte2023survey", "zhu2023moviefactory", "zhu2023mobilevidfactory", "awasthi2023video",
        "chowdary2023diffusion", "kapelyukh2023dall", "mandi2022cacti",
        "chen2024gentron", "xing2024make", "liu2022structdiffusion",
    } <= set(keys)  # fmt: skip


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
        fields = fields_of(entry) | {"title": text.latex_to_text(fields_of(entry)["title"])}
        for name in ("title", "venue", "url", "code"):
            expected = SEED_FIXES.get((number, name), item[name])
            assert fields.get(name, "") == expected, (number, name)


def test_titles_differ_from_the_escaped_list_title_only_by_braces(
    papers: list[tuple[str, Entry]],
) -> None:
    for number, (_, entry) in enumerate(papers, 1):
        title = fields_of(entry)["title"]
        escaped = bibtex.text_to_bibtex(text.latex_to_text(title))
        assert title.replace("{", "").replace("}", "") == escaped, number


@pytest.mark.parametrize(
    ("number", "protected"),
    [
        (16, "{GenTron}: Diffusion"),
        (55, "{VIDM:} Video"),  # the DBLP record's own braces, kept
        (1, "Patch {n’Pack}: Navit,"),
        (40, "Trustworthiness in {GPT} Models"),
        (63, "Transformer {U-Net} for"),
        (64, "{DALL-E-Bot}: Introducing"),
        (65, "{StructDiffusion}: Object-Centric"),
    ],
)
def test_titles_protect_acronyms_and_names_from_lower_casing(
    papers: list[tuple[str, Entry]], number: int, protected: str
) -> None:
    assert protected in fields_of(papers[number - 1][1])["title"]


def test_record_fields_are_copied_verbatim(
    papers: list[tuple[str, Entry]], records: dict[str, Entry], refs_table: dict
) -> None:
    used = []
    for number, (comment, entry) in enumerate(papers, 1):
        key = record_key(comment)
        expected_key = refs_table[number]["key"]
        assert key == ("" if number in UNUSED_RECORDS else expected_key), number
        if not key:
            continue
        used.append(key)
        record, shipped = fields_of(records[key]), fields_of(entry)
        assert entry.entry_type == records[key].entry_type
        for name in (*RECORD_FIELDS, "year", "primaryclass"):
            value = collapse(record[name]) if name in record else None
            assert shipped.get(name) == VERSION_FIXES.get((number, name), value), (number, name)
        if "doi" in record:
            assert shipped["doi"] == record["doi"]
    assert sorted(used) == sorted(set(records) - set(UNUSED_RECORDS.values()))


def test_papers_without_record_have_the_corrections_authors_and_no_other_record_field(
    papers: list[tuple[str, Entry]], seed_items: list[dict[str, str]], corrections: dict
) -> None:
    for number, ((comment, entry), item) in enumerate(zip(papers, seed_items, strict=True), 1):
        if record_key(comment) or number in UNUSED_RECORDS:
            continue
        assert comment.startswith("% source: seed list + authors per seed-corrections.md, from")
        fields = fields_of(entry)
        assert entry.entry_type == "misc"
        assert not set(fields) & {*RECORD_FIELDS, "primaryclass"} - {"author"}
        # The table's names, in its order: `*` (joint first) and "et al." are not names.
        cell = corrections[number][2].replace("*", "").replace(" (joint first)", "")
        names = [n.strip() for n in cell.split(",")]
        shipped = fields["author"].split(" and ")
        assert shipped == [n if n != "et al." else "others" for n in names], number
        label_year = re.search(r"(20\d\d)\.\d\d$|'(\d\d)$", item["venue"])
        if label_year:
            assert fields["year"] in (label_year[1], f"20{label_year[2]}")
        else:  # #20, the DALL-E 3 report: the year of the corrections' venue column
            assert number == 20
            assert corrections[number][3] == f"OpenAI technical report, {fields['year']}"
    assert sorted(corrections) == [20, 28, 29, 36, 37, 45, 46, 59, 63, 64, 71]


def test_corrected_versions_quote_their_sources(papers: list[tuple[str, Entry]]) -> None:
    sources = FIXTURES / "sources"
    readme = (sources / "make-your-video-README.md").read_text(encoding="utf-8").splitlines()
    names = [n.rstrip("*") for n in re.findall(r"\[([^]]+)\]\(", readme[10])]  # * corresponding
    assert names == VERSION_FIXES[49, "author"].split(" and ")
    assert readme[16] == "IEEE TVCG 2024"
    assert readme[0].strip("_* #") == fields_of(papers[48][1])["title"]
    # StructDiffusion: the review's reference [153], as the audit quotes it.
    audit = (FIXTURES / "seed-corrections.md").read_text(encoding="utf-8")
    assert (
        '"W. Liu, T. Hermans, S. Chernova, and C. Paxton, … in Workshop on Language and '
        'Robotics at CoRL 2022, 2022"' in audit
    )
    assert fields_of(papers[64][1])["title"].startswith("{StructDiffusion}: Object-Centric")
    assert papers[64][1].entry_type == "inproceedings"
    title = (sources / "jailbreaking-attack-README.md").read_text(encoding="utf-8")
    assert title == f"# {SEED_FIXES[36, 'title']}\n"


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


def test_seed_fixtures_are_the_copies_their_provenance_names() -> None:
    import hashlib

    table = (FIXTURES / "SEED-PROVENANCE.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([\w.-]+)` \|.*\| `([0-9a-f]{64})` \|$", table, re.MULTILINE))
    assert set(listed) == {"seed-README.md", "seed-refs.bib", "seed-refs.md", "seed-corrections.md"}
    for name, digest in listed.items():
        assert hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest() == digest, name


def test_build_script_reproduces_library(tmp_path: Path) -> None:
    out = tmp_path / "library.bib"
    inputs = ("seed-README.md", "seed-refs.bib", "seed-corrections.md")
    args = [*(FIXTURES / name for name in inputs), out]
    script = ROOT / "scripts" / "build_seed_library.py"
    subprocess.run([sys.executable, script, *args], check=True, capture_output=True)
    assert out.read_bytes() == LIBRARY.read_bytes()
