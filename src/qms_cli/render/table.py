"""The terminal scorecard: status as colour + text + symbol, so it survives greyscale and no colour."""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from qms_cli.messages import date_words, file_kind, period_words, points, rule_words, scope_name, severity, unsure
from qms_cli.render import beside
from qms_cli.render.labels import QUALITY_COLUMNS, STYLE, TEXT, number, percent, status_text, target_text

MAX_ISSUE_SAMPLES = 2
UNIT_COLUMN, VALUE_COLUMN = 24, 11  # the units table: name column, one indicator's column
WIDE = 100  # from this many columns on, the district table shows the 95 % interval
STATUS_WIDTH = 16  # "✘ Không đạt", "◔ Đang thực hiện" on one line


def _console(out: TextIO, color: bool) -> Console:
    return Console(
        file=out,
        force_terminal=color if color else None,
        no_color=not color,
        width=_width(),
        highlight=False,
        emoji=False,
        markup=False,  # text from the inputs (a cell, a sheet or file name such as "[red]") is data, never markup
        soft_wrap=False,
    )


def _width() -> int | None:
    """The terminal's width, or COLUMNS; None lets rich ask the terminal (80 when it is not one)."""
    import os

    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= 40 else None


def _status_cell(entry: dict[str, Any], lang: str) -> Text:
    return Text(status_text(entry, lang), style=STYLE[entry["status"]])


def _value_text(ind: dict[str, Any], entry: dict[str, Any], lang: str) -> str:
    return percent(entry["value"], lang, signed=ind["kind"] == "received_growth")


def _counts_text(entry: dict[str, Any], lang: str) -> str:
    text = f"{number(entry['numerator'], lang, 0)} / {number(entry['denominator'], lang, 0)}"
    if entry.get("missing_due"):
        text += f" (+{number(entry['missing_due'], lang, 0)} {TEXT[lang]['missing_due']})"
    if entry.get("stopped"):
        text += f" (+{number(entry['stopped'], lang, 0)} {TEXT[lang]['stopped']})"
    return text


def render_evaluation(result: dict[str, Any], out: TextIO, lang: str = "vi", color: bool = False) -> None:
    """Write the scorecard of an evaluation: district, units, shortfalls, data quality."""
    t = TEXT[lang]
    console = _console(out, color)
    period = result["period"]
    console.print(Text(f"{t['heading']} — {t['decision']} {result['objectives_file']['decision']}", style="bold"))
    when = f"{date_words(period['start'], lang)} – {date_words(period['end'], lang)}"
    console.print(f"{t['period']}: {period_words(period, lang)} ({when})")
    rules = "; ".join(
        rule_words(k, v, lang) + ("*" if k in result["rules_overridden"] else "") for k, v in result["rules"].items()
    )
    console.print(f"{t['rules']}: {rules}" + (f"  (* {t['overridden']})" if result["rules_overridden"] else ""))
    for rule in result.get("level_rules", []):
        console.print(f"  {rule['title']} ({t['applies_from']} {_date(rule['applies_from'], lang)})")
    if line := beside.scored_on_line(result, lang):
        console.print(line)
    for line in beside.unit_change_lines(result, lang):
        console.print(Text(line, style="bold"))

    with_ci = console.width >= WIDE  # a narrow terminal keeps the essentials; the interval is in the JSON
    headers = [t["objective"], t["indicator"], t["target"], t["value"], t["counts"]]
    headers += [t["ci"]] if with_ci else []
    table = Table(title=scope_name(result, lang), title_justify="left", show_lines=False)
    for header in [*headers, t["status"]]:
        table.add_column(
            header,
            overflow="fold",
            no_wrap=header == t["value"],
            min_width=None,
        )
    for ind in result["indicators"]:
        d = ind["district"]
        ci = d.get("ci95")
        cells: list[Text | str] = [
            str(ind["objective"]),
            ind["title"],
            target_text(ind, lang),
            _value_text(ind, d, lang),
            _counts_text(d, lang) if d["denominator"] or d["numerator"] else d.get("reason", "–"),
        ]
        if with_ci:
            cells.append(f"{percent(ci[0], lang)} – {percent(ci[1], lang)}" if ci else "–")
        table.add_row(*cells, Text(status_text(d, lang, ind["kind"]), style=STYLE[d["status"]]))
    console.print(table)
    _units_table(result, console, lang)
    _beside_tables(result, console, lang)
    _shortfalls(result, console, lang)
    names = {u["unit"]: u["name"] for i in result["indicators"] for u in i["units"]}
    render_quality(result["data_quality"], out, lang, color, console, names)


def _beside_tables(result: dict[str, Any], console: Console, lang: str) -> None:
    """The QĐ 766 index beside objectives 1, 3 and 5, and digitisation, when the inputs have them."""
    for title, (headers, rows) in (
        (beside.word("index_title", lang), beside.index_table(result, lang, compact=True)),
        (beside.word("digitisation_title", lang), beside.digitisation_table(result, lang)),
    ):
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        for header in headers:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def _rule_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _date(iso: str, lang: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}" if lang == "vi" else iso


