"""`soralit github`: the files it writes, their validity (SchemaStore's schemas, actionlint),
and that no issue text can reach a shell as code: the workflows' scripts are run here in
bash with a hostile issue (a title and body full of `$(...)`, backticks and quotes)."""

from __future__ import annotations

import json
import re
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

import needs
from soralit import __version__, ghactions
from soralit.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "github"
FORM = ".github/ISSUE_TEMPLATE/add-paper.yml"
ADD = ".github/workflows/add-paper.yml"
CHECK = ".github/workflows/paper-list.yml"
HOSTILE_TITLE = (
    """[Paper] $(touch "$CANARY") `touch "$CANARY"` ' " \\ ${{ 1 }} ; touch "$CANARY" #"""
)
HOSTILE_BODY = (
    '### arXiv ID or DOI\n\n2402.17177 $(touch "$CANARY")\n\n'
    '### Category\n\nModeling`touch "$CANARY"`\n\n'
    "### Code (optional)\n\nhttps://github.com/x/y'; touch \"$CANARY\"; echo '\n"
)


def schema(name: str) -> Draft7Validator:
    return Draft7Validator(json.loads((FIXTURES / "schemas" / name).read_text()))


def run(runner, library: Path, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--library", str(library), "github", *args])
    assert result.exit_code == code, result.output
    return result


def test_writes_three_files_then_is_up_to_date(runner, library: Path):
    root = library.parent
    result = run(runner, library)
    assert result.stderr == f"wrote {FORM}\nwrote {ADD}\nwrote {CHECK}\n"
    assert run(runner, library).stderr == "The issue form and workflows are up to date.\n"
    assert run(runner, library, "--check").stderr == (
        "The issue form and workflows are up to date.\n"
    )
    form = yaml.safe_load((root / FORM).read_text())
    dropdown = next(item for item in form["body"] if item["type"] == "dropdown")
    assert len(dropdown["attributes"]["options"]) == 10


def test_a_taxonomy_change_makes_the_form_stale(runner, library: Path):
    run(runner, library)
    text = library.read_text(encoding="utf-8")
    library.write_text(text.replace("- movie: Movie\n", "- movie: Film\n"), encoding="utf-8")
    result = run(runner, library, "--check", code=1)
    assert result.stderr == f"Error: out of date: {FORM}; run `soralit github`\n"
    assert run(runner, library).stderr == f"wrote {FORM}\n"
    assert '- "Film"' in (library.parent / FORM).read_text()


def test_a_file_soralit_did_not_write_is_kept_unless_forced(runner, library: Path):
    mine = library.parent / ADD
    mine.parent.mkdir(parents=True)
    mine.write_text("name: my own workflow\n")
    result = run(runner, library, code=2)
    assert result.stderr == (
        f"Error: {mine} was not written by soralit; not overwritten (--force does)\n"
    )
    assert mine.read_text() == "name: my own workflow\n"
    assert not (library.parent / FORM).exists()  # nothing written at all
    run(runner, library, "--force")
    assert mine.read_text() == ghactions.add_paper_workflow()


def test_a_library_in_a_subfolder_is_named_in_the_workflows(runner, tmp_path: Path, library: Path):
    data = tmp_path / "data"
    data.mkdir()
    moved = data / "papers.bib"
    library.rename(moved)
    run(runner, moved, "--root", str(tmp_path))
    workflow = yaml.safe_load((tmp_path / ADD).read_text())
    assert workflow["jobs"]["add-paper"]["env"]["SORALIT_LIBRARY"] == "data/papers.bib"


# --- the workflows -------------------------------------------------------------------


WORKFLOWS = {
    "add-paper": ghactions.add_paper_workflow(),
    "paper-list": ghactions.paper_list_workflow(),
    # `soralit github --sort added --new-days 30`
    "add-paper-new-days": ghactions.add_paper_workflow(sort="added", new_days=30),
    "paper-list-new-days": ghactions.paper_list_workflow(sort="added", new_days=30),
    "refresh-list": ghactions.refresh_list_workflow(sort="added", new_days=30),
}


def load_workflow(text: str) -> dict:  # type: ignore[type-arg]
    """The workflow as GitHub reads it: YAML 1.1 (PyYAML) reads the key `on` as True."""
    document = yaml.safe_load(text)
    document["on"] = document.pop(True)
    return document


def steps(text: str) -> list[dict]:  # type: ignore[type-arg]
    jobs = load_workflow(text)["jobs"]
    return [step for job in jobs.values() for step in job["steps"]]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflows_fit_the_workflow_schema(name: str):
    document = load_workflow(WORKFLOWS[name])
    assert list(schema("github-workflow.json").iter_errors(document)) == []


@pytest.mark.parametrize("name", WORKFLOWS)
def test_no_expression_stands_in_a_script(name: str):
    """`${{ }}` in a run script is pasted into the script before bash reads it: the way
    an issue title becomes a command. Every value comes through `env:` instead."""
    for step in steps(WORKFLOWS[name]):
        assert "${{" not in step.get("run", ""), step.get("name", step)


def test_workflows_install_this_version_from_its_repository():
    for text in WORKFLOWS.values():
        assert f"python -m pip install 'soralit @ git+{ghactions.HOME}@v{__version__}'" in text


@pytest.mark.actionlint
def test_actionlint_finds_nothing(tmp_path: Path):
    actionlint = needs.actionlint()
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, text in WORKFLOWS.items():
        (folder / f"{name}.yml").write_text(text)
    done = subprocess.run(
        [actionlint, "-oneline", *sorted(str(p) for p in folder.iterdir())],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "")


@pytest.mark.actionlint
def test_actionlint_would_catch_a_title_in_a_script(tmp_path: Path):
    """The lint test can fail: the same workflow with the body pasted into the script."""
    actionlint = needs.actionlint()
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    bad = WORKFLOWS["add-paper"].replace('"$ISSUE_BODY"', '"${{ github.event.issue.title }}"')
    (folder / "bad.yml").write_text(bad)
    done = subprocess.run(
        [actionlint, "-oneline", str(folder / "bad.yml")],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert '"github.event.issue.title" is potentially untrusted' in done.stdout


# --- running the scripts with a hostile issue --------------------------------------------

EXPRESSION = re.compile(r"^\$\{\{\s*([a-z_.]+)\s*\}\}$")

STUB = """#!/usr/bin/env bash
# Records how it was called, one argument a line, and for `soralit add --from-issue FILE`
# a copy of FILE; plays the real tool's part just enough for the script to go on.
{ printf '%s\\n' "$(basename "$0")" "$@"; echo --; } >> "$CALLS"
if [ "$(basename "$0")" = soralit ] && [ "$1" = add ]; then cp "$3" "$SEEN"; fi
if [ "$(basename "$0")" = git ] && [ "$1" = diff ]; then exit 1; fi  # library.bib changed
exit 0
"""


def evaluate(value: object, context: dict) -> str:  # type: ignore[type-arg]
    """An `env:` value: plain text, or a `${{ a.b.c }}` property looked up in CONTEXT."""
    text = str(value)
    match = EXPRESSION.match(text)
    if "${{" in text and not match:
        raise AssertionError(f"an env value more complex than one property: {text}")
    if not match:
        return text
    found: object = context
    for part in match[1].split("."):
        found = found[part]  # type: ignore[index]
    return str(found)


def test_a_hostile_issue_runs_nothing(tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("soralit", "gh", "git"):
        (bin_dir / tool).write_text(STUB)
        (bin_dir / tool).chmod(stat.S_IRWXU)
    canary, calls, seen = tmp_path / "pwned", tmp_path / "calls.txt", tmp_path / "seen.md"
    event = {
        "issue": {
            "number": 7,
            "title": HOSTILE_TITLE,
            "body": HOSTILE_BODY,
            "user": {"login": "contributor"},
            "labels": [{"name": "add-paper"}],
            "state": "open",
        },
        "repository": {"default_branch": "main"},
    }
    context = {"github": {"event": event, "token": "not-a-token"}}
    workflow = yaml.safe_load(WORKFLOWS["add-paper"])
    job = workflow["jobs"]["add-paper"]
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    base = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "RUNNER_TEMP": str(runner_temp),
        "CANARY": str(canary),
        "CALLS": str(calls),
        "SEEN": str(seen),
        **{k: evaluate(v, context) for k, v in job["env"].items()},
    }
    ran = 0
    for step in job["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        if step.get("if", "").startswith("failure()"):
            continue
        env = {**base, **{k: evaluate(v, context) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], env=env, cwd=tmp_path, capture_output=True,
            text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, (step["name"], done.stderr)
        ran += 1
    assert ran == 2
    assert not canary.exists()
    # soralit got the body, byte for byte (plus the newline printf adds).
    assert seen.read_text() == HOSTILE_BODY + "\n"
    recorded = calls.read_text()
    assert "soralit\nadd\n--from-issue\n" in recorded
    assert "Suggested by @contributor. Closes #7." in (runner_temp / "message.txt").read_text()
    assert "gh\npr\ncreate\n--base\nmain\n--head\nadd-paper/issue-7\n--fill\n" in recorded


def test_new_days_workflows_regenerate_with_the_options_and_daily(runner, library: Path):
    root = library.parent
    run(runner, library, "--sort", "added", "--new-days", "30")
    workflows = root / ".github" / "workflows"
    assert sorted(p.name for p in workflows.iterdir()) == [
        "add-paper.yml", "paper-list.yml", "refresh-list.yml",
    ]  # fmt: skip
    options = '--in-place "$README" --sort added --new-days 30'
    assert options in (workflows / "add-paper.yml").read_text()
    assert options in (workflows / "refresh-list.yml").read_text()
    assert "--check" not in (workflows / "paper-list.yml").read_text()  # marks expire
    assert run(runner, library, "--check", code=1).stderr.startswith("Error: out of date")
    removed = run(runner, library, "--sort", "added")
    assert "removed .github/workflows/refresh-list.yml (no --new-days)" in removed.stderr
    assert not (workflows / "refresh-list.yml").exists()
    sync = 'soralit export md --in-place "$README" --sort added --check'
    assert sync in (workflows / "paper-list.yml").read_text()


def test_an_export_that_fails_is_told_as_such(tmp_path: Path):
    """The paper was read but the README could not be regenerated (a paper pasted into
    the list by hand): the comment says so, not "could not add this paper"."""
    bin_dir, temp = tmp_path / "bin", tmp_path / "runner"
    bin_dir.mkdir()
    temp.mkdir()
    fake = (
        "#!/usr/bin/env bash\n"
        'if [ "$1" = export ]; then echo "Error: README.md: the list has 1 link(s)" >&2\n'
        "exit 1; fi\n"
        'if [ "$1" = issue ]; then cp "$5" "$COMMENT"; fi\n'
        "exit 0\n"
    )
    for tool in ("soralit", "gh"):
        (bin_dir / tool).write_text(fake)
        (bin_dir / tool).chmod(stat.S_IRWXU)
    job = yaml.safe_load(WORKFLOWS["add-paper"])["jobs"]["add-paper"]
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "RUNNER_TEMP": str(temp),
        "README": "README.md",
        "ISSUE_BODY": "### arXiv ID or DOI\n\n2402.17177",
        "NUMBER": "7",
        "COMMENT": str(tmp_path / "comment.md"),
    }
    add, tell = (next(s for s in job["steps"] if s.get("name") == n) for n in (
        "Add the paper", "Tell the contributor what went wrong"))  # fmt: skip
    failed = subprocess.run(
        ["bash", "-e", "-c", add["run"]], env=env, capture_output=True, check=False
    )
    assert failed.returncode == 1
    subprocess.run(["bash", "-e", "-c", tell["run"]], env=env, check=True)
    comment = (tmp_path / "comment.md").read_text()
    assert comment.startswith("soralit read this paper, but could not regenerate the list")
    assert "Error: README.md: the list has 1 link(s)" in comment
