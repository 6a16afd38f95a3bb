"""The `qms` command line: parses options, calls the library, maps errors to exit codes in one place."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from qms_cli import __version__
from qms_cli.api import Run, evaluate_paths, validate_paths
from qms_cli.errors import EnvironmentFault, ExitStatus, QmsError, printable
from qms_cli.messages import argv_lang, help_text, resolve_lang, text
from qms_cli.render.plain import form_06a_csv, to_csv, to_json
from qms_cli.store import StoreLocation, store_exists, store_location

HELP_LANG = argv_lang(sys.argv)  # --help is written before the options are parsed
DEBUG = "qms.debug"  # ctx.meta key: --debug was given (anywhere on the command line)
LANG = "qms.lang"  # ctx.meta key: the language of the running command, for its error line
LOG_FILE = "qms.log_file"  # ctx.meta key: the --log-file of the running command, for its error line


def _h(key: str) -> str:
    """The help of a command or option in the language of --lang / QMS_LANG (messages.HELP)."""
    return help_text(key, HELP_LANG)


class _Shell(TyperGroup):
    """The root command group: the one place where an error of the library becomes an exit status."""

    def invoke(self, ctx: Any) -> Any:  # typer's own Context class is private; typer.Context subclasses it
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # --help, usage errors (exit 2) and the commands' own exits: typer reports them
        except QmsError as exc:
            _report(ctx, exc, text("error", ctx.meta.get(LANG, HELP_LANG), message=exc))
            raise typer.Exit(exc.exit_status) from None
        except OSError as exc:  # the machine's, not an input's: disk full, permission, read-only folder (exit 5)
            fault = EnvironmentFault.from_os_error(exc)
            _report(ctx, fault, text("error", ctx.meta.get(LANG, HELP_LANG), message=fault))
            raise typer.Exit(fault.exit_status) from None
        except Exception as exc:  # noqa: BLE001 - a defect of qms: one line a clerk can pass on
            _report(
                ctx, exc, text("internal_error", ctx.meta.get(LANG, HELP_LANG), kind=type(exc).__name__, message=exc)
            )
            raise typer.Exit(ExitStatus.INTERNAL) from None


def _report(ctx: Any, exc: Exception, line: str) -> None:
    """The error's one line on stderr and in the --log-file; its traceback first under --debug."""
    if ctx.meta.get(DEBUG):
        traceback.print_exception(exc)
    status = exc.exit_status if isinstance(exc, QmsError) else ExitStatus.INTERNAL
    typer.echo(line, err=True)
    try:
        _log(ctx.meta.get(LOG_FILE), f"error, exit {int(status)}: {exc}")
    except EnvironmentFault as fault:  # the run's own error is the one that matters: its status stays
        typer.echo(text("error", ctx.meta.get(LANG, HELP_LANG), message=fault), err=True)


def _debug(ctx: typer.Context, value: bool) -> None:
    if value:
        ctx.meta[DEBUG] = True


# Taken by the root and by every command, so that `qms --debug evaluate …` and `qms evaluate … --debug`
# both work; the value lives in ctx.meta, not in the commands' parameters.
DebugOpt = Annotated[
    bool,
    typer.Option("--debug", envvar="QMS_DEBUG", callback=_debug, expose_value=False, is_eager=True, help=_h("debug")),
]


app = typer.Typer(
    cls=_Shell,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help=_h("app"),
)


def _lang(ctx: typer.Context, value: str | None) -> str | None:
    """--lang's callback: the command's language, kept for the error handler's line."""
    try:
        ctx.meta[LANG] = resolve_lang(value)
    except ValueError:
        pass  # refused by _check_lang in the command, with its message
    return value


# Options declared once, used by every command that takes them.
PathsArg = Annotated[list[Path], typer.Argument(help=_h("paths"), show_default=False)]
ObjectivesOpt = Annotated[
    Path | None,
    typer.Option("--objectives", help=_h("objectives")),
]
LangOpt = Annotated[str | None, typer.Option("--lang", help=_h("lang"), show_default=False, callback=_lang)]
StoreOpt = Annotated[str, typer.Option("--store", envvar="QMS_STORE", help=_h("store"))]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help=_h("quiet"))]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qms {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=_h("version"))] = False,
    debug: DebugOpt = False,
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

    try:
        atomic_write(output, lambda path: path.write_text(text, encoding="utf-8", newline=""))
    except OSError as exc:
        raise EnvironmentFault.from_os_error(exc, output, "the output cannot be written") from None


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
        typer.echo(text("file_problem", lang, path=printable(f.path), message=printable(f.message or "")), err=True)


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


