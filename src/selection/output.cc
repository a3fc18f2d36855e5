#include "selection/output.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "report/format.h"

namespace coproduce::selection {

namespace {

using report::escape_html;

struct QuotaRow {
  std::string category;
  std::string value;
  int min;
  int max;
  int in_pool;
  int selected;
};

std::vector<QuotaRow> quota_table(const Pool& pool, const Panel& selected) {
  std::vector<QuotaRow> rows;
  const Problem& problem = pool.problem;
  for (size_t c = 0; c < problem.categories.size(); ++c) {
    const Category& cat = problem.categories[c];
    std::vector<int> in_pool(cat.values.size(), 0);
    std::vector<int> chosen(cat.values.size(), 0);
    for (const auto& p : problem.people) ++in_pool[static_cast<size_t>(p.values[c])];
    for (int p : selected) ++chosen[static_cast<size_t>(problem.people[static_cast<size_t>(p)].values[c])];
    for (size_t v = 0; v < cat.values.size(); ++v) {
      rows.push_back({cat.name, cat.values[v].value, cat.values[v].min, cat.values[v].max, in_pool[v], chosen[v]});
    }
  }
  return rows;
}

// Chances to two decimal places: "2.35%".
std::string percent(double p) { return report::format_percent(p, 2); }

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

nlohmann::json fairness_json(const Fairness& f) {
  return {{"minimum", f.minimum},
          {"maximum", f.maximum},
          {"mean", f.mean},
          {"gini", f.gini},
          {"geometric_mean", f.geometric_mean}};
}

// Writes one person's row: the id, then every input column but the id column.
std::vector<std::string> person_row(const Pool& pool, int person, std::optional<size_t> id_col) {
  std::vector<std::string> row = {pool.ids[static_cast<size_t>(person)]};
  const auto& fields = pool.table.rows[static_cast<size_t>(person)].fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (id_col && *id_col == i) continue;
    row.push_back(fields[i]);
  }
  return row;
}

}  // namespace

std::string format_probability(double p) {
  if (p < 0 && p > -1e-12) p = 0;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", p);
  return buf;
}

