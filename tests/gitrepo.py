"""Test helpers: a scratch git repository driven with the real git binary.

`Repo(path)` runs git with a fixed identity and dates, so histories are reproducible;
`Repo.use_merge_driver()` wires `soralit merge-driver` the way the README says, with this
interpreter's soralit. Test modules import it with `from gitrepo import Repo`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

SORALIT = f"{shlex.quote(sys.executable)} -m soralit"


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test Maintainer")
        self.git("config", "user.email", "maintainer@example.org")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, check: bool = True, date: str = "2024-05-01T12:00:00") -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        env.pop("GIT_DIR", None)
        done = subprocess.run(
            ["git", *args], cwd=self.path, capture_output=True, text=True, env=env, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        self.last = done
        return done.stdout

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.write_bytes(text.encode("utf-8"))
        return path

    def read(self, name: str) -> str:
        return (self.path / name).read_bytes().decode("utf-8")

    def commit(self, message: str, *, date: str = "2024-05-01T12:00:00") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()

    def use_merge_driver(self) -> None:
        """The README's setup: the driver in git config, the attribute in .gitattributes."""
        self.git("config", "merge.soralit.name", "soralit: merge library.bib entry by entry")
        self.git("config", "merge.soralit.driver", f"{SORALIT} merge-driver %O %A %B %L %P")
        self.write(".gitattributes", "library.bib merge=soralit\n")

    def merge(self, branch: str) -> bool:
        """`git merge BRANCH`; True when it merged without conflict."""
        self.git("merge", "--no-edit", "-q", branch, check=False)
        return self.last.returncode == 0

    def conflicted(self) -> list[str]:
        return self.git("diff", "--name-only", "--diff-filter=U").split()
