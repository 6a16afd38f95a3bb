"""A folder of hostile files, as a unit inbox might receive them (the probe of issue 11).

python scripts/hostile_probe.py /tmp/hostile && qms evaluate /tmp/hostile/inbox --store /tmp/hostile/s.sqlite

Every file must be read or named with a code; the run must end with 3 (files to fix), never 70.
"""

import os
import shutil
import sys
import zipfile
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers import write_csv, write_xlsx

D = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/qms-hostile") / "inbox"
shutil.rmtree(D, ignore_errors=True)
D.mkdir(parents=True)
U = D / "phuong-an-lac"
U.mkdir()
H = ["Mã hồ sơ", "Họ tên", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trích yếu"]
good = [[f"G{i}", f"Người Giả {i}", "04/03/2019", "11/03/2019", "08/03/2019", "Cấp giấy phép"] for i in range(20)]
write_xlsx(U / "good.xlsx", [H, *good])
write_csv(U / "good.csv", H, good)
# 1 markup & escapes in names and cells
write_xlsx(
    U / "[red]x[-red].xlsx",
    [
        H,
        *[
            [f"[bold]M{i}[/]", "[red]A", "04/03/2019", "11/03/2019", "08/03/2019", "[link=file:///etc/passwd]x"]
            for i in range(3)
        ],
    ],
    sheet="red (x)",
)
write_xlsx(U / "esc\x1b[2Jname.xlsx", [H, *good[:3]])
(U / "bell\x07.csv").write_text("Mã hồ sơ,Ngày nhận\nB1,\x1b[31m04/03/2019\n", encoding="utf-8")
(U / os.fsdecode(b"s\xe9\xff.xlsx")).write_bytes((U / "good.xlsx").read_bytes())
# 2 csv oddities
(U / "nul.csv").write_bytes(b"M\xc3\xa3 h\xe1\xbb\x93 s\xc6\xa1,Ng\xc3\xa0y nh\xe1\xba\xadn\nA\x001,04/03/2019\n")
(U / "crlf-mixed.csv").write_bytes(
    b"M\xc3\xa3 h\xe1\xbb\x93 s\xc6\xa1,Ng\xc3\xa0y nh\xe1\xba\xadn\r\nA1,04/03/2019\rA2,05/03/2019\nA3,06/03/2019\r\n"
)
(U / "only-quotes.csv").write_text('"""""""""""\n' * 50, encoding="utf-8")
(U / "quote-closes-late.csv").write_text(
    'Mã hồ sơ,Ngày nhận,Ngày hẹn trả\nA1,"04/03/2019,x\nA2,05/03/2019,12/03/2019\nA3,06/03/2019",13/03/2019\nA4,07/03/2019,14/03/2019\n',  # noqa: E501
    encoding="utf-8",
)
(U / "utf16.csv").write_bytes("Mã hồ sơ\tNgày nhận\nU1\t04/03/2019\n".encode("utf-16"))
(U / "cp1258.csv").write_bytes("Mã hồ sơ,Ngày nhận\nW1,04/03/2019\n".encode("cp1258", "replace"))
(U / "huge-line.csv").write_text("Mã hồ sơ,Ngày nhận\nA1," + "x" * 5_000_000 + "\n", encoding="utf-8")
(U / "formula-injection.csv").write_text(
    'Mã hồ sơ,Ngày nhận,Tên thủ tục\n=cmd|"/c calc"!A1,04/03/2019,=1+1\n+A2,04/03/2019,=1+1\n-A3,04/03/2019,=1+1\n',
    encoding="utf-8",
)
(U / "bom-only.csv").write_bytes(b"\xef\xbb\xbf")
(U / "header-only-semicolon.csv").write_text("Mã hồ sơ;Ngày nhận\n", encoding="utf-8")
# 3 dates
write_xlsx(
    U / "dates.xlsx",
    [
        H,
        ["D1", "31/02/2019", "", "", "", ""],
        ["D2", "04/03/2919", "", "", "", ""],
        ["D3", "00/00/0000", "", "", "", ""],
        ["D4", "1/1/1900", "", "", "", ""],
        ["D5", "99999", "", "", "", ""],
        ["D6", "-1", "", "", "", ""],
        ["D7", "04/03/2019", "01/01/1970", "", "", ""],
    ],
)
# 4 xlsx structure
wb = xlsxwriter.Workbook(U / "many-sheets.xlsx")
for k in range(60):
    ws = wb.add_worksheet(f"S{k}")
    ws.write_row(0, 0, H)
    ws.write_row(1, 0, [f"MS{k}", "x", "04/03/2019", "11/03/2019", "08/03/2019", "y"])
wb.close()
wb = xlsxwriter.Workbook(U / "far-blank-and-hidden.xlsx")
ws = wb.add_worksheet("a")
ws.write_row(0, 0, H)
ws.write_row(1, 0, good[0])
ws.write_string(1048575, 16383, "  ")
h = wb.add_worksheet("h")
h.write_row(0, 0, H)
h.hide()
wb.close()
wb = xlsxwriter.Workbook(U / "long-text.xlsx")
ws = wb.add_worksheet()
ws.write_row(0, 0, H)
for r in range(1, 2000):
    ws.write_row(r, 0, [f"L{r}", "x" * 32000, "04/03/2019", "11/03/2019", "08/03/2019", "y"])
wb.close()
wb = xlsxwriter.Workbook(U / "merged-everything.xlsx")
ws = wb.add_worksheet()
ws.merge_range(0, 0, 50, 10, "Mã hồ sơ")
wb.close()
(U / "truncated.xlsx").write_bytes((U / "good.xlsx").read_bytes()[:3000])
(U / "zip-of-zips.xlsx").write_bytes(
    (Path(__file__).resolve().parents[1] / "tests" / "bad_files" / "zip-bomb.xlsx").read_bytes()
)
z = zipfile.ZipFile(U / "no-workbook-xml.xlsx", "w")
z.writestr("xl/worksheets/sheet1.xml", "<x/>")
z.close()
src = zipfile.ZipFile(U / "good.xlsx")
with zipfile.ZipFile(U / "bad-xml.xlsx", "w") as out:
    for n in src.namelist():
        out.writestr(n, b'<worksheet><sheetData><row r="1"><c r="A1"' if n.endswith("sheet1.xml") else src.read(n))
with zipfile.ZipFile(U / "lzma-member.xlsx", "w") as out:
    for n in src.namelist():
        out.writestr(n, src.read(n), compress_type=zipfile.ZIP_LZMA)
with zipfile.ZipFile(U / "entity-bomb.xlsx", "w") as out:
    for n in src.namelist():
        data = src.read(n)
        if n.endswith("sheet1.xml"):
            data = (
                b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'  # noqa: E501
                + data[data.index(b"<worksheet") :].replace(b"<v>", b"<v>&lol4;", 1)
            )
        out.writestr(n, data)
(U / "xls-garbage.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(5000))
(U / "empty-dir").mkdir()
(U / "dir.xlsx").mkdir()
os.symlink("/nonexistent/x.xlsx", U / "broken.xlsx")
os.symlink("..", U / "up")
os.symlink(U / "loop-a", U / "loop-b")
os.symlink(U / "loop-b", U / "loop-a")
os.mkfifo(U / "fifo.csv")
os.symlink("/dev/zero", U / "zero.csv")
os.symlink("/dev/urandom", U / "urandom.xlsx")
(U / "unreadable.xlsx").write_bytes((U / "good.xlsx").read_bytes())
os.chmod(U / "unreadable.xlsx", 0)
(U / "closed").mkdir()
os.chmod(U / "closed", 0)
(U / ".hidden.xlsx").write_bytes(b"junk")
(U / "~$lock.xlsx").write_bytes(b"junk")
(U / "big-sparse.csv").write_bytes(
    b"M\xc3\xa3 h\xe1\xbb\x93 s\xc6\xa1,"
    + b",".join(b"c%d" % i for i in range(5000))
    + b"\n"
    + b"A1"
    + b"," * 5000
    + b"\n"
)
print("made", len(list(D.rglob("*"))))
