#include "survey/publish.h"

namespace coproduce::survey {
namespace {

bool is_none(const SuppressionPolicy& policy) { return policy.name() == "none"; }

}  // namespace

Shown publish(const SuppressionPolicy& policy, long count, long base, double proportion, const Interval& interval,
              bool weighted) {
  Shown s;
  s.count = policy.count(count);
  const ShownCount b = policy.count(base);
  if (s.count.suppressed || b.suppressed || b.value <= 0) return s;
  if (weighted || is_none(policy)) {
    s.proportion = proportion;
    s.interval = interval;
  } else {
    s.proportion = s.count.value / b.value;
    s.interval = wilson_interval(s.count.value, b.value);
  }
  return s;
}

std::optional<double> publish_completion_rate(const Analysis& a, const SuppressionPolicy& policy) {
  if (is_none(policy)) return a.completion_rate;
  return policy.share(a.completes, a.starts);
}

std::optional<double> publish_column_share(const SuppressionPolicy& policy, const CrossTable& table, size_t row,
                                           size_t col, bool weighted) {
  long col_total = 0;
  double weighted_total = 0;
  for (size_t r = 0; r < table.counts.size(); ++r) {
    col_total += table.counts[r][col];
    weighted_total += table.weighted[r][col];
  }
  std::optional<double> share = policy.share(table.counts[row][col], col_total);
  if (share && (weighted || is_none(policy))) {
    share = weighted_total > 0 ? table.weighted[row][col] / weighted_total : 0;
  }
  return share;
}

}  // namespace coproduce::survey
