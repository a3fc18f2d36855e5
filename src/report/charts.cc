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
    std::string value = !b.value_text.empty() ? b.value_text
                        : b.share             ? format_percent(*b.share)
                                              : chart.missing_text;
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

nlohmann::json table_json(const Table& table) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : table.rows) rows.push_back({{"cells", r}});
  return {{"t_id", table.id},
          {"t_caption", table.caption},
          {"t_head", table.head},
          {"t_rows", rows},
          {"t_columns", table.head.size()},
          {"has_rows", !table.rows.empty()}};
}

}  // namespace coproduce::report
