#!/usr/bin/env python3
"""Writes the big-sheet benchmark workbooks with xlsxwriter, deterministically:
200,000 rows x 12 columns (text, integers, decimals, dates), once with shared strings and
once with inline strings (xlsxwriter's constant_memory mode writes strings inline), and the
same data as CSV in UTF-8 and Windows-1258.

    python3 Benchmarks/make_big_sheet.py OUTDIR [ROWS]
"""
import datetime, os, random, sys, unicodedata

import xlsxwriter

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
os.makedirs(out, exist_ok=True)
communes = ["Khánh Bình", "Khánh Đông", "Cam Phước Đông", "Sơn Thái", "Ninh Hòa", "Vạn Thắng",
            "Diên Lạc", "Ba Cụm Bắc", "Cam Thành Nam", "Suối Tân", "Ninh Sơn", "Vĩnh Lương"]
header = ["Xã", "Mã", "Số hộ", "Dư nợ", "Tỷ lệ", "Ngày", "Ghi chú", "Tổ", "Vốn", "Lãi", "Thôn", "Số tiền"]


def data():
    rnd = random.Random(2019)
    base = datetime.date(2019, 1, 1)
    for i in range(rows):
        yield [rnd.choice(communes), i + 1, rnd.randint(0, 5000), round(rnd.uniform(0, 10_000), 2),
               round(rnd.random(), 4), base + datetime.timedelta(days=rnd.randint(0, 364)),
               "ghi chú %d" % rnd.randint(0, 999), rnd.randint(1, 40), round(rnd.uniform(0, 500), 1),
               round(rnd.uniform(0, 50), 3), "Thôn %d" % rnd.randint(1, 30), rnd.randint(0, 10**9)]


for name, options in (("big_shared.xlsx", {}), ("big_inline.xlsx", {"constant_memory": True})):
    wb = xlsxwriter.Workbook(os.path.join(out, name), options)
    ws = wb.add_worksheet("Data")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, header)
    for r, row in enumerate(data(), start=1):
        for c, v in enumerate(row):
            if isinstance(v, datetime.date):
                ws.write_datetime(r, c, datetime.datetime(v.year, v.month, v.day), date_fmt)
            else:
                ws.write(r, c, v)
    wb.close()


def cp1258(text):
    b = bytearray()
    for ch in text:
        try:
            b += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            b += (unicodedata.normalize("NFC", "".join(c for c in d if c not in tones)) + tones).encode("cp1258")
    return bytes(b)


lines = [",".join(header)]
for row in data():
    lines.append(",".join(v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else str(v) for v in row))
text = "\r\n".join(lines) + "\r\n"
open(os.path.join(out, "big_utf8.csv"), "wb").write(text.encode("utf-8"))
open(os.path.join(out, "big_cp1258.csv"), "wb").write(cp1258(text))
print("written to", out)
