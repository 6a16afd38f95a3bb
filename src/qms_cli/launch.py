"""The `qms` console script: start reading the workbooks, then load the rest of qms and run it."""

from __future__ import annotations

import gc
import os
import sys


def _no_transparent_huge_pages() -> None:
    """Ask Linux not to back this process's memory with 2 MiB pages (prctl PR_SET_THP_DISABLE).

    qms makes and frees many arrays of a few MiB each; numpy and Arrow ask for huge pages for such
    arrays, and every fresh one is then zeroed 2 MiB at a time. On the project's machine that cost
    0.4-0.9 s of kernel time in a million-row run; with 4 KiB pages, only the pages touched are.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(41, 1, 0, 0, 0)  # 41: PR_SET_THP_DISABLE
    except (OSError, AttributeError):  # not glibc, or a kernel without it: nothing changes
        pass


def main() -> None:
    """The `qms` console script: start parsing the named books, then load and run the CLI."""
    _no_transparent_huge_pages()
    # qms does no linear algebra: numpy's OpenBLAS need not start a thread per core that spins at
    # start-up on the cores the spreadsheet parser needs. (Only this process; a user's own setting wins.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Importing pandas, pyarrow, pydantic and typer creates some hundred thousand objects that live as
    # long as the process: the cyclic garbage collector would walk them again and again (a quarter of
    # a second on this project's machine). It is off while they load; then they are frozen out of
    # its reach, and it runs again at its usual pace over what the run itself creates (a slower pace
    # measured no faster, and would let cycles that hold large arrays live longer).
    gc.disable()
    from qms_cli.read import prefetch  # the spreadsheet parser and the standard library only

    prefetch.start(sys.argv[1:])
    from qms_cli.errors import UsageError

    try:
        from qms_cli.cli import main as run
    except UsageError as exc:  # a district's vocabulary.yaml that does not validate: said, not a traceback
        print(f"qms: {exc}", file=sys.stderr)
        sys.exit(2)

    gc.freeze()
    gc.enable()
    run()
