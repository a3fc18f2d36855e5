#include "report/theory_of_change.h"

#include <algorithm>
#include <map>
#include <set>

#include "report/drawing.h"

namespace coproduce::report {
namespace {

using draw::coordinate;

constexpr double kMargin = 2, kHeadingLine = 18, kMinWidth = 640;

struct Placed {
  double x = 0, y = 0, height = 0;
  size_t column = 0;
};

// The links that name boxes which are there, as (from, to) indexes into
// the boxes, in the order given. Where two boxes share an id, links name
// the first.
std::vector<std::pair<size_t, size_t>> links_between(const TheoryOfChange& toc) {
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < toc.boxes.size(); ++i) index_of.emplace(toc.boxes[i].id, i);
  std::vector<std::pair<size_t, size_t>> out;
  for (const ChangeLink& l : toc.links) {
    auto from = index_of.find(l.from), to = index_of.find(l.to);
    if (from != index_of.end() && to != index_of.end()) out.emplace_back(from->second, to->second);
  }
  return out;
}

}  // namespace

std::string_view stage_name(Stage stage) {
  switch (stage) {
    case Stage::kInputs: return "Inputs";
    case Stage::kActivities: return "Activities";
    case Stage::kOutputs: return "Outputs";
    case Stage::kShortTermOutcomes: return "Short-term outcomes";
    case Stage::kMediumTermOutcomes: return "Medium-term outcomes";
    case Stage::kLongTermOutcomes: return "Long-term outcomes";
    case Stage::kImpact: return "Impact";
  }
  return "";
}

