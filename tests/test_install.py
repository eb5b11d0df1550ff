"""soralit is installed from where it really is: the README's Actions recipe, the generated
workflows and the pre-commit hooks all name one home (pyproject's Repository URL), and the
recipe's install line, run in a fresh venv against a local copy of this repository
(`git+file://` in place of the GitHub URL, same tag form), gives a working soralit."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from soralit import __version__, ghactions
from soralit.sources.http import USER_AGENT

README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
HOME = PYPROJECT["project"]["urls"]["Repository"]


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)


def recipe_install_line() -> str:
    """The `pip install` step of the README's Actions recipe."""
    for block in yaml_blocks(README):
        document = yaml.safe_load(block)
        if isinstance(document, dict) and "jobs" in document:
            for job in document["jobs"].values():
                for step in job["steps"]:
                    if "pip install" in step.get("run", ""):
                        return step["run"]
    raise AssertionError("the README has no Actions recipe with a pip install step")


def test_one_home_everywhere():
    assert HOME == ghactions.HOME
    assert recipe_install_line() == ghactions.install_step()
    assert f"(+{HOME})" in USER_AGENT
    hooks_comment = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert f"#   - repo: {HOME}\n#     rev: v{__version__}\n" in hooks_comment
    configs = [yaml.safe_load(b) for b in yaml_blocks(README)]
    repos = [r for c in configs if isinstance(c, dict) for r in c.get("repos", [])]
    assert repos == [
        {
            "repo": HOME,
            "rev": f"v{__version__}",
            "hooks": [{"id": "soralit-check"}, {"id": "soralit-readme"}],
        }
    ]


def test_the_recipe_does_not_name_a_package_the_index_lacks():
    line = recipe_install_line()
    assert line == f"python -m pip install 'soralit @ git+{HOME}@v{__version__}'"
    assert "pip install soralit" not in README


def test_the_hooks_run_on_the_shipped_library(tmp_path: Path):
    """Each hook's `entry`, as pre-commit runs it (no file names), in a copy of the repo."""
    for name in ("library.bib", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["soralit-check", "soralit-readme"]
    soralit = Path(sys.executable).parent / "soralit"
    for hook in hooks:
        program, *args = shlex.split(hook["entry"])
        assert program == "soralit" and hook["language"] == "python"
        done = subprocess.run(
            [str(soralit), *args], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, (hook["id"], done.stderr)
    assert (tmp_path / "README.md").read_bytes() == (ROOT / "README.md").read_bytes()


@pytest.mark.slow
def test_the_recipe_installs_a_working_soralit(tmp_path: Path):
    """The install line itself, with this repository's files as a local git repository
    tagged as a release is: the same `soralit @ git+URL@vVERSION` form pip resolves."""
    source = tmp_path / "soralit"
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["commit", "-q", "-m", "release"],
        ["tag", f"v{__version__}"],
    ):
        subprocess.run([*git, *args], cwd=source, check=True, capture_output=True)
    # `file://localhost/...`: pip 23's requirement parser wants a host in the URL.
    line = recipe_install_line().replace(HOME, f"file://localhost{source}")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    program, *args = shlex.split(line)
    assert program == "python"
    done = subprocess.run(
        [str(venv / "bin" / "python"), *args, "--quiet"], capture_output=True, text=True,
        check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    soralit = venv / "bin" / "soralit"
    version = subprocess.run(
        [str(soralit), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout == f"soralit, version {__version__}\n"
    listing = ["list", "-c", "robotics", "-f", "keys"]
    keys = subprocess.run(
        [str(soralit), "--library", str(ROOT / "library.bib"), *listing],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert len(keys.stdout.split()) == 8
