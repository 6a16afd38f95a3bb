"""The docs agree with the code: the error catalogue, and every command in the README."""

from __future__ import annotations

from pathlib import Path

from qms_cli.cli import app
from qms_cli.errors import catalogue_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_error_catalogue_doc_is_current() -> None:
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == catalogue_markdown()


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    commands += [g.name for g in app.registered_groups if g.name]
    assert commands and all(f"qms {name}" in readme for name in commands)
