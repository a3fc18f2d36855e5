#include "impact/export.h"

#include <cstdio>
#include <sstream>

#include "core/csv.h"

namespace coproduce::impact {
namespace {

using sheets::Cell;

std::string fixed(double x, int places) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", places, x);
  return buf;
}

std::string proportion(const std::optional<double>& p) { return p ? fixed(*p, 6) : ""; }
Cell proportion_cell(const std::optional<double>& p) { return p ? Cell::real(*p) : Cell::empty(); }

std::string scope(const Report& r) {
  return r.group_id ? "group " + std::to_string(*r.group_id) + ": " + r.group_name : "whole organisation";
}

}  // namespace

std::string report_csv(const Report& r) {
  std::ostringstream out;
  csv::Writer w(out);
  w.write_row({"figure", "category", "value", "count", "proportion", "benchmark", "gap", "note"});
  w.write_row({"period", "", r.period.from + " to " + r.period.to, "", "", "", "", scope(r)});
  w.write_row({"places", "", "", std::to_string(r.places), "", "", "", ""});
  w.write_row({"people", "", "", std::to_string(r.people), "", "", "", ""});
  w.write_row({"hours", "", "", fixed(r.hours(), 2), "", "", "", ""});
  w.write_row({"top_decile_share", "", "", std::to_string(r.top_tenth_people), proportion(r.top_decile_share), "", "",
               "count is the people in the top tenth"});
  w.write_row({"top_decile_hours_share", "", "", "", proportion(r.top_decile_hours_share), "", "", ""});
  w.write_row({"gini", "", "", "", proportion(r.gini), "", "", ""});
  w.write_row({"newcomer_share", "", "", std::to_string(r.newcomer_places), proportion(r.newcomer_share), "", "",
               "count is the newcomers' places"});
  w.write_row({"people_on_three_or_more_groups", "", "", std::to_string(r.multi_group.on_three_or_more),
               proportion(r.three_or_more_share), "", "",
               "of " + std::to_string(r.multi_group.members) + " people with an accepted membership"});
  for (const auto& t : r.tenths) {
    w.write_row({"places_by_tenth", "", std::to_string(t.index), std::to_string(t.places), fixed(t.share, 6), "", "",
                 std::to_string(t.people) + " people"});
  }
  for (const auto& c : r.representativeness.categories) {
    if (c.suppressed) {
      w.write_row({"representativeness", c.label, "", "", "", "", "", kTooFewToShow});
      continue;
    }
    for (const auto& v : c.values) {
      w.write_row({"representativeness", c.label, v.label, std::to_string(v.places), fixed(v.share, 6),
                   v.benchmark_share ? fixed(*v.benchmark_share, 6) : "", v.gap ? fixed(*v.gap, 6) : "",
                   "of " + std::to_string(c.known_places) + " places with a known answer"});
    }
    w.write_row({"representativeness_not_known", c.label, "", std::to_string(c.not_known_places), "", "", "",
                 "no answer or prefer not to say"});
  }
  return out.str();
}

std::vector<sheets::Sheet> report_sheets(const Report& r) {
  sheets::Sheet figures{"Figures", {{Cell::of("Figure"), Cell::of("Count"), Cell::of("Proportion"), Cell::of("Note")}}};
  auto add = [&](const std::string& name, Cell count, Cell share, const std::string& note) {
    figures.rows.push_back({Cell::of(name), std::move(count), std::move(share), Cell::of(note)});
  };
  add("Period", Cell::empty(), Cell::empty(), r.period.from + " to " + r.period.to + ", " + scope(r));
  add("Places", Cell::whole(r.places), Cell::empty(), "attendances at activities that went ahead");
  add("People", Cell::whole(r.people), Cell::empty(), "people with at least one place");
  add("Hours", Cell::real(r.hours()), Cell::empty(), "");
  add("Places held by the most involved tenth", Cell::whole(r.top_tenth_people), proportion_cell(r.top_decile_share),
      "count is the people in the top tenth");
  add("Hours held by the most involved tenth", Cell::empty(), proportion_cell(r.top_decile_hours_share), "");
  add("Gini coefficient of places", Cell::empty(), proportion_cell(r.gini), "0 is an equal share for everyone");
  add("Places that went to newcomers", Cell::whole(r.newcomer_places), proportion_cell(r.newcomer_share), "");
  add("People on three or more groups", Cell::whole(r.multi_group.on_three_or_more),
      proportion_cell(r.three_or_more_share),
      "of " + std::to_string(r.multi_group.members) + " people with an accepted membership");

  sheets::Sheet tenths{"Places by tenth",
                       {{Cell::of("Tenth"), Cell::of("People"), Cell::of("Places"), Cell::of("Share of places")}}};
  for (const auto& t : r.tenths) {
    tenths.rows.push_back({Cell::whole(t.index), Cell::whole(t.people), Cell::whole(t.places), Cell::real(t.share)});
  }

  sheets::Sheet rep{"Representativeness",
                    {{Cell::of("Category"), Cell::of("Group of people"), Cell::of("Places"),
                      Cell::of("Share of places"), Cell::of("Benchmark"), Cell::of("Gap"), Cell::of("Note")}}};
  for (const auto& c : r.representativeness.categories) {
    if (c.suppressed) {
      rep.rows.push_back({Cell::of(c.label), Cell::empty(), Cell::empty(), Cell::empty(), Cell::empty(), Cell::empty(),
                          Cell::of(kTooFewToShow)});
      continue;
    }
    for (const auto& v : c.values) {
      rep.rows.push_back({Cell::of(c.label), Cell::of(v.label), Cell::whole(v.places), Cell::real(v.share),
                          proportion_cell(v.benchmark_share), proportion_cell(v.gap),
                          Cell::of(describe_gap(v, c.known_places))});
    }
    rep.rows.push_back({Cell::of(c.label), Cell::of("Not known"), Cell::whole(c.not_known_places), Cell::empty(),
                        Cell::empty(), Cell::empty(), Cell::of("no answer or prefer not to say; not in the shares")});
  }
  return {figures, tenths, rep};
}

StatusOr<std::string> report_xlsx(const Report& r) { return sheets::to_xlsx(report_sheets(r)); }

nlohmann::json representativeness_json(const Representativeness& r) {
  using nlohmann::json;
  auto optional_number = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  json categories = json::array();
  for (const auto& c : r.categories) {
    json values = json::array();
    for (const auto& v : c.values) {
      values.push_back({{"value", v.value},
                        {"label", v.label},
                        {"places", v.places},
                        {"share", v.share},
                        {"benchmark_share", optional_number(v.benchmark_share)},
                        {"gap", optional_number(v.gap)},
                        {"ratio", optional_number(v.ratio)},
                        {"benchmark_source", v.benchmark_source},
                        {"description", describe_gap(v, c.known_places)}});
    }
    json cat = {{"category", c.category}, {"label", c.label}, {"suppressed", c.suppressed}, {"values", values}};
    if (!c.suppressed) {
      cat["known_places"] = c.known_places;
      cat["not_known_places"] = c.not_known_places;
    }
    categories.push_back(cat);
  }
  return {{"people", r.people},
          {"threshold", kMinPeopleForBreakdown},
          {"suppressed", r.suppressed},
          {"categories", categories}};
}

}  // namespace coproduce::impact
