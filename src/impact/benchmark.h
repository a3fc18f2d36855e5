// Benchmark populations for the representativeness measures: the
// categories compared (ethnic group, sex, disability), the built-in England
// and Wales 2021 Census shares, and reading an organisation's own benchmark
// from a CSV file.
#ifndef COPRODUCE_IMPACT_BENCHMARK_H_
#define COPRODUCE_IMPACT_BENCHMARK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace coproduce::impact {

struct BenchmarkValue {
  std::string code;         // "black", "female", "disabled"
  std::string label;        // as the Census publishes it
  std::string short_label;  // for chart axes: "Black"
};

// A category compared against a benchmark, with every value it can take.
struct BenchmarkCategory {
  std::string code;   // "ethnic_group", "sex", "disability": the equality monitoring field
  std::string label;  // "Ethnic group"
  std::vector<BenchmarkValue> values;
};

// The categories in the order pages show them.
const std::vector<BenchmarkCategory>& benchmark_categories();
const BenchmarkCategory* find_category(std::string_view code_or_label);
// The value of `category` whose code or label matches, ignoring case and
// surrounding spaces; nullptr when none does.
const BenchmarkValue* find_value(const BenchmarkCategory& category, std::string_view code_or_label);

// The benchmark value a person's equality answer counts under: an ethnic
// group code ("black_african") becomes its broad Census group ("black");
// "female" stays "female". Empty when the answer is missing, "prefer not to
// say" or not one the category knows.
std::string value_for_answer(std::string_view category, std::string_view answer);

struct BenchmarkShare {
  std::string category;  // a category code
  std::string value;     // a value code
  double share = 0;      // 0 to 1
  std::string source;    // where the figure comes from
};

struct Benchmark {
  std::vector<BenchmarkShare> shares;
  // True when the organisation uploaded some of these shares; categories
  // its file did not cover keep the Census figures.
  bool local = false;
  std::string uploaded_at;  // of the local file; empty for the default

  // The share for a value, or nullptr when the benchmark has none.
  const BenchmarkShare* find(std::string_view category, std::string_view value) const;
};

// The England and Wales 2021 Census shares (ONS): published facts, cited
// in docs/familiar-voices.md.
const Benchmark& census_2021();

// `local` over `base`: each category the local shares cover replaces that
// category of `base` entirely (a value the local file leaves out has share 0).
Benchmark combine(const Benchmark& base, const std::vector<BenchmarkShare>& local, const std::string& uploaded_at);

// The most rows a benchmark file may hold.
inline constexpr size_t kMaxBenchmarkRows = 200;

// Reads a benchmark CSV with the columns category, value, share and,
// optionally, source. Categories and values may be given by code or by the
// label shown in the Census. Every problem is returned, each naming the
// file, line and column; the shares are only usable when there are none.
struct ParsedBenchmark {
  std::vector<BenchmarkShare> shares;
  std::vector<Status> problems;
  bool ok() const { return problems.empty(); }
};
ParsedBenchmark parse_benchmark(std::string_view text, const std::string& file_name);

}  // namespace coproduce::impact

#endif  // COPRODUCE_IMPACT_BENCHMARK_H_
