#include "web/learning_pages.h"

#include "core/dates.h"
#include "learning/survey_knowledge.h"
#include "learning/vocab.h"
#include "report/charts.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;

std::string share_text(const std::optional<double>& share) {
  return share ? report::format_percent(*share) : std::string("No one to count");
}

std::string count_of(int64_t completed, int64_t workers) {
  return std::to_string(completed) + " of " + std::to_string(workers);
}

json count_table(const std::string& id, const std::string& caption, const std::string& first,
                 const std::vector<learning::CoverageCount>& groups, const learning::Choices* labels,
                 const std::string& empty_label, bool skip_empty) {
  report::Table t{id, caption, {first, "Workers with required learning", "Completed all of it", "Share"}, {}};
  for (const auto& g : groups) {
    if (skip_empty && g.workers == 0) continue;
    std::string label = labels ? learning::label_of(*labels, g.key) : (g.key.empty() ? empty_label : g.key);
    t.rows.push_back({label, std::to_string(g.workers), std::to_string(g.completed), share_text(g.share)});
  }
  return report::table_json(t);
}

json count_chart(const std::string& id, const std::string& title, const std::string& what,
                 const std::vector<learning::CoverageCount>& groups, const learning::Choices& labels) {
  report::BarChart c{id, title,
                     "The share of workers with required co-production learning who have completed all of it, " + what +
                         ". The table after the chart has the figures.",
                     {}};
  c.missing_text = "no workers";
  for (const auto& g : groups)
    c.bars.push_back({learning::label_of(labels, g.key), g.share,
                      g.share ? report::format_percent(*g.share) + " (" + count_of(g.completed, g.workers) + ")" : ""});
  return report::bar_chart_json(c);
}

}  // namespace

std::string completion_source_label(const std::string& source) {
  // Marked for translation: a learner's certificate shows them in their language.
  if (source == "elearning") return N_("E-learning here");
  if (source == "recorded") return N_("Recorded by a learning lead");
  if (source == "import") return N_("From an ASC-WDS training file");
  if (source == "session") return N_("Attended a live session");
  return source;
}

std::string within_days_text(int days) {
  if (days == 0) return "From the day they start";
  if (days % 7 == 0) return "Within " + std::to_string(days / 7) + (days == 7 ? " week" : " weeks") + " of starting";
  return "Within " + std::to_string(days) + (days == 1 ? " day" : " days") + " of starting";
}

json module_summary(const learning::Module& m) {
  const auto& c = m.content;
  json standards = json::array();
  for (const auto& s : c.standards) standards.push_back(learning::label_of(learning::care_certificate_standards(), s));
  json roles = json::array();
  for (const auto& r : c.role_categories) roles.push_back(learning::label_of(learning::role_categories(), r));
  return {{"id", m.id},
          {"href", "/learning/modules/" + std::to_string(m.id)},
          {"title", c.title},
          {"summary", c.summary},
          {"outcomes", c.outcomes},
          {"delivery", learning::label_of(learning::delivery_kinds(), c.delivery)},
          {"minutes_text", std::to_string(c.minutes) + " minutes"},
          {"refresh_text", c.refresh_months ? "Refresh every " + std::to_string(*c.refresh_months) + " months"
                                            : std::string("Does not need refreshing")},
          {"standards", standards},
          {"has_standards", !standards.empty()},
          {"roles_text", roles.empty() ? std::string("Every role") : std::string()},
          {"roles", roles},
          {"starter", m.starter},
          {"easy_read", !c.easy_read.empty()},
          {"questions", c.questions.size()}};
}

json module_status_row(const learning::WorkerModule& row) {
  using learning::LearningStatus;
  const auto& s = row.status;
  std::string label, tag, detail;
  switch (s.status) {
    case LearningStatus::kDone:
      label = "Done";
      tag = "govuk-tag--green";
      detail = "Completed " + long_date(s.completed_on) +
               (s.expires_on.empty() ? "" : "; refresh by " + long_date(s.expires_on));
      break;
    case LearningStatus::kDue:
      label = "Due";
      tag = "govuk-tag--blue";
      detail = "Due by " + long_date(s.due_on);
      break;
    case LearningStatus::kOverdue:
      label = "Overdue";
      tag = "govuk-tag--red";
      detail = "Was due by " + long_date(s.due_on);
      break;
    case LearningStatus::kExpired:
      label = "Expired";
      tag = "govuk-tag--orange";
      detail = "Completed " + long_date(s.completed_on) + "; needed refreshing by " + long_date(s.expires_on);
      break;
    case LearningStatus::kNotRequired:
      label = "Not required";
      tag = "govuk-tag--grey";
      detail = s.completed_on.empty() ? "" : "Completed " + long_date(s.completed_on);
      break;
  }
  return {{"id", row.module.id},
          {"title", row.module.content.title},
          {"href", "/learning/modules/" + std::to_string(row.module.id)},
          {"status", learning::status_code(s.status)},
          {"status_label", label},
          {"tag_class", tag},
          {"detail", detail},
          {"required", row.required},
          {"delivery", row.module.content.delivery}};
}

