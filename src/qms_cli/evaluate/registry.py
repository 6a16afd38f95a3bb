"""The registry of a period: which units existed, what changed inside it, and names people can tell apart.

Units change (spec/units.md): the ten wards of Bình Tân became five on 01/07/2025. A period that
crosses a change lists the old units and the new ones side by side, never summed into each other;
`unit_changes` says what changed, when, and whether an old unit went wholly or partly into a new one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from qms_cli.config import Objectives, Unit
from qms_cli.messages import text
from qms_cli.periods import Period


def _day(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def display_names(spec: Objectives, period: Period, lang: str = "vi") -> dict[str, str]:
    """Each unit's display name; two units of the period that wear one name are told apart by their
    validity ("UBND phường An Lạc (đến 30/06/2025)", "UBND phường An Lạc (từ 01/07/2025)")."""
    units = spec.units_between(period.start, period.end)
    names = {u.slug: u.name for u in spec.units}
    worn = [u.name for u in units]
    for unit in units:
        if worn.count(unit.name) > 1:
            names[unit.slug] = f"{unit.name} ({_validity(unit, lang)})"
    return names


def _validity(unit: Unit, lang: str) -> str:
    parts = []
    if unit.valid_from:
        parts.append(text("valid_since", lang, day=_day(unit.valid_from)))
    if unit.valid_to:
        parts.append(text("valid_until", lang, day=_day(unit.valid_to)))
    return ", ".join(parts)


def _change_days(spec: Objectives, period: Period) -> list[date]:
    """The days of the period (its first day included) on which a unit began, or the day after one ended."""
    days = {u.valid_from for u in spec.units if u.valid_from}
    days |= {u.valid_to + timedelta(days=1) for u in spec.units if u.valid_to and u.valid_to < date.max}
    return sorted(d for d in days if period.start <= d <= period.end)


def _link(spec: Objectives, link: Any, names: dict[str, str]) -> dict[str, Any]:
    if link.unit is not None:
        return {"unit": link.unit, "name": names.get(link.unit, spec.unit(link.unit).name), "part": link.part}
    return {"unit": None, "name": link.name, "part": link.part}


def unit_changes(spec: Objectives, period: Period, lang: str = "vi") -> list[dict[str, Any]]:
    """The changes of the registry that bear on the period: per day, the units that ended the day before,
    the units that began, and each new unit's crosswalk (`comparable`: formed wholly of whole registry
    units, so that the old units' figures add up to a like-for-like figure; otherwise they do not)."""
    names = display_names(spec, Period(period.label, period.start - timedelta(days=1), period.end), lang)
    out = []
    for day in _change_days(spec, period):
        ended = [u for u in spec.units if u.valid_to and u.valid_to + timedelta(days=1) == day]
        began = [u for u in spec.units if u.valid_from == day]
        out.append(
            {
                "date": day.isoformat(),
                "ended": [{"unit": u.slug, "name": names[u.slug]} for u in ended],
                "began": [
                    {
                        "unit": u.slug,
                        "name": names[u.slug],
                        "formed_from": [_link(spec, link, names) for link in u.formed_from],
                        "comparable": bool(u.formed_from)
                        and all(link.part == "whole" and link.unit for link in u.formed_from),
                    }
                    for u in began
                ],
            }
        )
    return out
