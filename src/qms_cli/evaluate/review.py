"""What the management review needs beyond the scorecard: monthly trends with Laney p′ limits, a
funnel of the units' on-time rates against their volumes, the Pareto of late dossiers, and the
change on the previous period."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from qms_cli.config import Rules
from qms_cli.evaluate.kinds import KINDS, Inputs, completed, effective_due, scored_records
from qms_cli.evaluate.registry import unit_changes
from qms_cli.periods import Period
from qms_cli.stats import binomial_limits

TREND_KINDS = ("on_time", "received_share", "returned_share", "satisfaction")
Z95, Z998 = 1.959964, 3.090232


def laney(points: list[dict[str, Any]]) -> dict[str, Any]:
    """Laney p′ chart: centre line p̄ and limits p̄ ± 3·σ_i·σ_z, σ_z from the moving range of z-scores."""
    usable = [p for p in points if p["denominator"] > 0]
    total_n = sum(p["denominator"] for p in usable)
    if not usable or total_n == 0:
        return {"centre": None, "sigma_z": None, "points": points}
    centre = sum(p["numerator"] for p in usable) / total_n
    spread = centre * (1 - centre)
    z = [
        (p["numerator"] / p["denominator"] - centre) / math.sqrt(spread / p["denominator"]) if spread else 0.0
        for p in usable
    ]
    moving = [abs(b - a) for a, b in zip(z, z[1:], strict=False)]
    sigma_z = (sum(moving) / len(moving) / 1.128) if moving else 1.0
    for p in points:
        if p["denominator"] > 0 and spread:
            half = 3 * math.sqrt(spread / p["denominator"]) * sigma_z
            p["lcl"], p["ucl"] = max(0.0, centre - half), min(1.0, centre + half)
            p["signal"] = not (p["lcl"] <= p["value"] <= p["ucl"])
        else:
            p["lcl"] = p["ucl"] = None
            p["signal"] = False
    return {"centre": centre, "sigma_z": sigma_z, "points": points}


def monthly(inputs: Inputs, rules: Rules, period: Period) -> dict[str, dict[str, Any]]:
    """Per rate indicator, the district's figure month by month, with Laney p′ limits."""
    out: dict[str, dict[str, Any]] = {}
    months = pd.period_range(period.start, period.end, freq="M")
    spans = [(m, max(m.start_time.date(), period.start), min(m.end_time.date(), period.end)) for m in months]
    # Each month is counted over the records that can join its figures: a date in the month, or still
    # pending at its end (the resolved_and_overdue rule). The figures are those of the whole records.
    done = completed(inputs.records, rules) if not inputs.records.empty else None
    monthly_records = _relevant(inputs.records, done, spans)
    breaks = registry_breaks(inputs.spec, period)
    for ind in inputs.spec.indicators:
        if ind.kind not in TREND_KINDS:
            continue
        points = []
        for m, start, end in spans:
            records = monthly_records[str(m)]
            scored, _ = scored_records(records, inputs.spec.objective(ind.objective).basis())
            counts = KINDS[ind.kind](scored, ind, Period(str(m), start, end), rules, inputs)
            usable = counts.usable if counts.usable is not None else pd.Series(True, index=counts.denominator.index)
            keep = [u for u in counts.denominator.index if bool(usable.get(u, False))]
            num = int(counts.numerator.reindex(keep).fillna(0).sum()) + counts.district_extra[0]
            den = int(counts.denominator.reindex(keep).fillna(0).sum()) + counts.district_extra[1]
            points.append({"month": str(m), "numerator": num, "denominator": den, "value": num / den if den else None})
        chart = _segmented(points, breaks)
        chart["target"] = ind.target.value
        chart["op"] = ind.target.op
        out[ind.id] = chart
    return out


def registry_breaks(spec: Any, period: Period) -> list[str]:
    """The months of the period (after its first) in which the registry changed: the units on either
    side differ, so a trend is broken there (spec/units.md)."""
    days = [change["date"] for change in unit_changes(spec, period)]
    first = f"{period.start.year:04d}-{period.start.month:02d}"
    return sorted({d[:7] for d in days} - {first})


def _segmented(points: list[dict[str, Any]], breaks: list[str]) -> dict[str, Any]:
    """Laney limits computed apart on each side of every break: the units before and after differ.
    Each point carries its segment's centre; `breaks` names the months where a new segment starts."""
    segments: list[list[dict[str, Any]]] = [[]]
    for point in points:
        if point["month"] in breaks and segments[-1]:
            segments.append([])
        segments[-1].append(point)
    charts = [laney(segment) for segment in segments]
    for chart in charts:
        for point in chart["points"]:
            point["centre"] = chart["centre"]
    out = dict(charts[-1]) if len(charts) == 1 else {"centre": charts[-1]["centre"], "sigma_z": charts[-1]["sigma_z"]}
    out["points"] = points
    out["breaks"] = breaks
    return out


