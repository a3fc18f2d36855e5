// The theory of change's rules without a database: the lists' checks, the
// indicators' checks, measurement periods, and the status against target,
// whose cases are rows of data worked out by hand.
#include "impact/theory_of_change.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace coproduce::impact {
namespace {

// "field: message" for each problem, for failure messages and comparisons.
std::vector<std::string> fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

std::string describe(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.field + ": " + e.message + "\n";
  return out;
}

const FieldError* find(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return &e;
  return nullptr;
}

TheoryOfChangeInput chain() {
  TheoryOfChangeInput in;
  in.elements = {{"I1", "input", "Paid time for members"},
                 {"A1", "activity", "Monthly co-design sessions"},
                 {"P1", "output", "Sessions held"},
                 {"O1", "outcome_short", "Members feel heard"},
                 {"O2", "outcome_long", "Services fit people better"},
                 {"X1", "impact", "Better lives"}};
  in.links = {{"I1", "A1", "", ""},
              {"A1", "P1", "People keep coming", "Venues stay accessible"},
              {"P1", "O1", "", ""},
              {"O1", "O2", "Decisions change", ""},
              {"O2", "X1", "", ""}};
  return in;
}

TEST(TheoryOfChange, AcceptsAChainThroughTheStages) {
  EXPECT_TRUE(validate(chain()).empty()) << describe(validate(chain()));
  // A link may skip stages: an activity straight to a long-term outcome.
  TheoryOfChangeInput in = chain();
  in.links.push_back({"A1", "O2", "", ""});
  EXPECT_TRUE(validate(in).empty()) << describe(validate(in));
  EXPECT_TRUE(validate(TheoryOfChangeInput{}).empty());
}

TEST(TheoryOfChange, NamesEachProblemByItsPlaceInTheLists) {
  TheoryOfChangeInput in = chain();
  in.elements[1].ref = "";                // elements.1.ref missing
  in.elements[2].ref = "I1";              // elements.2.ref used twice
  in.elements[3].stage = "outcome_soon";  // elements.3.stage unknown
  in.elements[4].text = "  ";             // elements.4.text missing
  in.links = {{"X1", "O2", "", ""},       // links.0.to: backwards
              {"X1", "X1", "", ""},       // links.1.to: to itself
              {"I1", "Z9", "", ""},       // links.2.to: not an element
              {"O2", "X1", "", ""},
              {"O2", "X1", "", ""},                       // links.4.to: twice
              {"O2", "X1", std::string(4001, 'a'), ""}};  // links.5: twice, and links.5.assumptions too long
  std::vector<FieldError> errors = validate(in);
  EXPECT_EQ(fields(errors), (std::vector<std::string>{"elements.1.ref", "elements.2.ref", "elements.3.stage",
                                                      "elements.4.text", "links.0.to", "links.1.to", "links.2.to",
                                                      "links.4.to", "links.5.to", "links.5.assumptions"}))
      << describe(errors);
  EXPECT_EQ(find(errors, "elements.2.ref")->kind, Problem::kDuplicate);
  EXPECT_EQ(find(errors, "links.0.to")->kind, Problem::kOutOfOrder);
  EXPECT_EQ(find(errors, "links.0.to")->message,
            "Link 1 must go on to a later stage: 'O2' (Long-term outcome) does not come after 'X1' (Impact)");
  EXPECT_EQ(find(errors, "links.4.to")->kind, Problem::kDuplicate);
  EXPECT_EQ(find(errors, "links.5.assumptions")->kind, Problem::kTooLong);
}

TEST(TheoryOfChange, LimitsTheLists) {
  TheoryOfChangeInput in;
  for (size_t i = 0; i <= kMaxElements; ++i) in.elements.push_back({"E" + std::to_string(i), "output", "x"});
  std::vector<FieldError> errors = validate(in);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "elements");
  EXPECT_EQ(errors[0].kind, Problem::kTooLong);
}

// ---- Indicators ----

