#!/bin/sh
# Survey analysis benchmark: `coproduce survey analyse` on 1,000,000 responses
# of 30 questions with 10 cross-tabs, without and then with a repeat (about
# 1.5 million instance rows in a second file). Prints wall time, peak memory and where
# the time goes (parse vs analysis vs render); never fails because a machine
# is slow. On a shared machine, compare CPU seconds (user + sys) as well as
# wall time: "CPU 65%" means the run got two thirds of one core.
#
#   bench/survey/run.sh [BUILD_DIR] [ROWS]
#
# BUILD_DIR defaults to build/ (it needs the targets coproduce and
# survey_generate_responses). The generated files are cached in
# $BENCH_DATA (default /tmp/coproduce-survey-bench) between runs.
# With COMPARE=1 it then runs compare.sh: the same analysis in R with
# data.table and in DuckDB, side by side (see compare.sh's header).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
rows=${2:-1000000}
# shellcheck source=bench/survey/data.sh
. "$here/data.sh"
size=$(du -m "$data/responses.csv" | cut -f1)
echo "responses: $rows rows, 30 questions, ${size} MB ($data/responses.csv)"

run() {  # label format extra-args...
  label=$1; format=$2; shift 2
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$data/time.txt" "$bin" survey analyse --definition "${definition:-$data/definition.json}" \
    --responses "$data/responses.csv" $crosstabs --format "$format" --output "$data/out.$format" --timings "$@" \
    2>"$data/err.txt"
  rc=$?
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$data/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$data/time.txt")
  cpu=$(sed -n 's/.*Percent of CPU this job got: //p' "$data/time.txt")
  user=$(sed -n 's/.*User time (seconds): //p' "$data/time.txt")
  sys=$(sed -n 's/.*System time (seconds): //p' "$data/time.txt")
  split=$(sed -n 's/.*responses; //p' "$data/err.txt")
  printf '%-26s rc=%s wall %s  peak %s MiB  CPU %s (user %s s, sys %s s)  %s\n' "$label" "$rc" "$wall" \
    "$((rss / 1024))" "$cpu" "$user" "$sys" "$split"
  [ "$rc" -eq 0 ] || cat "$data/err.txt" >&2
}

run "json, 10 cross-tabs" json
run "html, 10 cross-tabs" html
run "csv, 10 cross-tabs" csv
run "json, 1 thread" json --threads 1
run "json, --include-partial" json --include-partial
# The same with a repeat: the questionnaire with the repeat "services" and
# its table, one row per service a person uses (0 to 4 each).
echo "with a repeat: $(($(wc -l <"$data/services.csv") - 1)) instance rows, $(du -m "$data/services.csv" | cut -f1) MB ($data/services.csv)"
definition=$data/definition-repeat.json
run "json, with the repeat" json --repeat "services=$data/services.csv"
run "html, with the repeat" html --repeat "services=$data/services.csv"
definition=""
[ "${COMPARE:-0}" = 1 ] && "$here/compare.sh" "$build" "$rows"
exit 0
