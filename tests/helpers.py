"""Small real files for tests: xlsx via XlsxWriter, xls via xlwt, csv; all names here are obviously fake."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from qms_cli import api
from qms_cli.results import to_json

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: precomposed base letters, tone marks as combining characters."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        tones = "".join(p for p in parts if p in _TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def write_csv(
    path: Path, header: list[str], rows: list[list[Any]], delimiter: str = ",", encoding: str = "utf-8-sig"
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    path.write_bytes(to_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def write_xlsx(
    path: Path,
    rows: list[list[Any]],
    sheet: str = "Sheet1",
    merges: list[tuple] = (),
    start_row: int = 0,
    start_col: int = 0,
) -> Path:
    """Write `rows` from (start_row, start_col); datetime/date cells become real Excel dates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet(sheet)
    fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for first_row, first_col, last_row, last_col, text in merges:
        ws.merge_range(first_row, first_col, last_row, last_col, text)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            rr, cc = start_row + r, start_col + c
            if value is None:
                continue
            if isinstance(value, (date, datetime)):
                ws.write_datetime(
                    rr,
                    cc,
                    datetime.combine(value, datetime.min.time()) if not isinstance(value, datetime) else value,
                    fmt,
                )
            elif isinstance(value, (int, float)):
                ws.write_number(rr, cc, value)
            else:
                ws.write_string(rr, cc, str(value))
    wb.close()
    return path


def evaluate_json(*paths: Path, period: str = "H1-2019", rules: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The evaluation of `paths` through the public API, as the JSON `qms evaluate --format json` prints."""
    return json.loads(to_json(api.evaluate(paths=list(paths), period=period, rules=rules)))


def indicator(result: dict[str, Any], ind_id: str) -> dict[str, Any]:
    return next(i for i in result["indicators"] if i["id"] == ind_id)


def unit_entry(result: dict[str, Any], ind_id: str, unit: str) -> dict[str, Any]:
    return next(u for u in indicator(result, ind_id)["units"] if u["unit"] == unit)
