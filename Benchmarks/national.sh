#!/usr/bin/env bash
# The whole job side by side with a bare read, in one sitting: a generated national inbox
# (`tonghop sample --scale national`) through `tonghop run` end to end into a fresh ledger and
# reports, then python-calamine reading every cell of the same files in one Python process, and
# the ratio of the two. Also the rerun with nothing new (as % of the first run) and the peak
# memory at 1,000 against N files. Part of `make bench`; alone:
#
#   bash Benchmarks/national.sh            # N = 10000; inboxes kept in bench-data/national-N
#   BENCH_DATA=/tmp/d NATIONAL_FILES=3000 bash Benchmarks/national.sh
#   BENCH_NO_BUILD=1 ...                   # use .build/release/tonghop as it is
#   TONGHOP_BIN=/path/to/tonghop ...       # another build (to compare two in one sitting)
#   NATIONAL_SKIP_RESEND=1 ...             # leave out the run with 100 files sent again
#
# A generated inbox is reused when its folder exists (generating 10,000 files takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${BENCH_DATA:-bench-data}
N=${NATIONAL_FILES:-10000}
TH=${TONGHOP_BIN:-.build/release/tonghop}
if [ -z "${BENCH_NO_BUILD:-}" ] && [ -z "${TONGHOP_BIN:-}" ]; then
  echo "== building (release)"
  swift build -c release --product tonghop >/dev/null
fi
if [ ! -x /usr/bin/time ]; then echo "(no /usr/bin/time: apt-get install time; national benchmark skipped)"; exit 0; fi

inbox_for() {  # files -> folder with inbox/ and plan/, generated once
  local dir="$DATA/national-$1"
  if [ ! -d "$dir/inbox" ] || [ ! -f "$dir/plan/plan.yml" ]; then
    echo "(generating $1 files into $dir)" >&2
    rm -rf "$dir"
    "$TH" sample --scale national --files "$1" --out "$dir" >/dev/null
  fi
  echo "$dir"
}

# label, command...: prints wall seconds, CPU seconds (user + system, the workers included)
# and peak memory (the largest process, MB), and leaves them in WALL, CPU and PEAK_MB. On a
# machine shared with other work the CPU seconds move less than the wall time.
WALL=0; CPU=0; PEAK_MB=0
timed() {
  local label=$1; shift
  local log; log=$(mktemp)
  local t0 t1 status=0
  t0=$(date +%s.%N)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || status=$?
  t1=$(date +%s.%N)
  WALL=$(echo "$t1 - $t0" | bc -l)
  PEAK_MB=$(awk '/Maximum resident set size/ {printf "%.1f", $NF / 1024}' "$log")
  CPU=$(awk '/User time \(seconds\)|System time \(seconds\)/ {t += $NF} END {printf "%.2f", t}' "$log")
  # Exit 1 is the run's own story (missing, late or rejected reports); 2 and above are failures.
  if [ "$status" -gt 1 ]; then echo "FAILED ($status): $*"; grep -v '^\s' "$log" | tail -n 5; rm -f "$log"; exit 1; fi
  printf '%-44s %8.2f s  (CPU %7.2f s)  %7.1f MB peak\n' "$label" "$WALL" "$CPU" "$PEAK_MB"
  printf '%-44s   $ %s\n' "" "$*"
  rm -f "$log"
}

TIMINGS=()
if "$TH" run --help 2>/dev/null | grep -q -- '--timings'; then TIMINGS=(--timings); fi