@app.command(help=_h("cmd_evaluate"))
def evaluate(
    ctx: typer.Context,
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
    store: Annotated[
        str, typer.Option("--store", envvar="QMS_STORE", help=_h("store_evaluate"), show_default=False)
    ] = "qms.sqlite",
    no_store: Annotated[bool, typer.Option("--no-store", help=_h("no_store"))] = False,
    lang: LangOpt = None,
    fail_on_shortfall: Annotated[bool, typer.Option("--fail-on-shortfall", help=_h("fail_on_shortfall"))] = False,
    quiet: QuietOpt = False,
    wait: Annotated[
        float,
        typer.Option("--wait", help=_h("wait")),
    ] = 0.0,
    log_file: Annotated[Path | None, typer.Option("--log-file", help=_h("log_file"))] = None,
    debug: DebugOpt = False,
) -> None:
    """Score the quality objectives from monthly exports (its help: messages.HELP["cmd_evaluate"])."""
    lang = _check_lang(lang)
    if format not in ("table", "json", "csv", "06a"):
        raise typer.BadParameter(text("bad_format", lang, choices="table, json, csv, 06a"), param_hint="--format")
    _check_log(log_file)  # before anything is read or written
    ctx.meta[LOG_FILE] = log_file

    def deliver(run: Run) -> None:  # the outputs, written before the store keeps the run
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

    run = evaluate_paths(
        paths,
        period,
        objectives,
        rule or [],
        lang,
        None if no_store else store_location(store),
        command=" ".join(["qms", *sys.argv[1:]]),
        wait=wait,
        deliver=deliver,
    )
    result = run.result
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


