#!/usr/bin/env python3
"""Derives the expectations of the real-world conformance test (RealWorldTests.swift) from
python-calamine, for every sheet of every workbook in ../shared/fixtures/real-world/.

    python3 -m pip install python-calamine openpyxl
    python3 scripts/real-world-expectations.py [--folder ../shared/fixtures/real-world]

Writes Tests/SheetsTests/RealWorld/expectations.tsv, one line per sheet:
    file  sheet-number  name  value-cells  date-cells  error-cells  sha256  source
or one line per refused file:
    file  refused  reason
The digest covers every non-empty cell that is not a date, time, duration or error, as lines
`row,col<TAB>kind<TAB>value` in row-then-column order: kind n (a number, the hex of its IEEE
bits, -0 as 0), s (text, NFC, with \\ \\t \\n \\r escaped; over 4,096 code points as
`length:first 32...last 32`), b (1 or 0). Dates are left out (Excel
rounds date-times to the second, calamine truncates) and so are errors (calamine gives them as
empty, the reader keeps `#DIV/0!`): both are counted, not compared. Text is compared in NFC,
as the reader normalises it.

Where calamine cannot read a file the reader reads, openpyxl is the reference (source column);
the files the reader refuses on purpose are listed in REFUSED with the reason, by hand.
"""
import argparse, datetime, hashlib, os, re, struct, sys, unicodedata

ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "SheetsTests", "RealWorld", "expectations.tsv")

# Damaged files, refused with the reason shown; the reader's test checks the same kind.
REFUSED = {
    "tealeg__badfile_noWorkbookRels.xlsx": "missingPart xl/_rels/workbook.xml.rels",
    "exceljs__missing-bits.xlsx": "missingPart xl/workbook.xml",
    "closedxml__SheetsWithoutRelId.xlsx": "unlocatedSheet Sheet without relId",
    # One shared string of 1,048,576 characters, over Excel's own 32,767: a memory trap.
    "poi__poc-shared-strings.xlsx": "limitExceeded max-cell-text",
}


def escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def text(v):
    """Text as compared: NFC, escaped; a text of over 4,096 code points (a shared string
    repeated in thousands of cells, as in POI's shared-strings test) by its length and ends."""
    v = unicodedata.normalize("NFC", v)
    if len(v) > 4096:
        return f"{len(v)}:{escape(v[:32])}...{escape(v[-32:])}"
    return escape(v)


def number(v):
    f = float(v)
    if f == 0:
        f = 0.0
    return struct.pack(">d", f).hex()


class Sheet:
    def __init__(self):
        self.lines, self.values, self.dates, self.errors = [], 0, 0, 0

    def add(self, r, c, kind, value):
        self.values += 1
        self.lines.append((r, c, f"{r},{c}\t{kind}\t{value}\n"))

    def digest(self):
        self.lines.sort()
        return hashlib.sha256("".join(l for _, _, l in self.lines).encode()).hexdigest()


