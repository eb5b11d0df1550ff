"""The library's past, from git: an older version of the file, parsed.

The only module that runs git (`merge-driver` runs `git merge-file` for its fallback and
`git config` through `git_output`). `text_at` reads `git show REF:./FILE`;
`ref_before` finds the last commit before a date; `parse_text` turns any library text into
a `storage.Library` without touching the file system. Git failures become one-line
`SoralitError`s naming the ref or the folder.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from soralit import cache, fileio, storage
from soralit.errors import SoralitError, UsageProblem

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def git_output(
    args: list[str], cwd: Path, *, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run `git ARGS` in CWD; a missing git or (with CHECK) a failure is a SoralitError."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise SoralitError("git is not installed (or not on PATH)") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SoralitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done


def repository_of(path: Path) -> Path:
    """The folder of PATH, checked to be inside a git work tree."""
    folder = path.resolve().parent
    done = git_output(["rev-parse", "--is-inside-work-tree"], folder, check=False)
    if done.returncode != 0 or done.stdout.strip() != b"true":
        raise UsageProblem(f"{folder} is not in a git repository")
    return folder


def resolve(folder: Path, ref: str) -> str:
    """REF as a commit hash; UsageProblem if git does not know it."""
    if ref.startswith("-"):
        raise UsageProblem(f"not a git ref: {ref!r}")
    done = git_output(
        ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], folder, check=False
    )
    if done.returncode != 0:
        raise UsageProblem(f"git knows no commit {ref!r}")
    return done.stdout.decode().strip()


def ref_before(folder: Path, date: str) -> str | None:
    """The last commit of HEAD before DATE (YYYY-MM-DD, midnight); None if none."""
    done = git_output(
        ["rev-list", "-1", f"--before={date}T00:00:00", "HEAD", "--"], folder, check=False
    )
    found = done.stdout.decode().strip()
    return found or None


def since(path: Path, when: str) -> tuple[str | None, str]:
    """(commit or None, description) for `--since WHEN`: a date or any git ref."""
    folder = repository_of(path)
    if DATE.match(when):
        import datetime

        try:
            datetime.date.fromisoformat(when)
        except ValueError:
            raise UsageProblem(f"invalid date {when!r}: use YYYY-MM-DD, or a git ref") from None
        commit = ref_before(folder, when)
        return commit, when
    return resolve(folder, when), when


def text_at(path: Path, commit: str | None) -> str:
    """The library file's text at COMMIT ('' where it did not exist yet)."""
    if commit is None:
        return ""
    folder = path.resolve().parent
    done = git_output(["show", f"{commit}:./{path.name}"], folder, check=False)
    if done.returncode != 0:
        exists = git_output(["cat-file", "-e", f"{commit}:./{path.name}"], folder, check=False)
        if exists.returncode != 0:
            return ""
        raise SoralitError(f"git show {commit}:{path.name}: {done.stderr.decode().strip()}")
    return fileio.decode(path, done.stdout)


def parse_text(path: Path, text: str) -> storage.Library:
    """TEXT read as the library PATH (errors name PATH); nothing is read from disk."""
    from soralit import parser

    sections = parser.parse(path, text)
    sections["length"], sections["newlines"] = len(text), text.count("\n")  # as `storage`
    return storage.library_from_sections(path, text, sections, cache.digest(text.encode()))


def blocks(library: storage.Library) -> list[tuple[str, int, int]]:
    """(key, start, end) of every entry, and of the taxonomy block as `@taxonomy`."""
    names = library.entries.citation_keys()
    found = [(key, *span) for key, span in zip(names, library.spans, strict=True)]
    if library.taxonomy_span is not None:
        found.append(("@taxonomy", *library.taxonomy_span))
    return found