json coverage_page_data(const learning::Coverage& c) {
  json data = {{"workers", c.workers},
               {"completed", c.completed},
               {"share_text", share_text(c.share)},
               {"overdue", c.overdue},
               {"expiring_soon", c.expiring_soon},
               {"long_date", long_date(c.date)},
               {"iso_date", c.date},
               {"has_workers", c.workers > 0}};
  data["closeness_chart"] = count_chart("chart-closeness", "Learning completed, by closeness to direct care",
                                        "from those closest to direct care to those furthest from it", c.by_closeness,
                                        learning::closeness_levels());
  data["closeness_table"] = count_table("table-closeness", "Learning completed, by closeness to direct care",
                                        "Closeness to direct care", c.by_closeness, &learning::closeness_levels(), "",
                                        false);
  data["role_chart"] = count_chart("chart-roles", "Learning completed, by role category",
                                   "by Care Workforce Pathway role category", c.by_role_category,
                                   learning::role_categories());
  data["role_table"] = count_table("table-roles", "Learning completed, by role category", "Role category",
                                   c.by_role_category, &learning::role_categories(), "", false);
  data["workplace_table"] = count_table("table-workplaces", "Learning completed, by workplace", "Workplace",
                                        c.by_workplace, nullptr, "No workplace given", true);
  data["team_table"] = count_table("table-teams", "Learning completed, by team", "Team", c.by_team, nullptr,
                                   "No team given", true);
  return data;
}

json gap_rows(const std::vector<learning::GapRow>& rows) {
  json out = json::array();
  for (const auto& r : rows) {
    using learning::LearningStatus;
    const auto& s = r.status;
    std::string what = s.status == LearningStatus::kExpired ? "Expired " + long_date(s.expires_on)
                       : s.status == LearningStatus::kOverdue ? "Due " + long_date(s.due_on)
                                                              : "Expires " + long_date(s.expires_on);
    out.push_back({{"href", "/learning/workers/" + std::to_string(r.worker_ref)},
                   {"name", r.name},
                   {"worker_id", r.worker_id},
                   {"workplace", r.workplace},
                   {"team", r.team},
                   {"role", learning::label_of(learning::role_categories(), r.role_category)},
                   {"module", r.module_title},
                   {"when", what}});
  }
  return out;
}

std::optional<json> survey_comparison(Context& ctx, const learning::Coverage& c) {
  auto k = learning::survey_knowledge(ctx.services.db, ctx.services.clock, ctx.user->organisation_id, actor_of(ctx));
  if (!k.ok() || !k->has_value()) return std::nullopt;
  const learning::SurveyKnowledge& s = **k;
  report::Table t{"table-survey",
                  "Learning completed, and knowledge from the survey '" + s.survey_title + "', by closeness to direct care",
                  {"Closeness to direct care", "Completed required learning", "Know a fair amount or a lot (survey)",
                   "Survey answers"},
                  {}};
  for (const auto& g : c.by_closeness) {
    std::string known = "No answers", base = "0";
    for (const auto& r : s.rows) {
      if (r.closeness != g.key) continue;
      known = r.share ? report::format_percent(*r.share) : std::string("Hidden (small number)");
      base = r.base_text;
    }
    t.rows.push_back({learning::label_of(learning::closeness_levels(), g.key),
                      g.workers ? share_text(g.share) + " (" + count_of(g.completed, g.workers) + ")" : "No workers",
                      known, base});
  }
  json out = report::table_json(t);
  out["survey_href"] = "/surveys/" + std::to_string(s.survey_id) + "/findings";
  out["suppression"] = s.suppression;
  return out;
}

}  // namespace coproduce::web
