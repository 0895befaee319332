#!/usr/bin/env python3
"""Cell-for-cell comparison of `tonghop inspect --csv` with python-calamine.

For every workbook of the shared corpus, reads each sheet through tonghop and compares it
with what python-calamine returned (the oracle JSON beside the corpus: first 40 rows x 20
columns). Prints one line per sheet and the cells that differ, then a total.

    python3 scripts/compare-with-calamine.py [--tonghop .build/debug/tonghop] [--fixtures ../shared/fixtures]

Exit status 1 when a sheet differs in a way not listed in KNOWN below.
"""
import argparse, csv, io, json, os, subprocess, sys

# Where tonghop disagrees with python-calamine on purpose: python-calamine returns error
# cells (#N/A, #DIV/0!) as empty; tonghop keeps their text, as `inspect` documents.
KNOWN = {
    ("calamine__errors.xlsx", "Feuil1"): "error cells: calamine gives None, tonghop the error text",
}


def expected_text(cell):
    if cell is None:
        return ""
    t, v = cell["t"], cell["v"]
    if t == "str":
        return v
    if t == "float":
        f = float(v)
        s = "%.15g" % f
        return s
    if t == "int":
        return str(v)
    if t == "bool":
        return "TRUE" if v in (True, "True", "true") else "FALSE"
    if t in ("date", "time"):
        return v
    if t == "datetime":
        return v[:-9] if v.endswith("T00:00:00") else v
    if t == "timedelta":
        total = int(round(float(v)))
        return "%d:%02d:%02d" % (total // 3600, total // 60 % 60, total % 60)
    return str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tonghop", default=".build/debug/tonghop")
    ap.add_argument("--fixtures", default="../shared/fixtures")
    args = ap.parse_args()
    oracles = os.path.join(args.fixtures, "oracles")
    if not os.path.isdir(oracles):
        print("skipped: no corpus at", args.fixtures)
        return 0
    sheets_same = sheets_diff = cells_compared = cells_diff = 0
    unexpected = 0
    for name in sorted(os.listdir(oracles)):
        oracle = json.load(open(os.path.join(oracles, name)))
        book = oracle["file"]
        path = os.path.join(args.fixtures, "xlsx", book)
        cal = oracle.get("python_calamine_0.9.1", {})
        if "sheets" not in cal:
            r = subprocess.run([args.tonghop, "inspect", path], capture_output=True, text=True)
            verdict = "both refuse" if r.returncode == 2 else "tonghop reads, calamine refuses"
            print(f"{book}: calamine error {cal.get('error', '?')!r}; tonghop exit {r.returncode}: {verdict}")
            continue
        for number, sheet in enumerate(cal["sheets"], start=1):
            r = subprocess.run([args.tonghop, "inspect", "--csv", "--sheet", str(number), path],
                               capture_output=True)
            if r.returncode != 0:
                print(f"{book} / {sheet['name']}: tonghop failed: {r.stderr.decode()[:200]}")
                sheets_diff += 1
                unexpected += 1
                continue
            ours = list(csv.reader(io.StringIO(r.stdout.decode("utf-8"), newline="")))
            theirs = sheet["rows"]
            diffs = []
            for i, row in enumerate(theirs[:40]):
                for j, cell in enumerate(row[:20]):
                    want = expected_text(cell)
                    got = ours[i][j] if i < len(ours) and j < len(ours[i]) else ""
                    cells_compared += 1
                    if want != got:
                        diffs.append((i + 1, j + 1, want, got))
            # Cells tonghop has where calamine has nothing, inside the compared window.
            for i, row in enumerate(ours[:40]):
                for j, got in enumerate(row[:20]):
                    inside = i < len(theirs) and j < len(theirs[i])
                    if not inside and got != "":
                        diffs.append((i + 1, j + 1, "", got))
            key = (book, sheet["name"])
            if diffs:
                cells_diff += len(diffs)
                sheets_diff += 1
                known = KNOWN.get(key)
                if not known:
                    unexpected += 1
                print(f"{book} / {sheet['name']}: {len(diffs)} cells differ" + (f" (known: {known})" if known else ""))
                for (r_, c_, want, got) in diffs[:5]:
                    print(f"    R{r_}C{c_}: calamine {want!r}, tonghop {got!r}")
            else:
                sheets_same += 1
    print(f"\n{sheets_same} sheets identical, {sheets_diff} differ ({unexpected} unexpected); "
          f"{cells_compared} cells compared, {cells_diff} differ")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
