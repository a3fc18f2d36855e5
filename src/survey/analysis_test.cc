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

// ---- repeats ----

const char* const kServicesDefinition = R"({"title": "Services", "questions": [
  {"code": "group", "type": "single", "text": "G", "options": ["carer", "user"]},
  {"code": "service", "type": "single", "page": 2, "text": "Which service?", "repeat": "services",
   "options": ["home_care", "day_centre"]},
  {"code": "visits", "type": "number", "page": 2, "text": "Visits a month", "repeat": "services"},
  {"code": "end", "type": "short_text", "page": 3, "text": "E"}],
  "repeats": [{"code": "services", "label": "Service you use", "show_if": "group = 'carer'"}]})";

struct RepeatFixture {
  Questionnaire q;
  Responses main;
  RepeatResponses services;
};

// Five complete carers giving 2, 0, 3, 1 and 1 services, a complete user
// (not shown the repeat) and a partial carer who gave 4 (not analysed).
RepeatFixture repeat_fixture() {
  RepeatFixture f;
  StatusOr<Questionnaire> q = parse_definition(kServicesDefinition, "services.json");
  EXPECT_TRUE(q.ok()) << q.status().to_string();
  f.q = *q;
  std::string main = "id,started_at,submitted_at,last_page,group,end\n";
  const std::vector<std::pair<std::string, int>> people = {{"c1", 2}, {"c2", 0}, {"c3", 3}, {"c4", 1}, {"c5", 1}};
  for (const auto& [id, count] : people) main += id + ",2026-03-01T10:00:00,2026-03-01T10:05:00,3,carer,\n";
  main += "u1,2026-03-01T10:00:00,2026-03-01T10:05:00,3,user,\n";
  main += "p1,2026-03-01T10:00:00,,2,carer,\n";
  ReadOptions read;
  read.keep_ids = true;
  StatusOr<Responses> m = parse_responses(main, f.q, read);
  EXPECT_TRUE(m.ok()) << m.status().to_string();
  f.main = std::move(*m);
  std::string rep = "response_id,instance,service,visits\n";
  int visits = 1;
  for (const auto& [id, count] : people) {
    for (int k = 1; k <= count; ++k, ++visits) {
      rep += id + "," + std::to_string(k) + "," + (k == 1 ? "home_care" : "day_centre") + "," + std::to_string(visits) +
             "\n";
    }
  }
  for (int k = 1; k <= 4; ++k) rep += "p1," + std::to_string(k) + ",home_care,100\n";
  RepeatReadOptions options;
  options.responses = &f.main;
  StatusOr<RepeatResponses> r = parse_repeat_responses(rep, f.q, 0, options);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  f.services = std::move(*r);
  return f;
}

TEST(RepeatAnalysis, CountsInstancesPerResponseAndTheRepeatsQuestionsOverInstances) {
  const RepeatFixture f = repeat_fixture();
  AnalysisOptions options;
  options.repeats = {&f.services};
  StatusOr<Analysis> a = analyse(f.q, f.main, options);
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_EQ(a->repeats.size(), 1u);
  const RepeatResult& r = a->repeats[0];
  EXPECT_EQ(r.code, "services");
  EXPECT_EQ(r.responses, 5);        // the complete carers; the user was not shown it
  EXPECT_EQ(r.with_instances, 4);
  EXPECT_EQ(r.instances, 7);        // the partial response's 4 are not analysed
  EXPECT_DOUBLE_EQ(r.mean_instances, 7.0 / 5);
  EXPECT_DOUBLE_EQ(r.median_instances, 1);  // 0, 1, 1, 2, 3
  ASSERT_EQ(r.questions.size(), 2u);
  EXPECT_EQ(r.questions[0].code, "service");
  EXPECT_EQ(r.questions[0].base, 7);
  EXPECT_EQ(r.questions[0].options[0].count, 4);  // each carer's first service
  EXPECT_EQ(r.questions[0].options[1].count, 3);
  ASSERT_TRUE(r.questions[1].number.has_value());
  EXPECT_DOUBLE_EQ(r.questions[1].number->mean, 4);  // visits 1..7
  EXPECT_DOUBLE_EQ(r.questions[1].number->max, 7);
  // The questions asked once are as before.
  EXPECT_EQ(a->questions.size(), 2u);

  // With incomplete responses, the partial carer's 4 count too.
  options.include_partial = true;
  StatusOr<Analysis> partial = analyse(f.q, f.main, options);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->repeats[0].responses, 6);
  EXPECT_EQ(partial->repeats[0].instances, 11);
  EXPECT_DOUBLE_EQ(partial->repeats[0].median_instances, 1.5);  // 0, 1, 1, 2, 3, 4
}

