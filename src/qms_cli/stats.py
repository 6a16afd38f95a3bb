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


def binomial_quantile(n: int, p: float, q: float) -> int:
    """The smallest x with P(X <= x) >= q for X ~ Binomial(n, p): exact, from the log pmf.

    Only the window of +-12 standard deviations (and 5 more) around the mean is summed: the mass
    outside it is below 1e-30, so the quantile is exact for every q used here (0.001 to 0.999).
    """
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    sd = math.sqrt(n * p * (1 - p))
    lo = max(0, math.floor(n * p - 12 * sd - 5))
    hi = min(n, math.ceil(n * p + 12 * sd + 5))
    log_p, log_q, log_n = math.log(p), math.log1p(-p), math.lgamma(n + 1)
    total = 0.0
    for x in range(lo, hi + 1):
        total += math.exp(log_n - math.lgamma(x + 1) - math.lgamma(n - x + 1) + x * log_p + (n - x) * log_q)
        if total >= q - 1e-12:
            return x
    return hi


def binomial_limits(n: int, p: float, coverage: float) -> tuple[float, float]:
    """Exact binomial control limits of a rate for a unit of `n` cases around the rate `p`: the
    (1 - coverage)/2 and (1 + coverage)/2 quantiles of Binomial(n, p), divided by n (funnel plots).

    At p = 0.98 and n = 20 the 99.8 % lower limit is 17/20 = 0.850, where the normal approximation
    gives 0.883 and would flag a ward of 20 dossiers with 17 on time that is within chance.
    """
    if n <= 0:
        return 0.0, 1.0
    tail = (1 - coverage) / 2
    return binomial_quantile(n, p, tail) / n, binomial_quantile(n, p, 1 - tail) / n
