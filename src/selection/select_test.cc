#include "selection/select.h"

#include <iomanip>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "selection/fairness.h"
#include "selection/input.h"
#include "selection/output.h"

namespace coproduce::selection {
namespace {

csv::Table table(const std::string& text, const std::string& name) {
  csv::ReadOptions o;
  o.file_name = name;
  auto t = csv::parse(text, o);
  EXPECT_TRUE(t.ok()) << t.status().to_string();
  return *t;
}

// A pool of 24 with three categories and shared households.
Pool make_pool(int size, bool households, const std::string& quotas = "") {
  std::string people = "id,gender,age,area,address\n";
  const char* genders[] = {"f", "m", "f", "f"};
  const char* ages[] = {"young", "mid", "old"};
  const char* areas[] = {"north", "south"};
  for (int i = 0; i < 24; ++i) {
    people += "p" + std::to_string(i) + "," + genders[i % 4] + "," + ages[(i / 2) % 3] + "," + areas[(i / 3) % 2] +
              ",house" + std::to_string(i / 2) + "\n";
  }
  std::string q = quotas.empty() ? "feature,value,min,max,min_flex,max_flex\n"
                                   "gender,f,3,4,0,6\ngender,m,2,3,0,6\n"
                                   "age,young,1,3,0,6\nage,mid,1,3,0,6\nage,old,1,3,0,6\n"
                                   "area,north,2,4,0,6\narea,south,2,4,0,6\n"
                                 : quotas;
  auto cats = parse_quotas(table(q, "quotas.csv"));
  EXPECT_TRUE(cats.ok()) << cats.status().to_string();
  PoolOptions o;
  o.panel_size = size;
  o.id_column = "id";
  if (households) o.household_columns = {"address"};
  auto pool = build_pool(table(people, "people.csv"), std::move(*cats), o);
  EXPECT_TRUE(pool.ok()) << pool.status().to_string();
  return std::move(*pool);
}

void expect_valid_outcome(const Problem& problem, const SelectOutcome& out) {
  EXPECT_EQ(check_panel(problem, out.selected), "");
  const double sum = std::accumulate(out.probability.begin(), out.probability.end(), 0.0);
  EXPECT_NEAR(sum, problem.panel_size, 1e-6);
  const double weight = std::accumulate(out.distribution.weights.begin(), out.distribution.weights.end(), 0.0);
  EXPECT_NEAR(weight, 1.0, 1e-9);
  for (const auto& panel : out.distribution.panels) EXPECT_EQ(check_panel(problem, panel), "");
  // The named panels give everyone exactly their probability.
  std::vector<double> m = marginals(problem, out.distribution);
  for (size_t i = 0; i < m.size(); ++i) EXPECT_NEAR(m[i], out.probability[i], 1e-9) << "person " << i;
}

TEST(Select, LeximinOutcomeIsValidAndExact) {
  Pool pool = make_pool(6, false);
  SelectOptions o;
  o.seed = 1;
  auto out = run_selection(pool.problem, o);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  expect_valid_outcome(pool.problem, *out);
  EXPECT_TRUE(out->distribution_exact);
}

TEST(Select, HouseholdRuleHoldsOnEveryPanel) {
  Pool pool = make_pool(6, true);
  SelectOptions o;
  o.seed = 2;
  auto out = run_selection(pool.problem, o);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  expect_valid_outcome(pool.problem, *out);
}

TEST(Select, SameSeedSamePanelAndSeedsDiffer) {
  Pool pool = make_pool(6, true);
  SelectOptions o;
  o.seed = 99;
  auto a = run_selection(pool.problem, o);
  auto b = run_selection(pool.problem, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->selected, b->selected);
  std::set<Panel> seen;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    o.seed = seed;
    auto c = run_selection(pool.problem, o);
    ASSERT_TRUE(c.ok());
    seen.insert(c->selected);
  }
  EXPECT_GT(seen.size(), 5u);
}

TEST(Select, AlreadySelectedAreAlwaysOnThePanel) {
  Pool pool = make_pool(6, true);
  ASSERT_TRUE(mark_already_selected(pool, table("id\np0\np5\n", "already.csv"), "id").ok());
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    SelectOptions o;
    o.seed = seed;
    auto out = run_selection(pool.problem, o);
    ASSERT_TRUE(out.ok()) << out.status().to_string();
    expect_valid_outcome(pool.problem, *out);
    EXPECT_TRUE(std::count(out->selected.begin(), out->selected.end(), 0));
    EXPECT_TRUE(std::count(out->selected.begin(), out->selected.end(), 5));
    // p1 shares p0's house: never chosen.
    EXPECT_EQ(out->probability[1], 0.0);
  }
}

