"""What every report shows beside the scorecard: the units each objective is scored on, the changes
of the registry, the QĐ 766 index beside objectives 1, 3 and 5, and digitisation.

Each function returns plain text (lines, or headers and rows of cells) from the evaluation's JSON
shape, so that the terminal, HTML, Markdown, XLSX and Word reports show the same words.
"""

from __future__ import annotations

from typing import Any

from qms_cli.index766 import NAMES
from qms_cli.messages import date_words, number, percent, period_words

WORDS: dict[str, tuple[str, str]] = {
    "scored_on": ("Đơn vị tính điểm", "Unit scored"),
    "objective": ("MT", "Obj."),
    "receiving_unit": ("đơn vị tiếp nhận", "the receiving unit"),
    "resolving_agency": ("cơ quan giải quyết", "the resolving agency"),
    "since": (
        "hồ sơ tiếp nhận từ {date}; trước đó: đơn vị tiếp nhận",
        "dossiers received from {date}; before: the receiving unit",
    ),
    "change": (
        "Thay đổi đơn vị ngày {date}: {ended} đơn vị kết thúc, {began} đơn vị mới; số liệu trước và sau ngày này"
        " thuộc các đơn vị khác nhau, không cộng dồn.",
        "Units changed on {date}: {ended} unit(s) ended, {began} began; figures before and after this day"
        " belong to different units and are not added up.",
    ),
    "formed": ("{name} gồm: {links}", "{name} formed from: {links}"),
    "whole": ("toàn bộ", "whole"),
    "partial": ("một phần", "part"),
    "comparable": ("so sánh được với tổng các đơn vị cũ", "comparable with the old units' sum"),
    "not_comparable": ("không so sánh được với số liệu cũ", "not comparable with earlier figures"),
    "index_title": (
        "Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg) bên cạnh các mục tiêu",
        "The QĐ 766 index of service to citizens and businesses beside the objectives",
    ),
    "unit": ("Đơn vị", "Unit"),
    "index_period": ("Kỳ của chỉ số", "Index period"),
    "total": ("Tổng điểm", "Total"),
    "of_max": ("{score}/{max}", "{score}/{max}"),
    "stated_total": ("{total} (tổng thành phần {parts})", "{total} (components add up to {parts})"),
    "digitisation_title": ("Số hóa hồ sơ, kết quả giải quyết", "Digitisation of dossiers and results"),
    "all": ("Cộng", "Total"),
}


def word(key: str, lang: str, **fields: Any) -> str:
    """A sentence of this module in `lang`."""
    text = WORDS[key][lang == "en"]
    return text.format(**fields) if fields else text


def scored_on_line(result: Any, lang: str) -> str | None:
    """Which unit each objective is scored on, objectives with the same basis together."""
    try:
        scored = result["scored_on"]
    except KeyError:  # an evaluation kept by an older qms
        return None
    if not scored:
        return None
    groups: dict[str, list[str]] = {}
    for number_, basis in scored.items():
        text = word(basis["basis"], lang)
        if basis.get("since"):
            text += " (" + word("since", lang, date=date_words(str(basis["since"]), lang)) + ")"
        groups.setdefault(text, []).append(str(number_))
    parts = [f"{word('objective', lang)} {', '.join(numbers)}: {text}" for text, numbers in groups.items()]
    return f"{word('scored_on', lang)}: " + "; ".join(parts)


def _link(link: dict[str, Any], lang: str) -> str:
    return f"{link['name']} ({word(link['part'], lang)})"


def unit_change_lines(result: Any, lang: str) -> list[str]:
    """Per change of the registry in the period: what ended and began, and each new unit's crosswalk."""
    lines = []
    for change in result["unit_changes"]:
        day = date_words(str(change["date"]), lang)
        lines.append(word("change", lang, date=day, ended=len(change["ended"]), began=len(change["began"])))
        for began in change["began"]:
            if not began["formed_from"]:
                continue
            links = ", ".join(_link(link, lang) for link in began["formed_from"])
            verdict = word("comparable" if began["comparable"] else "not_comparable", lang)
            lines.append(word("formed", lang, name=began["name"], links=links) + f" — {verdict}")
    return lines


