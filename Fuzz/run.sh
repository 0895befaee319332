#!/usr/bin/env bash
# `make fuzz FUZZ_SECONDS=N`: builds the libFuzzer targets (Fuzz/Package.swift) and runs each
# for N seconds on seeds taken from the project's fixtures and samples. A crash leaves its
# input in fuzz-out/<target>-crash-*; turn each into a named regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
export SWIFT_BACKTRACE=enable=no
(cd Fuzz && swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --scratch-path ../.build-fuzz 2>&1 | tail -n 1)
out=fuzz-out
mkdir -p "$out"/{xlsx,csv,numbers,expression,decimal}-seeds
cp Tests/SheetsTests/Fixtures/*.xlsx "$out/xlsx-seeds/" && rm -f "$out/xlsx-seeds/handmade_zip_bomb.xlsx"
cp "samples/inbox/Cam Lam/BC von quy 2 - Cam Lam.xlsx" "$out/xlsx-seeds/layout.xlsx"
cp Tests/SheetsTests/Fixtures/*.csv "$out/csv-seeds/"
cp "samples/inbox/Khanh Son/Danh gia tiet kiem 2018 - Khanh Son.csv" "$out/csv-seeds/"
i=0
for s in "1.234,5" "12,5%" "2.535" "(15)" "2019-Q3" "30/11/2019" "2021-01-01T10:10:10Z" "XFD1048576" "A1:C4" \
         "Quý III/2019" "tháng 10/2019" "T10-2019" "Hµ Néi" "Hoäi Lieân hieäp"; do
  printf '%s' "$s" > "$out/numbers-seeds/s$i"; i=$((i + 1))
done
for s in "0.26303323046962774324" "2.6303323046962774324020672609" "12345.6779999999999999" "1E+308" "4.9E-324" "-0" \
         "1234567890123456" "0.30000000000000004"; do
  printf '%s' "$s" > "$out/decimal-seeds/d$i"; i=$((i + 1))
done
grep -h -E "^\s+(check|value):" templates/khanh-hoa-2019/plan.yml templates/khanh-hoa-2019/forms/*.yml \
  | sed -E 's/^\s+(check|value): //' | while IFS= read -r line; do i=$((i + 1)); printf '%s' "$line" > "$out/expression-seeds/e$i"; done
status=0
for t in xlsx csv numbers expression decimal; do
  name=Fuzz$(echo "$t" | sed 's/xlsx/XLSX/;s/csv/CSV/;s/numbers/Numbers/;s/expression/Expression/;s/decimal/Decimal/')
  mkdir -p "$out/$t-corpus"
  echo "== $name, $SECONDS_PER_TARGET s"
  if ! ".build-fuzz/debug/$name" "$out/$t-corpus" "$out/$t-seeds" -max_total_time="$SECONDS_PER_TARGET" \
       -rss_limit_mb=2048 -timeout=20 -artifact_prefix="$out/$t-" -print_final_stats=1 2>"$out/$t.log"; then
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY" "$out/$t.log" || true
done
exit $status
