"""Exit statuses (spec/cli.md, "Exit status"): one enum, each exception class carrying its status, one handler."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from helpers import write_csv
from typer.testing import CliRunner

import qms_cli
from qms_cli import cli
from qms_cli.errors import CODES, EnvironmentFault, ExitStatus, InputError, LockedError, QmsError, UsageError

runner = CliRunner()
HEADER = ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]
GOOD = ["K1", "02/01/2019", "09/01/2019", "08/01/2019"]


def test_the_enum_names_every_code_of_the_spec() -> None:
    assert {s.name: int(s) for s in ExitStatus} == {
        "OK": 0,
        "SHORTFALL": 1,
        "USAGE": 2,
        "INPUT": 3,
        "LOCKED": 4,
        "ENVIRONMENT": 5,
        "INTERNAL": 70,
    }


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_every_error_class_of_qms_carries_a_status_that_is_not_internal() -> None:
    for module in pkgutil.walk_packages(qms_cli.__path__, "qms_cli."):
        if module.name != "qms_cli.__main__":
            importlib.import_module(module.name)
    classes = _subclasses(QmsError)
    assert {UsageError, InputError, LockedError, EnvironmentFault} <= set(classes)
    for cls in classes:  # a new error class must say which status it is, not fall back to "a defect"
        assert isinstance(cls.exit_status, ExitStatus) and cls.exit_status != ExitStatus.INTERNAL, cls


@pytest.mark.parametrize(
    ("error", "status"),
    [(UsageError, 2), (InputError, 3), (LockedError, 4), (EnvironmentFault, 5), (RuntimeError, 70), (KeyError, 70)],
)
def test_one_handler_maps_each_error_to_its_status(
    error: type[Exception], status: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error("disk /srv/qms is full")

    monkeypatch.setattr(cli.api, "validate", fail)
    result = runner.invoke(cli.app, ["validate", str(tmp_path), "--lang", "en"])
    assert result.exit_code == status
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line a clerk can pass on
    if status == 70:
        assert "internal error" in result.stderr and "--debug" in result.stderr
    else:
        assert result.stderr.startswith("qms: error: disk /srv/qms is full")
    vietnamese = runner.invoke(cli.app, ["validate", str(tmp_path)])
    assert vietnamese.exit_code == status
    assert vietnamese.stderr.startswith("qms: lỗi nội bộ" if status == 70 else "qms: lỗi: disk /srv/qms is full")


@pytest.mark.parametrize("where", ["root", "command"])
def test_debug_shows_the_traceback_of_an_internal_error(
    where: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a defect")

    monkeypatch.setattr(cli.api, "validate", fail)
    args = ["--debug", "validate", str(tmp_path)] if where == "root" else ["validate", str(tmp_path), "--debug"]
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 70
    assert "Traceback" in result.stderr and "ZeroDivisionError: a defect" in result.stderr


def test_validate_exits_0_when_every_row_is_accepted(tmp_path: Path) -> None:
    write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, [GOOD])
    assert runner.invoke(cli.app, ["validate", str(tmp_path)]).exit_code == 0


def test_validate_exits_1_when_a_row_is_rejected(tmp_path: Path) -> None:
    # The second row has no dossier code: rejected (missing-dossier-id); the first is fine.
    write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, [GOOD, ["", "03/01/2019", "10/01/2019", "09/01/2019"]])
    result = runner.invoke(cli.app, ["validate", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert CODES["missing-dossier-id"].vi in result.stdout  # people read its title; the code is in --format json


def test_validate_strict_exits_1_on_a_warning_too(tmp_path: Path) -> None:
    # The appointment date 05/01/2019 is before the date received: a warning (due-before-received), the row stays.
    write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, [GOOD, ["K2", "07/01/2019", "05/01/2019", "09/01/2019"]])
    assert runner.invoke(cli.app, ["validate", str(tmp_path)]).exit_code == 0
    strict = runner.invoke(cli.app, ["validate", str(tmp_path), "--strict"], env={"COLUMNS": "200"})
    assert strict.exit_code == 1
    assert CODES["due-before-received"].vi in strict.stdout


def test_validate_exits_3_when_a_file_cannot_be_read(tmp_path: Path) -> None:
    write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, [GOOD, ["", "03/01/2019", "10/01/2019", "09/01/2019"]])
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    assert runner.invoke(cli.app, ["validate", str(tmp_path)]).exit_code == 3  # 3 wins over 1


def test_no_such_corrective_action_is_a_usage_error(tmp_path: Path) -> None:
    store = tmp_path / "qms.sqlite"
    from qms_cli.store import Store

    Store(store).close()
    result = runner.invoke(cli.app, ["actions", "update", "99", "--store", str(store), "--status", "open"])
    assert result.exit_code == 2
    assert "#99" in result.stderr


def test_the_codes_are_declared_once_and_a_code_twice_is_refused() -> None:
    from qms_cli import errors

    assert not hasattr(errors, "_CODES")  # one table: CODES, nothing beside it to keep in step
    assert list(CODES)[:2] == ["file-unreadable", "file-empty"]  # in the order declared (docs/errors.md)
    one = errors.Code("x-code", "info", "một", "one")
    with pytest.raises(ValueError, match="declared twice: x-code"):
        errors._by_code(one, errors.Code("y-code", "info", "hai", "two"), one)
