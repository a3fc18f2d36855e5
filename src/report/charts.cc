#include "report/charts.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "report/drawing.h"

namespace coproduce::report {
namespace {

using draw::coordinate;
using draw::fixed;

double clamp_share(double share) { return std::clamp(share, 0.0, 1.0); }

}  // namespace

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
                    {"b_height", coordinate(kBarHeight)},
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

std::string bar_chart_svg(const BarChart& chart) {
  // Labels are never cut short: the label column is as wide as the longest
  // label needs (about 7 pixels a byte at 13px Arial), and the viewBox
  // scales the whole chart to the page.
  size_t longest = 0;
  for (const Bar& b : chart.bars) longest = std::max(longest, b.label.size());
  const int label_width = static_cast<int>(std::clamp<size_t>(longest * 7 + 16, 120, 640));
  const int chart_width = 300, value_width = 90, row = 26, top = 8;
  const int width = label_width + chart_width + value_width;
  const int height = top * 2 + row * static_cast<int>(chart.bars.size());
  const std::string& id = chart.id;
  std::ostringstream o;
  o << "<svg class=\"chart\" role=\"img\" aria-labelledby=\"" << escape_html(id) << "-title " << escape_html(id)
    << "-desc\" viewBox=\"0 0 " << width << ' ' << height << "\" width=\"" << width << "\" height=\"" << height
    << "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  o << "<title id=\"" << escape_html(id) << "-title\">" << escape_html(chart.title) << "</title>\n";
  o << "<desc id=\"" << escape_html(id) << "-desc\">" << escape_html(chart.description) << "</desc>\n";
  for (size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& b = chart.bars[i];
    const int y = top + row * static_cast<int>(i);
    o << "<text x=\"" << label_width - 8 << "\" y=\"" << y + 17 << "\" text-anchor=\"end\">" << escape_html(b.label)
      << "</text>\n";
    const int w = static_cast<int>(std::lround(clamp_share(b.share.value_or(0)) * chart_width));
    if (w > 0) {
      o << "<rect x=\"" << label_width << "\" y=\"" << y + 4 << "\" width=\"" << w << "\" height=\"" << row - 8
        << "\" class=\"bar\"/>\n";
    }
    std::string value = !b.value_text.empty() ? b.value_text : b.share ? format_percent(*b.share) : chart.missing_text;
    o << "<text x=\"" << label_width + w + 6 << "\" y=\"" << y + 17 << "\">" << escape_html(value) << "</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

nlohmann::json benchmark_bar_chart_json(const BenchmarkBarChart& chart) {
  // Labels in a column on the left; each pair of bars starts at kLeft. The
  // key above the bars has a swatch and a name for each series.
  constexpr double kLeft = 130, kMaxBar = 400, kFirstRow = 44, kRowStep = 56, kBarHeight = 18;
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
                    {"b_height", coordinate(kBarHeight)},
                    {"b_text_x", fixed(kLeft + w + 6, 1)},
                    {"b_text_y", fixed(y + 14, 1)},
                    {"b_value", value},
                    // The outline is drawn 2 wide about its edge, so the
                    // benchmark's box is a pixel shorter to look as tall.
                    {"m_y", fixed(y + 22, 1)},
                    {"m_width", fixed(m, 1)},
                    {"m_height", coordinate(kBarHeight - 1)},
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
            {"size", "14"},
            {"text_x", coordinate(kLeft + 22)},
            {"y", "6"},
            {"text_y", "18"},
            {"benchmark_x", coordinate(kLeft + 160)},
            {"benchmark_y", "7"},  // a pixel lower (and smaller) so that with its outline it lines up
            {"benchmark_size", "13"},
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

nlohmann::json stacked_bar_chart_json(const StackedBarChart& chart) {
  // The key runs along the top, an entry after another, onto a new line when
  // the next would pass the right edge. Then, as in bar_chart_json, a label
  // row above each bar; a share of 1 is kMaxBar long.
  constexpr double kWidth = 640, kSwatch = 14, kKeyRow = 24, kLabelRow = 22, kBarHeight = 24, kGap = 14,
                   kMaxBar = 520, kFont = 14, kSegmentFont = 13;
  nlohmann::json key = nlohmann::json::array();
  double x = 0, y = 4;
  for (size_t i = 0; i < chart.key.size(); ++i) {
    double entry = kSwatch + 6 + draw::text_width(chart.key[i], kFont);
    if (x > 0 && x + entry > kWidth) {
      x = 0;
      y += kKeyRow;
    }
    key.push_back({{"k_x", coordinate(x)},
                   {"k_y", coordinate(y)},
                   {"k_size", coordinate(kSwatch)},
                   {"k_text_x", coordinate(x + kSwatch + 6)},
                   {"k_text_y", coordinate(y + 12)},
                   {"k_fill", draw::colour(i)},
                   {"k_name", chart.key[i]}});
    x += entry + 20;
  }
  y = chart.key.empty() ? 10 : y + kKeyRow + 10;

  nlohmann::json bars = nlohmann::json::array();
  for (const StackedBar& b : chart.bars) {
    nlohmann::json segments = nlohmann::json::array();
    double start = 0;  // as a share of the whole bar
    for (size_t i = 0; i < chart.key.size(); ++i) {
      double share = i < b.shares.size() ? clamp_share(b.shares[i]) : 0;
      share = std::min(share, 1.0 - start);
      std::string text = format_percent(share);
      double w = share * kMaxBar;
      segments.push_back({{"s_x", fixed(start * kMaxBar, 1)},
                          {"s_width", fixed(w, 1)},
                          {"s_fill", draw::colour(i)},
                          {"s_name", chart.key[i]},
                          {"s_has_text", w >= draw::text_width(text, kSegmentFont) + 8},
                          {"s_text", text},
                          {"s_text_x", fixed((start + share / 2) * kMaxBar, 1)}});
      start += share;
    }
    std::string value = !b.value_text.empty() ? b.value_text : format_percent(start);
    bars.push_back({{"b_label", b.label},
                    {"b_label_y", fixed(y + 15, 1)},
                    {"b_y", fixed(y + kLabelRow, 1)},
                    {"b_height", coordinate(kBarHeight)},
                    {"b_value", value},
                    {"b_value_x", fixed(start * kMaxBar + 8, 1)},
                    {"b_value_y", fixed(y + kLabelRow + 17, 1)},
                    {"b_segments", segments}});
    y += kLabelRow + kBarHeight + kGap;
  }
  return {{"c_id", chart.id},
          {"c_title", chart.title},
          {"c_desc", chart.description},
          {"c_viewbox", "0 0 " + coordinate(kWidth) + " " + fixed(y, 0)},
          {"c_height", fixed(y, 0)},
          {"c_key", key},
          {"c_bars", bars}};
}

nlohmann::json table_json(const Table& table) {
  auto numeric = [&](size_t column) {
    return std::find(table.numeric_columns.begin(), table.numeric_columns.end(), column) !=
           table.numeric_columns.end();
  };
  nlohmann::json head = nlohmann::json::array();
  for (size_t c = 0; c < table.head.size(); ++c) head.push_back({{"text", table.head[c]}, {"numeric", numeric(c)}});
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : table.rows) {
    nlohmann::json cells = nlohmann::json::array();
    for (size_t c = 0; c < r.size(); ++c) {
      // Every key on every cell: a section on a key a cell lacked would look
      // it up in the table around it.
      cells.push_back({{"text", r[c]}, {"header", table.row_headers && c == 0}, {"numeric", numeric(c)}});
    }
    rows.push_back({{"cells", cells}});
  }
  return {{"t_id", table.id}, {"t_caption", table.caption},     {"t_head", head},
          {"t_rows", rows},   {"t_columns", table.head.size()}, {"has_rows", !table.rows.empty()}};
}

Table stacked_bar_table(const StackedBarChart& chart, const std::string& id, const std::string& first_heading) {
  Table t{id, chart.title, {first_heading}, {}, true, {}};
  for (size_t i = 0; i < chart.key.size(); ++i) {
    t.head.push_back(chart.key[i]);
    t.numeric_columns.push_back(i + 1);
  }
  t.head.push_back("Total");
  t.numeric_columns.push_back(chart.key.size() + 1);
  for (const StackedBar& b : chart.bars) {
    std::vector<std::string> row{b.label};
    double total = 0;
    for (size_t i = 0; i < chart.key.size(); ++i) {
      // The same clamped shares the chart draws.
      double share = std::min(i < b.shares.size() ? clamp_share(b.shares[i]) : 0, 1.0 - total);
      row.push_back(format_percent(share));
      total += share;
    }
    row.push_back(format_percent(total));
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace coproduce::report
