"""The `qms` command line: a shell over `qms_cli.api`. Each command parses its options (declared once,
as types, in `qms_cli.options`), makes one call to the library and prints; `_Shell` turns the
library's errors into exit statuses in one place."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from typer.core import TyperGroup

from qms_cli import __version__, api
from qms_cli.errors import EnvironmentFault, ExitStatus, QmsError, printable
from qms_cli.messages import argv_lang, text
from qms_cli.options import (
    DEBUG,
    HELP_LANG,
    LANG,
    LOG_FILE,
    ActionsPeriodOpt,
    ActionStatusOpt,
    DebugOpt,
    EvaluateFormat,
    EvaluateFormatOpt,
    Example,
    Lang,
    LangOpt,
    ListFormat,
    ListFormatOpt,
    LogFileOpt,
    ObjectivesOpt,
    OptionalStoreOpt,
    OutputOpt,
    PathsArg,
    PeriodOpt,
    QuietOpt,
    ReportFormats,
    ReportFormatsOpt,
    RequiredPeriodOpt,
    RuleOpt,
    RuleOverride,
    StoreOpt,
    VerboseOpt,
    WaitOpt,
)
from qms_cli.options import h as _h
from qms_cli.results import CorrectiveAction, DataQuality, Evaluation, to_json
from qms_cli.store_open import StoreLocation
from qms_cli.usage import FrameworkError, in_words


class _Shell(TyperGroup):
    """The root command group: the one place where an error of the library becomes an exit status, and
    where the framework's usage errors are put in the run's language (qms_cli.usage)."""

    asked = HELP_LANG  # the language the command line asks for (set again for each run it parses)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        self.asked = argv_lang(list(args))  # before its options are parsed: a usage error may stop them
        try:
            return super().make_context(info_name, args, parent, **extra)
        except FrameworkError as exc:
            said = in_words(exc, self.asked)
            if said is exc:
                raise
            raise said from None

    def invoke(self, ctx: Any) -> Any:  # typer's own Context class is private; typer.Context subclasses it
        try:
            return super().invoke(ctx)
        except FrameworkError as exc:  # a subcommand's options or a command name: exit 2, in the run's words
            said = in_words(exc, self.asked)
            if said is exc:
                raise
            raise said from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # --help, usage errors (exit 2) and the commands' own exits: typer reports them
        except BrokenPipeError as exc:  # `qms … | head`: the reader has gone, which is no error (docs/errors.md)
            if not _dropped_if_closed():
                self._failed(ctx, exc)
            raise typer.Exit(ExitStatus.OK) from None
        except QmsError as exc:
            _report(ctx, exc, text("error", _lang(ctx), message=exc.words(_lang(ctx))))
            raise typer.Exit(exc.exit_status) from None
        except OSError as exc:  # the machine's, not an input's: disk full, permission, read-only folder (exit 5)
            self._failed(ctx, exc)
        except Exception as exc:  # noqa: BLE001 - a defect of qms: one line a clerk can pass on
            first = next(iter(str(exc).splitlines()), "")  # one line, even for a long message
            line = text("internal_error", _lang(ctx), kind=type(exc).__name__, message=first)
            _report(ctx, exc, line)
            raise typer.Exit(ExitStatus.INTERNAL) from None

    @staticmethod
    def _failed(ctx: Any, exc: OSError) -> NoReturn:
        """An OSError as the machine's fault: its one line, then exit 5."""
        fault = EnvironmentFault.from_os_error(exc)
        _report(ctx, fault, text("error", _lang(ctx), message=fault.words(_lang(ctx))))
        raise typer.Exit(fault.exit_status) from None


def _lang(ctx: Any) -> str:
    """The running command's language (its --lang / QMS_LANG), else the one its help was written in."""
    return str(ctx.meta.get(LANG, HELP_LANG))