IndicatorDefinition manual() {
  IndicatorDefinition d;
  d.name = "Members who feel heard";
  d.unit = "percentage";
  d.direction = "higher";
  d.frequency = "quarterly";
  d.source = "manual";
  d.baseline_value = 40;
  d.baseline_date = "2026-01-01";
  d.target_value = 70;
  d.target_date = "2027-01-01";
  return d;
}

TEST(Indicators, AcceptsAWholeDefinition) {
  EXPECT_TRUE(validate(manual()).empty()) << describe(validate(manual()));
  IndicatorDefinition p = manual();
  p.source = "platform";
  p.measure = "newcomer_share";
  EXPECT_TRUE(validate(p).empty()) << describe(validate(p));
}

TEST(Indicators, NeedASource) {
  IndicatorDefinition d = manual();
  d.source = "";
  std::vector<FieldError> errors = validate(d);
  ASSERT_EQ(fields(errors), std::vector<std::string>{"source"});
  EXPECT_EQ(errors[0].kind, Problem::kMissing);
  d.source = "census";
  errors = validate(d);
  ASSERT_EQ(fields(errors), std::vector<std::string>{"source"});
  EXPECT_EQ(errors[0].kind, Problem::kUnknownCode);
}

IndicatorDefinition from_survey() {
  IndicatorDefinition d = manual();
  d.source = "survey";
  d.survey_id = 4;
  d.question = "heard";
  d.options = {"agree", "strongly_agree"};
  return d;
}

TEST(Indicators, FromASurveyNameTheSurveyQuestionAndAnswers) {
  EXPECT_TRUE(validate(from_survey()).empty()) << describe(validate(from_survey()));
  IndicatorDefinition d = from_survey();
  d.survey_id.reset();
  d.question = " ";
  d.options.clear();
  std::vector<FieldError> errors = validate(d);
  EXPECT_EQ(fields(errors), (std::vector<std::string>{"survey_id", "question", "options"})) << describe(errors);
  for (const auto& e : errors) EXPECT_EQ(e.kind, Problem::kMissing) << e.field;

  d = from_survey();
  d.options = {"agree", "agree"};
  d.unit = "count";  // a survey indicator is a percentage
  errors = validate(d);
  EXPECT_EQ(fields(errors), (std::vector<std::string>{"options.1", "unit"})) << describe(errors);
  EXPECT_EQ(find(errors, "options.1")->kind, Problem::kDuplicate);

  IndicatorDefinition m = manual();  // survey fields on another source are a mistake, not ignored
  m.question = "heard";
  EXPECT_EQ(fields(validate(m)), std::vector<std::string>{"question"});
}

TEST(Indicators, OfTheBenchmarkGapNameACategoryAndValue) {
  IndicatorDefinition d = manual();
  d.source = "platform";
  d.measure = "benchmark_gap";
  d.unit = "points";
  d.baseline_value = -8;  // percentage points may be below 0
  d.target_value = 0;
  d.category = "ethnic_group";
  d.category_value = "black";
  EXPECT_TRUE(validate(d).empty()) << describe(validate(d));
  d.category_value = "female";  // a value of another category
  EXPECT_EQ(fields(validate(d)), std::vector<std::string>{"category_value"});
  d.category = "religion";
  d.category_value = "";
  d.baseline_value = -140;
  std::vector<FieldError> errors = validate(d);
  EXPECT_EQ(fields(errors), (std::vector<std::string>{"category", "category_value", "baseline_value"}))
      << describe(errors);
  EXPECT_EQ(find(errors, "category")->kind, Problem::kUnknownCode);
  EXPECT_EQ(find(errors, "baseline_value")->kind, Problem::kOutOfRange);

  IndicatorDefinition other = manual();
  other.category = "sex";
  EXPECT_EQ(fields(validate(other)), std::vector<std::string>{"category"});
  EXPECT_EQ(show_value("points", -3.5), "-3.5 points");
}

