"""qms_cli.results and qms_cli.api: typed results, the committed JSON Schema, the keyword-only API."""

from __future__ import annotations

import inspect
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from helpers import write_csv
from typer.testing import CliRunner

from qms_cli import api
from qms_cli.cli import app
from qms_cli.config import Rules
from qms_cli.errors import ExitStatus, UsageError
from qms_cli.results import Evaluation, Report, Validation, evaluation_schema

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SCHEMA_FILE = ROOT / "docs" / "qms.evaluation-1.schema.json"
HEADER = ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"]
# Worked by hand: K1 ready a day before its appointment (on time), K2 four days after (late), K3 has no
# appointment date (left out of objective 1, counted in missing_due). On time: 1 of 2 = 0.5, target 0.98,
# gap 0.5 - 0.98 = -0.48; Wilson 95 % for 1/2: 0.5 ± 1.96·√(0.125 + 0.2401) / 2.9208 = [0.0945, 0.9055].
ROWS = [
    ["K1", "02/01/2019", "09/01/2019", "08/01/2019"],
    ["K2", "03/01/2019", "10/01/2019", "14/01/2019"],
    ["K3", "04/01/2019", "", "07/01/2019"],
]


@pytest.fixture(scope="module")
def sample_json() -> dict:
    result = CliRunner().invoke(app, ["evaluate", str(SAMPLE), "--period", "2019", "--format", "json", "--no-store"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "exports" / "phuong-tan-tao.csv", HEADER, ROWS)


def test_the_committed_schema_is_the_models_schema() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == evaluation_schema()


def test_the_sample_output_validates_against_the_committed_schema(sample_json: dict) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(sample_json)) == []
    broken = json.loads(json.dumps(sample_json))
    del broken["indicators"][0]["district"]
    broken["indicators"][1]["units"][0]["surprise"] = 1
    broken["shortfalls"][0]["value"] = "high"
    found = {"/".join(map(str, e.absolute_path)) for e in validator.iter_errors(broken)}
    assert found == {"indicators/0", "indicators/1/units/0", "shortfalls/0/value"}  # the schema can fail


def test_the_json_is_the_models_serialisation(sample_json: dict) -> None:
    model = Evaluation.model_validate(sample_json)
    assert model.model_dump(mode="json") == sample_json
    assert model.indicator("on_time").district.numerator == sample_json["indicators"][0]["district"]["numerator"]


def test_evaluate_returns_typed_results_counted_as_by_hand(book: Path) -> None:
    evaluation = api.evaluate(paths=[book.parent], period="2019-01")
    assert isinstance(evaluation, Evaluation)
    on_time = evaluation.indicator("on_time")
    unit = on_time.unit("phuong-tan-tao")
    assert (unit.numerator, unit.denominator, unit.value, unit.missing_due) == (1, 2, 0.5, 1)
    assert unit.ci95 == pytest.approx((0.0945, 0.9055), abs=1e-4)
    assert unit.status == "not_met" and unit.name == "UBND phường Tân Tạo"
    assert [(s.unit, round(s.gap, 10)) for s in evaluation.shortfalls] == [(None, -0.48), ("phuong-tan-tao", -0.48)]
    assert evaluation.period.label == "2019-01" and evaluation.rules_overridden == []
    assert evaluation.data_quality.rows_rejected == 0 and evaluation.data_quality.unreadable_files == 0


def test_rules_as_objects_or_mappings_and_periods_as_labels(book: Path) -> None:
    as_object = api.evaluate(paths=[book], period="2019-01", rules=Rules(on_time_denominator="received"))
    as_mapping = api.evaluate(paths=[book], period="2019-01", rules={"on_time_denominator": "received"})
    for evaluation in (as_object, as_mapping):
        assert evaluation.rules.on_time_denominator == "received"
        assert evaluation.rules_overridden == ["on_time_denominator"]
    with pytest.raises(UsageError) as bad:
        api.evaluate(paths=[book], period="2019-01", rules={"on_time_denominator": "sometimes"})
    assert bad.value.exit_status == ExitStatus.USAGE


def test_the_api_is_keyword_only(book: Path) -> None:
    with pytest.raises(TypeError):
        api.evaluate([book], "2019-01")  # type: ignore[misc]
    functions = [getattr(api, name) for name in api.__all__ if inspect.isfunction(getattr(api, name))]
    assert {f.__name__ for f in functions} >= {"evaluate", "validate", "report", "init_objectives", "form_06a"}
    for function in functions:
        kinds = {p.name: p.kind for p in inspect.signature(function).parameters.values()}
        assert all(kind is inspect.Parameter.KEYWORD_ONLY for kind in kinds.values()), (function.__name__, kinds)


def test_validate_returns_the_data_quality(book: Path) -> None:
    validation = api.validate(paths=[book])
    assert isinstance(validation, Validation)
    (rows,) = validation.data_quality.files
    assert (rows.rows_read, rows.rows_accepted, rows.rows_rejected) == (3, 3, 0)


def test_report_writes_the_files_and_returns_the_model(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    report = api.report(period="2019-01", data=[book], formats=["json", "md"], output_dir=out)
    assert isinstance(report, Report)
    assert sorted(p.suffix for p in report.written) == [".json", ".md"] and all(p.exists() for p in report.written)
    written = json.loads(next(p for p in report.written if p.suffix == ".json").read_text(encoding="utf-8"))
    assert Report.model_validate(written).indicator("on_time").district.value == 0.5
    with pytest.raises(UsageError):
        api.report(period="2019-01", data=[book], formats=["pdf"], output_dir=out)


def test_corrective_actions_through_the_api(book: Path, tmp_path: Path) -> None:
    store = tmp_path / "qms.sqlite"
    api.evaluate(paths=[book], period="2019-01", store=store)
    actions = api.list_actions(store=store)
    # One draft per shortfall: the district's (kept with unit "") and the unit's.
    assert [(a.indicator, a.unit, a.status) for a in actions] == [
        ("on_time", "", "draft"),
        ("on_time", "phuong-tan-tao", "draft"),
    ]
    done = api.update_action(store=store, action_id=actions[1].id, cause="Thiếu cán bộ", status="open")
    assert (done.status, done.cause) == ("open", "Thiếu cán bộ")
    with pytest.raises(UsageError):
        api.list_actions(store=tmp_path / "none.sqlite")
    assert not (tmp_path / "none.sqlite").exists()  # a reading command never makes an empty store


def test_form_06a_of_an_evaluation(book: Path) -> None:
    form = api.form_06a(evaluation=api.evaluate(paths=[book], period="2019-01", lang="en"))
    assert form.numbers[:3] == ["(1)", "(2)", "(3)"] and form.groups[0] == "No."
    total = form.rows[-1]
    column = {n: total[n - 1] for n in (3, 7, 8, 9, 10)}  # (1) is TT and (2) the unit: (n) is at n - 1
    # Three received in January, all resolved; two have an appointment date (column 7), one early, one late.
    assert total[1] == "Total" and column == {3: 3, 7: 2, 8: 1, 9: 0, 10: 1}


def test_the_init_examples_are_the_apis() -> None:
    from qms_cli.options import Example

    assert sorted(e.value for e in Example) == sorted(api.EXAMPLES)


def test_the_package_is_typed() -> None:
    assert resources.files("qms_cli").joinpath("py.typed").is_file()
