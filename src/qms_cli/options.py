"""The options of the `qms` commands, declared once as types: choices are enums, paths that must exist
are checked by typer, defaults come from the environment (QMS_STORE, QMS_LANG, QMS_OBJECTIVES).

`--help` then lists every choice, completion offers them, and a bad value is a usage error (exit 2)
that names the allowed ones, before any file is read.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from qms_cli.errors import Phrase
from qms_cli.messages import argv_lang, help_text, translate_help
from qms_cli.usage import PhrasedBadParameter

HELP_LANG = argv_lang(sys.argv)  # --help is written before the options are parsed
DEBUG = "qms.debug"  # ctx.meta key: --debug was given (anywhere on the command line)
LANG = "qms.lang"  # ctx.meta key: the language of the running command, for its error line
LOG_FILE = "qms.log_file"  # ctx.meta key: the --log-file of the running command, for its error line


def _localise_help(lang: str) -> None:
    """The framework's words in the help ("Usage", "Options", "Show this message and exit.") follow
    --lang / QMS_LANG too (messages.HELP_FRAMEWORK); should typer's internals move, they stay English."""
    if lang == "en":
        return
    try:
        from typer._click.core import Context
    except ImportError:  # pragma: no cover - another typer layout
        return
    original = Context.get_help

    def get_help(self: Context) -> str:
        return translate_help(original(self), lang)

    Context.get_help = get_help  # type: ignore[method-assign]


_localise_help(HELP_LANG)


def h(key: str) -> str:
    """The help of a command or option in the language of --lang / QMS_LANG (messages.HELP)."""
    return help_text(key, HELP_LANG)


class Lang(StrEnum):
    """Languages of the output and messages."""

    vi = "vi"
    en = "en"


class EvaluateFormat(StrEnum):
    """What `qms evaluate` writes."""

    table = "table"
    json = "json"
    csv = "csv"
    form_06a = "06a"


class ListFormat(StrEnum):
    """What `qms validate` and `qms actions list` write."""

    table = "table"
    json = "json"


class ReportFormat(StrEnum):
    """The files `qms report` writes."""

    html = "html"
    xlsx = "xlsx"
    docx = "docx"
    md = "md"
    json = "json"


class Example(StrEnum):
    """The objectives files `qms init` starts from (qms_cli.api.EXAMPLES)."""

    ward_2026 = "2026-ward"
    district_2019 = "2019"


class ActionStatus(StrEnum):
    """The states of a corrective action."""

    draft = "draft"
    open = "open"
    done = "done"
    closed = "closed"


@dataclass(frozen=True)
class RuleOverride:
    """One `--rule KEY=VALUE`: a counting rule changed for this run (its value is checked by the rules)."""

    key: str
    value: str


def parse_rule(text: str | RuleOverride) -> RuleOverride:
    """Parse KEY=VALUE; a usage error (exit 2) for anything else."""
    if isinstance(text, RuleOverride):
        return text
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise PhrasedBadParameter(Phrase("rule_not_key_value", got=repr(text)))
    return RuleOverride(key.strip(), value.strip())


@dataclass(frozen=True)
class ReportFormats:
    """The formats of one `qms report --format html,xlsx,…` (in the order given, each once)."""

    formats: tuple[ReportFormat, ...] = tuple(ReportFormat)

    def __str__(self) -> str:
        return ",".join(f.value for f in self.formats)


def parse_report_formats(text: str | ReportFormats) -> ReportFormats:
    """Parse a comma-separated list of report formats; a usage error names the allowed ones."""
    if isinstance(text, ReportFormats):
        return text
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    allowed = [f.value for f in ReportFormat]
    wrong = [n for n in names if n not in allowed]
    if wrong or not names:
        raise PhrasedBadParameter(
            Phrase("report_formats_unknown", wrong=", ".join(wrong) or repr(text), allowed=", ".join(allowed))
        )
    return ReportFormats(tuple(ReportFormat(n) for n in dict.fromkeys(names)))


