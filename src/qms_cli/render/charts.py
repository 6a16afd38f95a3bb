"""Inline SVG charts for the HTML report: no script, no remote resource, readable on a greyscale printout.

Round ticks (steps of 1, 2, 2.5 or 5 times a power of ten), axis titles, the target line labelled at
its end, and styles that survive greyscale: the series solid with round markers, the centre dotted,
the control or funnel limits solid (99.8 %) and short-dashed (95 %), the target long-dashed, signals
as open squares. In the funnel plot every unit is numbered beside its point and named in a key.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from qms_cli.messages import MONTHS_EN, month_words, number, percent, text
from qms_cli.stats import binomial_limits

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 250, 62, 104, 14, 46
KEY_LINE = 15  # px per line of the funnel plot's key
LABEL_GAP = 12  # px between the labels at the right end of the target and centre lines
STEPS = (1.0, 2.0, 2.5, 5.0)


def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values covering [lo, hi]: at most `most`, a step of 1, 2, 2.5 or 5 times 10^k."""
    span = max(hi - lo, 1e-9)
    raw = span / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next((s * power for s in STEPS if s * power >= raw - 1e-12), 10 * power)
    first = math.floor(lo / step + 1e-9) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-6:
        if value >= lo - step * 1e-6:
            ticks.append(round(value, 10))
        value += step
    return ticks


def _bounds(values: list[float]) -> tuple[float, float, list[float]]:
    """The axis range, widened to round ticks that cover every value."""
    lo, hi = min(values), max(values)
    if hi - lo < 0.01:
        lo, hi = lo - 0.005, hi + 0.005
    lo, hi = max(0.0, lo - (hi - lo) * 0.05), min(1.0, hi + (hi - lo) * 0.05)
    ticks = nice_ticks(lo, hi)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 0.01
    lo = min(lo, ticks[0]) if ticks[0] <= lo else ticks[0] - step
    hi = max(hi, ticks[-1]) if ticks[-1] >= hi else ticks[-1] + step
    lo = max(0.0, lo)
    # Both edges are on the step's grid: label every step from edge to edge, so that no edge is unlabelled.
    count = int(round((hi - lo) / step))
    return lo, hi, [round(lo + k * step, 10) for k in range(count + 1)]


def _y(v: float, lo: float, hi: float, height: int = H) -> float:
    """The plot's y of a value; the plot is H high whatever lies below it (the funnel plot's key)."""
    return PAD_T + (1 - (v - lo) / (hi - lo)) * (H - PAD_T - PAD_B)


def _tick_label(value: float, step: float, lang: str) -> str:
    decimals = (
        0 if abs(step * 100 - round(step * 100)) < 1e-9 else (1 if abs(step * 1000 - round(step * 1000)) < 1e-6 else 2)
    )
    return f"{number(value * 100, lang, decimals)} %"


