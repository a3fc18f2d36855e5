#include "core/dates.h"

#include <cassert>
#include <cstdio>

namespace coproduce {

namespace chr = std::chrono;

std::optional<chr::year_month_day> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const unsigned m = static_cast<unsigned>((s[5] - '0') * 10 + (s[6] - '0'));
  const unsigned d = static_cast<unsigned>((s[8] - '0') * 10 + (s[9] - '0'));
  chr::year_month_day out{chr::year(y), chr::month(m), chr::day(d)};
  if (!out.ok()) return std::nullopt;
  return out;
}

bool is_date(std::string_view text) { return parse_date(text).has_value(); }

std::string format_date(chr::year_month_day d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::string long_date(const std::string& iso) {
  auto d = parse_date(iso);
  if (!d) return iso;
  return std::to_string(static_cast<unsigned>(d->day())) + " " +
         std::string(month_name(static_cast<unsigned>(d->month()))) + " " + std::to_string(static_cast<int>(d->year()));
}

std::string_view month_name(unsigned month) {
  static constexpr std::string_view kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};
  assert(month >= 1 && month <= 12);
  return kMonths[month - 1];
}

std::string_view short_month_name(unsigned month) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May",  "Jun",
                                                 "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"};
  assert(month >= 1 && month <= 12);
  return kMonths[month - 1];
}

namespace {
chr::sys_days days_of(const std::string& date) {
  auto d = parse_date(date);
  assert(d && "a valid YYYY-MM-DD date");
  return chr::sys_days(*d);
}
}  // namespace

std::string add_days(const std::string& date, long days) {
  return format_date(chr::year_month_day(days_of(date) + chr::days(days)));
}

std::string add_months(const std::string& date, int months) {
  auto parsed = parse_date(date);
  assert(parsed && "a valid YYYY-MM-DD date");
  auto d = *parsed;
  chr::year_month ym = chr::year_month(d.year(), d.month()) + chr::months(months);
  chr::day last = chr::year_month_day_last(ym.year(), chr::month_day_last(ym.month())).day();
  return format_date(chr::year_month_day(ym.year(), ym.month(), d.day() > last ? last : d.day()));
}

long days_between(const std::string& from, const std::string& to) {
  return static_cast<long>((days_of(to) - days_of(from)).count());
}

long day_number(const std::string& date) { return static_cast<long>(days_of(date).time_since_epoch().count()); }

std::string date_of_day_number(long days) { return format_date(chr::year_month_day(chr::sys_days(chr::days(days)))); }

}  // namespace coproduce
