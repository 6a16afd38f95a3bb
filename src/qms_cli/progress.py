"""Progress of long work (reading the books, writing the reports), told to whoever asked for it.

The library never prints: it reports steps to the reporter of the current context, and there is
none unless a caller installs one (`with progress.reporting(reporter): api.evaluate(...)`). The
CLI installs a rich progress bar on stderr when stderr is a terminal, and never under --quiet, in
cron (no terminal) or when JSON goes to stdout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

READING = "reading"  # the files under the paths given
WRITING = "writing"  # the files of a report


class Reporter(Protocol):
    """What is told of a long task: its start with how many steps, each step, its end."""

    def start(self, task: str, total: int) -> None:
        """Task `task` (READING, WRITING) begins and has `total` steps."""

    def advance(self, task: str) -> None:
        """One step of `task` is done."""

    def stop(self, task: str) -> None:
        """Task `task` is over (done or failed)."""


_current: ContextVar[Reporter | None] = ContextVar("qms_progress", default=None)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Tell the progress of the work done inside the block to `reporter` (None: to nobody)."""
    token = _current.set(reporter)
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def task(name: str, total: int) -> Iterator[Callable[[], None]]:
    """A task of `total` steps: gives the function to call after each step (a no-op when nobody listens)."""
    reporter = _current.get()
    if reporter is None or total <= 0:
        yield _nothing
        return
    reporter.start(name, total)
    try:
        yield lambda: reporter.advance(name)
    finally:
        reporter.stop(name)


def _nothing() -> None:
    return None
