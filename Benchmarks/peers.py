#!/usr/bin/env python3
"""Reads the first sheet of a workbook cell by cell with a Python peer reader and prints the
best wall time of N runs in the same format as sheets-bench.

    python3 Benchmarks/peers.py calamine|fastexcel|openpyxl FILE [RUNS]
"""
import sys, time


def read_calamine(path):
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    n = 0
    for row in wb.get_sheet_by_index(0).to_python(skip_empty_area=False):
        for v in row:
            if v != "":
                n += 1
    return n


def read_fastexcel(path):
    import fastexcel
    reader = fastexcel.read_excel(path)
    sheet = reader.load_sheet(0, header_row=None)
    table = sheet.to_arrow()
    n = 0
    for col in table.columns:
        n += len(col) - col.null_count
    return n


def read_openpyxl(path):
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = 0
    for row in wb.worksheets[0].iter_rows(values_only=True):
        for v in row:
            if v is not None:
                n += 1
    wb.close()
    return n


readers = {"calamine": read_calamine, "fastexcel": read_fastexcel, "openpyxl": read_openpyxl}
name, path = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
try:
    __import__({"calamine": "python_calamine", "fastexcel": "fastexcel", "openpyxl": "openpyxl"}[name])
except ImportError:
    print("not installed (python3 -m pip install %s)" % {"calamine": "python-calamine"}.get(name, name))
    sys.exit(0)
best, cells = float("inf"), 0
for _ in range(runs):
    t = time.perf_counter()
    cells = readers[name](path)
    best = min(best, time.perf_counter() - t)
print("%.3f s  %d cells  %.0f cells/s" % (best, cells, cells / best))
