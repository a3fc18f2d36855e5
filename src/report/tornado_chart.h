// A tornado chart: how far a result (a business case's net present value)
// moves when each assumption is set to the low and then the high end of its
// range, the others held at their central values. A row an assumption, in
// the order given (the largest swing first, as impact::compute sorts its
// sensitivity); a line down the chart at the central result; and for each
// row a bar from that line to the result at the low end and another to the
// result at the high end. The low end's bar is outlined and the high end's
// filled, so they differ by more than colour; each is labelled with its
// result. Values may be negative, and 0 gets a line of its own when it is
// on the scale (for NPV, where the case breaks even).
//
// Built as data for templates/partials/tornado_chart.mustache, with
// tornado_table for the data table after it; see charts.h for what every
// chart promises.
//
// Example, from impact::BusinessCase bc:
//   report::TornadoChart c{"chart-sensitivity", "What moves the net present value most", "...",
//                          report::Unit::kMoney, static_cast<double>(bc.net_present_value_pence)};
//   for (const auto& s : bc.sensitivity)
//     c.rows.push_back({s.outcome_name + ": " + std::string(impact::assumption_label(s.assumption)),
//                       "12 to 36",  // the range tried, in the assumption's units
//                       static_cast<double>(s.at_low.net_present_value_pence),
//                       static_cast<double>(s.at_high.net_present_value_pence)});
//   data["chart"] = report::tornado_chart_json(c);
//   data["table"] = report::table_json(report::tornado_table(c, "table-sensitivity"));
#ifndef COPRODUCE_REPORT_TORNADO_CHART_H_
#define COPRODUCE_REPORT_TORNADO_CHART_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/charts.h"
#include "report/scale.h"

namespace coproduce::report {

struct TornadoRow {
  std::string label;       // the assumption: "Less lonely: deadweight"
  std::string range_text;  // the range tried, in its own units: "10% to 40%"
  double at_low = 0;       // the result with the assumption at the low end of its range
  double at_high = 0;      // and at the high end
};

struct TornadoChart {
  std::string id;  // unique on the page, used for element ids
  std::string title;
  std::string description;   // says what is shown and that the table after it has the figures
  Unit unit = Unit::kMoney;  // of the result
  double central = 0;        // the result with every assumption central
  std::vector<TornadoRow> rows = {};
  std::string central_name = "Central estimate";
  std::string low_name = "Low end of the range";
  std::string high_name = "High end of the range";
};

// {c_id, c_title, c_desc, c_viewbox, c_height, c_top, c_bottom,
// c_key: {low_x, high_x, y, size, low_text_x, high_text_x, text_y, low_name,
// high_name}, c_ticks: [{t_x, t_label}], c_tick_label_y, c_central_x,
// c_central_text, c_central_text_x, c_central_text_y, c_zero_x (when 0 is on
// the scale and is not the central value), c_rows: [{r_label, r_range,
// r_label_y, r_low: {x, y, width, height, text, text_x, text_y, anchor},
// r_high: {...}}]}. A bar's text sits beyond its outer end: to the left of a
// bar that goes left, to the right of one that goes right.
nlohmann::json tornado_chart_json(const TornadoChart& chart);

// The figures: a row an assumption (as a row header) with the range tried,
// the result at each end and the swing between them; the central result is
// in the caption.
Table tornado_table(const TornadoChart& chart, const std::string& id);

}  // namespace coproduce::report

#endif  // COPRODUCE_REPORT_TORNADO_CHART_H_