def _open(title: str, lo: float, hi: float, ticks: list[float], lang: str, height: int = H) -> list[str]:
    """The start of a chart: the SVG, its title (read out, shown on hover), the y grid, ticks and axis title."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 0.01
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" role="img" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{W}" height="{height}" fill="#fff"/>',
    ]
    for v in ticks:
        y = _y(v, lo, hi, height)
        parts.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        label = escape(_tick_label(v, step, lang))
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{label}</text>')
    mid = (PAD_T + H - PAD_B) / 2
    axis = escape(text("axis_rate", lang))
    parts.append(
        f'<text x="12" y="{mid:.1f}" class="axis-title" text-anchor="middle" transform="rotate(-90 12 {mid:.1f})">'
        f"{axis}</text>"
    )
    return parts


def _x_title(words: str, height: int = H) -> str:
    x = (PAD_L + W - PAD_R) / 2
    return f'<text x="{x:.1f}" y="{H - PAD_B + 36}" class="axis-title" text-anchor="middle">{escape(words)}</text>'


def _across(
    value: float, lo: float, hi: float, cls: str, label: str = "", height: int = H, away: float | None = None
) -> list[str]:
    """A horizontal line across the plot at `value` (the target, the centre), labelled at its right end;
    a label within a line's height of another one's (at `away`, a value) moves off it, not over it."""
    y = _y(value, lo, hi, height)
    out = [f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="{cls}"/>']
    if label:
        shown = y
        if away is not None and abs((other := _y(away, lo, hi, height)) - y) < LABEL_GAP:
            shown = other - LABEL_GAP if y <= other else other + LABEL_GAP
        out.append(f'<text x="{W - PAD_R + 4}" y="{shown + 4:.1f}" class="label">{escape(label)}</text>')
    return out


def _segments(
    points: list[dict[str, Any]], breaks: list[str], x: Any, step: float, lo: float, hi: float, lang: str
) -> list[str]:
    """Each segment's own centre line (the units differ on either side of a break), and a vertical
    line at every break labelled with the words that say so (evaluate.review.registry_breaks)."""
    out = []
    for i, p in enumerate(points):
        if p.get("centre") is not None:
            y = _y(p["centre"], lo, hi)
            left, right = x(i) - step / 2, x(i) + step / 2
            out.append(f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" class="centre"/>')
        if p["month"] in breaks:
            edge = x(i) - step / 2
            out.append(f'<line x1="{edge:.1f}" x2="{edge:.1f}" y1="{PAD_T}" y2="{H - PAD_B}" class="target"/>')
            label = text("trend_break", lang, month=month_words(p["month"], lang))
            out.append(f'<text x="{edge + 3:.1f}" y="{PAD_T + 12}" class="label">{escape(label)}</text>')
    return out


def _x_tick(x: float, label: str, height: int = H) -> str:
    return f'<text x="{x:.1f}" y="{H - PAD_B + 16}" class="tick" text-anchor="middle">{escape(label)}</text>'


def _point(x: float, y: float, radius: float, signal: bool, tip: str) -> str:
    """A round marker, or an open square for a signal (told apart without colour)."""
    if signal:
        side = radius * 2.2
        return (
            f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" height="{side:.1f}" '
            f'class="point signal"><title>{escape(tip)}</title></rect>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" class="point"><title>{escape(tip)}</title></circle>'


def _target_label(chart_target: float, op: str, lang: str) -> str:
    sign = "≥" if op == ">=" else "≤"
    return f"{text('target_line', lang)} {sign} {percent(chart_target, lang)}"


def month_tick(yyyymm: str, lang: str) -> str:
    """A month's tick on the time axis: "T3" (tháng 3) in Vietnamese, "Mar" in English."""
    month = int(yyyymm[5:7])
    return f"T{month}" if lang != "en" else MONTHS_EN[month - 1][:3]


def _month_axis_title(points: list[dict[str, Any]], lang: str) -> str:
    """The time axis's title: the year(s) of the months shown and what the ticks abbreviate."""
    years = sorted({p["month"][:4] for p in points})
    return text("axis_month_ticks", lang, years=" – ".join(dict.fromkeys([years[0], years[-1]])))


def _limit_path(points: list[dict[str, Any]], key: str, x: Any, step: float, lo: float, hi: float) -> str:
    """A control limit as a step line, month by month, inside the plot only: a month whose limit lies
    beyond the axis (a month of a few dossiers) draws nothing, and the steps resume after it."""
    path: list[str] = []
    joined = False
    for i, p in enumerate(points):
        value = p.get(key)
        if value is None or not lo - 1e-12 <= value <= hi + 1e-12:
            joined = False
            continue
        path.append(f"{'L' if joined else 'M'}{x(i) - step / 2:.1f},{_y(value, lo, hi):.1f} H{x(i) + step / 2:.1f}")
        joined = True
    return f'<path d="{" ".join(path)}" class="limit"/>' if path else ""


def trend_svg(chart: dict[str, Any], title: str, lang: str) -> str:
    """A p′ control chart: monthly values, centre line, Laney limits and the labelled target line.

    The axis covers the values, the target, the centre and the limits that lie within one span of them
    on either side; a limit further out (a month of five dossiers, 50–100 %) would squash the chart, so
    it does not widen the axis, and its step is not drawn: nothing is drawn outside the plot.
    """
    points = chart["points"]
    values = [p["value"] for p in points if p["value"] is not None]
    if not values:
        return ""
    centres = [c for c in [chart["centre"], *(p.get("centre") for p in points)] if c is not None]
    core = values + [chart["target"]] + centres
    span = max(max(core) - min(core), 0.01)
    limits = [v for p in points for v in (p.get("lcl"), p.get("ucl")) if v is not None]
    near = [v for v in limits if min(core) - span <= v <= max(core) + span]
    lo, hi, ticks = _bounds(core + near)
    step = (W - PAD_L - PAD_R) / max(len(points), 1)

    def x(i: int) -> float:
        return PAD_L + step * (i + 0.5)

    parts = _open(title, lo, hi, ticks, lang)
    parts += _across(chart["target"], lo, hi, "target", _target_label(chart["target"], chart.get("op", ">="), lang))
    if chart.get("breaks"):  # the units changed: a centre line per segment, and the break marked
        parts += _segments(points, chart["breaks"], x, step, lo, hi, lang)
    elif chart["centre"] is not None:
        label = f"p̄ {percent(chart['centre'], lang)}"
        parts += _across(chart["centre"], lo, hi, "centre", label, away=chart["target"])
    parts += [path for key in ("ucl", "lcl") if (path := _limit_path(points, key, x, step, lo, hi))]
    shown = [(i, p) for i, p in enumerate(points) if p["value"] is not None]
    line = [f"{'M' if not n else 'L'}{x(i):.1f},{_y(p['value'], lo, hi):.1f}" for n, (i, p) in enumerate(shown)]
    parts.append(f'<path d="{" ".join(line)}" class="series"/>')
    for i, p in enumerate(points):
        parts.append(_x_tick(x(i), month_tick(p["month"], lang)))
        if p["value"] is None:
            continue
        tip = f"{month_words(p['month'], lang)}: {percent(p['value'], lang)} ({p['numerator']}/{p['denominator']})"
        parts.append(_point(x(i), _y(p["value"], lo, hi), 3.5, bool(p.get("signal")), tip))
    parts.append(_x_title(_month_axis_title(points, lang)))
    parts.append("</svg>")
    return "".join(parts)


