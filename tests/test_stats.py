"""qms_cli.stats: the Wilson interval against published values, and when a figure is conclusive."""

from __future__ import annotations

from qms_cli.stats import conclusive, wilson


def test_wilson_against_newcombe_1998() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 -> 0.2553 to 0.3662; 0/10 -> 0 to 0.2775.
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    low, high = wilson(0, 10)
    assert (round(low, 4), round(high, 4)) == (0.0, 0.2775)
    assert wilson(0, 0) is None
    assert conclusive((0.95, 0.97), ">=", 0.98) and not conclusive((0.95, 0.99), ">=", 0.98)
    assert conclusive((0.01, 0.09), "<=", 0.10) and not conclusive((0.05, 0.12), "<=", 0.10)
