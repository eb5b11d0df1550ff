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
    ],
)
def test_latex_to_text(raw, shown):
    assert text.latex_to_text(raw) == shown


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
