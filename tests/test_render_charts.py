"""Charts readable on paper: round ticks, axis titles, a labelled target, every unit of the funnel
named, and exact binomial funnel limits (checked against values worked out by hand)."""

from __future__ import annotations

import math
import re

import pytest

from qms_cli.render import charts
from qms_cli.stats import binomial_limits, binomial_quantile


def test_the_issue_s_example_exact_lower_limit() -> None:
    # Binomial(20, 0.98): P(X <= 16) = 0.00064 < 0.001 <= P(X <= 17) = 0.0071, so the 99.8 % lower limit is
    # 17/20 = 0.850; the normal approximation, 0.98 - 3.09 * sqrt(0.98 * 0.02 / 20) = 0.883, is too high.
    assert binomial_limits(20, 0.98, 0.998)[0] == pytest.approx(0.85)
    assert 0.98 - 3.090232 * math.sqrt(0.98 * 0.02 / 20) == pytest.approx(0.883, abs=0.0005)


def test_binomial_quantiles_from_the_textbook_table() -> None:
    # Binomial(20, 0.5): P(X <= 5) = 0.0207, P(X <= 6) = 0.0577, P(X <= 13) = 0.9423, P(X <= 14) = 0.9793.
    assert binomial_quantile(20, 0.5, 0.025) == 6
    assert binomial_quantile(20, 0.5, 0.975) == 14
    assert binomial_limits(20, 0.5, 0.95) == (0.30, 0.70)
    # Binomial(10, 0.9): P(X <= 6) = 0.0128, P(X <= 7) = 0.0702, so the 2.5 % quantile is 7.
    assert binomial_quantile(10, 0.9, 0.025) == 7
    assert binomial_quantile(10, 1.0, 0.001) == 10 and binomial_quantile(10, 0.0, 0.999) == 0


def test_large_volumes_stay_exact_and_near_the_normal_limits() -> None:
    lo, hi = binomial_limits(100_000, 0.98, 0.998)
    half = 3.090232 * math.sqrt(0.98 * 0.02 / 100_000)
    assert lo == pytest.approx(0.98 - half, abs=2e-4) and hi == pytest.approx(0.98 + half, abs=2e-4)


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        # Span 3,64 points over at most 5 steps: 0,73 each, rounded up to 1 point: whole percents, not 96,34 / 97,25.
        (0.9634, 0.9998, [0.97, 0.98, 0.99]),
        # Span 12,64 points: 2,53 each, just over 2,5, so 5 points.
        (0.0236, 0.15, [0.05, 0.10, 0.15]),
        # Span 70 points: 14 each, rounded up to 20.
        (0.2, 0.9, [0.2, 0.4, 0.6, 0.8]),
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    ],
)
def test_round_ticks(lo: float, hi: float, expected: list[float]) -> None:
    assert charts.nice_ticks(lo, hi) == pytest.approx(expected)


def chart(points: list[tuple[str, int, int]]) -> dict:
    from qms_cli.evaluate.review import laney

    made = laney([{"month": m, "numerator": a, "denominator": b, "value": a / b} for m, a, b in points])
    return {**made, "target": 0.98, "op": ">="}


def test_trend_chart_has_axis_titles_a_labelled_target_and_round_ticks() -> None:
    svg = charts.trend_svg(chart([("2019-01", 451, 459), ("2019-02", 331, 337), ("2019-03", 439, 445)]), "T", "vi")
    assert "Tỷ lệ (%)" in svg and ">Tháng<" in svg
    assert "Mục tiêu ≥ 98,00 %" in svg
    ticks = re.findall(r'class="tick" text-anchor="end">([^<]+)<', svg)
    assert ticks and all(re.fullmatch(r"\d+(,\d)?0? %", t) or re.fullmatch(r"\d+ %", t) for t in ticks), ticks


def test_every_unit_of_the_funnel_is_named() -> None:
    units = [
        {"unit": f"u{k}", "name": f"UBND phường Mẫu {k}", "n": n, "value": v, "outside998": False}
        for k, (n, v) in enumerate([(20, 0.85), (400, 0.99), (60, 0.95)], start=1)
    ]
    svg = charts.funnel_svg({"units": units, "centre": 0.98, "target": 0.98}, "F", "vi")
    for u in units:
        assert u["name"] in svg
    assert "Số hồ sơ (thang log)" in svg