TEST(Indicators, NameEachFieldAtFault) {
  IndicatorDefinition d = manual();
  d.name = "";
  d.direction = "up";
  d.target_date = "2025-12-31";  // before the baseline
  d.baseline_value = 140;        // a percentage over 100
  std::vector<FieldError> errors = validate(d);
  EXPECT_EQ(fields(errors), (std::vector<std::string>{"name", "direction", "baseline_value", "target_date"}))
      << describe(errors);
  EXPECT_EQ(find(errors, "target_date")->kind, Problem::kOutOfOrder);
  EXPECT_EQ(find(errors, "baseline_value")->kind, Problem::kOutOfRange);

  IndicatorDefinition p = manual();
  p.source = "platform";
  p.measure = "total_paid";  // money, not a percentage
  EXPECT_EQ(fields(validate(p)), std::vector<std::string>{"unit"});
  p.measure = "";
  EXPECT_EQ(fields(validate(p)), std::vector<std::string>{"measure"});

  IndicatorDefinition m = manual();
  m.unit = "money";
  m.baseline_value = 10.5;       // not whole pence
  m.target_value = -1;           // negative
  m.target_date = "2027-02-30";  // not a real date
  errors = validate(m);
  EXPECT_EQ(fields(errors), (std::vector<std::string>{"baseline_value", "target_date", "target_value"}))
      << describe(errors);

  IndicatorDefinition half = manual();
  half.target_date = "";  // a target value without its date
  EXPECT_EQ(fields(validate(half)), std::vector<std::string>{"target_date"});
}

TEST(MeasurePeriods, ReadMonthsAndQuarters) {
  auto m = parse_measure_period("2026-02", "monthly");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->from, "2026-02-01");
  EXPECT_EQ(m->to, "2026-02-28");
  auto q = parse_measure_period("2026-Q4", "quarterly");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->from, "2026-10-01");
  EXPECT_EQ(q->to, "2026-12-31");
  for (const char* bad : {"2026-13", "2026-1", "26-01", "2026-Q1"})
    EXPECT_FALSE(parse_measure_period(bad, "monthly")) << bad;
  for (const char* bad : {"2026-Q5", "2026-03", "2026-Q0"}) EXPECT_FALSE(parse_measure_period(bad, "quarterly")) << bad;

  std::vector<std::string> labels;
  for (const auto& p : periods_between("2026-02-15", "2026-07-01", "quarterly")) labels.push_back(p.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"2026-Q1", "2026-Q2", "2026-Q3"}));
  labels.clear();
  for (const auto& p : periods_between("2025-11-30", "2026-01-01", "monthly")) labels.push_back(p.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"2025-11", "2025-12", "2026-01"}));
}

// ---- Status against target, case by case ----

struct StatusCase {
  std::string name;
  std::string direction;
  std::optional<double> baseline;  // on 2026-01-01
  std::optional<double> target;    // on 2027-01-01 (365 days on)
  std::optional<Observation> latest;
  std::string code;
  std::string explanation_has;  // a part of the explanation
};

void PrintTo(const StatusCase& c, std::ostream* os) { *os << c.name; }

class StatusAgainstTarget : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusAgainstTarget, FollowsTheRule) {
  const StatusCase& c = GetParam();
  IndicatorDefinition d;
  d.name = "x";
  d.unit = "count";
  d.direction = c.direction;
  d.frequency = "monthly";
  d.source = "manual";
  if (c.baseline) {
    d.baseline_value = c.baseline;
    d.baseline_date = "2026-01-01";
  }
  if (c.target) {
    d.target_value = c.target;
    d.target_date = "2027-01-01";
  }
  ASSERT_TRUE(validate(d).empty()) << describe(validate(d));
  TargetStatus s = status_against_target(d, c.latest);
  EXPECT_EQ(s.code, c.code);
  EXPECT_FALSE(s.label.empty());
  EXPECT_FALSE(s.rule.empty());
  EXPECT_NE(s.explanation.find(c.explanation_has), std::string::npos) << s.explanation;
}

