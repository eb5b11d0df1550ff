"""How an operation reports progress: a factory of `advance(done)` callbacks.

Operations never draw; the command passes `output.progress` (a bar on a terminal), the
Python API nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Protocol

Advance = Callable[[int], None]


class Progress(Protocol):
    """`with progress(total, label="Fetching") as advance: advance(done)`."""

    def __call__(self, total: int, *, label: str) -> contextlib.AbstractContextManager[Advance]: ...


@contextlib.contextmanager
def no_progress(total: int, *, label: str) -> Iterator[Advance]:
    """Progress that shows nothing."""
    yield lambda _done: None
