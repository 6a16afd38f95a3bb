"""The `qms` command line: parses options, calls the library, maps errors to exit codes in one place."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer

from qms_cli import __version__
from qms_cli.api import Run, evaluate_paths, validate_paths
from qms_cli.errors import EnvironmentFault, ExitStatus, QmsError, printable
from qms_cli.render.plain import form_06a_csv, to_csv, to_json

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

    try:
        atomic_write(output, lambda path: path.write_text(text, encoding="utf-8", newline=""))
    except OSError as exc:
        raise EnvironmentFault.from_os_error(exc, output, "the output cannot be written") from None


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
        typer.echo(f"qms: {printable(f.path)}: {printable(f.message or '')}", err=True)


def _log(log_file: Path | None, message: str) -> None:
    """Append one line to the log file (for cron): time, command, what happened.

    EnvironmentFault (exit 5) names the log file when it cannot be written: never an internal error.
    """
    if log_file is None:
        return
    from datetime import datetime

    line = f"{datetime.now().isoformat(timespec='seconds')} {printable(' '.join(['qms', *sys.argv[1:]]))}: {message}"
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError as exc:
        raise EnvironmentFault.from_os_error(exc, log_file, "the log file cannot be written") from None


def _check_log(log_file: Path | None) -> None:
    """Refuse a log file that cannot be appended to before anything is read or written (exit 5)."""
    if log_file is None:
        return
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise EnvironmentFault.from_os_error(exc, log_file, "the log file cannot be written") from None


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
        Path | None, typer.Option("--store", help="The SQLite store (accepted; the store comes with `qms report`).")
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

    def deliver(run: Run) -> None:  # the outputs, written before the store keeps the run
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

    try:
        _check_log(log_file)
        run = evaluate_paths(
            paths,
            period,
            objectives,
            rule or [],
            lang,
            None if no_store else store,
            command=" ".join(["qms", *sys.argv[1:]]),
            wait=wait,
            deliver=deliver,
        )
    except QmsError as exc:
        if not isinstance(exc, EnvironmentFault):
            try:
                _log(log_file, f"error, exit {exc.exit_code}: {exc}")
            except EnvironmentFault as fault:  # the run's own error is the one that matters: its status stays
                typer.echo(f"qms: warning: {fault}", err=True)
        _fail(exc)
        return
    result = run.result
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
        Path | None,
        typer.Option(
            "--store", help="The SQLite store written by `qms evaluate` [default: ./qms.sqlite or QMS_STORE]."
        ),
    ] = None,
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
    if store is None:  # the default store is read when it exists; one named with --store must exist
        default = Path(os.environ.get("QMS_STORE") or "qms.sqlite")
        store = default if default.exists() or not data else None
    elif data and not store.exists():  # the report is made from --data alone; no empty store is created
        typer.echo(f"qms: note: {printable(store)} does not exist: the report is made from --data alone", err=True)
        store = None
    try:
        current, previous, _, keep = report_inputs(period, data or [], store, objectives, rule or [], lang)
        try:
            actions = keep.actions() if keep else []
            if keep and store is not None and current.period is not None:  # the shortfalls' draft actions too
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
StoreOpt = Annotated[Path, typer.Option("--store", help="The SQLite store.")]


@actions_app.command("list")
def actions_list(
    store: StoreOpt = Path("qms.sqlite"),
    period: Annotated[str | None, typer.Option("--period", help="Only this period's actions.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List the corrective actions that shortfalls opened.

    Example:

        qms actions list --period H1-2019
    """
    import json

    from qms_cli.store import Store

    try:
        keep = Store(store, create=False)
        rows = keep.actions(period)
        keep.close()
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
    store: StoreOpt = Path("qms.sqlite"),
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
    from qms_cli.store import Store

    try:
        keep = Store(store, create=False)
        row = keep.update_action(action_id, cause=cause, action=action, status=status, effectiveness=effectiveness)
        keep.close()
    except QmsError as exc:
        _fail(exc)
        return
    typer.echo(f"#{row['id']} [{row['status']}] {row['indicator']} {row['unit'] or '(district)'}")


def main() -> None:
    """Entry point of the `qms` console script: every failure ends with one line and its exit status.

    2 usage, 3 input, 4 locked, 5 environment (disk full, permission, read-only: the path is named),
    70 a defect of qms: one line, and the traceback with `--debug` (or QMS_DEBUG=1).
    """
    debug = "--debug" in sys.argv[1:] or os.environ.get("QMS_DEBUG", "") not in ("", "0")
    sys.argv = [sys.argv[0], *[a for a in sys.argv[1:] if a != "--debug"]]
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except QmsError as exc:
        sys.stderr.write(f"qms: error: {exc}\n")
        sys.exit(exc.exit_status)
    except OSError as exc:  # the machine's fault, not an input's: disk full, permission, read-only folder
        sys.stderr.write(f"qms: error: {EnvironmentFault.from_os_error(exc)}\n")
        sys.exit(ExitStatus.ENVIRONMENT)
    except Exception as exc:  # noqa: BLE001 - the last resort: a message a clerk can pass on
        if debug:
            traceback.print_exc()
        else:
            reason = printable(f"{type(exc).__name__}: {exc}")[:300]
            sys.stderr.write(
                f"qms: internal error (a defect of qms: {reason}); run the same command with --debug "
                "to see the traceback, and report it\n"
            )
        sys.exit(ExitStatus.INTERNAL)
