"""Citation keys: first author's family name + year + first significant title word."""

import pytest

from soralit import citekeys


@pytest.mark.parametrize(
    ("author", "year", "title", "key"),
    [
        # Real records (file:line) of Debian's texlive-bibtex-extra 2022.20230122-4: the
        # family names' ı and Ł have no accent to strip, and used to vanish ("akn2006").
        (  # biblatex/biblatex-examples.bib:38
            r"Aks{\i}n, {\"O}zge and T{\"u}rkmen, Hayati",
            "2006",
            "Effect of immobilization on catalytic characteristics",
            "aksin2006effect",
        ),
        (
            "Tomasz {\\L}uczak",
            "2008",
            "Using {\\TeX} in a wiki",
            "luczak2008using",
        ),  # tugboat.bib:71283
        (  # beebe/tugboat.bib:12767
            "Edgar Fu{\\ss}",
            "1987",
            "{{\\TeX\\&Co.}} on the {ST}, {Part 2}",
            "fuss1987texco",
        ),
        # The shipped library's.
        (
            "James Betker and Gabriel Goh",
            "2023",
            "Improving Image Generation",
            "betker2023improving",
        ),
        (
            "Shoufa Chen and Mengmeng Xu",
            "2024",
            "{GenTron}: Diffusion Transformers for Image and Video Generation",
            "chen2024gentron",
        ),
        ("", "2023", "A Survey of Hallucination", "survey2023"),
    ],
)
def test_base_key(author, year, title, key):
    assert citekeys.base_key(author, year, title) == key


def test_unique_key_appends_letters():
    assert citekeys.unique_key("liu2024sora", set()) == "liu2024sora"
    assert citekeys.unique_key("liu2024sora", {"liu2024sora"}) == "liu2024soraa"
    taken = {"k", *(f"k{c}" for c in "abcdefghijklmnopqrstuvwxyz")}
    assert citekeys.unique_key("k", taken) == "kaa"
