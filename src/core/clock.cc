#include "core/clock.h"

#include <cstdio>
#include <ctime>

namespace coproduce {

std::string format_timestamp(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool parse_timestamp(const std::string& text, TimePoint* out) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      static_cast<size_t>(consumed) != text.size()) {
    return false;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  *out = std::chrono::system_clock::from_time_t(timegm(&tm));
  return true;
}

std::string date_from_parts(const std::string& day, const std::string& month, const std::string& year,
                            int min_year) {
  auto number = [](const std::string& typed, int lo, int hi) {
    size_t b = typed.find_first_not_of(" \t"), e = typed.find_last_not_of(" \t");
    if (b == std::string::npos) return -1;
    std::string t = typed.substr(b, e - b + 1);
    if (t.size() > 4 || t.find_first_not_of("0123456789") != std::string::npos) return -1;
    int v = std::stoi(t);
    return v >= lo && v <= hi ? v : -1;
  };
  int d = number(day, 1, 31), m = number(month, 1, 12), y = number(year, min_year, 2100);
  if (d < 0 || m < 0 || y < 0) return "";
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return "";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace coproduce
