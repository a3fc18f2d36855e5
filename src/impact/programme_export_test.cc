// The business case workbook holds the page's figures and nothing the page
// withholds: a suppressed measurement or breakdown has no counts.
#include "impact/programme_export.h"

#include <gtest/gtest.h>

#include "impact/measures.h"

namespace coproduce::impact {
namespace {

using sheets::Cell;
using sheets::Sheet;

Programme programme() {
  Programme p;
  p.id = 7;
  p.details.name = "Carers' voice";
  p.details.starts_on = "2025-04-01";
  p.details.ends_on = "2026-03-31";
  return p;
}

ProgrammeBusinessCase business_case(const Period& period) {
  BusinessCaseInput in;
  ValuedOutcome o;
  o.name = "Carers less often in crisis";
  o.quantity = 12;
  o.value_pence = 10000;
  o.source = "Local unit cost";
  o.duration_years = 2;
  in.outcomes.push_back(o);
  in.costs.push_back({"Venue: Hall hire", "2025-06-01", 60000});
  return {period, compute(in)};
}

Measurement measured(const char* label, std::optional<double> value, std::optional<int64_t> base) {
  Measurement m;
  m.period.label = label;
  m.value = value;
  m.base = base;
  return m;
}

std::vector<Indicator> indicators() {
  Indicator survey;
  survey.element = "O1";
  survey.definition.name = "Carers who felt heard";
  survey.definition.unit = "percentage";
  survey.definition.source = "survey";
  Measurement q2 = measured("2025-Q2", 100.0 * 8 / 12, 12);
  q2.lower = 39.06;
  q2.upper = 86.19;
  Measurement q3 = measured("2025-Q3", std::nullopt, 2);
  q3.suppressed = true;
  q3.note = "Fewer than 10 people answered (2): too few to show without risk of identifying someone";
  survey.measurements = {q2, q3};

  Indicator newcomers;
  newcomers.element = "P1";
  newcomers.definition.name = "Newcomers";
  newcomers.definition.unit = "percentage";
  newcomers.definition.source = "platform";
  // A share of 3 places would give away who came: withheld, as on the page.
  newcomers.measurements = {measured("2025-04", 33.3, 3), measured("2025-05", 40, 20)};

  Indicator empty;
  empty.element = "O1";
  empty.definition.name = "Not measured yet";
  return {survey, newcomers, empty};
}

// A reach of 12 people: sex known for all, disability for only 6, so the
// disability breakdown is suppressed.
ProgrammeReach reach() {
  ProgrammeReach r;
  r.period = {"2025-04-01", "2026-03-31"};
  r.activities = 4;
  std::vector<Place> places;
  std::map<int64_t, Answers> answers;
  for (int64_t person = 1; person <= 12; ++person) {
    places.push_back({person, 1, "2025-05-01T10:00", 60});
    if (person <= 3) places.push_back({person, 1, "2025-06-01T10:00", 60});
    answers[person]["sex"] = person <= 4 ? "female" : "male";
    if (person <= 6) answers[person]["disability"] = "disabled";
  }
  r.places = static_cast<int64_t>(places.size());
  r.people = 12;
  r.newcomer_places = 12;
  r.newcomer_share = 12.0 / 15;
  r.top_tenth_share = 4.0 / 15;
  r.gini = 0.15;
  r.rungs = {{"coercion", "Coercion", 1, 0, 1},
             {"consultation", "Consultation", 4, 1, 0},
             {"co_production", "Co-production", 7, 0, 2}};
  r.lead_rated = 1;
  r.member_ratings = 3;
  r.lead_mean = 4;
  r.member_mean = 5;
  r.who = representativeness(places, answers, census_2021());
  return r;
}

const Sheet& sheet(const std::vector<Sheet>& book, const char* name) {
  const Sheet* s = sheets::find(book, name);
  EXPECT_NE(s, nullptr) << name;
  static const Sheet kNone;
  return s ? *s : kNone;
}

// The rows of `s` whose first cell reads `first`.
std::vector<std::vector<Cell>> rows_of(const Sheet& s, const std::string& first) {
  std::vector<std::vector<Cell>> out;
  for (const auto& row : s.rows)
    if (!row.empty() && row[0].as_text() == first) out.push_back(row);
  return out;
}

std::string at(const std::vector<Cell>& row, size_t i) { return i < row.size() ? row[i].as_text() : ""; }

TEST(ProgrammeExport, TheSheetsComeInThePagesOrderWithReachLast) {
  auto book = business_case_sheets(programme(), business_case({"2025-04-01", "2026-03-31"}), indicators(), reach());
  std::vector<std::string> names;
  for (const auto& s : book) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Summary", "Outcomes", "Workings", "Sensitivity", "Costs", "Indicators",
                                             "Reach"}));
}

