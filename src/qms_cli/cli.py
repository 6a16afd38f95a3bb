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
from qms_cli.render.plain import form_06a_csv, to_csv, to_json
from qms_cli.store import store_location


class ExitStatus(IntEnum):
    OK = 0
    SHORTFALL = 1
    USAGE = 2
    INPUT = 3
    LOCKED = 4


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="qms: scorecards of the quality objectives of Decision 784/QĐ-UBND (ISO 9001) "
    "from the dossier-tracking exports of a district's agencies and wards.",
)

# Options declared once, used by every command that takes them.
PathsArg = Annotated[
    list[Path], typer.Argument(help="Files (.xlsx, .xls, .csv) or folders, searched recursively.", show_default=False)
]
ObjectivesOpt = Annotated[
    Path | None,
    typer.Option(
        "--objectives", help="The objectives file [default: ./objectives.yaml, else the copy shipped with qms]."
    ),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of human-readable output: vi or en.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems on stderr.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qms {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """qms: quality-objective scorecards for Decision 784/QĐ-UBND."""


def _check_lang(lang: str) -> str:
    if lang not in ("vi", "en"):
        raise typer.BadParameter("--lang takes vi or en")
    return lang


def _write(text: str, output: Path | None) -> None:
    """Write to stdout, or atomically to `output` (a temporary file renamed into place)."""
    if output is None:
        sys.stdout.write(text)
        return
    from qms_cli.render.plain import atomic_write

    atomic_write(output, lambda path: path.write_text(text, encoding="utf-8", newline=""))


def _summary(run: Run, quiet: bool) -> None:
    """The stderr summary of row accounting; with --quiet only the problems."""
    files = run.quality.files
    totals = {
        k: sum(getattr(f, k) for f in files)
        for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_skipped", "rows_superseded")
    }
    bad = [f for f in files if f.kind in ("unreadable", "unknown")]
    if not quiet:
        typer.echo(
            f"qms: {run.files_seen} file(s); rows read {totals['rows_read']} = accepted {totals['rows_accepted']}"
            f" + rejected {totals['rows_rejected']} + skipped {totals['rows_skipped']};"
            f" superseded by a later export {totals['rows_superseded']}",
            err=True,
        )
    elif totals["rows_rejected"]:
        typer.echo(f"qms: {totals['rows_rejected']} row(s) rejected; see data_quality", err=True)
    for f in bad:
        typer.echo(f"qms: {f.path}: {f.message}", err=True)


def _log(log_file: Path | None, message: str) -> None:
    """Append one line to the log file (for cron): time, command, what happened."""
    if log_file is None:
        return
    from datetime import datetime

    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("a", encoding="utf-8") as handle:
        handle.write(f"{datetime.now().isoformat(timespec='seconds')} {' '.join(['qms', *sys.argv[1:]])}: {message}\n")


def _fail(exc: QmsError) -> None:
    typer.echo(f"qms: error: {exc}", err=True)
    raise typer.Exit(exc.exit_code)


@app.command()
def evaluate(
    paths: PathsArg,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            help="2019, H1-2019, Q2-2019, 2019-03 or 2019-01-01..2019-06-30 "
            "[default: the smallest calendar period covering the latest year's dates].",
        ),
    ] = None,
    objectives: ObjectivesOpt = None,
    rule: Annotated[
        list[str] | None, typer.Option("--rule", help="Override a counting rule for this run, KEY=VALUE; repeatable.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (atomically).")] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            envvar="QMS_STORE",
            help="Keep what was read: a SQLite file, or a city's server as postgresql://user@host/db.",
        ),
    ] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Keep nothing between runs.")] = False,
    lang: LangOpt = "vi",
    fail_on_shortfall: Annotated[
        bool, typer.Option("--fail-on-shortfall", help="Exit 1 when an indicator is not met (for cron).")
    ] = False,
    quiet: QuietOpt = False,
    wait: Annotated[
        float,
        typer.Option("--wait", help="If another run holds the store, wait up to SECONDS for it (else exit 4 at once)."),
    ] = 0.0,
    log_file: Annotated[Path | None, typer.Option("--log-file", help="Append what was done to this file.")] = None,
) -> None:
    """Score the quality objectives from monthly exports.

    Example:

        qms evaluate sample_data --period H1-2019

        qms evaluate exports/ --period 2019 --rule on_time_denominator=received --format json -o h1.json

        qms evaluate exports/ --period H1-2019 --format 06a -o bieu-06a-6-thang.csv
    """
    _check_lang(lang)
    if format not in ("table", "json", "csv", "06a"):
        raise typer.BadParameter("--format takes table, json, csv or 06a", param_hint="--format")
    try:
        run = evaluate_paths(
            paths,
            period,
            objectives,
            rule or [],
            lang,
            None if no_store or not store else store_location(store),
            command=" ".join(["qms", *sys.argv[1:]]),
            wait=wait,
        )
    except QmsError as exc:
        _log(log_file, f"error, exit {exc.exit_code}: {exc}")
        _fail(exc)
        return
    result = run.result
    if format == "json":
        _write(to_json(result), output)
    elif format == "csv":
        _write(to_csv(result), output)
    elif format == "06a":
        _write(form_06a_csv(run.form_06a(), run.objectives.spec, result["period"], lang), output)
    else:
        from qms_cli.render.table import render_evaluation  # rich loads only for a table

        _write_table(lambda out, color: render_evaluation(result, out, lang, color), output)
    _summary(run, quiet)
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


