"""From records to results: indicator x (district, unit) with values, intervals, statuses, shortfalls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from qms_cli import __version__
from qms_cli.config import Indicator, LoadedObjectives, Rules
from qms_cli.data_quality import QualityLog
from qms_cli.evaluate.digitisation import digitisation
from qms_cli.evaluate.kinds import KINDS, Counts, Inputs, level_rule, scored_records
from qms_cli.evaluate.registry import display_names, unit_changes
from qms_cli.evaluate.service_index import service_index
from qms_cli.messages import reason, text
from qms_cli.periods import Period, covering_period
from qms_cli.results import Evaluation, Figure, IndicatorResult, Shortfall, Target, UnitResult
from qms_cli.stats import conclusive, wilson
from qms_cli.vocabulary import VOCABULARY

SCHEMA = "qms.evaluation/1"
ICT = timezone(timedelta(hours=7))


def default_period(inputs: Inputs, cutoff: str) -> Period | None:
    """The smallest calendar period covering the latest year's dates (earlier years are baselines).

    The dates are the received dates of dossiers and the reporting ranges of summary tables.
    """
    dates = [inputs.records["received"].dropna()]
    summaries = inputs.table("summary_06a")
    if not summaries.empty:
        dates += [summaries["start"].dropna(), summaries["end"].dropna()]
    found = pd.concat([d.astype("datetime64[s]") for d in dates], ignore_index=True)
    if found.empty:
        return None
    year = found.dt.year.max()
    latest = found[found.dt.year == year]
    first = latest.min()
    if not summaries.empty:  # a summary's range may cross the new year (1 Dec 2019 - 29 Feb 2020)
        crossing = summaries.loc[summaries["end"].dt.year == year, "start"]
        first = min(first, crossing.min()) if len(crossing) else first
    return covering_period(first.date(), latest.max().date(), cutoff)


def _figure(num: int, den: int, value: float | None, ind: Indicator, proportion: bool, **more: Any) -> dict[str, Any]:
    """The fields of one figure: counts, value, Wilson interval (of a rate), conclusive and status."""
    out: dict[str, Any] = {"numerator": int(num), "denominator": int(den), "value": value, **more}
    out |= {"ci95": None, "conclusive": None, "status": "no_data"}
    if value is None:
        return out
    if proportion:
        interval = wilson(int(num), int(den))
        assert interval is not None
        out["ci95"] = interval
        out["conclusive"] = conclusive(interval, ind.target.op, ind.target.value)
    out["status"] = "met" if ind.target.holds(value) else "not_met"
    return out


def _value(num: int, den: int, counts: Counts, base_num: int | None, base_den: int | None) -> float | None:
    if den <= 0:
        return None
    if counts.baseline is None:  # a rate: numerator over denominator
        return num / den
    if base_num is None:  # relative growth on the baseline count
        return num / den - 1
    if not base_den:  # share points: this period's share minus the baseline's
        return None
    return num / den - base_num / base_den


def _reason(counts: Counts, usable: bool, lang: str, kind: str) -> str:
    """Why a figure has no value, in the output's language."""
    if counts.reason in ("survey", "register", "milestones"):
        return reason(kind, lang)
    if not usable:
        return reason("no_column", lang, counts.reason or "?")
    if counts.baseline is not None:
        return reason("no_baseline" if counts.baseline.get("source") is None else "empty_baseline", lang)
    return reason("no_dossiers", lang)


def _finished(figure: dict[str, Any], ind: Indicator, period: Period, why: Callable[[], str]) -> dict[str, Any]:
    """The figure with why it has no value, and "in progress" for a cumulative target not yet due."""
    if figure["status"] == "no_data":
        figure["reason"] = why()
    if ind.cumulative and figure["status"] == "not_met" and ind.deadline and period.end < ind.deadline:
        figure["status"] = "in_progress"
    return figure


