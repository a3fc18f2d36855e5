#!/bin/sh
# Selection benchmark: wall time and peak memory of `coproduce select` per
# instance, with the smallest probability against the published LEXIMIN one.
# Prints figures only; it never fails because a machine is slow.
#
#   bench/selection/run.sh [BUILD_DIR] [DATA_DIR]
#
# BUILD_DIR defaults to build/ (it needs the targets coproduce and
# selection_generate_pool); DATA_DIR defaults to ../shared/data/sortition
# beside the source tree. BENCH_TIMEOUT (seconds, default 1800) stops an
# instance that runs too long; BENCH_ONLY=name runs one instance. The
# generated 5,000-person pool runs with --max-seconds BENCH_MAX_SECONDS
# (default 240): the "proven" column says whether LEXIMIN finished.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
data=${2:-$root/../shared/data/sortition}
timeout_s=${BENCH_TIMEOUT:-1800}
only=${BENCH_ONLY:-}
bin=$build/coproduce
gen=$build/bench/selection_generate_pool
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -x "$bin" ]; then
  echo "no $bin: build the coproduce target first" >&2
  exit 2
fi

printf '%-22s %6s %5s %6s %10s %10s %7s %9s %9s\n' instance pool panel types "min prob" published proven "wall s" "peak MiB"

run() {  # name people quotas size id_column published [extra options]
  name=$1; people=$2; quotas=$3; size=$4; idcol=$5; published=$6
  shift 6
  extra="$*"
  if [ -n "$only" ] && [ "$only" != "$name" ]; then return; fi
  out=$work/$name
  idarg=""
  [ -n "$idcol" ] && idarg="--id-column $idcol"
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/$name.time" timeout "$timeout_s" "$bin" select --people "$people" --quotas "$quotas" \
    --size "$size" $idarg --seed 1 $extra --output-dir "$out" >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$name.time" |
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
  mib=$(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }')
  pool=$(awk 'END { print NR - 1 }' "$people")
  if [ $rc -eq 0 ]; then
    minp=$(sed -n 's/.*"minimum": \([0-9.e-]*\).*/\1/p' "$out/report.json" | head -1)
    types=$(sed -n 's/^  "types": \([0-9]*\).*/\1/p' "$out/report.json")
    proven=$(sed -n 's/.*"leximin_complete": \([a-z]*\).*/\1/p' "$out/report.json")
    [ "$proven" = true ] && proven=yes || proven=no
    minp=$(awk -v p="$minp" 'BEGIN { printf "%.4f", p }')
  else
    minp="(rc $rc)"
    types="-"
    proven="-"
    [ $rc -eq 124 ] && minp="timeout"
    tail -1 "$work/$name.err" | sed 's/^/    /' >&2
  fi
  printf '%-22s %6s %5s %6s %10s %10s %7s %9s %9s\n' "$name" "$pool" "$size" "$types" "$minp" "$published" "$proven" "$wall" "$mib"
}

for inst in example_small_20:20::0.1000 geneva_30:30:pool_member_identifier:0.0653 example_large_200:200::0.1000; do
  name=${inst%%:*}; rest=${inst#*:}
  size=${rest%%:*}; rest=${rest#*:}
  idcol=${rest%%:*}; published=${rest#*:}
  if [ -f "$data/$name/respondents.csv" ]; then
    run "$name" "$data/$name/respondents.csv" "$data/$name/categories.csv" "$size" "$idcol" "$published"
  else
    printf '%-22s (no data at %s)\n' "$name" "$data/$name"
  fi
done

if [ -x "$gen" ]; then
  "$gen" 5000 8 120 1 "$work/generated" && \
    run generated_5000x8_120 "$work/generated/people.csv" "$work/generated/quotas.csv" 120 id "-" \
      --max-seconds "${BENCH_MAX_SECONDS:-240}"
else
  echo "generated_5000x8_120   (build the selection_generate_pool target to run it)"
fi
