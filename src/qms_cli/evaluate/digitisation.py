"""Digitisation (số hóa hồ sơ, số hóa kết quả), counted where the books have the columns.

Not an objective of Decision 784: shown beside the objectives, and counted by the same kinds as an
indicator would be (`received_share` with `match: {digitised_dossier: true}`, `returned_share` with
`match: {digitised_result: true}`), so that a later decision can make either an objective by adding
that indicator to its objectives file.
"""

from __future__ import annotations

from typing import Any

from qms_cli.config import Indicator, Rules, Target
from qms_cli.evaluate.kinds import Inputs, received_share, returned_share
from qms_cli.periods import Period

_FIGURES = {
    "dossiers": (
        received_share,
        "digitised_dossier",
        ("Hồ sơ tiếp nhận được số hóa", "Dossiers received that were digitised"),
    ),
    "results": (
        returned_share,
        "digitised_result",
        ("Kết quả giải quyết được số hóa", "Results returned that were digitised"),
    ),
}


def _figure(num: int, den: int) -> dict[str, Any]:
    return {"numerator": num, "denominator": den, "value": num / den if den else None}


def digitisation(inputs: Inputs, rules: Rules, period: Period, names: dict[str, str], lang: str) -> dict[str, Any]:
    """Per figure, the district's and each unit's share; only units whose books have the column."""
    out: dict[str, Any] = {}
    for key, (kind, field, titles) in _FIGURES.items():
        ind = Indicator(
            id=f"digitised_{key}",
            objective=0,
            kind="received_share" if kind is received_share else "returned_share",
            title=titles[0],
            title_en=titles[1],
            target=Target(op=">=", value=0.0),
            match={field: True},  # type: ignore[dict-item]
        )
        counts = kind(inputs.records, ind, period, rules, None)
        usable = counts.usable if counts.usable is not None else counts.denominator > 0
        units = [u for u in names if bool(usable.get(u, False))]
        rows = [
            {"unit": u, "name": names[u], **_figure(int(counts.numerator.get(u, 0)), int(counts.denominator.get(u, 0)))}
            for u in units
        ]
        total = _figure(sum(r["numerator"] for r in rows), sum(r["denominator"] for r in rows))
        out[key] = {"title": titles[lang == "en"], "district": total if rows else None, "units": rows}
    return out
