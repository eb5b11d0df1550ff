"""The HTML page renderer: structure, escaping, links, self-containment. No browser here
(tests/test_browser.py drives the page in Chromium)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from soralit import query, storage
from soralit.model import Category, Entry, Section, Taxonomy
from soralit.render.html import entry_links, render_html, short_authors

HOSTILE_TITLE = "<img src=x onerror=alert(1)>](javascript:alert(1))"


class Page(HTMLParser):
    """Every start tag with its attributes, the text of <script> blocks, and all text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())
        ]

    def data(self) -> dict:
        (body,) = [b for a, b in self.scripts if a.get("type") == "application/json"]
        return json.loads(body)


@pytest.fixture(scope="module")
def shipped() -> storage.Library:
    return storage.load(Path(__file__).resolve().parent.parent / "library.bib")


@pytest.fixture(scope="module")
def shipped_page(shipped: storage.Library) -> str:
    listed = query.listed(shipped.entries, shipped.taxonomy)
    return render_html(
        listed, shipped.taxonomy, citation_entry=shipped.find(shipped.taxonomy.citation_key)
    )


TAXONOMY = Taxonomy(
    sections=(
        Section("Technology", (Category("modeling", "Modeling"),)),
        Section("Application", (Category("robotics", "Robotics"), Category("movie", "Movie"))),
    ),
    title="A <b>list</b>",
)


def entry(key: str, **fields: str) -> Entry:
    fields.setdefault("title", key.title())
    fields.setdefault("keywords", "modeling")
    return Entry(key, "misc", fields)


def test_shipped_page_lists_71_papers_in_taxonomy_order(shipped, shipped_page) -> None:
    page = Page(shipped_page)
    items = page.find("li", **{"class": "paper"})
    assert len(items) == 71
    assert len({i["data-i"] for i in items}) == 71
    assert len(page.data()["papers"]) == 71
    assert re.search(r'<p id="count"[^>]*>71 papers</p>', shipped_page)
    blocks = [a["data-category"] for a in page.find("section", **{"class": "category"})]
    assert blocks == [c.slug for c in shipped.taxonomy.categories()]
    robotics = shipped_page[shipped_page.index('id="cat-robotics"') :]
    robotics = robotics[: robotics.index("</section>")]
    assert robotics.count('<li class="paper"') == 8


def test_the_citation_block_is_the_review_and_not_a_list_item(shipped_page) -> None:
    page = Page(shipped_page)
    assert '<code id="citation-text">@misc{2024SoraReview,' in shipped_page
    assert page.find("button", id="copy-citation")
    assert not page.find("li", **{"data-key": "2024SoraReview"})
    assert page.find("h1")
    assert "<title>Sora: A Review on Background" in shipped_page


def test_each_paper_has_its_own_bibtex_toggle(shipped, shipped_page) -> None:
    first = query.listed(shipped.entries, shipped.taxonomy)[0]
    item = shipped_page[shipped_page.index(f'data-key="{first.key}"') :]
    item = item[: item.index("</li>")]
    assert "<summary>BibTeX</summary>" in item
    assert f"@{first.type}{{{first.key}," in item


def test_the_page_is_self_contained(shipped_page) -> None:
    page = Page(shipped_page)
    assert not [a for _, a in page.tags if "src" in a]  # no script, image or frame fetched
    assert [a["href"] for a in page.find("link")] == ["data:,"]  # not even a favicon
    assert "@import" not in shipped_page
    assert "url(" not in shipped_page.split("</style>")[0]
    assert "prefers-color-scheme: dark" in shipped_page


def test_without_javascript_the_whole_list_shows(shipped_page) -> None:
    page = Page(shipped_page)
    assert "hidden" in page.find("form", id="filters")[0]  # controls need the script
    assert not [a for t, a in page.tags if "hidden" in a and t in ("li", "section", "main")]


def test_every_control_has_a_label(shipped_page) -> None:
    page = Page(shipped_page)
    labelled = {a["for"] for a in page.find("label") if a.get("for")}
    for tag in ("input", "select"):
        for attrs in page.find(tag):
            if attrs.get("type") == "checkbox":
                continue  # wrapped in its <label>
            assert attrs["id"] in labelled
    assert page.find("input", type="search", id="q")
    assert shipped_page.count('<label class="chip"><input type="checkbox"') == 10


