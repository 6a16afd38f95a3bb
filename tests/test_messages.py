"""The one catalogue of people-facing words: both languages for every entry, periods and numbers in words."""

from __future__ import annotations

import pytest

from qms_cli import messages as m


@pytest.mark.parametrize(
    "catalogue",
    [
        m.LABELS,
        m.SENTENCES,
        m.HELP,
        m.STATUS,
        m.ACTION_STATUS,
        m.FILE_KIND,
        m.REASONS,
        m.FIELDS,
        m.SEVERITY,
        m.FAULTS,
        m.USAGE,
    ],
)
def test_every_entry_has_both_languages_with_the_same_fields(catalogue: dict[str, tuple[str, str]]) -> None:
    for key, (vi, en) in catalogue.items():
        assert vi.strip() and en.strip(), key
        assert m.fields_of(vi) == m.fields_of(en), key


def test_language_from_option_then_environment_then_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QMS_LANG", raising=False)
    assert m.resolve_lang(None) == "vi"
    monkeypatch.setenv("QMS_LANG", "en")
    assert m.resolve_lang(None) == "en"
    assert m.resolve_lang("vi") == "vi"
    with pytest.raises(ValueError):
        m.resolve_lang("fr")
    assert m.argv_lang(["qms", "report", "--lang=vi"]) == "vi"
    assert m.argv_lang(["qms", "report", "--lang", "xx"]) == "vi"  # refused later by the option itself


@pytest.mark.parametrize(
    ("label", "vi", "en"),
    [
        ("H1-2019", "6 tháng đầu năm 2019", "the first half of 2019"),
        ("H2-2019", "6 tháng cuối năm 2019", "the second half of 2019"),
        ("Q3-2019", "quý III năm 2019", "Q3 2019"),
        ("2019", "năm 2019", "2019"),
        ("2019-03", "tháng 3 năm 2019", "March 2019"),
    ],
)
def test_periods_in_words(label: str, vi: str, en: str) -> None:
    period = {"label": label, "start": "2019-01-01", "end": "2019-06-30"}
    assert m.period_words(period, "vi") == vi
    assert m.period_words(period, "en") == en


def test_a_range_of_dates_in_words() -> None:
    period = {"label": "2019-01-15..2019-02-14", "start": "2019-01-15", "end": "2019-02-14"}
    assert m.period_words(period, "vi") == "từ ngày 15/01/2019 đến ngày 14/02/2019"
    assert m.period_words(period, "en") == "15 January 2019 to 14 February 2019"


def test_numbers_percentages_and_points() -> None:
    assert m.number(1234.5, "vi") == "1.234,50"
    assert m.number(1234.5, "en") == "1,234.50"
    assert m.percent(0.139, "vi") == "13,90 %"
    assert m.percent(-0.039, "vi") == "−3,90 %"
    # 13,90 % against a ceiling of 10 %: 3,90 points over it, signed + (a shortfall of +3,90 points).
    assert m.points(0.139 - 0.10, "vi") == "+3,90 điểm phần trăm"
    assert m.points(0.0065, "en") == "+0.65 percentage points"
    assert m.points(-0.0065, "vi", short=True) == "−0,65 đpt"
    assert m.points(0.0, "vi") == "0,00 điểm phần trăm"


def test_statuses_and_names_never_show_slugs() -> None:
    assert m.status_word("not_met", "vi", symbol=True) == "✘ Không đạt"
    assert m.action_status("draft", "vi") == "Dự thảo (chưa điền)"
    assert m.file_kind("dossier_book", "vi") == "Sổ theo dõi hồ sơ"
    assert m.unit_name("phong-noi-vu", {"phong-noi-vu": "Phòng Nội vụ"}, "vi") == "Phòng Nội vụ"
    # The whole scope is named by objectives.yaml (names[""]); without a name, a neutral word, never a district's.
    assert m.unit_name(None, {"": "Phường Bình Tân (toàn phường)"}, "vi") == "Phường Bình Tân (toàn phường)"
    assert "quận" not in m.unit_name(None, {}, "vi")
    assert m.reason("no_column", "vi", "channel_in, online_level") == (
        "sổ không có cột hình thức tiếp nhận, mức độ trực tuyến"
    )


def test_too_few_to_be_sure_in_the_words_of_the_kind() -> None:
    assert m.unsure("on_time", "vi") == "chưa đủ hồ sơ để kết luận"
    assert m.unsure("satisfaction", "vi") == "chưa đủ phiếu đánh giá để kết luận"
    assert m.unsure("inspection_coverage", "vi") == "chưa đủ số đơn vị để kết luận"


def test_every_phrase_the_library_raises_is_in_the_catalogue() -> None:
    import ast
    from pathlib import Path

    from qms_cli import errors

    keys = set(errors._REASONS.values())
    for path in Path(m.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if getattr(node.func, "id", None) == "Phrase" and isinstance(node.args[0], ast.Constant):
                keys.add(node.args[0].value)
            if getattr(node.func, "attr", None) == "from_os_error" and len(node.args) == 3:  # what failed
                assert isinstance(node.args[2], ast.Constant), ast.unparse(node)
                keys.add(node.args[2].value)
    assert {"doing_log_file", "store_missing", "reason_disk_full"} <= keys
    assert keys <= set(m.FAULTS)