TEST(RepeatAnalysis, ATableMustBeLinkedToTheResponses) {
  const RepeatFixture f = repeat_fixture();
  StatusOr<RepeatResponses> alone =
      parse_repeat_responses("response_id,instance,service,visits\nc1,1,home_care,\n", f.q, 0);
  ASSERT_TRUE(alone.ok());
  AnalysisOptions options;
  options.repeats = {&*alone};
  StatusOr<Analysis> a = analyse(f.q, f.main, options);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().where().field, "--repeat");
  EXPECT_NE(a.status().message().find("was not read linked to the responses"), std::string::npos);
  options.repeats = {&f.services, &f.services};
  EXPECT_NE(analyse(f.q, f.main, options).status().message().find("has two tables"), std::string::npos);
}

TEST(RepeatAnalysis, ReportsSayTheBaseIsInstancesAndSuppressSmallCounts) {
  const RepeatFixture f = repeat_fixture();
  AnalysisOptions options;
  options.repeats = {&f.services};
  StatusOr<Analysis> a = analyse(f.q, f.main, options);
  ASSERT_TRUE(a.ok());
  auto none = make_suppression("none").value();
  const json open = json::parse(render_json(*a, *none, {}));
  EXPECT_EQ(open["repeats"][0]["instances"], 7);
  EXPECT_EQ(open["repeats"][0]["with_instances"], 4);
  EXPECT_DOUBLE_EQ(open["repeats"][0]["mean_instances"].get<double>(), 1.4);
  EXPECT_EQ(open["repeats"][0]["questions"][0]["base"], 7);
  EXPECT_NE(open["repeats"][0]["base"].get<std::string>().find("instances"), std::string::npos);
  // Under the NHS rule every one of these small counts is hidden, and the
  // figures worked out from them with them.
  auto nhs = make_suppression("nhs").value();
  const json hidden = json::parse(render_json(*a, *nhs, {}));
  EXPECT_TRUE(hidden["repeats"][0]["instances"].is_null());
  EXPECT_TRUE(hidden["repeats"][0]["mean_instances"].is_null());
  EXPECT_TRUE(hidden["repeats"][0]["questions"][0]["options"][0]["count"].is_null());
  const std::string csv = render_csv(*a, *nhs, {});
  EXPECT_NE(csv.find("repeat,services,instances,,,*,*"), std::string::npos) << csv;
  EXPECT_NE(csv.find("repeat question,service,home_care,,,*,*"), std::string::npos) << csv;
  const std::string open_csv = render_csv(*a, *none, {});
  EXPECT_NE(open_csv.find("repeat question,service,home_care,,,4,7,0.571429"), std::string::npos) << open_csv;
  ASSERT_EQ(a->repeats.size(), 1u);
  const std::string html = render_html(*a, *none, {});
  EXPECT_NE(html.find("Base: 7 instances (Service you use"), std::string::npos) << html;
  EXPECT_NE(html.find("<th scope=\"row\">Instances in all</th><td class=\"num\">7</td>"), std::string::npos);
}

}  // namespace
}  // namespace coproduce::survey
