#include "core/dates.h"

#include <gtest/gtest.h>

#include <string>

namespace coproduce {
namespace {

TEST(IsDate, AcceptsOnlyRealDatesWrittenYyyyMmDd) {
  struct Case {
    const char* text;
    bool real;
  } cases[] = {
      {"2026-03-01", true},
      {"2024-02-29", true},   // a leap year
      {"2026-02-29", false},  // not a leap year
      {"2100-02-29", false},  // a century that is not a leap year
      {"2000-02-29", true},   // a century that is
      {"2026-02-30", false},
      {"2026-04-31", false},
      {"2026-12-31", true},
      {"2026-13-01", false},
      {"2026-00-10", false},
      {"2026-01-00", false},
      {"2026-1-01", false},   // the month must have two digits
      {"2026-01-1", false},
      {"26-01-01", false},
      {"2026/01/01", false},
      {"01/03/2026", false},
      {" 2026-01-01", false},
      {"2026-01-01 ", false},
      {"2026-0a-01", false},
      {"", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(is_date(c.text), c.real) << "'" << c.text << "'";
    EXPECT_EQ(parse_date(c.text).has_value(), c.real) << "'" << c.text << "'";
  }
}

TEST(ParseDate, ReadsTheYearMonthAndDay) {
  auto d = parse_date("2024-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(static_cast<int>(d->year()), 2024);
  EXPECT_EQ(static_cast<unsigned>(d->month()), 2u);
  EXPECT_EQ(static_cast<unsigned>(d->day()), 29u);
  EXPECT_EQ(format_date(*d), "2024-02-29");
  EXPECT_EQ(format_date(*parse_date("0999-01-05")), "0999-01-05");
}

TEST(AddDays, CrossesMonthsYearsAndLeapDays) {
  EXPECT_EQ(add_days("2026-12-31", 1), "2027-01-01");
  EXPECT_EQ(add_days("2027-01-01", -1), "2026-12-31");
  EXPECT_EQ(add_days("2024-02-28", 1), "2024-02-29");
  EXPECT_EQ(add_days("2026-02-28", 1), "2026-03-01");
  EXPECT_EQ(add_days("2026-01-10", 30), "2026-02-09");
  EXPECT_EQ(add_days("2025-12-15", 30), "2026-01-14");
  EXPECT_EQ(add_days("2024-01-01", 366), "2025-01-01");
  EXPECT_EQ(add_days("2025-01-01", 365), "2026-01-01");
  EXPECT_EQ(add_days("2026-06-15", 0), "2026-06-15");
}

TEST(AddMonths, ClampsToTheEndOfAShorterMonth) {
  EXPECT_EQ(add_months("2026-01-31", 1), "2026-02-28");
  EXPECT_EQ(add_months("2024-01-31", 1), "2024-02-29");
  EXPECT_EQ(add_months("2024-02-29", 12), "2025-02-28");
  EXPECT_EQ(add_months("2024-02-29", 48), "2028-02-29");
  EXPECT_EQ(add_months("2026-03-31", 1), "2026-04-30");
  EXPECT_EQ(add_months("2026-08-31", 1), "2026-09-30");
  EXPECT_EQ(add_months("2026-01-15", 1), "2026-02-15");
  EXPECT_EQ(add_months("2026-11-30", 2), "2027-01-30");  // across a year
  EXPECT_EQ(add_months("2026-12-01", 24), "2028-12-01");
  EXPECT_EQ(add_months("2026-03-31", -1), "2026-02-28");  // backwards clamps too
  EXPECT_EQ(add_months("2026-01-15", -1), "2025-12-15");
  EXPECT_EQ(add_months("2026-05-20", 0), "2026-05-20");
}

TEST(DaysBetween, CountsForwardsAndBackwards) {
  EXPECT_EQ(days_between("2026-01-01", "2026-01-01"), 0);
  EXPECT_EQ(days_between("2026-01-01", "2026-12-31"), 364);
  EXPECT_EQ(days_between("2024-01-01", "2025-01-01"), 366);
  EXPECT_EQ(days_between("2026-03-01", "2026-02-28"), -1);
  EXPECT_EQ(days_between("2027-01-01", "2026-12-01"), -31);
  EXPECT_EQ(days_between("2024-02-28", "2024-03-01"), 2);
}

TEST(DayNumber, CountsFromTheStartOf1970AndBack) {
  EXPECT_EQ(day_number("1970-01-01"), 0);
  EXPECT_EQ(day_number("1970-01-02"), 1);
  EXPECT_EQ(day_number("1969-12-31"), -1);
  EXPECT_EQ(day_number("2027-01-01"), 20819);
  for (const char* d : {"1969-12-31", "1970-01-01", "2000-02-29", "2024-02-29", "2026-12-31", "2100-03-01"})
    EXPECT_EQ(date_of_day_number(day_number(d)), d);
}

TEST(LongDate, WritesTheDateAsPeopleReadIt) {
  EXPECT_EQ(long_date("2026-03-27"), "27 March 2026");
  EXPECT_EQ(long_date("2026-01-01"), "1 January 2026");  // no leading zero
  EXPECT_EQ(long_date("2024-02-29"), "29 February 2024");
  EXPECT_EQ(long_date("2026-12-09"), "9 December 2026");
  // Not a real date: shown as it was given rather than made up.
  EXPECT_EQ(long_date("2026-02-30"), "2026-02-30");
  EXPECT_EQ(long_date("soon"), "soon");
  EXPECT_EQ(long_date(""), "");
}

TEST(MonthName, LongAndShortForEveryMonth) {
  struct Case {
    unsigned month;
    const char* name;
    const char* short_name;
  };
  // clang-format off
  const Case cases[] = {
      {1, "January", "Jan"},   {2, "February", "Feb"}, {3, "March", "Mar"},      {4, "April", "Apr"},
      {5, "May", "May"},       {6, "June", "Jun"},     {7, "July", "Jul"},       {8, "August", "Aug"},
      {9, "September", "Sept"}, {10, "October", "Oct"}, {11, "November", "Nov"}, {12, "December", "Dec"},
  };
  // clang-format on
  for (const Case& c : cases) {
    EXPECT_EQ(month_name(c.month), c.name) << c.month;
    EXPECT_EQ(short_month_name(c.month), c.short_name) << c.month;
  }
}

}  // namespace
}  // namespace coproduce
