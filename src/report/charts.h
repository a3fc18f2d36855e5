// Charts as accessible SVG, each with the data table that follows it: the
// one home of chart geometry. A chart comes out as data for a template in
// templates/partials/ (bar_chart, benchmark_bar_chart, column_chart,
// stacked_bar_chart; a Table for data_table), so handlers only choose what
// to show, never where it is drawn. Line charts, tornado charts and the
// theory of change diagram have headers of their own beside this one.
// Every builder is a pure function of its argument and safe to call from any
// thread.
//
// Every chart's SVG has role="img" and is labelled by its <title> and
// <desc>, whose element ids come from the chart's id (so two charts on a
// page need two ids); its text is GOV.UK black on white, or white on a
// colour dark enough for it. Text goes to the template as it is: the
// template escapes it.
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

#include "report/format.h"

namespace coproduce::report {

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
// b_height, b_text_x, b_label_y, b_bar_y, b_value_y, b_value}]}.
nlohmann::json bar_chart_json(const BarChart& chart);

// The same chart as SVG text, for a self-contained document written without
// templates (the survey's HTML report): labels to the left of their bars in
// a column as wide as the longest needs, bars up to 300 long, the value after
// each bar, and no bar drawn for a bar with no share. Text is escaped here.
// Styled by the document: class "chart" on the SVG, "bar" on the bars.
std::string bar_chart_svg(const BarChart& chart);

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
// c_key: {x, y, size, text_x, text_y, benchmark_x, benchmark_y,
// benchmark_size, benchmark_text_x}, c_bars: [{b_label, b_label_y, b_y,
// b_width, b_height, b_text_x, b_text_y, b_value, m_y, m_width, m_height,
// m_text_x, m_text_y, m_value}]}: b_ for the share, m_ for the benchmark (the
// "mark" it is measured against). For partials/benchmark_bar_chart.
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
// For partials/column_chart.
nlohmann::json column_chart_json(const ColumnChart& chart);

// Horizontal bars each split into segments, one for each entry of a key,
// such as the rungs of the ladder of participation each group has reached.
// A bar's shares are of the whole bar (0 to 1 each, adding up to 1 at most);
// the segments follow the key's order from the left, so they can be told
// apart by place and by the key as well as by colour, and a segment wide
// enough for it has its percentage written on it in white. The label sits
// above its bar; the total is written after it.
//
// Example:
//   report::StackedBarChart c{"chart-rungs", "Highest rung reached, by group", "...", {}, {}};
//   c.key = {"Informing", "Consulting", "Co-producing"};
//   c.bars.push_back({"Carers Board", {0.2, 0.3, 0.4}, ""});  // 90% reached a rung
//   data["chart"] = report::stacked_bar_chart_json(c);
//   data["table"] = report::table_json(report::stacked_bar_table(c, "table-rungs", "Group"));
struct StackedBar {
  std::string label;
  std::vector<double> shares;  // one a key entry, in the key's order; missing ones are 0
  std::string value_text;      // written after the bar; the total percentage when empty
};

struct StackedBarChart {
  std::string id;  // unique on the page, used for element ids
  std::string title;
  std::string description;  // says what is shown and that the table after it has the figures
  std::vector<std::string> key;  // the segments' names, in order
  std::vector<StackedBar> bars;
};

// {c_id, c_title, c_desc, c_viewbox, c_height, c_key: [{k_x, k_y, k_size,
// k_text_x, k_text_y, k_fill, k_name}], c_bars: [{b_label, b_label_y, b_y,
// b_height, b_value, b_value_x, b_value_y, b_segments: [{s_x, s_width,
// s_fill, s_name, s_has_text, s_text, s_text_x}]}]}. Shares are clamped to 0
// to 1 and a bar's segments stop at its full length. For
// partials/stacked_bar_chart.
nlohmann::json stacked_bar_chart_json(const StackedBarChart& chart);

// A data table: a caption, a heading for each column, and rows of cells.
// With row_headers, each row's first cell heads the row (<th scope="row">);
// numeric columns are set right, as GOV.UK sets figures.
struct Table {
  std::string id;  // unique on the page: the caption's id is id + "-caption"
  std::string caption;
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
  bool row_headers = false;
  std::vector<size_t> numeric_columns = {};  // from 0
};

// {t_id, t_caption, t_head: [{text, numeric}], t_rows: [{cells: [{text,
// header, numeric}]}], t_columns, has_rows}, for partials/data_table.
nlohmann::json table_json(const Table& table);

// The figures of a stacked bar chart: a row a bar, with `first_heading`
// over the labels, a column a key entry and the total.
Table stacked_bar_table(const StackedBarChart& chart, const std::string& id, const std::string& first_heading);

}  // namespace coproduce::report

#endif  // COPRODUCE_REPORT_CHARTS_H_
