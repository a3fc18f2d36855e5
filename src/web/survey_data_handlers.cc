// The data behind a survey on the web (issue 6): staff exports of the
// responses and the codebook, the findings page and its downloads, and the
// analysis API. Imports are in survey_import_handlers.cc.
//
// Handlers translate HTTP to calls on collection/ (storage and rules) and
// survey/ (the pure analysis and reports).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "collection/responses.h"
#include "collection/surveys.h"
#include "collection/transfer.h"
#include "core/text.h"
#include "report/charts.h"
#include "report/drawing.h"
#include "survey/analysis.h"
#include "survey/export.h"
#include "survey/report.h"
#include "survey/suppression.h"
#include "web/application.h"
#include "web/page_helpers.h"
#include "web/survey_pages.h"

namespace coproduce::web {
namespace {

using collection::Survey;
using collection::SurveyResponses;
using collection::Surveys;
using nlohmann::json;
using survey::ShownCount;
using survey::Questionnaire;
using namespace survey_pages;

// ---------------------------------------------------------------------------
// Staff: exports.

Response export_responses(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  auto text = collection::export_csv(ctx.services.db, ctx.services.clock, *s, actor(ctx), "survey.responses.export");
  if (!text.ok()) return ctx.error(500);
  return csv_download(*text, s->slug + "-responses.csv");
}

constexpr const char* kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

Response export_responses_xlsx(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  auto bytes = collection::export_xlsx(ctx.services.db, ctx.services.clock, *s, actor(ctx));
  if (!bytes.ok()) return ctx.error(500);
  return attachment(kXlsxType, s->slug + "-responses.xlsx", std::move(*bytes));
}

// GET /surveys/{id}/repeats/{code}.csv: one repeat's table, a row per
// instance linked to the responses by response_id (the router matches whole
// segments, so the ".csv" is taken off here).
Response export_repeat(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  std::string code = ctx.param("file");
  const std::string suffix = ".csv";
  if (code.size() <= suffix.size() || code.compare(code.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return ctx.error(404);
  }
  code.resize(code.size() - suffix.size());
  auto text = collection::export_repeat_csv(ctx.services.db, ctx.services.clock, *s, code, actor(ctx));
  if (!text.ok()) return text.status().code() == StatusCode::kNotFound ? ctx.error(404) : ctx.error(500);
  return csv_download(*text, s->slug + "-" + code + ".csv");
}

Response export_codebook(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  return csv_download(collection::codebook_csv(*q), s->slug + "-codebook.csv");
}

// ---------------------------------------------------------------------------
// Findings and the analysis API.

// The cross-tabs the findings need, where the questionnaire has them.
std::vector<std::string> findings_crosstabs(const Questionnaire& q) {
  std::vector<std::string> out;
  auto has = [&](const char* code) { return q.find(code).has_value(); };
  if (has("heard") && has("group")) out.push_back("heard:group");
  if (has("knowledge") && has("role")) out.push_back("knowledge:role");
  if (has("involved_own_care") && has("involved_services")) out.push_back("involved_own_care:involved_services");
  return out;
}

struct Analysed {
  Survey survey;
  Questionnaire q;
  survey::Analysis analysis;
};

StatusOr<Analysed> analyse_survey(Context& ctx, const Survey& s, std::vector<std::string> crosstabs) {
  auto q = collection::questionnaire_of(s);
  if (!q.ok()) return q.status();
  auto data = collection::load_analysis_data(ctx.services.db, ctx.services.clock, s, *q, actor(ctx));
  if (!data.ok()) return data.status();
  survey::AnalysisOptions options;
  options.crosstabs = std::move(crosstabs);
  options.threads = 1;
  for (const survey::RepeatResponses& r : data->repeats) options.repeats.push_back(&r);
  auto a = survey::analyse(*q, data->responses, options);
  if (!a.ok()) return a.status();
  return Analysed{s, std::move(*q), std::move(*a)};
}

// One bar of a findings chart and its row in the table after it.
struct Bar {
  std::string label;
  std::optional<double> share;  // nullopt when suppressed
  std::string count_text;
  std::string base_text;
};

const survey::CrossTab* find_crosstab(const survey::Analysis& a, const std::string& spec) {
  for (const auto& t : a.crosstabs) {
    if (t.spec == spec && !t.tables.empty()) return &t;
  }
  return nullptr;
}

const survey::QuestionResult* find_result(const survey::Analysis& a, const std::string& code) {
  for (const auto& r : a.questions) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

// A chart of `bars` followed by its table: one row per bar with its count,
// base and percentage ("*" where small numbers are hidden). The table's
// caption is the chart's title unless `caption` is given.
json bar_section(const std::string& id, const std::string& title, const std::string& desc, const std::vector<Bar>& bars,
                 const std::string& first_heading, const std::string& count_heading, const std::string& caption = "") {
  report::BarChart chart{id, title, desc, {}};
  chart.missing_text = "hidden (small number)";
  report::Table table{
      id, caption.empty() ? title : caption, {first_heading, count_heading, "Base (answered)", "Per cent"}, {}};
  for (const Bar& b : bars) {
    // Rounded as in the downloads, so the chart, the table and the files agree.
    std::string percent_text = b.share ? report::format_percent(*b.share) : "";
    chart.bars.push_back({b.label, b.share, percent_text});
    table.rows.push_back({b.label, b.count_text, b.base_text, b.share ? percent_text : "*"});
  }
  return {{"s_id", id}, {"chart", report::bar_chart_json(chart)}, {"table", report::table_json(table)}};
}

// For a ROW:COL cross-tab: the share of each column choosing the row options
// in `picked`, as bars, with a table of counts, bases and percentages.
json by_column_section(const survey::CrossTable& t, const std::set<std::string>& picked,
                       const survey::SuppressionPolicy& policy, const std::string& id, const std::string& heading,
                       const std::string& measure, const std::string& column_heading) {
  std::vector<Bar> bars;
  for (size_t c = 0; c < t.col_options.size(); ++c) {
    long base = 0, count = 0;
    for (size_t r = 0; r < t.row_options.size(); ++r) {
      base += t.counts[r][c];
      if (picked.count(t.row_options[r])) count += t.counts[r][c];
    }
    if (base == 0) continue;
    bars.push_back({t.col_labels[c], policy.share(count, base), policy.count(count).text, policy.count(base).text});
  }
  return bar_section(id, heading, measure + ", by " + column_heading + ". The table after the chart has the figures.",
                     bars, column_heading, "Number");
}

json findings_data(const Analysed& x, const survey::SuppressionPolicy& policy) {
  const survey::Analysis& a = x.analysis;
  json sections = json::array();
  if (const auto* t = find_crosstab(a, "heard:group")) {
    json s = by_column_section(t->tables[0], {"yes"}, policy, "chart-heard",
                               "Familiarity with the term, by respondent group",
                               "The share of each group who had heard the word co-production before", "Respondent group");
    s["s_heading"] = "Who has heard of co-production";
    s["s_intro"] = "The share of each group who said they had heard the word ‘co-production’ before the survey.";
    sections.push_back(s);
  }
  if (const auto* t = find_crosstab(a, "knowledge:role")) {
    json s = by_column_section(t->tables[0], {"some", "in_depth"}, policy, "chart-knowledge",
                               "Knowing a fair amount or more, by closeness to direct care",
                               "The share who know a fair amount or a lot about co-production", "Role (closest to direct care first)");
    s["s_heading"] = "Depth of knowledge by closeness to direct care";
    s["s_intro"] = "People who work in social care, from those closest to direct care to those furthest from it: the share who know a fair amount or a lot about co-production.";
    sections.push_back(s);
  }
  if (const auto* r = find_result(a, "barriers")) {
    std::vector<const survey::OptionResult*> ranked;
    for (const auto& o : r->options) ranked.push_back(&o);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto* l, const auto* rr) { return l->count > rr->count; });
    std::vector<Bar> bars;
    for (const auto* o : ranked) {
      bars.push_back({o->label, policy.share(o->count, r->base), policy.count(o->count).text, policy.count(r->base).text});
    }
    json s = bar_section("chart-barriers", "Barriers to co-production, most named first",
                         "The share of people working in social care who named each barrier. People could name more than one.",
                         bars, "Barrier", "Number");
    s["s_heading"] = "What gets in the way";
    s["s_intro"] = "Barriers named by people who work in social care, ranked. People could tick more than one, so the percentages add up to more than 100.";
    sections.push_back(s);
  }
  const auto* own = find_result(a, "involved_own_care");
  const auto* services = find_result(a, "involved_services");
  if (own && services) {
    std::vector<Bar> bars;
    for (const auto* r : {own, services}) {
      const char* what = r == own ? "Involved in decisions about their own care" : "Involved in planning or checking services";
      long yes = 0;
      for (const auto& o : r->options) {
        if (o.code == "yes") yes = o.count;
      }
      bars.push_back({what, policy.share(yes, r->base), policy.count(yes).text, policy.count(r->base).text});
    }
    json s = bar_section("chart-involvement", "Involvement in one's own care and in services",
                         "The share of people who draw on care and unpaid carers who said yes to each", bars,
                         "Involvement", "Said yes", "People who said yes: involvement in their own care and in services");
    s["s_heading"] = "Involved in their own care, and in services";
    s["s_intro"] = "People who draw on care and support and unpaid carers: how many are involved as equals in their own care, against how many are involved in shaping services.";
    sections.push_back(s);
  }
  return sections;
}

// The repeats' figures for the findings page: per repeat a table of how
// many instances people gave, and for each of its questions with options a
// chart of the share of instances choosing each, followed by its table.
json repeat_sections(const survey::Analysis& a, const survey::SuppressionPolicy& policy) {
  json out = json::array();
  int chart = 0;
  for (const survey::RepeatResult& r : a.repeats) {
    const ShownCount responses = policy.count(r.responses), instances = policy.count(r.instances);
    const bool hidden = survey::repeat_averages_hidden(r, policy);
    const std::optional<double> share = policy.share(r.with_instances, r.responses);
    report::Table counts{"repeat-" + r.code + "-counts",
                         r.label + ": how many each response gave",
                         {"Measure", "Value"},
                         {{"Responses asked", responses.text},
                          {"Responses with at least one", policy.count(r.with_instances).text +
                                                              (share ? " (" + report::format_percent(*share) + ")" : "")},
                          {"Given in all", instances.text},
                          {"Mean per response", hidden ? "*" : report::draw::fixed(r.mean_instances, 2)},
                          {"Median per response", hidden ? "*" : report::draw::fixed(r.median_instances, 1)}}};
    json questions = json::array();
    for (const survey::QuestionResult& q : r.questions) {
      if (q.options.empty()) continue;
      std::vector<Bar> bars;
      for (const auto& o : q.options) {
        bars.push_back({o.label, policy.share(o.count, q.base), policy.count(o.count).text, policy.count(q.base).text});
      }
      json section = bar_section("chart-repeat-" + std::to_string(++chart), q.text,
                                 "The share of the " + policy.count(q.base).text + " " + r.label +
                                     " answers (one for each time a person answered) choosing each option. The table "
                                     "after the chart has the figures.",
                                 bars, "Answer", "Number");
      section["q_heading"] = q.text;
      questions.push_back(std::move(section));
    }
    out.push_back({{"r_id", "repeat-" + r.code},
                   {"r_code", r.code},
                   {"r_heading", r.label},
                   {"r_intro", "Asked once for each " + r.label + " a person gave. The counts are of responses; "
                               "the answers below are counted once per " + r.label + ", not per person, so the "
                               "bases are " + r.label + " answers."},
                   {"counts", report::table_json(counts)},
                   {"questions", questions}});
  }
  return out;
}

Response findings(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  auto x = analyse_survey(ctx, *s, findings_crosstabs(*q));
  if (!x.ok()) return ctx.error(500);
  auto policy = survey::make_suppression("nhs");
  const survey::Analysis& a = x->analysis;
  json sections = findings_data(*x, **policy);
  std::string base = "/surveys/" + std::to_string(s->id);
  json data = {
      {"title", s->title},
      {"base", base},
      {"starts", (*policy)->count(a.starts).text},
      {"completes", (*policy)->count(a.completes).text},
      {"rate", a.starts ? (*policy)->share(a.completes, a.starts).has_value()
                              ? report::format_percent(*(*policy)->share(a.completes, a.starts))
                              : std::string("hidden (small numbers)")
                        : std::string("none yet")},
      {"sections", sections},
      {"has_sections", !sections.empty()},
      {"repeats", repeat_sections(a, **policy)},
      {"suppression", (*policy)->explanation()},
      {"generated", readable_time(format_timestamp(ctx.services.clock.now()))},
  };
  if (q->languages.size() > 1) {
    // Which language each sent response was answered in, small numbers
    // hidden like every other figure.
    auto by_language = SurveyResponses(ctx.services.db, ctx.services.clock).completes_by_language(s->id);
    if (!by_language.ok()) return ctx.error(503);
    json rows = json::array();
    for (const auto& [code, count] : *by_language) {
      const survey::Language* l = q->find_language(code);
      json row = {{"language", l ? l->name : code.empty() ? std::string("Not recorded") : code},
                  {"count", (*policy)->count(count).text}};
      if (l) row["lang"] = code;  // Mustache would take an empty string as true
      rows.push_back(std::move(row));
    }
    data["languages"] = rows;
    data["has_languages"] = true;
  }
  return ctx.page(200, "surveys/findings", "Findings: " + s->title, data);
}

// A findings download: the survey's analysis with the findings' cross-tabs
// and NHS suppression, rendered by `render` (CSV, XLSX or the HTML report).
Response findings_download(
    Context& ctx, const std::function<Response(const Survey&, const survey::Analysis&, const survey::SuppressionPolicy&,
                                               const survey::ReportInfo&)>& render) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  auto x = analyse_survey(ctx, *s, findings_crosstabs(*q));
  if (!x.ok()) return ctx.error(500);
  auto policy = survey::make_suppression("nhs");
  survey::ReportInfo info{"survey " + s->title, "responses collected on the web", format_timestamp(ctx.services.clock.now())};
  return render(*s, x->analysis, **policy, info);
}

Response findings_csv(Context& ctx) {
  return findings_download(ctx, [](const Survey& s, const auto& analysis, const auto& policy, const auto& info) {
    return csv_download(survey::render_csv(analysis, policy, info), s.slug + "-findings.csv");
  });
}

Response findings_xlsx(Context& ctx) {
  return findings_download(ctx, [&ctx](const Survey& s, const auto& analysis, const auto& policy, const auto& info) {
    auto bytes = survey::findings_to_xlsx(analysis, policy, info);
    if (!bytes.ok()) return ctx.error(500);
    return attachment(kXlsxType, s.slug + "-findings.xlsx", std::move(*bytes));
  });
}

Response full_report(Context& ctx) {
  return findings_download(ctx, [](const Survey& s, const auto& analysis, const auto& policy, const auto& info) {
    Response r = Response::html(200, survey::render_html(analysis, policy, info));
    r.set_header("Content-Disposition", "attachment; filename=\"" + s.slug + "-report.html\"");
    return r;
  });
}

Response api_list(Context& ctx) {
  auto list = Surveys(ctx.services.db, ctx.services.clock).list(ctx.user->organisation_id);
  if (!list.ok()) return ctx.error(500);
  json out = json::array();
  for (const Survey& s : *list) {
    out.push_back({{"id", s.id}, {"title", s.title}, {"slug", s.slug}, {"status", collection::status_name(s.status)},
                   {"opens_at", s.opens_at ? json(*s.opens_at) : json(nullptr)},
                   {"closes_at", s.closes_at ? json(*s.closes_at) : json(nullptr)},
                   {"response_cap", s.response_cap ? json(*s.response_cap) : json(nullptr)},
                   {"anonymous", s.anonymous}, {"starts", s.starts}, {"completes", s.completes}});
  }
  return ctx.send_json(200, {{"surveys", out}});
}

Response api_analysis(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  std::string suppression = ctx.request.query("suppression");
  auto policy = survey::make_suppression(suppression.empty() ? "nhs" : suppression);
  if (!policy.ok()) return ctx.error(400, "suppression must be nhs or none");
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  auto x = analyse_survey(ctx, *s, findings_crosstabs(*q));
  if (!x.ok()) return ctx.error(500);
  survey::ReportInfo info{"survey " + s->title, "responses collected on the web", ""};
  return Response::json(200, survey::render_json(x->analysis, **policy, info));
}

}  // namespace

void add_survey_data_routes(Router& router) {
  router.add({"GET", "/surveys/{id}/responses.csv", kView, Channel::kPage, export_responses});
  router.add({"GET", "/surveys/{id}/responses.xlsx", kView, Channel::kPage, export_responses_xlsx});
  router.add({"GET", "/surveys/{id}/codebook.csv", kView, Channel::kPage, export_codebook});
  router.add({"GET", "/surveys/{id}/repeats/{file}", kView, Channel::kPage, export_repeat});
  router.add({"GET", "/surveys/{id}/findings", kView, Channel::kPage, findings});
  router.add({"GET", "/surveys/{id}/findings.csv", kView, Channel::kPage, findings_csv});
  router.add({"GET", "/surveys/{id}/findings.xlsx", kView, Channel::kPage, findings_xlsx});
  router.add({"GET", "/surveys/{id}/report.html", kView, Channel::kPage, full_report});
  router.add({"GET", "/api/v1/surveys", kView, Channel::kApi, api_list});
  router.add({"GET", "/api/v1/surveys/{id}/analysis", kView, Channel::kApi, api_analysis});
}

}  // namespace coproduce::web