@app.command()
def validate(
    paths: PathsArg,
    objectives: ObjectivesOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    lang: LangOpt = "vi",
    quiet: QuietOpt = False,
) -> None:
    """Check exports before sending them: row accounting and every rejected row, no scoring.

    Example:

        qms validate so-theo-doi-thang-03.xlsx
    """
    _check_lang(lang)
    if format not in ("table", "json"):
        raise typer.BadParameter("--format takes table or json", param_hint="--format")
    try:
        run = validate_paths(paths, objectives, lang)
    except QmsError as exc:
        _fail(exc)
        return
    if format == "json":
        _write(to_json(run.result), None)
    else:
        from qms_cli.render.table import render_quality

        _write_table(lambda out, color: render_quality(run.result["data_quality"], out, lang, color), None)
    _summary(run, quiet)
    if run.unreadable_files:
        raise typer.Exit(ExitStatus.INPUT)


@app.command()
def report(
    period: Annotated[str, typer.Option("--period", "-p", help="H1-2019, 2019, Q3-2019, 2019-03 or a range.")],
    data: Annotated[
        list[Path] | None, typer.Option("--data", help="Files or folders to read besides the store; repeatable.")
    ] = None,
    objectives: ObjectivesOpt = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help="Override a counting rule, KEY=VALUE.")] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated: html, xlsx, docx, md, json.")
    ] = "html,xlsx,docx,md,json",
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", help="Where to write the files.")] = Path("."),
    store: Annotated[
        str,
        typer.Option(
            "--store", envvar="QMS_STORE", help="The store written by `qms evaluate`: a file or postgresql://…"
        ),
    ] = "qms.sqlite",
    lang: LangOpt = "vi",
    quiet: QuietOpt = False,
    wait: Annotated[
        float,
        typer.Option("--wait", help="If another run holds the store, wait up to SECONDS for it (else exit 4 at once)."),
    ] = 0.0,
) -> None:
    """Write the consolidated report for the ISO Steering Committee from the store and/or files.

    Example:

        qms report --period H1-2019 --data sample_data --format html,xlsx,docx,md,json -o reports/

        qms report --period 2019 --store /srv/qms/qms.sqlite --lang en --format html
    """
    from qms_cli.api import report_inputs
    from qms_cli.render import report as report_render

    _check_lang(lang)
    formats = [f.strip().lower() for f in format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in report_render.FORMATS]
    if unknown or not formats:
        raise typer.BadParameter(f"--format takes {', '.join(report_render.FORMATS)}", param_hint="--format")
    try:
        where = store_location(store)
        current, previous, _, keep = report_inputs(period, data or [], where, objectives, rule or [], lang)
        try:
            actions = keep.actions() if keep else []
            if keep and current.period is not None:  # the report's shortfalls have their draft actions too
                from qms_cli.api import action_due
                from qms_cli.store import locked

                with locked(where, wait):
                    keep.open_actions(
                        current.result["shortfalls"], current.result["period"]["label"], action_due(current.period)
                    )
                actions = keep.actions()
        finally:
            if keep:
                keep.close()
        table = current.form_06a()
        from qms_cli.evaluate.form06a import COLUMNS

        form = [
            {
                "unit": slug or ("Tổng cộng" if lang == "vi" else "Total"),
                **{f"({n}) {vi if lang == 'vi' else en}": int(row[key]) for n, key, vi, en in COLUMNS},
            }
            for slug, row in table.iterrows()
        ]
        model = report_render.build(current, previous, actions, {"form_06a": form})
        written = report_render.write(model, formats, output_dir, lang)
    except QmsError as exc:
        _fail(exc)
        return
    if not quiet:
        for path in written:
            typer.echo(f"qms: wrote {path}", err=True)
    _summary(current, quiet)
    if current.unreadable_files:  # as for evaluate: the report was written from the good files
        raise typer.Exit(ExitStatus.INPUT)


