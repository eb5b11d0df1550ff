"""BibTeX value helpers shared by the source mappings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soralit import text
from soralit.bibtex import balance_braces, bibtex_pages, escape_value, join_names, protect_title


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("525 - 535", "525--535"),
        ("5998-6008", "5998--6008"),
        ("150--162", "150--162"),
        ("877\u2013882", "877--882"),
        ("e1002345", "e1002345"),
        ("  12 ", "12"),
        ("", ""),
    ],
)
def test_bibtex_pages(pages: str, expected: str) -> None:
    assert bibtex_pages(pages) == expected


def test_join_names_escapes_and_drops_empty_names() -> None:
    assert join_names(["Dirk Wübben", " ", "R&D  Team"]) == r"Dirk Wübben and R\&D Team"


def _depth_never_negative_and_ends_at_zero(value: str) -> bool:
    depth = 0
    for char in value:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


@given(st.text(alphabet=st.sampled_from("ab {}\\&%#$\n"), max_size=40))
def test_escaped_values_are_balanced_and_have_no_bare_specials(value: str) -> None:
    escaped = escape_value(value)
    assert _depth_never_negative_and_ends_at_zero(escaped)
    assert not re.search(r"(?<!\\)[&%#]", escaped)
    assert "\n" not in escaped


@given(st.text(max_size=40))
def test_balanced_text_is_left_alone(value: str) -> None:
    if _depth_never_negative_and_ends_at_zero(value):
        assert balance_braces(value) == value


@pytest.mark.parametrize(
    ("title", "protected"),
    [
        ("GenTron: Diffusion Transformers", "{GenTron}: Diffusion Transformers"),
        ("VIDM: Video Implicit Diffusion Models", "{VIDM}: Video Implicit Diffusion Models"),
        (
            "Patch n’Pack: NaViT, a Vision Transformer",
            "Patch {n’Pack}: {NaViT}, a Vision Transformer",
        ),
        ("mPLUG-2: A Modularized Model", "{mPLUG-2}: A Modularized Model"),
        ("Diffusion Transformer U-Net for X", "Diffusion Transformer {U-Net} for X"),
        ("MobileNet V2 on 3D data (CVPR)", "{MobileNet} {V2} on {3D} data ({CVPR})"),
        ("How Does LLM Safety Training Fail?", "How Does {LLM} Safety Training Fail?"),
        # Title-case words, hyphenated or not, are the style's to lower-case.
        ("Is Space-Time Attention All You Need?", "Is Space-Time Attention All You Need?"),
        ("Auto-Encoding Variational Bayes", "Auto-Encoding Variational Bayes"),
        # What the source already protects or writes in LaTeX is left as it is.
        ("{VIDM:} Video Implicit Diffusion Models", "{VIDM:} Video Implicit Diffusion Models"),
        (r"$\omega$Test: WebView Testing", r"$\omega$Test: {WebView} Testing"),
        (r"Math $a B$ in CoRL", r"Math $a B$ in {CoRL}"),
        (
            r"The {\TeX book} and Hallucination \& GPT",
            r"The {\TeX book} and Hallucination \& {GPT}",
        ),
        # A word after a control word may be its argument: braces would change what it is.
        (r"\b 2A and \TeX GenTron", r"\b 2A and \TeX GenTron"),
        # A title in capitals only says nothing about which words are acronyms.
        ("A SURVEY OF LLMS", "A SURVEY OF LLMS"),
    ],
)
def test_protect_title_braces_words_whose_capitals_carry_meaning(
    title: str, protected: str
) -> None:
    assert protect_title(title) == protected


@given(st.text(alphabet=st.sampled_from("aAbB -/:{}$\\&é’2"), max_size=40))
def test_protecting_changes_no_display_text_and_is_idempotent(value: str) -> None:
    raw = escape_value(value)
    protected = protect_title(raw)
    assert text.latex_to_text(protected) == text.latex_to_text(raw)
    assert protect_title(protected) == protected
    assert _depth_never_negative_and_ends_at_zero(protected)


def test_protected_titles_display_exactly_as_unprotected_ones() -> None:
    from soralit.model import Entry
    from soralit.render import csljson, html, listing, markdown

    def shown(title: str) -> tuple:
        entry = Entry("k", fields={"title": title, "year": "2024", "keywords": "modeling"})
        paper = html.entry_to_paper(entry, 0)
        return (
            markdown.entry_line(entry),
            listing.render_json([entry]),
            listing.render_tsv([entry]),
            paper.title,
            csljson.render_csljson([entry]),
        )

    plain = "GenTron and VIDM: Diffusion for U-Net, GPT and DALL-E-Bot"
    protected = protect_title(plain)
    assert protected == "{GenTron} and {VIDM}: Diffusion for {U-Net}, {GPT} and {DALL-E-Bot}"
    assert shown(protected) == shown(plain)
