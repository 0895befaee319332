#!/usr/bin/env python3
"""Makes the reader's fixtures with other producers: xlsxwriter, openpyxl, LibreOffice
(headless), Gnumeric (ssconvert), msoffcrypto-tool; and, where no producer writes the quirk,
by rewriting a producer's package with Python's zipfile (named `handmade_*` or saying so).

    python3 -m pip install xlsxwriter openpyxl msoffcrypto-tool
    apt-get install libreoffice-calc-nogui gnumeric
    python3 Tests/SheetsTests/Fixtures/make_fixtures.py

Each fixture is named for the quirk it pins; SheetsTests asserts what a user would see.
The outputs are committed so the tests need none of these tools.
"""
import datetime, io, os, shutil, subprocess, sys, tempfile, unicodedata, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
TMP = tempfile.mkdtemp()


def out(name):
    return os.path.join(HERE, name)


def soffice_convert(src, fmt, dest):
    """Converts with LibreOffice headless and moves the result to dest."""
    outdir = tempfile.mkdtemp(dir=TMP)
    r = subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", fmt, "--outdir", outdir, src],
                       capture_output=True, text=True)
    made = os.listdir(outdir)
    if r.returncode != 0 or len(made) != 1:
        sys.exit(f"soffice failed converting {src} to {fmt}: {r.stdout} {r.stderr}")
    shutil.move(os.path.join(outdir, made[0]), dest)


