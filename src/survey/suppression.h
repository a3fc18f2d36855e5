// Small-number suppression: what a published table or chart may show.
//
// A policy turns a raw count into what is shown ("*" or a rounded number) and
// says how a percentage is worked out from shown figures. Every table, chart
// label and export goes through the same policy, so a figure hidden in a
// table cannot be read off a chart.
//
//   std::unique_ptr<SuppressionPolicy> p = make_suppression("nhs").value();
//   p->count(5).text   == "*"
//   p->count(12).text  == "10"
//   p->share(12, 98)   == 10.0 / 100   (from the rounded figures)
#ifndef COPRODUCE_SURVEY_SUPPRESSION_H_
#define COPRODUCE_SURVEY_SUPPRESSION_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace coproduce::survey {

// A count as published.
struct ShownCount {
  bool suppressed = false;
  double value = 0;     // the figure shown (rounded under nhs); 0 when suppressed
  std::string text;     // "*", "10", "1,235"
};

class SuppressionPolicy {
 public:
  virtual ~SuppressionPolicy() = default;
  // "nhs", "none".
  virtual std::string_view name() const = 0;
  // One sentence for the report explaining what was done.
  virtual std::string explanation() const = 0;
  // The shown form of a raw count (a whole number of responses).
  virtual ShownCount count(long raw) const = 0;
  // The proportion to publish for `part` of `whole` (raw counts), worked out
  // from the shown figures; nullopt when it must be hidden (either figure is
  // suppressed, or the shown whole is zero).
  std::optional<double> share(long part, long whole) const;
};

// "nhs" or "none"; InvalidInput naming the option otherwise.
StatusOr<std::unique_ptr<SuppressionPolicy>> make_suppression(std::string_view name);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_SUPPRESSION_H_
