// Axes: the round scales values are drawn against, and how values and ticks
// are written in each unit.
#include "report/scale.h"

#include <gtest/gtest.h>

#include <vector>

namespace coproduce::report {
namespace {

TEST(NiceScale, RoundStepsThatHoldTheValues) {
  struct Case {
    double low, high;
    Unit unit;
    double min, max, step;
    std::vector<std::string> labels;
  };
  // clang-format off
  const Case cases[] = {
      {0, 12, Unit::kCount, 0, 15, 5, {"0", "5", "10", "15"}},
      // Nothing but 0 still has a height.
      {0, 0, Unit::kCount, 0, 5, 1, {"0", "1", "2", "3", "4", "5"}},
      // Counts go up in whole steps, however few there are.
      {0, 2, Unit::kCount, 0, 2, 1, {"0", "1", "2"}},
      {0, 0.72, Unit::kPercentage, 0, 0.8, 0.2, {"0%", "20%", "40%", "60%", "80%"}},
      {0, 0.02, Unit::kPercentage, 0, 0.02, 0.005, {"0.0%", "0.5%", "1.0%", "1.5%", "2.0%"}},
      // Either order; below 0 too.
      {530'000, -120'000, Unit::kMoney, -200'000, 600'000, 200'000, {"-£2,000", "£0", "£2,000", "£4,000", "£6,000"}},
      // Pence on every label once any needs them.
      {0, 250, Unit::kMoney, 0, 250, 50, {"£0.00", "£0.50", "£1.00", "£1.50", "£2.00", "£2.50"}},
      {0, 2.2, Unit::kScore, 0, 2.5, 0.5, {"0", "0.5", "1", "1.5", "2", "2.5"}},
      // One value: as if the scale ran to twice it.
      {7, 7, Unit::kScore, 6, 14, 2, {"6", "8", "10", "12", "14"}},
  };
  // clang-format on
  for (const Case& c : cases) {
    Scale s = nice_scale(c.low, c.high, c.unit);
    EXPECT_NEAR(s.min, c.min, 1e-9) << c.low << " to " << c.high;
    EXPECT_NEAR(s.max, c.max, 1e-9) << c.low << " to " << c.high;
    EXPECT_NEAR(s.step, c.step, 1e-9) << c.low << " to " << c.high;
    std::vector<std::string> labels;
    for (double t : s.ticks) labels.push_back(tick_label(t, s, c.unit));
    EXPECT_EQ(labels, c.labels) << c.low << " to " << c.high;
  }
}

TEST(NiceScale, FewerIntervalsGiveLargerSteps) {
  Scale s = nice_scale(-50'000, 250'000, Unit::kMoney, 4);
  EXPECT_EQ(s.step, 100'000);
  EXPECT_EQ(s.min, -100'000);
  EXPECT_EQ(s.max, 300'000);
  EXPECT_EQ(s.ticks.size(), 5u);
}

TEST(FormatValue, EachUnitAsATableWritesIt) {
  struct Case {
    double value;
    Unit unit;
    const char* text;
  };
  const Case cases[] = {
      {1234, Unit::kCount, "1,234"},        {2.5, Unit::kCount, "2.5"},
      {0.4245, Unit::kPercentage, "42.5%"}, {7.25, Unit::kScore, "7.25"},
      {7.5, Unit::kScore, "7.5"},           {7, Unit::kScore, "7"},
      {1250, Unit::kMoney, "£12.50"},       {-120'000.4, Unit::kMoney, "-£1,200"},
  };
  for (const Case& c : cases) EXPECT_EQ(format_value(c.value, c.unit), c.text) << c.value;
}

}  // namespace
}  // namespace coproduce::report
