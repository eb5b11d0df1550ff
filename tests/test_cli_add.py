"""`soralit add` against a real local server replaying recorded arXiv and Crossref answers."""

import subprocess
import sys

import pytest

from replay import ARXIV_PATH, CROSSREF_PATH, recorded, requests_seen
from soralit import storage
from soralit.cli import cli

HEAT_BATH = "arxiv/id_list_1605.08386.xml"
STANLEY = """@misc{stanley2016heat,
  title = {Heat-bath random walks with Markov bases},
  author = {Caprice Stanley and Tobias Windisch},
  year = {2016},
  eprint = {1605.08386},
  archivePrefix = {arXiv},
  primaryClass = {math.CO},
  url = {https://arxiv.org/abs/1605.08386},
  keywords = {modeling},
  added = {2024-06-10},
}
"""


def run(runner, library, *args, code=0):
    result = runner.invoke(cli, ["--library", str(library), *args])
    assert result.exit_code == code, result.output
    return result


def serve_arxiv(server, fixture, status=200):
    server.expect_request(ARXIV_PATH).respond_with_response(recorded(fixture, status))


def test_add_puts_one_complete_entry_at_the_end_of_its_category_and_nothing_else(
    runner, library, services
):
    serve_arxiv(services, HEAT_BATH)
    before = library.read_text(encoding="utf-8")
    result = run(runner, library, "add", "1605.08386", "--category", "modeling")
    assert result.stdout == "stanley2016heat\n"
    assert result.stderr == "Added 1, already present 0, failed 0.\n"
    # After the last Modeling entry (issue 14: merge-friendly), with the date it came.
    last = before.index("}\n", before.index("@misc{esser2024scaling,")) + 1
    expected = before[:last] + "\n\n" + STANLEY.rstrip("\n") + before[last:]
    assert library.read_text(encoding="utf-8") == expected
    listed = run(runner, library, "list", "-c", "modeling", "--format", "keys").stdout
    assert listed.split()[-1] == "stanley2016heat"
    (request,) = requests_seen(services)
    assert request.args["id_list"] == "1605.08386"
    assert request.args["max_results"] == "1"
    assert request.headers["User-Agent"].startswith("soralit/")


@pytest.mark.parametrize(
    "form",
    [
        "1605.08386",
        "1605.08386v1",
        "arXiv:1605.08386",
        "https://arxiv.org/abs/1605.08386",
        "https://arxiv.org/pdf/1605.08386v1",
        "https://arxiv.org/pdf/1605.08386v1.pdf",
    ],
)
def test_every_pasted_form_adds_the_same_paper(runner, small_library, services, form):
    serve_arxiv(services, HEAT_BATH)
    assert run(runner, small_library, "add", form).stdout == "stanley2016heat\n"
    assert storage.load(small_library).find("stanley2016heat").arxiv_id == "1605.08386"


def test_pasting_the_same_id_again_adds_nothing(runner, library, services):
    serve_arxiv(services, HEAT_BATH)
    run(runner, library, "add", "1605.08386")
    after_first = library.read_bytes()
    result = run(runner, library, "add", "arXiv:1605.08386v1")
    assert result.stdout == ""
    assert result.stderr == (
        "1605.08386v1: already in library as stanley2016heat\n"
        "Added 0, already present 1, failed 0.\n"
    )
    assert library.read_bytes() == after_first
    assert len(requests_seen(services)) == 1  # recognised before any request


def test_already_present_answers_offline(runner, library):
    before = library.read_bytes()
    result = run(runner, library, "add", "https://arxiv.org/abs/2402.17177v2")
    assert "already in library as 2024SoraReview" in result.stderr
    assert library.read_bytes() == before


def test_bad_id_is_rejected_before_any_request(runner, library, services):
    before = library.read_bytes()
    result = run(runner, library, "add", "1605.08386", "not-an-id", code=2)
    assert result.stderr == "Error: not an arXiv ID or DOI: 'not-an-id'\n"
    assert requests_seen(services) == []
    assert library.read_bytes() == before


def test_dead_server_is_one_clear_line(runner, library):
    before = library.read_bytes()
    result = run(runner, library, "add", "2101.00001", code=1)
    assert result.stderr.splitlines() == [
        "Error: 2101.00001: arXiv: cannot connect to http://127.0.0.1:9 (connection refused)",
        "Added 0, already present 0, failed 1.",
    ]
    assert library.read_bytes() == before


