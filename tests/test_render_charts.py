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
    assert "Tỷ lệ (%)" in svg and ">Tháng, năm 2019 (T1 … T12: tháng 1 … tháng 12)<" in svg
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


def _month_ticks(svg: str) -> list[str]:
    return re.findall(r'class="tick" text-anchor="middle">([^<]+)<', svg)


def test_month_ticks_are_t1_to_t12_in_vietnamese_and_month_names_in_english() -> None:
    points = [(f"2019-{m:02d}", 95, 100) for m in range(1, 13)]
    vi, en = charts.trend_svg(chart(points), "T", "vi"), charts.trend_svg(chart(points), "T", "en")
    assert _month_ticks(vi) == [f"T{m}" for m in range(1, 13)]
    assert _month_ticks(en) == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert ">Month, 2019 (Jan … Dec)<" in en
    # A period across two years (the decree's cut-off: 15/12/2018-14/06/2019) names both years.
    across = charts.trend_svg(chart([("2018-12", 95, 100), ("2019-01", 96, 100)]), "T", "vi")
    assert _month_ticks(across) == ["T12", "T1"] and "Tháng, năm 2018 – 2019" in across


def _limit_points(svg: str) -> list[list[tuple[float, float]]]:
    """Each limit path's corners: (x, y) of every M/L point and the x its H goes to (same y)."""
    out = []
    for d in re.findall(r'<path d="([^"]*)" class="limit"/>', svg):
        corners: list[tuple[float, float]] = []
        for op, a, b in re.findall(r"([MLH])([\d.]+)(?:,([\d.]+))?", d):
            y = float(b) if op != "H" else corners[-1][1]
            corners.append((float(a), y))
        out.append(corners)
    return out


def test_control_limits_stay_inside_the_plot_and_do_not_squash_the_axis() -> None:
    # Worked by hand: values 97 %, 99 %, 98,5 %, target and centre 98 %: a span of 2 points, so the
    # limits within 2 points of it (95-101 %) widen the axis: 96 %, 99 %, 100 %, 96,5 %, 99,5 %.
    # February had 3 dossiers: its lower limit, 50 %, lies beyond and must neither widen the axis nor
    # be drawn. The axis: 96-100 %, less 5 % of its span, is 95,8-100 %; ticks every point (0,84 points
    # a step rounded up to 1), from 96 %, one step below it to 95 %, and 100 % at the top.
    points = [
        {"month": "2019-01", "value": 0.97, "numerator": 97, "denominator": 100, "lcl": 0.96, "ucl": 0.99},
        {"month": "2019-02", "value": 0.99, "numerator": 3, "denominator": 3, "lcl": 0.50, "ucl": 1.0},
        {"month": "2019-03", "value": 0.985, "numerator": 197, "denominator": 200, "lcl": 0.965, "ucl": 0.995},
    ]
    svg = charts.trend_svg({"points": points, "centre": 0.98, "target": 0.98, "op": ">="}, "T", "vi")
    ticks = re.findall(r'class="tick" text-anchor="end">([^<]+)<', svg)
    assert ticks == ["95 %", "96 %", "97 %", "98 %", "99 %", "100 %"]
    top, bottom = charts.PAD_T, charts.H - charts.PAD_B
    left, right = charts.PAD_L, charts.W - charts.PAD_R
    paths = _limit_points(svg)
    for corners in paths:
        for x, y in corners:
            assert left - 0.05 <= x <= right + 0.05 and top - 0.05 <= y <= bottom + 0.05, (x, y)
    drawn = sorted({round(y, 1) for corners in paths for _, y in corners})
    expected = sorted({round(charts._y(v, 0.95, 1.0), 1) for v in (0.96, 0.965, 0.99, 0.995, 1.0)})
    assert drawn == expected  # February's 50 % is not among them
    assert drawn[0] == pytest.approx(top, abs=0.05)  # its 100 % on the top edge


def test_the_centre_label_moves_off_a_target_label_close_to_it() -> None:
    # Centre 15,47 % and target 15,30 % on an axis of a few points lie a few px apart: their labels at the
    # right end would overprint; the centre's is moved a line's height (12 px) above the target's.
    made = {**chart([("2019-01", 137, 1000), ("2019-02", 180, 1000), ("2019-03", 147, 1000)]), "target": 0.153}
    svg = charts.trend_svg(made, "T", "vi")
    lines = [float(y) for y in re.findall(r'y1="([\d.]+)" y2="[\d.]+" class="(?:centre|target)"', svg)]
    assert len(lines) == 2 and abs(lines[0] - lines[1]) < charts.LABEL_GAP  # the lines themselves are close
    labels = dict((t, float(y)) for y, t in re.findall(r'<text x="[\d.]+" y="([\d.]+)" class="label">([^<]+)<', svg))
    centre = next(y for t, y in labels.items() if t.startswith("p̄"))
    target = next(y for t, y in labels.items() if t.startswith("Mục tiêu"))
    assert abs(centre - target) >= charts.LABEL_GAP - 0.05


def test_the_funnel_s_volume_axis_starts_at_half_the_smallest_unit() -> None:
    # Units of 141, 317 and 521 dossiers: the axis runs from 70,5 (half of 141) over at least one decade
    # (521 × 1,3 = 677,3 is less than 705), log scale over 474 px from x = 62: the smallest unit sits at
    # 62 + 474 × log(2) = 204,7, not crowded at the right of an axis from 1; ticks at 100, 200 and 500.
    units = [
        {"unit": f"u{k}", "name": f"UBND phường Mẫu {k}", "n": n, "value": v, "outside998": False}
        for k, (n, v) in enumerate([(141, 0.9645), (317, 0.9716), (521, 0.9846)], start=1)
    ]
    svg = charts.funnel_svg({"units": units, "centre": 0.98, "target": 0.98}, "F", "vi")
    xs = sorted(float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg))
    assert xs[0] == pytest.approx(62 + 474 * math.log10(2), abs=0.15)
    assert _month_ticks(svg) == ["100", "200", "500"]
    for d in re.findall(r'<path d="([^"]*)" class="limit(?:95|998)"/>', svg):  # curves inside the plot
        for y in re.findall(r"[ML][\d.]+,([\d.]+)", d):
            assert charts.PAD_T - 0.05 <= float(y) <= charts.H - charts.PAD_B + 0.05
