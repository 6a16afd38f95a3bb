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
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

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


def dossier(rng: random.Random, i: int) -> dict:
    received = date(2019, 1, 1) + timedelta(days=rng.randrange(355))
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
            wb = xlsxwriter.Workbook(xlsx_dir / f"{unit}-{b:02d}.xlsx", {"constant_memory": True})
            ws = wb.add_worksheet("Sổ theo dõi")
            dfmt = wb.add_format({"num_format": "dd/mm/yyyy"})
            ws.write(0, 0, unit.replace("-", " ").upper())
            ws.write(1, 0, "SỔ THEO DÕI HỒ SƠ")
            ws.write_row(3, 0, [h or "" for h in HEADER_HIGH])
            ws.write_row(4, 0, [h or "" for h in HEADER_LOW])
            ws.write_row(5, 0, [f"({i})" for i in range(1, 15)])
            text_dates = b % 10 == 9  # one book in ten keeps its dates as text
            for i in range(per_book):
                d = dossier(rng, b * per_book + i)
                r = 6 + i
                ws.write_number(r, 0, i + 1)
                ws.write_string(r, 1, d["id"])
                ws.write_string(r, 2, d["procedure"])
                ws.write_string(r, 3, f"Công dân Mẫu {i}")
                ws.write_string(r, 4, "Đường Mẫu")
                for c, key in enumerate(["received", "due", "ready", "returned"], start=5):
                    if text_dates:
                        ws.write_string(r, c, f"{d[key]:%d/%m/%Y} 08:00")
                    else:
                        ws.write_datetime(r, c, datetime.combine(d[key], datetime.min.time()), dfmt)
                ws.write_string(r, 9, d["channel"])
                ws.write_string(r, 10, str(d["level"] or ""))
                ws.write_string(r, 11, d["out"])
                ws.write_string(r, 12, "x" if d["supplement"] else "")
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
            wb.close()
    (args.out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    print(f"wrote {per_book * args.books} rows in {args.books} books under {args.out}")


if __name__ == "__main__":
    main()