def _unit_rows(
    ind: Indicator, counts: Counts, units: list[str], names: dict[str, str], period: Period, lang: str
) -> tuple[list[UnitResult], dict[str, int]]:
    """One result per unit of the registry, and the sums of the units whose books have the input."""
    share_points = counts.baseline is not None and "numerator" in counts.baseline
    rows = []
    sums = {"num": 0, "den": 0, "bnum": 0, "bden": 0}
    for slug in units:
        num = int(counts.numerator.get(slug, 0))
        den = int(counts.denominator.get(slug, 0))
        bnum = int(counts.baseline["numerator"].get(slug, 0)) if share_points else None  # type: ignore[index, union-attr]
        bden = int(counts.baseline["denominator"].get(slug, 0)) if share_points else None  # type: ignore[index, union-attr]
        # A unit absent from `usable` sent nothing this figure could use: it has no data, not a missing column.
        usable = counts.usable is None or bool(counts.usable.get(slug, True))
        value = _value(num, den, counts, bnum, bden) if usable else None
        if value is not None and counts.unit_values is not None:
            value = float(counts.unit_values.get(slug, float("nan")))
            value = None if value != value else value
        extra = {key: int(series.get(slug, 0)) for key, series in counts.extra.items()}
        figure = _figure(num, den, value, ind, counts.proportion, **extra)
        why = partial(_reason, counts, usable, lang, ind.kind)
        rows.append(UnitResult(unit=slug, name=names[slug], **_finished(figure, ind, period, why)))
        if usable:  # a unit whose books lack the input counts in neither part of the district's figure
            sums["num"] += num
            sums["den"] += den
            sums["bnum"] += bnum or 0
            sums["bden"] += bden or 0
    return rows, sums


def _district(ind: Indicator, counts: Counts, sums: dict[str, int], period: Period, lang: str) -> Figure:
    """The district's figure: the usable units' sums, plus what no unit of the registry holds."""
    share_points = counts.baseline is not None and "numerator" in counts.baseline
    if counts.baseline and "district" in counts.baseline:
        sums["den"] = int(counts.baseline["district"])  # type: ignore[call-overload]
    sums["num"] += counts.district_extra[0]
    sums["den"] += counts.district_extra[1]
    usable_any = counts.usable is None or bool(counts.usable.any()) or counts.district_extra[1] > 0
    bnum, bden = (sums["bnum"], sums["bden"]) if share_points else (None, None)
    value = _value(sums["num"], sums["den"], counts, bnum, bden) if usable_any else None
    if value is not None and counts.district_value is not None:
        value = counts.district_value
    extra = {key: int(series.sum()) for key, series in counts.extra.items()}
    figure = _figure(sums["num"], sums["den"], value, ind, counts.proportion, **extra)
    return Figure(**_finished(figure, ind, period, partial(_reason, counts, usable_any, lang, ind.kind)))


def _indicator(
    ind: Indicator, inputs: Inputs, objectives: LoadedObjectives, rules: Rules, period: Period, lang: str
) -> IndicatorResult:
    spec = objectives.spec
    result: dict[str, Any] = {}
    records, left_out = scored_records(inputs.records, spec.objective(ind.objective).basis())
    counts = KINDS[ind.kind](records, ind, period, rules, inputs)
    units = [u.slug for u in spec.units_between(period.start, period.end)] if ind.scope == "units" else []
    rows, sums = _unit_rows(ind, counts, units, display_names(spec, period, lang), period, lang)
    district = _district(ind, counts, sums, period, lang)
    if counts.baseline is not None:
        baseline = {k: v for k, v in counts.baseline.items() if k not in ("numerator", "denominator")}
        if "numerator" in counts.baseline:
            baseline.update(numerator=sums["bnum"], denominator=sums["bden"])
        result["baseline"] = baseline
    result.update(counts.details)
    if len(left_out):  # resolved by an agency outside the registry: with the receiving unit, counted here
        result["resolved_elsewhere"] = int(KINDS[ind.kind](left_out, ind, period, rules, None).denominator.sum())
    if rule := level_rule(ind.match.get("online_level")):
        result["level_rule"] = rule  # "toàn trình" counted as level 4: the mapping and its start date
    return IndicatorResult(
        id=ind.id,
        objective=ind.objective,
        title=ind.title if lang == "vi" else ind.title_en,
        kind=ind.kind,
        target=Target(op=ind.target.op, value=ind.target.value),
        district=district,
        units=rows,
        **result,
    )


def _shortfalls(indicators: list[IndicatorResult], objectives: LoadedObjectives, lang: str) -> list[Shortfall]:
    spec = objectives.spec
    out = []
    for ind in indicators:
        target = ind.target
        lead = spec.objective(ind.objective).lead
        district_owner = (
            spec.unit(lead).name if lead else (spec.district.name if lang == "vi" else spec.district.name_en)
        )
        scopes: list[tuple[str | None, Figure, str]] = [(None, ind.district, district_owner)]
        scopes += [(u.unit, u, u.name) for u in ind.units]
        for unit, figure, owner in scopes:
            if figure.status != "not_met" or figure.value is None:
                continue
            gap = figure.value - target.value if target.op == ">=" else target.value - figure.value
            out.append(
                Shortfall(
                    indicator=ind.id,
                    unit=unit,
                    value=figure.value,
                    target=target.value,
                    gap=gap,
                    conclusive=figure.conclusive,
                    owner=owner,
                    action_required=text("action_required", lang),
                )
            )
    return out


