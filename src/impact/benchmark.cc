#include "impact/benchmark.h"

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "core/csv.h"
#include "involvement/options.h"

namespace coproduce::impact {
namespace {

// Labels as the 2021 Census publishes them. The ethnic group labels are the
// headings involvement/options.cc groups its 19 answers under, so an answer
// finds its broad group by its heading.
const std::vector<BenchmarkCategory>& categories_table() {
  static const std::vector<BenchmarkCategory> kCategories = {
      {"ethnic_group",
       "Ethnic group",
       {{"asian", "Asian, Asian British or Asian Welsh", "Asian"},
        {"black", "Black, Black British, Black Welsh, Caribbean or African", "Black"},
        {"mixed", "Mixed or Multiple ethnic groups", "Mixed"},
        {"white", "White", "White"},
        {"other", "Other ethnic group", "Other"}}},
      {"sex", "Sex", {{"female", "Female", "Female"}, {"male", "Male", "Male"}}},
      {"disability",
       "Disability",
       {{"disabled", "Disabled under the Equality Act", "Disabled"},
        {"not_disabled", "Not disabled under the Equality Act", "Not disabled"}}},
  };
  return kCategories;
}

bool same_key(std::string_view a, std::string_view b) { return csv::normalise_key(a) == csv::normalise_key(b); }

// A category is also found by its code with spaces for underscores
// ("ethnic group"), the way a spreadsheet heading might say it.
std::string spaced(std::string code) {
  for (char& c : code) {
    if (c == '_') c = ' ';
  }
  return code;
}

}  // namespace

const std::vector<BenchmarkCategory>& benchmark_categories() { return categories_table(); }

const BenchmarkCategory* find_category(std::string_view code_or_label) {
  for (const auto& c : categories_table()) {
    if (same_key(c.code, code_or_label) || same_key(c.label, code_or_label) ||
        same_key(spaced(c.code), code_or_label)) {
      return &c;
    }
  }
  return nullptr;
}

const BenchmarkValue* find_value(const BenchmarkCategory& category, std::string_view code_or_label) {
  for (const auto& v : category.values) {
    if (same_key(v.code, code_or_label) || same_key(v.label, code_or_label)) return &v;
  }
  return nullptr;
}

std::string value_for_answer(std::string_view category, std::string_view answer) {
  const BenchmarkCategory* cat = find_category(category);
  if (!cat || answer.empty() || answer == involvement::kPreferNotToSay) return "";
  if (cat->code == "ethnic_group") {
    const involvement::OptionSet* set = involvement::option_set("ethnic_group");
    const involvement::Option* option = set ? set->by_code(answer) : nullptr;
    if (!option || option->group.empty()) return "";
    const BenchmarkValue* v = find_value(*cat, option->group);
    return v ? v->code : "";
  }
  // Sex and disability answers use the benchmark's own codes.
  for (const auto& v : cat->values) {
    if (v.code == answer) return v.code;
  }
  return "";
}

const BenchmarkShare* Benchmark::find(std::string_view category, std::string_view value) const {
  for (const auto& s : shares) {
    if (s.category == category && s.value == value) return &s;
  }
  return nullptr;
}

const Benchmark& census_2021() {
  static const Benchmark kCensus = [] {
    const std::string ethnic = "ONS, Census 2021, England and Wales, usual residents: ethnic group (table TS021)";
    const std::string sex =
        "ONS, Census 2021, England and Wales, usual residents: sex (table TS008), 30,420,202 "
        "female and 29,177,340 male of 59,597,542";
    const std::string disability =
        "ONS, Census 2021, England and Wales, usual residents: disability under the Equality Act (table TS038)";
    Benchmark b;
    b.shares = {
        {"ethnic_group", "asian", 0.093, ethnic},
        {"ethnic_group", "black", 0.040, ethnic},
        {"ethnic_group", "mixed", 0.029, ethnic},
        {"ethnic_group", "white", 0.817, ethnic},
        {"ethnic_group", "other", 0.021, ethnic},
        {"sex", "female", 0.5104, sex},
        {"sex", "male", 0.4896, sex},
        {"disability", "disabled", 0.178, disability},
        {"disability", "not_disabled", 0.822, disability},
    };
    return b;
  }();
  return kCensus;
}

Benchmark combine(const Benchmark& base, const std::vector<BenchmarkShare>& local, const std::string& uploaded_at) {
  std::set<std::string> covered;
  for (const auto& s : local) covered.insert(s.category);
  Benchmark out;
  out.local = !local.empty();
  out.uploaded_at = out.local ? uploaded_at : "";
  for (const auto& cat : categories_table()) {
    if (!covered.count(cat.code)) {
      for (const auto& s : base.shares) {
        if (s.category == cat.code) out.shares.push_back(s);
      }
      continue;
    }
    std::string source;
    for (const auto& s : local) {
      if (s.category == cat.code && !s.source.empty()) source = s.source;
    }
    for (const auto& v : cat.values) {
      BenchmarkShare share{cat.code, v.code, 0.0, source};
      for (const auto& s : local) {
        if (s.category == cat.code && s.value == v.code) share = s;
      }
      if (share.source.empty()) share.source = source.empty() ? "Uploaded by the organisation" : source;
      out.shares.push_back(share);
    }
  }
  return out;
}

ParsedBenchmark parse_benchmark(std::string_view text, const std::string& file_name) {
  ParsedBenchmark out;
  csv::ReadOptions options;
  options.file_name = file_name;
  options.max_rows = kMaxBenchmarkRows;
  options.strict_width = false;
  auto table = csv::parse(text, options);
  if (!table.ok()) {
    out.problems.push_back(table.status());
    return out;
  }
  auto category_col = table->column("category");
  auto value_col = table->column("value");
  auto share_col = table->column("share");
  auto source_col = table->column("source");
  Location header_at{file_name, 1, 0, ""};
  for (auto [col, name] : {std::pair{category_col, "category"}, {value_col, "value"}, {share_col, "share"}}) {
    if (!col) {
      out.problems.push_back(InvalidInput(std::string("The file has no ") + name +
                                              " column. The first line must name the columns category, value and "
                                              "share (and, if you like, source).",
                                          header_at));
    }
  }
  if (!out.problems.empty()) return out;
  if (table->rows.empty()) {
    out.problems.push_back(InvalidInput("The file has no rows of shares under its column names.", header_at));
    return out;
  }

  std::map<std::pair<std::string, std::string>, long> seen;
  std::map<std::string, double> sums;
  std::map<std::string, long> first_line;
  for (const auto& row : table->rows) {
    const std::string cat_text(csv::trim(row.fields[*category_col]));
    const std::string value_text(csv::trim(row.fields[*value_col]));
    const std::string share_text(csv::trim(row.fields[*share_col]));
    const BenchmarkCategory* cat = find_category(cat_text);
    if (!cat) {
      std::string known;
      for (const auto& c : categories_table()) known += (known.empty() ? "" : ", ") + spaced(c.code);
      out.problems.push_back(InvalidInput((cat_text.empty() ? std::string("The category is empty")
                                                            : "\"" + cat_text + "\" is not a category we compare") +
                                              ". Use one of: " + known + ".",
                                          table->where(row, *category_col)));
      continue;
    }
    const BenchmarkValue* value = find_value(*cat, value_text);
    if (!value) {
      std::string known;
      for (const auto& v : cat->values) known += (known.empty() ? "" : "; ") + v.label;
      out.problems.push_back(
          InvalidInput((value_text.empty() ? std::string("The value is empty")
                                           : "\"" + value_text + "\" is not a value of " + spaced(cat->code)) +
                           ". Use one of: " + known + ".",
                       table->where(row, *value_col)));
    }
    double share = 0;
    bool share_ok = false;
    if (!share_text.empty()) {
      auto [end, ec] = std::from_chars(share_text.data(), share_text.data() + share_text.size(), share);
      share_ok = ec == std::errc() && end == share_text.data() + share_text.size() && std::isfinite(share);
    }
    if (!share_ok) {
      out.problems.push_back(InvalidInput(
          (share_text.empty() ? std::string("The share is empty") : "\"" + share_text + "\" is not a number") +
              ". Write the share as a proportion from 0 to 1, for example 0.093 for 9.3%.",
          table->where(row, *share_col)));
    } else if (share < 0 || share > 1) {
      out.problems.push_back(InvalidInput(
          "The share " + share_text + " is outside 0 to 1. Write it as a proportion, for example 0.093 for 9.3%.",
          table->where(row, *share_col)));
      share_ok = false;
    }
    if (!value) continue;
    auto key = std::make_pair(cat->code, value->code);
    if (auto it = seen.find(key); it != seen.end()) {
      out.problems.push_back(InvalidInput("\"" + value->label + "\" is given twice for " + spaced(cat->code) +
                                              ": it is already on line " + std::to_string(it->second) + ".",
                                          table->where(row, *value_col)));
      continue;
    }
    seen.emplace(key, row.line);
    first_line.emplace(cat->code, row.line);
    if (!share_ok) continue;
    sums[cat->code] += share;
    std::string source =
        source_col && *source_col < row.fields.size() ? std::string(csv::trim(row.fields[*source_col])) : "";
    out.shares.push_back({cat->code, value->code, share, source});
  }
  if (out.problems.empty()) {
    for (const auto& [cat, sum] : sums) {
      if (std::fabs(sum - 1.0) > 0.01) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", sum);
        out.problems.push_back(InvalidInput(
            "The shares for " + spaced(cat) + " add up to " + buf + ". They must add up to 1 (within 0.01).",
            Location{file_name, first_line[cat], static_cast<long>(*share_col) + 1, table->header[*share_col]}));
      }
    }
  }
  if (!out.problems.empty()) out.shares.clear();
  return out;
}

}  // namespace coproduce::impact
