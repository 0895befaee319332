#!/usr/bin/env python3
"""Reads every cell of every sheet of every .xlsx under a folder with python-calamine, in one
Python process, and prints what it read, then its wall and CPU seconds (the last line).
Exit 3 when python-calamine is not installed.

    python3 Benchmarks/calamine_inbox.py INBOX
"""
import os, sys, time

try:
    from python_calamine import CalamineWorkbook
except ImportError:
    print("python-calamine is not installed (python3 -m pip install python-calamine)")
    sys.exit(3)

root = sys.argv[1]
paths = []
for folder, _, names in os.walk(root):
    paths.extend(os.path.join(folder, n) for n in names if n.lower().endswith(".xlsx"))
paths.sort()

start = time.perf_counter()
cpu = time.process_time()
files = cells = unreadable = 0
for path in paths:
    try:
        wb = CalamineWorkbook.from_path(path)
        for name in wb.sheet_names:
            for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False):
                for v in row:
                    if v != "":
                        cells += 1
        files += 1
    except Exception:
        unreadable += 1
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu
print(f"{files} files, {cells} cells, {unreadable} unreadable")
print(f"{elapsed:.3f} {cpu:.3f}")
