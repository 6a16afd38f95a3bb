"""Write a city's year: W wards × 12 monthly books (official layout, .xlsx), an objectives file that
registers the wards, and truth.json (the counts per ward for the year, computed from the rows written).

Seeded. Wards differ in size (0.5–1.5 × the mean); each book holds one month's received dossiers and
carries its export stamp ("Ngày xuất: …", early in the next month); one book in ten keeps its dates as
text. The ward names are made up from two syllables each, never a real person's data.

    python benchmarks/make_city.py --rows 5040000 --wards 168 --out /work/bench-data/city
    qms evaluate /work/bench-data/city/xlsx --objectives /work/bench-data/city/objectives.yaml --period 2019
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_books import dossier, write_book  # noqa: E402

FIRST = ["An", "Bình", "Phú", "Tân", "Hòa", "Long", "Thạnh", "Phước", "Đông", "Tây", "Nhơn", "Hiệp"]
SECOND = ["Lạc", "Hưng", "Thuận", "Lợi", "Mỹ", "Khánh", "Thới", "Định", "Hội", "Xuân", "Trung", "Quý", "Nghĩa", "Đức"]


def wards(count: int) -> list[tuple[str, str]]:
    """(slug, name) of `count` wards, two made-up syllables each (so no name is part of another)."""
    names = [f"{a} {b}" for a in FIRST for b in SECOND]
    plain = [unicodedata.normalize("NFD", n.replace("Đ", "D").replace("đ", "d")) for n in names]
    plain = ["".join(c for c in n if not unicodedata.combining(c)) for n in plain]
    if count > len(names):
        raise SystemExit(f"at most {len(names)} wards")
    return [("phuong-" + re.sub(r"\s+", "-", p.lower()), n) for p, n in zip(plain, names, strict=True)][:count]


def objectives(out: Path, city: list[tuple[str, str]]) -> None:
    """The project's objectives.yaml with its unit registry replaced by the city's wards (the two offices
    that lead objectives 5 to 7 stay)."""
    base = (Path(__file__).parents[1] / "objectives.yaml").read_text(encoding="utf-8")
    head, _, _ = base.partition("\nunits:\n")
    lines = [
        "units:",
        '  - {slug: van-phong-hdnd-ubnd, name: "Văn phòng HĐND và UBND quận", type: agency}',
        '  - {slug: phong-noi-vu, name: "Phòng Nội vụ", type: agency}',
        *(f'  - {{slug: {slug}, name: "UBND phường {name}", type: ward}}' for slug, name in city),
    ]
    (out / "objectives.yaml").write_text(head + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5_040_000)
    parser.add_argument("--wards", type=int, default=168)
    parser.add_argument("--out", type=Path, default=Path("/tmp/qms-city"))
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    city = wards(args.wards)
    size = [0.5 + rng.random() for _ in city]
    per_month = [math.ceil(args.rows / 12 * s / sum(size)) for s in size]
    xlsx = args.out / "xlsx"
    xlsx.mkdir(parents=True, exist_ok=True)
    objectives(args.out, city)
    truth: dict[str, dict[str, int]] = {}
    written = book = 0
    for month in range(1, 13):
        exported = date(2019 + month // 12, month % 12 + 1, 5)
        for (slug, name), rows in zip(city, per_month, strict=True):
            records = [dossier(rng, written + i, month) for i in range(rows)]
            title = [f"ỦY BAN NHÂN DÂN PHƯỜNG {name.upper()}", f"Ngày xuất: {exported:%d/%m/%Y}"]
            write_book(xlsx / f"{slug}-2019-{month:02d}.xlsx", title, records, text_dates=book % 10 == 9)
            t = truth.setdefault(slug, {"on_time": 0, "resolved": 0, "postal_in": 0, "received": 0, "supplement": 0})
            for d in records:
                if d["ready"].year == 2019:
                    t["resolved"] += 1
                    t["on_time"] += d["ready"] <= d["due"]
                t["received"] += 1
                t["postal_in"] += d["channel"] == "Bưu chính"
                t["supplement"] += d["supplement"]
            written += rows
            book += 1
        print(f"month {month}: {written:,} rows so far", flush=True)
    (args.out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    print(f"wrote {written:,} rows in {book} books under {args.out}")


if __name__ == "__main__":
    main()
