"""Issue 14's "done when", tried as a new user would in a scratch git repository: the issue
form's body becomes an entry and a regenerated README through the generated workflow's
own script; two branches that add papers to different categories merge with plain
`git merge`; `export md --sort added --new-days 30` marks the new ones.

arXiv answers are the recorded feeds (tests/fixtures/PROVENANCE.md), served locally.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from conftest import SHIPPED
from gitrepo import Repo
from libtext import parsed
from replay import ARXIV_PATH, fixture_bytes, services

__all__ = ["services"]  # a fixture, used by name

FEEDS = {
    "1605.08386": "arxiv/id_list_1605.08386.xml",
    "1707.08567": "arxiv/id_list_multi_0808.05394_1707.08567.xml",
    "astro-ph/0601001": "arxiv/id_list_astro-ph_0601001_oldstyle_journal_ref.xml",
}
TODAY = "2024-06-10"
README = "# A paper list\n\n<!-- soralit:start -->\n<!-- soralit:end -->\n"
BIN = Path(sys.executable).parent


def issue_body(identifier: str, category: str, code: str = "") -> str:
    """The body GitHub writes for the generated form (one `### Label` per field)."""
    return (
        f"### arXiv ID or DOI\n\n{identifier}\n\n### Category\n\n{category}\n\n"
        f"### Code (optional)\n\n{code or '_No response_'}\n\n"
        "### Venue (optional)\n\n_No response_"
    )


@pytest.fixture
def arxiv(services: HTTPServer) -> HTTPServer:
    def answer(request: Request) -> Response:
        feed = FEEDS[re.sub(r"v\d+$", "", request.args["id_list"])]
        return Response(fixture_bytes(feed), content_type="application/atom+xml")

    services.expect_request(ARXIV_PATH).respond_with_handler(answer)
    return services


@pytest.fixture
def repo(tmp_path: Path, arxiv: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("SORALIT_TODAY", TODAY)
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ['PATH']}")
    repo = Repo(tmp_path / "list")
    shutil.copy(SHIPPED, repo.path / "library.bib")
    repo.write("README.md", README)
    soralit(repo, "export", "md", "--in-place", "README.md")
    soralit(repo, "github")
    repo.commit("A paper list kept with soralit")
    return repo


def soralit(repo: Repo, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(BIN / "soralit"), *args], cwd=repo.path, capture_output=True, text=True, check=False
    )
    assert done.returncode == code, done.stderr
    return done


def run_add_step(repo: Repo, body: str) -> subprocess.CompletedProcess[str]:
    """The generated workflow's "Add the paper" step, run by bash as Actions runs it."""
    workflow = yaml.safe_load((repo.path / ".github/workflows/add-paper.yml").read_text())
    job = workflow["jobs"]["add-paper"]
    (step,) = [s for s in job["steps"] if s.get("name") == "Add the paper"]
    temp = repo.path.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    env = {**os.environ, **job["env"], "ISSUE_BODY": body, "RUNNER_TEMP": str(temp)}
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=repo.path, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip


def keys(repo: Repo) -> list[str]:
    return [e.key for e in parsed(repo.read("library.bib")).entries]


def test_an_issue_becomes_an_entry_and_a_regenerated_readme(repo: Repo):
    before = keys(repo)
    done = run_add_step(repo, issue_body("https://arxiv.org/abs/1605.08386v1", "Modeling"))
    assert done.returncode == 0, done.stderr
    library = parsed(repo.read("library.bib"))
    (new,) = [e for e in library.entries if e.key not in before]
    assert (new.get("eprint"), new.get("keywords"), new.get("added")) == (
        "1605.08386",
        "modeling",
        TODAY,
    )
    # At the end of the Modeling run, not at the end of the file.
    order = keys(repo)
    assert order[order.index(new.key) - 1] == "esser2024scaling"
    readme = repo.read("README.md")
    modeling = readme.split("#### Modeling\n")[1].split("####")[0]
    assert "Heat-bath random walks with Markov bases" in modeling
    # Only the entry's lines and the README's one line changed.
    diff = repo.git("diff", "--numstat")
    assert sorted(diff.split()) == sorted(
        ["1", "0", "README.md", str(new.raw.count("\n") + 2), "0", "library.bib"]
    )


def test_an_unreadable_issue_changes_nothing_and_says_why(repo: Repo):
    done = run_add_step(repo, issue_body("1605.08386", "Cooking"))
    assert done.returncode == 1
    log = (repo.path.parent / "runner-temp" / "add.log").read_text()
    assert log == "Error: issue form: field 'Category': no category 'Cooking'\n"
    assert repo.git("status", "--porcelain") == ""


def test_two_branches_adding_to_different_categories_merge_with_plain_git(repo: Repo):
    for branch, identifier, category in (
        ("add-robotics", "1707.08567", "robotics"),
        ("add-movie", "astro-ph/0601001", "movie"),
    ):
        repo.git("switch", "-q", "-c", branch, "main")
        soralit(repo, "add", identifier, "--category", category)
        soralit(repo, "export", "md", "--in-place", "README.md")
        repo.commit(f"Add {identifier}")
        repo.git("switch", "-q", "main")
    assert not (repo.path / ".gitattributes").exists()  # no merge driver: plain git
    assert repo.merge("add-robotics")
    assert repo.merge("add-movie"), repo.last.stdout + repo.last.stderr
    soralit(repo, "export", "md", "--in-place", "README.md", "--check")
    soralit(repo, "check")


def test_new_papers_are_marked(repo: Repo, monkeypatch: pytest.MonkeyPatch):
    soralit(repo, "add", "1707.08567", "--category", "robotics")
    monkeypatch.setenv("SORALIT_TODAY", "2024-07-01")  # 21 days later
    listing = soralit(repo, "export", "md", "--sort", "added", "--new-days", "30").stdout
    robotics = listing.split("#### Robotics\n")[1].splitlines()
    assert robotics[0].startswith("- (*arXiv 2017.07*) Proceedings of Workshop AEW10")
    assert robotics[0].endswith(" 🆕")
    assert sum(line.endswith("🆕") for line in listing.splitlines()) == 1


def test_from_issue_on_stdin_and_its_usage_errors(repo: Repo):
    body = issue_body("1605.08386", "Modeling, Robotics", "https://github.com/example/heat")
    done = subprocess.run(
        [str(BIN / "soralit"), "add", "--from-issue", "-", "--dry-run"], cwd=repo.path,
        input=body, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "  keywords = {modeling, robotics},\n" in done.stdout
    assert "  code = {https://github.com/example/heat},\n" in done.stdout
    both = soralit(repo, "add", "1605.08386", "--from-issue", "-", code=2)
    assert both.stderr == "Error: give the paper by --from-issue or as an ID, not both\n"
    none = soralit(repo, "add", code=2)
    assert none.stderr == "Error: no ID given: soralit add ID... (or --from-issue FILE)\n"


def test_a_hostile_issue_reaches_the_real_soralit_as_text_only(repo: Repo):
    canary = repo.path.parent / "pwned"
    body = issue_body(f"2402.17177 $(touch {canary}) `touch {canary}` \"'", "Modeling")
    done = run_add_step(repo, body)
    assert done.returncode == 1
    log = (repo.path.parent / "runner-temp" / "add.log").read_text()
    assert log.startswith("Error: issue form: field 'arXiv ID or DOI': not an arXiv ID or DOI: ")
    assert log.count("\n") == 1 and str(canary) in log  # the text, quoted, not run
    assert not canary.exists() and repo.git("status", "--porcelain") == ""
