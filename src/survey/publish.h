// What a published figure shows once small-number suppression is applied:
// the one place that decides, shared by every output (JSON, CSV, HTML, XLSX)
// so a figure hidden in one cannot be read off another.
#ifndef COPRODUCE_SURVEY_PUBLISH_H_
#define COPRODUCE_SURVEY_PUBLISH_H_

#include <cstddef>
#include <optional>

#include "survey/analysis.h"
#include "survey/statistics.h"
#include "survey/suppression.h"

namespace coproduce::survey {

// One cell of a published table: the shown count, and the proportion and
// interval worked out from shown figures (nullopt: hidden).
struct Shown {
  ShownCount count;
  std::optional<double> proportion;
  std::optional<Interval> interval;
};

// Publishes `count` of `base`. Unweighted: the proportion and interval come
// from the shown (rounded) figures. Weighted, or with no suppression: the
// analysis's own proportion and interval are kept, but hidden whenever the
// count or base is suppressed.
Shown publish(const SuppressionPolicy& policy, long count, long base, double proportion, const Interval& interval,
              bool weighted);

// Completes over starts as published; nullopt when hidden.
std::optional<double> publish_completion_rate(const Analysis& a, const SuppressionPolicy& policy);

// The share of column `col` that row `row` of a cross-table holds, as
// published (a column percentage); nullopt when hidden.
std::optional<double> publish_column_share(const SuppressionPolicy& policy, const CrossTable& table, size_t row,
                                           size_t col, bool weighted);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_PUBLISH_H_