def stdout_closed() -> bool:
    """Whether stdout is a pipe whose reader has gone (`qms … | head -1`): poll says POLLERR."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test's runner): not a pipe
        return False


def _dropped_if_closed() -> bool:
    """After a BrokenPipeError: when the reader of stdout has gone, drop the rest of the output (True)."""
    if not stdout_closed():
        return False
    discard_stdout()
    return True


def discard_stdout() -> None:
    """Point stdout at /dev/null, so that what is still written and the flush at exit go nowhere, quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


@contextmanager
def _to_stdout() -> Iterator[None]:
    """Output to stdout that the reader may stop reading (`| head`): the rest is dropped quietly and the
    command goes on (the store keeps the run, the exit status is the run's own)."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        if not _dropped_if_closed():
            raise


def _report(ctx: Any, exc: Exception, line: str) -> None:
    """The error's one line on stderr and in the --log-file; its traceback first under --debug."""
    if ctx.meta.get(DEBUG):
        traceback.print_exception(exc)
    status = exc.exit_status if isinstance(exc, QmsError) else ExitStatus.INTERNAL
    typer.echo(line, err=True)
    said = exc.words(_lang(ctx)) if isinstance(exc, QmsError) else f"{type(exc).__name__}: {exc}"
    try:
        _log(ctx.meta.get(LOG_FILE), text("log_error", _lang(ctx), status=int(status), message=said))
    except EnvironmentFault as fault:  # the run's own error is the one that matters: its status stays
        typer.echo(text("error", _lang(ctx), message=fault.words(_lang(ctx))), err=True)


app = typer.Typer(
    cls=_Shell,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help=_h("app"),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qms {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=_h("version"))] = False,
    debug: DebugOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """qms: quality-objective scorecards for Decision 784/QĐ-UBND."""


# --- output ---------------------------------------------------------------------------------------
def _write(content: str, output: Path | None) -> None:
    """Write to stdout, or atomically to `output` (a temporary file renamed into place)."""
    if output is None:
        with _to_stdout():
            sys.stdout.write(content)
        return
    from qms_cli.render.plain import atomic_write

    try:
        atomic_write(output, lambda path: path.write_text(content, encoding="utf-8", newline=""))
    except OSError as exc:
        raise EnvironmentFault.from_os_error(exc, output, "doing_output") from None


