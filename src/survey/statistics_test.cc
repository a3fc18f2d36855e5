#include "survey/statistics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace coproduce::survey {
namespace {

// The test vectors of issue 6.
TEST(SurveyStatistics, WilsonIntervalMatchesTheIssueVectors) {
  const Interval a = wilson_interval(432, 600);
  EXPECT_NEAR(a.lower, 0.68276, 5e-6);
  EXPECT_NEAR(a.upper, 0.75444, 5e-6);
  const Interval b = wilson_interval(0, 10);
  EXPECT_EQ(b.lower, 0.0);
  EXPECT_NEAR(b.upper, 0.27753, 5e-6);
}

TEST(SurveyStatistics, WilsonIntervalIsExactAtTheEnds) {
  const Interval all = wilson_interval(10, 10);
  EXPECT_EQ(all.upper, 1.0);
  EXPECT_NEAR(all.lower, 1 - 0.27753, 5e-6);  // mirror image of 0 of 10
  const Interval half = wilson_interval(1, 2);
  EXPECT_NEAR(half.lower + half.upper, 1.0, 1e-12);  // symmetric about 1/2
}

// Worked by hand: expected counts 12, 18, 28, 42; X^2 = 4/12 + 4/18 + 4/28 + 4/42.
// With df 1 the p-value is erfc(sqrt(X^2 / 2)).
TEST(SurveyStatistics, ChiSquareTwoByTwoByHand) {
  const auto t = chi_square_test({{10, 20}, {30, 40}});
  ASSERT_TRUE(t);
  const double x2 = 4.0 / 12 + 4.0 / 18 + 4.0 / 28 + 4.0 / 42;
  EXPECT_NEAR(t->statistic, x2, 1e-12);
  EXPECT_EQ(t->df, 1);
  EXPECT_NEAR(t->p_value, std::erfc(std::sqrt(x2 / 2)), 1e-12);
  EXPECT_EQ(t->small_expected, 0);
}

// With df 2 the chi-square tail is exp(-x/2), so the p-value is checkable by hand.
TEST(SurveyStatistics, ChiSquareTwoDegreesOfFreedom) {
  const auto t = chi_square_test({{20, 15, 5}, {10, 25, 25}});
  ASSERT_TRUE(t);
  EXPECT_NEAR(t->statistic, 15.798611111, 1e-8);
  EXPECT_EQ(t->df, 2);
  EXPECT_NEAR(t->p_value, std::exp(-t->statistic / 2), 1e-12);
}

TEST(SurveyStatistics, ChiSquareCountsSmallExpectedCellsAndDropsEmptyLines) {
  const auto t = chi_square_test({{3, 1}, {1, 3}, {0, 0}});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->df, 1);
  EXPECT_EQ(t->cells, 4);
  EXPECT_EQ(t->small_expected, 4);
  EXPECT_NEAR(t->statistic, 2.0, 1e-12);
  EXPECT_FALSE(chi_square_test({{5, 0}, {7, 0}}));  // one column has all the answers: no test
}

// Fisher's tea-tasting table: P = (1 + 16 + 16 + 1) / 70.
TEST(SurveyStatistics, FisherTeaTasting) {
  EXPECT_NEAR(fisher_exact_2x2(3, 1, 1, 3), 34.0 / 70, 1e-12);
}

// The dieting example on Wikipedia's "Fisher's exact test" page (R gives 0.002759).
TEST(SurveyStatistics, FisherKnownValues) {
  EXPECT_NEAR(fisher_exact_2x2(1, 9, 11, 3), 0.0027594561852, 1e-10);
  EXPECT_NEAR(fisher_exact_2x2(10, 20, 30, 40), 0.5044757698516, 1e-10);
  EXPECT_NEAR(fisher_exact_2x2(0, 5, 5, 0), 2.0 / 252, 1e-12);
  EXPECT_DOUBLE_EQ(fisher_exact_2x2(0, 0, 0, 0), 1.0);
}

TEST(SurveyStatistics, FisherOnLargeTablesIsQuickAndSane) {
  // 2x2 with a million people and no association: p is large, not 0 or NaN.
  const double p = fisher_exact_2x2(250000, 250000, 250000, 250000);
  EXPECT_NEAR(p, 1.0, 1e-9);
  const double q = fisher_exact_2x2(251000, 249000, 249000, 251000);
  EXPECT_GT(q, 0);
  EXPECT_LT(q, 0.01);
}

// Holm: sort 0.01, 0.04, 0.03 -> 3*0.01, max(2*0.03, .03), max(1*0.04, 0.06).
TEST(SurveyStatistics, HolmAdjustment) {
  const std::vector<double> adj = holm_adjust({0.01, 0.04, 0.03});
  ASSERT_EQ(adj.size(), 3u);
  EXPECT_NEAR(adj[0], 0.03, 1e-12);
  EXPECT_NEAR(adj[1], 0.06, 1e-12);
  EXPECT_NEAR(adj[2], 0.06, 1e-12);
  EXPECT_EQ(holm_adjust({0.5, 0.6})[1], 1.0);  // capped at 1
}

TEST(SurveyStatistics, KishDesignEffect) {
  const DesignEffect d = kish({2, 2.0 / 3, 2.0 / 3, 2.0 / 3});
  EXPECT_NEAR(d.deff, 4.0 / 3, 1e-12);
  EXPECT_NEAR(d.effective_n, 3, 1e-12);
  EXPECT_NEAR(kish({1, 1, 1}).deff, 1, 1e-12);
}

}  // namespace
}  // namespace coproduce::survey