@app.command(help=_h("cmd_init"))
def init(
    output: Annotated[Path, typer.Argument(help=_h("init_output"))] = Path("objectives.yaml"),
    example: Annotated[str, typer.Option("--example", help=_h("init_example"))] = "2026-ward",
    force: Annotated[bool, typer.Option("--force", help=_h("init_force"))] = False,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write a commented objectives file to start from (its help: messages.HELP["cmd_init"])."""
    from qms_cli.api import init_objectives

    lang = _check_lang(lang)
    written = init_objectives(output, example, force)
    typer.echo(text("init_written", lang, path=written), err=True)


@app.command(help=_h("cmd_validate"))
def validate(
    paths: PathsArg,
    objectives: ObjectivesOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help=_h("format_validate"))] = "table",
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    strict: Annotated[bool, typer.Option("--strict", help=_h("strict"))] = False,
    debug: DebugOpt = False,
) -> None:
    """Check exports before sending them (its help: messages.HELP["cmd_validate"])."""
    lang = _check_lang(lang)
    if format not in ("table", "json"):
        raise typer.BadParameter(text("bad_format", lang, choices="table, json"), param_hint="--format")
    run = validate_paths(paths, objectives, lang)
    if format == "json":
        _write(to_json(run.result), None)
    else:
        from qms_cli.render.table import render_quality

        _write_table(lambda out, color: render_quality(run.result["data_quality"], out, lang, color), None)
    _summary(run, quiet, lang)
    if run.unreadable_files:
        raise typer.Exit(ExitStatus.INPUT)
    rejected = sum(f.rows_rejected for f in run.quality.files)
    warned = strict and any(i["severity"] == "warning" for i in run.result["data_quality"]["issues"])
    if rejected or warned:  # a checker: rows that will not count are a finding
        raise typer.Exit(ExitStatus.SHORTFALL)


def _report_store(store: str | None, data: list[Path] | None) -> StoreLocation | None:
    """The store a report reads: the default one (QMS_STORE or ./qms.sqlite) when it exists or no --data
    is given; one named with --store must exist, unless --data is given (then the report is made from it)."""
    if store is None:
        default = store_location(os.environ.get("QMS_STORE") or "qms.sqlite")
        return default if store_exists(default) or not data else None
    where = store_location(store)
    if data and not store_exists(where):  # the report is made from --data alone; no empty store is created
        typer.echo(f"qms: note: {printable(store)} does not exist: the report is made from --data alone", err=True)
        return None
    return where


@app.command(help=_h("cmd_report"))
def report(
    period: Annotated[str, typer.Option("--period", "-p", help=_h("report_period"))],
    data: Annotated[list[Path] | None, typer.Option("--data", help=_h("data"))] = None,
    objectives: ObjectivesOpt = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help=_h("rule"))] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=_h("format_report"))] = "html,xlsx,docx,md,json",
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", help=_h("output_dir"))] = Path("."),
    store: Annotated[str | None, typer.Option("--store", help=_h("store"))] = None,
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    wait: Annotated[
        float,
        typer.Option("--wait", help=_h("wait")),
    ] = 0.0,
    debug: DebugOpt = False,
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
    where = _report_store(store, data)
    current, previous, _, keep = report_inputs(period, data or [], where, objectives, rule or [], lang)
    try:
        actions = keep.actions() if keep else []
        if keep and where is not None and current.period is not None:  # the shortfalls' draft actions too
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
    model = report_render.build(current, previous, actions, {"form_06a": current.form_06a_model(lang)})
    written = report_render.write(model, formats, output_dir, lang, spec=current.objectives.spec)
    if not quiet:
        for path in written:
            typer.echo(text("wrote", lang, path=path), err=True)
    _summary(current, quiet, lang)
    if current.unreadable_files:  # as for evaluate: the report was written from the good files
        raise typer.Exit(ExitStatus.INPUT)


actions_app = typer.Typer(help=_h("actions"), no_args_is_help=True)
app.add_typer(actions_app, name="actions")


def _names(objectives: Path | None, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """Indicator titles and unit names by id and slug, for people (the objectives file; empty if it fails)."""
    from qms_cli.config import load_objectives

    try:
        spec = load_objectives(objectives).spec
    except QmsError:
        return {}, {}
    titles = {i.id: (i.title if lang == "vi" else i.title_en) for i in spec.indicators}
    return titles, {u.slug: u.name for u in spec.units}


def _period_shown(label: str, lang: str) -> str:
    """A stored period label in words ("6 tháng đầu năm 2019"); as stored if it is not one of the grammar's."""
    from qms_cli.messages import period_words
    from qms_cli.periods import parse_period

    try:
        return period_words(parse_period(label).to_json(), lang)
    except QmsError:
        return label


def _action_line(a: dict[str, Any], titles: dict[str, str], units: dict[str, str], lang: str) -> str:
    from qms_cli.messages import action_status, date_words, points, unit_name

    line = text(
        "action_line",
        lang,
        id=a["id"],
        period=_period_shown(a["period"], lang),
        indicator=titles.get(a["indicator"], a["indicator"]),
        unit=unit_name(a["unit"], units, lang),
        gap=points(-a["gap"], lang) if a["gap"] is not None else "–",  # short of the target by, signed +
        owner=a["owner"] or "–",
        due=date_words(a["due"], lang) if a["due"] else "–",
        status=action_status(a["status"], lang),
    )
    return line + (f" — {a['action']}" if a["action"] else "")


@actions_app.command("list", help=_h("cmd_actions_list"))
def actions_list(
    store: StoreOpt = "qms.sqlite",
    period: Annotated[str | None, typer.Option("--period", help=_h("actions_period"))] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=_h("format_validate"))] = "table",
    objectives: ObjectivesOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List the corrective actions that shortfalls opened (help: messages.HELP["cmd_actions_list"])."""
    import json

    from qms_cli.store import open_store

    lang = _check_lang(lang)
    with open_store(store_location(store), create=False) as keep:
        rows = keep.actions(period)
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
    store: StoreOpt = "qms.sqlite",
    cause: Annotated[str | None, typer.Option("--cause", help=_h("cause"))] = None,
    action: Annotated[str | None, typer.Option("--action", help=_h("action"))] = None,
    status: Annotated[str | None, typer.Option("--status", help=_h("status"))] = None,
    effectiveness: Annotated[str | None, typer.Option("--effectiveness", help=_h("effectiveness"))] = None,
    objectives: ObjectivesOpt = None,
    lang: LangOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Fill in, change or close a corrective action (help: messages.HELP["cmd_actions_update"])."""
    from qms_cli.messages import action_status, unit_name
    from qms_cli.store import open_store

    lang = _check_lang(lang)
    with open_store(store_location(store), create=False) as keep:
        row = keep.update_action(action_id, cause=cause, action=action, status=status, effectiveness=effectiveness)
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
    """Entry point of the `qms` console script: errors become exit statuses in `_Shell`, never a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:  # outside any command: still the machine's fault, one line naming the path
        sys.stderr.write(text("error", HELP_LANG, message=EnvironmentFault.from_os_error(exc)) + "\n")
        sys.exit(ExitStatus.ENVIRONMENT)
    except Exception as exc:  # noqa: BLE001 - outside any command (e.g. while parsing): still one line
        if "--debug" in sys.argv or os.environ.get("QMS_DEBUG"):
            traceback.print_exception(exc)
        sys.stderr.write(text("internal_error", HELP_LANG, kind=type(exc).__name__, message=exc) + "\n")
        sys.exit(ExitStatus.INTERNAL)