def test_batch_is_one_request_and_missing_ids_fail(runner, small_library, services):
    serve_arxiv(services, "arxiv/id_list_multi_0808.05394_1707.08567.xml")
    before = small_library.read_bytes()
    # The recorded answer to `0808.05394,1707.08567` holds only 1707.08567: arXiv drops
    # unknown IDs silently. 2501.99999 (well-formed, unknown) stands in for the dropped one.
    result = run(runner, small_library, "add", "2501.99999", "1707.08567", code=1)
    (request,) = requests_seen(services)
    assert request.args["id_list"] == "2501.99999,1707.08567"
    assert request.args["max_results"] == "2"
    assert "Error: 2501.99999: arXiv has no paper 2501.99999" in result.stderr
    assert result.stderr.endswith("Added 1, already present 0, failed 1.\n")
    (new_key,) = result.stdout.split()
    entry = storage.load(small_library).find(new_key)
    assert "Dirk Wübben" in entry.get("author")
    assert small_library.read_text(encoding="utf-8").startswith(before.decode())


def test_error_feed_is_a_per_id_error(runner, small_library, services):
    serve_arxiv(services, "arxiv/error_malformed_id_abc.xml", status=400)
    before = small_library.read_bytes()
    result = run(runner, small_library, "add", "2501.00001", code=1)
    assert result.stderr.startswith("Error: 2501.00001: arXiv: incorrect id format for abc")
    assert small_library.read_bytes() == before


def test_journal_ref_and_doi_from_the_legacy_feed(runner, small_library, services):
    serve_arxiv(services, "arxiv/legacy/id_list_1111.2011v2_doi_journal_ref.xml")
    key = run(runner, small_library, "add", "1111.2011v2", "--dry-run").stdout
    assert "doi = {10.1103/PhysRevB.85.115117}" in key
    assert "note = {Phys. Rev. B 85, 115117 (2012)}" in key
    assert "eprint = {1111.2011}," in key


def test_dry_run_writes_nothing(runner, small_library, services):
    serve_arxiv(services, HEAT_BATH)
    before = small_library.read_bytes()
    result = run(
        runner,
        small_library,
        "add",
        "1605.08386",
        "--dry-run",
        "-c",
        "robotics",
        "--venue",
        "arXiv 2016.05",
        "--code",
        "https://github.com/x/y",
    )
    assert result.stdout.startswith("@misc{stanley2016heat,\n")
    assert (
        "  keywords = {robotics},\n  listvenue = {arXiv 2016.05},\n  code = {https://github.com/x/y},\n"
        "  added = {2024-06-10},\n}" in result.stdout
    )
    assert small_library.read_bytes() == before


def test_key_option_and_key_collisions(runner, small_library, services):
    serve_arxiv(services, HEAT_BATH)
    assert run(runner, small_library, "add", "1605.08386", "--key", "heat").stdout == "heat\n"
    text = small_library.read_text(encoding="utf-8")
    small_library.write_text(
        text.replace("@misc{heat,", "@misc{stanley2016heat,")
        .replace("eprint = {1605.08386}", "eprint = {0000.00000}")
        .replace("Heat-bath random walks", "Other walks")
    )
    assert run(runner, small_library, "add", "1605.08386").stdout == "stanley2016heata\n"


def test_a_taken_key_is_refused_before_fetching(runner, small_library, services):
    before = small_library.read_bytes()
    result = run(runner, small_library, "add", "1605.08386", "--key", "Alpha2023Model", code=2)
    assert result.stderr == (
        f"Error: key 'Alpha2023Model' is already used in {small_library}; choose another --key\n"
    )
    assert requests_seen(services) == []
    assert small_library.read_bytes() == before


def test_unknown_category_fails_before_fetching(runner, small_library, services):
    result = run(runner, small_library, "add", "1605.08386", "-c", "robotcs", code=2)
    assert "Did you mean 'robotics'?" in result.stderr
    assert requests_seen(services) == []


