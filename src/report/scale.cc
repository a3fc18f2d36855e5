#include "report/scale.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

#include "report/format.h"

namespace coproduce::report {
namespace {

// The finest step a unit is drawn in: labels never need more places.
double smallest_step(Unit unit) {
  switch (unit) {
    case Unit::kCount: return 1;
    case Unit::kPercentage: return 0.001;
    case Unit::kScore: return 0.01;
    case Unit::kMoney: return 1;
  }
  return 1;
}

bool is_whole(double v) { return std::fabs(v - std::round(v)) < 1e-9 * std::max(1.0, std::fabs(v)); }

// Up to `places` decimal places, without trailing zeros: "7.25", "7.5", "7".
std::string trimmed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

// How many decimal places show every multiple of `step`, up to `most`.
int places_for(double step, int most) {
  for (int p = 0; p < most; ++p) {
    if (is_whole(step * std::pow(10.0, p))) return p;
  }
  return most;
}

}  // namespace

std::string format_value(double value, Unit unit) {
  switch (unit) {
    case Unit::kCount:
      if (is_whole(value)) return group_thousands(std::llround(value));
      return trimmed(value, 1);
    case Unit::kPercentage: return format_percent(value);
    case Unit::kScore: return trimmed(value, 2);
    case Unit::kMoney: return format_money(std::llround(value));
  }
  return "";
}

Scale nice_scale(double low, double high, Unit unit, int intervals) {
  assert(intervals > 0 && std::isfinite(low) && std::isfinite(high));
  if (low > high) std::swap(low, high);
  const double finest = smallest_step(unit);
  if (high == low) high = low + (low == 0 ? finest * intervals : std::fabs(low));
  double rough = (high - low) / intervals;
  double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double norm = rough / magnitude;
  double nice = norm <= 1 + 1e-9 ? 1 : norm <= 2 + 1e-9 ? 2 : norm <= 5 + 1e-9 ? 5 : 10;
  Scale s;
  s.step = std::max(nice * magnitude, finest);
  // Whole numbers of steps, so 0 is exactly 0 and never -0.
  long long first = std::llround(std::floor(low / s.step + 1e-9));
  long long last = std::llround(std::ceil(high / s.step - 1e-9));
  if (last <= first) last = first + 1;
  s.min = static_cast<double>(first) * s.step;
  s.max = static_cast<double>(last) * s.step;
  for (long long k = first; k <= last; ++k) s.ticks.push_back(static_cast<double>(k) * s.step);
  return s;
}

std::string tick_label(double value, const Scale& scale, Unit unit) {
  switch (unit) {
    case Unit::kCount: return format_value(value, unit);
    case Unit::kPercentage: return format_percent(value, places_for(scale.step * 100, 1));
    case Unit::kScore: return trimmed(value, places_for(scale.step, 2));
    case Unit::kMoney: {
      std::string text = format_money(std::llround(value));
      // Pence on every label once any label needs them: "£1.00" beside "£1.50".
      if (!is_whole(scale.step / 100) && text.find('.') == std::string::npos) text += ".00";
      return text;
    }
  }
  return "";
}

}  // namespace coproduce::report
