"""Write N fake dossiers over K unit books in the official layout (.xlsx), and the same rows as .csv.

Seeded. Also writes truth.json: the on-time, postal and supplementation counts per unit for the year,
computed here from the generated rows, so that the benchmark can check qms against them.

    python benchmarks/make_books.py --rows 1000000 --books 30 --out /tmp/qms-bench
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

WARDS = [
    "phuong-an-lac",
    "phuong-an-lac-a",
    "phuong-binh-hung-hoa",
    "phuong-binh-hung-hoa-a",
    "phuong-binh-hung-hoa-b",
    "phuong-binh-tri-dong",
    "phuong-binh-tri-dong-a",
    "phuong-binh-tri-dong-b",
    "phuong-tan-tao",
    "phuong-tan-tao-a",
    "phong-tu-phap",
    "phong-tai-nguyen-moi-truong",
    "phong-lao-dong-tbxh",
    "phong-kinh-te",
    "phong-quan-ly-do-thi",
    "chi-nhanh-vp-dang-ky-dat-dai",
]
HEADER_HIGH = [
    "STT",
    "Mã hồ sơ",
    "Tên TTHC",
    "Tên cá nhân, tổ chức",
    "Địa chỉ",
    "Ngày, tháng, năm",
    None,
    None,
    None,
    "Hình thức nộp",
    "Mức độ",
    "Hình thức trả kết quả",
    "Yêu cầu bổ sung",
    "Ghi chú",
]
DATES = ("received", "due", "ready", "returned")
HEADER_LOW = [None] * 5 + ["Nhận hồ sơ", "Hẹn trả kết quả", "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả"]
CSV_HEADER = [
    "Đơn vị",
    "Mã hồ sơ",
    "Tên TTHC",
    "Tên cá nhân, tổ chức",
    "Địa chỉ",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Nhận kết quả từ cơ quan giải quyết",
    "Trả kết quả",
    "Hình thức nộp",
    "Mức độ",
    "Hình thức trả kết quả",
    "Yêu cầu bổ sung",
    "Ghi chú",
]
PROCEDURES = [
    "Chứng thực bản sao từ bản chính",
    "Đăng ký khai sinh",
    "Đăng ký kết hôn",
    "Cấp giấy phép xây dựng",
    "Đăng ký biến động quyền sử dụng đất",
]


def dossier(rng: random.Random, i: int, month: int | None = None) -> dict:
    """One fake dossier of 2019 (received in `month` if given); `i` makes its code."""
    if month is None:
        received = date(2019, 1, 1) + timedelta(days=rng.randrange(355))
    else:
        first = date(2019, month, 1)
        received = first + timedelta(days=rng.randrange(((first + timedelta(days=31)).replace(day=1) - first).days))
    due = received + timedelta(days=rng.randint(1, 10))
    late = rng.random() >= 0.97
    ready = due + timedelta(days=rng.randint(1, 5)) if late else max(received, due - timedelta(days=rng.randint(0, 2)))
    returned = ready + timedelta(days=rng.randint(0, 3))
    r = rng.random()
    channel = "Bưu chính" if r < 0.1 else "Trực tuyến" if r < 0.45 else "Trực tiếp"
    return {
        "id": f"HS{i:08d}",
        "procedure": rng.choice(PROCEDURES),
        "received": received,
        "due": due,
        "ready": ready,
        "returned": returned,
        "channel": channel,
        "level": rng.choice([3, 4]) if channel == "Trực tuyến" else None,
        "out": "Bưu chính" if rng.random() < 0.16 else "Trực tiếp",
        "supplement": rng.random() < 0.08,
    }


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="Sổ theo dõi" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    ),
}
_EPOCH = date(1899, 12, 30)


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>' if value else ""


def _row(r: int, cells: list[str]) -> str:
    return f'<row r="{r}">{"".join(cells)}</row>'


def write_book(path: Path, title: list[str], records: list[dict], text_dates: bool) -> None:
    """One unit's book in the official layout: title rows, the two-row header, a column-number row, the rows.

    The sheet's XML is written directly (inline strings, dates as serial numbers in a dd/mm/yyyy style),
    as a spreadsheet program would save it: ten times faster than a general workbook writer.
    """
    letters = "ABCDEFGHIJKLMN"
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>']
    parts += [_row(r + 1, [_text(f"A{r + 1}", text)]) for r, text in enumerate(title)]
    for r, header in ((4, HEADER_HIGH), (5, HEADER_LOW), (6, [f"({i})" for i in range(1, 15)])):
        parts.append(_row(r, [_text(f"{letters[c]}{r}", h or "") for c, h in enumerate(header)]))
    for i, d in enumerate(records):
        r = 7 + i
        if text_dates:
            dates = "".join(_text(f"{letters[c]}{r}", f"{d[k]:%d/%m/%Y} 08:00") for c, k in enumerate(DATES, start=5))
        else:
            dates = "".join(
                f'<c r="{letters[c]}{r}" s="1"><v>{(d[k] - _EPOCH).days}</v></c>' for c, k in enumerate(DATES, start=5)
            )
        parts.append(
            f'<row r="{r}"><c r="A{r}"><v>{i + 1}</v></c>{_text(f"B{r}", d["id"])}{_text(f"C{r}", d["procedure"])}'
            f"{_text(f'D{r}', f'Công dân Mẫu {i}')}{_text(f'E{r}', 'Đường Mẫu')}{dates}"
            f"{_text(f'J{r}', d['channel'])}{_text(f'K{r}', str(d['level'] or ''))}{_text(f'L{r}', d['out'])}"
            f"{_text(f'M{r}', 'x' if d['supplement'] else '')}</row>"
        )
    parts.append("</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, xml in _PARTS.items():
            book.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
        book.writestr("xl/worksheets/sheet1.xml", "".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--books", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path("/tmp/qms-bench"))
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    xlsx_dir, csv_dir = args.out / "xlsx", args.out / "csv"
    xlsx_dir.mkdir(parents=True, exist_ok=True)
    csv_dir.mkdir(parents=True, exist_ok=True)
    truth: dict[str, dict[str, int]] = {}
    per_book = args.rows // args.books
    with (csv_dir / "all.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(CSV_HEADER)
        for b in range(args.books):
            unit = WARDS[b % len(WARDS)]
            t = truth.setdefault(unit, {"on_time": 0, "resolved": 0, "postal_in": 0, "received": 0, "supplement": 0})
            text_dates = b % 10 == 9  # one book in ten keeps its dates as text
            records = [dossier(rng, b * per_book + i) for i in range(per_book)]
            write_book(
                xlsx_dir / f"{unit}-{b:02d}.xlsx",
                [unit.replace("-", " ").upper(), "SỔ THEO DÕI HỒ SƠ"],
                records,
                text_dates,
            )
            for i, d in enumerate(records):
                out.writerow(
                    [
                        unit,
                        d["id"],
                        d["procedure"],
                        f"Công dân Mẫu {i}",
                        "Đường Mẫu",
                        *(f"{d[k]:%d/%m/%Y}" for k in ("received", "due", "ready", "returned")),
                        d["channel"],
                        d["level"] or "",
                        d["out"],
                        "x" if d["supplement"] else "",
                        "",
                    ]
                )
                # Truth for the year 2019 under the default rules.
                if d["ready"].year == 2019:
                    t["resolved"] += 1
                    t["on_time"] += d["ready"] <= d["due"]
                t["received"] += 1
                t["postal_in"] += d["channel"] == "Bưu chính"
                t["supplement"] += d["supplement"]
    (args.out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    print(f"wrote {per_book * args.books} rows in {args.books} books under {args.out}")


if __name__ == "__main__":
    main()