TEST(ProgrammeExport, TheSummarySaysWhichPeriodTheCostsAreCountedOver) {
  auto own = business_case_sheets(programme(), business_case({"2025-04-01", "2026-03-31"}), {}, reach());
  auto period = rows_of(sheet(own, "Summary"), "Costs counted from");
  ASSERT_EQ(period.size(), 1u);
  EXPECT_EQ(at(period[0], 1), "2025-04-01 to 2026-03-31");
  EXPECT_EQ(at(period[0], 2), "The programme's period");
  auto costs = rows_of(sheet(own, "Summary"), "Total costs, £");
  ASSERT_EQ(costs.size(), 1u);
  EXPECT_DOUBLE_EQ(costs[0][1].number, 600.0);

  auto asked = business_case_sheets(programme(), business_case({"2025-05-01", "2025-12-31"}), {}, reach());
  period = rows_of(sheet(asked, "Summary"), "Costs counted from");
  ASSERT_EQ(period.size(), 1u);
  EXPECT_EQ(at(period[0], 1), "2025-05-01 to 2025-12-31");
  EXPECT_EQ(at(period[0], 2), "The period asked for");
}

TEST(ProgrammeExport, IndicatorsCarryBaseAndIntervalAndNothingWithheld) {
  auto book = business_case_sheets(programme(), business_case({"2025-04-01", "2026-03-31"}), indicators(), reach());
  const Sheet& s = sheet(book, "Indicators");
  ASSERT_FALSE(s.rows.empty());
  EXPECT_EQ(at(s.rows[0], 5), "Base");
  EXPECT_EQ(at(s.rows[0], 6), "95% interval from");

  auto heard = rows_of(s, "Carers who felt heard");
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(at(heard[0], 3), "2025-Q2");
  EXPECT_DOUBLE_EQ(heard[0][4].number, 100.0 * 8 / 12);
  EXPECT_EQ(heard[0][5].integer, 12);
  EXPECT_DOUBLE_EQ(heard[0][6].number, 39.06);
  EXPECT_DOUBLE_EQ(heard[0][7].number, 86.19);
  // Suppressed: no value and no base, only the note why.
  EXPECT_EQ(at(heard[1], 3), "2025-Q3");
  for (size_t i : {4u, 5u, 6u, 7u}) EXPECT_TRUE(heard[1][i].is_empty()) << "column " << i;
  EXPECT_NE(at(heard[1], 8).find("too few to show"), std::string::npos);

  auto newcomers = rows_of(s, "Newcomers");
  ASSERT_EQ(newcomers.size(), 2u);
  EXPECT_TRUE(newcomers[0][4].is_empty()) << "a share of 3 places is withheld";
  EXPECT_TRUE(newcomers[0][5].is_empty());
  EXPECT_EQ(at(newcomers[0], 8), kTooFewToShow);
  EXPECT_DOUBLE_EQ(newcomers[1][4].number, 40);
  EXPECT_EQ(newcomers[1][5].integer, 20);

  auto none = rows_of(s, "Not measured yet");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(at(none[0], 8), "No measurement yet");
}

