// Charts as accessible SVG, each with the data table that follows it: the
// one home of chart geometry. A chart comes out as data for the template
// partials/bar_chart.mustache (and a table for partials/data_table.mustache),
// so handlers only choose what to show, never where it is drawn.
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
  std::string id;           // unique on the page, used for element ids
  std::string title;
  std::string description;  // says what is shown and that the table after it has the figures
  std::vector<Bar> bars;
  std::string missing_text = "no figure";  // written for a bar with no share
};

// {c_id, c_title, c_desc, c_viewbox, c_height, c_bars: [{b_label, b_width,
// b_text_x, b_label_y, b_bar_y, b_value_y, b_value}]}.
nlohmann::json bar_chart_json(const BarChart& chart);

// A data table: {t_id, t_caption, t_head: [...], t_rows: [{cells: [...]}], has_rows}.
struct Table {
  std::string id;
  std::string caption;
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
};
nlohmann::json table_json(const Table& table);

}  // namespace coproduce::report

#endif  // COPRODUCE_REPORT_CHARTS_H_
