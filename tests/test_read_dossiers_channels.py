"""Channels and online levels of today's exports (real-exports.md §1), counted by hand on a small book."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import evaluate_json, unit_entry, write_csv

from qms_cli.cli import app
from qms_cli.read.dossiers import NO_LEVEL, channel_of, level_of

HEADER = ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Kênh nộp", "Mức độ"]
ROWS = [  # all received in January 2019
    ["C1", "02/01/2019", "09/01/2019", "VNeID", "DVC trực tuyến toàn trình"],  # online L4
    ["C2", "02/01/2019", "09/01/2019", "Cổng Dịch vụ công quốc gia", "Một phần"],  # online L3
    ["C3", "03/01/2019", "10/01/2019", "Viettel Post", ""],  # postal (a private operator)
    ["C4", "03/01/2019", "10/01/2019", "Một cửa điện tử", ""],  # the desk's software: unknown channel
    ["C5", "04/01/2019", "11/01/2019", "Trực tuyến", "Dịch vụ cung cấp thông tin"],  # online, no level, said so
    ["C6", "04/01/2019", "11/01/2019", "Trực tuyến", ""],  # online, level unknown
    ["C7", "07/01/2019", "14/01/2019", "Trực tuyến", "1 phần"],  # online L3 (VNPT iGate's words)
    ["C8", "07/01/2019", "14/01/2019", "Ứng dụng VNeID", "Toàn phần"],  # online L4
]


@pytest.fixture
def result(tmp_path: Path) -> dict[str, Any]:
    return evaluate_json(write_csv(tmp_path / "phuong-tan-tao.csv", HEADER, ROWS), period="2019-01")


def _issue(result: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in result["data_quality"]["issues"] if i["code"] == code)


def test_shares_by_channel_and_level(result: dict[str, Any]) -> None:
    l4 = unit_entry(result, "online_l4_share", "phuong-tan-tao")
    assert (l4["numerator"], l4["denominator"]) == (2, 8)  # C1, C8
    postal = unit_entry(result, "postal_in_share", "phuong-tan-tao")
    assert (postal["numerator"], postal["denominator"]) == (1, 8)  # C3


def test_what_is_not_known_is_said_once_per_value(result: dict[str, Any]) -> None:
    channel = _issue(result, "unknown-channel")
    assert channel["count"] == 1
    (value,) = channel["values"]
    assert (value["value"], value["count"]) == ("Một cửa điện tử", 1)
    assert value["figures"] == ["online_l3_growth", "online_l4_share", "postal_in_share"]
    level = _issue(result, "online-level-unknown")
    assert level["count"] == 1 and level["samples"][0]["row"] == 7  # C6 only: C5 is known to be no level


def test_the_level_rule_is_printed_with_the_rules(result: dict[str, Any], tmp_path: Path) -> None:
    (rule,) = result["level_rules"]
    assert rule["name"] == "nd-42-2022" and rule["applies_from"] == "2022-08-01"
    from typer.testing import CliRunner

    done = CliRunner().invoke(app, ["evaluate", str(tmp_path), "--period", "2019-01", "--lang", "vi"])
    assert "Nghị định 42/2022/NĐ-CP" in done.output and "áp dụng từ 01/08/2022" in done.output


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("VNeID", "online"),
        ("Ứng dụng VNeID", "online"),
        ("Cổng Dịch vụ công quốc gia", "online"),
        ("Qua bưu chính công ích", "postal"),
        ("BCCI", "postal"),
        ("Dịch vụ BCCI", "postal"),
        ("Viettel Post", "postal"),
        ("Giao hàng nhanh", "postal"),
        ("Tại nhà thông qua dịch vụ bưu chính công ích", "postal"),
        ("Trực tiếp tại Bộ phận Một cửa", "direct"),
        ("Trực tiếp", "direct"),
        ("Bộ phận TN&TKQ", "direct"),  # the desk, by its short name
        ("Bộ phận tiếp nhận và trả kết quả", "direct"),
        ("Một cửa điện tử", None),
        ("Trực tuyến", "online"),
    ],
)
def test_channel_words(text: str, channel: str | None) -> None:
    assert channel_of(text) == channel


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Mức độ 3", 3.0),
        ("MĐ4", 4.0),
        ("4", 4.0),
        ("DVC trực tuyến toàn trình", 4.0),
        ("Toàn phần", 4.0),
        ("DVC trực tuyến một phần", 3.0),
        ("1 phần", 3.0),
        ("Dịch vụ cung cấp thông tin", NO_LEVEL),
    ],
)
def test_level_words(text: str, level: float) -> None:
    assert level_of(text) == level