def _write_table(render: Callable[[TextIO, bool], object], output: Path | None) -> None:
    """A rich table to stdout (coloured on a terminal unless NO_COLOR), or plain into `output`."""
    import io

    if output is None:
        with _to_stdout():
            render(sys.stdout, sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        return
    buffer = io.StringIO()
    render(buffer, False)
    _write(buffer.getvalue(), output)


def _summary(quality: DataQuality, quiet: bool, lang: str) -> None:
    """The stderr summary of row accounting; with --quiet only the problems."""
    files = quality.files
    if not quiet:
        typer.echo(
            text(
                "rows_summary",
                lang,
                files=len({f.path for f in files}),
                read=sum(f.rows_read for f in files),
                accepted=sum(f.rows_accepted for f in files),
                rejected=quality.rows_rejected,
                skipped=sum(f.rows_skipped for f in files),
                superseded=sum(f.rows_superseded for f in files),
            ),
            err=True,
        )
    elif quality.rows_rejected:
        typer.echo(text("rows_rejected", lang, rejected=quality.rows_rejected), err=True)
    for f in files:
        if f.kind in ("unreadable", "unknown"):
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
        raise EnvironmentFault.from_os_error(exc, log_file, "doing_log_file") from None


def _check_log(log_file: Path | None) -> None:
    """Refuse a log file that cannot be appended to before anything is read or written (exit 5)."""
    if log_file is None:
        return
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise EnvironmentFault.from_os_error(exc, log_file, "doing_log_file") from None


class _Bar:
    """The library's long tasks as a rich progress bar on stderr (it disappears when they are done)."""

    def __init__(self, lang: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.bar = Progress(*columns, console=Console(stderr=True), transient=True)
        self.lang = lang
        self.tasks: dict[str, Any] = {}

    def start(self, task: str, total: int) -> None:
        if not self.tasks:
            self.bar.start()
        self.tasks[task] = self.bar.add_task(text(f"progress_{task}", self.lang), total=total)

    def advance(self, task: str) -> None:
        self.bar.advance(self.tasks[task])

    def stop(self, task: str) -> None:
        self.bar.remove_task(self.tasks.pop(task))
        if not self.tasks:
            self.bar.stop()


def progress_wanted(quiet: bool, json_on_stdout: bool, terminal: bool) -> bool:
    """A progress bar only for a person watching: stderr is a terminal, no --quiet, no JSON on stdout."""
    return terminal and not quiet and not json_on_stdout


def _progress(quiet: bool, json_on_stdout: bool, lang: str) -> AbstractContextManager[None]:
    """Report the library's progress on stderr when a person is watching (see progress_wanted)."""
    from qms_cli import progress

    terminal = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    return progress.reporting(_Bar(lang) if progress_wanted(quiet, json_on_stdout, terminal) else None)


def _rules(rule: list[RuleOverride] | None) -> dict[str, str]:
    return {r.key: r.value for r in rule or []}


def _deliver(format: EvaluateFormat, output: Path | None, lang: str) -> Callable[[Evaluation], None]:
    """Write an evaluation in `format` to stdout or `output` (called before the store keeps the run)."""

    def deliver(evaluation: Evaluation) -> None:
        if format is EvaluateFormat.json:
            _write(to_json(evaluation), output)
        elif format is EvaluateFormat.csv:
            from qms_cli.render.plain import to_csv

            _write(to_csv(evaluation), output)
        elif format is EvaluateFormat.form_06a:
            from qms_cli.render.plain import form_06a_csv

            _write(form_06a_csv(api.form_06a(evaluation=evaluation)), output)
        else:
            from qms_cli.render.table import render_evaluation  # rich loads only for a table

            result = evaluation.model_dump(mode="json")
            _write_table(lambda out, color: render_evaluation(result, out, lang, color), output)

    return deliver


# --- commands -------------------------------------------------------------------------------------
@app.command(help=_h("cmd_evaluate"))
def evaluate(
    ctx: typer.Context,
    paths: PathsArg,
    period: PeriodOpt = None,
    objectives: ObjectivesOpt = None,
    rule: RuleOpt = None,
    format: EvaluateFormatOpt = EvaluateFormat.table,
    output: OutputOpt = None,
    store: StoreOpt = "qms.sqlite",
    no_store: Annotated[bool, typer.Option("--no-store", help=_h("no_store"))] = False,
    lang: LangOpt = Lang.vi,
    fail_on_shortfall: Annotated[bool, typer.Option("--fail-on-shortfall", help=_h("fail_on_shortfall"))] = False,
    quiet: QuietOpt = False,
    wait: WaitOpt = 0.0,
    log_file: LogFileOpt = None,
    debug: DebugOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Score the quality objectives from monthly exports (its help: messages.HELP["cmd_evaluate"])."""
    _check_log(log_file)  # before anything is read or written
    ctx.meta[LOG_FILE] = log_file
    with _progress(quiet, format is EvaluateFormat.json and output is None, lang.value):
        evaluation = api.evaluate(
            paths=paths,
            period=period,
            objectives=objectives,
            rules=_rules(rule),
            lang=lang.value,
            store=None if no_store else store,
            wait=wait,
            deliver=_deliver(format, output, lang.value),
        )
    quality = evaluation.data_quality
    _summary(quality, quiet, lang.value)
    code = ExitStatus.OK
    if quality.unreadable_files:
        code = ExitStatus.INPUT
    elif fail_on_shortfall and evaluation.shortfalls:
        code = ExitStatus.SHORTFALL
    _log(
        log_file,
        text(
            "log_evaluated",
            lang.value,
            period=evaluation.period.label,
            files=len({f.path for f in quality.files}),
            shortfalls=len(evaluation.shortfalls),
            unreadable=quality.unreadable_files,
            status=int(code),
        ),
    )
    if code:
        raise typer.Exit(code)


@app.command(help=_h("cmd_init"))
def init(
    output: Annotated[Path, typer.Argument(help=_h("init_output"))] = Path("objectives.yaml"),
    example: Annotated[Example, typer.Option("--example", help=_h("init_example"))] = Example.ward_2026,
    force: Annotated[bool, typer.Option("--force", help=_h("init_force"))] = False,
    lang: LangOpt = Lang.vi,
    debug: DebugOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Write a commented objectives file to start from (its help: messages.HELP["cmd_init"])."""
    written = api.init_objectives(path=output, example=example.value, force=force)
    typer.echo(text("init_written", lang.value, path=written), err=True)


@app.command(help=_h("cmd_validate"))
def validate(
    paths: PathsArg,
    objectives: ObjectivesOpt = None,
    format: ListFormatOpt = ListFormat.table,
    lang: LangOpt = Lang.vi,
    quiet: QuietOpt = False,
    strict: Annotated[bool, typer.Option("--strict", help=_h("strict"))] = False,
    debug: DebugOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Check exports before sending them (its help: messages.HELP["cmd_validate"])."""
    with _progress(quiet, format is ListFormat.json, lang.value):
        validation = api.validate(paths=paths, objectives=objectives, lang=lang.value)
    quality = validation.data_quality
    if format is ListFormat.json:
        _write(to_json(validation), None)
    else:
        from qms_cli.render.table import render_quality

        shown = quality.model_dump(mode="json")
        units = _names(objectives, lang.value)[1]
        _write_table(lambda out, color: render_quality(shown, out, lang.value, color, names=units), None)
    _summary(quality, quiet, lang.value)
    if quality.unreadable_files:
        raise typer.Exit(ExitStatus.INPUT)
    if quality.rows_rejected or (strict and quality.has("warning")):  # a checker: rows that will not count
        raise typer.Exit(ExitStatus.SHORTFALL)


@app.command(help=_h("cmd_report"))
def report(
    period: RequiredPeriodOpt,
    data: Annotated[list[Path] | None, typer.Option("--data", help=_h("data"), metavar="PATH")] = None,
    objectives: ObjectivesOpt = None,
    rule: RuleOpt = None,
    format: ReportFormatsOpt = ReportFormats(),  # noqa: B008 - frozen: every format
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", file_okay=False, help=_h("output_dir"))] = Path("."),
    store: OptionalStoreOpt = None,
    lang: LangOpt = Lang.vi,
    quiet: QuietOpt = False,
    wait: WaitOpt = 0.0,
    debug: DebugOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Write the consolidated report for the ISO Steering Committee (its help: messages.HELP["cmd_report"])."""
    with _progress(quiet, False, lang.value):
        written = api.report(
            period=period,
            data=data or [],
            store=_report_store(store, bool(data), lang.value),
            objectives=objectives,
            rules=_rules(rule),
            lang=lang.value,
            formats=[f.value for f in format.formats],
            output_dir=output_dir,
            wait=wait,
        )
    if not quiet:
        for path in written.written:
            typer.echo(text("wrote", lang.value, path=path), err=True)
    _summary(written.data_quality, quiet, lang.value)
    if written.data_quality.unreadable_files:  # as for evaluate: the report was written from the good files
        raise typer.Exit(ExitStatus.INPUT)


def _report_store(store: str | None, data: bool, lang: str) -> StoreLocation | None:
    """The store a report reads: ./qms.sqlite when it exists; a named one (--store, QMS_STORE) must exist,
    unless the report is made from --data alone (then it is said so, and no empty store is created)."""
    from qms_cli.store_open import store_exists, store_location

    if store is None:
        default = store_location("qms.sqlite")
        return default if store_exists(default) or not data else None
    where = store_location(store)
    if data and not store_exists(where):
        typer.echo(text("store_data_alone", lang, path=printable(store)), err=True)
        return None
    return where


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
    return titles, {u.slug: u.name for u in spec.units} | {
        "": spec.district.name if lang == "vi" else spec.district.name_en
    }


def _period_shown(label: str, lang: str) -> str:
    """A stored period label in words ("6 tháng đầu năm 2019"); as stored if it is not one of the grammar's."""
    from qms_cli.messages import period_words
    from qms_cli.periods import parse_period

    try:
        return period_words(parse_period(label).to_json(), lang)
    except QmsError:
        return label


def _action_line(a: CorrectiveAction, titles: dict[str, str], units: dict[str, str], lang: str) -> str:
    from qms_cli.messages import action_status, date_words, points, unit_name

    line = text(
        "action_line",
        lang,
        id=a.id,
        period=_period_shown(a.period, lang),
        indicator=titles.get(a.indicator, a.indicator),
        unit=unit_name(a.unit, units, lang),
        gap=points(-a.gap, lang) if a.gap is not None else "–",  # short of the target by, signed +
        owner=a.owner or "–",
        due=date_words(a.due, lang) if a.due else "–",
        status=action_status(a.status, lang),
    )
    return line + (f" — {a.action}" if a.action else "")


@actions_app.command("list", help=_h("cmd_actions_list"))
def actions_list(
    store: StoreOpt = "qms.sqlite",
    period: ActionsPeriodOpt = None,
    format: ListFormatOpt = ListFormat.table,
    objectives: ObjectivesOpt = None,
    lang: LangOpt = Lang.vi,
    debug: DebugOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """List the corrective actions that shortfalls opened (help: messages.HELP["cmd_actions_list"])."""
    import json

    actions = api.list_actions(store=store, period=period)
    if format is ListFormat.json:
        _write(json.dumps([a.model_dump(mode="json") for a in actions], ensure_ascii=False, indent=2) + "\n", None)
        return
    titles, units = _names(objectives, lang.value)
    with _to_stdout():
        for a in actions:
            typer.echo(_action_line(a, titles, units, lang.value))
        if not actions:
            typer.echo(text("no_actions_listed", lang.value))


@actions_app.command("update", help=_h("cmd_actions_update"))
def actions_update(
    action_id: Annotated[int, typer.Argument(help=_h("action_id"), min=1)],
    store: StoreOpt = "qms.sqlite",
    cause: Annotated[str | None, typer.Option("--cause", help=_h("cause"))] = None,
    action: Annotated[str | None, typer.Option("--action", help=_h("action"))] = None,
    status: ActionStatusOpt = None,
    effectiveness: Annotated[str | None, typer.Option("--effectiveness", help=_h("effectiveness"))] = None,
    objectives: ObjectivesOpt = None,
    lang: LangOpt = Lang.vi,
    debug: DebugOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Fill in, change or close a corrective action (help: messages.HELP["cmd_actions_update"])."""
    from qms_cli.messages import action_status, unit_name

    row = api.update_action(
        store=store,
        action_id=action_id,
        cause=cause,
        action=action,
        status=status.value if status else None,
        effectiveness=effectiveness,
    )
    titles, units = _names(objectives, lang.value)
    typer.echo(
        text(
            "action_updated",
            lang.value,
            id=row.id,
            status=action_status(row.status, lang.value),
            indicator=titles.get(row.indicator, row.indicator),
            unit=unit_name(row.unit, units, lang.value),
        )
    )


def main() -> None:
    """Entry point of the `qms` console script: errors become exit statuses in `_Shell`, never a traceback."""
    try:
        try:
            app(standalone_mode=True)
        finally:
            with _to_stdout():  # the flush at exit, when the reader went away after the last write
                sys.stdout.flush()
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:  # outside any command: still the machine's fault, one line naming the path
        sys.stderr.write(text("error", HELP_LANG, message=EnvironmentFault.from_os_error(exc).words(HELP_LANG)) + "\n")
        sys.exit(ExitStatus.ENVIRONMENT)
    except Exception as exc:  # noqa: BLE001 - outside any command (e.g. while parsing): still one line
        if "--debug" in sys.argv or os.environ.get("QMS_DEBUG"):
            traceback.print_exception(exc)
        sys.stderr.write(text("internal_error", HELP_LANG, kind=type(exc).__name__, message=exc) + "\n")
        sys.exit(ExitStatus.INTERNAL)
