#include "selection/leximin.h"

#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <cmath>
#include <random>

#include "selection/model.h"
#include "selection/nash.h"
#include "selection/test_problems.h"
#include "selection/types.h"

namespace coproduce::selection {
namespace {

// Every valid panel of a small problem, by enumeration.
std::vector<Panel> all_panels(const Problem& problem) {
  std::vector<Panel> out;
  Panel current;
  const int n = static_cast<int>(problem.people.size());
  std::function<void(int)> rec = [&](int next) {
    if (static_cast<int>(current.size()) == problem.panel_size) {
      if (check_panel(problem, current).empty()) out.push_back(current);
      return;
    }
    if (n - next < problem.panel_size - static_cast<int>(current.size())) return;
    current.push_back(next);
    rec(next + 1);
    current.pop_back();
    rec(next + 1);
  };
  rec(0);
  return out;
}

// LEXIMIN by the textbook method over an explicit list of panels: maximise
// the lowest free probability; then every free person who cannot rise above
// it (checked by one LP each) is fixed. Independent of the engine's duals.
std::vector<double> brute_leximin(const Problem& problem) {
  const std::vector<Panel> panels = all_panels(problem);
  const int n = static_cast<int>(problem.people.size());
  const int P = static_cast<int>(panels.size());
  std::vector<double> fixed_level(static_cast<size_t>(n), -1.0);
  // LP: columns x_0..x_{P-1}, z. Rows: person rows, convexity.
  auto solve = [&](int maximise_person, double z_floor, double* out_z) {
    // maximise_person < 0: maximise z with free rows >= z.
    // otherwise: maximise p_i with free rows >= z_floor.
    CoinPackedMatrix m(true, 0, 0);
    m.setDimensions(n + 1, 0);
    std::vector<double> lo, hi, obj;
    for (int j = 0; j < P; ++j) {
      CoinPackedVector col;
      for (int member : panels[static_cast<size_t>(j)]) col.insert(member, 1.0);
      col.insert(n, 1.0);
      m.appendCol(col);
      lo.push_back(0);
      hi.push_back(COIN_DBL_MAX);
      obj.push_back(0);
    }
    CoinPackedVector zc;
    std::vector<double> rlo(static_cast<size_t>(n + 1), 0.0), rhi(static_cast<size_t>(n + 1), COIN_DBL_MAX);
    for (int i = 0; i < n; ++i) {
      if (fixed_level[static_cast<size_t>(i)] >= 0) {
        rlo[static_cast<size_t>(i)] = fixed_level[static_cast<size_t>(i)] - 1e-9;
      } else if (maximise_person < 0) {
        zc.insert(i, -1.0);
      } else {
        rlo[static_cast<size_t>(i)] = z_floor - 1e-9;
      }
    }
    rlo[static_cast<size_t>(n)] = rhi[static_cast<size_t>(n)] = 1.0;
    m.appendCol(zc);
    lo.push_back(0);
    hi.push_back(1);
    obj.push_back(maximise_person < 0 ? -1.0 : 0.0);
    if (maximise_person >= 0) {
      for (int j = 0; j < P; ++j) {
        const auto& pan = panels[static_cast<size_t>(j)];
        if (std::find(pan.begin(), pan.end(), maximise_person) != pan.end()) obj[static_cast<size_t>(j)] = -1.0;
      }
    }
    ClpSimplex lp;
    lp.setLogLevel(0);
    lp.loadProblem(m, lo.data(), hi.data(), obj.data(), rlo.data(), rhi.data());
    lp.initialSolve();
    EXPECT_EQ(lp.status(), 0);
    *out_z = -lp.objectiveValue();
  };
  while (std::count(fixed_level.begin(), fixed_level.end(), -1.0) > 0) {
    double z = 0;
    solve(-1, 0, &z);
    int fixed_now = 0;
    for (int i = 0; i < n; ++i) {
      if (fixed_level[static_cast<size_t>(i)] >= 0) continue;
      double best = 0;
      solve(i, z, &best);
      if (best <= z + 1e-7) {
        fixed_level[static_cast<size_t>(i)] = z;
        ++fixed_now;
      }
    }
    EXPECT_GT(fixed_now, 0);
    if (fixed_now == 0) break;
  }
  return fixed_level;
}

using testing::category;

// A random small problem: n people, 2 categories, panel size k.
Problem random_problem(std::mt19937& rng, int n, int k, bool households) {
  Problem p;
  p.panel_size = k;
  p.categories.push_back(category("a", {{1, k}, {1, k}, {0, k}}));
  p.categories.push_back(category("b", {{1, k - 1}, {1, k - 1}}));
  std::uniform_int_distribution<int> a(0, 2), b(0, 1), h(0, n / 2);
  for (int i = 0; i < n; ++i) {
    Person person;
    person.values = {a(rng), b(rng)};
    if (households) person.household = h(rng);
    p.people.push_back(person);
  }
  p.household_rule = households;
  return p;
}

// Every panel of `d`, named person by person, meets the rules.
void expect_valid_panels(const Problem& problem, const TypeModel& types, const TypeDistribution& d) {
  for (const auto& type_panel : d.panels) {
    Panel panel;
    for (size_t t = 0; t < type_panel.size(); ++t) {
      for (int j = 0; j < type_panel[t]; ++j) panel.push_back(types.members[t][static_cast<size_t>(j)]);
    }
    std::sort(panel.begin(), panel.end());
    EXPECT_EQ(check_panel(problem, panel), "");
  }
}

// Returns false when the problem had no valid panel (and the engine agreed).
// Checks the engine both ways: the relaxation first, and column generation
// alone.
bool expect_matches_brute_force(const Problem& problem, bool relaxation_first) {
  TypeModel types = group_types(problem);
  LeximinOptions options;
  options.relaxation_first = relaxation_first;
  auto result = leximin(problem, types, options);
  auto panels = all_panels(problem);
  if (panels.empty()) {
    EXPECT_FALSE(result.ok());
    return false;
  }
  if (!result.ok()) {
    ADD_FAILURE() << result.status().to_string();
    return true;
  }
  std::vector<double> got = person_probabilities(types, result->type_probability);
  std::vector<double> want = brute_leximin(problem);
  std::vector<double> got_sorted = got, want_sorted = want;
  std::sort(got_sorted.begin(), got_sorted.end());
  std::sort(want_sorted.begin(), want_sorted.end());
  for (size_t i = 0; i < got.size(); ++i) {
    // Settled levels may give up kFixSlack (1e-6) in later stages.
    EXPECT_NEAR(got_sorted[i], want_sorted[i], 1e-5) << "sorted position " << i;
  }
  double sum = 0;
  for (double x : got) sum += x;
  EXPECT_NEAR(sum, problem.panel_size, 1e-6);
  expect_valid_panels(problem, types, result->distribution);
  if (!relaxation_first) {
    EXPECT_FALSE(result->by_relaxation);
  }
  return true;
}

bool expect_matches_brute_force(const Problem& problem) {
  SCOPED_TRACE("column generation alone");
  expect_matches_brute_force(problem, false);
  SCOPED_TRACE("the relaxation first");
  return expect_matches_brute_force(problem, true);
}

TEST(Leximin, MatchesBruteForceOnRandomSmallPools) {
  std::mt19937 rng(7);
  int feasible = 0;
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(round);
    const Problem problem = random_problem(rng, 9, 4, false);
    if (!expect_matches_brute_force(problem)) continue;
    ++feasible;
    // With two categories and no households, every corner of the
    // fractional panels is whole (the rules form a network matrix), so the
    // relaxation's LEXIMIN is always within reach: the run must end there.
    const TypeModel types = group_types(problem);
    auto result = leximin(problem, types);
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result->by_relaxation);
  }
  EXPECT_GE(feasible, 8);
}

