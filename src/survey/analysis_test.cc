// Plays the cases in testdata/analysis.test (format described at its top):
// each case reads a definition and responses, analyses them and checks values
// in the JSON output, or checks the exact error message a person would see.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/csv.h"
#include "survey/analysis.h"
#include "survey/definition.h"
#include "survey/report.h"
#include "survey/responses.h"
#include "survey/suppression.h"
#include "survey/weighting.h"

namespace coproduce::survey {
namespace {

using nlohmann::json;

std::string testdata_dir() {
  const char* root = std::getenv("COPRODUCE_SOURCE_DIR");
  return std::string(root ? root : ".") + "/src/survey/testdata/";
}

struct Expectation {
  int line = 0;
  std::string path;
  std::string value;
};

struct Case {
  std::string name;
  int line = 0;
  std::string definition;
  std::vector<std::string> options;
  std::string responses;
  std::string margins;
  std::vector<Expectation> expects;
  std::optional<std::string> error;
};

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// "N* id,rest" -> N rows id-1,rest ... id-N,rest.
std::string expand_row(const std::string& line) {
  const size_t star = line.find("* ");
  if (star == std::string::npos || star == 0 || line.find_first_not_of("0123456789") != star) return line + "\n";
  const int n = std::stoi(line.substr(0, star));
  const std::string rest = line.substr(star + 2);
  const size_t comma = rest.find(',');
  std::string out;
  for (int i = 1; i <= n; ++i) out += rest.substr(0, comma) + "-" + std::to_string(i) + rest.substr(comma) + "\n";
  return out;
}

std::vector<Case> load_cases(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<Case> cases;
  std::string line;
  int number = 0;
  std::string* block = nullptr;
  bool expand = false;
  while (std::getline(in, line)) {
    ++number;
    if (block) {
      if (line == "end") {
        block = nullptr;
      } else {
        *block += expand ? expand_row(line) : line + "\n";
      }
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    const std::string word = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (word == "case") {
      cases.push_back({});
      cases.back().name = rest;
      cases.back().line = number;
      continue;
    }
    if (cases.empty()) {
      ADD_FAILURE() << path << ":" << number << ": a directive before the first case";
      continue;
    }
    Case& c = cases.back();
    if (word == "definition") c.definition = rest;
    else if (word == "options") c.options = split_words(rest);
    else if (word == "responses") { block = &c.responses; expand = true; }
    else if (word == "margins") { block = &c.margins; expand = false; }
    else if (word == "error") c.error = rest;
    else if (word == "expect") {
      const size_t sp = rest.find(' ');
      c.expects.push_back({number, rest.substr(0, sp), sp == std::string::npos ? "" : rest.substr(sp + 1)});
    } else {
      ADD_FAILURE() << path << ":" << number << ": unknown directive '" << word << "'";
    }
  }
  return cases;
}

// Runs a case: the JSON output, or the failed Status.
StatusOr<json> run_case(const Case& c) {
  StatusOr<Questionnaire> q = c.definition == "template coproduction"
                                  ? builtin_template("coproduction")
                                  : load_definition(testdata_dir() + c.definition);
  if (!q.ok()) return q.status();
  AnalysisOptions options;
  std::string suppression = "none";
  for (size_t i = 0; i < c.options.size(); ++i) {
    if (c.options[i] == "--include-partial") options.include_partial = true;
    else if (c.options[i] == "--crosstab" && i + 1 < c.options.size()) options.crosstabs.push_back(c.options[++i]);
    else if (c.options[i] == "--suppression" && i + 1 < c.options.size()) suppression = c.options[++i];
    else ADD_FAILURE() << "unknown option " << c.options[i];
  }
  if (!c.margins.empty()) {
    csv::ReadOptions csv_options;
    csv_options.file_name = "margins.csv";
    StatusOr<csv::Table> table = csv::parse(c.margins, csv_options);
    if (!table.ok()) return table.status();
    StatusOr<std::vector<Margin>> margins = parse_margins(*table, *q);
    if (!margins.ok()) return margins.status();
    options.margins = std::move(*margins);
    options.margins_file = "margins.csv";
  }
  ReadOptions read;
  read.file_name = "responses.csv";
  read.threads = 2;
  StatusOr<Responses> responses = parse_responses(c.responses, *q, read);
  if (!responses.ok()) return responses.status();
  StatusOr<Analysis> a = analyse(*q, *responses, options);
  if (!a.ok()) return a.status();
  auto policy = make_suppression(suppression);
  if (!policy.ok()) return policy.status();
  return json::parse(render_json(*a, **policy, {}));
}

// Follows /a/code=x/0/b through `doc`; nullptr when a step is missing.
const json* find_path(const json& doc, const std::string& path) {
  const json* cur = &doc;
  size_t pos = 1;
  while (pos <= path.size() && pos > 0) {
    size_t next = path.find('/', pos);
    // Codes such as views[worth] hold no '/', so a plain split works.
    const std::string step = path.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    if (cur->is_array()) {
      const size_t eq = step.find('=');
      if (eq != std::string::npos) {
        const std::string key = step.substr(0, eq), value = step.substr(eq + 1);
        const json* found = nullptr;
        for (const json& e : *cur) {
          if (e.is_object() && e.contains(key) && e[key] == value) found = &e;
        }
        if (!found) return nullptr;
        cur = found;
      } else {
        const size_t i = std::stoul(step);
        if (i >= cur->size()) return nullptr;
        cur = &(*cur)[i];
      }
    } else if (cur->is_object()) {
      if (!cur->contains(step)) return nullptr;
      cur = &(*cur)[step];
    } else {
      return nullptr;
    }
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return cur;
}

bool matches(const json& actual, const json& expected) {
  if (expected.is_number() && actual.is_number()) {
    return std::abs(actual.get<double>() - expected.get<double>()) <= 5e-6;
  }
  if (expected.is_array() && actual.is_array()) {
    if (expected.size() != actual.size()) return false;
    for (size_t i = 0; i < expected.size(); ++i) {
      if (!matches(actual[i], expected[i])) return false;
    }
    return true;
  }
  return actual == expected;
}

TEST(SurveyAnalysisCases, PlayEveryCase) {
  const std::string file = testdata_dir() + "analysis.test";
  const std::vector<Case> cases = load_cases(file);
  ASSERT_GE(cases.size(), 20u);
  for (const Case& c : cases) {
    SCOPED_TRACE("analysis.test:" + std::to_string(c.line) + " " + c.name);
    StatusOr<json> out = run_case(c);
    if (c.error) {
      EXPECT_FALSE(out.ok()) << "expected the error: " << *c.error;
      if (!out.ok()) {
        EXPECT_EQ(out.status().to_string(), *c.error);
      }
      continue;
    }
    if (!out.ok()) {
      ADD_FAILURE() << out.status().to_string();
      continue;
    }
    for (const Expectation& e : c.expects) {
      const json* actual = find_path(*out, e.path);
      if (actual == nullptr) {
        ADD_FAILURE() << "line " << e.line << ": no value at " << e.path;
        continue;
      }
      const json expected = json::parse(e.value, nullptr, /*allow_exceptions=*/false);
      if (expected.is_discarded()) {
        ADD_FAILURE() << "line " << e.line << ": the expected value is not JSON (quote strings): " << e.value;
        continue;
      }
      EXPECT_TRUE(matches(*actual, expected))
          << "line " << e.line << ": " << e.path << " is " << actual->dump() << ", expected " << expected.dump();
    }
  }
}

}  // namespace
}  // namespace coproduce::survey
