"""The `qms` console script: start reading the workbooks, then load the rest of qms and run it."""

from __future__ import annotations

import sys


def main() -> None:
    from qms_cli.read import prefetch  # the spreadsheet parser and the standard library only

    prefetch.start(sys.argv[1:])
    from qms_cli.cli import main as run

    run()
