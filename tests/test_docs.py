"""The docs agree with the code: the data-quality codes, every command and option in the README, an example
in every command's help."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from qms_cli.cli import app
from qms_cli.errors import codes_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_data_quality_codes_doc_is_current() -> None:
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == codes_markdown()


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    commands += [g.name for g in app.registered_groups if g.name]
    assert commands and all(f"qms {name}" in readme for name in commands)


def _commands() -> dict[str, Any]:
    """Every command of the CLI by its path ("evaluate", "actions list"), as click commands."""
    root = typer.main.get_command(app)
    out: dict[str, Any] = {}
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            out |= {f"{name} {sub}": c for sub, c in subcommands.items()}
        else:
            out[name] = command
    return out


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


@pytest.mark.parametrize("path", sorted(_commands()))
def test_every_option_of_every_command_is_in_the_readme(path: str) -> None:
    usage = _usage_of(_readme_block(), path)
    for param in _commands()[path].params:
        names = [n for n in param.opts if n.startswith("--")]
        if not names or names[0] in ("--help", "--debug", "--verbose"):
            continue
        assert names[0] in usage, f"qms {path}: {names[0]} is not in README's Commands"
        kind = param.type_descriptor.annotation
        for choice in list(kind) if isinstance(kind, type) and issubclass(kind, enum.Enum) else []:
            assert str(choice.value) in usage, f"qms {path} {names[0]}: {choice.value} is not in README's Commands"


def test_the_options_every_command_takes_are_in_the_readme() -> None:
    block = _readme_block()
    for name in ("--debug", "--verbose", "--install-completion", "QMS_STORE", "QMS_LANG", "QMS_OBJECTIVES"):
        assert name in block


@pytest.mark.parametrize("path", sorted(_commands()))
def test_every_command_has_an_example_in_its_help(path: str) -> None:
    help_text = CliRunner().invoke(app, [*path.split(), "--help"], env={"QMS_LANG": "en"}).stdout
    assert "Example" in help_text or "Ví dụ" in help_text
    assert f"qms {path}" in help_text
