"""Counting, one function per indicator kind: each returns numerator and denominator per unit.

All counting is vectorised over the records frame; a kind never loops over rows.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from qms_cli.config import Indicator, Rules
from qms_cli.periods import Period, parse_period
from qms_cli.text import tokens
from qms_cli.vocabulary import VOCABULARY, level_value

# The column of the records that tells whether a unit's book had the input a match field needs.
PREREQUISITE = {
    "channel_in": "has_channel_in",
    "online_level": "has_channel_in",
    "channel_out": "has_channel_out",
    "supplement_requested": "has_supplement",
    "digitised_dossier": "has_digitised_dossier",
    "digitised_result": "has_digitised_result",
}


@dataclass
class Inputs:
    """What the readers found: dossier records, the other kinds' tables, and the objectives."""

    records: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    spec: Any

    def table(self, kind: str) -> pd.DataFrame:
        """The table of the other kind `kind` (empty when no such file was read)."""
        return self.tables.get(kind, pd.DataFrame())


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
    district_extra: tuple[int, int] = (0, 0)  # inputs that name no unit of the registry: district only
    unit_values: pd.Series | None = None  # when a unit's value is not numerator / denominator
    district_value: float | None = None  # when the district value is not numerator / denominator
    details: dict[str, Any] = field(default_factory=dict)  # extra fields for the JSON of the indicator


def _in(dates: pd.Series, period: Period) -> pd.Series:
    return (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))


# The bins of the units' categories, kept while their Categorical lives: every indicator counts over the
# same units of a year (5 M rows: a 40 MiB array made again by each of some 360 counts otherwise).
# Keyed by the id of the Categorical, the entry leaves with it; the records are not changed once read.
_BINS: dict[int, tuple[weakref.ref[Any], np.ndarray, np.ndarray]] = {}
_BINS_KEPT = 4