def test_update_refreshes_fetched_fields_and_keeps_curated_ones(runner, small_library, services):
    serve_arxiv(services, HEAT_BATH)
    small_library.write_text(
        small_library.read_text()
        + (
            "\n@misc{walks,\n  title = {Heat-bath walks (old title)},\n  eprint = {1605.08386},\n"
            "  keywords = {robotics},\n  venue = {Old'16},\n  url = {https://example.org/walks},\n}\n"
        )
    )
    before = storage.load(small_library)
    result = run(runner, small_library, "add", "1605.08386", "--update")
    assert "refreshed 1" in result.stderr
    after = storage.load(small_library)
    walks = after.find("walks")
    assert walks.get("title") == "Heat-bath random walks with Markov bases"
    assert walks.get("author") == "Caprice Stanley and Tobias Windisch"
    assert (walks.get("keywords"), walks.get("venue")) == ("robotics", "Old'16")
    assert walks.get("url") == "https://example.org/walks"
    assert [e.raw for e in after.entries[:-1]] == [e.raw for e in before.entries[:-1]]


def test_crossref_doi_becomes_an_article(runner, small_library, services):
    services.expect_request(f"{CROSSREF_PATH}/10.1038/s42256-024-00832-8").respond_with_response(
        recorded("crossref/works_10.1038_s42256-024-00832-8_journal_article.json")
    )
    result = run(
        runner, small_library, "add", "https://doi.org/10.1038/s42256-024-00832-8", "--dry-run"
    )
    assert result.stdout.startswith("@article{")
    assert "journal = {Nature Machine Intelligence}" in result.stdout
    assert "doi = {10.1038/s42256-024-00832-8}" in result.stdout


def test_crossref_not_found(runner, small_library, services):
    services.expect_request(f"{CROSSREF_PATH}/10.48550/arxiv.2312.07559").respond_with_response(
        recorded("crossref/works_10.48550_arxiv.2312.07559_not_found_404.txt", 404)
    )
    before = small_library.read_bytes()
    result = run(runner, small_library, "add", "doi:10.48550/arxiv.2312.07559", code=1)
    assert result.stderr.startswith("Error: ")
    assert small_library.read_bytes() == before


SEARCH_FEED = "arxiv/search_testing_start20_latex_title.xml"
SEARCH_IDS = [
    "2008.01944",
    "2005.06826",
    "2306.03845",
    "1908.03707",
    "2109.07960",
    "2409.05654",
    "2104.11069",
    "2106.13414",
]


def test_concurrent_adds_lose_nothing(small_library, services):
    """Eight processes, each adding a different paper, end with all eight entries.

    The server answers every query with a recorded feed holding all eight papers; each
    process picks its own paper out of it, as it would from a real answer.
    """
    serve_arxiv(services, SEARCH_FEED)
    code = "import sys; from soralit.cli import main; sys.argv[0] = 'soralit'; main()"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, "--library", str(small_library), "add", arxiv_id],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for arxiv_id in SEARCH_IDS
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, outputs
    library = storage.load(small_library)  # parses: no failed block
    assert sorted(e.arxiv_id for e in library.entries if e.arxiv_id in SEARCH_IDS) == sorted(
        SEARCH_IDS
    )
    assert len({e.key for e in library.entries}) == len(library.entries) == 4 + 8


def test_latex_title_is_kept_and_shown_decoded(runner, small_library, services):
    serve_arxiv(services, SEARCH_FEED)
    key = run(runner, small_library, "add", "2306.03845").stdout.strip()
    entry = storage.load(small_library).find(key)
    assert entry.get("doi") == "10.1145/3597926.3598112"
    shown = run(runner, small_library, "list", "--search", "WebView", "--format", "tsv").stdout
    assert "Test: WebView-Oriented Testing for Android Applications" in shown


@pytest.mark.parametrize("where", ["file", "stdin"])
def test_an_issue_text_that_is_not_utf8_is_one_line(runner, small_library, tmp_path, where):
    body = b"\xff\xfe### arXiv ID or DOI\n\n2402.17177\n"
    before = small_library.read_bytes()
    if where == "file":
        issue = tmp_path / "issue.md"
        issue.write_bytes(body)
        result = runner.invoke(
            cli, ["--library", str(small_library), "add", "--from-issue", str(issue)]
        )
        name = str(issue)
    else:
        args = ["--library", str(small_library), "add", "--from-issue", "-"]
        result = runner.invoke(cli, args, input=body)
        name = "<stdin>"
    assert result.exit_code == 2
    assert result.stderr == f"Error: {name}: not UTF-8 text (byte 0); nothing added\n"
    assert small_library.read_bytes() == before
