// Calendar dates written "YYYY-MM-DD", the one form the store, the API and
// files use. Strings in this form sort in date order.
#ifndef COPRODUCE_CORE_DATES_H_
#define COPRODUCE_CORE_DATES_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace coproduce {

// The date `text` names, or nullopt when it is not a real calendar date in
// the form YYYY-MM-DD (2026-02-30 is not).
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
// True when parse_date would succeed.
bool is_date(std::string_view text);
// "2026-03-01".
std::string format_date(std::chrono::year_month_day date);

// "27 March 2026" from "2026-03-27"; `iso` itself when it is not a real date.
std::string long_date(const std::string& iso);

// The English name of month 1 to 12 (asserted): month_name(3) is "March".
// The one list of month names: dates for people, chart periods and the like.
std::string_view month_name(unsigned month);
// The short form, as GOV.UK writes it where space is short (tables, chart
// axes): "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept",
// "Oct", "Nov", "Dec".
std::string_view short_month_name(unsigned month);

// Date arithmetic on valid YYYY-MM-DD dates (asserted).
std::string add_days(const std::string& date, long days);
// Adds whole months; a day past the month's end is clamped (31 Jan + 1 month
// is 28 or 29 Feb).
std::string add_months(const std::string& date, int months);
// Days from `from` to `to`: negative when `to` is earlier.
long days_between(const std::string& from, const std::string& to);
// Whole days since 1970-01-01 (negative before), for compact storage.
long day_number(const std::string& date);
std::string date_of_day_number(long days);

}  // namespace coproduce

#endif  // COPRODUCE_CORE_DATES_H_
