# Sourced by run.sh and compare.sh: finds the binaries, makes (once) and
# names the generated benchmark files, and the cross-tabs both ask for.
# Expects $1 = BUILD_DIR and $2 = ROWS to have been read into build and rows.
# Sets bin, data (the folder) and crosstabs; exits 2 when a binary is missing.
# The folder holds definition.json and responses.csv, and for the run with a
# repeat definition-repeat.json and services.csv (the repeat's table).
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
# The repeat's files came later: files cached without them are made again
# (the generator writes the same responses.csv).
if [ ! -s "$data/responses.csv" ] || [ ! -s "$data/services.csv" ] || [ ! -s "$data/definition-repeat.json" ]; then
  "$gen" "$data" "$rows" 1 >/dev/null || exit 1
fi
crosstabs="--crosstab heard:group --crosstab knowledge:role --crosstab barriers:role \
  --crosstab involved_own_care:involved_services --crosstab knowledge:group --crosstab confidence:group \
  --crosstab region:heard --crosstab q12:group --crosstab q15:heard --crosstab training_had:role"