TEST(Select, LotteryHasMValidTicketsAndDrawPicksOne) {
  Pool pool = make_pool(6, true);
  SelectOptions o;
  o.seed = 5;
  o.lottery = 40;
  o.draw = 17;
  o.lottery_seconds = 2;
  auto out = run_selection(pool.problem, o);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  ASSERT_EQ(out->lottery->tickets.size(), 40u);
  for (const auto& t : out->lottery->tickets) EXPECT_EQ(check_panel(pool.problem, t), "");
  EXPECT_EQ(out->ticket, 17);
  EXPECT_EQ(out->selected, out->lottery->tickets[16]);
  double sum = std::accumulate(out->lottery->probability.begin(), out->lottery->probability.end(), 0.0);
  EXPECT_NEAR(sum, 6.0, 1e-9);
  // Rounding to 40 panels moves no one by much more than one ticket.
  EXPECT_LE(out->lottery->largest_shift, 2.0 / 40 + 1e-9);
  for (size_t i = 0; i < out->probability.size(); ++i) {
    EXPECT_NEAR(out->lottery->probability[i], out->probability[i], out->lottery->largest_shift + 1e-12);
  }
}

TEST(Select, DrawOutsideTheLotteryIsAnError) {
  Pool pool = make_pool(6, false);
  SelectOptions o;
  o.lottery = 10;
  o.draw = 11;
  EXPECT_FALSE(run_selection(pool.problem, o).ok());
  o.lottery = 0;
  o.draw = 1;
  EXPECT_FALSE(run_selection(pool.problem, o).ok());
}

TEST(Select, LegacyGivesValidPanelsAndIsLessFair) {
  Pool pool = make_pool(6, true);
  SelectOptions o;
  o.seed = 3;
  o.algorithm = Algorithm::kLegacy;
  o.legacy_draws = 500;
  auto legacy = run_selection(pool.problem, o);
  ASSERT_TRUE(legacy.ok()) << legacy.status().to_string();
  EXPECT_EQ(check_panel(pool.problem, legacy->selected), "");
  for (const auto& p : legacy->distribution.panels) EXPECT_EQ(check_panel(pool.problem, p), "");
  o.algorithm = Algorithm::kLeximin;
  auto lex = run_selection(pool.problem, o);
  ASSERT_TRUE(lex.ok());
  ASSERT_TRUE(lex->legacy_fairness.has_value());
  // LEXIMIN's smallest probability is the largest possible: LEGACY's estimate
  // cannot beat it by more than sampling noise.
  EXPECT_GE(lex->fairness.minimum + 0.05, lex->legacy_fairness->minimum);
}

TEST(Select, ImpossibleQuotasNameTheConflictAndTheSmallestRelaxation) {
  Pool pool = make_pool(6, false,
                        "feature,value,min,max,min_flex,max_flex\n"
                        "gender,f,5,6,3,6\ngender,m,2,3,0,6\n"
                        "age,young,0,6,0,6\nage,mid,0,6,0,6\nage,old,0,6,0,6\n"
                        "area,north,0,6,0,6\narea,south,0,6,0,6\n");
  SelectOptions o;
  Diagnosis d;
  auto out = run_selection(pool.problem, o, &d);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(out.status().message().find("minimums of gender add up to 7"), std::string::npos)
      << out.status().message();
  ASSERT_TRUE(d.relaxation_found);
  ASSERT_EQ(d.relaxation.size(), 1u);
  // One step: f min 5 -> 4 or m min 2 -> 1.
  const auto& ch = d.relaxation[0];
  EXPECT_EQ(ch.old_min - ch.new_min, 1);
  EXPECT_NE(out.status().message().find("min"), std::string::npos);
}

