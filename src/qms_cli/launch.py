"""The `qms` console script: start reading the workbooks, then load the rest of qms and run it."""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    # qms does no linear algebra: numpy's OpenBLAS need not start a thread per core that spins at
    # start-up on the cores the spreadsheet parser needs. (Only this process; a user's own setting wins.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Importing pandas, pyarrow, pydantic and typer creates some hundred thousand objects that live as
    # long as the process: the cyclic garbage collector would walk them again and again (a quarter of
    # a second on this project's machine). It is off while they load; then they are frozen out of
    # its reach, and it runs again, less often, over what the run itself creates.
    gc.disable()
    from qms_cli.read import prefetch  # the spreadsheet parser and the standard library only

    prefetch.start(sys.argv[1:])
    from qms_cli.cli import main as run

    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    gc.enable()
    run()
