#include "selection/face_search.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "selection/panel_oracle.h"
#include "selection/test_problems.h"
#include "selection/types.h"

namespace coproduce::selection {
namespace {

using testing::category;

// A small problem with three categories, so that faces are not all whole.
Problem random_problem(std::mt19937& rng, int n, int k, bool households) {
  Problem p;
  p.panel_size = k;
  p.categories.push_back(category("a", {{1, 2}, {1, 2}, {0, 2}}));
  p.categories.push_back(category("b", {{1, k - 1}, {1, k - 1}}));
  p.categories.push_back(category("c", {{1, 2}, {0, 2}, {1, 3}}));
  std::uniform_int_distribution<int> a(0, 2), b(0, 1), c(0, 2), h(0, n / 2);
  for (int i = 0; i < n; ++i) {
    Person person;
    person.values = {a(rng), b(rng), c(rng)};
    if (households) person.household = h(rng);
    p.people.push_back(person);
  }
  p.household_rule = households;
  return p;
}

// Every valid panel of counts per type, by enumeration.
std::vector<TypePanel> all_type_panels(const TypeModel& types, PanelOracle& oracle) {
  std::vector<TypePanel> out;
  TypePanel current(static_cast<size_t>(types.size()), 0);
  std::function<void(int)> rec = [&](int t) {
    if (t == types.size()) {
      if (oracle.valid(current)) out.push_back(current);
      return;
    }
    for (int n = types.lower[static_cast<size_t>(t)]; n <= types.upper[static_cast<size_t>(t)]; ++n) {
      current[static_cast<size_t>(t)] = n;
      rec(t + 1);
    }
    current[static_cast<size_t>(t)] = 0;
  };
  rec(0);
  return out;
}

bool on_face(const TypePanel& panel, const PanelOracle::Face& face, const std::vector<PanelRow>& rows) {
  for (size_t t = 0; t < panel.size(); ++t) {
    if (panel[t] < face.type_lo[t] || panel[t] > face.type_hi[t]) return false;
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    int n = 0;
    for (int t : rows[r].types) n += panel[static_cast<size_t>(t)];
    if (n < face.row_lo[r] || n > face.row_hi[r]) return false;
  }
  return true;
}

// On random problems and weights: the search finds a whole panel on the
// relaxation's optimal face exactly when enumeration says one exists, and
// then it is a best panel of all.
TEST(FaceSearch, FindsAWholePanelOnTheOptimalFaceWhenOneExists) {
  std::mt19937 rng(11);
  int with_panel = 0;
  for (int round = 0; round < 60; ++round) {
    const Problem problem = random_problem(rng, 10, 5, round % 4 == 0);
    const TypeModel types = group_types(problem);
    PanelOracle oracle(problem, types);
    const std::vector<TypePanel> every = all_type_panels(types, oracle);
    if (every.empty()) continue;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> weight(static_cast<size_t>(types.size()));
    for (double& w : weight) w = u(rng);
    PanelOracle::Face face;
    ASSERT_TRUE(oracle.optimal_face(weight, &face));
    FaceSearch search(problem, types);
    bool exists = false;
    double best = -1.0;
    for (const TypePanel& p : every) {
      exists = exists || on_face(p, face, search.rows());
      double v = 0.0;
      for (size_t t = 0; t < p.size(); ++t) v += weight[t] * p[t];
      best = std::max(best, v);
    }
    TypePanel found;
    long nodes = 0;
    const bool ok = search.find(face, weight, 1000000, &found, &nodes);
    ASSERT_EQ(ok, exists) << "round " << round;
    if (!ok) continue;
    ++with_panel;
    EXPECT_TRUE(oracle.valid(found)) << "round " << round;
    EXPECT_TRUE(on_face(found, face, search.rows())) << "round " << round;
    double v = 0.0;
    for (size_t t = 0; t < found.size(); ++t) v += weight[t] * found[t];
    EXPECT_NEAR(v, best, 1e-9) << "round " << round;
  }
  EXPECT_GT(with_panel, 10);
}

// On random bounds (narrowed at random within the rules), the search is
// complete: it finds a panel exactly when enumeration finds one, and what
// it finds keeps every bound.
TEST(FaceSearch, FindsAPanelWithinAnyBoundsExactlyWhenOneExists) {
  std::mt19937 rng(12);
  int with_panel = 0;
  int without_panel = 0;
  for (int round = 0; round < 200; ++round) {
    const Problem problem = random_problem(rng, 9, 4, round % 3 == 0);
    const TypeModel types = group_types(problem);
    PanelOracle oracle(problem, types);
    FaceSearch search(problem, types);
    PanelOracle::Face face;
    std::uniform_int_distribution<int> coin(0, 3);
    for (int t = 0; t < types.size(); ++t) {
      int lo = types.lower[static_cast<size_t>(t)];
      int hi = types.upper[static_cast<size_t>(t)];
      if (coin(rng) == 0 && hi > lo) (coin(rng) < 2 ? hi : lo) = coin(rng) < 2 ? lo : hi;
      face.type_lo.push_back(lo);
      face.type_hi.push_back(hi);
    }
    for (const PanelRow& row : search.rows()) {
      int lo = row.lo;
      int hi = row.hi;
      if (coin(rng) == 0 && hi > lo) (coin(rng) < 2 ? hi : lo) = coin(rng) < 2 ? lo : hi;
      face.row_lo.push_back(lo);
      face.row_hi.push_back(hi);
    }
    bool exists = false;
    for (const TypePanel& p : all_type_panels(types, oracle)) exists = exists || on_face(p, face, search.rows());
    std::vector<double> prefer(static_cast<size_t>(types.size()));
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (double& x : prefer) x = u(rng);
    TypePanel found;
    long nodes = 0;
    const bool ok = search.find(face, prefer, 1000000, &found, &nodes);
    ASSERT_EQ(ok, exists) << "round " << round;
    if (ok) {
      ++with_panel;
      EXPECT_TRUE(oracle.valid(found)) << "round " << round;
      EXPECT_TRUE(on_face(found, face, search.rows())) << "round " << round;
    } else {
      ++without_panel;
    }
  }
  // Both answers came up, so the test checks both.
  EXPECT_GT(with_panel, 20);
  EXPECT_GT(without_panel, 20);
}

// Three people, one of each value, one seat: each draw takes whoever wins
// an exponential race, so each comes up in proportion to their rate.
TEST(FaceSearch, DrawsComeUpInProportionToTheirRates) {
  Problem problem;
  problem.panel_size = 1;
  problem.categories.push_back(category("a", {{0, 1}, {0, 1}, {0, 1}}));
  for (int v = 0; v < 3; ++v) {
    Person person;
    person.values = {v};
    problem.people.push_back(person);
  }
  const TypeModel types = group_types(problem);
  ASSERT_EQ(types.size(), 3);
  PanelOracle oracle(problem, types);
  PanelOracle::Face whole;
  whole.type_lo = types.lower;
  whole.type_hi = types.upper;
  FaceSearch search(problem, types);
  for (const PanelRow& row : search.rows()) {
    whole.row_lo.push_back(row.lo);
    whole.row_hi.push_back(row.hi);
  }
  const double by_value[] = {0.6, 0.3, 0.1};
  std::vector<double> rate(3);
  for (int t = 0; t < 3; ++t) rate[static_cast<size_t>(t)] = by_value[types.values[static_cast<size_t>(t)][0]];
  std::mt19937_64 random(5);
  const std::vector<TypePanel> drawn = sample_face(search, whole, rate, 4000, random);
  ASSERT_EQ(drawn.size(), 4000u);
  std::vector<int> count(3, 0);
  for (const TypePanel& p : drawn) {
    ASSERT_TRUE(oracle.valid(p));
    for (int t = 0; t < 3; ++t) count[static_cast<size_t>(t)] += p[static_cast<size_t>(t)];
  }
  for (int t = 0; t < 3; ++t) {
    EXPECT_NEAR(count[static_cast<size_t>(t)] / 4000.0, rate[static_cast<size_t>(t)], 0.03) << "type " << t;
  }
  // The same generator state gives the same panels, on one thread or more.
  std::mt19937_64 again(5);
  EXPECT_EQ(sample_face(search, whole, rate, 4000, again), drawn);
  std::mt19937_64 threaded(5);
  EXPECT_EQ(sample_face(search, whole, rate, 4000, threaded, 5000, 3), drawn);
}

}  // namespace
}  // namespace coproduce::selection
