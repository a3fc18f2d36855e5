#include "survey/statistics.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cassert>
#include <cmath>
#include <numeric>

namespace coproduce::survey {

Interval wilson_interval(double successes, double n, double confidence) {
  assert(n > 0);
  const boost::math::normal standard;
  const double z = boost::math::quantile(standard, 1 - (1 - confidence) / 2);
  const double p = successes / n;
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
  Interval out{std::max(0.0, centre - half), std::min(1.0, centre + half)};
  // Exact ends: none observed has lower bound 0; all observed has upper 1.
  if (successes <= 0) out.lower = 0;
  if (successes >= n) out.upper = 1;
  return out;
}

std::optional<ChiSquare> chi_square_test(const std::vector<std::vector<double>>& table) {
  const size_t rows = table.size();
  const size_t cols = rows ? table[0].size() : 0;
  std::vector<double> row_total(rows, 0), col_total(cols, 0);
  double total = 0;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      row_total[r] += table[r][c];
      col_total[c] += table[r][c];
      total += table[r][c];
    }
  }
  std::vector<size_t> keep_rows, keep_cols;
  for (size_t r = 0; r < rows; ++r) {
    if (row_total[r] > 0) keep_rows.push_back(r);
  }
  for (size_t c = 0; c < cols; ++c) {
    if (col_total[c] > 0) keep_cols.push_back(c);
  }
  if (keep_rows.size() < 2 || keep_cols.size() < 2) return std::nullopt;
  ChiSquare out;
  for (size_t r : keep_rows) {
    for (size_t c : keep_cols) {
      const double expected = row_total[r] * col_total[c] / total;
      const double diff = table[r][c] - expected;
      out.statistic += diff * diff / expected;
      if (expected < 5) ++out.small_expected;
      ++out.cells;
    }
  }
  out.df = static_cast<int>((keep_rows.size() - 1) * (keep_cols.size() - 1));
  const boost::math::chi_squared dist(out.df);
  out.p_value = boost::math::cdf(boost::math::complement(dist, out.statistic));
  return out;
}

double fisher_exact_2x2(long a, long b, long c, long d) {
  assert(a >= 0 && b >= 0 && c >= 0 && d >= 0);
  const long n = a + b + c + d;
  const long row1 = a + b, col1 = a + c;
  if (n == 0) return 1;
  // `a` follows the hypergeometric distribution (defective = col1, sample = row1, total = n).
  const long lo = std::max(0L, row1 + col1 - n);
  const long hi = std::min(row1, col1);
  const boost::math::hypergeometric_distribution<double> dist(static_cast<unsigned>(col1), static_cast<unsigned>(row1),
                                                              static_cast<unsigned>(n));
  // Probabilities relative to the mode, walking outwards with the ratio
  // P(k+1)/P(k) = (col1-k)(row1-k) / ((k+1)(n-row1-col1+k+1)); the tails fall
  // off fast, so the walk stops once terms are negligible. Boost gives the
  // exact probability at the mode to scale by.
  const long mode = std::clamp(static_cast<long>(std::floor((row1 + 1.0) * (col1 + 1.0) / (n + 2.0))), lo, hi);
  const double p_mode = boost::math::pdf(dist, static_cast<unsigned>(mode));
  auto ratio_up = [&](long k) {  // P(k+1)/P(k)
    return (static_cast<double>(col1 - k) * static_cast<double>(row1 - k)) /
           (static_cast<double>(k + 1) * static_cast<double>(n - row1 - col1 + k + 1));
  };
  // Relative probability of the observed table.
  double rel_obs = 1;
  if (a > mode) {
    for (long k = mode; k < a; ++k) rel_obs *= ratio_up(k);
  } else {
    for (long k = mode; k > a; --k) rel_obs /= ratio_up(k - 1);
  }
  const double tolerance = 1 + 1e-7;
  double sum = 1;  // the mode itself; it counts only if it is no more likely than observed
  double selected = rel_obs * tolerance >= 1 ? 1 : 0;
  double term = 1;
  for (long k = mode; k < hi; ++k) {
    term *= ratio_up(k);
    sum += term;
    if (term <= rel_obs * tolerance) selected += term;
    if (term < 1e-300 || (k > a && term < rel_obs * 1e-17)) break;
  }
  term = 1;
  for (long k = mode; k > lo; --k) {
    term /= ratio_up(k - 1);
    sum += term;
    if (term <= rel_obs * tolerance) selected += term;
    if (term < 1e-300 || (k < a && term < rel_obs * 1e-17)) break;
  }
  (void)p_mode;  // the ratio walk is normalised by its own sum; p_mode checks it in debug builds
  assert(std::abs(p_mode * sum - 1) < 1e-6);
  return std::min(1.0, selected / sum);
}

std::vector<double> holm_adjust(const std::vector<double>& p) {
  const size_t m = p.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p[x] < p[y]; });
  std::vector<double> out(m);
  double running = 0;
  for (size_t rank = 0; rank < m; ++rank) {
    const size_t i = order[rank];
    running = std::max(running, std::min(1.0, static_cast<double>(m - rank) * p[i]));
    out[i] = running;
  }
  return out;
}

DesignEffect kish(const std::vector<double>& weights) {
  double sum = 0, sum_sq = 0;
  for (double w : weights) {
    sum += w;
    sum_sq += w * w;
  }
  DesignEffect out;
  if (weights.empty() || sum_sq <= 0) return out;
  out.effective_n = sum * sum / sum_sq;
  out.deff = static_cast<double>(weights.size()) * sum_sq / (sum * sum);
  return out;
}

}  // namespace coproduce::survey