def _relevant(
    records: pd.DataFrame, done: pd.Series | None, spans: list[tuple[Any, Any, Any]]
) -> dict[str, pd.DataFrame]:
    """Each month's records (`spans`: month, first and last day): a date in the month, or received by
    its end and still pending then. The dates are compared as numpy arrays, taken once for all months
    (NaT compares false, as in pandas)."""
    if done is None:
        return {str(m): records for m, _, _ in spans}
    dates = {c: _datetimes(records[c]) for c in ("received", "due", "result_ready", "returned")}
    finished = _datetimes(done)
    out = {}
    for month, start, end in spans:
        lo, hi = np.datetime64(pd.Timestamp(start), "s"), np.datetime64(pd.Timestamp(end), "s")
        hit = (np.isnat(finished) | (finished > hi)) & (dates["received"] <= hi)  # pending at the month's end
        for values in dates.values():
            hit |= (values >= lo) & (values <= hi)
        out[str(month)] = records.loc[hit]
    return out


def _datetimes(values: pd.Series) -> np.ndarray:
    """The dates as numpy datetime64 in their own unit (compared exactly with a scalar of another)."""
    array = values.to_numpy()
    return array if array.dtype.kind == "M" else values.to_numpy(dtype="datetime64[s]")


def funnel(result: dict[str, Any], indicator_id: str = "on_time") -> dict[str, Any]:
    """The units' rates against their volumes, with exact binomial 95 % and 99.8 % limits around the
    district's rate (stats.binomial_limits): a small ward is not flagged for what chance explains."""
    ind = next(i for i in result["indicators"] if i["id"] == indicator_id)
    centre = ind["district"]["value"]
    units = [u for u in ind["units"] if u["denominator"] > 0 and u["value"] is not None]
    out = []
    for u in units:
        n = u["denominator"]
        out.append(
            {
                "unit": u["unit"],
                "name": u["name"],
                "n": n,
                "value": u["value"],
                "limits95": list(binomial_limits(n, centre, 0.95)) if centre is not None else None,
                "limits998": list(binomial_limits(n, centre, 0.998)) if centre is not None else None,
            }
        )
    for u in out:
        lo, hi = u["limits998"] or (0.0, 1.0)
        u["outside998"] = not (lo <= u["value"] <= hi)
    return {"indicator": indicator_id, "centre": centre, "target": ind["target"]["value"], "units": out}


def pareto(inputs: Inputs, rules: Rules, period: Period, top: int = 10) -> dict[str, list[dict[str, Any]]]:
    """The procedures and units that account for most late dossiers resolved in P."""
    records = inputs.records
    if records.empty:
        return {"procedures": [], "units": []}
    done = completed(records, rules)
    late = (done >= pd.Timestamp(period.start)) & (done <= pd.Timestamp(period.end))
    late &= done > effective_due(records, rules)
    late &= ~records["status"].astype(object).isin(["withdrawn", "refused", "stopped"])
    out: dict[str, list[dict[str, Any]]] = {}
    for key, column in (("procedures", "procedure"), ("units", "unit")):
        counts = records.loc[late, column].astype(object).fillna("—").value_counts()
        counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")  # ties by name
        total = int(counts.sum())
        rows, running = [], 0
        for name, count in counts.head(top).items():
            running += int(count)
            rows.append({"name": str(name), "late": int(count), "cumulative": running / total if total else 0.0})
        out[key] = rows
    return out


def changes(result: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, float | None]:
    """Per indicator, the change of the district's value on the previous period, in percentage points.

    None throughout when the registry changed in either period (spec/units.md): the two figures are
    of different units, and their difference would sum old units into new ones silently.
    """
    if previous is None or registry_changed(result, previous):
        return {i["id"]: None for i in result["indicators"]}
    before = {i["id"]: i["district"]["value"] for i in previous["indicators"]}
    return {
        i["id"]: (i["district"]["value"] - before[i["id"]]) * 100
        if i["district"]["value"] is not None and before.get(i["id"]) is not None
        else None
        for i in result["indicators"]
    }


def registry_changed(result: Any, previous: Any) -> bool:
    """True when the units of the two periods differ: a change of the registry in either of them."""
    return bool(_changes_of(result) or _changes_of(previous))


def _changes_of(result: Any) -> list[Any]:
    try:
        return list(result["unit_changes"])
    except KeyError:  # an evaluation kept by an older qms
        return []
