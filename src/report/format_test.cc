// The shared presentation helpers, against figures worked out by hand: the
// percentages, amounts and escapes every page, download and chart writes.
#include "report/format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace coproduce::report {
namespace {

TEST(FormatPercent, RoundedHalfAwayFromZeroOnTheDecimalFigure) {
  struct Case {
    double share;
    int places;
    const char* text;
  };
  // clang-format off
  const Case cases[] = {
      {0.0, 1, "0.0%"},
      {1.0, 1, "100.0%"},
      {0.425, 1, "42.5%"},
      {0.4245, 1, "42.5%"},    // 424.5 tenths of a per cent: up, not to even
      {0.42449, 1, "42.4%"},
      {0.2875, 1, "28.8%"},    // 23 of 80: 28.75% rounds up, though 0.2875 * 100 is 28.749...
      {1.0 / 80, 1, "1.3%"},   // 1.25%: printf("%.1f") would write 1.2
      {0.0005, 1, "0.1%"},
      {0.00049, 1, "0.0%"},
      {0.9995, 1, "100.0%"},
      {1.0 / 3, 1, "33.3%"},
      {2.0 / 3, 1, "66.7%"},
      {-0.0001, 1, "0.0%"},    // never "-0.0%"
      {-0.125, 1, "-12.5%"},
      {0.2, 0, "20%"},
      {0.125, 0, "13%"},
      {0.00125, 2, "0.13%"},
      {0.123456, 2, "12.35%"},
      {1.5, 1, "150.0%"},      // not clamped: a rise can be more than 100%
  };
  // clang-format on
  for (const Case& c : cases) {
    EXPECT_EQ(format_percent(c.share, c.places), c.text) << "share " << c.share << ", places " << c.places;
  }
}

TEST(GroupThousands, ACommaBetweenEachThreeDigits) {
  struct Case {
    int64_t n;
    const char* text;
  };
  const Case cases[] = {
      {0, "0"},
      {7, "7"},
      {999, "999"},
      {1000, "1,000"},
      {1234567, "1,234,567"},
      {-1234, "-1,234"},
      {-999, "-999"},
      {std::numeric_limits<int64_t>::min(), "-9,223,372,036,854,775,808"},
  };
  for (const Case& c : cases) EXPECT_EQ(group_thousands(c.n), c.text) << c.n;
}

TEST(FormatMoney, PoundsWithPenceOnlyWhenThereAreAny) {
  struct Case {
    int64_t pence;
    const char* text;
  };
  const Case cases[] = {
      {0, "£0"},
      {5, "£0.05"},
      {1250, "£12.50"},
      {1300000, "£13,000"},
      {123456789, "£1,234,567.89"},
      {-120000, "-£1,200"},
      {-5, "-£0.05"},
  };
  for (const Case& c : cases) EXPECT_EQ(format_money(c.pence), c.text) << c.pence;
}

TEST(EscapeHtml, TheFiveCharactersThatMatterAndNothingElse) {
  EXPECT_EQ(escape_html("Fish & <chips> \"to go\" it's"), "Fish &amp; &lt;chips&gt; &quot;to go&quot; it&#39;s");
  EXPECT_EQ(escape_html("café — £5"), "café — £5");  // UTF-8 left alone
  EXPECT_EQ(escape_html("&amp;"), "&amp;amp;");      // escaping twice shows the first
  EXPECT_EQ(escape_html(""), "");
}

TEST(FormatTwoFigures, WritesSmallNumbersWithoutAnExponent) {
  EXPECT_EQ(format_two_figures(0.0), "0");
  EXPECT_EQ(format_two_figures(-1.0), "0");
  EXPECT_EQ(format_two_figures(1e-9), "less than 0.000001");
  EXPECT_EQ(format_two_figures(0.0003), "0.0003");
  EXPECT_EQ(format_two_figures(0.000346), "0.00035");
  EXPECT_EQ(format_two_figures(0.0123), "0.012");
  EXPECT_EQ(format_two_figures(0.000999), "0.001");
  EXPECT_EQ(format_two_figures(1.5), "1.5");
  EXPECT_EQ(format_two_figures(12.3), "12");
}

}  // namespace
}  // namespace coproduce::report
