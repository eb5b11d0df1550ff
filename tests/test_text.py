"""LaTeX to Unicode, names, title normalisation, mojibake."""

import pytest

from soralit import text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("{Sora}: A Review", "Sora: A Review"),
        (r"\"uber M{\"u}ller", "über Müller"),
        (r"Hallucination \& Visual", "Hallucination & Visual"),
        (r"Lu{\v{c}}i{\'c}", "Lučić"),
        ("plain  text\n  wrapped", "plain text wrapped"),
        ("n’Pack", "n’Pack"),
        # `--` is an en dash whether or not braces elsewhere send the value to pylatexenc.
        ("Text--Image", "Text–Image"),
        ("{Text}--Image", "Text–Image"),
    ],
)
def test_latex_to_text(raw, shown):
    assert text.latex_to_text(raw) == shown


# Real titles, verbatim (file:line) from bibliographies in Debian's texlive-bibtex-extra
# 2022.20230122-4 (TeX Live 2022), under /usr/share/texlive/texmf-dist/bibtex/bib/:
# Nelson H. F. Beebe's beebe/tugboat.bib (version 4.10; its macros are tugboat.def's),
# beebe/font.bib (1.121) and beebe/texbook1.bib (1.153), all public domain, and
# biblatex/biblatex-examples.bib (the biblatex package's examples, LPPL). Before soralit
# configured pylatexenc's macro table, each lost words ("The {\TeX book}" -> "The book").
TEX_TITLES = [
    ("biblatex-examples.bib:680 knuth:ct:a", r"The {\TeX book}", "The TeXbook"),
    ("biblatex-examples.bib:703 knuth:ct:b", r"{\TeX}: The Program", "TeX: The Program"),
    ("font.bib:6398", r"The {\METAFONT}book", "The METAFONTbook"),
    ("tugboat.bib:736", r"{Update on Pascal \MF}", "Update on Pascal METAFONT"),
    (
        "tugboat.bib:36566",
        r"{{\LaTeXe} update, dateline: 31 January 1994}",
        "LaTeX2ε update, dateline: 31 January 1994",
    ),
    (
        "tugboat.bib:333",
        r"{{\AmSTeX{}{\Dash}``A very friendly product}''}",
        "AMS-TeX—“A very friendly product”",
    ),
    (
        "tugboat.bib:33828",
        "{Hacker's Guide to {\\AmS}Fonts and NFSS in the Context\n                 of {\\LaTeX}}",
        "Hacker's Guide to AMSFonts and NFSS in the Context of LaTeX",
    ),
    ("texbook1.bib:2355", r"{\AmSLaTeX}", "AMS-LaTeX"),
    (
        "tugboat.bib:64536",
        "{{\\XeTeX, the Multilingual Lion: {\\TeX} meets Unicode\n"
        "                 and smart font technologies}}",
        "XeTeX, the Multilingual Lion: TeX meets Unicode and smart font technologies",
    ),
    ("tugboat.bib:26340", r"{{\BibTeX{} reconsidered}}", "BibTeX reconsidered"),
    (
        "tugboat.bib:56833",
        r"{{\ConTeXt, \acro{XML} and \TeX: State of the art?}}",
        "ConTeXt, XML and TeX: State of the art?",
    ),
    ("tugboat.bib:64660", r"{{\LuaTeX: Howling to the moon}}", "LuaTeX: Howling to the moon"),
    (
        "tugboat.bib:1058",
        r"How to prepare a file for publication in {\TUB}",
        "How to prepare a file for publication in TUGboat",
    ),
    (
        "tugboat.bib:951",
        r"The status of {\VAX}\slash {\TeX} at {Brown}",
        "The status of VAX/TeX at Brown",
    ),
    (
        "tugboat.bib:90813",
        r"{{\texttt{medstarbeamer}}}: a new \pkg{beamer} class",
        "medstarbeamer: a new beamer class",
    ),
]


@pytest.mark.parametrize(("where", "raw", "shown"), TEX_TITLES, ids=[t[0] for t in TEX_TITLES])
def test_tex_logos_and_macros_are_rendered_not_deleted(where, raw, shown):
    assert text.latex_to_text(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (r"\mbox{GenTron} and \textsf{VIDM}", "GenTron and VIDM"),
        (r"\textup{a} \textmd{b} \textnormal{c}", "a b c"),
        (r"The \TeX{} and \LaTeX\ books", "The TeX and LaTeX books"),
        (r"\XeLaTeX, \LuaLaTeX, \pdfTeX, \eTeX", "XeLaTeX, LuaLaTeX, pdfTeX, ε-TeX"),
        # beebe/tugboat.bib:4533, as above
        (r"{{\tt\bs relax} and watch the numbers}", r"\relax and watch the numbers"),
    ],
)
def test_text_commands_keep_their_argument_and_logos_their_spacing(raw, shown):
    assert text.latex_to_text(raw) == shown


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("Wübben Lučić", "Wubben Lucic"),
        ("Kılıç", "Kilic"),
        ("Łukasz Żbikowski", "Lukasz Zbikowski"),
        ("Đặng Đức", "Dang Duc"),
        ("Ærø Cæsar", "Aero Caesar"),
        ("Høgsbro Ø", "Hogsbro O"),
        ("Fuß", "Fuss"),
        ("plain ASCII", "plain ASCII"),
        ("北京", "BeiJing"),
    ],
)
def test_ascii_fold_transliterates_letters_without_accents(value, folded):
    assert text.ascii_fold(value) == folded


def test_authors_split_on_top_level_and_only():
    raw = r"M{\"u}ller, J{\"o}rg and {Barnes and Noble} and Bo Chen"
    assert text.authors(raw) == ["Jörg Müller", "Barnes and Noble", "Bo Chen"]
    assert text.authors("") == []


def test_name_parts():
    assert text.name_parts("Kingma, Diederik P.") == ("Diederik P.", "Kingma")
    assert text.name_parts("Aäron van den Oord") == ("Aäron van den", "Oord")
    assert text.name_parts("{OpenAI}") == ("", "OpenAI")


def test_normalize_title_ignores_case_latex_braces_and_punctuation():
    a = text.normalize_title(r"{ViViT}: {A} Video Vision Transformer")
    b = text.normalize_title("Vivit - a video vision transformer.")
    assert a == b == "vivit a video vision transformer"


def test_mojibake_detected_and_repaired():
    assert text.looks_like_mojibake("Patch n‚ÄôPack")
    assert text.fix_mojibake("Patch n‚ÄôPack") == "Patch n’Pack"
    assert not text.looks_like_mojibake("Patch n’Pack, Wübben, ω")
    assert text.fix_mojibake("plain") == "plain"
