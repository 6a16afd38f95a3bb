"""The model of the consolidated report (Decision 784, reporting duties 1-4): the evaluation of the
period and what the management review adds to it, counted here (trends with control limits, funnel,
Pareto of late dossiers, changes on the previous period, shortfalls with their largest contributors,
corrective actions and their follow-up). qms_cli.render.report only writes it out."""

from __future__ import annotations

from datetime import date
from typing import Any

from qms_cli.evaluate import findings, review
from qms_cli.messages import action_status, method, period_words, rule_words, scope_name


def build(current: Any, previous: Any, actions: list[dict[str, Any]], extras: dict[str, Any]) -> dict[str, Any]:
    """The report model: the evaluation (schema qms.evaluation/1) plus the report's fields."""
    result = dict(current.result)
    lang = result["lang"]
    spec = current.objectives.spec
    today = date.today().isoformat()
    previous_result = previous.result if previous is not None else None
    met_now = {(i["id"], u["unit"]): u["status"] for i in result["indicators"] for u in i["units"]}
    met_now |= {(i["id"], ""): i["district"]["status"] for i in result["indicators"]}
    follow_up = [
        {**a, "status_now": met_now.get((a["indicator"], a["unit"] or ""), "no_data")}
        for a in actions
        if previous_result and a["period"] == previous_result["period"]["label"]
    ]
    result["report"] = {
        "previous_period": previous_result["period"] if previous_result else None,
        "changes": findings.changes(result, previous_result, lang),
        "trend": review.monthly(current.inputs, current.rules, current.period),
        "funnel": review.funnel(result),
        "pareto": review.pareto(current.inputs, current.rules, current.period),
        "actions": [
            {**a, "overdue": a["status"] not in ("done", "closed") and (a["due"] or "9999") < today}
            for a in actions
            if a["period"] == result["period"]["label"]
        ],
        "follow_up": follow_up,
        "units_with_data": [
            u["unit"]
            for u in result["indicators"][0]["units"]
            if any(e["denominator"] for i in result["indicators"] for e in i["units"] if e["unit"] == u["unit"])
        ],
        "methods": {
            i["id"]: method(i["kind"], lang, result["rules"]["on_time_denominator"], spec.indicators[n].match)
            for n, i in enumerate(result["indicators"])
        },
        "rules_words": [
            rule_words(k, v, lang) + (" *" if k in result["rules_overridden"] else "")
            for k, v in result["rules"].items()
        ],
        "period_words": period_words(result["period"], lang),
        **extras,
    }
    _words(result, current, lang)
    return result


def _words(result: dict[str, Any], current: Any, lang: str) -> None:
    """What the report says in words beside the figures: shortfalls with contributors and actions,
    drafts, preventive measures, names instead of slugs, missing submissions by unit."""
    report = result["report"]
    names = {u.slug: u.name for u in current.objectives.spec.units}
    for row in report["pareto"]["units"]:
        row["name"] = names.get(row["name"], row["name"])
    report["shortfall_view"] = findings.shortfalls(result, current, lang)
    report["drafts"] = any(a["status"] == "draft" for a in report["actions"])
    report["preventive"] = [i["title"] for i in result["indicators"] if i["district"]["status"] == "met"]
    report["missing_by_unit"] = findings.missing_by_unit(result, lang)
    for a in report["actions"] + report["follow_up"]:
        a["status_words"] = action_status(a["status"], lang)
        a["unit_name"] = names.get(a["unit"] or "", "") or scope_name(result, lang)
        a["title"] = next((i["title"] for i in result["indicators"] if i["id"] == a["indicator"]), a["indicator"])