def _remember_lang(ctx: typer.Context, value: Lang) -> Lang:
    """--lang's callback: the command's language, kept for the error handler's line."""
    ctx.meta[LANG] = value.value
    return value


def _debug(ctx: typer.Context, value: bool) -> None:
    if value:
        ctx.meta[DEBUG] = True


def _verbose(ctx: typer.Context, value: int) -> None:
    """-v shows what qms does (files read, period, store) on stderr through `logging`; -vv more."""
    if value:
        logging.basicConfig(format="qms: %(message)s", stream=sys.stderr, force=True)
        logging.getLogger("qms_cli").setLevel(logging.INFO if value == 1 else logging.DEBUG)


# Taken by the root and by every command, so that `qms --debug evaluate …` and `qms evaluate … --debug`
# both work; their values live in ctx.meta and logging, not in the commands' parameters.
DebugOpt = Annotated[
    bool,
    typer.Option("--debug", envvar="QMS_DEBUG", callback=_debug, expose_value=False, is_eager=True, help=h("debug")),
]
VerboseOpt = Annotated[
    int,
    typer.Option(
        "--verbose", "-v", count=True, callback=_verbose, expose_value=False, show_default=False, help=h("verbose")
    ),
]

# An option taken by several commands is one typer.Option (typer copies it for each use); where a command
# needs it and another does not, two types share it, so the help is the same word for word.
_PERIOD = typer.Option("--period", "-p", help=h("period"), metavar="P")
_STORE = typer.Option("--store", envvar="QMS_STORE", help=h("store"), show_default=False, metavar="FILE|URL")

PathsArg = Annotated[list[Path], typer.Argument(help=h("paths"), show_default=False, metavar="PATH")]
PeriodOpt = Annotated[str | None, _PERIOD]  # qms evaluate: the latest year's dates by default
RequiredPeriodOpt = Annotated[str, _PERIOD]  # qms report
ActionsPeriodOpt = Annotated[str | None, typer.Option("--period", help=h("actions_period"), metavar="P")]
ObjectivesOpt = Annotated[
    Path | None,
    typer.Option(
        "--objectives",
        envvar="QMS_OBJECTIVES",
        exists=True,
        dir_okay=False,
        readable=True,
        metavar="FILE",
        help=h("objectives"),
    ),
]
RuleOpt = Annotated[
    list[RuleOverride] | None, typer.Option("--rule", parser=parse_rule, metavar="KEY=VALUE", help=h("rule"))
]
LangOpt = Annotated[
    Lang, typer.Option("--lang", envvar="QMS_LANG", case_sensitive=False, callback=_remember_lang, help=h("lang"))
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help=h("quiet"))]
WaitOpt = Annotated[float, typer.Option("--wait", min=0, help=h("wait"), metavar="SECONDS")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=h("output"), metavar="FILE")]
# A store is a SQLite file or a postgresql:// address: text, made a location by qms_cli.store_open.store_location.
StoreOpt = Annotated[str, _STORE]  # qms evaluate, qms actions: ./qms.sqlite
OptionalStoreOpt = Annotated[str | None, _STORE]  # qms report: ./qms.sqlite when it exists
LogFileOpt = Annotated[Path | None, typer.Option("--log-file", help=h("log_file"), metavar="FILE")]
EvaluateFormatOpt = Annotated[EvaluateFormat, typer.Option("--format", "-f", help=h("format_evaluate"))]
ListFormatOpt = Annotated[ListFormat, typer.Option("--format", "-f", help=h("format_validate"))]
ReportFormatsOpt = Annotated[
    ReportFormats,
    typer.Option(
        "--format", "-f", parser=parse_report_formats, metavar="html,xlsx,docx,md,json", help=h("format_report")
    ),
]
ActionStatusOpt = Annotated[ActionStatus | None, typer.Option("--status", help=h("status"))]
