#include "report/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace coproduce::report {
namespace {

std::string fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

// A coordinate to one decimal place, without a trailing ".0": "44", "12.5".
std::string coordinate(double v) {
  std::string s = fixed(v, 1);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

double clamp_share(double share) { return std::clamp(share, 0.0, 1.0); }

}  // namespace

std::string format_percent(double share) {
  double tenths = std::round(share * 1000.0) / 10.0;
  return fixed(tenths, 1) + "%";
}

nlohmann::json bar_chart_json(const BarChart& chart) {
  // A label row above each bar keeps long labels readable at any width.
  constexpr double kWidth = 640, kLabelRow = 22, kBarHeight = 22, kGap = 14, kMaxBar = 480;
  nlohmann::json bars = nlohmann::json::array();
  double y = 10;
  for (const Bar& b : chart.bars) {
    double w = b.share ? std::clamp(*b.share, 0.0, 1.0) * kMaxBar : 0;
    std::string value = !b.value_text.empty() ? b.value_text : b.share ? format_percent(*b.share) : chart.missing_text;
    bars.push_back({{"b_label", b.label},
                    {"b_width", fixed(w, 1)},
                    {"b_text_x", fixed(w + 8, 1)},
                    {"b_label_y", fixed(y + 15, 1)},
                    {"b_bar_y", fixed(y + kLabelRow, 1)},
                    {"b_value_y", fixed(y + kLabelRow + 16, 1)},
                    {"b_value", value}});
    y += kLabelRow + kBarHeight + kGap;
  }
  return {{"c_id", chart.id},
          {"c_title", chart.title},
          {"c_desc", chart.description},
          {"c_viewbox", "0 0 " + fixed(kWidth, 0) + " " + fixed(y, 0)},
          {"c_height", fixed(y, 0)},
          {"c_bars", bars}};
}

nlohmann::json benchmark_bar_chart_json(const BenchmarkBarChart& chart) {
  // Labels in a column on the left; each pair of bars starts at kLeft. The
  // key above the bars has a swatch and a name for each series.
  constexpr double kLeft = 130, kMaxBar = 400, kFirstRow = 44, kRowStep = 56;
  nlohmann::json bars = nlohmann::json::array();
  double y = kFirstRow;
  for (const BenchmarkBar& b : chart.bars) {
    double w = clamp_share(b.share) * kMaxBar;
    double m = b.benchmark ? clamp_share(*b.benchmark) * kMaxBar : 0;
    std::string value = !b.value_text.empty() ? b.value_text : format_percent(b.share);
    std::string mark = !b.benchmark_text.empty() ? b.benchmark_text
                       : b.benchmark             ? format_percent(*b.benchmark)
                                                 : chart.missing_text;
    bars.push_back({{"b_label", b.label},
                    {"b_label_y", fixed(y + 24, 1)},
                    {"b_y", fixed(y, 1)},
                    {"b_width", fixed(w, 1)},
                    {"b_text_x", fixed(kLeft + w + 6, 1)},
                    {"b_text_y", fixed(y + 14, 1)},
                    {"b_value", value},
                    {"m_y", fixed(y + 22, 1)},
                    {"m_width", fixed(m, 1)},
                    {"m_text_x", fixed(kLeft + m + 6, 1)},
                    {"m_text_y", fixed(y + 36, 1)},
                    {"m_value", mark}});
    y += kRowStep;
  }
  std::string height = fixed(y + 4, 0);
  return {{"c_id", chart.id},
          {"c_title", chart.title},
          {"c_desc", chart.description},
          {"c_viewbox", "0 0 640 " + height},
          {"c_height", height},
          {"c_left", coordinate(kLeft)},
          {"c_series", chart.series_name},
          {"c_benchmark", chart.benchmark_name},
          {"c_key",
           {{"x", coordinate(kLeft)},
            {"text_x", coordinate(kLeft + 22)},
            {"y", "6"},
            {"text_y", "18"},
            {"benchmark_x", coordinate(kLeft + 160)},
            {"benchmark_y", "7"},  // a pixel lower (and smaller) so that with its outline it lines up
            {"benchmark_text_x", coordinate(kLeft + 181)}}},
          {"c_bars", bars}};
}

nlohmann::json column_chart_json(const ColumnChart& chart) {
  // The plot runs from kTop down to the axis at kTop + kPlotHeight, between
  // kAxisLeft and kAxisRight; the scale's labels sit to the left of it.
  constexpr double kWidth = 640, kHeight = 290, kTop = 30, kPlotHeight = 200, kAxisLeft = 50, kAxisRight = 630,
                   kFirstColumn = 56, kStep = 57, kColumnWidth = 44;
  const double axis_y = kTop + kPlotHeight;
  // The scale runs from 0 to the next 10% above the largest share (at least
  // 20%), so small differences between columns can still be seen.
  double largest = chart.reference ? clamp_share(*chart.reference) : 0;
  for (const Column& c : chart.columns) largest = std::max(largest, clamp_share(c.share));
  const double scale_top = std::max(0.2, std::ceil(largest * 10.0 - 1e-9) / 10.0);
  const double step = chart.columns.empty()
                          ? kStep
                          : std::min(kStep, (kAxisRight - kFirstColumn) / static_cast<double>(chart.columns.size()));
  const double width = step * kColumnWidth / kStep;
  auto height_of = [&](double share) { return clamp_share(share) / scale_top * kPlotHeight; };

  nlohmann::json columns = nlohmann::json::array();
  for (size_t i = 0; i < chart.columns.size(); ++i) {
    const Column& c = chart.columns[i];
    double x = kFirstColumn + static_cast<double>(i) * step;
    double h = height_of(c.share);
    columns.push_back({{"b_x", fixed(x, 1)},
                       {"b_y", fixed(axis_y - h, 1)},
                       {"b_width", coordinate(width)},
                       {"b_height", fixed(h, 1)},
                       {"b_text_x", fixed(x + width / 2, 1)},
                       {"b_text_y", fixed(axis_y - h - 6, 1)},
                       {"b_value", !c.value_text.empty() ? c.value_text : format_percent(c.share)},
                       {"b_label", c.label},
                       {"b_label_y", coordinate(axis_y + 20)}});
  }
  nlohmann::json out = {{"c_id", chart.id},
                        {"c_title", chart.title},
                        {"c_desc", chart.description},
                        {"c_viewbox", "0 0 " + coordinate(kWidth) + " " + coordinate(kHeight)},
                        {"c_top_y", coordinate(kTop)},
                        {"c_top_label", fixed(scale_top * 100, 0) + "%"},
                        {"c_axis_y", coordinate(axis_y)},
                        {"c_axis_left", coordinate(kAxisLeft)},
                        {"c_axis_right", coordinate(kAxisRight)},
                        {"c_scale_label_x", coordinate(kAxisLeft - 6)},
                        {"c_axis_title", chart.axis_title},
                        {"c_axis_title_x", coordinate((kAxisLeft + kAxisRight) / 2)},
                        {"c_axis_title_y", coordinate(axis_y + 44)},
                        {"c_has_reference", chart.reference.has_value()},
                        {"c_columns", columns}};
  if (chart.reference) out["c_reference_y"] = fixed(axis_y - height_of(*chart.reference), 1);
  return out;
}

nlohmann::json table_json(const Table& table) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : table.rows) rows.push_back({{"cells", r}});
  return {{"t_id", table.id}, {"t_caption", table.caption},     {"t_head", table.head},
          {"t_rows", rows},   {"t_columns", table.head.size()}, {"has_rows", !table.rows.empty()}};
}

}  // namespace coproduce::report