TEST(Select, NoRelaxationWithinFlex) {
  Pool pool = make_pool(6, false,
                        "feature,value,min,max,min_flex,max_flex\n"
                        "gender,f,5,6,5,6\ngender,m,2,3,2,3\n"
                        "age,young,0,6,0,6\nage,mid,0,6,0,6\nage,old,0,6,0,6\n"
                        "area,north,0,6,0,6\narea,south,0,6,0,6\n");
  Diagnosis d;
  auto out = run_selection(pool.problem, {}, &d);
  ASSERT_FALSE(out.ok());
  EXPECT_FALSE(d.relaxation_found);
  EXPECT_NE(out.status().message().find("No change within"), std::string::npos);
}

TEST(Output, FilesHaveTheAgreedHeaders) {
  Pool pool = make_pool(6, true);
  SelectOptions o;
  o.seed = 8;
  auto out = run_selection(pool.problem, o);
  ASSERT_TRUE(out.ok());
  OutputFiles files = render_outputs(pool, *out, RunInfo{});
  auto probs = table(files.probabilities_csv, "p");
  EXPECT_EQ(probs.header, (std::vector<std::string>{"id", "probability", "panels"}));
  EXPECT_EQ(probs.rows.size(), 24u);
  auto dist = table(files.distribution_csv, "d");
  ASSERT_EQ(dist.header.size(), 8u);
  EXPECT_EQ(dist.header[0], "panel");
  EXPECT_EQ(dist.header[7], "member_6");
  auto selected = table(files.selected_csv, "s");
  EXPECT_EQ(selected.header[0], "id");
  EXPECT_EQ(selected.rows.size(), 6u);
  // remaining leaves out the selected and their housemates.
  auto remaining = table(files.remaining_csv, "r");
  std::set<std::string> houses;
  for (const auto& r : selected.rows) houses.insert(r.fields[4]);
  for (const auto& r : remaining.rows) EXPECT_EQ(houses.count(r.fields[4]), 0u) << r.fields[0];
  EXPECT_NE(files.report_json.find("\"gini\""), std::string::npos);
  EXPECT_NE(files.report_html.find("<caption>Quotas</caption>"), std::string::npos);
}

TEST(Fairness, Figures) {
  Fairness f = fairness({0.1, 0.1, 0.1, 0.1});
  EXPECT_NEAR(f.gini, 0.0, 1e-12);
  EXPECT_NEAR(f.geometric_mean, 0.1, 1e-12);
  Fairness g = fairness({0.0, 0.0, 0.0, 1.0});
  EXPECT_NEAR(g.gini, 0.75, 1e-12);
  EXPECT_EQ(g.geometric_mean, 0.0);
  EXPECT_EQ(g.minimum, 0.0);
  EXPECT_EQ(g.maximum, 1.0);
}

}  // namespace
}  // namespace coproduce::selection

namespace coproduce::selection {
namespace {

TEST(Select, StoppingEarlyStillGivesAValidLottery) {
  Pool pool = make_pool(6, true);
  SelectOptions o;
  o.seed = 4;
  int asked = 0;
  o.should_stop = [&asked] { return ++asked > 1; };
  auto out = run_selection(pool.problem, o);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_FALSE(out->leximin_complete);
  expect_valid_outcome(pool.problem, *out);
  SelectOptions full;
  full.seed = 4;
  auto best = run_selection(pool.problem, full);
  ASSERT_TRUE(best.ok());
  EXPECT_TRUE(best->leximin_complete);
  // The full run proves its minimum within its tolerance (1e-6 by default)
  // of the best any lottery can give; a stopped run cannot beat it by more.
  EXPECT_LE(out->fairness.minimum, best->fairness.minimum + 1e-6)
      << std::setprecision(12) << out->fairness.minimum << " " << best->fairness.minimum;
  EXPECT_LE(best->proven_gap, 1e-6);
}

}  // namespace
}  // namespace coproduce::selection
