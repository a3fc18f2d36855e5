#include "survey/suppression.h"

#include <gtest/gtest.h>

namespace coproduce::survey {
namespace {

TEST(SurveySuppression, NhsHidesOneToSeven) {
  auto p = make_suppression("nhs");
  ASSERT_TRUE(p.ok());
  for (long n = 1; n <= 7; ++n) {
    EXPECT_TRUE((*p)->count(n).suppressed) << n;
    EXPECT_EQ((*p)->count(n).text, "*") << n;
  }
  EXPECT_FALSE((*p)->count(0).suppressed);
  EXPECT_EQ((*p)->count(0).text, "0");
}

TEST(SurveySuppression, NhsRoundsToTheNearestFive) {
  auto p = make_suppression("nhs");
  ASSERT_TRUE(p.ok());
  const std::pair<long, const char*> cases[] = {{8, "10"},   {10, "10"},   {12, "10"},  {13, "15"},
                                                 {17, "15"}, {18, "20"},   {102, "100"}, {1234567, "1,234,565"}};
  for (auto [raw, shown] : cases) EXPECT_EQ((*p)->count(raw).text, shown) << raw;
  EXPECT_EQ((*p)->count(13).value, 15);
}

TEST(SurveySuppression, NhsPercentagesComeFromRoundedFigures) {
  auto p = make_suppression("nhs");
  ASSERT_TRUE(p.ok());
  // 12 of 23 raw is 52.2%; published as 10 of 25 = 40%.
  ASSERT_TRUE((*p)->share(12, 23));
  EXPECT_DOUBLE_EQ(*(*p)->share(12, 23), 0.4);
  EXPECT_FALSE((*p)->share(5, 100));  // the part is hidden
  EXPECT_FALSE((*p)->share(0, 6));    // the whole is hidden
  EXPECT_DOUBLE_EQ(*(*p)->share(0, 40), 0.0);
}

TEST(SurveySuppression, NoneShowsRawFigures) {
  auto p = make_suppression("none");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->count(3).text, "3");
  EXPECT_DOUBLE_EQ(*(*p)->share(12, 23), 12.0 / 23);
}

TEST(SurveySuppression, UnknownMethodNamesTheOption) {
  auto p = make_suppression("ons");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().to_string(), "field --suppression: unknown suppression method 'ons' (use nhs or none)");
}

}  // namespace
}  // namespace coproduce::survey
