// The statistics behind the survey analysis: Wilson score intervals,
// Pearson's chi-square test, Fisher's exact test for 2x2 tables, Holm's
// adjustment and Kish's design effect. Pure functions, thread-safe.
#ifndef COPRODUCE_SURVEY_STATISTICS_H_
#define COPRODUCE_SURVEY_STATISTICS_H_

#include <cstddef>
#include <optional>
#include <vector>

namespace coproduce::survey {

struct Interval {
  double lower = 0;
  double upper = 0;
};

// The 95% Wilson score interval for `successes` out of `n` (which may be
// non-integer effective counts when the data are weighted). n must be > 0.
// 432 of 600 gives [0.68276, 0.75444]; 0 of 10 gives [0, 0.27753].
Interval wilson_interval(double successes, double n, double confidence = 0.95);

// Pearson's chi-square test of independence on a table of counts, rows by
// columns, without continuity correction. Rows and columns whose total is zero
// are left out (they carry no information) before the degrees of freedom are
// counted. When fewer than two rows or columns remain there is no test.
struct ChiSquare {
  double statistic = 0;
  int df = 0;
  double p_value = 1;
  int small_expected = 0;   // cells (of those kept) with an expected count below 5
  int cells = 0;            // cells kept
};
std::optional<ChiSquare> chi_square_test(const std::vector<std::vector<double>>& table);

// The two-sided p-value of Fisher's exact test for the 2x2 table
// [[a, b], [c, d]]: the probability, with the margins fixed, of a table at
// most as likely as the one observed.
double fisher_exact_2x2(long a, long b, long c, long d);

// Holm's step-down adjustment of p-values for multiple tests (same order as
// given; each adjusted value is at most 1 and never below an earlier-ranked one).
std::vector<double> holm_adjust(const std::vector<double>& p);

// Kish's design effect of a set of weights: n * sum(w^2) / sum(w)^2, and the
// effective sample size sum(w)^2 / sum(w^2).
struct DesignEffect {
  double deff = 1;
  double effective_n = 0;
};
DesignEffect kish(const std::vector<double>& weights);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_STATISTICS_H_