TEST(Leximin, MatchesBruteForceWithHouseholds) {
  std::mt19937 rng(11);
  int feasible = 0;
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(round);
    feasible += expect_matches_brute_force(random_problem(rng, 9, 3, true));
  }
  EXPECT_GE(feasible, 8);
}

TEST(Leximin, AlreadySelectedAreAlwaysOnThePanel) {
  std::mt19937 rng(3);
  Problem p = random_problem(rng, 10, 4, false);
  p.people[2].already_selected = true;
  p.people[5].already_selected = true;
  TypeModel types = group_types(p);
  auto result = leximin(p, types);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  auto prob = person_probabilities(types, result->type_probability);
  EXPECT_DOUBLE_EQ(prob[2], 1.0);
  EXPECT_DOUBLE_EQ(prob[5], 1.0);
  expect_matches_brute_force(p);
}

TEST(Leximin, InfeasibleQuotasFail) {
  Problem p;
  p.panel_size = 2;
  p.categories.push_back(category("a", {{2, 2}, {1, 2}}));
  for (int i = 0; i < 4; ++i) p.people.push_back(Person{{i % 2}, -1, false});
  TypeModel types = group_types(p);
  auto result = leximin(p, types);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidInput);
}

// Every person's panels, and the product of probabilities at its best by
// many multiplicative updates over the explicit list of all valid panels
// (independent of the engine's column generation and its bounds). People
// no panel holds are left out, as the engine leaves them out.
double brute_mean_log_welfare(const Problem& problem) {
  const std::vector<Panel> panels = all_panels(problem);
  const size_t n = problem.people.size();
  std::vector<bool> held(n, false);
  for (const auto& panel : panels) {
    for (int i : panel) held[static_cast<size_t>(i)] = true;
  }
  std::vector<double> x(panels.size(), 1.0 / static_cast<double>(panels.size()));
  double people = 0;
  for (size_t i = 0; i < n; ++i) people += held[i] ? 1 : 0;
  std::vector<double> p(n);
  auto refresh = [&] {
    std::fill(p.begin(), p.end(), 0.0);
    for (size_t j = 0; j < panels.size(); ++j) {
      for (int i : panels[j]) p[static_cast<size_t>(i)] += x[j];
    }
  };
  for (int k = 0; k < 20000; ++k) {
    refresh();
    for (size_t j = 0; j < panels.size(); ++j) {
      double g = 0;
      for (int i : panels[j]) g += 1.0 / p[static_cast<size_t>(i)];
      x[j] *= g / people;
    }
  }
  refresh();
  double v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (held[i]) v += std::log(p[i]);
  }
  return v / people;
}

