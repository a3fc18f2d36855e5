#include "report/tornado_chart.h"

#include <algorithm>
#include <cmath>

#include "report/drawing.h"

namespace coproduce::report {
namespace {

using draw::coordinate;

// Bars run between kLeft and kRight, leaving room either side for the
// figure written beyond a bar's end.
constexpr double kWidth = 640, kLeft = 110, kRight = 530, kTop = 64, kLabelRow = 22, kBar = 14, kBarGap = 2,
                 kRowGap = 12, kFont = 14;
constexpr double kRowStep = kLabelRow + 2 * kBar + kBarGap + kRowGap;

struct Axis {
  Scale scale;
  double x(double v) const { return kLeft + (v - scale.min) / (scale.max - scale.min) * (kRight - kLeft); }
};

nlohmann::json bar_json(double value, double y, const Axis& axis, double central, Unit unit) {
  double from = axis.x(central), to = axis.x(value);
  bool goes_left = to < from;
  return {{"x", coordinate(std::min(from, to))},
          {"y", coordinate(y)},
          {"width", coordinate(std::fabs(to - from))},
          {"height", coordinate(kBar)},
          {"text", format_value(value, unit)},
          {"text_x", coordinate(goes_left ? to - 6 : to + 6)},
          {"text_y", coordinate(y + 11)},
          {"anchor", goes_left ? "end" : "start"}};
}

}  // namespace

nlohmann::json tornado_chart_json(const TornadoChart& chart) {
  double low = chart.central, high = chart.central;
  for (const TornadoRow& r : chart.rows) {
    low = std::min({low, r.at_low, r.at_high});
    high = std::max({high, r.at_low, r.at_high});
  }
  Axis axis{nice_scale(low, high, chart.unit, 4)};

  nlohmann::json rows = nlohmann::json::array();
  double y = kTop;
  for (const TornadoRow& r : chart.rows) {
    rows.push_back({{"r_label", r.label},
                    {"r_range", r.range_text},
                    {"r_has_range", !r.range_text.empty()},
                    {"r_label_y", coordinate(y + 15)},
                    {"r_low", bar_json(r.at_low, y + kLabelRow, axis, chart.central, chart.unit)},
                    {"r_high", bar_json(r.at_high, y + kLabelRow + kBar + kBarGap, axis, chart.central, chart.unit)}});
    y += kRowStep;
  }
  const double bottom = y;

  nlohmann::json ticks = nlohmann::json::array();
  for (double t : axis.scale.ticks) {
    ticks.push_back({{"t_x", coordinate(axis.x(t))}, {"t_label", tick_label(t, axis.scale, chart.unit)}});
  }
  const double central_x = axis.x(chart.central);
  const std::string central_text = chart.central_name + ": " + format_value(chart.central, chart.unit);
  // Centred over its line, but kept inside the chart.
  const double half = draw::text_width(central_text, kFont) / 2;
  const double high_key_x = 20 + draw::text_width(chart.low_name, kFont) + 24;
  nlohmann::json out = {
      {"c_id", chart.id},
      {"c_title", chart.title},
      {"c_desc", chart.description},
      {"c_viewbox", "0 0 " + coordinate(kWidth) + " " + coordinate(bottom + 30)},
      {"c_height", coordinate(bottom + 30)},
      {"c_top", coordinate(kTop - 8)},
      {"c_bottom", coordinate(bottom)},
      {"c_key",
       {{"low_x", "1"},  // inside the chart with its 2-wide outline
        {"high_x", coordinate(high_key_x)},
        {"y", "5"},
        {"size", coordinate(kBar - 1)},
        {"low_text_x", "20"},
        {"high_text_x", coordinate(high_key_x + 20)},
        {"text_y", "17"},
        {"low_name", chart.low_name},
        {"high_name", chart.high_name}}},
      {"c_ticks", ticks},
      {"c_tick_label_y", coordinate(bottom + 18)},
      {"c_central_x", coordinate(central_x)},
      {"c_central_text", central_text},
      {"c_central_text_x", coordinate(std::clamp(central_x, half, kWidth - half))},
      {"c_central_text_y", coordinate(kTop - 16)},
      {"c_rows", rows}};
  if (axis.scale.min < 0 && axis.scale.max > 0 && chart.central != 0) out["c_zero_x"] = coordinate(axis.x(0));
  return out;
}

Table tornado_table(const TornadoChart& chart, const std::string& id) {
  Table t{id,
          chart.title + ". " + chart.central_name + ": " + format_value(chart.central, chart.unit) + ".",
          {"Assumption", "Range tried", chart.low_name, chart.high_name, "Swing"},
          {},
          true,
          {2, 3, 4}};
  for (const TornadoRow& r : chart.rows) {
    t.rows.push_back({r.label, r.range_text, format_value(r.at_low, chart.unit), format_value(r.at_high, chart.unit),
                      format_value(std::fabs(r.at_high - r.at_low), chart.unit)});
  }
  return t;
}

}  // namespace coproduce::report
