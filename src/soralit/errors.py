"""Domain errors. Plain Python: the CLI turns them into one stderr line and an exit code."""

from __future__ import annotations


class SoralitError(Exception):
    """An expected failure, shown to the user as one line; never a traceback."""

    exit_code = 1


class LibraryError(SoralitError):
    """The library file is missing, unreadable or malformed."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class SourceError(SoralitError):
    """A metadata service failed: network, HTTP status, or a malformed answer."""


class NotFound(SoralitError):
    """A key, ID or record does not exist."""


class UsageProblem(SoralitError):
    """The user asked for something impossible (bad category, bad ID...)."""

    exit_code = 2


class MissingRecord(NotFound, SourceError):
    """A service answered but has no record of the ID or DOI (both a `NotFound` and a
    `SourceError`, so per-ID results of a batch fetch are uniformly `SourceError`s)."""