TEST(ProgrammeExport, ReachHasItsFiguresRungsAndWhoIsMissingWithSuppressedRowsUncounted) {
  auto book = business_case_sheets(programme(), business_case({"2025-04-01", "2026-03-31"}), indicators(), reach());
  const Sheet& s = sheet(book, "Reach");
  auto places = rows_of(s, "Places");
  ASSERT_EQ(places.size(), 1u);
  EXPECT_EQ(places[0][1].integer, 15);
  auto newcomers = rows_of(s, "Places that went to newcomers");
  ASSERT_EQ(newcomers.size(), 1u);
  EXPECT_EQ(newcomers[0][1].integer, 12);
  EXPECT_DOUBLE_EQ(newcomers[0][2].number, 0.8);
  EXPECT_EQ(rows_of(s, "Activities held")[0][1].integer, 4);

  auto consultation = rows_of(s, "Consultation");
  ASSERT_EQ(consultation.size(), 1u);
  EXPECT_EQ(consultation[0][1].integer, 1);
  EXPECT_EQ(consultation[0][2].integer, 0);
  auto means = rows_of(s, "Mean rung");
  ASSERT_EQ(means.size(), 1u);
  EXPECT_DOUBLE_EQ(means[0][1].number, 4);
  EXPECT_DOUBLE_EQ(means[0][2].number, 5);

  // Sex is broken down with counts; disability (6 people known) is one row, uncounted.
  auto sex = rows_of(s, "Sex");
  ASSERT_EQ(sex.size(), 3u) << "female, male and not known";
  for (const auto& row : sex) EXPECT_FALSE(row[2].is_empty()) << at(row, 1);
  auto disability = rows_of(s, "Disability");
  ASSERT_EQ(disability.size(), 1u);
  for (size_t i = 1; i <= 5; ++i) EXPECT_TRUE(disability[0][i].is_empty()) << "column " << i;
  EXPECT_EQ(at(disability[0], 6), kTooFewToShow);

  // Fewer than ten people in all: nothing broken down, and no counts at all.
  ProgrammeReach few = reach();
  few.who.suppressed = true;
  auto small = business_case_sheets(programme(), business_case({"2025-04-01", "2026-03-31"}), {}, few);
  const Sheet& r = sheet(small, "Reach");
  EXPECT_TRUE(rows_of(r, "Sex").empty());
  auto every = rows_of(r, "Every category");
  ASSERT_EQ(every.size(), 1u);
  for (size_t i = 1; i <= 5; ++i) EXPECT_TRUE(every[0][i].is_empty()) << "column " << i;
  EXPECT_EQ(at(every[0], 6), kTooFewToShow);
}

TEST(ProgrammeExport, TheWorkbookReadsBack) {
  auto bytes = business_case_xlsx(programme(), business_case({"2025-04-01", "2026-03-31"}), indicators(), reach());
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  auto back = sheets::from_xlsx(*bytes, "business-case.xlsx");
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  ASSERT_EQ(back->size(), 7u);
  auto consultation = rows_of(sheet(*back, "Reach"), "Consultation");
  ASSERT_EQ(consultation.size(), 1u);
  EXPECT_EQ(consultation[0][1].integer, 1);
}

TEST(ProgrammeExport, TheTheoryOfChangeHasItsElementsAndLinks) {
  TheoryOfChange toc;
  toc.elements = {{1, "A1", "activity", "Monthly co-design sessions"}, {2, "O1", "outcome_short", "Carers feel heard"}};
  toc.links = {{"A1", "O1", "Carers can come", ""}};
  auto book = theory_of_change_sheets(toc);
  ASSERT_EQ(book.size(), 2u);
  const Sheet& elements = sheet(book, "Elements");
  ASSERT_EQ(elements.rows.size(), 3u);
  EXPECT_EQ(at(elements.rows[1], 0), "A1");
  EXPECT_EQ(at(elements.rows[1], 1), stage_label("activity"));
  EXPECT_EQ(at(sheet(book, "Links").rows[1], 2), "Carers can come");
  EXPECT_TRUE(theory_of_change_xlsx(toc).ok());
}

}  // namespace
}  // namespace coproduce::impact