def _unit_bins(units: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Bin of each record (0: no unit, k: the unit of category k-1) and which categories have records."""
    categorical = units.array
    key = id(categorical)
    kept = _BINS.get(key)
    if kept is not None and kept[0]() is categorical:
        return kept[1], kept[2]
    bins = units.cat.codes.to_numpy().astype(np.intp) + 1
    present = np.bincount(bins, minlength=len(units.cat.categories) + 1)[1:] > 0
    while len(_BINS) >= _BINS_KEPT:
        _BINS.pop(next(iter(_BINS)))
    _BINS[key] = (weakref.ref(categorical), bins, present)
    weakref.finalize(categorical, _BINS.pop, key, None)  # the 40 MiB leave with the units
    return bins, present


def _count(mask: pd.Series, units: pd.Series) -> pd.Series:
    """True values of `mask` per unit, for every unit that has records (index: unit slug)."""
    if isinstance(units.dtype, pd.CategoricalDtype):  # the reader's units: bincounts over the codes
        bins, present = _unit_bins(units)
        size = len(present) + 1
        values = mask.to_numpy() if mask.dtype == bool else mask.to_numpy(dtype=bool, na_value=False)
        if np.count_nonzero(values) * 4 < len(values):  # few true: count only their bins
            hits = np.bincount(bins[values], minlength=size)[1:]
        else:
            hits = np.bincount(bins * values, minlength=size)[1:]
        return pd.Series(hits[present], index=units.cat.categories[present].astype(str), dtype="int64")
    counted = mask.groupby(units, observed=True).sum().astype("int64")
    counted.index = counted.index.astype(str)
    return counted


# Biểu 06a columns (read.summary) for each dossier figure: (numerator columns, denominator columns).
RECEIVED = ["received_period"]  # (4)+(5), or "Trong kỳ" of a real system's summary (read.summary)
SUMMARY_ON_TIME = {
    "resolved": (["early", "on_time"], ["resolved_total"]),
    "resolved_and_overdue": (["early", "on_time"], ["resolved_total", "pending_overdue"]),
    "received": (["early", "on_time"], RECEIVED),
}
SUMMARY_MATCH = {
    ("supplement_requested", True): "supplement",
    ("online_level", 4): "online_l4",
    ("online_level", 3): "online_l3",
    ("channel_in", "postal"): "postal_in",
    ("channel_out", "postal"): "postal_out",
}


def _summaries(data: Any, period: Period) -> pd.DataFrame:
    """The Biểu 06a rows whose reporting range lies inside the period."""
    table = data.table("summary_06a") if data is not None else pd.DataFrame()
    if table.empty:
        return table
    inside = (table["start"] >= pd.Timestamp(period.start)) & (table["end"] <= pd.Timestamp(period.end))
    return per_unit(table.loc[inside])


def per_unit(summaries: pd.DataFrame) -> pd.DataFrame:
    """Biểu 06a records with each table's field rows summed: one record per file, sheet, unit and range,
    as the scorecard counts them (NaN where none of the unit's field rows has the figure)."""
    if summaries.empty or "field" not in summaries:
        return summaries
    keys = [k for k in ("path", "sheet", "unit", "start", "end") if k in summaries]
    named = {k: summaries[k].astype(object).where(summaries[k].notna(), "") for k in ("sheet", "unit") if k in keys}
    table = summaries.drop(columns="field").assign(**named)
    grouped = table.groupby(keys, sort=False, dropna=False).sum(min_count=1).reset_index()
    for k in named:
        grouped[k] = grouped[k].replace("", None)
    return grouped[[c for c in summaries.columns if c in grouped]]


def level_rule(value: object) -> dict[str, Any] | None:
    """The named rule (vocabulary.yaml `level_rules`) whose words an indicator's `online_level` uses."""
    if not isinstance(value, str):
        return None
    words = tokens(value)
    for rule in VOCABULARY.level_rules:
        if any(tokens(w) == words for phrases in rule.levels.values() for w in phrases):
            return rule.to_json()
    return None


def _match_column(ind: Indicator) -> str | None:
    if len(ind.match) != 1:
        return None
    ((name, value),) = ind.match.items()
    if name == "online_level":
        return SUMMARY_MATCH.get((name, int(level_value(value))))
    return SUMMARY_MATCH.get((name, value))


def _with_summaries(counts: Counts, summaries: pd.DataFrame, num_cols: list[str] | None, den_cols: list[str]) -> Counts:
    """Add the figures of Biểu 06a rows; a unit whose table lacks a column has no data for it."""
    if summaries.empty:
        return counts
    if num_cols is None:  # the table cannot give this figure at all
        num = pd.Series(float("nan"), index=summaries.index)
    else:
        num = summaries[num_cols].sum(axis=1, min_count=len(num_cols))
    den = summaries[den_cols].sum(axis=1, min_count=len(den_cols))
    ok = num.notna() & den.notna()
    named = summaries["unit"].notna()
    frame = pd.DataFrame({"unit": summaries["unit"], "num": num.fillna(0), "den": den.fillna(0), "ok": ok})
    by_unit = frame.loc[named].groupby("unit").agg(num=("num", "sum"), den=("den", "sum"), ok=("ok", "any"))
    counts.numerator = counts.numerator.add(by_unit["num"].where(by_unit["ok"], 0), fill_value=0).astype("int64")
    counts.denominator = counts.denominator.add(by_unit["den"].where(by_unit["ok"], 0), fill_value=0).astype("int64")
    dossier_units = counts.usable if counts.usable is not None else pd.Series(True, index=counts.denominator.index)
    usable = dossier_units.reindex(dossier_units.index.union(by_unit.index), fill_value=False)
    usable = usable | by_unit["ok"].reindex(usable.index, fill_value=False)
    counts.usable = usable.astype(bool)
    counts.reason = counts.reason or ", ".join(c for c in (num_cols or ["?"]) + den_cols)
    district = frame.loc[~named & ok]
    counts.district_extra = (
        counts.district_extra[0] + int(district["num"].sum()),
        counts.district_extra[1] + int(district["den"].sum()),
    )
    return counts


def approved_extension(records: pd.DataFrame) -> pd.Series:
    """Dossiers whose time limit was extended with a dated approval (Mẫu 04 of TT 03/2025): a new
    appointment on or after the original one, approved on or before the original appointment."""
    if "due_new" not in records or "extension_approved" not in records:  # books read by an older qms
        return pd.Series(False, index=records.index)
    due, new, approved = records["due"], records["due_new"], records["extension_approved"]
    return (new.notna() & approved.notna() & (new >= due) & (approved <= due)).fillna(False).astype(bool)


def effective_due(records: pd.DataFrame, rules: Rules) -> pd.Series:
    """The appointment a dossier is judged against: the original one (rule extension=ignore), or the
    approved extended one (extension=accept_approved)."""
    if rules.extension != "accept_approved":
        return records["due"]
    return records["due"].where(~approved_extension(records), records["due_new"])


def scored_records(records: pd.DataFrame, basis: tuple[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The records with `unit` set to the unit an objective is scored on, and those of them whose
    resolving agency is outside the registry.

    `receiving_unit`: as read. `resolving_agency` (for dossiers received from the basis's date, if
    any): the resolving agency where the book names a registry unit, else the receiving unit. A
    dossier resolved by an agency outside the registry (a city department, an office the registry
    does not list) stays with the unit that received it and answers for it; the second frame holds
    them, so that the figure can say how many of its dossiers were resolved elsewhere.
    """
    kind, since = basis
    if kind != "resolving_agency" or "resolver" not in records:
        return records, records.iloc[0:0]
    after = records["received"] >= pd.Timestamp(since) if since else pd.Series(True, index=records.index)
    outside = records["resolver_outside"].fillna(False).astype(bool) & after
    named = records["resolver"].notna() & after
    if not named.any():  # no book names a registry unit as resolving agency: every dossier stays
        return records, records.loc[outside]
    unit = records["resolver"].astype(object).where(named, records["unit"].astype(object))
    scored = records.assign(unit=pd.Categorical(unit, categories=records["unit"].cat.categories))
    return scored, scored.loc[outside]


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
        if name not in records:  # records kept by an older qms lack today's fields: no dossier matches
            return pd.Series(False, index=records.index)
        column = records[name]
        if name == "online_level":
            mask &= (records["channel_in"] == "online") & (column == level_value(value))
        else:
            mask &= (column == value).fillna(False).astype(bool)
    return mask


def _usable(records: pd.DataFrame, base: pd.Series, match: Mapping[Any, object]) -> tuple[pd.Series | None, str | None]:
    needs = sorted({PREREQUISITE[k] for k in match if k in PREREQUISITE})
    if not needs:
        return None, None
    ok = pd.Series(True, index=records.index)
    for column in needs:
        ok &= records[column].fillna(False).astype(bool) if column in records else False
    # A unit whose books of P lack the column has no data; a unit whose books have it but that received
    # nothing in P says so (a "no dossiers" reason, not "no column").
    units = records["unit"]
    has_column = _count(ok, units) > 0
    usable = (_count(base & ok, units) > 0) | (~(_count(base, units) > 0) & has_column)
    fields = ", ".join(sorted(k for k in match if k in PREREQUISITE))
    return usable, fields


def on_time(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: object) -> Counts:
    """Dossiers completed on or before their appointment date over the denominator of the rule (objective 1)."""
    done = completed(records, rules)
    units = records["unit"]
    status = records["status"]
    excluded = status.isin(["withdrawn", "refused", "stopped"])
    due = effective_due(records, rules)
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
    extra = {"missing_due": _count(base & ~has_due, units), "stopped": _count(anchor & (status == "stopped"), units)}
    counts = Counts(_count(numerator, units), _count(denominator, units), extra=extra)
    if rules.extension == "accept_approved":
        extended = denominator & approved_extension(records)
        counts.extra["extended"] = _count(extended, units)  # judged against the approved new date
    num_cols, den_cols = SUMMARY_ON_TIME.get(rule, (None, ["resolved_total"]))
    return _with_summaries(counts, _summaries(ctx, period), num_cols, den_cols)


def received_share(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: object) -> Counts:
    """Dossiers received in the period that match the indicator over dossiers received (refused left out)."""
    base = _received_base(records, period)
    usable, reason = _usable(records, base, ind.match)
    hit = base & _match(records, ind.match)
    counts = Counts(_count(hit, records["unit"]), _count(base, records["unit"]), usable=usable, reason=reason)
    column = _match_column(ind)
    return _with_summaries(counts, _summaries(ctx, period), [column] if column else None, RECEIVED)


def returned_share(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: object) -> Counts:
    """Results returned in the period that match the indicator over results returned."""
    base = _in(records["returned"], period)
    usable, reason = _usable(records, base, ind.match)
    hit = base & _match(records, ind.match)
    counts = Counts(_count(hit, records["unit"]), _count(base, records["unit"]), usable=usable, reason=reason)
    column = _match_column(ind)
    return _with_summaries(counts, _summaries(ctx, period), [column] if column else None, ["returned_total"])


def _months_covered(records: pd.DataFrame, summaries: pd.DataFrame, period: Period) -> bool:
    """True when exports cover `period` (docs/counting.md): every calendar month lying wholly inside it
    has dossiers received in it or a summary table overlapping it; a period holding no whole month
    needs one such dossier or table. A few carry-over dossiers of one month never cover a year."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    received = records["received"]
    seen = set(received[(received >= start) & (received <= end)].dt.to_period("M").unique())
    for first, last in zip(summaries.get("start", []), summaries.get("end", []), strict=False):
        seen |= set(pd.period_range(max(first, start), min(last, end), freq="M"))
    months = pd.period_range(start, end, freq="M")
    whole = [m for m in months if m.start_time >= start and m.end_time.normalize() <= end]
    return all(m in seen for m in whole) if whole else bool(seen)


def _summary_column(summaries: pd.DataFrame, column: str | None) -> tuple[pd.Series, int]:
    """A summary column summed per named unit, and its sum over rows that name no unit (district only)."""
    if not column or summaries.empty or column not in summaries:
        return pd.Series(dtype="int64"), 0
    values = summaries[column].fillna(0)
    named = summaries["unit"].notna()
    return values[named].groupby(summaries.loc[named, "unit"]).sum().astype("int64"), int(values[~named].sum())


def received_growth(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: object) -> Counts:
    """Growth on the same period of the baseline year: from exports when they cover the baseline period,
    else objectives.yaml. The period's year is the year it ends in (H1-2019 under Decree 09 starts in 2018)."""
    units = records["unit"]
    years_back = period.end.year - (ind.baseline_year or period.end.year - 1)
    base_period = period.shifted_years(years_back)
    hit = _match(records, ind.match)
    now_base = _received_base(records, period)
    then_base = _received_base(records, base_period)
    usable, reason = _usable(records, now_base, ind.match)
    column = _match_column(ind)
    summary_now, summary_then = _summaries(ctx, period), _summaries(ctx, base_period)
    from_table, district_now = _summary_column(summary_now, column)
    now = _count(now_base & hit, units).add(from_table, fill_value=0).astype("int64")
    if usable is not None and len(from_table):  # a unit's summary gives the figure its books may lack
        index = usable.index.union(from_table.index)
        usable = usable.reindex(index, fill_value=False) | pd.Series(index.isin(from_table.index), index=index)
    source: str | None
    district_then = 0
    if _months_covered(records, summary_then if column else summary_then.iloc[0:0], base_period):
        then_table, district_then = _summary_column(summary_then, column)
        then = _count(then_base & hit, units).add(then_table, fill_value=0).astype("int64")
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
    counts.district_extra = (district_now, district_then)
    if source == "objectives.yaml" and "district" in ind.baseline.get(base_period.label, {}):
        counts.baseline = {**baseline, "district": ind.baseline[base_period.label]["district"]}
    return counts


def satisfaction(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: Any) -> Counts:
    """Satisfied ratings / valid ratings in P; desk and web pooled, or the mean of the sources' rates."""
    ratings = ctx.table("satisfaction_survey") if ctx is not None else pd.DataFrame()
    empty = pd.Series(dtype="int64")
    if ratings.empty:
        return Counts(empty, empty, usable=pd.Series(dtype=bool), reason="survey")
    ratings = ratings.loc[_in(ratings["date"], period)]
    ratings = ratings.assign(hit=ratings["count"].where(ratings["satisfied"], 0), unit=ratings["unit"].fillna(""))
    by_unit = ratings.groupby("unit")[["hit", "count"]].sum()
    named = by_unit.drop(index="", errors="ignore")
    counts = Counts(
        named["hit"].astype("int64"),
        named["count"].astype("int64"),
        district_extra=(int(by_unit["hit"].get("", 0)), int(by_unit["count"].get("", 0))),
    )
    if rules.satisfaction_pool == "mean_of_sources":
        rates = ratings.groupby(["unit", "source"])[["hit", "count"]].sum()
        rates = (rates["hit"] / rates["count"]).where(rates["count"] > 0)
        counts.unit_values = rates.groupby(level="unit").mean().drop(index="", errors="ignore")
        pooled = ratings.groupby("source")[["hit", "count"]].sum()
        district_rates = (pooled["hit"] / pooled["count"]).where(pooled["count"] > 0).dropna()
        counts.district_value = float(district_rates.mean()) if len(district_rates) else None
        counts.proportion = False
    counts.details = {"sources": sorted(str(s) for s in ratings["source"].dropna().unique())}
    return counts


def inspection_coverage(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: Any) -> Counts:
    """Distinct units of the registry inspected from 1 January to the end of P ÷ units in the registry."""
    register = ctx.table("inspection_register") if ctx is not None else pd.DataFrame()
    if register.empty:
        return Counts(
            pd.Series(dtype="int64"), pd.Series(dtype="int64"), usable=pd.Series(dtype=bool), reason="register"
        )
    # The year to date: from the first day of the reporting year that P ends in (1 January, or 15 December
    # of the year before under the cut-offs of Decree 09/2019) to the end of P.
    year_start = parse_period(str(period.end.year), rules.period_cutoff).start
    if year_start > period.end:  # a decree period ending 15-31 December belongs to the next year
        year_start = parse_period(str(period.end.year + 1), rules.period_cutoff).start
    year = Period(str(period.end.year), year_start, period.end)
    # The units of the counted range: those valid on at least one of its days (spec/units.md).
    units = [u.slug for u in ctx.spec.units_between(year.start, year.end)] if ctx is not None else []
    done = register.loc[_in(register["date"], year) & register["unit"].isin(units)]
    inspected = sorted(set(done["unit"]))
    counts = Counts(
        pd.Series(dtype="int64"),
        pd.Series(dtype="int64"),
        proportion=False,
        district_extra=(len(inspected), len(units)),
    )
    kinds = done.groupby("kind")["unit"].nunique().to_dict()
    counts.details = {
        "units_inspected": inspected,
        "inspections": int(len(done)),
        "by_kind": kinds,
        "counted_from": year.start.isoformat(),
    }
    return counts


def iso_transition(records: pd.DataFrame, ind: Indicator, period: Period, rules: Rules, ctx: Any) -> Counts:
    """Milestones done by the end of P (and by the deadline) ÷ all milestones of the transition."""
    milestones = ctx.table("transition_milestones") if ctx is not None else pd.DataFrame()
    if milestones.empty:
        return Counts(
            pd.Series(dtype="int64"), pd.Series(dtype="int64"), usable=pd.Series(dtype=bool), reason="milestones"
        )
    cutoff = pd.Timestamp(min(period.end, ind.deadline) if ind.deadline else period.end)
    done = milestones["done"].notna() & (milestones["done"] <= cutoff)
    counts = Counts(
        pd.Series(dtype="int64"),
        pd.Series(dtype="int64"),
        proportion=False,
        district_extra=(int(done.sum()), len(milestones)),
    )
    counts.details = {
        "milestones": [
            {
                "content": r.content,
                "due": None if pd.isna(r.due) else r.due.date().isoformat(),
                "done": None if pd.isna(r.done) else r.done.date().isoformat(),
                "late": bool(
                    pd.notna(r.due) and (pd.isna(r.done) or r.done > r.due) and r.due <= pd.Timestamp(period.end)
                ),
            }
            for r in milestones.itertuples(index=False)
        ]
    }
    return counts


KINDS: dict[str, Callable[..., Counts]] = {
    "satisfaction": satisfaction,
    "inspection_coverage": inspection_coverage,
    "iso_transition": iso_transition,
    "on_time": on_time,
    "received_share": received_share,
    "returned_share": returned_share,
    "received_growth": received_growth,
}