TEST(Maximin, RaisesTheLowestProbabilityAsFarAsBruteForceAndProvesIt) {
  std::mt19937 rng(19);
  int checked = 0;
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(round);
    Problem problem = random_problem(rng, 9, 4, round % 3 == 0);
    if (all_panels(problem).empty()) continue;
    TypeModel types = group_types(problem);
    LeximinOptions options;
    options.first_level_only = true;
    auto result = leximin(problem, types, options);
    ASSERT_TRUE(result.ok()) << result.status().to_string();
    std::vector<double> want = brute_leximin(problem);
    std::vector<double> got = person_probabilities(types, result->type_probability);
    EXPECT_NEAR(*std::min_element(got.begin(), got.end()), *std::min_element(want.begin(), want.end()), 1e-5);
    EXPECT_LE(result->proven_gap, 1e-5);
    EXPECT_EQ(result->stages, 1);
    expect_valid_panels(problem, types, result->distribution);
    ++checked;
  }
  EXPECT_GE(checked, 8);
}

TEST(Leximin, ProvesTheMinimumWithinTheTolerance) {
  std::mt19937 rng(23);
  Problem problem = random_problem(rng, 10, 4, false);
  ASSERT_FALSE(all_panels(problem).empty());
  TypeModel types = group_types(problem);
  auto result = leximin(problem, types);
  ASSERT_TRUE(result.ok());
  std::vector<double> want = brute_leximin(problem);
  // The bound is above the true minimum and the gap is what is left.
  EXPECT_GE(result->minimum_bound, *std::min_element(want.begin(), want.end()) - 1e-7);
  EXPECT_LE(result->proven_gap, 1e-5);
}

