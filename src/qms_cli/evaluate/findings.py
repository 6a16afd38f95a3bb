"""What the report says about each shortfall, action and change, in words: the largest contributors
(units, procedures, months, late counts), the draft state of its corrective action, the change on the
previous period where it means something, and the missing submissions grouped by unit."""

from __future__ import annotations

from typing import Any

import pandas as pd

from qms_cli.evaluate.kinds import completed, effective_due
from qms_cli.evaluate.review import registry_changed
from qms_cli.messages import action_status, month_words, number, percent, points, scope_name, target_text, text, unsure

TOP = 3


def _late(inputs: Any, rules: Any, period: Any) -> pd.DataFrame:
    """The dossiers resolved late in the period (unit, procedure, month of completion)."""
    records = inputs.records
    if records.empty:
        return pd.DataFrame(columns=["unit", "procedure", "month"])
    done = completed(records, rules)
    late = (done >= pd.Timestamp(period.start)) & (done <= pd.Timestamp(period.end))
    late &= done > effective_due(records, rules)
    late &= ~records["status"].astype(object).isin(["withdrawn", "refused"])
    late = late.fillna(False).to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "unit": records.loc[late, "unit"].astype(object).to_numpy(),
            "procedure": records.loc[late, "procedure"].astype(object).fillna(NO_PROCEDURE).to_numpy(),
            "month": done[late].dt.strftime("%Y-%m").to_numpy(),
        }
    )


NO_PROCEDURE = "\0"  # a late dossier whose book names no procedure


def _top(series: pd.Series, lang: str, words: Any = str) -> str:
    counts = series.value_counts()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable").head(TOP)
    late = text("late_count", lang)
    return "; ".join(f"{words(k)} ({number(int(v), lang, 0)} {late})" for k, v in counts.items())


def _procedure(name: str, lang: str) -> str:
    return text("no_procedure", lang) if name == NO_PROCEDURE or not str(name).strip() else name


def _deficit(entry: dict[str, Any], op: str, target: float) -> float:
    """How many cases a unit is short of the target by (or over a ceiling by)."""
    if not entry["denominator"] or entry["value"] is None:
        return 0.0
    wanted = target * entry["denominator"]
    return max(0.0, wanted - entry["numerator"]) if op == ">=" else max(0.0, entry["numerator"] - wanted)


def contributors(ind: dict[str, Any], unit: str | None, late: pd.DataFrame, lang: str) -> list[str]:
    """The largest contributors to one shortfall, as lines of text."""
    out = []
    if ind["kind"] == "on_time":
        rows = late if unit is None else late.loc[late["unit"] == unit]
        if len(rows):
            out.append(f"{text('procedure', lang)}: {_top(rows['procedure'], lang, lambda p: _procedure(p, lang))}")
            out.append(f"{text('months', lang)}: {_top(rows['month'], lang, lambda m: month_words(m, lang))}")
    if unit is None and ind["units"]:
        op, target = ind["target"]["op"], ind["target"]["value"]
        ranked = sorted(ind["units"], key=lambda u: -_deficit(u, op, target))
        worst = [u for u in ranked if _deficit(u, op, target) > 0][:TOP]
        if worst:
            parts = [
                f"{u['name']} {percent(u['value'], lang)} "
                f"({number(u['numerator'], lang, 0)}/{number(u['denominator'], lang, 0)})"
                for u in worst
            ]
            out.insert(0, f"{text('unit', lang)}: " + "; ".join(parts))
    return out


def shortfalls(model: dict[str, Any], run: Any, lang: str) -> list[dict[str, Any]]:
    """Each shortfall with its indicator's title, the unit's name, how far short in points, what is
    known about it, and its corrective action (a draft says so)."""
    indicators = {i["id"]: i for i in model["indicators"]}
    names = {u["unit"]: u["name"] for i in model["indicators"] for u in i["units"]}
    actions = {(a["indicator"], a["unit"] or ""): a for a in model["report"]["actions"]}
    late = _late(run.inputs, run.rules, run.period) if run.inputs is not None else pd.DataFrame()
    out = []
    for s in model["shortfalls"]:
        ind = indicators[s["indicator"]]
        action = actions.get((s["indicator"], s["unit"] or ""))
        out.append(
            {
                "title": ind["title"],
                "objective": ind["objective"],
                "unit_name": names.get(s["unit"], "") if s["unit"] else scope_name(model, lang),
                "value": percent(s["value"], lang, signed=ind["kind"] == "received_growth"),
                "target": _target(ind, lang),
                "short_by": points(-s["gap"], lang),
                "value_number": s["value"],
                "short_points": -s["gap"] * 100,
                "unsure": unsure(ind["kind"], lang) if s["conclusive"] is False else "",
                "owner": s["owner"],
                "contributors": contributors(ind, s["unit"], late, lang) if not late.empty or not s["unit"] else [],
                "action_id": action["id"] if action else None,
                "cause": (action or {}).get("cause") or "",
                "action": (action or {}).get("action") or "",
                "due": (action or {}).get("due") or "",
                "status": action_status(action["status"], lang) if action else "",
                "draft": action is not None and action["status"] == "draft",
            }
        )
    return out


def _target(ind: dict[str, Any], lang: str) -> str:
    return target_text(ind, lang)


def changes(result: dict[str, Any], previous: dict[str, Any] | None, lang: str) -> dict[str, dict[str, Any]]:
    """Per indicator, the change of the district's value on the previous period (a fraction, shown in
    percentage points), or why it is not compared: growth on a baseline that is the previous period
    itself compares that period with itself, so it is left out."""
    out: dict[str, dict[str, Any]] = {}
    before = {i["id"]: i for i in previous["indicators"]} if previous else {}
    for ind in result["indicators"]:
        old = before.get(ind["id"])
        now = ind["district"]["value"]
        if previous is not None and registry_changed(result, previous):  # other units: never summed across
            out[ind["id"]] = {"value": None, "text": text("change_units", lang)}
        elif old is None or now is None or old["district"]["value"] is None:
            out[ind["id"]] = {"value": None, "text": "–"}
        elif ind["kind"] == "received_growth" and _self_baseline(old, previous):
            out[ind["id"]] = {"value": None, "text": text("change_na", lang)}
        else:
            change = now - old["district"]["value"]
            out[ind["id"]] = {"value": change, "text": points(change, lang, short=True)}
    return out


def _self_baseline(ind: dict[str, Any], result: dict[str, Any] | None) -> bool:
    base = (ind.get("baseline") or {}).get("period") or {}
    return result is not None and base.get("label") == result["period"]["label"]


def missing_by_unit(model: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The missing submissions grouped by unit: its name, how many months and which."""
    names = {u["unit"]: u["name"] for i in model["indicators"] for u in i["units"]}
    grouped: dict[str, list[str]] = {}
    for m in model["data_quality"]["missing_submissions"]:
        grouped.setdefault(m["unit"], []).append(m["month"])
    return [
        {
            "name": names.get(slug, slug),
            "count": len(months),
            "months": ", ".join(month_words(f"{str(m)[:4]}-{str(m)[-2:]}", lang) for m in months),
        }
        for slug, months in grouped.items()
    ]
