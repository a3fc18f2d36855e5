// Charts as accessible SVG, each with the data table that follows it: the
// one home of chart geometry. A chart comes out as data for a template (a
// BarChart for partials/bar_chart.mustache, a Table for
// partials/data_table.mustache; the others for the SVG of the page that
// shows them), so handlers only choose what to show, never where it is drawn.
// Every builder is a pure function of its argument and safe to call from any
// thread.
//
// Example:
//   report::BarChart c{"chart-roles", "Learning done, by role", "The share of ...", {}};
//   c.bars.push_back({"Care worker", 0.42, ""});
//   data["chart"] = report::bar_chart_json(c);
#ifndef COPRODUCE_REPORT_CHARTS_H_
#define COPRODUCE_REPORT_CHARTS_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace coproduce::report {

// "42.5%" from 0.425: one decimal place, rounded half away from zero.
std::string format_percent(double share);

struct Bar {
  std::string label;
  std::optional<double> share;  // 0 to 1; none when there is nothing to show
  std::string value_text;       // written at the end of the bar; the percentage when empty
};

// A horizontal bar chart of shares, with a title and a description for
// screen readers (the SVG has role img and is labelled by both).
struct BarChart {
  std::string id;  // unique on the page, used for element ids
  std::string title;
  std::string description;  // says what is shown and that the table after it has the figures
  std::vector<Bar> bars;
  std::string missing_text = "no figure";  // written for a bar with no share
};

// {c_id, c_title, c_desc, c_viewbox, c_height, c_bars: [{b_label, b_width,
// b_text_x, b_label_y, b_bar_y, b_value_y, b_value}]}.
nlohmann::json bar_chart_json(const BarChart& chart);

// Horizontal bars of shares, each with a benchmark bar beneath it to compare
// against, and a key naming the two. The label sits to the left of its pair,
// so labels should be short (up to about 16 characters).
//
// Example:
//   report::BenchmarkBarChart c{"chart-sex", "Share of places by sex, against the benchmark", "...", {}};
//   c.bars.push_back({"Female", 0.6, "", 0.51, ""});
//   data["chart"] = report::benchmark_bar_chart_json(c);
struct BenchmarkBar {
  std::string label;
  double share = 0;                 // 0 to 1 (clamped)
  std::string value_text;           // the percentage when empty
  std::optional<double> benchmark;  // 0 to 1 (clamped); none when there is no benchmark
  std::string benchmark_text;       // the percentage (or missing_text) when empty
};

struct BenchmarkBarChart {
  std::string id;  // unique on the page, used for element ids
  std::string title;
  std::string description;
  std::vector<BenchmarkBar> bars;
  std::string series_name = "Share";         // the key's name for the filled bars
  std::string benchmark_name = "Benchmark";  // and for the outlined ones
  std::string missing_text = "none";         // written for a bar with no benchmark
};

// {c_id, c_title, c_desc, c_viewbox, c_height, c_left, c_series, c_benchmark,
// c_key: {x, y, text_x, text_y, benchmark_x, benchmark_y, benchmark_text_x},
// c_bars: [{b_label, b_label_y, b_y, b_width, b_text_x, b_text_y, b_value,
// m_y, m_width, m_text_x, m_text_y, m_value}]}: b_ for the share, m_ for the
// benchmark (the "mark" it is measured against).
nlohmann::json benchmark_bar_chart_json(const BenchmarkBarChart& chart);

// A vertical column chart of shares on a scale from 0 that starts at 20% and
// grows in steps of 10% to hold the largest share (and the reference), with an
// optional dashed reference line (such as the share each column would have if all were
// equal). Up to ten columns sit at a fixed spacing; more are squeezed in.
//
// Example:
//   report::ColumnChart c{"chart-tenths", "Share of places by tenth", "...", "Tenths of people", {}};
//   c.columns.push_back({"1st", 0.35, ""});
//   c.reference = 0.1;
//   data["tenths_chart"] = report::column_chart_json(c);
struct Column {
  std::string label;       // written under the column
  double share = 0;        // 0 to 1 (clamped)
  std::string value_text;  // written above the column; the percentage when empty
};

struct ColumnChart {
  std::string id;  // unique on the page, used for element ids
  std::string title;
  std::string description;
  std::string axis_title;  // written under the column labels
  std::vector<Column> columns;
  std::optional<double> reference = std::nullopt;  // a share marked across the chart by a dashed line
};

// {c_id, c_title, c_desc, c_viewbox, c_top_y, c_top_label, c_axis_y,
// c_axis_left, c_axis_right, c_scale_label_x, c_axis_title, c_axis_title_x,
// c_axis_title_y, c_has_reference, c_reference_y, c_columns: [{b_x, b_y,
// b_width, b_height, b_text_x, b_text_y, b_value, b_label, b_label_y}]}.
nlohmann::json column_chart_json(const ColumnChart& chart);

// A data table: {t_id, t_caption, t_head: [...], t_rows: [{cells: [...]}], t_columns, has_rows}.
struct Table {
  std::string id;
  std::string caption;
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
};
nlohmann::json table_json(const Table& table);

}  // namespace coproduce::report

#endif  // COPRODUCE_REPORT_CHARTS_H_