def _unit_values(result: Any, objective: int, slug: str, lang: str) -> str:
    """The unit's values of an objective's indicators, as shown in the scorecard."""
    values = []
    for ind in result["indicators"]:
        if ind["objective"] != objective:
            continue
        entry = next((u for u in ind["units"] if u["unit"] == slug), None)
        if entry is not None and entry["value"] is not None:
            values.append(percent(entry["value"], lang, signed=ind["kind"] == "received_growth"))
    return " · ".join(values) or "–"


def _score(value: float | None, maximum: float, lang: str) -> str:
    if value is None:
        return "–"
    return word("of_max", lang, score=number(value, lang), max=number(maximum, lang, 0))


def index_table(result: Any, lang: str, compact: bool = False) -> tuple[list[str], list[list[str]]]:
    """The index beside the objectives: per unit, the period of its scores, each objective's value
    beside the component it stands by, the other components and the total. Empty without an index.

    `compact` (a terminal): an objective's value and its component share one cell ("98,00 % · 19,50/20"),
    and the other components are left to the wider reports.
    """
    index = result["service_index"]
    if not index["units"]:
        return [], []
    components = {
        c["id"]: {**c, "name": NAMES.get(c["id"], (c["name"],) * 2)[lang == "en"]} for c in index["components"]
    }
    beside = sorted((int(k), v) for k, v in index["beside"].items())
    others = [] if compact else [c for c in components if c not in dict(beside).values()]
    headers = [word("unit", lang), word("index_period", lang)]
    for objective, component in beside:
        name = f"{word('objective', lang)} {objective}"
        headers += (
            [f"{name} · 766: {components[component]['name']}"]
            if compact
            else [name, f"766: {components[component]['name']}"]
        )
    headers += [f"766: {components[c]['name']}" for c in others] + [f"766: {word('total', lang)}"]
    rows = []
    for row in index["units"]:
        cells = [row["name"], period_words(_period(row["period"]), lang)]
        for objective, component in beside:
            pair = [
                _unit_values(result, objective, row["unit"], lang),
                _score(row["scores"][component], components[component]["max"], lang),
            ]
            cells += [" · ".join(pair)] if compact else pair
        cells += [_score(row["scores"][c], components[c]["max"], lang) for c in others]
        cells.append(_total(row, lang))
        rows.append(cells)
    return headers, rows


def _period(period: Any) -> dict[str, str]:
    return {"label": str(period["label"]), "start": str(period["start"]), "end": str(period["end"])}


def _total(row: dict[str, Any], lang: str) -> str:
    total, parts = row["total"], row["total_of_components"]
    if total is None:
        return _score(parts, 100, lang)
    if parts is not None and abs(total - parts) > 0.01:
        return word("stated_total", lang, total=_score(total, 100, lang), parts=number(parts, lang))
    return _score(total, 100, lang)


def digitisation_table(result: Any, lang: str) -> tuple[list[str], list[list[str]]]:
    """Digitised dossiers and results per unit whose books have the columns, and their sum."""
    figures = result["digitisation"]
    if not any(f["units"] for f in figures.values()):
        return [], []
    names: dict[str, str] = {}
    for figure in figures.values():
        names |= {u["unit"]: u["name"] for u in figure["units"]}
    headers = [word("unit", lang)] + [figure["title"] for figure in figures.values()]
    rows = []
    for slug, name in names.items():
        cells = [name]
        for figure in figures.values():
            entry = next((u for u in figure["units"] if u["unit"] == slug), None)
            cells.append(_share(entry, lang))
        rows.append(cells)
    rows.append([word("all", lang)] + [_share(figure["district"], lang) for figure in figures.values()])
    return headers, rows


def _share(entry: dict[str, Any] | None, lang: str) -> str:
    if entry is None:
        return "–"
    return f"{percent(entry['value'], lang)} ({entry['numerator']}/{entry['denominator']})"
