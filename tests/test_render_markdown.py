"""The Markdown list: the shipped library regenerates the seed list; titles are escaped."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soralit import storage
from soralit.model import Category, Entry, Section, Taxonomy
from soralit.render.markdown import entry_line, escape, link_target, render_markdown, splice
from soralit.text import latex_to_text

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent

# The documented differences between the seed and the export (docs/seed-fixes.md),
# keyed by seed title prefix: field -> (seed value, exported value).
SEED_FIXES = {
    "Patch n": {"title": ("Patch n‚ÄôPack", "Patch n’Pack")},
    "Vivit": {"url": ("?ref=https://githubhelp.com", "")},
    "GenTron": {"title": ("Delving Deep into Diffusion", "Diffusion")},
    "Jailbreaking Attack": {
        "title": (
            "Against Multimodal Large Language Models",
            "against Multimodal Large Language Model",
        )
    },
    "Visual Instruction Tuning": {"venue": ("NeurlPS'23", "NeurIPS'23")},
    "A Survey of Hallucination": {"url": ("link-to-paper", "https://arxiv.org/abs/2309.05922")},
    "DecodingTrust": {"url": ("abs//", "abs/")},
    "Jailbroken": {
        "url": ("link-to-paper", "https://arxiv.org/abs/2307.02483"),
        "code": ("link-to-code", ""),
        "venue": ("", "arXiv 2023.07"),
    },
    "Imagen Video": {"venue": ("", "arXiv 2022.10")},
    "CACTI": {"code": ("https://github.com/Cacti/cacti", "")},
}

ITEM = re.compile(
    r"^- (?:\(\*(?P<venue>[^*]+)\*\) )?(?P<title>.+?) ?"
    r"(?:\[\[paper\]\]\((?P<url>[^)]*)\))? ?(?:\[\[code\]\]\((?P<code>[^)]*)\))?\s*$"
)


def read_list(markdown: str) -> list[dict]:
    """(section, category, venue, title, url, code) of every item under `## Paper List`."""
    items, section, category, inside = [], "", "", False
    for line in markdown.splitlines():
        if line.startswith("## "):
            inside = line.strip() == "## Paper List"
        elif inside and line.startswith("### "):
            section = line[4:].strip()
        elif inside and line.startswith("#### "):
            category = line[5:].strip()
        elif inside and line.startswith("- "):
            match = ITEM.match(line)
            assert match, line
            items.append(
                {
                    "section": section,
                    "category": category,
                    **{k: v or "" for k, v in match.groupdict().items()},
                }
            )
    return items


def apply_fixes(item: dict) -> dict:
    for prefix, fixes in SEED_FIXES.items():
        if item["title"].startswith(prefix) or item["title"].startswith(prefix[:6]):
            for field, (seed, shipped) in fixes.items():
                if seed:
                    item[field] = item[field].replace(seed, shipped)
                else:
                    item[field] = item[field] or shipped
    return item


def test_export_reproduces_the_seed_list_with_only_documented_fixes():
    seed = read_list((FIXTURES / "seed-README.md").read_text(encoding="utf-8"))
    library = storage.load(ROOT / "library.bib")
    entries = [e for e in library.entries if e.key != library.taxonomy.citation_key]
    exported = read_list(render_markdown(entries, library.taxonomy))
    assert len(seed) == len(exported) == 71
    for seed_item, out in zip(seed, exported, strict=True):
        assert apply_fixes(dict(seed_item)) == out


TAX = Taxonomy((Section("Technology", (Category("modeling", "Modeling"),)),))


HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "Evil](javascript:alert(1)) [x",
    "*bold* _it_ `code` | pipe ~strike~ **b**",
    "see https://evil.example and www.evil.example, mail a@evil.example",
    "&lt;script&gt; &#60; &amp;",
    "back\\slash [[paper]](https://x.org) ![img](https://x.org/i.png)",
    "<script>alert(1)</script>",
]


def rendered(markdown: str) -> str:
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"linkify": True}).enable("linkify")
    # As on GitHub: http(s):// URLs and e-mail addresses become links, bare domains do not.
    renderer.linkify.set({"fuzzy_link": False})
    return renderer.render(markdown)


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_render_as_their_own_text(title):
    import html

    line = entry_line(Entry("k", fields={"title": title, "url": "javascript:alert(1)"}))
    out = rendered(line)
    assert out.startswith("<ul>\n<li>") and out.endswith("</li>\n</ul>\n")
    inner = out[len("<ul>\n<li>") : -len("</li>\n</ul>\n")]
    assert "<" not in inner  # no element at all: no link, image, emphasis or raw HTML
    assert html.unescape(inner) == latex_to_text(title)  # the title as soralit shows it


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60))
def test_escape_renders_as_exactly_the_text(value):
    import html

    value = " ".join(value.split())
    out = rendered("- x " + escape(value))
    inner = out.removeprefix("<ul>\n<li>").removesuffix("</li>\n</ul>\n")
    assert "<" not in inner.replace("&lt;", "")
    assert html.unescape(inner) == " ".join(f"x {value}".split())


def test_only_http_links_become_links():
    assert link_target("javascript:alert(1)") == ""
    assert link_target("link-to-paper") == ""
    assert link_target("ftp://x.org/a") == ""
    assert link_target("https://x.org/a b(c)") == "https://x.org/a%20b%28c%29"
    entry = Entry("k", fields={"title": "T", "url": "link-to-paper", "code": "https://g.com/x"})
    assert entry_line(entry) == "- T [[code]](https://g.com/x)"


def test_toc_and_filtered_export_drop_empty_categories():
    tax = Taxonomy(
        (Section("Technology", (Category("modeling", "Modeling"), Category("data", "Data"))),)
    )
    entries = [Entry("k", fields={"title": "T", "keywords": "modeling", "venue": "ICLR'24"})]
    text = render_markdown(entries, tax, toc=True, keep_empty=False)
    assert text == (
        "## Paper List\n\n- [Technology](#technology)\n    - [Modeling](#modeling)\n\n"
        "### Technology\n#### Modeling\n- (*ICLR'24*) T\n"
    )
    assert "#### Data\n" in render_markdown(entries, tax)


def test_splice_replaces_only_between_markers():
    doc = "intro\n<!-- soralit:start -->\nold\n<!-- soralit:end -->\noutro\n"
    assert (
        splice(doc, "new\n") == "intro\n<!-- soralit:start -->\nnew\n<!-- soralit:end -->\noutro\n"
    )
    with pytest.raises(ValueError):
        splice("no markers", "x")


def test_markers_quoted_in_prose_are_not_markers():
    doc = (
        "Sync replaces what stands between `<!-- soralit:start -->` and\n"
        "`<!-- soralit:end -->` in the README.\n\n"
        "<!-- soralit:start -->\nold\n<!-- soralit:end -->\n"
    )
    assert splice(doc, "new\n") == doc.replace("\nold\n", "\nnew\n")
    with pytest.raises(ValueError):
        splice(doc.split("\n\n", maxsplit=1)[0], "new\n")


def test_the_lists_own_heading_is_not_repeated():
    doc = "# T\n\n## Paper List\n\nIntro.\n<!-- soralit:start -->\n<!-- soralit:end -->\n"
    out = splice(doc, "## Paper List\n\n### A\n- x\n")
    assert out == doc.replace("start -->\n", "start -->\n### A\n- x\n")


@pytest.mark.parametrize(
    "between",
    [
        "## Contact\n\nMail us.\n",  # a sub-section of the title kept outside the list
        "```sh\n# install\npip install x\n```\n",  # a comment in code is no heading
    ],
)
def test_the_enclosing_heading_is_not_repeated(between):
    doc = f"# T\n\n{between}<!-- soralit:start -->\n<!-- soralit:end -->\n"
    out = splice(doc, "# T\n\n## A\n- x\n")
    assert out == doc.replace("start -->\n", "start -->\n## A\n- x\n")


def test_a_heading_of_another_section_is_repeated():
    doc = "# T\n\n# Other\n<!-- soralit:start -->\n<!-- soralit:end -->\n"
    assert splice(doc, "# T\n- x\n").count("# T\n") == 2


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        # What GitHub gives these headings (github-slugger): applied-ml's own table of
        # contents links `Search & Ranking` as `#search--ranking`.
        ("Search & Ranking", "search--ranking"),
        ("3D & Video: Fun!", "3d--video-fun"),
        ("Über Licht (ÄÖ) — v2", "über-licht-äö--v2"),
        ("Multi_Modal", "multi_modal"),
        ("大模型 Agents", "大模型-agents"),
    ],
)
def test_toc_links_use_githubs_heading_ids(heading, anchor):
    from soralit.model import Category, Taxonomy
    from soralit.render.markdown import toc_lines

    taxonomy = Taxonomy((Category("c", heading),))
    assert toc_lines(taxonomy, {"c"}) == [f"- [{escape(heading)}](#{anchor})"]


def test_a_repeated_heading_gets_githubs_suffix():
    from soralit.model import Category, Taxonomy
    from soralit.render.markdown import toc_lines

    taxonomy = Taxonomy(
        (
            Category("vision", "Vision", (Category("generation", "Generation"),)),
            Category("audio", "Audio", (Category("generation-2", "Generation"),)),
        )
    )
    shown = {"vision", "audio", "generation", "generation-2"}
    assert [line.split("](")[1] for line in toc_lines(taxonomy, shown)] == [
        "#vision)",
        "#generation)",
        "#audio)",
        "#generation-1)",
    ]
