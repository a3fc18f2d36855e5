#include "learning/coverage_export.h"

#include <sstream>
#include <vector>

#include "core/csv.h"
#include "learning/vocab.h"
#include "sheets/sheets.h"

namespace coproduce::learning {
namespace {

nlohmann::json share_json(const std::optional<double>& share) {
  return share ? nlohmann::json(*share) : nlohmann::json();
}

nlohmann::json groups_json(const std::vector<CoverageCount>& groups, const char* key) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& g : groups)
    out.push_back({{key, g.key}, {"workers", g.workers}, {"completed", g.completed}, {"share", share_json(g.share)}});
  return out;
}

struct Line {
  std::string breakdown, code, label;
  int64_t workers, completed;
  std::optional<double> share;
};

std::vector<Line> lines_of(const Coverage& c) {
  std::vector<Line> out = {{"all", "", "Everyone with required learning", c.workers, c.completed, c.share}};
  for (const auto& g : c.by_role_category)
    out.push_back({"role_category", g.key, label_of(role_categories(), g.key), g.workers, g.completed, g.share});
  for (const auto& g : c.by_closeness)
    out.push_back({"closeness", g.key, label_of(closeness_levels(), g.key), g.workers, g.completed, g.share});
  for (const auto& g : c.by_workplace)
    out.push_back({"workplace", g.key, g.key.empty() ? "No workplace given" : g.key, g.workers, g.completed, g.share});
  for (const auto& g : c.by_team)
    out.push_back({"team", g.key, g.key.empty() ? "No team given" : g.key, g.workers, g.completed, g.share});
  return out;
}

std::string share_text(const std::optional<double>& share) {
  if (!share) return "";
  std::ostringstream s;
  s.precision(4);
  s << std::fixed << *share;
  return s.str();
}

}  // namespace

nlohmann::json coverage_json(const Coverage& c) {
  return {{"date", c.date},
          {"workers", c.workers},
          {"completed", c.completed},
          {"share", share_json(c.share)},
          {"by_role_category", groups_json(c.by_role_category, "role_category")},
          {"by_closeness", groups_json(c.by_closeness, "closeness")},
          {"by_workplace", groups_json(c.by_workplace, "workplace")},
          {"by_team", groups_json(c.by_team, "team")},
          {"overdue", c.overdue},
          {"expiring_soon", c.expiring_soon}};
}

std::string coverage_csv(const Coverage& c) {
  std::ostringstream out;
  csv::Writer w(out);
  w.write_row({"date", "breakdown", "code", "label", "workers", "completed", "share"});
  for (const auto& l : lines_of(c))
    w.write_row({c.date, l.breakdown, csv::inert(l.code), csv::inert(l.label), std::to_string(l.workers),
                 std::to_string(l.completed), share_text(l.share)});
  return out.str();
}

StatusOr<std::string> coverage_xlsx(const Coverage& c) {
  using sheets::Cell;
  sheets::Sheet sheet{"Coverage", {}};
  sheet.rows.push_back({Cell::of("Date"), Cell::of("Breakdown"), Cell::of("Code"), Cell::of("Group"),
                        Cell::of("Workers"), Cell::of("Completed"), Cell::of("Share")});
  for (const auto& l : lines_of(c))
    sheet.rows.push_back({Cell::of(c.date), Cell::of(l.breakdown), Cell::of(l.code), Cell::of(l.label),
                          Cell::whole(l.workers), Cell::whole(l.completed),
                          l.share ? Cell::real(*l.share) : Cell::empty()});
  return sheets::to_xlsx({sheet});
}

}  // namespace coproduce::learning