def test_a_hostile_title_is_text_not_markup() -> None:
    hostile = entry(
        "evil2024",
        title=HOSTILE_TITLE,
        author="<script>alert(1)</script> and B and C and D",
        listvenue="</script><script>alert(2)</script>",
        url="javascript:alert(1)",
        code='https://example.org/x" onmouseover="alert(1)',
        keywords="robotics",
    )
    html = render_html([hostile], TAXONOMY)
    page = Page(html)
    assert not page.find("img")
    assert "&lt;img src=x onerror=alert(1)&gt;](javascript:alert(1))" in html
    assert HOSTILE_TITLE in "".join(page.text)
    assert "<title>A &lt;b&gt;list&lt;/b&gt;</title>" in html
    assert len(page.scripts) == 2  # the data block and the page script: nothing injected
    assert page.data()["papers"][0]["t"] == HOSTILE_TITLE
    assert page.data()["papers"][0]["v"] == "</script><script>alert(2)</script>"
    assert not [a for _, a in page.tags if "onerror" in a or "onmouseover" in a]
    hrefs = [a["href"] or "" for a in page.find("a")]
    assert hrefs == ["#list", "https://example.org/x%22%20onmouseover=%22alert%281%29"]
    assert not any("javascript:" in h for h in hrefs)


def test_every_link_is_http_and_noopener(shipped_page) -> None:
    links = Page(shipped_page).find("a")
    external = [a for a in links if not (a.get("href") or "").startswith("#")]
    assert len(external) > 71
    for attrs in external:
        assert re.match(r"https?://", attrs["href"] or "")
        assert attrs.get("rel") == "noopener"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"url": "https://a.org/p", "code": "https://github.com/x/y"}, ["paper", "code"]),
        ({"eprint": "2402.17177"}, ["arXiv"]),
        ({"url": "https://arxiv.org/abs/2402.17177", "eprint": "2402.17177"}, ["paper"]),
        ({"doi": "10.1109/CVPR.2023.1"}, ["DOI"]),
        ({"url": "ftp://a.org/p", "code": "file:///etc/passwd"}, []),
        ({"url": " JavaScript:alert(1)", "code": "data:text/html,<b>"}, []),
    ],
)
def test_entry_links(fields: dict[str, str], expected: list[str]) -> None:
    assert [link.name for link in entry_links(entry("k", **fields))] == expected


def test_doi_and_arxiv_links_point_at_their_resolvers() -> None:
    links = entry_links(entry("k", doi="10.1000/a b<c>", eprint="2402.17177v2"))
    assert [(x.name, x.href) for x in links] == [
        ("DOI", "https://doi.org/10.1000/a%20b%3Cc%3E"),
        ("arXiv", "https://arxiv.org/abs/2402.17177"),
    ]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["Ada Lovelace"], "Ada Lovelace"),
        (["A", "B"], "A and B"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "B", "C", "D"], "A et al."),
    ],
)
def test_short_authors(names: list[str], expected: str) -> None:
    assert short_authors(names) == expected


def test_long_author_lists_expand_to_the_full_list() -> None:
    html = render_html([entry("k", author="Ann One and Bo Two and Cy Three and Di Four")], TAXONOMY)
    assert '<summary title="Ann One, Bo Two, Cy Three, Di Four">Ann One et al.</summary>' in html
    assert "<p>Ann One, Bo Two, Cy Three, Di Four</p>" in html
    short = render_html([entry("k", author="Ann One and Bo Two")], TAXONOMY)
    assert '<p class="authors">Ann One and Bo Two</p>' in short


def test_a_paper_in_two_categories_is_counted_once() -> None:
    html = render_html([entry("k", keywords="modeling, robotics")], TAXONOMY)
    page = Page(html)
    assert [a["data-i"] for a in page.find("li", **{"class": "paper"})] == ["0", "0"]
    assert len(page.data()["papers"]) == 1
    assert ">1 paper</p>" in html


def test_entries_outside_the_taxonomy_are_left_out_and_empty_categories_kept() -> None:
    html = render_html([entry("a"), entry("b", keywords="unknown")], TAXONOMY)
    page = Page(html)
    assert [a["data-key"] for a in page.find("li", **{"class": "paper"})] == ["a"]
    assert html.count("No papers yet.") == 2  # robotics and movie
    trimmed = render_html([entry("a")], TAXONOMY, keep_empty=False)
    assert "No papers yet." not in trimmed
    assert 'id="sec-application"' not in trimmed


def test_filter_choices_and_section_map() -> None:
    entries = [
        entry("a", listvenue="CVPR'23", year="2023"),
        entry("b", listvenue="CVPR'22", year="2022"),
        entry("c", eprint="2301.00001", year="2023"),
    ]
    html = render_html(entries, TAXONOMY, title="T")
    assert '<option value="CVPR">CVPR (2)</option>' in html
    assert '<option value="arXiv">arXiv (1)</option>' in html
    assert html.count('<option value="2023">2023</option>') == 2  # from and to
    assert Page(html).data()["subtree"] == {
        "technology": ["technology", "modeling"],
        "modeling": ["modeling"],
        "application": ["application", "robotics", "movie"],
        "robotics": ["robotics"],
        "movie": ["movie"],
    }
    assert "<title>T</title>" in html
