"""Write sample_data/: realistic, entirely fake dossier-book exports for 2018 and H1 2019.

Seeded, so anyone can regenerate the same files: `python scripts/make_sample_data.py`.
Needs xlsxwriter (a dependency of qms) and xlwt (the test extra) for one legacy .xls book.
Names, addresses and phone numbers are obviously fake ("Công dân Mẫu 0001", "0900 000 001").

Three layouts, as units really send them:
- the official book, Mẫu số 06 (Thông tư 01/2018/TT-VPCP): title rows, a two-row header with the
  merged group "Ngày, tháng, năm", a row of column numbers, Excel dates, a total row and signatures;
- a software export: one header row, a unit column, dates as "dd/MM/yyyy HH:mm:ss" text;
- a CSV (UTF-8 with BOM) with dd/mm/yyyy dates; one unit's 2018 book as a legacy .xls.
A few bad rows are planted on purpose (an impossible date, a missing code, a result returned
before receipt, an unknown channel) and one month is exported twice (the later export wins).
"""

from __future__ import annotations

import csv
import random
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import xlsxwriter

OUT = Path(__file__).resolve().parents[1] / "sample_data"
SEED = 784


@dataclass
class UnitPlan:
    slug: str
    title: str  # as written in title rows
    layout: str  # mau06 | software | csv
    monthly: int  # dossiers per month
    on_time: float  # probability a resolved dossier is on time
    postal_in: float
    postal_out: float
    online3: float
    online4: float
    supplement: float
    growth: float  # 2019 online L3 volume relative to 2018


UNITS = [
    UnitPlan("phuong-an-lac", "UBND PHƯỜNG AN LẠC", "mau06", 70, 0.995, 0.12, 0.17, 0.18, 0.33, 0.06, 1.25),
    UnitPlan("phuong-an-lac-a", "UBND PHƯỜNG AN LẠC A", "mau06", 55, 0.965, 0.06, 0.10, 0.15, 0.22, 0.12, 1.02),
    UnitPlan(
        "phuong-binh-tri-dong-b", "UBND phường Bình Trị Đông B", "software", 80, 0.99, 0.11, 0.16, 0.2, 0.31, 0.08, 1.3
    ),
    UnitPlan("phong-tu-phap", "Phòng Tư pháp", "csv", 45, 0.985, 0.08, 0.2, 0.1, 0.35, 0.04, 1.15),
    UnitPlan(
        "phong-tai-nguyen-moi-truong",
        "Phòng Tài nguyên và Môi trường",
        "software",
        40,
        0.93,
        0.1,
        0.15,
        0.25,
        0.1,
        0.15,
        1.05,
    ),
    UnitPlan(
        "chi-nhanh-vp-dang-ky-dat-dai",
        "CHI NHÁNH VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI QUẬN BÌNH TÂN",
        "mau06",
        90,
        0.975,
        0.14,
        0.18,
        0.3,
        0.05,
        0.09,
        1.2,
    ),
]
PROCEDURES = {
    "ward": [
        ("Chứng thực bản sao từ bản chính", "Chứng thực", 1),
        ("Đăng ký khai sinh", "Hộ tịch", 3),
        ("Đăng ký kết hôn", "Hộ tịch", 5),
        ("Xác nhận tình trạng hôn nhân", "Hộ tịch", 3),
        ("Chứng thực chữ ký", "Chứng thực", 1),
    ],
    "phong-tu-phap": [
        ("Cấp bản sao trích lục hộ tịch", "Hộ tịch", 3),
        ("Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", 15),
        ("Chứng thực hợp đồng", "Chứng thực", 2),
    ],
    "phong-tai-nguyen-moi-truong": [
        ("Đăng ký bảo vệ môi trường", "Môi trường", 10),
        ("Gia hạn sử dụng đất", "Đất đai", 15),
    ],
    "chi-nhanh-vp-dang-ky-dat-dai": [
        ("Đăng ký biến động quyền sử dụng đất", "Đất đai", 10),
        ("Cấp đổi giấy chứng nhận quyền sử dụng đất", "Đất đai", 7),
        ("Xóa đăng ký thế chấp", "Đất đai", 3),
    ],
}
CHANNEL_IN = {"direct": "Trực tiếp", "postal": "Qua bưu chính công ích", "online": "Trực tuyến"}
CHANNEL_OUT = {"direct": "Trực tiếp", "postal": "Bưu chính"}


class Calendar:
    def __init__(self) -> None:
        vn = holidays.country_holidays("VN", years=[2017, 2018, 2019, 2020])
        self.off = set(vn.keys())
        self.work = set(vn.weekend_workdays)

    def working(self, d: date) -> bool:
        return d in self.work or (d.weekday() < 5 and d not in self.off)

    def add(self, d: date, days: int) -> date:
        while days:
            d += timedelta(days=1)
            if self.working(d):
                days -= 1
        return d


