# Sourced by run.sh and compare.sh: finds the binaries, makes (once) and
# names the generated benchmark files, and the cross-tabs both ask for.
# Expects $1 = BUILD_DIR and $2 = ROWS to have been read into build and rows.
# Sets bin, data (the folder) and crosstabs; exits 2 when a binary is missing.
bin=$build/coproduce
gen=$build/bench/survey_generate_responses
for f in "$bin" "$gen"; do
  if [ ! -x "$f" ]; then
    echo "no $f: build the coproduce and survey_generate_responses targets first" >&2
    exit 2
  fi
done
data=${BENCH_DATA:-/tmp/coproduce-survey-bench}/$rows
mkdir -p "$data"
if [ ! -s "$data/responses.csv" ]; then
  "$gen" "$data" "$rows" 1 >/dev/null || exit 1
fi
crosstabs="--crosstab heard:group --crosstab knowledge:role --crosstab barriers:role \
  --crosstab involved_own_care:involved_services --crosstab knowledge:group --crosstab confidence:group \
  --crosstab region:heard --crosstab q12:group --crosstab q15:heard --crosstab training_had:role"
