#!/usr/bin/env python3
"""Fills templates written by `tonghop template` the way districts do, with other software:
openpyxl fills them (as a script or an office clerk's Excel would), and LibreOffice headless
opens one and saves it again. The outputs are committed; TemplateTests checks them.

    swift build && python3 Tests/TongHopTests/Fixtures/make_filled_templates.py
"""
import os, shutil, subprocess, sys, tempfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TONGHOP = os.path.join(ROOT, ".build", "debug", "tonghop")
OUT = os.path.join(HERE, "templates")
TMP = tempfile.mkdtemp()


def template(args, name):
    path = os.path.join(TMP, name)
    subprocess.run([TONGHOP, "template", *args, "-o", path], check=True, cwd=ROOT, capture_output=True)
    return path


def fill_quarterly(src, dest):
    wb = openpyxl.load_workbook(src)
    ws = wb["Biểu"]
    headers = {ws.cell(7, c).value.replace(" (triệu đồng)", "").replace(" (%)", ""): c for c in range(2, ws.max_column + 1) if ws.cell(7, c).value}
    row = 9
    while ws.cell(row, 2).value and ws.cell(row, 2).value != "Tổng cộng":
        i = row - 9
        groups = 10 + i % 3
        values = {"Tổng dư nợ ủy thác": 8000 + 10.5 * i, "Số hộ còn dư nợ": 300, "Số tổ TK&VV": groups,
                  "Tổ xếp loại tốt": groups - 3, "Tổ xếp loại khá": 2, "Tổ xếp loại trung bình": 1, "Tổ xếp loại yếu": 0,
                  "Nợ quá hạn": 12.5, "Số tổ viên": 350, "Số tổ viên gửi tiết kiệm": 300, "Tiền gửi tiết kiệm qua tổ": 35.2,
                  "Dư nợ tín chấp qua Hội (Agribank)": 400, "Nợ quá hạn thu hồi": 1.5, "Lãi tồn": 2, "Lãi tồn thu hồi": 0.5,
                  "Dư nợ chiếm dụng": 0, "Số trường hợp vay ké": 0, "Dư nợ vay ké": 0, "Vay ké phát sinh mới (trường hợp)": 0,
                  "Chiếm dụng phát sinh mới (trường hợp)": 0, "Nợ chiếm dụng và vay ké đã thu hồi": 0.3,
                  "Số tổ vay vốn Agribank": 1, "Số hội viên vay Agribank": 12}
        for header, value in values.items():
            ws.cell(row, headers[header], value)
        row += 1
    wb.save(dest)


def fill_monthly_generic(src, dest):
    """The template without a unit: the clerk writes the unit and the communes herself."""
    wb = openpyxl.load_workbook(src)
    ws = wb["Biểu"]
    ws["A1"] = "HỘI LHPN HUYỆN KHÁNH SƠN"
    ws["A5"] = "Đơn vị: Hội LHPN huyện Khánh Sơn"
    communes = ["Tô Hạp", "Ba Cụm Bắc", "Ba Cụm Nam", "Sơn Bình", "Sơn Hiệp", "Sơn Lâm", "Sơn Trung", "Thành Sơn"]
    headers = {ws.cell(7, c).value.replace(" (triệu đồng)", "").replace(" (%)", ""): c for c in range(2, ws.max_column + 1) if ws.cell(7, c).value}
    for i, name in enumerate(communes):
        r = 9 + i
        ws.cell(r, headers["Xã, phường, thị trấn"], name)
        ws.cell(r, headers["Số buổi tuyên truyền"], 2 + i % 3)
        ws.cell(r, headers["Số lượt người tham dự"], 80 + 5 * i)
        ws.cell(r, headers["Số hộ phụ nữ nghèo thoát nghèo"], 1)
        ws.cell(r, headers["Trong đó hộ nghèo do phụ nữ làm chủ hộ"], 1)
        ws.cell(r, headers["Số hộ PN làm chủ hộ thoát nghèo do cơ sở Hội trực tiếp giúp"], i % 2)
        # Every figure filled in: a blank is no data, not 0.
        for header, value in {"Số hộ phụ nữ nghèo được hỗ trợ": 3, "Giá trị hỗ trợ": 12.5, "Số lớp dạy nghề, tập huấn": 1,
                              "Số phụ nữ được giới thiệu việc làm": 2, "Số ý tưởng khởi nghiệp mới": 0,
                              "Số tổ hợp tác, hợp tác xã mới": 0, "Số mô hình bảo vệ môi trường": i % 2}.items():
            ws.cell(r, headers[header], value)
    # The rows left blank stay blank; the total row still sums them.
    wb.save(dest)


def resave_with_libreoffice(src, dest):
    outdir = tempfile.mkdtemp(dir=TMP)
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outdir, src],
                   check=True, capture_output=True)
    shutil.move(os.path.join(outdir, os.listdir(outdir)[0]), dest)


if __name__ == "__main__":
    if not os.path.exists(TONGHOP):
        sys.exit("build first: swift build")
    os.makedirs(OUT, exist_ok=True)
    q4 = template(["capital-quarterly", "--district", "573", "--period", "2019-Q4"], "q4.xlsx")
    fill_quarterly(q4, os.path.join(OUT, "capital_quarterly_573_filled_openpyxl.xlsx"))
    resave_with_libreoffice(os.path.join(OUT, "capital_quarterly_573_filled_openpyxl.xlsx"),
                            os.path.join(OUT, "capital_quarterly_573_filled_resaved_libreoffice.xlsx"))
    generic = template(["monthly", "--period", "2019-11"], "monthly.xlsx")
    fill_monthly_generic(generic, os.path.join(OUT, "monthly_generic_filled_openpyxl.xlsx"))
    shutil.rmtree(TMP)
    print("written to", OUT)
