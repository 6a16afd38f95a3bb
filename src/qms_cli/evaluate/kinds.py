"""Counting, one function per indicator kind: each returns numerator and denominator per unit.

All counting is vectorised over the records frame; a kind never loops over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from qms_cli.config import Indicator, Rules
from qms_cli.periods import Period

# The column of the records that tells whether a unit's book had the input a match field needs.
PREREQUISITE = {
    "channel_in": "has_channel_in",
    "online_level": "has_channel_in",
    "channel_out": "has_channel_out",
    "supplement_requested": "has_supplement",
}


@dataclass
class Counts:
    """Numerators and denominators per unit (index: unit slug), plus what the figure could not use."""

    numerator: pd.Series
    denominator: pd.Series
    extra: dict[str, pd.Series] = field(default_factory=dict)  # e.g. missing_due per unit
    usable: pd.Series | None = None  # per unit: False where the input this figure needs is absent
    reason: str | None = None  # the match fields whose column a unit's books lack
    baseline: dict[str, object] | None = None
    proportion: bool = True  # a rate of successes in trials (Wilson interval applies)
    district_value: float | None = None  # when the district value is not numerator / denominator


def _in(dates: pd.Series, period: Period) -> pd.Series:
    return (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))


def _count(mask: pd.Series, units: pd.Series) -> pd.Series:
    return mask.groupby(units, observed=True).sum().astype("int64")


def completed(records: pd.DataFrame, rules: Rules) -> pd.Series:
    """The completion date by rule: result ready (falling back to returned), or returned only."""
    if rules.completion == "returned":
        return records["returned"]
    return records["result_ready"].fillna(records["returned"])


def _received_base(records: pd.DataFrame, period: Period) -> pd.Series:
    return _in(records["received"], period) & (records["status"] != "refused")


def _match(records: pd.DataFrame, match: Mapping[Any, object]) -> pd.Series:
    mask = pd.Series(True, index=records.index)
    for name, value in match.items():
        column = records[name]
        if name == "online_level":
            mask &= (records["channel_in"] == "online") & (column == float(value))  # type: ignore[arg-type]
        else:
            mask &= (column == value).fillna(False).astype(bool)
    return mask


def _usable(records: pd.DataFrame, base: pd.Series, match: Mapping[Any, object]) -> tuple[pd.Series | None, str | None]:
    needs = sorted({PREREQUISITE[k] for k in match if k in PREREQUISITE})
    if not needs:
        return None, None
    ok = pd.Series(True, index=records.index)
    for column in needs:
        ok &= records[column].astype(bool)
    usable = (base & ok).groupby(records["unit"], observed=True).any()
    fields = ", ".join(sorted(k for k in match if k in PREREQUISITE))
    return usable, fields


def on_time(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: object) -> Counts:
    done = completed(records, rules)
    units = records["unit"]
    status = records["status"]
    excluded = status.isin(["withdrawn", "refused"])
    due = records["due"]
    end = pd.Timestamp(period.end)
    rule = rules.on_time_denominator
    if rule == "resolved":
        anchor = _in(done, period)
    elif rule == "resolved_and_overdue":
        pending_at_end = (records["received"] <= end) & (done.isna() | (done > end))
        anchor = _in(done, period) | (pending_at_end & (due < end))
    elif rule == "due":
        anchor = _in(due, period)
    else:  # received
        anchor = _in(records["received"], period)
    base = anchor & ~excluded
    has_due = due.notna()
    denominator = base & has_due
    numerator = denominator & done.notna() & (done <= due)
    if rules.withdrawn_count_as_on_time:
        withdrawn = anchor & (status == "withdrawn")
        denominator |= withdrawn
        numerator |= withdrawn
    return Counts(
        _count(numerator, units), _count(denominator, units), extra={"missing_due": _count(base & ~has_due, units)}
    )


def received_share(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: object) -> Counts:
    base = _received_base(records, period)
    usable, reason = _usable(records, base, ind.match)
    hit = base & _match(records, ind.match)
    return Counts(_count(hit, records["unit"]), _count(base, records["unit"]), usable=usable, reason=reason)


def returned_share(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: object) -> Counts:
    base = _in(records["returned"], period)
    usable, reason = _usable(records, base, ind.match)
    hit = base & _match(records, ind.match)
    return Counts(_count(hit, records["unit"]), _count(base, records["unit"]), usable=usable, reason=reason)


def received_growth(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: object) -> Counts:
    """Growth on the same period of the baseline year: from its exports when loaded, else objectives.yaml."""
    units = records["unit"]
    years_back = period.start.year - (ind.baseline_year or period.start.year - 1)
    base_period = period.shifted_years(years_back)
    hit = _match(records, ind.match)
    now_base = _received_base(records, period)
    then_base = _received_base(records, base_period)
    usable, reason = _usable(records, now_base, ind.match)
    now = _count(now_base & hit, units)
    source: str | None
    if then_base.any():
        then = _count(then_base & hit, units)
        source = "exports"
    else:
        figures = ind.baseline.get(base_period.label, {})
        then = pd.Series({u: v for u, v in figures.items() if u != "district"}, dtype="int64")
        source = "objectives.yaml" if figures else None
    baseline: dict[str, object] = {"period": base_period.to_json(), "source": source}
    if rules.l3_growth == "share_points":
        received_now = _count(now_base, units)
        received_then = _count(then_base, units)
        return Counts(
            now,
            received_now,
            usable=usable,
            reason=reason,
            proportion=False,
            baseline={**baseline, "numerator": then, "denominator": received_then},
        )
    counts = Counts(now, then, usable=usable, reason=reason, proportion=False, baseline=baseline)
    if source == "objectives.yaml" and "district" in ind.baseline.get(base_period.label, {}):
        counts.baseline = {**baseline, "district": ind.baseline[base_period.label]["district"]}
    return counts


KINDS: dict[str, Callable[..., Counts]] = {
    "on_time": on_time,
    "received_share": received_share,
    "returned_share": returned_share,
    "received_growth": received_growth,
}
