// A theory of change as a diagram: columns for inputs, activities, outputs,
// short-, medium- and long-term outcomes and impact (only the stages that
// have boxes), each box's text wrapped to fit, and arrows for the links
// between boxes. The layout is a pure function of the boxes and links: a
// column's x comes from its place among the stages shown, boxes stack down
// their column in the order given, and a box is as tall as its wrapped text.
//
// The same theory of change comes out as a nested list too (each stage, its
// boxes, and what each box leads to), which pages show after the diagram:
// it is what a screen reader reads, and what a narrow screen shows best.
// Built as data for templates/partials/theory_of_change.mustache (the
// diagram and the list); see charts.h for what every chart promises.
//
// Example:
//   report::TheoryOfChange t{"toc", "How the peer support programme makes a difference", "..."};
//   t.boxes = {{"time", report::Stage::kInputs, "Volunteers' time and lived experience"},
//              {"groups", report::Stage::kActivities, "Weekly peer support groups"},
//              {"less-lonely", report::Stage::kShortTermOutcomes, "People feel less lonely"}};
//   t.links = {{"time", "groups"}, {"groups", "less-lonely"}};
//   data["toc"] = report::theory_of_change_json(t);
#ifndef COPRODUCE_REPORT_THEORY_OF_CHANGE_H_
#define COPRODUCE_REPORT_THEORY_OF_CHANGE_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/charts.h"

namespace coproduce::report {

// The stages, left to right.
enum class Stage {
  kInputs,
  kActivities,
  kOutputs,
  kShortTermOutcomes,
  kMediumTermOutcomes,
  kLongTermOutcomes,
  kImpact,
};
// "Inputs", "Activities", "Outputs", "Short-term outcomes", "Medium-term
// outcomes", "Long-term outcomes", "Impact".
std::string_view stage_name(Stage stage);

struct ChangeBox {
  std::string id;  // the caller's, for links; unique within the theory of change
  Stage stage = Stage::kInputs;
  std::string text;
};

// `from` leads to `to`. A link naming a box that is not there is left out.
struct ChangeLink {
  std::string from;
  std::string to;
};

struct TheoryOfChange {
  std::string id;  // unique on the page, used for element ids
  std::string title;
  std::string description;  // says what is shown and that the list after it has the same
  std::vector<ChangeBox> boxes = {};
  std::vector<ChangeLink> links = {};
};

// The layout's measures, for callers and tests that check it.
inline constexpr double kChangeBoxWidth = 150;      // a column's width
inline constexpr double kChangeColumnGap = 40;      // between columns, where arrows run
inline constexpr size_t kChangeLineLength = 20;     // characters a line of box text holds
inline constexpr size_t kChangeHeadingLength = 16;  // characters a line of a column's heading holds (bold, larger)
inline constexpr double kChangeLineHeight = 17;     // a line of box text, at 13px
inline constexpr double kChangeBoxPadding = 8;      // above and below a box's text
inline constexpr double kChangeBoxGap = 16;         // between boxes in a column

// {c_id, c_title, c_desc, c_viewbox, c_width, c_height, c_arrow_id,
// c_columns: [{col_name, col_x, col_text_x, col_heading: [{line, line_y}]}],
// c_boxes: [{b_id, b_x, b_y, b_width, b_height, b_text_x,
// b_lines: [{line, line_y}]}], c_links: [{d}],
// c_stages: [{st_name, st_boxes: [{text, leads_to: [{text, stage}], has_leads_to}]}]}.
// A link runs from the middle of its box's right edge to the middle of the
// left edge of a box in a later column; to the right edge of one in an
// earlier column; and down (or up) the right side to a box in the same
// column. b_id is the chart's id and the box's place ("toc-box-3"), so any
// text may be a box's own id.
nlohmann::json theory_of_change_json(const TheoryOfChange& toc);

// The same as a table: a row a box, with its stage, its text (as the row's
// header) and what it leads to, the texts joined by "; " ("None" for nothing).
Table theory_of_change_table(const TheoryOfChange& toc, const std::string& id);

}  // namespace coproduce::report

#endif  // COPRODUCE_REPORT_THEORY_OF_CHANGE_H_