def _missing_submissions(inputs: Inputs, objectives: LoadedObjectives, period: Period) -> list[dict[str, str]]:
    """Registry units and months of the period for which neither a dossier book (a dossier received
    that month) nor a summary table covering that month arrived."""
    months = pd.period_range(period.start, period.end, freq="M")
    records = inputs.records
    # Which (unit, month of the period) pairs received a dossier: one bincount over unit codes and months.
    units = records["unit"].astype("category")
    codes = units.cat.codes.to_numpy(np.int64)
    offset = records["received"].to_numpy().astype("datetime64[M]") - np.datetime64(period.start, "M")
    offset = np.where(np.isnat(offset), -1, offset.astype(np.int64))
    inside = (codes >= 0) & (offset >= 0) & (offset < len(months))
    width = len(months)
    seen = np.bincount(codes[inside] * width + offset[inside], minlength=len(units.cat.categories) * width)
    yyyymm = [m.year * 100 + m.month for m in months]
    present = {(str(units.cat.categories[i // width]), yyyymm[i % width]) for i in np.flatnonzero(seen)}
    summaries = inputs.table("summary_06a")
    for row in summaries.itertuples(index=False) if not summaries.empty else []:
        if row.unit and pd.notna(row.start):
            present |= {(row.unit, p.year * 100 + p.month) for p in pd.period_range(row.start, row.end, freq="M")}
    return [
        {"unit": u.slug, "month": str(m)}
        for u in objectives.spec.units
        for m in months
        if (u.slug, m.year * 100 + m.month) not in present
        and u.valid_between(max(m.start_time.date(), period.start), min(m.end_time.date(), period.end))
    ]


def _period_names(spec: Any, period: Period, lang: str) -> dict[str, str]:
    """The display names of the units valid in the period, in registry order."""
    names = display_names(spec, period, lang)
    return {u.slug: names[u.slug] for u in spec.units_between(period.start, period.end)}


def evaluate(
    inputs: Inputs,
    objectives: LoadedObjectives,
    rules: Rules,
    overridden: list[str],
    period: Period,
    quality: QualityLog,
    lang: str = "vi",
) -> Evaluation:
    """Return the evaluation (the `qms.evaluation/1` shape of spec/cli.md)."""
    try:
        return _evaluation(inputs, objectives, rules, overridden, period, quality, lang)
    except ValidationError as exc:  # a key the models do not declare is a defect of qms, said plainly
        raise TypeError(
            f"the evaluation does not fit qms_cli.results ({exc.error_count()} error(s), first at "
            f"{'.'.join(map(str, exc.errors()[0]['loc']))}: {exc.errors()[0]['msg']}); declare a new key there and "
            "regenerate docs/qms.evaluation-1.schema.json (python -m qms_cli.results)"
        ) from exc


def _evaluation(
    inputs: Inputs,
    objectives: LoadedObjectives,
    rules: Rules,
    overridden: list[str],
    period: Period,
    quality: QualityLog,
    lang: str,
) -> Evaluation:
    spec = objectives.spec
    indicators = [_indicator(ind, inputs, objectives, rules, period, lang) for ind in spec.indicators]
    # The parts counted elsewhere (unit changes, service index, digitisation, data quality) are still
    # their JSON objects: they are validated into their models here.
    return Evaluation.model_validate(
        {
            "schema": SCHEMA,
            "generated_at": datetime.now(ICT).replace(microsecond=0).isoformat(),
            "qms_version": __version__,
            "lang": lang,
            "period": period.to_json(),
            "objectives_file": {
                "path": str(objectives.path),
                "sha256": objectives.sha256,
                "decision": spec.decision.number,
                "scope": spec.district.name if lang == "vi" else spec.district.name_en,
            },
            "rules": rules,
            "rules_overridden": overridden,
            "level_rules": [rule.to_json() for rule in VOCABULARY.level_rules],  # vocabulary.yaml: words -> levels
            "indicators": indicators,
            "shortfalls": _shortfalls(indicators, objectives, lang),
            "scored_on": {str(o.number): o.basis_json() for o in spec.objectives},
            "unit_changes": unit_changes(spec, period, lang),
            "service_index": service_index(inputs, period, display_names(spec, period, lang), lang),
            "digitisation": digitisation(inputs, rules, period, _period_names(spec, period, lang), lang),
            "data_quality": {
                "files": [f.to_json() for f in quality.files],
                "issues": quality.issues(lang),
                "missing_submissions": _missing_submissions(inputs, objectives, period),
            },
        }
    )
