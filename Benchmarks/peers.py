#!/usr/bin/env python3
"""Reads the first sheet of a workbook cell by cell with a Python peer reader and prints the
best wall time of N runs in the same format as sheets-bench. The `csv-` readers write the
sheet as CSV to /dev/null instead (calamine's rows through Python's csv module, fastexcel's
Arrow table through pyarrow's CSV writer); `command` times a command with its output dropped.

    python3 Benchmarks/peers.py calamine|fastexcel|openpyxl|csv-calamine|csv-fastexcel FILE [RUNS]
    python3 Benchmarks/peers.py command FILE RUNS CMD...
"""
import csv, subprocess, sys, time


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


def csv_calamine(path):
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    n = 0
    with open("/dev/null", "w", newline="") as out:
        w = csv.writer(out)
        for row in wb.get_sheet_by_index(0).to_python(skip_empty_area=False):
            w.writerow(row)
            n += len(row)
    return n


def csv_fastexcel(path):
    import fastexcel
    import pyarrow.csv
    table = fastexcel.read_excel(path).load_sheet(0, header_row=None).to_arrow()
    pyarrow.csv.write_csv(table, "/dev/null")
    return table.num_rows * table.num_columns


def command(path):
    subprocess.run(sys.argv[4:], stdout=subprocess.DEVNULL, check=True)
    return 0


readers = {"calamine": read_calamine, "fastexcel": read_fastexcel, "openpyxl": read_openpyxl,
           "csv-calamine": csv_calamine, "csv-fastexcel": csv_fastexcel, "command": command}
modules = {"calamine": "python_calamine", "fastexcel": "fastexcel", "openpyxl": "openpyxl",
           "csv-calamine": "python_calamine", "csv-fastexcel": "pyarrow", "command": "sys"}
name, path = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
try:
    __import__(modules[name])
    if name == "csv-fastexcel":
        __import__("fastexcel")
except ImportError as e:
    print("not installed (python3 -m pip install %s)" % e.name.replace("python_calamine", "python-calamine"))
    sys.exit(0)
best, cells = float("inf"), 0
for _ in range(runs):
    t = time.perf_counter()
    cells = readers[name](path)
    best = min(best, time.perf_counter() - t)
if name == "command":
    print("%.3f s" % best)
else:
    print("%.3f s  %d cells  %.0f cells/s" % (best, cells, cells / best))
