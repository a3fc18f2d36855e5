#include "report/line_chart.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/dates.h"
#include "report/drawing.h"

namespace coproduce::report {
namespace {

using draw::coordinate;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool same_letters(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The month 1 to 12 that `name` names ("Mar", "March", "Sep", "Sept"), or 0.
unsigned month_named(std::string_view name) {
  for (unsigned m = 1; m <= 12; ++m) {
    if (same_letters(name, month_name(m)) || same_letters(name, short_month_name(m)) ||
        same_letters(name, month_name(m).substr(0, 3)))
      return m;
  }
  return 0;
}

std::optional<Period> month_period(int year, unsigned month) {
  if (month < 1 || month > 12 || year < 1 || year > 9999) return std::nullopt;
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02u-01", year, month);
  return Period{date, std::string(short_month_name(month)) + " " + std::to_string(year)};
}

// A chart's layout, shared by the parts that place things on it.
struct Frame {
  static constexpr double kWidth = 640, kLeft = 72, kRight = 616, kPad = 14, kPlotHeight = 200;
  double top = 0, bottom = 0;
  long first_day = 0, last_day = 0;
  Scale scale;

  double x(const std::string& date) const {
    if (last_day == first_day) return (kLeft + kRight) / 2;
    double at = static_cast<double>(day_number(date) - first_day) / static_cast<double>(last_day - first_day);
    return kLeft + kPad + at * (kRight - kLeft - 2 * kPad);
  }
  double y(double v) const { return bottom - (v - scale.min) / (scale.max - scale.min) * kPlotHeight; }
};

// The series' values by date: nullopt for a period given with no value.
using Values = std::map<std::string, std::optional<double>>;

Values values_of(const LineSeries& s) {
  Values out;
  for (const LinePoint& p : s.points) {
    auto period = read_period(p.period);
    assert(period && "a period read_period can read");
    if (period) out[period->date] = p.value;
  }
  return out;
}

// Every period of every series, by date, with its label.
std::map<std::string, std::string> periods_of(const LineChart& chart) {
  std::map<std::string, std::string> out;
  for (const LineSeries& s : chart.series) {
    for (const LinePoint& p : s.points) {
      if (auto period = read_period(p.period)) out.emplace(period->date, period->label);
    }
  }
  return out;
}

// A target or baseline: its marker, the target's line from the y-axis to
// it, and its text beside the marker, on whichever side has more room.
nlohmann::json mark_json(const ChartTarget& t, const Period& at, const Frame& f, Unit unit, const char* joining) {
  double x = f.x(at.date), y = f.y(t.value);
  bool left = x > (Frame::kLeft + Frame::kRight) / 2;
  double text_y = y - 12 < f.top + 10 ? y + 22 : y - 12;
  return {{"x1", coordinate(Frame::kLeft)},
          {"x2", coordinate(x)},
          {"y", coordinate(y)},
          {"marker", draw::marker_path(draw::Marker::kCircle, x, y, 6)},
          {"text", t.name + ": " + format_value(t.value, unit) + " " + joining + " " + at.label},
          {"text_x", coordinate(left ? x - 10 : x + 10)},
          {"text_y", coordinate(text_y)},
          {"anchor", left ? "end" : "start"}};
}

}  // namespace

std::optional<Period> read_period(std::string_view period) {
  if (period.size() == 10 && is_date(period)) {
    auto d = parse_date(period);
    return Period{std::string(period), std::to_string(static_cast<unsigned>(d->day())) + " " +
                                           std::string(short_month_name(static_cast<unsigned>(d->month()))) + " " +
                                           std::to_string(static_cast<int>(d->year()))};
  }
  if (period.size() == 7 && period[4] == '-' && all_digits(period.substr(0, 4)) && all_digits(period.substr(5))) {
    return month_period(std::stoi(std::string(period.substr(0, 4))),
                        static_cast<unsigned>(std::stoi(std::string(period.substr(5)))));
  }
  if (period.size() == 7 && period.substr(4, 2) == "-Q" && all_digits(period.substr(0, 4)) && period[6] >= '1' &&
      period[6] <= '4') {
    // A calendar quarter, placed at its first day: "2026-Q2" is April to June.
    unsigned first = static_cast<unsigned>(period[6] - '1') * 3 + 1;
    auto start = month_period(std::stoi(std::string(period.substr(0, 4))), first);
    if (start) {
      start->label = std::string(short_month_name(first)) + " to " + std::string(short_month_name(first + 2)) + " " +
                     std::string(period.substr(0, 4));
    }
    return start;
  }
  size_t space = period.find(' ');
  if (space != std::string_view::npos && period.size() - space - 1 == 4 && all_digits(period.substr(space + 1))) {
    unsigned m = month_named(period.substr(0, space));
    if (m != 0) return month_period(std::stoi(std::string(period.substr(space + 1))), m);
  }
  return std::nullopt;
}

nlohmann::json line_chart_json(const LineChart& chart) {
  constexpr double kFont = 14, kKeyRow = 24, kSample = 32;
  const auto periods = periods_of(chart);
  std::vector<Values> values;
  for (const LineSeries& s : chart.series) values.push_back(values_of(s));
  std::optional<Period> target_at = chart.target ? read_period(chart.target->period) : std::nullopt;
  std::optional<Period> baseline_at = chart.baseline ? read_period(chart.baseline->period) : std::nullopt;
  assert((!chart.target || target_at) && (!chart.baseline || baseline_at) && "a period read_period can read");

  Frame f;
  // Time runs from the first period to the last, the target and baseline
  // included; the values from 0 (or below it) to the highest.
  std::vector<std::string> dates;
  for (const auto& [date, label] : periods) dates.push_back(date);
  if (target_at) dates.push_back(target_at->date);
  if (baseline_at) dates.push_back(baseline_at->date);
  if (!dates.empty()) {
    f.first_day = day_number(*std::min_element(dates.begin(), dates.end()));
    f.last_day = day_number(*std::max_element(dates.begin(), dates.end()));
  }
  std::optional<double> data_low, data_high;
  auto hold = [&](double v) {
    data_low = std::min(data_low.value_or(v), v);
    data_high = std::max(data_high.value_or(v), v);
  };
  for (const Values& v : values) {
    for (const auto& [date, value] : v) {
      if (value) hold(*value);
    }
  }
  if (target_at) hold(chart.target->value);
  if (baseline_at) hold(chart.baseline->value);
  // Given ends are kept unless a value lies beyond them.
  double low = chart.y_min.value_or(0), high = chart.y_max.value_or(0);
  if (data_low) {
    low = std::min(low, *data_low);
    high = std::max(high, *data_high);
  }
  high = std::max(high, low);
  f.scale = nice_scale(low, high, chart.unit);
  if (chart.y_min || chart.y_max) {
    // The given ends are the scale's, with the round ticks between them.
    Scale& s = f.scale;
    double lo = chart.y_min ? low : s.min, hi = chart.y_max ? high : s.max;
    if (hi <= lo) hi = lo + s.step;
    std::vector<double> ticks{lo};
    for (double t : s.ticks) {
      if (t > lo + s.step / 4 && t < hi - s.step / 4) ticks.push_back(t);
    }
    ticks.push_back(hi);
    s.min = lo;
    s.max = hi;
    s.ticks = ticks;
  }

  // The key along the top, an entry after another: a stretch of the
  // series' line with its marker, then its name.
  nlohmann::json key = nlohmann::json::array();
  double x = 0, row = 4;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    double entry = kSample + 8 + draw::text_width(chart.series[i].name, kFont);
    if (x > 0 && x + entry > Frame::kWidth) {
      x = 0;
      row += kKeyRow;
    }
    key.push_back({{"k_x1", coordinate(x)},
                   {"k_x2", coordinate(x + kSample)},
                   {"k_y", coordinate(row + 8)},
                   {"k_marker", draw::marker_path(draw::marker(i), x + kSample / 2, row + 8, 4.5)},
                   {"k_text_x", coordinate(x + kSample + 8)},
                   {"k_text_y", coordinate(row + 13)},
                   {"k_name", chart.series[i].name},
                   {"k_colour", draw::colour(i)},
                   {"k_dash", draw::dash(i)}});
    x += entry + 24;
  }
  double below_key = chart.series.empty() ? 0 : row + kKeyRow;
  f.top = below_key + (chart.axis_title.empty() ? 14 : 34);
  f.bottom = f.top + Frame::kPlotHeight;