def rewrite_zip(src, dest, rename=None, transform=None, compression=zipfile.ZIP_DEFLATED, force_zip64=False):
    """Copies a package entry by entry, optionally renaming entries or changing their bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", compression) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            name = rename(info.filename) if rename else info.filename
            if transform:
                data = transform(info.filename, data)
            zi = zipfile.ZipInfo(name, date_time=info.date_time)
            zi.compress_type = compression
            with zout.open(zi, "w", force_zip64=force_zip64) as f:
                f.write(data)


def xlsxwriter_fixtures():
    import xlsxwriter
    # Shared strings, numbers, booleans, a dd/mm/yyyy date, merged title, Vietnamese text.
    wb = xlsxwriter.Workbook(out("shared_strings.xlsx"))
    ws = wb.add_worksheet("Báo cáo")
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.merge_range("A1:D1", "BÁO CÁO THÁNG 10/2019", bold)
    ws.write_row(1, 0, ["Xã", "Số hộ nghèo", "Tỷ lệ", "Ngày báo cáo"], bold)
    ws.write_row(2, 0, ["Khánh Bình", 120, 0.1 + 0.2])
    ws.write_datetime(2, 3, datetime.datetime(2019, 10, 14), date)
    ws.write_row(3, 0, ["Khánh Đông", 1234.5, 0.75])
    ws.write_datetime(3, 3, datetime.datetime(2019, 10, 15, 8, 30), wb.add_format({"num_format": "dd/mm/yyyy hh:mm"}))
    ws.write_boolean(4, 0, True)
    ws.write_boolean(4, 1, False)
    ws.write_number(4, 2, 8595602512225)
    wb.close()

    # The 1904 date system.
    wb = xlsxwriter.Workbook(out("date_1904.xlsx"), {"date_1904": True})
    ws = wb.add_worksheet()
    ws.write_datetime(0, 0, datetime.datetime(2019, 11, 30), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_number(0, 1, 0, wb.add_format({"num_format": "dd/mm/yyyy"}))
    wb.close()

    # Text in NFD ("Unicode tổ hợp", as a Mac or some Vietnamese keyboards write it).
    wb = xlsxwriter.Workbook(out("vietnamese_nfd.xlsx"))
    ws = wb.add_worksheet()
    ws.write(0, 0, unicodedata.normalize("NFD", "Huyện Khánh Vĩnh"))
    ws.write(0, 1, unicodedata.normalize("NFD", "Hội LHPN"))
    wb.close()

    # Built-in and custom number formats: which are dates, times, durations.
    wb = xlsxwriter.Workbook(out("number_formats.xlsx"))
    ws = wb.add_worksheet()
    fmts = ["dd/mm/yyyy", "h:mm", "[h]:mm:ss", "#,##0", "0.00%", '"Ngày" d', "mmm-yy", "h:mm AM/PM", '[Red]#,##0.00']
    for i, f in enumerate(fmts):
        ws.write_string(i, 0, f)
        ws.write_number(i, 1, 43768.5 if f not in ("[h]:mm:ss", "h:mm", "h:mm AM/PM") else 1.75, wb.add_format({"num_format": f}))
    wb.close()


def openpyxl_fixtures():
    import openpyxl
    # openpyxl writes absolute relationship targets (/xl/worksheets/sheet1.xml).
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hiện"
    ws["A1"] = "Trang hiện"
    hidden = wb.create_sheet("Ẩn")
    hidden["A1"] = "Trang ẩn"
    hidden.sheet_state = "hidden"
    very = wb.create_sheet("Ẩn sâu")
    very["B2"] = 7
    very.sheet_state = "veryHidden"
    wb.save(out("hidden_sheets.xlsx"))

    # Formulas, then LibreOffice recalculates and stores cached values (and an error).
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"] = 40, 2
    ws["A3"] = "=SUM(A1:A2)"
    ws["A4"] = "=A1/0"
    ws["A5"] = '="Tổng: "&A3'
    ws["A6"] = "=A1>A2"
    src = os.path.join(TMP, "formulas_src.xlsx")
    wb.save(src)
    soffice_convert(src, "xlsx:Calc MS Excel 2007 XML", out("formulas_cached_values.xlsx"))


def libreoffice_fixtures():
    # A two-row header with merged cells, title rows and a total row, saved by LibreOffice.
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bieu 1"
    ws["A1"] = "HỘI LHPN HUYỆN KHÁNH VĨNH"
    ws["A2"] = "BÁO CÁO QUÝ III/2019"
    ws.merge_cells("A1:E1")
    ws.merge_cells("A2:E2")
    ws["A4"], ws["B4"], ws["C4"] = "STT", "Xã", "NHCSXH"
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("C4:E4")
    ws["C5"], ws["D5"], ws["E5"] = "Dư nợ", "Số hộ", "Nợ quá hạn"
    rows = [(1, "Khánh Bình", 1500.5, 120, 2.5), (2, "Khánh Đông", 980, 85, 0)]
    for i, r in enumerate(rows, start=6):
        for j, v in enumerate(r, start=1):
            ws.cell(i, j, v)
    ws["B8"] = "Tổng cộng"
    ws["C8"] = "=SUM(C6:C7)"
    ws["D8"] = "=SUM(D6:D7)"
    ws["E8"] = "=SUM(E6:E7)"
    src = os.path.join(TMP, "header_two_rows_merged.xlsx")
    wb.save(src)
    soffice_convert(src, "xlsx:Calc MS Excel 2007 XML", out("header_two_rows_merged.xlsx"))
    # The same workbook as old binary .xls and as .ods: both must be refused clearly.
    soffice_convert(src, "xls:MS Excel 97", out("old_binary.xls"))
    soffice_convert(src, "ods", out("opendocument.ods"))


def gnumeric_fixtures():
    # Gnumeric writes every string inline (t="inlineStr").
    src = os.path.join(TMP, "inline.csv")
    with open(src, "w", encoding="utf-8") as f:
        f.write("Xã,Số hội viên\nCam Phước Đông,310\nCam Thành Nam,205\n")
    subprocess.run(["ssconvert", "--export-type=Gnumeric_Excel:xlsx2", src, out("inline_strings.xlsx")],
                   check=True, capture_output=True)


def csv_fixtures():
    rows = [["Xã", "Số hộ nghèo", "Tỷ lệ"], ["Khánh Bình", "1.234", "12,5%"], ["Sơn Thái", "2.535", "7,25%"],
            ["Ghi chú", "có dấu ; trong \"ngoặc\"", ""]]

    def csv_text(delim):
        lines = []
        for r in rows:
            cells = []
            for c in r:
                if any(ch in c for ch in (delim, '"', "\n")):
                    c = '"' + c.replace('"', '""') + '"'
                cells.append(c)
            lines.append(delim.join(cells))
        return "\r\n".join(lines) + "\r\n"

    # Excel "CSV (Comma delimited)" on a Vietnamese Windows: `;` and Windows-1258, whose
    # tone marks are combining characters after a precomposed base letter.
    def to_cp1258(text):
        out_bytes = bytearray()
        for ch in text:
            try:
                out_bytes += ch.encode("cp1258")
                continue
            except UnicodeEncodeError:
                pass
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out_bytes += (base + tones).encode("cp1258")
        return bytes(out_bytes)

    with open(out("windows1258_semicolon.csv"), "wb") as f:
        f.write(to_cp1258(csv_text(";")))
    # Excel "Unicode Text": UTF-16LE with BOM, tab-delimited.
    with open(out("utf16le_tab.csv"), "wb") as f:
        f.write(b"\xff\xfe" + csv_text("\t").encode("utf-16-le"))
    # Excel "CSV UTF-8": BOM, comma, an embedded newline, and Excel's sep= hint in a second file.
    with open(out("utf8_bom_comma.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + csv_text(",").encode("utf-8") + 'Dòng,"hai\ndòng",x\r\n'.encode("utf-8"))
    with open(out("sep_hint.csv"), "wb") as f:
        f.write(b"sep=;\r\n" + "a;b,c\r\n1;2,5\r\n".encode("utf-8"))


def handmade_fixtures():
    base = out("shared_strings.xlsx")
    # Rows and cells without r= (positions inferred, as some generators write them).
    def strip_refs(name, data):
        if name == "xl/worksheets/sheet1.xml":
            import re
            return re.sub(rb' r="[A-Z]*[0-9]+"', b"", data)
        return data
    rewrite_zip(base, out("handmade_no_cell_refs.xlsx"), transform=strip_refs)
    # WPS writes zip entry names with backslashes.
    rewrite_zip(base, out("handmade_backslash_names.xlsx"), rename=lambda n: n.replace("/", "\\"))
    # zip64 records on every entry.
    rewrite_zip(base, out("zip64.xlsx"), force_zip64=True)
    # A stored (uncompressed) package with one digit of a cell changed after the CRC was
    # written: the XML stays valid, only the CRC tells. Must be an error, not garbage.
    stored = os.path.join(TMP, "stored.xlsx")
    rewrite_zip(base, stored, compression=zipfile.ZIP_STORED)
    raw = bytearray(open(stored, "rb").read())
    i = raw.find(b"<v>120</v>")
    assert i > 0
    raw[i + 3] = ord("9")
    open(out("handmade_bad_crc.xlsx"), "wb").write(bytes(raw))
    # A part with a DOCTYPE and an external entity: refused before any entity is resolved.
    def doctype(name, data):
        if name == "xl/sharedStrings.xml":
            head = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
            body = data.split(b"?>", 1)[1].replace("Khánh Bình".encode(), b"&x;")
            return head + body
        return data
    rewrite_zip(base, out("handmade_doctype_entity.xlsx"), transform=doctype)
    # A zip bomb: 96 MiB of one repeated element compressed about 1000 times.
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(out("handmade_zip_bomb.xlsx"), "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"<sheetData>", 1)
                filler = b"<x/>" * (24 << 20)
                data = head + b"<sheetData>" + filler + tail
            zout.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def encrypted_fixture():
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile
    with open(out("shared_strings.xlsx"), "rb") as src, open(out("password_protected.xlsx"), "wb") as dst:
        OOXMLFile(src).encrypt("matkhau", dst)


if __name__ == "__main__":
    xlsxwriter_fixtures()
    openpyxl_fixtures()
    libreoffice_fixtures()
    gnumeric_fixtures()
    csv_fixtures()
    handmade_fixtures()
    encrypted_fixture()
    # The minimal quirk_* workbooks, written part by part.
    import runpy
    runpy.run_path(os.path.join(HERE, "make_quirk_fixtures.py"), run_name="__main__")
    shutil.rmtree(TMP)
    print("fixtures written to", HERE)
