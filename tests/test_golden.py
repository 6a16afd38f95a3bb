"""Golden files of the text of every format, in Vietnamese and English, so that a wording change is a
visible diff in review. After a deliberate change of wording or layout, update them with

    QMS_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and read the diff of tests/golden/ before committing it. The input is small and fixed: one ward's
book and another ward's Biểu 06a for March 2019 (tests/test_evaluate_form06a.py works its figures out by hand).
Dates of the run, temporary paths and the package's own path are replaced by placeholders."""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_evaluate_form06a import fixture
from typer.testing import CliRunner

from qms_cli.cli import app
from qms_cli.evaluate.engine import ICT

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("QMS_UPDATE_GOLDEN") == "1"


class _Text(HTMLParser):
    """The visible text of an HTML page, one block per line (no style, no script)."""

    BLOCKS = {"p", "h1", "h2", "h3", "tr", "li", "div", "title", "br"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in ("style", "script")
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs if p.text.strip()]
    parts += [" | ".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    import fastexcel

    book = fastexcel.read_excel(str(path))
    out = []
    for name in book.sheet_names:
        frame = book.load_sheet(name, header_row=None).to_pandas()
        out.append(f"== {name}")
        for row in frame.itertuples(index=False):
            cells = ["" if v != v or v is None else (f"{v:.6g}" if isinstance(v, float) else str(v)) for v in row]
            if any(cells):
                out.append(" | ".join(cells).rstrip(" |"))
    return "\n".join(out)


def normalise(text: str, folder: Path) -> str:
    text = text.replace(str(folder), "<tmp>").replace(str(Path(__file__).resolve().parents[1]), "<repo>")
    text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", "<generated>", text)
    # The reports are dated on Vietnam's clock (UTC+7), which is a day ahead of the machine's from 17:00 UTC.
    for today in {date.today(), datetime.now(ICT).date()}:
        for shown in (today.strftime("%d/%m/%Y"), today.isoformat(), f"{today.day} {today:%B %Y}"):
            text = text.replace(shown, "<today>")
    text = re.sub(r"<today> \d{2}:\d{2}", "<today>", text)
    text = re.sub(r'"sha256": "[0-9a-f]{64}"', '"sha256": "<sha256>"', text)
    text = re.sub(r'"path": "[^"]*objectives\.yaml"', '"path": "<objectives.yaml>"', text)
    return text.rstrip() + "\n"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("golden")
    fixture(folder / "in")
    before = Path.cwd()
    os.chdir(folder)  # relative paths: the file names shown do not depend on the temporary folder
    try:
        return _outputs(folder)
    finally:
        os.chdir(before)


def _outputs(folder: Path) -> dict[str, str]:
    inputs, store = Path("in"), Path("qms.sqlite")
    runner = CliRunner()
    texts: dict[str, str] = {}
    for lang in ("vi", "en"):
        common = ["--period", "2019-03", "--lang", lang]
        for fmt in ("table", "csv", "06a", "json"):
            done = runner.invoke(
                app, ["evaluate", str(inputs), *common, "--format", fmt, "--store", str(store)], env={"COLUMNS": "110"}
            )
            assert done.exit_code == 0, done.output
            body = done.stdout if fmt != "json" else _stable_json(done.stdout)
            texts[f"evaluate.{fmt}.{lang}"] = normalise(body, folder)
        out = Path(f"report-{lang}")
        done = runner.invoke(
            app, ["report", *common, "--store", str(store), "--format", "html,md,docx,xlsx", "-o", str(out)]
        )
        assert done.exit_code == 0, done.output
        texts[f"report.md.{lang}"] = normalise(next(out.glob("*.md")).read_text(encoding="utf-8"), folder)
        texts[f"report.html.{lang}"] = normalise(
            html_text(next(out.glob("*.html")).read_text(encoding="utf-8")), folder
        )
        texts[f"report.docx.{lang}"] = normalise(docx_text(next(out.glob("*.docx"))), folder)
        texts[f"report.xlsx.{lang}"] = normalise(xlsx_text(next(out.glob("*.xlsx"))), folder)
        listed = runner.invoke(app, ["actions", "list", "--store", str(store), "--lang", lang])
        texts[f"actions.list.{lang}"] = normalise(listed.stdout, folder)
    return texts


def _stable_json(raw: str) -> str:
    data = json.loads(raw)
    data.pop("qms_version", None)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


NAMES = [
    f"{kind}.{lang}"
    for kind in (
        "evaluate.table",
        "evaluate.csv",
        "evaluate.06a",
        "evaluate.json",
        "report.md",
        "report.html",
        "report.docx",
        "report.xlsx",
        "actions.list",
    )
    for lang in ("vi", "en")
]


@pytest.mark.parametrize("name", NAMES)
def test_golden(outputs: dict[str, str], name: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(outputs[name], encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run QMS_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py"
    assert outputs[name] == path.read_text(encoding="utf-8"), f"{name} changed: read the diff, then update (see top)"


def test_vietnamese_outputs_show_no_slug_or_id(outputs: dict[str, str]) -> None:
    words = ["on_time", "supplement_rate", "online_l4_share", "phuong-tan-tao", "phuong-binh-hung-hoa", "dossier_book"]
    words += ["summary_06a", "draft", "not_met", "no_data", "on_time_denominator", "supplement_requested=True"]
    for name in NAMES:
        if name.endswith(".vi") and "json" not in name and "csv" not in name:
            shown = re.sub(r"[\w/.-]+\.(csv|xlsx|xls)\b", "<file>", outputs[name])
            found = [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", shown)]
            assert found == [], name


def test_no_data_quality_code_or_indicator_id_in_any_human_output(outputs: dict[str, str]) -> None:
    """Codes (`unknown-status`) and indicator ids stay in the JSON and the CSV; people read their titles.
    In English, only the codes and ids that are not plain words are looked for ("superseded" is a word)."""
    from qms_cli.config import load_objectives
    from qms_cli.errors import CODES

    ids = [i.id for i in load_objectives(Path(__file__).resolve().parents[1] / "objectives.yaml").spec.indicators]
    for name in NAMES:
        if "json" in name or "csv" in name:
            continue
        words = [w for w in [*ids, *CODES] if name.endswith(".vi") or "-" in w or "_" in w]
        shown = re.sub(r"[\w/.-]+\.(csv|xlsx|xls|sqlite)\b", "<file>", outputs[name])
        found = [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", shown)]
        assert found == [], name


def test_drafts_are_said_to_be_drafts_in_every_report_format(outputs: dict[str, str]) -> None:
    for fmt in ("md", "html", "docx", "xlsx"):
        assert "qms actions update" in outputs[f"report.{fmt}.vi"], fmt
        assert "DỰ THẢO" in outputs[f"report.{fmt}.vi"], fmt
        assert "DRAFTS" in outputs[f"report.{fmt}.en"], fmt


def test_data_quality_problems_are_shown_by_title_not_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A book with a date that cannot be read and a dossier without a received date: the terminal, MD,
    HTML and XLSX name the problems by their titles (and severity), never by their codes."""
    from helpers import write_csv

    from qms_cli.errors import CODES

    write_csv(
        tmp_path / "in" / "phuong-tan-tao.csv",
        ["Mã hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        [["T1", "04/03/2019", "08/03/2019", "07/03/2019"], ["T2", "ba mươi", "11/03/2019", "11/03/2019"]],
    )
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for lang in ("vi", "en"):
        common = ["--period", "2019-03", "--lang", lang, "--store", "s.sqlite"]
        shown = {"table": runner.invoke(app, ["evaluate", "in", *common], env={"COLUMNS": "160"}).stdout}
        out = tmp_path / lang
        assert runner.invoke(app, ["report", *common, "--format", "html,md,xlsx,json", "-o", str(out)]).exit_code == 0
        codes = {
            i["code"]
            for i in json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))["data_quality"]["issues"]
        }
        assert codes, "the fixture has problems"
        shown |= {"md": next(out.glob("*.md")).read_text(encoding="utf-8"), "xlsx": xlsx_text(next(out.glob("*.xlsx")))}
        shown["html"] = html_text(next(out.glob("*.html")).read_text(encoding="utf-8"))
        for fmt, words in shown.items():
            for code in codes:
                title = CODES[code].vi if lang == "vi" else CODES[code].en
                assert title in words and code not in words, (lang, fmt, code)