// The straight line from 10 on 2026-01-01 to 40 on 2027-01-01 rises 30 in
// 365 days: on 2026-07-02 (182 days) it is 10 + 30 × 182/365 = 24.958.
INSTANTIATE_TEST_SUITE_P(
    Rule, StatusAgainstTarget,
    ::testing::Values(
        StatusCase{"no_target", "higher", 10, std::nullopt, Observation{"2026-07-02", 25}, "no_target", ""},
        StatusCase{"no_measurement", "higher", 10, 40, std::nullopt, "no_measurement", ""},
        StatusCase{"above_the_line", "higher", 10, 40, Observation{"2026-07-02", 25}, "on_track", "24.96"},
        StatusCase{"below_the_line", "higher", 10, 40, Observation{"2026-07-02", 24}, "off_track",
                   "is below the straight-line value of 24.96 for that date (182 of 365 days"},
        StatusCase{"on_the_baseline_day", "higher", 10, 40, Observation{"2026-01-01", 10}, "on_track", "0 of 365"},
        StatusCase{"before_the_baseline", "higher", 10, 40, Observation{"2025-12-31", 9}, "off_track", "value of 10 "},
        StatusCase{"met_early", "higher", 10, 40, Observation{"2026-03-31", 40}, "met", "at or above the target of 40"},
        StatusCase{"missed", "higher", 10, 40, Observation{"2027-01-31", 39}, "not_met", "target date, 2027-01-01"},
        StatusCase{"met_late", "higher", 10, 40, Observation{"2027-01-31", 41}, "met", ""},
        StatusCase{"no_baseline", "higher", std::nullopt, 40, Observation{"2026-07-02", 30}, "not_yet_met",
                   "short of the target of 40"},
        // Lower is better: from 50 down to 20, the line on 2026-07-02 is
        // 50 − 30 × 182/365 = 35.04.
        StatusCase{"lower_on_track", "lower", 50, 20, Observation{"2026-07-02", 35}, "on_track", "35.04"},
        StatusCase{"lower_off_track", "lower", 50, 20, Observation{"2026-07-02", 36}, "off_track",
                   "is above the straight-line value of 35.04"},
        StatusCase{"lower_met", "lower", 50, 20, Observation{"2026-07-02", 20}, "met", "at or below"}),
    [](const ::testing::TestParamInfo<StatusCase>& row) { return row.param.name; });

TEST(StatusAgainstTarget, WritesTheRuleWithTheIndicatorsFigures) {
  IndicatorDefinition d = manual();
  TargetStatus s = status_against_target(d, Observation{"2026-06-30", 55});
  EXPECT_EQ(s.rule,
            "Higher is better. Met when the latest measurement is at or above the target of 70% (by 2027-01-01)."
            " Otherwise: not met once the target date has passed; before then, on track when it is at or above the"
            " straight line from the baseline of 40% on 2026-01-01 to the target, read at the measurement's date"
            " (the last day of its period), and off track when it is not.");
  // 40 + 30 × 180/365 = 54.79: 55 is on track.
  EXPECT_EQ(s.code, "on_track");
  EXPECT_EQ(s.explanation,
            "The latest measurement, 55% on 2026-06-30, is at or above the straight-line value of 54.79% for that"
            " date (180 of 365 days from the baseline to the target).");
}

TEST(ShowValue, WritesEachUnit) {
  EXPECT_EQ(show_value("money", 123456), "£1,234.56");
  EXPECT_EQ(show_value("money", 5), "£0.05");
  EXPECT_EQ(show_value("money", 1'300'000), "£13,000");
  EXPECT_EQ(show_value("percentage", 12.5), "12.5%");
  EXPECT_EQ(show_value("count", 12), "12");
  EXPECT_EQ(show_value("score", 1.0 / 3.0), "0.33");
}

}  // namespace
}  // namespace coproduce::impact
