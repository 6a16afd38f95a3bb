"""The docs agree with the code: the data-quality codes; every command, option and choice of `qms` in the
README's Commands (the repository keeps no copy of spec/cli.md: the README is the CLI's page); an example
in every command's help; every help page renders, in Vietnamese and in English.

The tests are parametrised per command and per option, so that a failure names what is undocumented."""

from __future__ import annotations

import enum
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import qms_cli
from qms_cli.cli import app
from qms_cli.errors import codes_markdown
from qms_cli.messages import HELP_FRAMEWORK

ROOT = Path(__file__).resolve().parents[1]


def test_data_quality_codes_doc_is_current() -> None:
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == codes_markdown()


@cache
def _tree() -> dict[str, Any]:
    """Every command of the CLI by its path: "" (qms itself), "evaluate", "actions", "actions list", …"""
    root = typer.main.get_command(app)
    out: dict[str, Any] = {"": root}

    def walk(prefix: str, group: Any) -> None:
        for name, command in getattr(group, "commands", {}).items():
            path = f"{prefix} {name}".strip()
            out[path] = command
            walk(path, command)

    walk("", root)
    return out


def _commands() -> dict[str, Any]:
    """The commands that do something (not qms itself, nor a group such as `qms actions`)."""
    return {path: c for path, c in _tree().items() if path and not getattr(c, "commands", None)}


def _options() -> list[tuple[str, str]]:
    """(command path, long option name) of every option of every command, --help aside."""
    return [
        (path, names[0])
        for path, command in _tree().items()
        for param in command.params
        if param.param_type_name == "option"
        for names in [[n for n in param.opts if n.startswith("--")]]
        if names and names[0] != "--help"
    ]


def _param(path: str, option: str) -> Any:
    return next(p for p in _tree()[path].params if option in p.opts)


def _readme_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Commands", 1)[1]
    return section.split("```", 2)[1]


def _usage_of(block: str, path: str) -> str:
    """The README's usage text of one command: from `qms <path>` to the next `qms `."""
    start = block.index(f"qms {path} ")
    rest = block[start + 4 :]
    end = rest.find("qms ")
    return rest if end < 0 else rest[:end]


# Taken by every command (and by qms itself): the README says so once, under the usage lines.
EVERY_COMMAND = ("--debug", "--verbose")
ROOT_ONLY = ("--version", "--install-completion", "--show-completion")


@pytest.mark.parametrize("path", sorted(_commands()))
def test_every_command_is_in_the_readme(path: str) -> None:
    assert f"qms {path} " in _readme_block(), f"qms {path} has no usage line in README's Commands"


@pytest.mark.parametrize(("path", "option"), sorted(_options()))
def test_every_option_of_every_command_is_in_the_readme(path: str, option: str) -> None:
    block = _readme_block()
    if option in EVERY_COMMAND or (path == "" and option in ROOT_ONLY):
        assert f"qms {option}" in block or option in block.split("(every command:", 1)[1], f"qms {option}"
        return
    usage = _usage_of(block, path)
    assert option in usage, f"qms {path}: {option} is not in README's Commands"
    kind = getattr(_param(path, option), "type_descriptor", None)
    annotation = getattr(kind, "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        for choice in annotation:
            assert str(choice.value) in usage, f"qms {path} {option}: {choice.value} is not in README's Commands"


@pytest.mark.parametrize("name", ["QMS_STORE", "QMS_LANG", "QMS_OBJECTIVES"])
def test_the_environment_defaults_are_in_the_readme(name: str) -> None:
    assert name in _readme_block()


@pytest.mark.parametrize(("path", "option"), sorted(_options()))
def test_every_option_has_a_help_text(path: str, option: str) -> None:
    param = _param(path, option)
    assert (param.help or "").strip(), f"qms {path} {option}: no help"


@pytest.mark.parametrize("path", sorted(_commands()))
def test_every_command_has_an_example_in_its_help(path: str) -> None:
    help_text = CliRunner().invoke(app, [*path.split(), "--help"], env={"QMS_LANG": "en"}).stdout
    assert "Example" in help_text or "Ví dụ" in help_text
    assert f"qms {path}" in help_text


# The help is written in the language of the command line (read when qms_cli is imported), so each
# language's pages are rendered by one fresh interpreter.
_RENDER = """
import json, sys
lang = sys.argv[1]
sys.argv = ["qms", "--lang", lang]
from typer.testing import CliRunner
from qms_cli.cli import app
paths = json.loads(sys.stdin.read())
pages = {}
for path in paths:
    done = CliRunner().invoke(app, [*path.split(), "--help"])
    pages[path] = [done.exit_code, done.stdout]
print(json.dumps(pages))
"""


@cache
def _pages(lang: str) -> dict[str, tuple[int, str]]:
    """Every help page (`qms … --help`) rendered in `lang`, by command path."""
    env = {**os.environ, "PYTHONPATH": str(Path(qms_cli.__file__).resolve().parents[1]), "QMS_LANG": ""}
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, lang],
        input=json.dumps(sorted(_tree())),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return {path: (code, page) for path, (code, page) in json.loads(done.stdout).items()}


def _flat(page: str) -> str:
    return " ".join(page.split())  # the words of a page, whatever its line breaks


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", sorted(_tree()))
def test_every_help_page_renders_in_both_languages(path: str, lang: str) -> None:
    code, page = _pages(lang)[path]
    assert code == 0, f"qms {path} --help --lang {lang}: exit {code}"
    words = _flat(page)
    english, vietnamese = zip(*HELP_FRAMEWORK, strict=True)
    usage, leftovers = ("Cách dùng:", english) if lang == "vi" else ("Usage:", vietnamese)
    assert usage in words
    left = [w for w in leftovers if _flat(w) and _flat(w) in words]
    assert not left, f"qms {path} --help --lang {lang}: {left} in the other language"
    for option in (o for p, o in _options() if p == path):
        assert option in words, f"qms {path} --help --lang {lang}: {option} missing"


def test_the_options_listed_are_the_cli_s() -> None:
    # The walk above sees the options of the commands and of qms itself: a check that it is not empty.
    options = _options()
    assert ("evaluate", "--period") in options and ("", "--version") in options
    assert ("actions update", "--status") in options and ("report", "--store") in options


@pytest.mark.parametrize("path", sorted(_tree()))
def test_the_placeholders_of_values_are_words_in_vietnamese_and_keep_the_columns(path: str) -> None:
    import re

    _, page = _pages("vi")[path]
    for english in ("FILE", "PATH", "SECONDS", "KEY=VALUE", "<list[Path]>"):
        assert not re.search(rf"(?<![\w\-.|=<]){re.escape(english)}(?![\w\-|=])", page), f"qms {path}: {english}"
    assert not re.search(r"--period P\b", page)
    _, english_page = _pages("en")[path]
    # The text after an option keeps its column: the option rows of both languages start it alike.
    starts = {len(line) - len(line.lstrip()) for line in page.splitlines() if line.startswith(" " * 20)}
    english_starts = {len(line) - len(line.lstrip()) for line in english_page.splitlines() if line.startswith(" " * 20)}
    assert starts == english_starts
    for line in page.splitlines():
        found = re.match(r"^  (?:-\w, )?--[\w-]+ (TỆP\|URL|TỆP|ĐƯỜNG_DẪN|GIÂY|KHÓA=GIÁ_TRỊ|KỲ)( +)\S", line)
        if found:
            assert line.index(found[2]) + len(found[2]) in english_starts, line
