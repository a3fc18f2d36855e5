#include "selection/interior.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>

namespace coproduce::selection {
namespace {

TEST(InteriorWeights, ReachesATargetThePanelsAverageTo) {
  // Three panels of two over three rows; each row is in two of them.
  InteriorWeights w({2.0 / 3, 2.0 / 3, 2.0 / 3}, 1);
  w.add({0, 1}, {1.0, 1.0});
  w.add({1, 2}, {1.0, 1.0});
  w.add({2, 0}, {1.0, 1.0});
  ASSERT_TRUE(w.solve(1e-9, 100));
  EXPECT_LE(w.shortfall(), 1e-9);
  for (double a : w.achieved()) EXPECT_NEAR(a, 2.0 / 3, 1e-8);
  EXPECT_NEAR(std::accumulate(w.weights().begin(), w.weights().end(), 0.0), 1.0, 1e-12);
}

TEST(InteriorWeights, FindsTheOnlyWeightsThatReachTheTarget) {
  InteriorWeights w({0.25, 0.75}, 1);
  w.add({0}, {1.0});
  w.add({1}, {1.0});
  ASSERT_TRUE(w.solve(1e-9, 100));
  EXPECT_NEAR(w.weights()[0], 0.25, 1e-8);
  EXPECT_NEAR(w.weights()[1], 0.75, 1e-8);
}

TEST(InteriorWeights, FindsTheSmallestShortfallOfAnUnreachableTarget) {
  // Both rows want 0.6 from panels whose chances sum to one: the best
  // lottery gives each 0.5, short by 0.1, and both rows hold it up.
  InteriorWeights w({0.6, 0.6}, 1);
  w.add({0}, {1.0});
  w.add({1}, {1.0});
  ASSERT_TRUE(w.solve(1e-9, 100));
  EXPECT_NEAR(w.shortfall(), 0.1, 1e-7);
  EXPECT_GT(w.duals()[0], 0.0);
  EXPECT_GT(w.duals()[1], 0.0);
}

// `count` random panels of `size` members over `rows` rows, each member
// with a chance of one, and a target a little off their plain average (so
// that the weights must move to reach it): two rows `shift` apart.
struct RandomPanels {
  std::vector<std::vector<int>> panels;
  std::vector<double> target;

  RandomPanels(std::uint64_t seed, int rows, int count, size_t size, double shift)
      : target(static_cast<size_t>(rows), 0.0) {
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<int> row(0, rows - 1);
    for (int j = 0; j < count; ++j) {
      std::vector<int> members;
      while (members.size() < size) {
        const int r = row(random);
        if (std::find(members.begin(), members.end(), r) == members.end()) members.push_back(r);
      }
      for (int r : members) target[static_cast<size_t>(r)] += 1.0 / count;
      panels.push_back(members);
    }
    target[0] += shift;
    target[1] -= shift;
  }

  void add_to(InteriorWeights& w) const {
    for (const auto& p : panels) w.add(p, std::vector<double>(p.size(), 1.0));
  }
};

TEST(InteriorWeights, StopsOnceTheShortfallIsSmallEnough) {
  const RandomPanels draws(3, 100, 2000, 5, 0.002);
  InteriorWeights rough(draws.target, 1);
  InteriorWeights fine(draws.target, 2);
  draws.add_to(rough);
  draws.add_to(fine);
  ASSERT_TRUE(rough.solve(1e-3, 100));
  ASSERT_TRUE(fine.solve(1e-9, 100));
  EXPECT_LE(rough.shortfall(), 1e-3);
  EXPECT_LE(fine.shortfall(), 1e-9);
  EXPECT_LT(rough.steps(), fine.steps());
  EXPECT_NEAR(fine.achieved()[0], draws.target[0], 1e-8);
}

TEST(InteriorWeights, GivesTheSameWeightsOnAnyNumberOfThreads) {
  const RandomPanels draws(5, 200, 3000, 8, 0.003);
  InteriorWeights one(draws.target, 1);
  InteriorWeights two(draws.target, 2);
  draws.add_to(one);
  draws.add_to(two);
  ASSERT_TRUE(one.solve(1e-10, 100));
  ASSERT_TRUE(two.solve(1e-10, 100));
  EXPECT_GT(one.steps(), 0);
  EXPECT_EQ(one.weights(), two.weights());
}

}  // namespace
}  // namespace coproduce::selection