// A pool with more distinct types than the brute-force ones: 3 categories
// of 3 values, 120 people, panel of 12.
Problem wider_problem(std::mt19937& rng) {
  Problem p;
  p.panel_size = 12;
  p.categories.push_back(category("a", {{2, 6}, {2, 6}, {1, 5}}));
  p.categories.push_back(category("b", {{3, 7}, {2, 6}, {1, 4}}));
  p.categories.push_back(category("c", {{1, 6}, {3, 8}, {1, 5}}));
  std::discrete_distribution<int> skew({5, 3, 2});
  for (int i = 0; i < 120; ++i) {
    Person person;
    person.values = {skew(rng), skew(rng), skew(rng)};
    p.people.push_back(person);
  }
  return p;
}

// Two runs that must agree: both succeed, with the same panels and weights.
void expect_same_lottery(const StatusOr<LeximinResult>& a, const StatusOr<LeximinResult>& b) {
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_EQ(a->panels_generated, b->panels_generated);
  EXPECT_EQ(a->distribution.panels, b->distribution.panels);
  EXPECT_EQ(a->distribution.weights, b->distribution.weights);
}

TEST(Selection, TheLotteryDoesNotDependOnTheThreads) {
  std::mt19937 rng(31);
  const Problem problem = wider_problem(rng);
  const TypeModel types = group_types(problem);
  for (bool relaxation_first : {true, false}) {
    SCOPED_TRACE(relaxation_first ? "the relaxation first" : "column generation alone");
    LeximinOptions leximin_one, leximin_three;
    leximin_one.threads = 1;
    leximin_three.threads = 3;
    leximin_one.relaxation_first = leximin_three.relaxation_first = relaxation_first;
    auto a = leximin(problem, types, leximin_one);
    auto b = leximin(problem, types, leximin_three);
    expect_same_lottery(a, b);
    // Panels were drawn from the relaxation's face, on three threads in b.
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_GT(a->face_panels, 0);
    EXPECT_EQ(a->face_panels, b->face_panels);
    EXPECT_EQ(a->by_relaxation, relaxation_first);
    expect_valid_panels(problem, types, b->distribution);
  }

  NashOptions nash_one, nash_three;
  nash_one.tolerance = nash_three.tolerance = 1e-4;
  nash_one.threads = 1;
  nash_three.threads = 3;
  expect_same_lottery(nash_welfare(problem, types, nash_one), nash_welfare(problem, types, nash_three));
}

// On a pool wider than brute force can check, the ways agree: the lottery
// that reaches the relaxation's LEXIMIN, its drawn panels weighed by the
// simplex or by the interior point method, and column generation proving
// each level with integer programs.
TEST(Leximin, TheRelaxationAndColumnGenerationAgree) {
  std::mt19937 rng(37);
  const Problem problem = wider_problem(rng);
  const TypeModel types = group_types(problem);
  LeximinOptions simplex, interior, generated;
  simplex.tolerance = interior.tolerance = generated.tolerance = 1e-6;
  interior.most_simplex_rows = 0;
  generated.relaxation_first = false;
  auto b = leximin(problem, types, generated);
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_FALSE(b->by_relaxation);
  std::vector<double> pb = person_probabilities(types, b->type_probability);
  std::sort(pb.begin(), pb.end());
  for (const LeximinOptions& options : {simplex, interior}) {
    SCOPED_TRACE(options.most_simplex_rows == 0 ? "interior point" : "simplex");
    auto a = leximin(problem, types, options);
    ASSERT_TRUE(a.ok()) << a.status().to_string();
    EXPECT_TRUE(a->by_relaxation);
    std::vector<double> pa = person_probabilities(types, a->type_probability);
    std::sort(pa.begin(), pa.end());
    // The smallest chance is proven within the tolerance; the others are
    // close (the interior point method stops once within the tolerance).
    EXPECT_LE(pb[0] - pa[0], 1e-6);
    for (size_t i = 0; i < pa.size(); ++i) EXPECT_NEAR(pa[i], pb[i], 1e-5) << "sorted position " << i;
    EXPECT_LE(a->proven_gap, 1e-6);
    expect_valid_panels(problem, types, a->distribution);
  }
}

