"""Interval estimates for rates."""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """Return the Wilson score interval for successes/trials, or None when trials is 0."""
    if trials <= 0:
        return None
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def conclusive(interval: tuple[float, float], op: str, target: float) -> bool:
    """Return True when the whole interval lies on one side of the target."""
    low, high = interval
    if op == ">=":
        return low >= target or high < target
    return high <= target or low > target