  nlohmann::json y_ticks = nlohmann::json::array();
  for (double t : f.scale.ticks) {
    y_ticks.push_back({{"t_y", coordinate(f.y(t))},
                       {"t_label", tick_label(t, f.scale, chart.unit)},
                       {"t_label_x", coordinate(Frame::kLeft - 8)}});
  }
  // Every period has a tick; labels are left off at even intervals where
  // they would crowd each other.
  nlohmann::json x_ticks = nlohmann::json::array();
  double widest = 0;
  for (const auto& [date, label] : periods) widest = std::max(widest, draw::text_width(label, 13));
  size_t every = 1;
  if (periods.size() > 1) {
    double spacing = (Frame::kRight - Frame::kLeft - 2 * Frame::kPad) / static_cast<double>(periods.size() - 1);
    if (f.last_day != f.first_day) {
      spacing = (f.x(periods.rbegin()->first) - f.x(periods.begin()->first)) / static_cast<double>(periods.size() - 1);
    }
    every = static_cast<size_t>(std::max(1.0, std::ceil((widest + 12) / std::max(spacing, 1.0))));
  }
  size_t n = 0;
  for (const auto& [date, label] : periods) {
    // A label is centred under its tick, but kept inside the chart.
    double half = draw::text_width(label, 13) / 2;
    x_ticks.push_back({{"t_x", coordinate(f.x(date))},
                       {"t_label", label},
                       {"t_label_x", coordinate(std::clamp(f.x(date), half, Frame::kWidth - half))},
                       {"t_show", n++ % every == 0},
                       {"t_tick_end", coordinate(f.bottom + 5)},
                       {"t_label_y", coordinate(f.bottom + 20)}});
  }