// Three yes-or-no questions, one "yes" to each on a panel of two: only
// opposite answers can sit together. With answers of even parity, and one
// person answering yes to all, the only valid panel is that person with
// the one answering no to all; fractional panels still give everyone a
// share. The relaxation's LEXIMIN is out of reach, so the engine must fall
// back to column generation and still find the true LEXIMIN.
TEST(Leximin, FallsBackWhenNoLotteryReachesTheRelaxation) {
  Problem p;
  p.panel_size = 2;
  for (const char* name : {"a", "b", "c"}) p.categories.push_back(category(name, {{1, 1}, {1, 1}}));
  for (const std::vector<int>& answers : std::vector<std::vector<int>>{
           {0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}, {1, 1, 1}, {0, 0, 0}, {0, 1, 1}}) {
    Person person;
    person.values = answers;
    p.people.push_back(person);
  }
  TypeModel types = group_types(p);
  auto result = leximin(p, types);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_FALSE(result->by_relaxation);
  expect_matches_brute_force(p);
  const std::vector<double> got = person_probabilities(types, result->type_probability);
  EXPECT_NEAR(got[4], 1.0, 1e-6);  // yes to all: on the only panel there is
  EXPECT_NEAR(got[1], 0.0, 1e-9);  // on no panel

  // The same when the interior point method weighs the draws.
  LeximinOptions interior;
  interior.most_simplex_rows = 0;
  auto again = leximin(p, types, interior);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_FALSE(again->by_relaxation);
  EXPECT_EQ(person_probabilities(types, again->type_probability).size(), got.size());
  EXPECT_NEAR(person_probabilities(types, again->type_probability)[4], 1.0, 1e-6);
}

TEST(Nash, ReachesTheBestProductOfProbabilitiesOnSmallPools) {
  std::mt19937 rng(29);
  int checked = 0;
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE(round);
    Problem problem = random_problem(rng, 9, 4, round % 3 == 1);
    if (all_panels(problem).empty()) continue;
    TypeModel types = group_types(problem);
    auto result = nash_welfare(problem, types);
    ASSERT_TRUE(result.ok()) << result.status().to_string();
    std::vector<double> got = person_probabilities(types, result->type_probability);
    double sum = 0;
    double logs = 0;
    double people = 0;
    for (double q : got) {
      sum += q;
      if (q > 0) {
        logs += std::log(q);
        people += 1;
      }
    }
    EXPECT_NEAR(sum, problem.panel_size, 1e-6);
    const double want = brute_mean_log_welfare(problem);
    EXPECT_NEAR(logs / people, want, 1e-4);
    EXPECT_LE(result->proven_gap, 1e-6);
    expect_valid_panels(problem, types, result->distribution);
    ++checked;
  }
  EXPECT_GE(checked, 6);
}

TEST(Nash, GivesEveryoneAChanceWhereLeximinWould) {
  // Two values with quotas 1..1 and 1..2 of 3: Nash and LEXIMIN both give
  // every person a positive probability; the sum is the panel size.
  Problem p;
  p.panel_size = 2;
  p.categories.push_back(category("a", {{1, 1}, {1, 2}}));
  for (int i = 0; i < 5; ++i) p.people.push_back(Person{{i < 2 ? 0 : 1}, -1, false});
  TypeModel types = group_types(p);
  auto result = nash_welfare(p, types);
  ASSERT_TRUE(result.ok());
  std::vector<double> got = person_probabilities(types, result->type_probability);
  // One seat for the two of value 0 and one for the three of value 1.
  EXPECT_NEAR(got[0], 0.5, 1e-6);
  EXPECT_NEAR(got[2], 1.0 / 3, 1e-6);
}

TEST(Types, IdenticalPeopleShareAType) {
  Problem p;
  p.panel_size = 1;
  p.categories.push_back(category("a", {{0, 1}, {0, 1}}));
  p.people = {Person{{0}, 1, false}, Person{{0}, 2, false}, Person{{1}, 1, false}, Person{{0}, 3, false}};
  TypeModel off = group_types(p);
  EXPECT_EQ(off.size(), 2);
  p.household_rule = true;
  TypeModel on = group_types(p);
  // Household 1 is shared, so persons 0 and 2 get their own types; 1 and 3 live alone and group.
  EXPECT_EQ(on.size(), 3);
  EXPECT_EQ(on.type_of[1], on.type_of[3]);
  ASSERT_EQ(on.household_groups.size(), 1u);
}

}  // namespace
}  // namespace coproduce::selection