OutputFiles render_outputs(const Pool& pool, const SelectOutcome& outcome, const RunInfo& info) {
  OutputFiles files;
  const Problem& problem = pool.problem;
  const std::optional<size_t> id_col = pool.id_column;
  std::vector<std::string> header = {id_col ? pool.table.header[*id_col] : "id"};
  for (size_t i = 0; i < pool.table.header.size(); ++i) {
    if (!id_col || *id_col != i) header.push_back(pool.table.header[i]);
  }

  std::set<int> chosen(outcome.selected.begin(), outcome.selected.end());
  std::set<int> taken_households;
  if (problem.household_rule) {
    for (int p : outcome.selected) {
      if (problem.people[static_cast<size_t>(p)].household >= 0) {
        taken_households.insert(problem.people[static_cast<size_t>(p)].household);
      }
    }
  }
  {
    std::ostringstream sel;
    std::ostringstream rem;
    csv::Writer ws(sel);
    csv::Writer wr(rem);
    ws.write_row(header);
    wr.write_row(header);
    for (int p : outcome.selected) ws.write_row(person_row(pool, p, id_col));
    for (size_t i = 0; i < problem.people.size(); ++i) {
      if (chosen.count(static_cast<int>(i))) continue;
      if (taken_households.count(problem.people[i].household)) continue;
      wr.write_row(person_row(pool, static_cast<int>(i), id_col));
    }
    files.selected_csv = sel.str();
    files.remaining_csv = rem.str();
  }
  {
    std::ostringstream out;
    csv::Writer w(out);
    w.write_row({"id", "probability", "panels"});
    for (size_t i = 0; i < problem.people.size(); ++i) {
      w.write_row({pool.ids[i], format_probability(outcome.probability[i]),
                   std::to_string(outcome.panels_containing[i])});
    }
    files.probabilities_csv = out.str();
  }
  {
    std::ostringstream out;
    csv::Writer w(out);
    std::vector<std::string> head = {"panel", "probability"};
    for (int k = 1; k <= problem.panel_size; ++k) head.push_back("member_" + std::to_string(k));
    w.write_row(head);
    for (size_t i = 0; i < outcome.distribution.panels.size(); ++i) {
      std::vector<std::string> row = {std::to_string(i + 1), format_probability(outcome.distribution.weights[i])};
      for (int m : outcome.distribution.panels[i]) row.push_back(pool.ids[static_cast<size_t>(m)]);
      w.write_row(row);
    }
    files.distribution_csv = out.str();
  }

  const std::vector<QuotaRow> quotas = quota_table(pool, outcome.selected);
  nlohmann::json report;
  report["algorithm"] = algorithm_name(outcome.algorithm);
  report["seed"] = outcome.seed;
  report["panel_size"] = problem.panel_size;
  report["pool_size"] = problem.people.size();
  report["types"] = outcome.types;
  report["people_file"] = info.people_file;
  report["quotas_file"] = info.quotas_file;
  report["already_selected_file"] = info.already_selected_file;
  report["household_columns"] = info.household_columns;
  nlohmann::json q = nlohmann::json::array();
  for (const auto& row : quotas) {
    q.push_back({{"category", row.category},
                 {"value", row.value},
                 {"min", row.min},
                 {"max", row.max},
                 {"in_pool", row.in_pool},
                 {"selected", row.selected}});
  }
  report["quotas"] = q;
  report["fairness"] = fairness_json(outcome.fairness);
  if (outcome.legacy_fairness) {
    report["legacy"] = {{"draws", outcome.legacy->draws}, {"fairness", fairness_json(*outcome.legacy_fairness)}};
  } else {
    report["legacy"] = nullptr;
  }
  std::vector<std::string> selected_ids;
  for (int p : outcome.selected) selected_ids.push_back(pool.ids[static_cast<size_t>(p)]);
  report["selected"] = selected_ids;
  std::vector<std::string> already;
  for (size_t i = 0; i < problem.people.size(); ++i) {
    if (problem.people[i].already_selected) already.push_back(pool.ids[i]);
  }
  report["already_selected"] = already;
  report["distribution"] = {{"panels", outcome.distribution.panels.size()},
                            {"exact", outcome.distribution_exact},
                            {"leximin_complete", outcome.leximin_complete},
                            {"panels_generated", outcome.panels_generated},
                            {"stages", outcome.stages},
                            {"proven_gap", outcome.proven_gap},
                            {"proven_by", proven_by(outcome)},
                            {"probability_levels", outcome.probability_levels},
                            {"panels_kept", outcome.panels_kept},
                            {"integer_programs", outcome.oracle_calls},
                            {"face_panels", outcome.face_panels}};
  if (outcome.lottery) {
    report["lottery"] = {{"panels", outcome.lottery->tickets.size()},
                         {"drawn", outcome.ticket},
                         {"largest_probability_shift", outcome.lottery->largest_shift},
                         {"type_level_shift", outcome.lottery->type_level_shift},
                         {"rounding_proven_optimal", outcome.lottery->proven_optimal}};
  } else {
    report["lottery"] = nullptr;
  }
  report["timings_seconds"] = {{"types", outcome.seconds.types},     {"algorithm", outcome.seconds.algorithm},
                               {"linear_programs", outcome.seconds.lp}, {"integer_programs", outcome.seconds.mip},
                               {"lottery", outcome.seconds.lottery}, {"legacy_estimate", outcome.seconds.legacy},
                               {"total", outcome.seconds.total}};
  files.report_json = report.dump(2) + "\n";

  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<title>Panel selection report</title>\n"
    << "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
       "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #b1b4b6;padding:.3rem .6rem;text-align:left}"
       "td.n{text-align:right}caption{font-weight:bold;text-align:left}.bad{color:#d4351c}</style>\n"
    << "</head>\n<body>\n<h1>Panel selection report</h1>\n";
  h << "<p>" << problem.panel_size << " people chosen from a pool of " << problem.people.size() << " by the <strong>"
    << algorithm_title(outcome.algorithm) << "</strong> method. Seed "
    << outcome.seed << (info.seed_given ? "" : " (chosen at random and recorded here)") << ".</p>\n";
  if (!outcome.leximin_complete) {
    h << "<p class=\"bad\"><strong>Stopped early at the time limit.</strong> Every panel in the lottery meets the "
         "quotas, but the result may be a little below the fairest possible (by at most "
      << format_probability(outcome.proven_gap) << ").</p>\n";
  } else if (is_optimising(outcome.algorithm)) {
    h << "<p>Proven: " << (outcome.algorithm == Algorithm::kNash ? "the mean log probability" : "the smallest probability")
      << " is within " << format_probability(outcome.proven_gap) << " of the best any lottery can give.</p>\n";
  }
  if (outcome.lottery) {
    h << "<p>Transparent lottery: " << outcome.lottery->tickets.size() << " numbered panels, each equally likely. Panel "
      << outcome.ticket << " was drawn. Rounding to whole panels moved anyone's chance by at most "
      << percent(outcome.lottery->largest_shift) << ".</p>\n";
  }
  h << "<table>\n<caption>Quotas</caption>\n<thead><tr><th scope=\"col\">Category</th><th scope=\"col\">Value</th>"
       "<th scope=\"col\">Min</th><th scope=\"col\">Max</th><th scope=\"col\">In pool</th>"
       "<th scope=\"col\">Selected</th></tr></thead>\n<tbody>\n";
  for (const auto& row : quotas) {
    h << "<tr><td>" << escape_html(row.category) << "</td><td>" << escape_html(row.value) << "</td><td class=\"n\">"
      << row.min << "</td><td class=\"n\">" << row.max << "</td><td class=\"n\">" << row.in_pool
      << "</td><td class=\"n\">" << row.selected << "</td></tr>\n";
  }
  h << "</tbody>\n</table>\n";
  h << "<table>\n<caption>Fairness: each person's chance of selection</caption>\n<thead><tr><th scope=\"col\">Figure</th>"
       "<th scope=\"col\">"
    << algorithm_title(outcome.algorithm) << (outcome.algorithm == Algorithm::kLegacy ? " (estimated)" : "") << "</th>";
  const bool compare = outcome.legacy_fairness && is_optimising(outcome.algorithm);
  if (compare) h << "<th scope=\"col\">LEGACY (estimated from " << outcome.legacy->draws << " draws)</th>";
  h << "</tr></thead>\n<tbody>\n";
  auto fair_row = [&](const char* name, double a, double b, bool as_percent) {
    h << "<tr><th scope=\"row\">" << name << "</th><td class=\"n\">" << (as_percent ? percent(a) : format_probability(a))
      << "</td>";
    if (compare) h << "<td class=\"n\">" << (as_percent ? percent(b) : format_probability(b)) << "</td>";
    h << "</tr>\n";
  };
  const Fairness none;
  const Fairness& lf = compare ? *outcome.legacy_fairness : none;
  fair_row("Smallest probability", outcome.fairness.minimum, lf.minimum, true);
  fair_row("Largest probability", outcome.fairness.maximum, lf.maximum, true);
  fair_row("Average (panel size / pool)", outcome.fairness.mean, lf.mean, true);
  fair_row("Gini coefficient (0 = equal chances)", outcome.fairness.gini, lf.gini, false);
  fair_row("Geometric mean", outcome.fairness.geometric_mean, lf.geometric_mean, true);
  h << "</tbody>\n</table>\n";
  h << "<table>\n<caption>How the work went</caption>\n<tbody>\n"
    << "<tr><th scope=\"row\">Types of people (identical answers)</th><td class=\"n\">" << outcome.types << "</td></tr>\n"
    << "<tr><th scope=\"row\">Panels in the distribution</th><td class=\"n\">" << outcome.distribution.panels.size()
    << "</td></tr>\n"
    << "<tr><th scope=\"row\">Time in linear programs</th><td class=\"n\">" << seconds(outcome.seconds.lp) << "</td></tr>\n"
    << "<tr><th scope=\"row\">Time in integer programs</th><td class=\"n\">" << seconds(outcome.seconds.mip)
    << "</td></tr>\n"
    << "<tr><th scope=\"row\">Total time</th><td class=\"n\">" << seconds(outcome.seconds.total) << "</td></tr>\n"
    << "</tbody>\n</table>\n";
  h << "<h2>Selected</h2>\n<ul>\n";
  for (const auto& id : selected_ids) h << "<li>" << escape_html(id) << "</li>\n";
  h << "</ul>\n</body>\n</html>\n";
  files.report_html = h.str();
  return files;
}

}  // namespace coproduce::selection