def _units_table(result: dict[str, Any], console: Console, lang: str) -> None:
    t = TEXT[lang]
    unit_indicators = [ind for ind in result["indicators"] if ind["units"]]
    if not unit_indicators:
        return
    names = {u["unit"]: u["name"] for ind in unit_indicators for u in ind["units"]}
    with_data = [
        slug
        for slug in names
        if any(
            u["unit"] == slug and (u["denominator"] or u["numerator"]) for ind in unit_indicators for u in ind["units"]
        )
    ]
    per_table = max(1, (console.width - UNIT_COLUMN - 4) // (VALUE_COLUMN + 3))  # what fits across
    for start in range(0, len(unit_indicators), per_table):
        part = unit_indicators[start : start + per_table]
        table = Table(title=t["units"] if start == 0 else None, title_justify="left")
        table.add_column(t["unit"], overflow="fold", min_width=10, max_width=UNIT_COLUMN)
        for ind in part:
            head = f"{t['objective']} {ind['objective']}: {ind['title']}\n{target_text(ind, lang)}"
            table.add_column(head, justify="right", overflow="fold", min_width=VALUE_COLUMN)
        for slug in with_data:
            cells: list[Text | str] = [names[slug]]
            for ind in part:
                entry = next(u for u in ind["units"] if u["unit"] == slug)
                symbol = status_text(entry, lang).split(" ")[0]
                shown = "–" if entry["value"] is None else f"{_value_text(ind, entry, lang)} {symbol}"
                cells.append(Text(shown, style=STYLE[entry["status"]]))
            table.add_row(*cells)
        console.print(table)
    missing = len(names) - len(with_data)
    if missing:
        console.print(f"({missing} {t['units_without_data']})")


def _shortfalls(result: dict[str, Any], console: Console, lang: str) -> None:
    t = TEXT[lang]
    console.print(Text(t["shortfalls"], style="bold"))
    if not result["shortfalls"]:
        console.print(t["none"])
        return
    table = Table()
    for header in (t["indicator"], t["unit"], t["value"], t["target"], t["gap"], t["owner"]):
        table.add_column(header, overflow="fold")
    indicators = {i["id"]: i for i in result["indicators"]}
    names = {u["unit"]: u["name"] for i in result["indicators"] for u in i["units"]}
    for s in result["shortfalls"]:
        ind = indicators[s["indicator"]]
        note = f" ({unsure(ind['kind'], lang)})" if s["conclusive"] is False else ""
        table.add_row(
            ind["title"],
            names.get(s["unit"], "") if s["unit"] else scope_name(result, lang),
            percent(s["value"], lang, signed=ind["kind"] == "received_growth") + note,
            target_text(ind, lang),
            points(-s["gap"], lang),
            s["owner"],
        )
    console.print(table)


def render_quality(
    quality: dict[str, Any],
    out: TextIO,
    lang: str = "vi",
    color: bool = False,
    console: Console | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """Write the row accounting per file and the issues by code, with a few samples each; units by
    their names (`names`: slug -> name)."""
    names = names or {}
    t = TEXT[lang]
    console = console or _console(out, color)
    table = Table(title=t["quality"], title_justify="left")
    for header in (t[key] for key in QUALITY_COLUMNS):
        numeric = header in (t["read"], t["accepted"], t["rejected"], t["skipped"], t["superseded"])
        table.add_column(header, overflow="fold", justify="right" if numeric else "left")
    for f in quality["files"]:
        table.add_row(
            f["path"],
            f.get("sheet") or "",
            file_kind(f["kind"], lang),
            names.get(f.get("unit") or "", f.get("unit") or ""),
            str(f["rows_read"]),
            str(f["rows_accepted"]),
            str(f["rows_rejected"]),
            str(f["rows_skipped"]),
            str(f["rows_superseded"]),
        )
    console.print(table)
    if not quality["issues"]:
        console.print(t["no_issue"])
        return
    issues = Table()
    for header in (t["severity"], t["problem"], t["count"], t["example"]):  # the code stays in the JSON
        issues.add_column(header)
    for issue in quality["issues"]:
        examples = []
        for s in issue["samples"][:MAX_ISSUE_SAMPLES]:
            where = s.get("path", "")
            if s.get("sheet"):
                where += f" [{s['sheet']}]"
            if s.get("row"):
                where += f" {t['row']} {s['row']}"
            if s.get("column"):
                where += f" {t['column']} {s['column']}"
            if s.get("header"):
                where += f" ({s['header']})"
            if s.get("value") is not None:
                where += f": {s['value']!r}"
            examples.append(where)
        style = {"error": "red", "warning": "yellow", "info": "dim"}[issue["severity"]]
        issues.add_row(
            Text(severity(issue["severity"], lang), style=style),
            issue["title"],
            str(issue["count"]),
            "\n".join(examples),
        )
    console.print(issues)
