#!/usr/bin/env bash
# `make bench`: release build, deterministic data, and each measurement printed with the
# command that made it. Peers run in the same session so their figures compare as ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${BENCH_DATA:-bench-data}
RUNS=${BENCH_RUNS:-3}

echo "== building (release)"
swift build -c release --product sheets-bench >/dev/null
swift build -c release --product tonghop >/dev/null
BIN=.build/release
cc -O2 Benchmarks/floor.c $(pkg-config --cflags --libs libzip libxml-2.0) -o "$BIN/floor"

if [ ! -f "$DATA/big_shared.xlsx" ]; then
  if python3 -c "import xlsxwriter" 2>/dev/null; then
    python3 Benchmarks/make_big_sheet.py "$DATA" 200000
  else
    echo "xlsxwriter is not installed: python3 -m pip install xlsxwriter"; exit 2
  fi
fi

measure() {  # label, command...
  local label=$1; shift
  printf '%-34s ' "$label"
  "$@" | tail -n 1
  printf '%-34s   $ %s\n' "" "$*"
}

for book in big_shared big_inline; do
  f="$DATA/$book.xlsx"
  mb=$(python3 -c "import zipfile,sys; print(round(zipfile.ZipFile(sys.argv[1]).getinfo('xl/worksheets/sheet1.xml').file_size/1e6,1))" "$f")
  echo
  echo "== $book.xlsx: 200,000 rows x 12 columns, $mb MB of sheet XML (best of $RUNS)"
  measure "floor (libzip + libxml2 SAX, C)" "$BIN/floor" "$f" xl/worksheets/sheet1.xml "$RUNS"
  measure "tonghop Sheets" "$BIN/sheets-bench" "$f" "$RUNS"
  for peer in calamine fastexcel openpyxl; do
    r=$RUNS; [ "$peer" = openpyxl ] && r=1
    measure "python $peer" python3 Benchmarks/peers.py "$peer" "$f" "$r"
  done
  # The sheet as CSV: goal within 1.3x of reading it without output, faster than fastexcel's read.
  measure "tonghop inspect --csv" python3 Benchmarks/peers.py command "$f" "$RUNS" "$BIN/tonghop" inspect --csv "$f"
  measure "python calamine -> csv module" python3 Benchmarks/peers.py csv-calamine "$f" "$RUNS"
  measure "python fastexcel -> pyarrow csv" python3 Benchmarks/peers.py csv-fastexcel "$f" "$RUNS"
done

for csv in big_utf8 big_cp1258; do
  echo
  echo "== $csv.csv: the same data as CSV"
  measure "tonghop Sheets" "$BIN/sheets-bench" "$DATA/$csv.csv" "$RUNS"
done

# National inbox end to end through `tonghop run`, side by side with python-calamine reading
# the same files; the rerun with nothing new; peak memory at 1,000 and 10,000 files.
BENCH_NO_BUILD=1 BENCH_DATA="$DATA" bash Benchmarks/national.sh
