"""Inline SVG charts for the HTML report: no script, no remote resource, prints on A4."""

from __future__ import annotations

import math
from html import escape
from typing import Any

from qms_cli.render.labels import percent

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 230, 56, 16, 16, 40


def _scale(lo: float, hi: float) -> tuple[float, float]:
    if hi - lo < 0.02:
        lo, hi = lo - 0.01, hi + 0.01
    margin = (hi - lo) * 0.1
    return max(0.0, lo - margin), min(1.0, hi + margin)


def _y(v: float, lo: float, hi: float) -> float:
    return PAD_T + (1 - (v - lo) / (hi - lo)) * (H - PAD_T - PAD_B)


def _axis(lo: float, hi: float, lang: str) -> list[str]:
    parts = []
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        y = _y(v, lo, hi)
        parts.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{percent(v, lang)}</text>')
    return parts


def _open(title: str, lo: float, hi: float, lang: str) -> list[str]:
    """The start of a chart: the SVG element, its title (read out and shown on hover) and the y axis."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" class="chart">',
        f"<title>{escape(title)}</title>",
        *_axis(lo, hi, lang),
    ]


def _across(value: float, lo: float, hi: float, cls: str) -> str:
    """A horizontal line across the plot at `value` (the target, the centre)."""
    y = _y(value, lo, hi)
    return f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" class="{cls}"/>'


def _x_tick(x: float, label: str) -> str:
    return f'<text x="{x:.1f}" y="{H - PAD_B + 16}" class="tick" text-anchor="middle">{label}</text>'


def _point(x: float, y: float, radius: float, signal: bool, tip: str) -> str:
    cls = "point signal" if signal else "point"
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" class="{cls}"><title>{escape(tip)}</title></circle>'


def trend_svg(chart: dict[str, Any], title: str, lang: str) -> str:
    """A p′ control chart: monthly values, centre line, Laney limits and the target line."""
    points = chart["points"]
    values = [p["value"] for p in points if p["value"] is not None]
    if not values:
        return ""
    bounds = values + [chart["target"]] + [v for p in points for v in (p.get("lcl"), p.get("ucl")) if v is not None]
    lo, hi = _scale(min(bounds), max(bounds))
    step = (W - PAD_L - PAD_R) / max(len(points), 1)

    def x(i: int) -> float:
        return PAD_L + step * (i + 0.5)

    parts = _open(title, lo, hi, lang)
    parts.append(_across(chart["target"], lo, hi, "target"))
    if chart["centre"] is not None:
        parts.append(_across(chart["centre"], lo, hi, "centre"))
    for key in ("ucl", "lcl"):
        path = [
            f"{'M' if not i else 'L'}{x(i) - step / 2:.1f},{_y(p[key], lo, hi):.1f} H{x(i) + step / 2:.1f}"
            for i, p in enumerate(points)
            if p.get(key) is not None
        ]
        if path:
            parts.append(f'<path d="{" ".join(path)}" class="limit"/>')
    line = [
        f"{'M' if not parts_i else 'L'}{x(i):.1f},{_y(p['value'], lo, hi):.1f}"
        for parts_i, (i, p) in enumerate((i, p) for i, p in enumerate(points) if p["value"] is not None)
    ]
    parts.append(f'<path d="{" ".join(line)}" class="series"/>')
    for i, p in enumerate(points):
        label = p["month"][5:] + "/" + p["month"][2:4]
        parts.append(_x_tick(x(i), label))
        if p["value"] is None:
            continue
        tip = f"{p['month']}: {percent(p['value'], lang)} ({p['numerator']}/{p['denominator']})"
        parts.append(_point(x(i), _y(p["value"], lo, hi), 3.5, bool(p.get("signal")), tip))
    parts.append("</svg>")
    return "".join(parts)


def funnel_svg(funnel: dict[str, Any], title: str, lang: str) -> str:
    """Units' rates against their volumes (log scale) inside 95 % and 99.8 % limits around the district."""
    units, centre = funnel["units"], funnel["centre"]
    if not units or centre is None:
        return ""
    n_max = max(u["n"] for u in units) * 1.2
    values = [u["value"] for u in units] + [funnel["target"], centre]
    lowest = centre - 3.09 * math.sqrt(centre * (1 - centre) / max(min(u["n"] for u in units), 1))
    lo, hi = _scale(min(values + [lowest]), max(values))

    def x(n: float) -> float:
        return PAD_L + math.log10(max(n, 1)) / math.log10(max(n_max, 10)) * (W - PAD_L - PAD_R)

    parts = _open(title, lo, hi, lang)
    for z, cls in ((1.959964, "limit95"), (3.090232, "limit998")):
        for sign in (-1, 1):
            pts: list[str] = []
            n = 5.0
            while n <= n_max:
                v = centre + sign * z * math.sqrt(centre * (1 - centre) / n)
                pts.append(f"{'M' if not pts else 'L'}{x(n):.1f},{_y(min(max(v, lo), hi), lo, hi):.1f}")
                n *= 1.25
            parts.append(f'<path d="{" ".join(pts)}" class="{cls}"/>')
    parts.append(_across(centre, lo, hi, "centre"))
    parts.append(_across(funnel["target"], lo, hi, "target"))
    for n in (10, 100, 1000, 10000, 100000):
        if n <= n_max:
            parts.append(_x_tick(x(n), f"{n:,}"))
    for u in units:
        tip = f"{u['name']}: {percent(u['value'], lang)} (n = {u['n']})"
        parts.append(_point(x(u["n"]), _y(u["value"], lo, hi), 4, bool(u["outside998"]), tip))
    parts.append("</svg>")
    return "".join(parts)
