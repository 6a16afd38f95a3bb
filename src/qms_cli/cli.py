"""The `qms` command line: parses options, calls the library, maps errors to exit codes in one place."""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from qms_cli import __version__
from qms_cli.api import Run, evaluate_paths, validate_paths
from qms_cli.errors import QmsError
from qms_cli.messages import argv_lang, help_text, resolve_lang, text
from qms_cli.render.plain import form_06a_csv, to_csv, to_json


class ExitStatus(IntEnum):
    OK = 0
    SHORTFALL = 1
    USAGE = 2
    INPUT = 3
    LOCKED = 4


HELP_LANG = argv_lang(sys.argv)  # --help is written before the options are parsed


def _h(key: str) -> str:
    """The help of a command or option in the language of --lang / QMS_LANG (messages.HELP)."""
    return help_text(key, HELP_LANG)


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help=_h("app"),
)

# Options declared once, used by every command that takes them.
PathsArg = Annotated[list[Path], typer.Argument(help=_h("paths"), show_default=False)]
ObjectivesOpt = Annotated[
    Path | None,
    typer.Option("--objectives", help=_h("objectives")),
]
LangOpt = Annotated[str | None, typer.Option("--lang", help=_h("lang"), show_default=False)]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help=_h("quiet"))]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qms {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=_h("version"))] = False,
) -> None:
    """qms: quality-objective scorecards for Decision 784/QĐ-UBND."""


def _check_lang(lang: str | None) -> str:
    """--lang, else $QMS_LANG, else vi; a usage error (exit 2) for anything else."""
    try:
        return resolve_lang(lang)
    except ValueError:
        raise typer.BadParameter(text("bad_lang", HELP_LANG), param_hint="--lang") from None


def _write(text: str, output: Path | None) -> None:
    """Write to stdout, or atomically to `output` (a temporary file renamed into place)."""
    if output is None:
        sys.stdout.write(text)
        return
    from qms_cli.render.plain import atomic_write

    atomic_write(output, lambda path: path.write_text(text, encoding="utf-8", newline=""))


def _summary(run: Run, quiet: bool, lang: str = "vi") -> None:
    """The stderr summary of row accounting; with --quiet only the problems."""
    files = run.quality.files
    totals = {
        k: sum(getattr(f, k) for f in files)
        for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_skipped", "rows_superseded")
    }
    bad = [f for f in files if f.kind in ("unreadable", "unknown")]
    if not quiet:
        typer.echo(
            text(
                "rows_summary",
                lang,
                files=run.files_seen,
                read=totals["rows_read"],
                accepted=totals["rows_accepted"],
                rejected=totals["rows_rejected"],
                skipped=totals["rows_skipped"],
                superseded=totals["rows_superseded"],
            ),
            err=True,
        )
    elif totals["rows_rejected"]:
        typer.echo(text("rows_rejected", lang, rejected=totals["rows_rejected"]), err=True)
    for f in bad:
        typer.echo(text("file_problem", lang, path=f.path, message=f.message), err=True)


def _log(log_file: Path | None, message: str) -> None:
    """Append one line to the log file (for cron): time, command, what happened."""
    if log_file is None:
        return
    from datetime import datetime

    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("a", encoding="utf-8") as handle:
        handle.write(f"{datetime.now().isoformat(timespec='seconds')} {' '.join(['qms', *sys.argv[1:]])}: {message}\n")


def _fail(exc: QmsError, lang: str | None = None) -> None:
    typer.echo(text("error", lang or HELP_LANG, message=exc), err=True)
    raise typer.Exit(exc.exit_code)