  nlohmann::json series = nlohmann::json::array();
  for (size_t i = 0; i < chart.series.size(); ++i) {
    nlohmann::json lines = nlohmann::json::array(), points = nlohmann::json::array();
    std::string path;
    size_t run = 0;  // points in the line being drawn
    auto end_line = [&] {
      if (run >= 2) lines.push_back({{"d", path}});
      path.clear();
      run = 0;
    };
    for (const auto& [date, value] : values[i]) {
      if (!value) {
        end_line();
        continue;
      }
      double px = f.x(date), py = f.y(*value);
      path += (run == 0 ? "M" : " L") + coordinate(px) + " " + coordinate(py);
      ++run;
      points.push_back({{"p_marker", draw::marker_path(draw::marker(i), px, py, 4.5)}});
    }
    end_line();
    series.push_back({{"s_name", chart.series[i].name},
                      {"s_colour", draw::colour(i)},
                      {"s_dash", draw::dash(i)},
                      {"s_lines", lines},
                      {"s_points", points}});
  }

  const double height = f.bottom + 34;
  nlohmann::json out = {{"c_id", chart.id},
                        {"c_title", chart.title},
                        {"c_desc", chart.description},
                        {"c_viewbox", "0 0 " + coordinate(Frame::kWidth) + " " + coordinate(height)},
                        {"c_height", coordinate(height)},
                        {"c_axis_title", chart.axis_title},
                        {"c_axis_title_y", coordinate(below_key + 14)},
                        {"c_left", coordinate(Frame::kLeft)},
                        {"c_right", coordinate(Frame::kRight)},
                        {"c_top", coordinate(f.top)},
                        {"c_bottom", coordinate(f.bottom)},
                        {"c_y_ticks", y_ticks},
                        {"c_x_ticks", x_ticks},
                        {"c_key", key},
                        {"c_series", series}};
  if (target_at) out["c_target"] = mark_json(*chart.target, *target_at, f, chart.unit, "by");
  if (baseline_at) out["c_baseline"] = mark_json(*chart.baseline, *baseline_at, f, chart.unit, "in");
  return out;
}

Table line_chart_table(const LineChart& chart, const std::string& id, const std::string& first_heading) {
  Table t{id, chart.title, {first_heading}, {}, true, {}};
  std::vector<Values> values;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    t.head.push_back(chart.series[i].name);
    t.numeric_columns.push_back(i + 1);
    values.push_back(values_of(chart.series[i]));
  }
  for (const auto& [date, label] : periods_of(chart)) {
    std::vector<std::string> row{label};
    for (const Values& v : values) {
      auto it = v.find(date);
      row.push_back(it != v.end() && it->second ? format_value(*it->second, chart.unit) : "No figure");
    }
    t.rows.push_back(std::move(row));
  }
  auto mark_row = [&](const ChartTarget& m, const char* joining) {
    auto at = read_period(m.period);
    if (!at) return;
    std::vector<std::string> row{m.name + ", " + joining + at->label};
    row.resize(chart.series.size() + 1, format_value(m.value, chart.unit));
    t.rows.push_back(std::move(row));
  };
  if (chart.baseline) mark_row(*chart.baseline, "");
  if (chart.target) mark_row(*chart.target, "by ");
  return t;
}

}  // namespace coproduce::report
