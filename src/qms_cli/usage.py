"""The command-line framework's own usage errors (exit 2) in the run's language.

typer (and click under it) writes "Usage: …", "Error: Invalid value for '--example': …", "No such
option", "Missing argument", "No such command", "Got unexpected extra argument(s)" in English.
`in_words` gives back, for a Vietnamese run, an error that shows the same lines in the words of the
catalogue (messages.USAGE), naming the same option and value; an English run keeps the framework's
own error unchanged. The exit status stays the framework's (2, spec/cli.md).
"""

from __future__ import annotations

import re
from typing import IO, Any

import typer

from qms_cli.errors import Phrase
from qms_cli.messages import text, translate_help

try:
    from typer._click import exceptions as framework
except ImportError:  # pragma: no cover - a typer that still runs on click itself
    from click import exceptions as framework  # type: ignore[no-redef]

FrameworkError = framework.UsageError
# `no_args_is_help` shows the help as a usage error: its words are the help's, translated already.
_HELP_SHOWN: tuple[type[Exception], ...] = tuple(t for t in [getattr(framework, "NoArgsIsHelpError", None)] if t)

# The sentences the framework writes with ctx.fail() or in its parser, by key of messages.USAGE.
_SAID = (
    (re.compile(r"^No such command (?P<command>'.*')\.(?: Did you mean (?P<names>.+)\?)?$"), "usage_no_command"),
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<arguments>.*)\)$"), "usage_extra_arguments"),
    (re.compile(r"^Missing command\.$"), "usage_missing_command"),
    (re.compile(r"^Option (?P<option>'.*') requires an argument\.$"), "usage_needs_value"),
    (re.compile(r"^Option (?P<option>'.*') requires (?P<count>\d+) arguments\.$"), "usage_needs_values"),
    (re.compile(r"^Option (?P<option>'.*') does not take a value\.$"), "usage_takes_no_value"),
)
# What a value was refused for: the framework's checks of types, choices and paths.
_NOT_ONE_OF = re.compile(r"^(?:Value error, )?(?P<value>.+?) is not one of (?P<choices>.+)\.$")
_PATH = re.compile(
    r"^(?P<kind>file|dir|path) (?P<path>'.*') "
    r"(?P<what>does not exist|is a file|is a directory|is not readable|is not writable)\.$",
    re.IGNORECASE,
)
_PATH_KEYS = {
    "does not exist": "usage_path_missing",
    "is a file": "usage_path_is_file",
    "is a directory": "usage_path_is_folder",
    "is not readable": "usage_path_unreadable",
    "is not writable": "usage_path_unwritable",
}
_BOUNDS = {"greater_than_equal": ("usage_at_least", "ge"), "greater_than": ("usage_more_than", "gt")}
_BOUNDS |= {"less_than_equal": ("usage_at_most", "le"), "less_than": ("usage_less_than", "lt")}
_TYPES = {"int_parsing": "usage_integer", "int_type": "usage_integer", "int_from_float": "usage_integer"}
_TYPES |= {"float_parsing": "usage_number", "float_type": "usage_number"}


class PhrasedBadParameter(framework.BadParameter):
    """A value qms refuses in a parser of options.py, said in the catalogue's words (a `Phrase`)."""

    def __init__(self, phrase: Phrase) -> None:  # noqa: D107 - see the class
        super().__init__(phrase.words("en"))
        self.phrase = phrase


class UsageInWords(framework.UsageError):
    """A usage error of the framework, shown in the catalogue's words of `lang` (exit status unchanged)."""

    def __init__(self, original: framework.UsageError, lang: str) -> None:  # noqa: D107 - see the class
        super().__init__(original.message, original.ctx)
        self.exit_code = original.exit_code
        self.original = original
        self.lang = lang

    def format_message(self) -> str:
        """The error's sentence in the run's language."""
        return message(self.original, self.lang)

    def show(self, file: IO[Any] | None = None) -> None:
        """The usage line, the hint to the help and the error, as the framework lays them out."""
        ctx = self.ctx
        if ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                hint = text("usage_hint", self.lang, command=ctx.command_path, option=ctx.help_option_names[0]) + "\n"
            usage = translate_help(ctx.get_usage(), self.lang)
            typer.echo(f"{usage}\n{hint}", file=file, err=file is None, color=ctx.color)
        line = text("usage_error", self.lang, message=self.format_message())
        typer.echo(line, file=file, err=file is None, color=ctx.color if ctx is not None else None)