@app.command(help=_h("cmd_evaluate"))
def evaluate(
    paths: PathsArg,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            help=_h("period"),
        ),
    ] = None,
    objectives: ObjectivesOpt = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help=_h("rule"))] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=_h("format_evaluate"))] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_h("output"))] = None,
    store: Annotated[Path, typer.Option("--store", help=_h("store_evaluate"), show_default=False)] = Path("qms.sqlite"),
    no_store: Annotated[bool, typer.Option("--no-store", help=_h("no_store"))] = False,
    lang: LangOpt = None,
    fail_on_shortfall: Annotated[bool, typer.Option("--fail-on-shortfall", help=_h("fail_on_shortfall"))] = False,
    quiet: QuietOpt = False,
    wait: Annotated[
        float,
        typer.Option("--wait", help=_h("wait")),
    ] = 0.0,
    log_file: Annotated[Path | None, typer.Option("--log-file", help=_h("log_file"))] = None,
) -> None:
    """Score the quality objectives from monthly exports (its help: messages.HELP["cmd_evaluate"])."""
    lang = _check_lang(lang)
    if format not in ("table", "json", "csv", "06a"):
        raise typer.BadParameter(text("bad_format", lang, choices="table, json, csv, 06a"), param_hint="--format")
    try:
        run = evaluate_paths(
            paths,
            period,
            objectives,
            rule or [],
            lang,
            None if no_store else store,
            command=" ".join(["qms", *sys.argv[1:]]),
            wait=wait,
        )
    except QmsError as exc:
        _log(log_file, f"error, exit {exc.exit_code}: {exc}")
        _fail(exc, lang)
        return
    result = run.result
    if format == "json":
        _write(to_json(result), output)
    elif format == "csv":
        _write(to_csv(result), output)
    elif format == "06a":
        _write(form_06a_csv(run.form_06a_model(lang)), output)
    else:
        from qms_cli.render.table import render_evaluation  # rich loads only for a table

        _write_table(lambda out, color: render_evaluation(result, out, lang, color), output)
    _summary(run, quiet, lang)
    code = (
        ExitStatus.INPUT
        if run.unreadable_files
        else (ExitStatus.SHORTFALL if fail_on_shortfall and result["shortfalls"] else ExitStatus.OK)
    )
    _log(
        log_file,
        f"period {result['period']['label']}: {run.files_seen} file(s), {len(result['shortfalls'])} "
        f"shortfall(s), {run.unreadable_files} unreadable file(s); exit {int(code)}",
    )
    if code:
        raise typer.Exit(code)


def _write_table(render: Any, output: Path | None) -> None:
    import io

    if output is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        render(sys.stdout, color)
        return
    buffer = io.StringIO()
    render(buffer, False)
    _write(buffer.getvalue(), output)


@app.command(help=_h("cmd_validate"))
def validate(
    paths: PathsArg,
    objectives: ObjectivesOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help=_h("format_validate"))] = "table",
    lang: LangOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Check exports before sending them (its help: messages.HELP["cmd_validate"])."""
    lang = _check_lang(lang)
    if format not in ("table", "json"):
        raise typer.BadParameter(text("bad_format", lang, choices="table, json"), param_hint="--format")
    try:
        run = validate_paths(paths, objectives, lang)
    except QmsError as exc:
        _fail(exc, lang)
        return
    if format == "json":
        _write(to_json(run.result), None)
    else:
        from qms_cli.render.table import render_quality

        _write_table(lambda out, color: render_quality(run.result["data_quality"], out, lang, color), None)
    _summary(run, quiet, lang)
    if run.unreadable_files:
        raise typer.Exit(ExitStatus.INPUT)


@app.command(help=_h("cmd_report"))
def report(
    period: Annotated[str, typer.Option("--period", "-p", help=_h("report_period"))],
    data: Annotated[list[Path] | None, typer.Option("--data", help=_h("data"))] = None,
    objectives: ObjectivesOpt = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help=_h("rule"))] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=_h("format_report"))] = "html,xlsx,docx,md,json",
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", help=_h("output_dir"))] = Path("."),
    store: Annotated[Path, typer.Option("--store", help=_h("store"))] = Path("qms.sqlite"),
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    wait: Annotated[
        float,
        typer.Option("--wait", help=_h("wait")),
    ] = 0.0,
) -> None:
    """Write the consolidated report for the ISO Steering Committee (its help: messages.HELP["cmd_report"])."""
    from qms_cli.api import report_inputs
    from qms_cli.render import report as report_render

    lang = _check_lang(lang)
    formats = [f.strip().lower() for f in format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in report_render.FORMATS]
    if unknown or not formats:
        raise typer.BadParameter(
            text("bad_format", lang, choices=", ".join(report_render.FORMATS)), param_hint="--format"
        )
    try:
        current, previous, _, keep = report_inputs(period, data or [], store, objectives, rule or [], lang)
        try:
            actions = keep.actions() if keep else []
            if keep and current.period is not None:  # the report's shortfalls have their draft actions too
                from qms_cli.api import action_due
                from qms_cli.store import locked

                with locked(store, wait):
                    keep.open_actions(
                        current.result["shortfalls"], current.result["period"]["label"], action_due(current.period)
                    )
                actions = keep.actions()
        finally:
            if keep:
                keep.close()
        model = report_render.build(current, previous, actions, {"form_06a": current.form_06a_model(lang)})
        written = report_render.write(model, formats, output_dir, lang)
    except QmsError as exc:
        _fail(exc, lang)
        return
    if not quiet:
        for path in written:
            typer.echo(text("wrote", lang, path=path), err=True)
    _summary(current, quiet, lang)
    if current.unreadable_files:  # as for evaluate: the report was written from the good files
        raise typer.Exit(ExitStatus.INPUT)


actions_app = typer.Typer(help=_h("actions"), no_args_is_help=True)
app.add_typer(actions_app, name="actions")
StoreOpt = Annotated[Path, typer.Option("--store", help=_h("store"))]


def _names(objectives: Path | None, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Indicator titles and unit names by id and slug, for people (the objectives file; empty if it fails)."""
    from qms_cli.config import load_objectives

    try:
        spec = load_objectives(objectives).spec
    except QmsError:
        return {}, {}
    titles = {i.id: (i.title if lang == "vi" else i.title_en) for i in spec.indicators}
    return titles, {u.slug: u.name for u in spec.units}


