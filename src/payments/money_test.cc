#include "payments/money.h"

#include <gtest/gtest.h>

namespace coproduce::payments {
namespace {

TEST(Money, ParsesWhatPeopleType) {
  EXPECT_EQ(parse_pounds("12"), 1200);
  EXPECT_EQ(parse_pounds("12.5"), 1250);
  EXPECT_EQ(parse_pounds("12.05"), 1205);
  EXPECT_EQ(parse_pounds(" \xC2\xA3" "1,234.56 "), 123456);
  EXPECT_EQ(parse_pounds(".50"), 50);
  EXPECT_EQ(parse_pounds("0"), 0);
  EXPECT_EQ(parse_pounds("100000"), kMaxPence);
}

TEST(Money, RejectsWhatIsNotAnAmount) {
  for (const char* bad : {"", " ", "-5", "12.345", "12.", "twelve", "1e3", "12.5p", "100000.01", "99999999", "£",
                          "1.2.3", "0x10"}) {
    EXPECT_FALSE(parse_pounds(bad).has_value()) << bad;
  }
}

TEST(Money, FormatsForPeopleAndFiles) {
  EXPECT_EQ(format_pounds(0), "\xC2\xA3" "0.00");
  EXPECT_EQ(format_pounds(5), "\xC2\xA3" "0.05");
  EXPECT_EQ(format_pounds(123456789), "\xC2\xA3" "1,234,567.89");
  EXPECT_EQ(format_pounds(-1250), "-\xC2\xA3" "12.50");
  EXPECT_EQ(plain_pounds(123456), "1234.56");
  EXPECT_EQ(plain_pounds(7), "0.07");
}

TEST(Money, ProRataRoundsToTheNearestPennyHalvesUp) {
  EXPECT_EQ(pro_rata(2500, 60), 2500);
  EXPECT_EQ(pro_rata(2500, 90), 3750);
  // £20.01 an hour for 50 minutes is 1667.5p: a half rounds up.
  EXPECT_EQ(pro_rata(2001, 50), 1668);
  // £20.00 for 1 minute is 33.33p.
  EXPECT_EQ(pro_rata(2000, 1), 33);
  // £20.00 for 2 minutes is 66.67p.
  EXPECT_EQ(pro_rata(2000, 2), 67);
  // The largest rate for a whole day stays exact.
  EXPECT_EQ(pro_rata(kMaxPence, 1440), kMaxPence * 24);
}

}  // namespace
}  // namespace coproduce::payments
