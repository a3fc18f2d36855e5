#include "core/text.h"

#include <gtest/gtest.h>

namespace coproduce {
namespace {

TEST(UkMobile, EveryUsualWayOfWritingOneGivesTheSameNumber) {
  for (const char* written : {"07700 900982", "07700900982", "+44 7700 900982", "+44 (0)7700-900982", "0044 7700 900982",
                              "447700900982", " 07700.900.982 "}) {
    EXPECT_EQ(normalise_uk_mobile(written), "+447700900982") << written;
  }
}

TEST(UkMobile, LandlinesNumbersAbroadAndNonsenseAreNotMobiles) {
  for (const char* written : {"01632 960001", "020 7946 0000", "+33 6 12 34 56 78", "0770090098", "077009009821",
                              "07700 9009 8x", "", "+", "7700900982", "0+7700900982"}) {
    EXPECT_EQ(normalise_uk_mobile(written), "") << written;
  }
}

}  // namespace
}  // namespace coproduce