CELL = re.compile(r'<(?:\w+:)?c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
VALUE = re.compile(r"<(?:\w+:)?v>\s*(-[0-9.eE+-]+)\s*</(?:\w+:)?v>")


def negative_numbers(path):
    """Per sheet part, in workbook order: {(row, col): value} of the numeric cells whose value
    is negative. Excel shows a negative serial under a date format as ####; the reader keeps
    the number, calamine turns it into the time of day of its fraction."""
    import zipfile
    z = zipfile.ZipFile(path)
    names = {n.replace("\\", "/"): n for n in z.namelist()}
    wb = z.read(names["xl/workbook.xml"]).decode("utf-8", "replace")
    rels = z.read(names["xl/_rels/workbook.xml.rels"]).decode("utf-8", "replace")
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({i: t for t, i in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = []
    for rid in re.findall(r'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]*)"', wb):
        if not rid:
            continue
        t = targets.get(rid, "")
        part = t.lstrip("/") if t.startswith("/") else "xl/" + t
        found = {}
        if part in names:
            xml = z.read(names[part]).decode("utf-8", "replace")
            for col, row, attrs, body in CELL.findall(xml):
                if body and ' t="' not in attrs.replace(' t="n"', ""):
                    m = VALUE.search(body)
                    if m:
                        c = 0
                        for ch in col:
                            c = c * 26 + ord(ch) - 64
                        found[(int(row), c)] = float(m.group(1))
        out.append(found)
    return out


def calamine_sheets(path):
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(path)
    out = []
    try:
        negatives = negative_numbers(path)
    except Exception:
        negatives = []
    for index, name in enumerate(wb.sheet_names):
        sheet = wb.get_sheet_by_name(name)
        negative = negatives[index] if index < len(negatives) else {}
        s = Sheet()
        # iter_rows yields the empty rows above the used range, not the columns left of it.
        c0 = (sheet.start or (0, 0))[1]
        for i, row in enumerate(sheet.iter_rows(), 1):
            for j, v in enumerate(row, c0 + 1):
                if isinstance(v, bool):
                    s.add(i, j, "b", "1" if v else "0")
                elif isinstance(v, (int, float)):
                    s.add(i, j, "n", number(v))
                elif isinstance(v, str):
                    if ISO_DATE_TIME.match(v):
                        # A `t="d"` cell: calamine gives its ISO text, the reader the date.
                        s.dates += 1
                    elif v != "":
                        s.add(i, j, "s", text(v))
                elif isinstance(v, (datetime.date, datetime.time, datetime.timedelta)):
                    if (i, j) in negative and not isinstance(v, datetime.timedelta):
                        s.add(i, j, "n", number(negative[(i, j)]))
                    else:
                        s.dates += 1
        out.append((name, s))
    return out


def openpyxl_sheets(path):
    import warnings, openpyxl
    warnings.simplefilter("ignore")
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    out = []
    for name in wb.sheetnames:
        ws = wb[name]
        s = Sheet()
        if hasattr(ws, "iter_rows"):
            for row in ws.iter_rows():
                for cell in row:
                    v = getattr(cell, "value", None)
                    if v is None or v == "":
                        continue
                    if cell.data_type == "e":
                        s.errors += 1
                    elif isinstance(v, bool):
                        s.add(cell.row, cell.column, "b", "1" if v else "0")
                    elif isinstance(v, (int, float)):
                        s.add(cell.row, cell.column, "n", number(v))
                    elif isinstance(v, str):
                        s.add(cell.row, cell.column, "s", text(v))
                    else:
                        s.dates += 1
        out.append((name, s))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", default=os.path.join(HERE, "..", "..", "shared", "fixtures", "real-world"))
    ap.add_argument("--dump", nargs=2, metavar=("FILE", "SHEET"),
                    help="print the canonical lines of one sheet (to diff with the test's)")
    args = ap.parse_args()
    if args.dump:
        path = os.path.join(args.folder, args.dump[0])
        try:
            sheets = calamine_sheets(path)
        except Exception:
            sheets = openpyxl_sheets(path)
        s = sheets[int(args.dump[1]) - 1][1]
        s.digest()
        sys.stdout.write("".join(l for _, _, l in s.lines))
        return
    lines = []
    for f in sorted(os.listdir(args.folder)):
        if not f.endswith((".xlsx", ".xlsm")):
            continue
        path = os.path.join(args.folder, f)
        print(f, file=sys.stderr, flush=True)
        if f in REFUSED:
            lines.append(f"{f}\trefused\t{REFUSED[f]}\n")
            continue
        try:
            sheets, source = calamine_sheets(path), "calamine"
        except Exception as e:
            print(f"{f}: calamine: {e}; openpyxl instead", file=sys.stderr)
            sheets, source = openpyxl_sheets(path), "openpyxl"
        for n, (name, s) in enumerate(sheets, 1):
            lines.append(f"{f}\t{n}\t{escape(name)}\t{s.values}\t{s.dates}\t{s.errors}\t{s.digest()}\t{source}\n")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("".join(lines))
    print(f"{len(lines)} lines written to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
