#include "survey/weighting.h"

#include <gtest/gtest.h>

#include "survey/definition.h"

namespace coproduce::survey {
namespace {

const char* kDefinition = R"({"title": "T", "questions": [
  {"code": "sex", "type": "single", "text": "S", "options": ["a", "b"]},
  {"code": "agree", "type": "yes_no", "text": "A"}]})";

// 100 responses: (a, yes) 20, (a, no) 30, (b, yes) 30, (b, no) 20.
Responses sample(const Questionnaire& q) {
  Responses r = empty_responses(q);
  auto add = [&](int sex, int agree, int times) {
    for (int i = 0; i < times; ++i) {
      r.columns[0].choice.push_back(static_cast<std::int16_t>(sex));
      r.columns[1].choice.push_back(static_cast<std::int16_t>(agree));
      r.complete.push_back(1);
      r.last_page.push_back(1);
      ++r.rows;
    }
  };
  add(0, 0, 20);
  add(0, 1, 30);
  add(1, 0, 30);
  add(1, 1, 20);
  return r;
}

std::vector<Margin> margins(const Questionnaire& q, const std::string& text) {
  csv::ReadOptions o;
  o.file_name = "margins.csv";
  StatusOr<csv::Table> t = csv::parse(text, o);
  EXPECT_TRUE(t.ok());
  StatusOr<std::vector<Margin>> m = parse_margins(*t, q);
  EXPECT_TRUE(m.ok()) << m.status().to_string();
  return m.ok() ? *m : std::vector<Margin>{};
}

// Worked by hand: raking keeps the odds ratio of the sample table,
// (20*20)/(30*30) = 4/9. With margins sex a 60 / b 40 and agree 50 / 50 the
// weighted table is x, 60-x / 50-x, x-10 with x(x-10) / ((60-x)(50-x)) = 4/9,
// so x^2 + 70x - 2400 = 0 and x = (sqrt(14500) - 70) / 2 = 25.2080.
TEST(SurveyWeighting, RakingTwoMarginsMatchesTheHandWorkedTable) {
  StatusOr<Questionnaire> q = parse_definition(kDefinition, "t.json");
  ASSERT_TRUE(q.ok());
  const Responses r = sample(*q);
  const std::vector<Margin> m =
      margins(*q, "question,option,target\nsex,a,0.6\nsex,b,0.4\nagree,yes,0.5\nagree,no,0.5\n");
  std::vector<std::uint8_t> include(r.rows, 1);
  StatusOr<RakingResult> result = rake(*q, r, include, m, {}, "margins.csv");
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_TRUE(result->converged);
  EXPECT_LT(result->max_error, 1e-6);
  const double x = (std::sqrt(14500.0) - 70) / 2;
  EXPECT_NEAR(result->weights[0], x / 20, 1e-5);            // (a, yes)
  EXPECT_NEAR(result->weights[20], (60 - x) / 30, 1e-5);    // (a, no)
  EXPECT_NEAR(result->weights[50], (50 - x) / 30, 1e-5);    // (b, yes)
  EXPECT_NEAR(result->weights[80], (x - 10) / 20, 1e-5);    // (b, no)
  EXPECT_NEAR(result->design.deff, 1.0417387545, 1e-6);
  EXPECT_NEAR(result->design.effective_n, 95.993356841, 1e-4);
}

TEST(SurveyWeighting, StopsAtTheIterationLimitAndSaysSo) {
  StatusOr<Questionnaire> q = parse_definition(kDefinition, "t.json");
  ASSERT_TRUE(q.ok());
  const Responses r = sample(*q);
  const std::vector<Margin> m =
      margins(*q, "question,option,target\nsex,a,0.6\nsex,b,0.4\nagree,yes,0.5\nagree,no,0.5\n");
  RakingOptions options;
  options.max_iterations = 1;
  StatusOr<RakingResult> result = rake(*q, r, std::vector<std::uint8_t>(r.rows, 1), m, options, "margins.csv");
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->converged);
  EXPECT_EQ(result->iterations, 1);
  EXPECT_GT(result->max_error, 1e-6);
}

TEST(SurveyWeighting, MarginMistakesNameTheLine) {
  StatusOr<Questionnaire> q = parse_definition(kDefinition, "t.json");
  ASSERT_TRUE(q.ok());
  auto error = [&](const std::string& text) {
    csv::ReadOptions o;
    o.file_name = "margins.csv";
    StatusOr<csv::Table> t = csv::parse(text, o);
    EXPECT_TRUE(t.ok());
    StatusOr<std::vector<Margin>> m = parse_margins(*t, *q);
    return m.ok() ? std::string("(ok)") : m.status().to_string();
  };
  EXPECT_EQ(error("question,option,target\nsex,a,0.6\nage,b,0.4\n"),
            "margins.csv, line 3, column 1, 'question': there is no question coded 'age'");
  EXPECT_EQ(error("question,option,target\nsex,a,sixty\n"),
            "margins.csv, line 2, column 3, 'target': the target must be a share from 0 to 1 (such as 0.25) or a "
            "percentage (25%)");
  EXPECT_EQ(error("question,option,target\nsex,a,0.5\nsex,a,0.5\n"),
            "margins.csv, line 3, column 2, 'option': the target for sex = a is given twice (first on line 2)");
  EXPECT_EQ(error("q,o,t\n"), "margins.csv, line 1: a margins file needs the columns question, option and target");
  EXPECT_EQ(error("question,option,target\nsex,a,60%\nsex,b,40%\n"), "(ok)");
}

}  // namespace
}  // namespace coproduce::survey