actions_app = typer.Typer(help="Corrective actions (ISO 9001 §10.2): list, fill in, close.", no_args_is_help=True)
app.add_typer(actions_app, name="actions")
StoreOpt = Annotated[
    str, typer.Option("--store", envvar="QMS_STORE", help="The store: a SQLite file or postgresql://…")
]


@actions_app.command("list")
def actions_list(
    store: StoreOpt = "qms.sqlite",
    period: Annotated[str | None, typer.Option("--period", help="Only this period's actions.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List the corrective actions that shortfalls opened.

    Example:

        qms actions list --period H1-2019
    """
    import json

    from qms_cli.store import open_store, store_location

    try:
        with open_store(store_location(store)) as keep:
            rows = keep.actions(period)
    except QmsError as exc:
        _fail(exc)
        return
    if format == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for a in rows:
        typer.echo(
            f"#{a['id']} {a['period']} {a['indicator']} {a['unit'] or '(district)'} gap {a['gap']:+.4f} "
            f"owner {a['owner']} due {a['due']} [{a['status']}]" + (f" — {a['action']}" if a["action"] else "")
        )


@actions_app.command("update")
def actions_update(
    action_id: Annotated[int, typer.Argument(help="The action's number, from `qms actions list`.")],
    store: StoreOpt = "qms.sqlite",
    cause: Annotated[str | None, typer.Option("--cause", help="The cause found.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="The corrective action decided.")] = None,
    status: Annotated[str | None, typer.Option("--status", help="draft, open, done or closed.")] = None,
    effectiveness: Annotated[
        str | None, typer.Option("--effectiveness", help="Closing: was the action effective? (ISO 9001 §10.2.1 d)")
    ] = None,
) -> None:
    """Fill in the cause and action of a corrective action, change its status, or close it.

    Example:

        qms actions update 3 --cause "Thiếu cán bộ" --action "Bổ sung nhân sự bộ phận một cửa" --status open
    """
    from qms_cli.store import open_store, store_location

    try:
        with open_store(store_location(store)) as keep:
            row = keep.update_action(action_id, cause=cause, action=action, status=status, effectiveness=effectiveness)
    except QmsError as exc:
        _fail(exc)
        return
    typer.echo(f"#{row['id']} [{row['status']}] {row['indicator']} {row['unit'] or '(district)'}")


def main() -> None:
    """Entry point of the `qms` console script: usage errors exit 2, never a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last resort: a message a clerk can pass on, never a traceback
        sys.stderr.write(f"qms: internal error ({type(exc).__name__}: {exc}); please report it with the command\n")
        sys.exit(ExitStatus.INPUT)