def in_words(error: framework.UsageError, lang: str) -> framework.UsageError:
    """The error to raise in place of `error` for a run in `lang`: itself in English (and for the help
    that `no_args_is_help` shows, already translated), else one that speaks the catalogue's words."""
    if lang == "en" or isinstance(error, (UsageInWords, *_HELP_SHOWN)):
        return error
    return UsageInWords(error, lang)


def message(error: framework.UsageError, lang: str) -> str:
    """The sentence of a usage error in `lang`, naming its option, argument or value."""
    if isinstance(error, framework.MissingParameter):
        return _missing(error, lang)
    if isinstance(error, framework.BadParameter):
        detail = _detail(error, lang)
        hint = _hint(error, lang)
        if hint is None:
            return text("usage_bad_value_bare", lang, detail=detail)
        return text("usage_bad_value", lang, param=hint, detail=detail)
    if isinstance(error, framework.NoSuchOption):
        said = text("usage_no_option", lang, option=error.option_name)
        if error.possibilities:
            said += " " + text("usage_possible_options", lang, options=", ".join(sorted(error.possibilities)))
        return said
    return _said(error.message, lang)


def _said(sentence: str, lang: str) -> str:
    """One of the framework's own sentences in `lang`; any other as the framework wrote it."""
    for pattern, key in _SAID:
        if found := pattern.match(sentence):
            fields = {k: v for k, v in found.groupdict().items() if k != "names"}
            said = text(key, lang, **fields)
            if found.groupdict().get("names"):
                said += " " + text("usage_did_you_mean", lang, names=found["names"])
            return said
    return sentence


def _hint(error: framework.BadParameter, lang: str) -> str | None:
    """The option or argument a value was refused for ("'--example'"), as the framework names it."""
    hint: Any = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    if hint is None:
        return None
    if not isinstance(hint, str):
        hint = " / ".join(repr(h) for h in hint)
    return re.sub(r"\(env var: (.*)\)", lambda m: text("usage_env_var", lang, name=m[1]), hint)


def _missing(error: framework.MissingParameter, lang: str) -> str:
    """'Missing argument 'action_id'.' in `lang`."""
    kind = error.param_type or (error.param.param_type_name if error.param is not None else "parameter")
    kind_words = text(f"usage_kind_{kind}", lang) if kind in ("argument", "option", "parameter") else kind
    hint = error.param_hint if isinstance(error.param_hint, str) else None
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    if hint:
        return text("usage_missing", lang, kind=kind_words, param=hint)
    return text("usage_missing_bare", lang, kind=kind_words)


def _detail(error: framework.BadParameter, lang: str) -> str:
    """Why a value was refused, in `lang`: qms's own phrase, the type check's, a choice's or a path's."""
    if isinstance(error, PhrasedBadParameter):
        return error.phrase.words(lang)
    cause = error.__cause__
    first = cause.errors()[0] if cause is not None and hasattr(cause, "errors") and cause.errors() else None
    if first is not None:
        kind, context, value = first.get("type"), first.get("ctx") or {}, first.get("input")
        if kind in _TYPES:
            return text(_TYPES[kind], lang, value=repr(value))
        if kind in _BOUNDS:
            key, limit = _BOUNDS[kind]
            return text(key, lang, limit=_number(context.get(limit)))
    said = str(error.message)
    if found := _NOT_ONE_OF.match(said):
        return text("usage_not_one_of", lang, value=found["value"], choices=found["choices"])
    if found := _PATH.match(said):
        kind_words = text(f"usage_kind_{found['kind'].lower()}", lang)
        return text(_PATH_KEYS[found["what"]], lang, kind=kind_words, path=found["path"])
    return said


def _number(value: object) -> str:
    """A bound as people write it: 0 rather than 0.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