def _action_line(a: dict[str, Any], titles: dict[str, str], units: dict[str, str], lang: str) -> str:
    from qms_cli.messages import action_status, points, unit_name

    line = text(
        "action_line",
        lang,
        id=a["id"],
        period=a["period"],
        indicator=titles.get(a["indicator"], a["indicator"]),
        unit=unit_name(a["unit"], units, lang),
        gap=points(a["gap"], lang) if a["gap"] is not None else "–",
        owner=a["owner"] or "–",
        due=a["due"] or "–",
        status=action_status(a["status"], lang),
    )
    return line + (f" — {a['action']}" if a["action"] else "")


@actions_app.command("list", help=_h("cmd_actions_list"))
def actions_list(
    store: StoreOpt = Path("qms.sqlite"),
    period: Annotated[str | None, typer.Option("--period", help=_h("actions_period"))] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=_h("format_validate"))] = "table",
    objectives: ObjectivesOpt = None,
    lang: LangOpt = None,
) -> None:
    """List the corrective actions that shortfalls opened (help: messages.HELP["cmd_actions_list"])."""
    import json

    from qms_cli.store import Store

    lang = _check_lang(lang)
    try:
        with Store(store) as keep:
            rows = keep.actions(period)
    except QmsError as exc:
        _fail(exc, lang)
        return
    if format == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    titles, units = _names(objectives, lang)
    for a in rows:
        typer.echo(_action_line(a, titles, units, lang))
    if not rows:
        typer.echo(text("no_actions_listed", lang))


@actions_app.command("update", help=_h("cmd_actions_update"))
def actions_update(
    action_id: Annotated[int, typer.Argument(help=_h("action_id"))],
    store: StoreOpt = Path("qms.sqlite"),
    cause: Annotated[str | None, typer.Option("--cause", help=_h("cause"))] = None,
    action: Annotated[str | None, typer.Option("--action", help=_h("action"))] = None,
    status: Annotated[str | None, typer.Option("--status", help=_h("status"))] = None,
    effectiveness: Annotated[str | None, typer.Option("--effectiveness", help=_h("effectiveness"))] = None,
    objectives: ObjectivesOpt = None,
    lang: LangOpt = None,
) -> None:
    """Fill in, change or close a corrective action (help: messages.HELP["cmd_actions_update"])."""
    from qms_cli.messages import action_status, unit_name
    from qms_cli.store import Store

    lang = _check_lang(lang)
    try:
        with Store(store) as keep:
            row = keep.update_action(action_id, cause=cause, action=action, status=status, effectiveness=effectiveness)
    except QmsError as exc:
        _fail(exc, lang)
        return
    titles, units = _names(objectives, lang)
    typer.echo(
        text(
            "action_updated",
            lang,
            id=row["id"],
            status=action_status(row["status"], lang),
            indicator=titles.get(row["indicator"], row["indicator"]),
            unit=unit_name(row["unit"], units, lang),
        )
    )


def main() -> None:
    """Entry point of the `qms` console script: usage errors exit 2, never a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last resort: a message a clerk can pass on, never a traceback
        sys.stderr.write(text("internal_error", HELP_LANG, kind=type(exc).__name__, message=exc) + "\n")
        sys.exit(ExitStatus.INPUT)