declare -A FIRST FIRST_CPU SECOND PEAK
for n in 1000 "$N"; do
  [ -n "${FIRST[$n]:-}" ] && continue
  dir=$(inbox_for "$n")
  work=$(mktemp -d)
  units=$(grep -c '^  - {code' "$dir/plan/plan.yml" || true)
  echo
  echo "== national inbox: $n files, $units units ($dir)"
  # --settle-seconds 0: the files were just written; a nightly run would wait for them to settle.
  args=(run --plan "$dir/plan" --inbox "$dir/inbox" --out "$work/reports" --db "$work/ledger.sqlite"
        --as-of 2019-12-05 --settle-seconds 0)
  timed "first run (fresh ledger and reports)" "$TH" "${args[@]}"
  FIRST[$n]=$WALL; FIRST_CPU[$n]=$CPU; PEAK[$n]=$PEAK_MB
  timed "second run, nothing new" "$TH" "${args[@]}"
  SECOND[$n]=$WALL
  if [ "$n" = "$N" ] && [ -z "${NATIONAL_SKIP_RESEND:-}" ]; then
    # 100 files sent again: the same names, other figures.
    variant="$DATA/national-$n-variant-1"; copy=$(mktemp -d)
    if [ ! -d "$variant/inbox" ]; then
      echo "(generating $n files, variant 1, into $variant)" >&2
      "$TH" sample --scale national --files "$n" --variant 1 --out "$variant" >/dev/null
    fi
    cp -a "$dir/inbox" "$copy/inbox"
    # awk reads to the end: no SIGPIPE for sort under pipefail.
    (cd "$variant/inbox" && find . -name '*.xlsx' ! -name 'Book1*' ! -name '*ban sao*' | sort | awk 'NR <= 100') | while read -r f; do
      cp "$variant/inbox/$f" "$copy/inbox/$f"
    done
    resend=(run --plan "$dir/plan" --inbox "$copy/inbox" --out "$work/reports" --db "$work/ledger.sqlite"
            --as-of 2019-12-05 --settle-seconds 0)
    timed "third run, 100 files sent again" "$TH" "${resend[@]}"
    rm -rf "$copy"
  fi
  if [ ${#TIMINGS[@]} -gt 0 ] && [ "$n" = "$N" ]; then
    echo "stage timings of a third run into a fresh ledger:"
    rm -rf "$work"; work=$(mktemp -d)
    args=(run --plan "$dir/plan" --inbox "$dir/inbox" --out "$work/reports" --db "$work/ledger.sqlite"
          --as-of 2019-12-05 --settle-seconds 0)
    # The table is printed after the run's summary on standard output (exit 1 is the run's story).
    "$TH" "${args[@]}" "${TIMINGS[@]}" --lang en 2>/dev/null | awk '/^stage /{on=1} on {print "  " $0}' || true
  fi
  rm -rf "$work"
done

dir="$DATA/national-$N"
echo
echo "== python-calamine reading every cell of the same $N files (one Python process)"
CAL=""
if out=$(python3 Benchmarks/calamine_inbox.py "$dir/inbox"); then
  CAL=$(echo "$out" | tail -n 1 | awk '{print $1}'); CAL_CPU=$(echo "$out" | tail -n 1 | awk '{print $2}')
  printf '%-44s %8.2f s  (CPU %7.2f s)  %s\n' "python-calamine, every cell" "$CAL" "$CAL_CPU" "$(echo "$out" | head -n 1)"
  printf '%-44s   $ %s\n' "" "python3 Benchmarks/calamine_inbox.py $dir/inbox"
else
  echo "$out" | head -n 1
  echo "(skipped: the ratio to a bare read needs python-calamine)"
fi

echo
echo "== $N-file national inbox, ratios measured in this run (goals in parentheses)"
if [ -n "$CAL" ]; then
  printf 'tonghop run / python-calamine read:     %5.2fx  (<= 3x; CPU seconds: %.2fx)\n' \
    "$(echo "${FIRST[$N]} / $CAL" | bc -l)" "$(echo "${FIRST_CPU[$N]} / $CAL_CPU" | bc -l)"
fi
printf 'rerun with nothing new / first run:     %5.1f%%  (<= 2%%)\n' "$(echo "100 * ${SECOND[$N]} / ${FIRST[$N]}" | bc -l)"
printf 'peak memory, %s files / 1000 files: %5.2fx  (<= 1.5x)\n' "$N" "$(echo "${PEAK[$N]} / ${PEAK[1000]}" | bc -l)"