CAL = Calendar()


def month_days(year: int, month: int) -> list[date]:
    d = date(year, month, 1)
    out = []
    while d.month == month:
        if CAL.working(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def dossiers(rng: random.Random, unit: UnitPlan, year: int, month: int, as_of: date, seq0: int) -> list[dict]:
    """One month of dossiers of one unit, as they stood at `as_of` (the export date)."""
    key = unit.slug if unit.slug in PROCEDURES else "ward"
    scale = 1.0 if year == 2019 else 0.9
    online3 = unit.online3 if year == 2019 else unit.online3 / unit.growth / 0.9
    rows = []
    days = month_days(year, month)
    for i in range(int(unit.monthly * scale * rng.uniform(0.85, 1.15))):
        name, field, limit = rng.choice(PROCEDURES[key])
        received = rng.choice(days)
        due = CAL.add(received, limit)
        late = rng.random() > unit.on_time
        ready = (
            CAL.add(received, rng.randint(max(0, limit - 2), limit)) if not late else CAL.add(due, rng.randint(1, 4))
        )
        returned = ready + timedelta(days=rng.choice([0, 0, 1, 2, 3]))
        ready_at = ready if ready <= as_of else None
        returned_at = returned if returned <= as_of else None
        r = rng.random()
        channel = (
            "postal" if r < unit.postal_in else "online" if r < unit.postal_in + online3 + unit.online4 else "direct"
        )
        level = None
        if channel == "online":
            level = 4 if rng.random() < unit.online4 / (online3 + unit.online4) else 3
        withdrawn = rng.random() < 0.01
        rows.append(
            {
                "id": f"{unit.slug[:3].upper()}-{year}{month:02d}-{seq0 + i:04d}",
                "procedure": name,
                "field": field,
                "name": f"Công dân Mẫu {seq0 + i:04d}",
                "address": f"Số {i + 1} Đường Mẫu, TP. Giả định",
                "phone": f"0900 {seq0 + i:03d} {i:03d}"[:13],
                "received": received,
                "due": due,
                "ready": ready_at,
                "returned": returned_at,
                "channel_in": channel,
                "level": level,
                "channel_out": "postal" if rng.random() < unit.postal_out else "direct",
                "supplement": rng.random() < unit.supplement,
                "status": "withdrawn" if withdrawn else ("resolved" if returned_at else "pending"),
                "note": "Phiếu xin lỗi và hẹn lại" if late and rng.random() < 0.5 else "",
            }
        )
    return rows


def plant_bad_rows(rows: list[dict]) -> None:
    """Four rows a reader must reject or flag, as units really send them."""
    if len(rows) < 10:
        return
    rows[2]["due_text"] = "31/02/2019"  # impossible date: rejected
    rows[5]["id"] = ""  # no dossier code: rejected
    rows[7]["returned"] = rows[7]["received"] - timedelta(days=3)  # returned before received: rejected
    rows[7]["ready"] = None
    rows[9]["channel_text"] = "Khác"  # unknown channel: a warning, the row stays


def _date_cell(ws, r: int, c: int, value: date | None, fmt, text: str | None = None) -> None:
    if text is not None:
        ws.write_string(r, c, text)
    elif value is not None:
        ws.write_datetime(r, c, datetime.combine(value, datetime.min.time()), fmt)


def write_mau06(path: Path, unit: UnitPlan, rows: list[dict], start: date, end: date, exported: date) -> None:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Sổ theo dõi")
    bold = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    title = wb.add_format({"bold": True, "align": "center"})
    dfmt = wb.add_format({"num_format": "dd/mm/yyyy", "border": 1})
    cell = wb.add_format({"border": 1})
    ws.write(0, 0, "ỦY BAN NHÂN DÂN QUẬN BÌNH TÂN")
    ws.write(1, 0, unit.title)
    ws.merge_range(3, 0, 3, 16, "SỔ THEO DÕI HỒ SƠ", title)
    ws.merge_range(4, 0, 4, 16, f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}", title)
    singles = ["STT", "Mã hồ sơ", "Tên TTHC", "Tên cá nhân, tổ chức", "Địa chỉ", "Số điện thoại"]
    for c, h in enumerate(singles):
        ws.merge_range(6, c, 7, c, h, bold)
    ws.merge_range(6, 6, 6, 10, "Ngày, tháng, năm", bold)
    for c, h in enumerate(
        [
            "Nhận hồ sơ",
            "Hẹn trả kết quả",
            "Chuyển hồ sơ đến cơ quan giải quyết",
            "Nhận kết quả từ cơ quan giải quyết",
            "Trả kết quả",
        ],
        start=6,
    ):
        ws.write(7, c, h, bold)
    for c, h in enumerate(
        ["Hình thức nộp", "Mức độ", "Hình thức trả kết quả", "Yêu cầu bổ sung", "Ký nhận", "Ghi chú"], start=11
    ):
        ws.merge_range(6, c, 7, c, h, bold)
    for c in range(17):
        ws.write_string(8, c, f"({c + 1})", bold)
    r = 9
    for i, d in enumerate(rows):
        ws.write_number(r, 0, i + 1, cell)
        ws.write_string(r, 1, d["id"], cell)
        ws.write_string(r, 2, d["procedure"], cell)
        ws.write_string(r, 3, d["name"], cell)
        ws.write_string(r, 4, d["address"], cell)
        ws.write_string(r, 5, d["phone"], cell)
        _date_cell(ws, r, 6, d["received"], dfmt)
        _date_cell(ws, r, 7, d["due"], dfmt, d.get("due_text"))
        _date_cell(ws, r, 8, d["received"], dfmt)
        _date_cell(ws, r, 9, d["ready"], dfmt)
        _date_cell(ws, r, 10, d["returned"], dfmt)
        ws.write_string(r, 11, d.get("channel_text") or CHANNEL_IN[d["channel_in"]], cell)
        ws.write_string(r, 12, f"Mức độ {d['level']}" if d["level"] else "", cell)
        ws.write_string(r, 13, CHANNEL_OUT[d["channel_out"]] if d["returned"] else "", cell)
        ws.write_string(r, 14, "x" if d["supplement"] else "", cell)
        ws.write_string(r, 15, "(đã ký)" if d["returned"] else "", cell)
        note = "Công dân xin rút hồ sơ" if d["status"] == "withdrawn" else d["note"]
        ws.write_string(r, 16, note, cell)
        r += 1
    ws.write_string(r, 0, "Tổng cộng", cell)
    ws.write_number(r, 1, len(rows), cell)
    r += 2
    ws.write_string(r, 12, f"Bình Tân, ngày {exported.day:02d} tháng {exported.month:02d} năm {exported.year}")
    ws.write_string(r + 1, 1, "Người lập sổ")
    ws.write_string(r + 1, 12, "Thủ trưởng đơn vị")
    wb.close()


STATUS_TEXT = {"resolved": "Đã trả kết quả", "pending": "Đang giải quyết", "withdrawn": "Công dân xin rút hồ sơ"}


def write_software(path: Path, unit: UnitPlan, rows: list[dict], exported: datetime) -> None:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("DanhSachHoSo")
    ws.write(0, 0, "DANH SÁCH HỒ SƠ TIẾP NHẬN")
    ws.write(1, 0, f"Ngày xuất: {exported:%d/%m/%Y %H:%M}")
    headers = [
        "STT",
        "Đơn vị",
        "Số biên nhận",
        "Lĩnh vực",
        "Tên thủ tục",
        "Người nộp",
        "Số điện thoại",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày có kết quả",
        "Ngày trả",
        "Kênh nộp",
        "Phương thức nhận kết quả",
        "Số lần bổ sung",
        "Trạng thái",
        "Người nhận hồ sơ",
        "Địa bàn",
    ]
    ws.write_row(3, 0, headers)

    def t(d: date | None, hour: int) -> str:
        return f"{d:%d/%m/%Y} {hour:02d}:{(hour * 7) % 60:02d}:00" if d else ""

    for i, d in enumerate(rows):
        channel = d.get("channel_text") or (
            f"Trực tuyến mức độ {d['level']}" if d["level"] else CHANNEL_IN[d["channel_in"]]
        )
        ws.write_row(
            4 + i,
            0,
            [
                i + 1,
                unit.title,
                d["id"],
                d["field"],
                d["procedure"],
                d["name"],
                d["phone"],
                t(d["received"], 8 + i % 8),
                d.get("due_text") or t(d["due"], 16),
                t(d["ready"], 10),
                t(d["returned"], 14),
                channel,
                CHANNEL_OUT[d["channel_out"]] if d["returned"] else "",
                1 if d["supplement"] else 0,
                STATUS_TEXT[d["status"]],
                "Cán bộ Mẫu",
                "Khu phố 1",
            ],
        )
    wb.close()


def f(x: date | None) -> str:
    return f"{x:%d/%m/%Y}" if x else ""


def write_csv(path: Path, rows: list[dict], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        w = csv.writer(handle, delimiter=delimiter)
        w.writerow(
            [
                "Mã hồ sơ",
                "Tên thủ tục",
                "Họ và tên",
                "Địa chỉ",
                "Ngày nhận",
                "Ngày hẹn trả",
                "Ngày hoàn thành",
                "Ngày trả kết quả",
                "Hình thức nộp",
                "Mức độ",
                "Hình thức trả",
                "Bổ sung",
                "Ghi chú",
            ]
        )
        for d in rows:
            w.writerow(
                [
                    d["id"],
                    d["procedure"],
                    d["name"],
                    d["address"],
                    f(d["received"]),
                    d.get("due_text") or f(d["due"]),
                    f(d["ready"]),
                    f(d["returned"]),
                    d.get("channel_text") or CHANNEL_IN[d["channel_in"]],
                    d["level"] or "",
                    CHANNEL_OUT[d["channel_out"]] if d["returned"] else "",
                    "Có" if d["supplement"] else "Không",
                    "Xin rút hồ sơ" if d["status"] == "withdrawn" else d["note"],
                ]
            )


def write_xls(path: Path, unit: UnitPlan, rows: list[dict]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("So theo doi")
    dfmt = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    ws.write(0, 0, unit.title)
    ws.write(1, 0, "SỔ THEO DÕI HỒ SƠ NĂM 2018")
    headers = [
        "STT",
        "Mã hồ sơ",
        "Tên TTHC",
        "Tên cá nhân, tổ chức",
        "Ngày nhận",
        "Ngày hẹn trả",
        "Ngày có kết quả",
        "Ngày trả",
        "Hình thức nộp",
        "Mức độ",
        "Hình thức trả kết quả",
        "Yêu cầu bổ sung",
    ]
    for c, h in enumerate(headers):
        ws.write(3, c, h)
    for i, d in enumerate(rows):
        r = 4 + i
        values = [i + 1, d["id"], d["procedure"], d["name"]]
        for c, v in enumerate(values):
            ws.write(r, c, v)
        for c, key in enumerate(["received", "due", "ready", "returned"], start=4):
            if d[key]:
                ws.write(r, c, datetime.combine(d[key], datetime.min.time()), dfmt)
        ws.write(r, 8, CHANNEL_IN[d["channel_in"]])
        ws.write(r, 9, d["level"] or "")
        ws.write(r, 10, CHANNEL_OUT[d["channel_out"]] if d["returned"] else "")
        ws.write(r, 11, "Có" if d["supplement"] else "")
    wb.save(str(path))


def main() -> None:
    rng = random.Random(SEED)
    target = OUT / "dossiers"
    if target.exists():
        shutil.rmtree(target)
    for unit in UNITS:
        # 2018: one export of the whole year, made in January 2019.
        rows18: list[dict] = []
        for month in range(1, 13):
            rows18 += dossiers(rng, unit, 2018, month, date(2019, 1, 10), len(rows18) + 1)
        folder18 = target / "2018"
        folder18.mkdir(parents=True, exist_ok=True)
        if unit.slug == "phong-tai-nguyen-moi-truong":
            write_xls(folder18 / f"{unit.slug}-2018.xls", unit, rows18)
        elif unit.layout == "mau06":
            write_mau06(
                folder18 / f"{unit.slug}-2018.xlsx",
                unit,
                rows18,
                date(2018, 1, 1),
                date(2018, 12, 31),
                date(2019, 1, 10),
            )
        elif unit.layout == "software":
            write_software(folder18 / f"{unit.slug}-2018.xlsx", unit, rows18, datetime(2019, 1, 10, 9, 30))
        else:
            write_csv(folder18 / f"{unit.slug}-2018.csv", rows18)
        # 2019: one export per month, made a few days after the month ends.
        folder = target / "2019" / unit.slug
        folder.mkdir(parents=True, exist_ok=True)
        seq = 1
        for month in range(1, 7):
            start = date(2019, month, 1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            exported = end + timedelta(days=5)
            state = rng.getstate()
            rows = dossiers(rng, unit, 2019, month, exported, seq)
            if month == 2:
                plant_bad_rows(rows)
            name = f"{month:02d}-2019"
            if unit.layout == "mau06":
                write_mau06(folder / f"so-theo-doi-{name}.xlsx", unit, rows, start, end, exported)
            elif unit.layout == "software":
                write_software(
                    folder / f"export-{name}.xlsx", unit, rows, datetime.combine(exported, datetime.min.time())
                )
            else:
                write_csv(folder / f"{unit.slug}_{name}.csv", rows, delimiter=";" if month % 2 else ",")
            if unit.slug == "phuong-an-lac" and month == 3:
                # March exported again on 20 April with the statuses of that day: it supersedes the first.
                later = date(2019, 4, 20)
                rng.setstate(state)
                again = dossiers(rng, unit, 2019, month, later, seq)
                write_mau06(folder / "so-theo-doi-03-2019-xuat-lai.xlsx", unit, again, start, end, later)
            seq += len(rows)
    print(f"wrote {sum(1 for _ in target.rglob('*.*'))} files under {target}")


if __name__ == "__main__":
    main()
