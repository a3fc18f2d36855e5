#include "report/format.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace coproduce::report {

std::string format_percent(double share, int places) {
  assert(places >= 0 && places <= 6);
  // Rounded on the decimal figure, share × 10^(places + 2) in one
  // multiplication, so that a tie (287.5 tenths of a per cent for 23 of 80)
  // comes out exact and goes up; share × 100 × 10 would be 287.4999...
  const double scale = std::pow(10.0, places);
  double rounded = std::round(share * (100.0 * scale)) / scale;
  if (rounded == 0) rounded = 0;  // no "-0.0%"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f%%", places, rounded);
  return buf;
}

std::string group_thousands(int64_t n) {
  // The magnitude as unsigned, so the most negative number has one too.
  uint64_t magnitude = n < 0 ? uint64_t{0} - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string digits = std::to_string(magnitude), out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_money(int64_t pence) {
  uint64_t magnitude = pence < 0 ? uint64_t{0} - static_cast<uint64_t>(pence) : static_cast<uint64_t>(pence);
  uint64_t rest = magnitude % 100;
  std::string out =
      std::string(pence < 0 ? "-" : "") + "\xC2\xA3" + group_thousands(static_cast<int64_t>(magnitude / 100));
  if (rest != 0) out += "." + std::string(rest < 10 ? "0" : "") + std::to_string(rest);
  return out;
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_two_figures(double value) {
  if (!(value > 0)) return "0";
  if (value < 1e-6) return "less than 0.000001";
  // Two significant figures: 0.00034's first is in the 4th decimal place, so 5 places.
  const int places = std::clamp(1 - static_cast<int>(std::floor(std::log10(value))), 0, 7);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, value);
  std::string text = buf;
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

}  // namespace coproduce::report
