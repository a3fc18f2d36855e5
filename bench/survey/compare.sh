#!/bin/sh
# The survey analysis benchmark side by side: `coproduce survey analyse`,
# R with data.table and DuckDB (@duckdb/node-api) on the same generated file
# (bench/survey/run.sh's, 1,000,000 responses of 30 questions). Each runs
# RUNS times (default 3); the median wall time (process start to exit) is
# printed, with the ratios R/Coproduce and DuckDB/Coproduce. Never fails
# because a machine is slow; a tool that cannot be had is skipped, saying why.
#
#   bench/survey/compare.sh [BUILD_DIR] [ROWS] [RUNS]
#
# What each computes, on complete responses (submitted_at filled in):
#   Coproduce  everything `survey analyse --format json` gives: completion and
#              drop-off by page, per question the shown, base and counts with
#              Wilson intervals, the number question's mean, median, min and
#              max, the 10 cross-tabs with chi-square, Fisher and Holm, and it
#              checks every cell (ids unique, dates, option codes, CSV
#              structure), reading every column.
#   R          compare.R: fread of every column but id, started_at and
#              last_page (as text, as Coproduce reads codes), frequency tables
#              of every question, the number summary, the 10 cross-tabs with
#              chisq.test. No show-if (the generated answers only exist where
#              shown, so the bases agree), no intervals, no drop-off, no checks.
#   DuckDB     compare.mjs: 2 threads, read_csv of the same columns (DuckDB
#              parses only the columns a query uses), the same tables in one
#              GROUPING SETS query and one summary query. No chi-square, no
#              show-if, no intervals, no drop-off, no checks. Also timed with
#              crosstabs-only: only the columns of the cross-tabs' 12 questions and
#              submitted_at read, only the cross-tabs counted (a lower bound:
#              far less than Coproduce computes).
# With the repeat (definition-repeat.json, services.csv: about 1.5 million
# rows of response_id, instance, service, visits), Coproduce runs the same
# analysis plus the repeat's counts (--repeat services=services.csv: every
# row linked to its response and checked); R (compare_repeat.R) and DuckDB
# (compare_repeat.mjs) read the complete ids from the main file and the
# repeat file, join them and count the same figures (responses with
# instances, instances, mean and median per response, service's frequency
# table, visits' summary), timed on their own and added to their main-file
# times for the ratios.
# Coproduce runs with --suppression none, so its figures are raw counts like
# theirs.
# R and DuckDB are installed for the measurement only, outside the repository:
# DuckDB with npm into $BENCH_DATA/duckdb, R from Debian (r-base-core and
# r-cran-data.table) when Rscript is missing and apt-get may be run (as root or
# with password-less sudo).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
rows=${2:-1000000}
runs=${3:-3}
cache=${BENCH_DATA:-/tmp/coproduce-survey-bench}
# shellcheck source=bench/survey/data.sh
. "$here/data.sh"
csv=$data/responses.csv
services=$data/services.csv
echo "with a repeat: $(($(wc -l <"$services") - 1)) instance rows, $(du -m "$services" | cut -f1) MB ($services)"
echo "responses: $rows rows, $(du -m "$csv" | cut -f1) MB ($csv); median of $runs runs each"

# median_wall LABEL COMMAND...: runs COMMAND $runs times, prints each wall
# time and sets $median (seconds) to their median, or to "" when it failed.
median_wall() {
  label=$1; shift
  times=""
  median=""
  i=0
  while [ "$i" -lt "$runs" ]; do
    start=$(date +%s%N)
    if ! "$@" >"$data/compare.out" 2>"$data/compare.err"; then
      echo "$label: failed:" >&2
      tail -5 "$data/compare.err" >&2
      return 0
    fi
    end=$(date +%s%N)
    times="$times $(( (end - start) / 1000000 ))"
    i=$((i + 1))
  done
  median=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m / 1000}')
  printf '%-24s median %s s  (runs, ms:%s)  %s\n' "$label" "$median" "$times" "$(head -1 "$data/compare.out")"
}

# shellcheck disable=SC2086
# --suppression none: the figures compared are raw counts, as R and DuckDB
# give them (under the default nhs rule the published completes are rounded
# to 5, which once made them differ by 2).
median_wall Coproduce sh -c "\"$bin\" survey analyse --definition \"$data/definition.json\" --responses \"$csv\" \
  $crosstabs --suppression none --format json --output \"$data/compare.json\" && \
  sed -n 's/.*\"completes\": \\([0-9]*\\).*/Coproduce: \\1 complete responses/p' \"$data/compare.json\" | head -1"
