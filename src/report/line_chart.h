// A line chart of measures over time, such as an indicator's value each
// month against the target it should reach: one or more series of (period,
// value), a y-axis with round steps in the measure's unit, an optional target
// (a value and the period it is due by) and an optional baseline. Built as
// data for templates/partials/line_chart.mustache, with line_chart_table for
// the data table after it; see charts.h for what every chart promises.
//
// The x-axis is time: each period is placed by its date, so periods need
// not be evenly spaced, and a quarterly series can share a chart with a
// monthly one. A series' line joins its points in date order, broken where
// it gives a period with no value (a point with no neighbours is still
// drawn, as its marker). Series differ by dash pattern and marker shape as
// well as colour, and the key shows all three.
//
// Example:
//   report::LineChart c{"chart-lonely", "People less lonely, each month", "...", report::Unit::kCount};
//   c.axis_title = "People";
//   c.series.push_back({"Carers Board", {{"2026-01", 4}, {"2026-02", 6}, {"2026-03", std::nullopt}}});
//   c.target = report::ChartTarget{12, "2026-12", "Target"};
//   data["chart"] = report::line_chart_json(c);
//   data["table"] = report::table_json(report::line_chart_table(c, "table-lonely", "Month"));
#ifndef COPRODUCE_REPORT_LINE_CHART_H_
#define COPRODUCE_REPORT_LINE_CHART_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/charts.h"
#include "report/scale.h"

namespace coproduce::report {

// A period is written as a date, "2026-03-31"; a month, "2026-03" or
// "Mar 2026" (or "March 2026"); or a calendar quarter, "2026-Q1". It is
// placed at the date or the first day of its month or quarter, and labelled
// "31 Mar 2026", "Mar 2026" or "Jan to Mar 2026". nullopt when `period` is
// none of these.
struct Period {
  std::string date;   // where it is placed: the date, or the month's first day
  std::string label;  // as axes and tables write it
};
std::optional<Period> read_period(std::string_view period);

struct LinePoint {
  std::string period;           // as read_period reads it
  std::optional<double> value;  // nullopt: no figure for this period, so a gap in the line
};

struct LineSeries {
  std::string name;  // in the key and the table's heading
  std::vector<LinePoint> points;
};

// A value to reach by a period (drawn as a dashed line across the chart to
// that period, with a marker at it), or the baseline a measure started from
// (a marker at its period).
struct ChartTarget {
  double value = 0;
  std::string period;  // as read_period reads it
  std::string name;    // "Target", "Baseline": written beside the marker with the value and period
};

struct LineChart {
  std::string id;  // unique on the page, used for element ids
  std::string title;
  std::string description;  // says what is shown and that the table after it has the figures
  Unit unit = Unit::kCount;
  std::string axis_title = {};  // what the y-axis counts: "People", "Share of members"
  std::vector<LineSeries> series = {};
  std::optional<ChartTarget> target = std::nullopt;
  std::optional<ChartTarget> baseline = std::nullopt;
  // The y-axis runs from 0 (or the lowest value, when one is below 0) to a
  // round step above the highest value, target or baseline, unless these
  // set its ends: a score's scale (14 to 70), or 0 to 1 for a percentage.
  std::optional<double> y_min = std::nullopt;
  std::optional<double> y_max = std::nullopt;
};

// {c_id, c_title, c_desc, c_viewbox, c_height, c_axis_title, c_axis_title_y,
// c_left, c_right, c_top, c_bottom, c_y_ticks: [{t_y, t_label, t_label_x}],
// c_x_ticks: [{t_x, t_label, t_show, t_tick_end, t_label_x, t_label_y}], c_key: [{k_x1, k_x2, k_y,
// k_marker, k_text_x, k_text_y, k_name, k_colour, k_dash}], c_series:
// [{s_name, s_colour, s_dash, s_lines: [{d}], s_points: [{p_marker}]}],
// c_target and c_baseline (when set): {x1, x2, y, marker, text, text_x,
// text_y, anchor}}. Points whose period cannot be read are left out (a
// programmer's mistake, asserted in a debug build), as are a target or
// baseline whose period cannot be read.
nlohmann::json line_chart_json(const LineChart& chart);

// The figures: a row a period in date order, `first_heading` over the
// periods' labels and a column a series ("No figure" where a series has
// none), then a row each for the baseline and the target when set, their
// value under every series.
Table line_chart_table(const LineChart& chart, const std::string& id, const std::string& first_heading);

}  // namespace coproduce::report

#endif  // COPRODUCE_REPORT_LINE_CHART_H_
