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
# The procedure catalogue: name -> (code, online level); statutory days are in PROCEDURES.
CATALOGUE = {
    "Chứng thực bản sao từ bản chính": ("2.000815", 3),
    "Đăng ký khai sinh": ("1.001193", 4),
    "Đăng ký kết hôn": ("1.000894", 3),
    "Xác nhận tình trạng hôn nhân": ("1.004873", 4),
    "Chứng thực chữ ký": ("2.000884", 3),
    "Cấp bản sao trích lục hộ tịch": ("2.000635", 4),
    "Đăng ký khai sinh có yếu tố nước ngoài": ("1.001695", 3),
    "Chứng thực hợp đồng": ("2.000913", 3),
    "Đăng ký bảo vệ môi trường": ("1.004138", 3),
    "Gia hạn sử dụng đất": ("1.003010", 4),
    "Đăng ký biến động quyền sử dụng đất": ("1.004227", 3),
    "Cấp đổi giấy chứng nhận quyền sử dụng đất": ("1.004199", 3),
    "Xóa đăng ký thế chấp": ("1.000656", 4),
}
NO_LEVEL_IN_BOOK = {"phong-tai-nguyen-moi-truong"}  # its software writes "Trực tuyến": the catalogue has the level
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
            if unit.slug in NO_LEVEL_IN_BOOK:
                level = CATALOGUE[name][1]
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
        stated = d["level"] and unit.slug not in NO_LEVEL_IN_BOOK
        channel = d.get("channel_text") or (
            f"Trực tuyến mức độ {d['level']}" if stated else CHANNEL_IN[d["channel_in"]]
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


SUMMARY_UNIT = UnitPlan(
    "phuong-binh-hung-hoa", "UBND PHƯỜNG BÌNH HƯNG HÒA", "06a", 85, 0.985, 0.1, 0.14, 0.22, 0.32, 0.07, 1.18
)
GROUP = [
    "Số hồ sơ nhận giải quyết",
    None,
    None,
    None,
    "Kết quả giải quyết",
    None,
    None,
    None,
    "Số hồ sơ đang giải quyết",
    None,
    None,
]
SUB = [
    "Tổng số",
    "Trong đó",
    None,
    None,
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
]
SUB2 = [
    None,
    "Số mới tiếp nhận trực tuyến",
    "Số mới tiếp nhận trực tiếp hoặc qua dịch vụ bưu chính",
    "Số kỳ trước chuyển qua",
]
EXTRA = [
    "Trực tuyến mức độ 3",
    "Trực tuyến mức độ 4",
    "Tiếp nhận qua bưu chính",
    "Yêu cầu bổ sung",
    "Số hồ sơ đã trả kết quả",
    "Trả kết quả qua bưu chính",
]


def summary_counts(rows: list[dict], start: date, end: date) -> dict[str, int]:
    """The Biểu 06a columns of one range, computed from dossiers as the unit's software would."""

    def n(pred) -> int:  # noqa: ANN001
        return sum(1 for d in rows if pred(d))

    def ready(d: dict) -> date | None:
        return d["ready"] if d["status"] != "withdrawn" else None

    recv = [d for d in rows if start <= d["received"] <= end]
    out = {
        "online": sum(1 for d in recv if d["channel_in"] == "online"),
        "direct_postal": sum(1 for d in recv if d["channel_in"] != "online"),
        "carried": n(lambda d: d["received"] < start and (ready(d) is None or ready(d) >= start)),
        "early": n(lambda d: ready(d) and start <= ready(d) <= end and ready(d) < d["due"]),
        "on_time": n(lambda d: ready(d) and start <= ready(d) <= end and ready(d) == d["due"]),
        "late": n(lambda d: ready(d) and start <= ready(d) <= end and ready(d) > d["due"]),
        "pending_in_time": n(
            lambda d: d["received"] <= end and (ready(d) is None or ready(d) > end) and d["due"] >= end
        ),
        "pending_overdue": n(
            lambda d: d["received"] <= end and (ready(d) is None or ready(d) > end) and d["due"] < end
        ),
        "online_l3": sum(1 for d in recv if d["level"] == 3),
        "online_l4": sum(1 for d in recv if d["level"] == 4),
        "postal_in": sum(1 for d in recv if d["channel_in"] == "postal"),
        "supplement": sum(1 for d in recv if d["supplement"]),
        "returned": n(lambda d: d["returned"] and start <= d["returned"] <= end),
        "postal_out": n(lambda d: d["returned"] and start <= d["returned"] <= end and d["channel_out"] == "postal"),
    }
    out["received"] = out["online"] + out["direct_postal"] + out["carried"]
    out["resolved"] = out["early"] + out["on_time"] + out["late"]
    out["pending"] = out["pending_in_time"] + out["pending_overdue"]
    return out


def write_06a(path: Path, unit: UnitPlan, by_field: dict[str, dict[str, int]], title: str) -> None:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Biểu 06a")
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    ws.write(0, 0, unit.title)
    ws.write(1, 3, "BIỂU 06a: TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    ws.write(2, 3, title)
    ws.merge_range(4, 0, 6, 0, "STT", head)
    ws.merge_range(4, 1, 6, 1, "Lĩnh vực", head)
    ws.merge_range(4, 2, 4, 5, GROUP[0], head)
    ws.merge_range(4, 6, 4, 9, GROUP[4], head)
    ws.merge_range(4, 10, 4, 12, GROUP[8], head)
    ws.merge_range(5, 2, 6, 2, "Tổng số", head)
    ws.merge_range(5, 3, 5, 5, "Trong đó", head)
    for c, text in enumerate(SUB2[1:], start=3):
        ws.write(6, c, text, head)
    for c, text in enumerate(SUB[4:], start=6):
        ws.merge_range(5, c, 6, c, text, head)
    for c, text in enumerate(EXTRA, start=13):
        ws.merge_range(4, c, 6, c, text, head)
    for c in range(19):
        ws.write_string(7, c, f"({c + 1})", head)
    keys = [
        "received",
        "online",
        "direct_postal",
        "carried",
        "resolved",
        "early",
        "on_time",
        "late",
        "pending",
        "pending_in_time",
        "pending_overdue",
        "online_l3",
        "online_l4",
        "postal_in",
        "supplement",
        "returned",
        "postal_out",
    ]
    r = 8
    for i, (field, counts) in enumerate(sorted(by_field.items())):
        ws.write_row(r, 0, [i + 1, field, *(counts[k] for k in keys)])
        r += 1
    ws.write_row(r, 0, ["Tổng cộng", None, *(sum(c[k] for c in by_field.values()) for k in keys)])
    wb.close()


def summaries(rng: random.Random, target: Path) -> None:
    """Bình Hưng Hòa sends Biểu 06a tables instead of its book: a year for 2018, a month at a time for 2019."""
    unit = SUMMARY_UNIT
    rows18 = [d for m in range(1, 13) for d in dossiers(rng, unit, 2018, m, date(2020, 1, 1), 10000 * m)]
    rows19 = [d for m in range(1, 13) for d in dossiers(rng, unit, 2019, m, date(2020, 1, 10), 10000 * m)]
    folder = target / "summaries"
    folder.mkdir(parents=True, exist_ok=True)

    def by_field(rows: list[dict], start: date, end: date) -> dict[str, dict[str, int]]:
        fields = sorted({d["field"] for d in rows})
        return {f: summary_counts([d for d in rows if d["field"] == f], start, end) for f in fields}

    write_06a(
        folder / "binh-hung-hoa-bieu-06a-nam-2018.xlsx",
        unit,
        by_field(rows18, date(2018, 1, 1), date(2018, 12, 31)),
        "Kỳ báo cáo: Năm 2018",
    )
    for month in range(1, 13):
        start = date(2019, month, 1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        write_06a(
            folder / f"binh-hung-hoa-bieu-06a-{month:02d}-2019.xlsx",
            unit,
            by_field(rows19, start, end),
            f"Kỳ báo cáo: Tháng {month} năm 2019",
        )


LEVEL_TEXT = {5: "Rất hài lòng", 4: "Hài lòng", 3: "Bình thường", 2: "Không hài lòng", 1: "Rất không hài lòng"}


def surveys(rng: random.Random, target: Path) -> None:
    """Desk answers (5-level wording) per response, web ratings as stars, and one unit's counts per level."""
    folder = target / "surveys"
    folder.mkdir(parents=True, exist_ok=True)
    units = [*UNITS, SUMMARY_UNIT]
    wb = xlsxwriter.Workbook(folder / "phieu-khao-sat-tai-quay-2019.xlsx")
    ws = wb.add_worksheet("Phiếu khảo sát")
    ws.write(0, 0, "TỔNG HỢP PHIẾU KHẢO SÁT SỰ HÀI LÒNG TẠI BỘ PHẬN MỘT CỬA NĂM 2019")
    ws.write_row(2, 0, ["STT", "Đơn vị", "Ngày", "Nguồn", "Mức độ hài lòng", "Họ tên người đánh giá"])
    r = 3
    for unit in units:
        good = 0.9 if unit.on_time > 0.97 else 0.72
        for _ in range(60):
            day = date(2019, 1, 2) + timedelta(days=rng.randrange(360))
            level = rng.choice([5, 4]) if rng.random() < good else rng.choice([3, 2, 1, 3])
            ws.write_row(
                r, 0, [r - 2, unit.title, f"{day:%d/%m/%Y}", "Tại quầy", LEVEL_TEXT[level], f"Người dân Mẫu {r:04d}"]
            )
            r += 1
    wb.close()
    with (folder / "danh-gia-website-2019.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["Đơn vị", "Thời gian đánh giá", "Kênh đánh giá", "Số sao"])
        for unit in units:
            for _ in range(40):
                day = date(2019, 1, 2) + timedelta(days=rng.randrange(360))
                stars = rng.choice([5, 5, 4, 4, 4, 3, 2]) if unit.on_time > 0.97 else rng.choice([5, 4, 3, 3, 2, 1])
                w.writerow([unit.title, f"{day:%d/%m/%Y} 10:{rng.randrange(60):02d}", "Website", stars])
    wb = xlsxwriter.Workbook(folder / "van-phong-tong-hop-khao-sat-quy-4-2019.xlsx")
    ws = wb.add_worksheet("Quý 4")
    ws.write(0, 0, "KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG - Kỳ báo cáo: Quý IV năm 2019")
    ws.write_row(
        2, 0, ["STT", "Đơn vị", "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]
    )
    ws.write_row(3, 0, [1, "Văn phòng HĐND và UBND quận", 48, 71, 12, 6, 1])
    wb.close()


def registers(target: Path) -> None:
    """The Home Affairs Office's inspection register, transition plan and procedure catalogue."""
    folder = target / "registers"
    folder.mkdir(parents=True, exist_ok=True)
    inspections = [
        ("12/03/2019", "Phòng Tư pháp", "Định kỳ"),
        ("28/03/2019", "UBND phường An Lạc", "Định kỳ"),
        ("16/05/2019", "UBND phường An Lạc A", "Đột xuất"),
        ("20/06/2019", "Phòng Tài nguyên và Môi trường", "Định kỳ"),
        ("15/08/2019", "UBND phường Bình Hưng Hòa", "Định kỳ"),
        ("11/09/2019", "Phòng Tư pháp", "Đột xuất"),
        ("24/09/2019", "Chi nhánh Văn phòng đăng ký đất đai quận Bình Tân", "Định kỳ"),
        ("17/10/2019", "UBND phường Bình Trị Đông B", "Định kỳ"),
        ("06/11/2019", "Phòng Y tế", "Đột xuất"),
        ("26/11/2019", "UBND phường Tân Tạo A", "Định kỳ"),
        ("21/11/2018", "Phòng Kinh tế", "Định kỳ"),
    ]
    wb = xlsxwriter.Workbook(folder / "so-theo-doi-kiem-tra-iso-2019.xlsx")
    ws = wb.add_worksheet("Kiểm tra")
    ws.write(0, 0, "PHÒNG NỘI VỤ - SỔ THEO DÕI KIỂM TRA HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG")
    ws.write_row(2, 0, ["STT", "Ngày kiểm tra", "Đơn vị được kiểm tra", "Hình thức", "Đoàn kiểm tra", "Kết quả"])
    for i, (day, unit, kind) in enumerate(inspections):
        ws.write_row(3 + i, 0, [i + 1, day, unit, kind, "Đoàn kiểm tra ISO quận", "Đạt yêu cầu"])
    wb.close()
    milestones = [
        ("Ban hành kế hoạch chuyển đổi sang TCVN ISO 9001:2015", "15/03/2019", "11/03/2019", "Kế hoạch số 12/KH"),
        ("Đào tạo nhận thức và chuyên gia đánh giá nội bộ", "30/04/2019", "26/04/2019", "Danh sách học viên"),
        ("Xây dựng, cập nhật hệ thống tài liệu theo phiên bản 2015", "31/07/2019", "29/07/2019", "QĐ ban hành"),
        ("Đánh giá nội bộ và xem xét của lãnh đạo", "30/09/2019", "18/10/2019", "Báo cáo đánh giá"),
        ("Công bố hệ thống phù hợp TCVN ISO 9001:2015", "15/12/2019", "10/12/2019", "Quyết định công bố"),
    ]
    wb = xlsxwriter.Workbook(folder / "ke-hoach-chuyen-doi-iso-9001-2015.xlsx")
    ws = wb.add_worksheet("Tiến độ")
    ws.write(0, 0, "TIẾN ĐỘ CHUYỂN ĐỔI HTQLCL SANG TCVN ISO 9001:2015")
    ws.write_row(2, 0, ["STT", "Nội dung", "Hạn hoàn thành", "Ngày hoàn thành", "Minh chứng"])
    for i, row in enumerate(milestones):
        ws.write_row(3 + i, 0, [i + 1, *row])
    wb.close()
    wb = xlsxwriter.Workbook(folder / "danh-muc-tthc.xlsx")
    ws = wb.add_worksheet("Danh mục")
    ws.write(0, 0, "DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT")
    ws.write_row(
        2,
        0,
        [
            "STT",
            "Mã thủ tục",
            "Tên thủ tục",
            "Lĩnh vực",
            "Mức độ DVC",
            "Thời hạn giải quyết (ngày làm việc)",
            "Năm áp dụng",
        ],
    )
    r = 3
    for procedures in PROCEDURES.values():
        for name, field, days in procedures:
            code, level = CATALOGUE[name]
            for year in (2018, 2019):
                ws.write_row(r, 0, [r - 2, code, name, field, level, days, year])
                r += 1
    wb.close()


def write_2018(rng: random.Random, target: Path, unit: UnitPlan) -> None:
    """One export of the whole of 2018 for the unit, made in January 2019."""
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


def write_2019(rng: random.Random, target: Path, unit: UnitPlan) -> None:
    """One export per month of 2019 for the unit, made a few days after the month ends."""
    folder = target / "2019" / unit.slug
    folder.mkdir(parents=True, exist_ok=True)
    seq = 1
    for month in range(1, 13):
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
            write_software(folder / f"export-{name}.xlsx", unit, rows, datetime.combine(exported, datetime.min.time()))
        else:
            write_csv(folder / f"{unit.slug}_{name}.csv", rows, delimiter=";" if month % 2 else ",")
        if unit.slug == "phuong-an-lac" and month == 3:
            # March exported again on 20 April with the statuses of that day: it supersedes the first.
            later = date(2019, 4, 20)
            rng.setstate(state)
            again = dossiers(rng, unit, 2019, month, later, seq)
            write_mau06(folder / "so-theo-doi-03-2019-xuat-lai.xlsx", unit, again, start, end, later)
        seq += len(rows)


def main() -> None:
    rng = random.Random(SEED)
    target = OUT
    for folder in ("dossiers", "summaries", "surveys", "registers"):
        if (target / folder).exists():
            shutil.rmtree(target / folder)
    target = OUT / "dossiers"
    for unit in UNITS:
        write_2018(rng, target, unit)
        write_2019(rng, target, unit)
    summaries(rng, OUT)
    surveys(rng, OUT)
    registers(OUT)
    print(f"wrote {sum(1 for _ in OUT.rglob('*.*'))} files under {OUT}")


if __name__ == "__main__":
    main()
