"""importers.markdown: an awesome-list README -> taxonomy, entries and problems."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soralit import storage
from soralit.bibtex import text_to_bibtex
from soralit.errors import UsageProblem
from soralit.importers.markdown import ImportResult, Problem, heading_name, parse_markdown
from soralit.importers.mdtext import find_links, markdown_to_text
from soralit.model import Entry
from soralit.render.markdown import escape, render_markdown, title_markdown
from soralit.text import latex_to_text

HERE = Path(__file__).parent
SEED = HERE / "fixtures" / "seed-README.md"
LISTS = HERE / "data" / "lists"
LIST_NAMES = ("inline-links", "bold-titles", "citation-style", "table")


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ImportResult:
    return parse_markdown(seed_text)


def one_entry_doc(line: str) -> str:
    """A minimal list holding LINE in one category."""
    return f"# T\n\n## Paper List\n### Technology\n#### Modeling\n{line}\n"


def only_entry(line: str):  # type: ignore[no-untyped-def]
    result = parse_markdown(one_entry_doc(line))
    assert len(result.entries) == 1, result
    return result.entries[0]


# --- the seed README --------------------------------------------------------------


def test_seed_taxonomy(seed: ImportResult) -> None:
    taxonomy = seed.taxonomy
    assert taxonomy.title == (
        "Sora: A Review on Background, Technology, Limitations, and Opportunities "
        "of Large Vision Models"
    )
    assert taxonomy.heading == "Paper List"
    assert [s.name for s in taxonomy.sections] == ["Technology", "Application"]
    assert [(c.slug, c.name) for c in taxonomy.categories()] == [
        ("data-pre-processing", "Data Pre-processing"),
        ("modeling", "Modeling"),
        ("language-instruction-following", "Language Instruction Following"),
        ("prompt-engineering", "Prompt Engineering"),
        ("trustworthiness", "Trustworthiness"),
        ("movie", "Movie"),
        ("education", "Education"),
        ("gaming", "Gaming"),
        ("healthcare", "Healthcare"),
        ("robotics", "Robotics"),
    ]


def test_seed_entries_in_order_with_counts(seed: ImportResult, seed_text: str) -> None:
    entries = seed.entries
    assert len(entries) == 71
    item_lines = [i + 1 for i, line in enumerate(seed_text.splitlines()) if line.startswith("- (")]
    assert [e.line for e in entries if e.line in item_lines] == item_lines
    assert [e.line for e in entries] == sorted(e.line for e in entries)
    slugs = [c.slug for c in seed.taxonomy.categories()]
    counts = [sum(e.categories == (slug,) for e in entries) for slug in slugs]
    assert counts == [7, 12, 8, 8, 9, 3, 7, 4, 5, 8]
    assert len({e.key for e in entries}) == 71
    assert all(e.type == "misc" for e in entries)


def test_seed_venue_labels_as_in_the_list(seed: ImportResult, seed_text: str) -> None:
    lines = seed_text.splitlines()
    for entry in seed.entries:
        shown = re.match(r"- \(\*(.+?)\*\) ", lines[entry.line - 1])
        if shown:
            assert entry.venue_label() == shown[1], entry
    by_title = {latex_to_text(e.get("title")): e for e in seed.entries}
    # Labels the arXiv ID gives back are not stored twice; every other label is, verbatim.
    assert by_title["Auto-Encoding Variational Bayes"].get("listvenue") == ""
    assert by_title["Visual Instruction Tuning"].get("listvenue") == "NeurlPS'23"
    survey = by_title["A Survey of Hallucination in Large Foundation Models"]
    assert (survey.get("listvenue"), survey.get("year")) == ("arXiv 2023.09", "2023")
    imagen = by_title["Imagen Video: High Definition Video Generation with Diffusion Models"]
    assert (imagen.get("listvenue"), imagen.venue_label()) == ("", "arXiv 2022.10")


@pytest.mark.parametrize(
    ("title", "year", "month"),
    [
        (
            "Patch n’Pack: Navit, A Vision Transformer for Any Aspect Ratio and Resolution",
            "2023",
            "",
        ),
        ("Auto-Encoding Variational Bayes", "2013", "12"),
        ("Imagen Video: High Definition Video Generation with Diffusion Models", "2022", "10"),
        ("Improving Image Generation with Better Captions", "", ""),
        ("LAVIE: High-Quality Video Generation with Cascaded Latent Diffusion Models", "2023", "9"),
        (
            "Pre-Train, Prompt, and Predict: A Systematic Survey of Prompting Methods "
            "in Natural Language Processing",
            "2023",
            "",
        ),
        ("Video Diffusion Models for the Apoptosis Forecasting", "2023", ""),
        ("DALL-E-Bot: Introducing Web-Scale Diffusion Models to Robotics", "2023", ""),
    ],
)
def test_seed_years(seed: ImportResult, title: str, year: str, month: str) -> None:
    entry = next(e for e in seed.entries if latex_to_text(e.get("title")) == title)
    assert (entry.get("year"), entry.get("month")) == (year, month)


def test_seed_eprints_from_arxiv_links(seed: ImportResult, seed_text: str) -> None:
    lines = seed_text.splitlines()
    checked = 0
    for entry in seed.entries:
        match = re.search(
            r"\[\[paper\]\]\(https://arxiv\.org/abs/+([\d.]+)\)", lines[entry.line - 1]
        )
        assert entry.get("eprint") == (match[1] if match else "")
        assert entry.get("archiveprefix") == ("arXiv" if match else "")
        checked += bool(match)
    assert checked == 42
    decoding = next(e for e in seed.entries if e.get("title").startswith("DecodingTrust"))
    assert (decoding.get("eprint"), decoding.get("url")) == (
        "2306.11698",
        "https://arxiv.org/abs//2306.11698",
    )


def test_seed_titles_repaired_and_escaped(seed: ImportResult) -> None:
    first = seed.entries[0]
    assert first.key == "patch2023"
    assert first.get("title").startswith("Patch n’Pack: Navit")
    hallusion = next(e for e in seed.entries if e.get("title").startswith("HallusionBench"))
    assert "Hallucination \\& Visual Illusion" in hallusion.get("title")
    assert "Hallucination & Visual Illusion" in latex_to_text(hallusion.get("title"))


def test_seed_entry_fields(seed: ImportResult) -> None:
    vivit = next(e for e in seed.entries if e.get("title").startswith("Vivit"))
    assert dict(vivit.fields) == {
        "title": "Vivit: A Video Vision Transformer",
        "year": "2021",
        "keywords": "data-pre-processing",
        "listvenue": "ICCV'21",
        "url": "https://openaccess.thecvf.com/content/ICCV2021/html/Arnab_ViViT_A_Video_Vision"
        "_Transformer_ICCV_2021_paper.html?ref=https://githubhelp.com",
        "code": "https://github.com/google-research/scenic/tree/main/scenic/projects/vivit",
    }
    assert vivit.line == 48


def test_seed_placeholder_links_are_problems(seed: ImportResult) -> None:
    assert [(p.line, p.reason) for p in seed.problems] == [
        (85, "link target 'link-to-paper' is not an http(s) URL; left out"),
        (89, "link target 'link-to-paper' is not an http(s) URL; left out"),
        (89, "link target 'link-to-code' is not an http(s) URL; left out"),
    ]
    assert seed.problems[1].text.startswith("- Jailbroken: How Does LLM Safety Training Fail?")
    survey, jailbroken = (e for e in seed.entries if e.line in (85, 89))
    assert survey.get("url") == ""
    assert survey.get("code") == "https://github.com/vr25/hallucination-foundation-model-survey"
    assert dict(jailbroken.fields) == {
        "title": "Jailbroken: How Does LLM Safety Training Fail?",
        "keywords": "trustworthiness",
    }


def test_seed_under_named_explicitly(seed_text: str, seed: ImportResult) -> None:
    assert parse_markdown(seed_text, under="🚀 paper list:") == seed
    with pytest.raises(UsageProblem, match="No heading 'Papers' in the Markdown"):
        parse_markdown(seed_text, under="Papers")


def test_seed_existing_keys_are_not_reused(seed_text: str) -> None:
    result = parse_markdown(seed_text, existing_keys={"patch2023", "image2021"})
    assert [e.key for e in result.entries[:2]] == ["patch2023a", "image2021a"]


# --- test lists in other shapes, against libraries written out by hand -------------

EXPECTED_PROBLEMS = {
    "inline-links": [],
    "bold-titles": [(20, "link target 'link-to-paper' is not an http(s) URL; left out")],
    "citation-style": [],
    "table": [(37, "link target 'link-to-code' is not an http(s) URL; left out")],
}
EXPECTED_SKIPPED = {
    "inline-links": [],
    "bold-titles": [
        (21, "no title found"),
        (24, "only code links and no venue: a tool or repository, not a paper"),
    ],
    "citation-style": [],
    "table": [(19, "no title found; not imported")],
}


@pytest.mark.parametrize("name", LIST_NAMES)
def test_list_matches_expected_library(name: str) -> None:
    result = parse_markdown((LISTS / f"{name}.md").read_text(encoding="utf-8"))
    expected = storage.load(LISTS / f"{name}.expected.bib")
    assert result.taxonomy == expected.taxonomy
    assert [e.key for e in result.entries] == [e.key for e in expected.entries]
    for got, want in zip(result.entries, expected.entries, strict=True):
        assert (got.key, got.type, dict(got.fields)) == (want.key, want.type, dict(want.fields))
    assert [(p.line, p.reason) for p in result.problems] == EXPECTED_PROBLEMS[name]
    assert [(p.line, p.reason) for p in result.skipped] == EXPECTED_SKIPPED[name]


def test_list_details() -> None:
    inline = parse_markdown((LISTS / "inline-links.md").read_text(encoding="utf-8"))
    assert inline.taxonomy.title == "Awesome Diffusion Transformers"  # badge dropped
    assert inline.taxonomy.heading == "Papers"  # emoji dropped
    latte = next(e for e in inline.entries if e.key == "latte2024")
    assert latte.categories == ("diffusion-transformers", "video-generation")
    # One heading level below the list's heading: one level of categories, each
    # heading kept as written for the export, emoji and all.
    assert [(c.slug, c.markdown) for c in inline.taxonomy.sections] == [
        ("diffusion-transformers", "🧱 Diffusion Transformers"),
        ("video-generation", "🎬 Video Generation"),
        ("surveys", ""),
    ]
    bold = parse_markdown((LISTS / "bold-titles.md").read_text(encoding="utf-8"))
    assert bold.taxonomy.slugs()[:4] == [
        "robotics",
        "diffusion-models",
        "imitation-learning",
        "healthcare",
    ]
    assert bold.taxonomy.slugs()[4] == "diffusion-models-2"  # the same name, twice


# --- line shapes --------------------------------------------------------------------

ARXIV = "https://arxiv.org/abs/2309.15103"
CODE = "https://github.com/Vchitect/LaVie"
LAVIE = "LAVIE: High-Quality Video Generation with Cascaded Latent Diffusion Models"


@pytest.mark.parametrize(
    "line",
    [
        f"- (*arXiv 2023.09*) {LAVIE} [[paper]]({ARXIV})[[code]]({CODE})",
        f"- (*arXiv 2023.09*) {LAVIE} [[code]]({CODE}) [[paper]]({ARXIV})   ",
        f"- {LAVIE} [[paper]]({ARXIV})  [[code]]({CODE})",
        f"- [{LAVIE}]({ARXIV}) - arXiv 2023.09 [code]({CODE})",
        f"- [{LAVIE}]({ARXIV}) (arXiv 2023.09) [[Code]]({CODE})",
        f"- **{LAVIE}** [[Paper]]({ARXIV}) [[Code]]({CODE})",
        f"* {LAVIE}. *arXiv 2023.09*. [paper]({ARXIV}) [code]({CODE})",
        f"1. _{LAVIE}_ [[PDF]](https://arxiv.org/pdf/2309.15103v2.pdf) [[GitHub]]({CODE})",
        f"- {LAVIE} [![Paper](https://img.shields.io/badge/x)]({ARXIV}) [![Code](https://img.shields.io/badge/y)]({CODE})",
    ],
)
def test_line_shapes_give_the_same_entry(line: str) -> None:
    entry = only_entry(line)
    assert entry.get("title") == LAVIE
    assert (entry.get("year"), entry.get("month"), entry.get("listvenue")) == ("2023", "9", "")
    assert (entry.get("eprint"), entry.get("code")) == ("2309.15103", CODE)
    assert entry.get("url").startswith("https://arxiv.org/")


@pytest.mark.parametrize(
    ("url", "eprint"),
    [
        ("https://arxiv.org/abs/2309.15103", "2309.15103"),
        ("https://arxiv.org/abs/2309.15103v1", "2309.15103"),
        ("https://arxiv.org/pdf/2309.15103", "2309.15103"),
        ("https://arxiv.org/pdf/2309.15103v1.pdf", "2309.15103"),
        ("http://arxiv.org/abs//2309.15103", "2309.15103"),
        ("https://www.biorxiv.org/content/10.1101/2023.11.16.567461v1", ""),
    ],
)
def test_arxiv_links_give_eprint(url: str, eprint: str) -> None:
    entry = only_entry(f"- {LAVIE} [[paper]]({url})")
    assert (entry.get("eprint"), entry.get("url")) == (eprint, url)


@pytest.mark.parametrize(
    ("label", "year"),
    [
        ("CVPR'23", "2023"),
        ("ACM Computing Surveys'23", "2023"),
        ("IEEE RA-L'23", "2023"),
        ("arXiv 2023.09", "2023"),
        ("bioRxiv 2023.11", "2023"),
        ("NeurIPS 2023", "2023"),
        ("NeurIPS'17", "2017"),
        ("JMLR", ""),
    ],
)
def test_venue_label_gives_year(label: str, year: str) -> None:
    entry = only_entry(
        f"- (*{label}*) Visual Instruction Tuning [[paper]](https://cdn.openai.com/x.pdf)"
    )
    assert (entry.get("listvenue"), entry.get("year"), entry.get("month")) == (label, year, "")


@pytest.mark.parametrize("host", ["https://doi.org/", "http://dx.doi.org/"])
def test_doi_links_give_doi(host: str) -> None:
    entry = only_entry(
        f"- (*ACM Multimedia'23*) MobileVidFactory [[paper]]({host}10.1145/3581783.3612667)"
    )
    assert entry.get("doi") == "10.1145/3581783.3612667"


@pytest.mark.parametrize(
    "code",
    [
        "[[code]](https://github.com/Vchitect/LaVie)",
        "[[GitHub]](https://github.com/Vchitect/LaVie)",
        "[[model]](https://huggingface.co/Vchitect/LaVie)",
        "[[repo]](https://gitlab.com/Vchitect/LaVie)",
    ],
)
def test_code_links(code: str) -> None:
    entry = only_entry(f"- {LAVIE} [[paper]]({ARXIV}) {code}")
    assert entry.get("code") == re.search(r"\((.*)\)", code)[1]
    assert entry.get("url") == ARXIV


def test_title_markdown_removed_and_bibtex_escaped() -> None:
    line = r"- (*CVPR'23*) **A \*starred\* `x_y` &lt;tag&gt; 100% {set} C# $5 ~ a\_b \\ end** [[paper]](https://x.org/p)"
    entry = only_entry(line)
    shown = r"A *starred* x_y <tag> 100% {set} C# $5 ~ a_b \ end"
    assert latex_to_text(entry.get("title")) == shown
    assert entry.get("title") == text_to_bibtex(shown)
    assert entry.get("title").startswith(r"A *starred* x\_y <tag> 100\% \{set\} C\# \$5")


# --- problems -----------------------------------------------------------------------


VIT = "- (*CVPR'23*) Visual Instruction Tuning [[paper]](https://arxiv.org/abs/2304.08485)"


def test_malformed_lines_are_problems_with_line_numbers() -> None:
    doc = "\n".join(
        [
            "# T",  # 1
            "## Paper List",  # 2
            VIT,  # 3
            "### Technology",  # 4
            "#### Modeling",  # 5
            "- [[paper]](https://arxiv.org/abs/2304.08485)",  # 6
            VIT,  # 7
            VIT,  # 8
            "- (*ICML'23*) [[paper]](mailto:someone) [[code]](#modeling)",  # 9
            "",
            "| Venue | Code |",  # 11
            "|---|---|",
            "| ICML'23 | [code](https://github.com/X-PLUG/mPLUG-2) |",  # 13
        ]
    )
    result = parse_markdown(doc)
    lines = doc.splitlines()
    assert result.problems == (Problem(8, lines[7], "same entry as line 7; imported once"),)
    # Items with links that are not read as papers: not imported, each said with its line.
    assert result.skipped == (
        Problem(3, lines[2], "outside the list (under 'Paper List'); left as it is"),
        Problem(6, lines[5], "no title found"),
        Problem(9, lines[8], "no title found"),
        Problem(13, lines[12], "the table has no Title, Paper or Name column; row not imported"),
    )
    assert [e.line for e in result.entries] == [7]


def test_non_entry_content_is_ignored() -> None:
    doc = "\n".join(
        [
            "# Awesome [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)",
            "- [Paper List](#paper-list)",  # 2: a table of contents...
            "See [our paper](https://arxiv.org/abs/2402.17177).",  # ... continued lazily
            "## Paper List",
            "- [Technology](#technology)",
            "    - [Modeling](#modeling)",
            "### Technology",
            "#### 🎬 Modeling",
            "<img src='https://example.org/x.png'>",  # an HTML block, to the blank line
            "",
            "Some prose with a [link](https://arxiv.org/abs/2402.17177).",
            "- (*ICLR'22*) Progressive Distillation for Fast Sampling of Diffusion Models "
            "[[paper]](https://arxiv.org/abs/2202.00512)",
            "```",
            "- (*ICLR'22*) not an entry [[paper]](https://arxiv.org/abs/2202.00512)",
            "```",
        ]
    )
    result = parse_markdown(doc)
    assert (result.problems, result.skipped) == ((), ())
    assert [(e.line, e.key) for e in result.entries] == [(12, "progressive2022")]
    assert result.taxonomy.title == "Awesome"
    # One category holds every entry: it is the list, its heading and the prose under it
    # stay above the markers, which wrap the entry alone.
    assert [(c.slug, c.markdown) for c in result.taxonomy.sections] == [("modeling", "🎬 Modeling")]
    assert (result.taxonomy.heading, result.taxonomy.level) == ("", 4)
    assert result.region == (11, 12)


def test_an_html_block_holds_what_follows_it_to_a_blank_line() -> None:
    """As on GitHub: `<img ...>` starts an HTML block, and the lines after it, up to a
    blank line, are HTML too (shown as they are, not read as Markdown)."""
    doc = (
        "## Paper List\n### Modeling\n<img src='x.png'>\n"
        "- (*ICLR'22*) Progressive Distillation [[paper]](https://arxiv.org/abs/2202.00512)\n"
    )
    assert parse_markdown(doc).entries == ()


def test_one_heading_level_gives_one_level_of_categories() -> None:
    vlogger = "Vlogger: Make Your Dream A Vlog [[paper]](https://arxiv.org/abs/2401.09414)"
    doc = f"# T\n## 🚀 Paper List\n### Movie\n### Movie\n- (*arXiv 2024.01*) {vlogger}\n"
    result = parse_markdown(doc)
    taxonomy = result.taxonomy
    # The first `### Movie`, above every entry, stays outside the list as it is; so the
    # list's heading is not right above the markers, and the export writes none.
    assert [(c.slug, c.name, c.children) for c in taxonomy.sections] == [("movie", "Movie", ())]
    assert (taxonomy.heading, taxonomy.level) == ("", 3)
    assert result.region == (3, 5)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("  Data Pre-processing", "Data Pre-processing"),
        ("🎬 **Movie**:", "Movie"),
        ("[Robotics](#robotics) 🤖", "Robotics"),
        ("Is it Real?", "Is it Real?"),
        ("{Braces} & More", "Braces & More"),
    ],
)
def test_heading_names(raw: str, name: str) -> None:
    assert heading_name(raw) == name


# --- inverse helpers ------------------------------------------------------------------

TRICKY = st.text(
    alphabet=st.sampled_from([*"ab -`'!?^_~{}\\$%&#<>\"*[]()|:;.,@=/\n\t", "é", "’", "中", "\xa0"])
)
SAFE_UNICODE = st.text(
    alphabet=st.sampled_from([*"ab -`'!?^_~{}\\$%&#<>\"*[]()|:/.", "é", "’", "中"])
)


@settings(max_examples=500)
@given(st.one_of(TRICKY, st.text()))
def test_text_to_bibtex_inverts_latex_to_text(value: str) -> None:
    assert latex_to_text(text_to_bibtex(value)) == " ".join(value.split())


@settings(max_examples=500)
@given(st.one_of(TRICKY, st.text()).map(lambda v: v.replace("\x00", "")))
def test_markdown_to_text_inverts_escape(value: str) -> None:
    # (CommonMark, as GitHub, shows a NUL character as U+FFFD: none in a title.)
    assert markdown_to_text(escape(value)) == " ".join(value.split())
    assert find_links(escape(value)) == []


@settings(max_examples=300, deadline=None)
@given(SAFE_UNICODE)
def test_any_title_survives_render_and_import(value: str) -> None:
    title = f"X {value} Y"  # a title starts and ends with a word
    line = f"- (*CVPR'23*) {title_markdown(title)} [[paper]](https://arxiv.org/abs/2402.17177)"
    entry = only_entry(line)
    assert latex_to_text(entry.get("title")) == " ".join(title.split())
    assert entry.get("url") == "https://arxiv.org/abs/2402.17177"


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("**bold** and *em* and _em_ and ~~gone~~", "bold and em and em and gone"),
        ("snake_case_name stays", "snake_case_name stays"),
        (r"\*not em\* \[x\] \_y\_ \<z\>", "*not em* [x] _y_ <z>"),
        ("&lt;script&gt; &amp; &#42;", "<script> & *"),
        ("`a*b*c`", "a*b*c"),
        ("](javascript:alert(1))", "](javascript:alert(1))"),
    ],
)
def test_markdown_to_text(markdown: str, shown: str) -> None:
    assert markdown_to_text(markdown) == shown


# --- round trip through the Markdown renderer -----------------------------------------


@pytest.mark.parametrize(
    "path", [SEED, *(LISTS / f"{n}.md" for n in LIST_NAMES)], ids=lambda p: p.stem
)
def test_round_trip_through_render_markdown(path: Path) -> None:
    first = parse_markdown(path.read_text(encoding="utf-8"))
    rendered = f"# {first.taxonomy.title}\n\n" + render_markdown(first.entries, first.taxonomy)
    again = parse_markdown(rendered)
    # An entry with neither a link nor a venue (a placeholder link was all the list gave)
    # is written as a bare `- Title`, which reads back as a note, not as a paper.
    bare = [e for e in first.entries if not (e.get("url") or e.get("code") or e.venue_label())]
    assert [shown(e) for e in again.entries] == [shown(e) for e in first.entries if e not in bare]
    for entry in bare:
        assert f"\n- {latex_to_text(entry.get('title'))}\n" in rendered
    assert [c.slug for c in again.taxonomy.nodes()] == [c.slug for c in first.taxonomy.nodes()]
    if not bare:
        assert again.taxonomy == first.taxonomy
    assert again.problems == ()


def shown(entry: Entry) -> tuple[str, ...]:
    """What the list shows of an entry (authors, notes, months are the library's)."""
    fields = ("title", "keywords", "url", "code", "links", "eprint", "doi")
    return (entry.key, entry.venue_label(), *(entry.get(f) for f in fields))


@pytest.mark.parametrize(
    "title",
    [
        "\\(",  # an escaped backslash, then a bracket the importer would trim
        "Open (",
        ") Closed",
        "+ Plus",
        "- Minus",
        "1. Numbered",
        "🔥 Fire 🔥",
        ":star: Shortcode",
        '"Quoted", Venue',
        "“Curly” Quotes, 2023",
        "[Bracketed] Label",
        "(Almost) Free",
    ],
)
def test_titles_that_look_like_list_syntax_read_back(title: str) -> None:
    line = f"- {title_markdown(title)} [[paper]](https://arxiv.org/abs/2402.17177)"
    assert latex_to_text(only_entry(line).get("title")) == title


def test_a_links_label_alone_is_no_title() -> None:
    """amusi/CVPR2024-Papers-with-Code writes `- Paper  https://...` (no colon) under a
    paper's bold title: `Paper` is the link's label, not a paper called Paper."""
    result = parse_markdown(
        "# L\n\n## A\n\n- Paper  https://arxiv.org/abs/2306.16772\n"
        "- Attention Is All You Need [[paper]](https://arxiv.org/abs/1706.03762)\n"
    )
    assert [e.get("title") for e in result.entries] == ["Attention Is All You Need"]
