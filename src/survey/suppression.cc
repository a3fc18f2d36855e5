#include "survey/suppression.h"

#include "report/format.h"

namespace coproduce::survey {

namespace {

// NHS England's method for statistics below national level: counts of 1 to 7
// are replaced by "*", all other counts are rounded to the nearest 5, and
// percentages are calculated from the rounded figures. Zero is shown as 0
// (it discloses nothing about an individual).
class NhsPolicy final : public SuppressionPolicy {
 public:
  std::string_view name() const override { return "nhs"; }
  std::string explanation() const override {
    return "Counts from 1 to 7 are shown as * and other counts are rounded to the nearest 5, following NHS "
           "England's method for figures below national level; percentages are worked out from the rounded counts.";
  }
  ShownCount count(long raw) const override {
    ShownCount out;
    if (raw >= 1 && raw <= 7) {
      out.suppressed = true;
      out.text = "*";
      return out;
    }
    // Nearest 5; counts are whole numbers, so no halves arise.
    const long rounded = (raw + 2) / 5 * 5;
    out.value = static_cast<double>(rounded);
    out.text = report::group_thousands(rounded);
    return out;
  }
};

class NoPolicy final : public SuppressionPolicy {
 public:
  std::string_view name() const override { return "none"; }
  std::string explanation() const override {
    return "No figures are suppressed or rounded: this output is for analysts allowed to see raw counts and must "
           "not be published as it is.";
  }
  ShownCount count(long raw) const override {
    ShownCount out;
    out.value = static_cast<double>(raw);
    out.text = report::group_thousands(raw);
    return out;
  }
};

}  // namespace

std::optional<double> SuppressionPolicy::share(long part, long whole) const {
  const ShownCount p = count(part);
  const ShownCount w = count(whole);
  if (p.suppressed || w.suppressed || w.value <= 0) return std::nullopt;
  return p.value / w.value;
}

StatusOr<std::unique_ptr<SuppressionPolicy>> make_suppression(std::string_view name) {
  if (name == "nhs") return std::unique_ptr<SuppressionPolicy>(std::make_unique<NhsPolicy>());
  if (name == "none") return std::unique_ptr<SuppressionPolicy>(std::make_unique<NoPolicy>());
  Location loc;
  loc.field = "--suppression";
  return InvalidInput("unknown suppression method '" + std::string(name) + "' (use nhs or none)", loc);
}

}  // namespace coproduce::survey
