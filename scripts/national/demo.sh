#!/usr/bin/env bash
# make demo-national: the same program at two levels. A generated national inbox is cut into
# 62 provinces (Khánh Hòa's own sample inbox is the 63rd); each province runs `tonghop run` on
# its districts' files; their nop-cap-tren/ workbooks go to the Central Union's inbox; and one
# more `tonghop run --plan templates/trung-uong-2019` writes the national report.
set -euo pipefail
cd "$(dirname "$0")/../.."
TONGHOP=${TONGHOP:-.build/debug/tonghop}
OUT=${OUT:-out/national}
AS_OF=${AS_OF:-2019-12-05}
PERIOD=${PERIOD:-2019-11}
FILES=${FILES:-15000}
JOBS=${JOBS:-2}
start=$(date +%s)

rm -rf "$OUT"
mkdir -p "$OUT"
"$TONGHOP" sample --scale national --files "$FILES" --out "$OUT"
python3 scripts/national/split.py split "$OUT"

# One run per province; exit 1 (reports missing, late or rejected) is the story's own.
# The inboxes were written whole by this script a moment ago: no need to wait for them to settle.
province_run() {
  local dir=$1 plan=$2 inbox=$3 status=0
  "$TONGHOP" run --plan "$plan" --inbox "$inbox" --out "$dir/reports" --db "$dir/tonghop.sqlite" \
    --as-of "$AS_OF" --period "$PERIOD" --settle-seconds 0 >"$dir/run.log" 2>&1 || status=$?
  if [ "$status" -gt 1 ]; then echo "Lỗi khi chạy tỉnh $dir (mã $status):"; cat "$dir/run.log"; return 1; fi
}
export -f province_run
export TONGHOP AS_OF PERIOD
mkdir -p "$OUT/tinh/56"
{
  for dir in "$OUT"/tinh/*/; do
    dir=${dir%/}
    if [ "$(basename "$dir")" = 56 ]; then
      echo "$dir templates/khanh-hoa-2019 samples/inbox"
    else
      echo "$dir $dir/plan $dir/inbox"
    fi
  done
} | xargs -P "$JOBS" -L 1 bash -c 'province_run "$0" "$1" "$2"'
echo "63 tỉnh đã chạy: $OUT/tinh/<mã tỉnh>/reports/$PERIOD/"

python3 scripts/national/split.py gather "$OUT" "$PERIOD" "$AS_OF"
status=0
"$TONGHOP" run --plan templates/trung-uong-2019 --inbox "$OUT/trung-uong/inbox" --out "$OUT/trung-uong/reports" \
  --db "$OUT/trung-uong/tonghop.sqlite" --as-of "$AS_OF" --period "$PERIOD" --settle-seconds 0 || status=$?
[ "$status" -le 1 ]
echo
echo "Thời gian: $(( $(date +%s) - start )) giây"
echo "Báo cáo toàn quốc (national report): $(pwd)/$OUT/trung-uong/reports/$PERIOD/index.html"