nlohmann::json theory_of_change_json(const TheoryOfChange& toc) {
  // A column for each stage that has boxes, in the stages' order.
  std::set<Stage> shown;
  for (const ChangeBox& b : toc.boxes) shown.insert(b.stage);
  std::map<Stage, size_t> column_of;
  for (Stage s : shown) column_of.emplace(s, column_of.size());
  auto column_x = [](size_t c) { return kMargin + static_cast<double>(c) * (kChangeBoxWidth + kChangeColumnGap); };

  nlohmann::json columns = nlohmann::json::array();
  size_t heading_lines = 0;
  for (Stage s : shown) heading_lines = std::max(heading_lines, draw::wrap(stage_name(s), kChangeHeadingLength).size());
  for (Stage s : shown) {
    nlohmann::json heading = nlohmann::json::array();
    double y = kHeadingLine - 4;
    for (const std::string& line : draw::wrap(stage_name(s), kChangeHeadingLength)) {
      heading.push_back({{"line", line}, {"line_y", coordinate(y)}});
      y += kHeadingLine;
    }
    double x = column_x(column_of[s]);
    columns.push_back({{"col_name", stage_name(s)},
                       {"col_x", coordinate(x)},
                       {"col_text_x", coordinate(x + 2)},
                       {"col_heading", heading}});
  }

  // Boxes stack down their column in the order given, each as tall as its text.
  const double first_y = static_cast<double>(heading_lines) * kHeadingLine + 10;
  std::vector<double> next_y(shown.size(), first_y);
  std::vector<Placed> placed;
  nlohmann::json boxes = nlohmann::json::array();
  double bottom = first_y;
  for (size_t i = 0; i < toc.boxes.size(); ++i) {
    const ChangeBox& b = toc.boxes[i];
    std::vector<std::string> lines = draw::wrap(b.text, kChangeLineLength);
    if (lines.empty()) lines.push_back("");
    Placed p;
    p.column = column_of[b.stage];
    p.x = column_x(p.column);
    p.y = next_y[p.column];
    p.height = 2 * kChangeBoxPadding + static_cast<double>(lines.size()) * kChangeLineHeight;
    next_y[p.column] = p.y + p.height + kChangeBoxGap;
    bottom = std::max(bottom, p.y + p.height);
    nlohmann::json text = nlohmann::json::array();
    for (size_t l = 0; l < lines.size(); ++l) {
      // A baseline 4 above the bottom of its line.
      double line_y = p.y + kChangeBoxPadding + static_cast<double>(l + 1) * kChangeLineHeight - 4;
      text.push_back({{"line", lines[l]}, {"line_y", coordinate(line_y)}});
    }
    boxes.push_back({{"b_id", toc.id + "-box-" + std::to_string(i + 1)},
                     {"b_x", coordinate(p.x)},
                     {"b_y", coordinate(p.y)},
                     {"b_width", coordinate(kChangeBoxWidth)},
                     {"b_height", coordinate(p.height)},
                     {"b_text_x", coordinate(p.x + 8)},
                     {"b_lines", text}});
    placed.push_back(p);
  }

  std::vector<std::vector<size_t>> leads_to(toc.boxes.size());
  nlohmann::json links = nlohmann::json::array();
  for (const auto& [from, to] : links_between(toc)) {
    leads_to[from].push_back(to);
    const Placed &a = placed[from], &b = placed[to];
    double y1 = a.y + a.height / 2, y2 = b.y + b.height / 2, x1, x2, bend1, bend2;
    if (b.column > a.column) {
      x1 = a.x + kChangeBoxWidth;
      x2 = b.x;
      bend1 = bend2 = (x1 + x2) / 2;
    } else if (b.column < a.column) {
      x1 = a.x;
      x2 = b.x + kChangeBoxWidth;
      bend1 = bend2 = (x1 + x2) / 2;
    } else {
      // Out into the gap on the right and back in.
      x1 = x2 = a.x + kChangeBoxWidth;
      bend1 = bend2 = x1 + kChangeColumnGap * 0.75;
    }
    links.push_back({{"d", "M" + coordinate(x1) + " " + coordinate(y1) + " C" + coordinate(bend1) + " " +
                               coordinate(y1) + " " + coordinate(bend2) + " " + coordinate(y2) + " " +
                               coordinate(x2) + " " + coordinate(y2)}});
  }

  nlohmann::json stages = nlohmann::json::array();
  for (Stage s : shown) {
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < toc.boxes.size(); ++i) {
      if (toc.boxes[i].stage != s) continue;
      nlohmann::json targets = nlohmann::json::array();
      for (size_t t : leads_to[i]) {
        targets.push_back({{"text", toc.boxes[t].text}, {"stage", stage_name(toc.boxes[t].stage)}});
      }
      list.push_back({{"text", toc.boxes[i].text}, {"leads_to", targets}, {"has_leads_to", !targets.empty()}});
    }
    stages.push_back({{"st_name", stage_name(s)}, {"st_boxes", list}});
  }

  double width = shown.empty() ? kMinWidth
                               : std::max(kMinWidth, column_x(shown.size() - 1) + kChangeBoxWidth + kMargin);
  // Room on the right for a link that loops back into the last column.
  if (!shown.empty()) width += kChangeColumnGap;
  const double height = bottom + kMargin + 2;
  return {{"c_id", toc.id},
          {"c_title", toc.title},
          {"c_desc", toc.description},
          {"c_viewbox", "0 0 " + coordinate(width) + " " + coordinate(height)},
          {"c_width", coordinate(width)},
          {"c_height", coordinate(height)},
          {"c_arrow_id", toc.id + "-arrow"},
          {"c_columns", columns},
          {"c_boxes", boxes},
          {"c_links", links},
          {"c_stages", stages}};
}

Table theory_of_change_table(const TheoryOfChange& toc, const std::string& id) {
  Table t{id, toc.title, {"Box", "Stage", "Leads to"}, {}, true, {}};
  std::vector<std::string> leads(toc.boxes.size());
  for (const auto& [from, to] : links_between(toc)) {
    leads[from] += (leads[from].empty() ? "" : "; ") + toc.boxes[to].text;
  }
  for (size_t i = 0; i < toc.boxes.size(); ++i) {
    const ChangeBox& b = toc.boxes[i];
    t.rows.push_back({b.text, std::string(stage_name(b.stage)), leads[i].empty() ? "None" : leads[i]});
  }
  return t;
}

}  // namespace coproduce::report