def _funnel_curves(centre: float, n_min: float, n_max: float, x: Any, lo: float, hi: float, height: int) -> list[str]:
    parts = []
    for coverage, cls in ((0.95, "limit95"), (0.998, "limit998")):
        for side in (0, 1):
            pts: list[str] = []
            joined = False
            n = max(5.0, n_min)
            while n <= n_max * 1.0001:
                v = binomial_limits(int(round(n)), centre, coverage)[side]
                if lo <= v <= hi:  # beyond the axis the curve is not drawn (not run along its edge)
                    pts.append(f"{'L' if joined else 'M'}{x(n):.1f},{_y(v, lo, hi, height):.1f}")
                joined = lo <= v <= hi
                n = max(n + 1, n * 1.04)
            parts.append(f'<path d="{" ".join(pts)}" class="{cls}"/>')
    return parts


def _key(units: list[dict[str, Any]], top: float, lang: str) -> list[str]:
    """The funnel plot's key below the plot: each unit's number, name, rate and volume, one a line."""
    out = []
    for k, u in enumerate(units):
        label = f"{k + 1}. {u['name']}: {percent(u['value'], lang)}; n = {number(u['n'], lang, 0)}"
        out.append(f'<text x="{PAD_L}" y="{top + k * KEY_LINE:.1f}" class="label">{escape(label)}</text>')
    return out


def funnel_svg(funnel: dict[str, Any], title: str, lang: str) -> str:
    """Units' rates against their volumes (log scale) inside exact binomial 95 % and 99.8 % limits
    around the district's rate; each unit numbered at its point and named in the key below."""
    units, centre = funnel["units"], funnel["centre"]
    if not units or centre is None:
        return ""
    units = sorted(units, key=lambda u: -u["n"])
    n_max = max(u["n"] for u in units) * 1.3
    # The volume axis starts at half the smallest unit (wards of 140 to 520 dossiers are not crowded
    # into the right third of an axis from 1); ticks at 1, 2 and 5 times the powers of ten within it.
    n_min = max(min(u["n"] for u in units) / 2, 1.0)
    lowest = binomial_limits(max(min(u["n"] for u in units), 5), centre, 0.998)[0]
    lo, hi, ticks = _bounds([u["value"] for u in units] + [funnel["target"], centre, lowest])
    height = H + 14 + KEY_LINE * len(units)

    def x(n: float) -> float:
        span = math.log10(max(n_max, n_min * 10)) - math.log10(n_min)
        return PAD_L + (math.log10(max(n, n_min)) - math.log10(n_min)) / span * (W - PAD_L - PAD_R)

    parts = _open(title, lo, hi, ticks, lang, height)
    parts += _funnel_curves(centre, n_min, n_max, x, lo, hi, height)
    parts += _across(centre, lo, hi, "centre", f"p̄ {percent(centre, lang)}", height, away=funnel["target"])
    parts += _across(funnel["target"], lo, hi, "target", _target_label(funnel["target"], ">=", lang), height)
    for n in (t * m for t in (1, 10, 100, 1000, 10000, 100000, 1000000) for m in (1, 2, 5)):
        if n_min <= n <= n_max:
            parts.append(_x_tick(x(n), number(n, lang, 0), height))
    for k, u in enumerate(units):
        px, py = x(u["n"]), _y(u["value"], lo, hi, height)
        tip = f"{u['name']}: {percent(u['value'], lang)} (n = {u['n']})"
        parts.append(_point(px, py, 4, bool(u["outside998"]), tip))
        parts.append(f'<text x="{px + 6:.1f}" y="{py - 5:.1f}" class="label">{k + 1}</text>')
    parts.append(_x_title(text("axis_volume", lang), height))
    parts += _key(units, H + 16, lang)
    parts.append("</svg>")
    return "".join(parts)