coproduce=$median
# With the repeat: the same analysis and the repeat's table counted too.
median_wall "Coproduce with repeat" sh -c "\"$bin\" survey analyse --definition \"$data/definition-repeat.json\" \
  --responses \"$csv\" --repeat \"services=$services\" $crosstabs --suppression none --format json \
  --output \"$data/compare-repeat.json\" && \
  tr -d '\\n ' < \"$data/compare-repeat.json\" | \
  sed -n 's/.*\"repeats\":\\[{\"code\":\"services\".*\"responses\":\\([0-9]*\\),\"with_instances\":\\([0-9]*\\),.*\"instances\":\\([0-9]*\\),\"mean_instances\":\\([0-9.]*\\),\"median_instances\":\\([0-9.]*\\),.*/Coproduce repeat: \\1 complete responses, \\2 with instances, \\3 instances, mean \\4, median \\5/p'"
coproduce_repeat=$median

# R with data.table.
r=""
r_repeat=""
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(data.table)' >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=none; fi
  if [ "$sudo" = none ]; then
    echo "R: skipped: Rscript with data.table is not installed and apt-get needs a password here"
  else
    echo "R: installing r-base-core and r-cran-data.table (Debian) for the measurement"
    $sudo apt-get install -y -qq --no-install-recommends r-base-core r-cran-data.table >/dev/null 2>&1 ||
      { $sudo apt-get update -qq >/dev/null 2>&1 &&
        $sudo apt-get install -y -qq --no-install-recommends r-base-core r-cran-data.table >/dev/null 2>&1; } ||
      echo "R: skipped: apt-get could not install r-base-core and r-cran-data.table"
  fi
fi
if command -v Rscript >/dev/null && Rscript -e 'library(data.table)' >/dev/null 2>&1; then
  median_wall R Rscript "$here/compare.R" "$csv"
  r=$median
  median_wall "R, repeat file" Rscript "$here/compare_repeat.R" "$csv" "$services"
  r_repeat=$median
fi

# DuckDB through its Node.js API, installed with npm outside the repository.
duck=""
duck_crosstabs=""
duck_repeat=""
prefix=$cache/duckdb
if ! command -v node >/dev/null; then
  echo "DuckDB: skipped: no node"
else
  if [ ! -d "$prefix/node_modules/@duckdb/node-api" ]; then
    echo "DuckDB: installing @duckdb/node-api into $prefix for the measurement"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error @duckdb/node-api >/dev/null 2>&1 ||
      echo "DuckDB: skipped: npm could not install @duckdb/node-api"
  fi
  if [ -d "$prefix/node_modules/@duckdb/node-api" ]; then
    median_wall DuckDB node "$here/compare.mjs" "$prefix" "$csv"
    duck=$median
    median_wall "DuckDB, cross-tabs only" node "$here/compare.mjs" "$prefix" "$csv" crosstabs-only
    duck_crosstabs=$median
    median_wall "DuckDB, repeat file" node "$here/compare_repeat.mjs" "$prefix" "$csv" "$services"
    duck_repeat=$median
  fi
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
if [ -n "$coproduce" ]; then
  [ -n "$r" ] && echo "R / Coproduce:      $(ratio "$r" "$coproduce")  (goal: at least 4)"
  [ -n "$duck" ] && echo "DuckDB / Coproduce: $(ratio "$duck" "$coproduce")  (goal: at least 2)"
  [ -n "$duck_crosstabs" ] &&
    echo "DuckDB cross-tabs only / Coproduce: $(ratio "$duck_crosstabs" "$coproduce")  (DuckDB doing less)"
fi
sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }
if [ -n "$coproduce_repeat" ]; then
  echo "With the repeat (main file + repeat file; R and DuckDB: their main-file run + their repeat-file run):"
  [ -n "$r" ] && [ -n "$r_repeat" ] &&
    echo "R / Coproduce:      $(ratio "$(sum "$r" "$r_repeat")" "$coproduce_repeat")  (goal: at least 4)"
  [ -n "$duck" ] && [ -n "$duck_repeat" ] &&
    echo "DuckDB / Coproduce: $(ratio "$(sum "$duck" "$duck_repeat")" "$coproduce_repeat")  (goal: at least 2)"
fi
exit 0
