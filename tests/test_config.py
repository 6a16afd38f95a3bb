"""A ward's own objectives today: `qms init`, the example file, a 2026 book with toàn trình words.

The book below is made up (codes, dates); its figures are counted by hand in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import indicator, write_csv, write_xlsx
from typer.testing import CliRunner

from qms_cli.api import evaluate, init_objectives
from qms_cli.cli import app
from qms_cli.config import load_objectives
from qms_cli.errors import UsageError
from qms_cli.results import to_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "objectives-2026-ward.yaml"
CENTRE = "Trung tâm Phục vụ hành chính công phường Bình Tân"
HEADER = [
    "Mã hồ sơ",
    "Đơn vị tiếp nhận",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Kênh nộp",
    "Mức độ",
    "Hình thức trả kết quả",
    "Trạng thái",
]
ROWS = [
    # on time, fully online (toàn trình), result returned online
    ["BT-0001", CENTRE, "05/01/2026", "09/01/2026", "08/01/2026", "08/01/2026", "Trực tuyến", "Toàn trình",
     "Trực tuyến", "Đã trả kết quả"],
    # late (ready on the 13th, due the 12th), in person, result by public post
    ["BT-0002", CENTRE, "06/01/2026", "12/01/2026", "13/01/2026", "14/01/2026", "Trực tiếp", "",
     "Qua dịch vụ bưu chính công ích", "Đã trả kết quả"],
    # on time, partly online (một phần)
    ["BT-0003", CENTRE, "02/02/2026", "06/02/2026", "05/02/2026", "06/02/2026", "Cổng Dịch vụ công quốc gia",
     "Một phần", "Trực tiếp tại Bộ phận Một cửa", "Đã trả kết quả"],
    # pending at the end of March, fully online through VNeID
    ["BT-0004", CENTRE, "03/03/2026", "10/04/2026", "", "", "VNeID", "Toàn trình", "", "Đang xử lý"],
]  # fmt: skip


def test_init_writes_the_example_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "objectives.yaml"
    assert init_objectives(path=target) == target
    assert target.read_bytes() == EXAMPLE.read_bytes()
    with pytest.raises(UsageError):
        init_objectives(path=target)
    init_objectives(path=target, example="2019", force=True)
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["decision"]["number"] == "784/QĐ-UBND"
    result = CliRunner().invoke(app, ["init", str(tmp_path / "x.yaml"), "--example", "1999"])
    assert result.exit_code == 2


def test_example_file_is_a_wards_own_decision() -> None:
    spec = load_objectives(EXAMPLE).spec
    assert spec.decision.issuer == "Ủy ban nhân dân phường Bình Tân" and spec.year == 2026
    assert {u.slug for u in spec.units} >= {"trung-tam-phuc-vu-hcc", "ubnd-phuong"}
    full = next(i for i in spec.indicators if i.id == "online_full_share")
    assert full.match == {"online_level": "toàn trình"} and full.target.value == 0.40


def test_a_2026_ward_folder_with_the_example_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "so-theo-doi-quy-1-2026.csv", HEADER, ROWS)
    write_xlsx(
        tmp_path / "chi-so-766.xlsx",
        [
            ["Kỳ đánh giá", "Đơn vị", "Tiến độ giải quyết", "Dịch vụ công trực tuyến", "Mức độ hài lòng"],
            ["Quý I/2026", "Phường Bình Tân", "19,5", "11", "17,5"],
        ],
    )
    result = json.loads(to_json(evaluate(paths=[tmp_path], period="Q1-2026", objectives=EXAMPLE)))
    on_time = indicator(result, "on_time")["district"]
    assert (on_time["numerator"], on_time["denominator"]) == (2, 3)  # BT-0002 late; BT-0004 pending
    full = indicator(result, "online_full_share")
    assert (full["district"]["numerator"], full["district"]["denominator"]) == (2, 4)  # 0001, 0004
    assert full["district"]["status"] == "met"  # 50 % >= 40 %
    assert full["level_rule"]["name"] == "nd-42-2022" and full["level_rule"]["applies_from"] == "2022-08-01"
    postal = indicator(result, "postal_out_share")["district"]
    assert (postal["numerator"], postal["denominator"]) == (1, 3)  # BT-0002 of the three returned
    (ward,) = result["service_index"]["units"]
    assert ward["unit"] == "ubnd-phuong" and ward["period"]["label"] == "Q1-2026"
    assert ward["scores"]["progress"] == 19.5 and ward["scores"]["satisfaction"] == 17.5
    assert result["objectives_file"]["decision"] == "15/QĐ-UBND"


def test_the_scope_label_is_the_wards_own_name_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-scope figures are labelled with objectives.yaml's `district` name ("Phường Bình Tân (toàn
    phường)"), never with a district's word; the Word report's issuer is the decision's issuer."""
    from test_golden import docx_text, html_text, xlsx_text

    write_csv(tmp_path / "in" / "so-theo-doi-quy-1-2026.csv", HEADER, ROWS)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    own = {"vi": "Phường Bình Tân (toàn phường)", "en": "Bình Tân Ward (whole ward)"}
    for lang in ("vi", "en"):
        common = ["--period", "Q1-2026", "--objectives", str(EXAMPLE), "--lang", lang]
        shown = {}
        done = runner.invoke(app, ["evaluate", "in", *common, "--store", "s.sqlite"], env={"COLUMNS": "120"})
        assert done.exit_code == 0, done.output
        shown["table"] = done.stdout
        out = tmp_path / f"out-{lang}"
        args = ["report", *common, "--store", "s.sqlite", "--format", "html,md,docx,xlsx,json", "-o", str(out)]
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.output
        shown["html"] = html_text(next(out.glob("*.html")).read_text(encoding="utf-8"))
        shown["md"] = next(out.glob("*.md")).read_text(encoding="utf-8")
        shown["docx"] = docx_text(next(out.glob("*.docx")))
        shown["xlsx"] = xlsx_text(next(out.glob("*.xlsx")))
        shown["actions"] = runner.invoke(app, ["actions", "list", "--store", "s.sqlite", *common[2:]]).stdout
        data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
        assert data["objectives_file"]["scope"] == own[lang]
        for fmt, words in shown.items():
            assert own[lang] in words, (lang, fmt)  # the table's title, the shortfall's unit, the sheet's title
            assert "quận" not in words.lower() and "district" not in words.lower(), (lang, fmt)
        if lang == "vi":  # the heading names the issuing body, the place-date line its place
            assert "ỦY BAN NHÂN DÂN PHƯỜNG BÌNH TÂN" in shown["docx"] and "Bình Tân, ngày" in shown["docx"]
