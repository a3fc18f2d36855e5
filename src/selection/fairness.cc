#include "selection/fairness.h"

#include <algorithm>
#include <cmath>

namespace coproduce::selection {

Fairness fairness(const std::vector<double>& probability) {
  Fairness f;
  if (probability.empty()) return f;
  std::vector<double> p = probability;
  std::sort(p.begin(), p.end());
  const auto n = static_cast<double>(p.size());
  f.minimum = p.front();
  f.maximum = p.back();
  double sum = 0.0;
  double weighted = 0.0;
  double logs = 0.0;
  bool any_zero = false;
  for (size_t i = 0; i < p.size(); ++i) {
    sum += p[i];
    weighted += static_cast<double>(i + 1) * p[i];
    if (p[i] <= 0.0) {
      any_zero = true;
    } else {
      logs += std::log(p[i]);
    }
  }
  f.mean = sum / n;
  // Gini = sum_i sum_j |p_i - p_j| / (2 n^2 mean), computed on sorted values.
  f.gini = sum > 0.0 ? (2.0 * weighted) / (n * sum) - (n + 1.0) / n : 0.0;
  f.geometric_mean = any_zero ? 0.0 : std::exp(logs / n);
  return f;
}

}  // namespace coproduce::selection
