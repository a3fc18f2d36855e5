// The familiar-voices dashboard: how concentrated involvement is, how many
// places went to newcomers, and whose voices are missing against a
// benchmark population. Staff pages with charts and their data tables, a
// CSV download, the benchmark page, and the API.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <variant>

#include "core/csv.h"
#include "core/dates.h"
#include "impact/export.h"
#include "impact/familiar_voices.h"
#include "involvement/groups.h"
#include "report/charts.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using impact::Benchmark;
using impact::CategoryRow;
using impact::FamiliarVoices;
using impact::PeriodChoice;
using impact::Report;
using nlohmann::json;
using security::Role;

// Reading the figures: people who lead, and analysts. Changing the
// benchmark changes what everyone reads, so it is for leads only.
const Access kReaders = Access::only({Role::kAdministrator, Role::kCoproductionLead, Role::kAnalyst});
const Access kBenchmarkEditors = Access::only({Role::kAdministrator, Role::kCoproductionLead});

const char* const kTitle = "Familiar voices";
const char* const kTooFew = impact::kTooFewToShow;

// The most a benchmark upload may be; a real one is under 2 KB.
constexpr size_t kMaxBenchmarkBytes = size_t{64} * 1024;

involvement::Actor actor(const Context& ctx) { return {ctx.user->id, ctx.request.remote_address}; }
FamiliarVoices familiar_voices(Context& ctx) { return FamiliarVoices(ctx.services.db, ctx.services.clock); }

bool can_edit_benchmark(const Context& ctx) { return kBenchmarkEditors.allows(ctx.user->role); }

using report::format_percent;

std::string fixed(double x, int places) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", places, x);
  return buf;
}

std::string places_word(int64_t n) { return std::to_string(n) + (n == 1 ? " place" : " places"); }
std::string people_word(int64_t n) { return std::to_string(n) + (n == 1 ? " person" : " people"); }

std::string ordinal(int n) {
  static const char* const kOrdinals[] = {"1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th"};
  return n >= 1 && n <= 10 ? kOrdinals[n - 1] : std::to_string(n);
}

// The query string for the same figures in another form (CSV, XLSX).
std::string same_query(const Report& r) {
  std::string q = "?from=" + r.period.from + "&to=" + r.period.to;
  if (r.group_id) q += "&group=" + std::to_string(*r.group_id);
  return q;
}

std::string file_stem(const Report& r) {
  std::string stem = "familiar-voices-" + r.period.from + "-to-" + r.period.to;
  if (r.group_id) stem += "-group-" + std::to_string(*r.group_id);
  return stem;
}

// A gap as signed percentage points, "+1.5" or "-34.6"; "0.0" when it
// rounds to nothing, never "-0.0".
std::string points(double gap) {
  double rounded = std::round(gap * 1000.0) / 10.0;
  if (rounded == 0) return "0.0";
  return (rounded > 0 ? "+" : "") + fixed(rounded, 1);
}

// --- charts ------------------------------------------------------------------------
//
// What the charts in templates/dashboard/familiar_voices.mustache show; where
// it is drawn is report/charts.h's business. Every chart has a title and a
// description for screen readers and is followed by a table of the same
// figures.

json share_bar_chart(const CategoryRow& cat) {
  report::BenchmarkBarChart chart{"chart-" + cat.category,
                                  "Share of places by " + csv::normalise_key(cat.label) + ", against the benchmark",
                                  "",
                                  {}};
  chart.series_name = "Share of places";
  for (const auto& v : cat.values) {
    chart.description += (chart.description.empty() ? "" : " ") + impact::describe_gap(v, cat.known_places) + ".";
    // The texts as in the table after the chart.
    chart.bars.push_back({v.short_label, v.share, format_percent(v.share), v.benchmark_share,
                          v.benchmark_share ? format_percent(*v.benchmark_share) : ""});
  }
  return report::benchmark_bar_chart_json(chart);
}

json tenths_chart(const Report& r) {
  report::ColumnChart chart{"chart-tenths",
                            "Share of places held by each tenth of people, most involved first",
                            "",
                            "Tenths of people, most involved first",
                            {}};
  chart.reference = 0.1;  // each tenth's share if everyone took part equally
  for (const auto& t : r.tenths) {
    chart.columns.push_back({ordinal(t.index), t.share, format_percent(t.share)});
    chart.description += (chart.description.empty() ? "" : " ") + std::string("The ") + ordinal(t.index) + " tenth, " +
                         people_word(t.people) + ", held " + format_percent(t.share) + " of places.";
  }
  return report::column_chart_json(chart);
}

json tenths_table(const Report& r) {
  report::Table table{"tenths", "Places held by each tenth of people", {"Tenth", "People", "Places", "Share of places"},
                      {}, true, {1, 2, 3}};
  for (const auto& t : r.tenths) {
    table.rows.push_back(
        {ordinal(t.index), std::to_string(t.people), std::to_string(t.places), format_percent(t.share)});
  }
  return report::table_json(table);
}

// The figures of a category's chart, with the difference from the benchmark.
json category_table(const CategoryRow& c) {
  report::Table table{c.category,
                      "Places by " + c.label + ", against the benchmark",
                      {"Group of people", "Places", "Share of places", "Benchmark", "Difference (percentage points)"},
                      {},
                      true,
                      {1, 2, 3, 4}};
  for (const auto& v : c.values) {
    table.rows.push_back({v.label, std::to_string(v.places), format_percent(v.share),
                          v.benchmark_share ? format_percent(*v.benchmark_share) : "None",
                          v.gap ? points(*v.gap) : "None"});
  }
  return report::table_json(table);
}

// --- the page ----------------------------------------------------------------------

json group_options(Context& ctx, const std::optional<int64_t>& chosen, const std::string& typed) {
  json options = json::array({{{"value", ""}, {"label", "The whole organisation"}, {"selected", typed.empty()}}});
  auto list = involvement::Groups(ctx.services.db, ctx.services.clock).list(ctx.user->organisation_id);
  if (list.ok()) {
    for (const auto& g : *list) {
      options.push_back({{"value", std::to_string(g.id)}, {"label", g.name}, {"selected", chosen && *chosen == g.id}});
    }
  }
  return options;
}

json headline(const Report& r) {
  json rows = json::array();
  auto add = [&](const std::string& key, const std::string& value, const std::string& explain) {
    rows.push_back({{"key", key}, {"value", value}, {"explain", explain}});
  };
  add("Places", places_word(r.places),
      "A place is one person attending one activity that went ahead. " + people_word(r.people) + " took part, for " +
          fixed(r.hours(), 1) + " hours in all.");
  if (r.top_decile_share) {
    int64_t top_places = r.tenths.empty() ? 0 : r.tenths.front().places;
    add("Places held by the most involved tenth", format_percent(*r.top_decile_share),
        "The " + people_word(r.top_tenth_people) + " with the most places (a tenth of the " + people_word(r.people) +
            ", rounded up) held " + std::to_string(top_places) + " of " + places_word(r.places) +
            ". If everyone took part equally this would be about 10%.");
  } else {
    add("Places held by the most involved tenth", "No places", "Nobody attended an activity in this period.");
  }
  add("Hours held by the most involved tenth",
      r.top_decile_hours_share ? format_percent(*r.top_decile_hours_share) : "No hours recorded",
      "The same, counting the hours people took part rather than the number of places.");
  add("Gini coefficient of places", r.gini ? fixed(*r.gini, 2) : "No places",
      "How unequally places are shared out among the people who took part: 0 means everyone had the same number, "
      "and the nearer to 1, the more the places went to a few.");
  add("Places that went to newcomers", r.newcomer_share ? format_percent(*r.newcomer_share) : "No places",
      std::to_string(r.newcomer_places) + " of " + places_word(r.places) +
          " went to people taking part for the first time: they had no place at any earlier activity of the "
          "organisation.");
  add("People on three or more groups",
      r.three_or_more_share
          ? std::to_string(r.multi_group.on_three_or_more) + " of " + people_word(r.multi_group.members) + " (" +
                format_percent(*r.three_or_more_share) + ")"
          : "No members",
      std::string(r.group_id ? "Of this group's members, " : "Of everyone who is a member of a group, ") +
          "how many sit on three or more of the organisation's groups (counting accepted memberships only).");
  return rows;
}

json representativeness_view(const Report& r) {
  json cats = json::array();
  for (const auto& c : r.representativeness.categories) {
    json cat = {{"label", c.label}, {"id", c.category}, {"suppressed", c.suppressed}, {"too_few", kTooFew}};
    if (!c.suppressed) {
      json under = json::array(), rest = json::array();
      for (const auto& v : c.values) {
        std::string text = impact::describe_gap(v, c.known_places);
        (v.ratio && *v.ratio < 1.0 ? under : rest).push_back({{"text", text}});
      }
      cat["under"] = under;
      cat["has_under"] = !under.empty();
      cat["rest"] = rest;
      cat["has_rest"] = !rest.empty();
      cat["known_places"] = c.known_places;
      cat["not_known"] = c.not_known_places > 0 ? places_word(c.not_known_places) +
                                                      " are not counted here: the person did not answer "
                                                      "this question or preferred not to say."
                                                : "";
      cat["chart"] = share_bar_chart(c);
      cat["table"] = category_table(c);
    }
    cats.push_back(cat);
  }
  return cats;
}

json page_data(Context& ctx, const std::string& from, const std::string& to, const std::string& group_typed,
               const std::optional<int64_t>& group) {
  return {{"from", from},
          {"to", to},
          {"group_options", group_options(ctx, group, group_typed)},
          {"can_edit_benchmark", can_edit_benchmark(ctx)}};
}

Response familiar_voices_page(Context& ctx) {
  std::string from = ctx.request.query("from"), to = ctx.request.query("to"), group = ctx.request.query("group");
  PeriodChoice choice = impact::parse_period(from, to, group, ctx.services.clock.now());
  // Blank dates show the default period in the form, and good ones the whole
  // months they were widened to.
  bool dates_ok = std::none_of(choice.errors.begin(), choice.errors.end(),
                               [](const auto& e) { return e.field == "from" || e.field == "to"; });
  if (csv::trim(from).empty() || dates_ok) from = choice.period.from;
  if (csv::trim(to).empty() || dates_ok) to = choice.period.to;
  json data = page_data(ctx, from, to, group, choice.group);
  data["widened"] = choice.widened;
  std::vector<std::pair<std::string, std::string>> errors;
  for (const auto& e : choice.errors) errors.emplace_back(e.field, e.message);
  if (!errors.empty()) return ctx.form_errors("dashboard/familiar_voices", kTitle, data, errors);

  auto report = familiar_voices(ctx).report(ctx.user->organisation_id, choice.period, choice.group, actor(ctx));
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kNotFound) {
      return ctx.form_errors("dashboard/familiar_voices", kTitle, data,
                             {{"group", "Choose a group from the list, or the whole organisation"}});
    }
    return ctx.error(500);
  }
  const Report& r = *report;
  data["results"] = true;
  data["scope"] = r.group_id ? r.group_name : "the whole organisation";
  data["period_text"] = long_date(r.period.from) + " to " + long_date(r.period.to);
  data["headline"] = headline(r);
  data["has_places"] = r.places > 0;
  data["tenths_chart"] = tenths_chart(r);
  data["tenths_table"] = tenths_table(r);
  data["suppressed"] = r.representativeness.suppressed;
  data["too_few"] = kTooFew;
  data["threshold"] = impact::kMinPeopleForBreakdown;
  data["categories"] = representativeness_view(r);
  data["benchmark_local"] = r.benchmark.local;
  if (!r.group_id) {
    auto summaries = familiar_voices(ctx).group_summaries(ctx.user->organisation_id, r.period);
    if (!summaries.ok()) return ctx.error(500);
    json rows = json::array();
    for (const auto& g : *summaries) {
      auto shown = [](const std::optional<double>& p) { return p ? format_percent(*p) : std::string("No places"); };
      rows.push_back({{"name", g.name},
                      {"href", "/dashboard/familiar-voices?from=" + r.period.from + "&to=" + r.period.to +
                                   "&group=" + std::to_string(g.group_id) + "#figures"},
                      {"places", g.places},
                      {"people", g.people},
                      {"top", shown(g.top_decile_share)},
                      {"gini", g.gini ? fixed(*g.gini, 2) : "No places"},
                      {"newcomers", shown(g.newcomer_share)}});
    }
    data["group_rows"] = rows;
    data["has_group_rows"] = !rows.empty();
  }
  data["csv_href"] = "/dashboard/familiar-voices.csv" + same_query(r);
  data["xlsx_href"] = "/dashboard/familiar-voices.xlsx" + same_query(r);
  return ctx.page(200, "dashboard/familiar_voices", kTitle, data);
}

// --- CSV -----------------------------------------------------------------------------

// The report for a download's period, or the response to send instead.
std::variant<Report, Response> download_report(Context& ctx) {
  // A download is of a chosen period: the page's links always name one.
  // Without one, show the page where it is chosen (a page, not a redirect,
  // so the address answers like every other page a role may open).
  if (ctx.request.query_string.empty()) return familiar_voices_page(ctx);
  PeriodChoice choice = impact::parse_period(ctx.request.query("from"), ctx.request.query("to"),
                                             ctx.request.query("group"), ctx.services.clock.now());
  if (!choice.errors.empty())
    return ctx.error(400, choice.errors.front().message + " (" + choice.errors.front().field + ")");
  auto report = familiar_voices(ctx).report(ctx.user->organisation_id, choice.period, choice.group, actor(ctx));
  if (!report.ok()) return ctx.error(report.status().code() == StatusCode::kNotFound ? 404 : 500);
  return std::move(report).value();
}

Response familiar_voices_csv(Context& ctx) {
  auto got = download_report(ctx);
  if (auto* response = std::get_if<Response>(&got)) return std::move(*response);
  const Report& report = std::get<Report>(got);
  // A byte-order mark so Excel reads the file as UTF-8.
  Response r{200, {{"Content-Type", "text/csv; charset=utf-8"}}, "\xEF\xBB\xBF" + impact::report_csv(report)};
  r.set_header("Content-Disposition", "attachment; filename=\"" + file_stem(report) + ".csv\"");
  return r;
}

Response familiar_voices_xlsx(Context& ctx) {
  auto got = download_report(ctx);
  if (auto* response = std::get_if<Response>(&got)) return std::move(*response);
  const Report& report = std::get<Report>(got);
  auto bytes = impact::report_xlsx(report);
  if (!bytes.ok()) return ctx.error(500);
  Response r{200,
             {{"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
             std::move(bytes).value()};
  r.set_header("Content-Disposition", "attachment; filename=\"" + file_stem(report) + ".xlsx\"");
  return r;
}

// --- the API ---------------------------------------------------------------------------

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json report_json(const Report& r) {
  json tenths = json::array();
  for (const auto& t : r.tenths) {
    tenths.push_back({{"tenth", t.index}, {"people", t.people}, {"places", t.places}, {"share", t.share}});
  }
  return {{"from", r.period.from},
          {"to", r.period.to},
          {"group", r.group_id ? json(*r.group_id) : json(nullptr)},
          {"group_name", r.group_id ? json(r.group_name) : json(nullptr)},
          {"places", r.places},
          {"people", r.people},
          {"hours", r.hours()},
          {"top_tenth_people", r.top_tenth_people},
          {"top_decile_share", optional_number(r.top_decile_share)},
          {"top_decile_hours_share", optional_number(r.top_decile_hours_share)},
          {"gini", optional_number(r.gini)},
          {"newcomer_places", r.newcomer_places},
          {"newcomer_share", optional_number(r.newcomer_share)},
          {"people_on_three_or_more_groups",
           {{"count", r.multi_group.on_three_or_more},
            {"members", r.multi_group.members},
            {"share", optional_number(r.three_or_more_share)}}},
          {"places_by_tenth", tenths},
          {"benchmark",
           {{"local", r.benchmark.local},
            {"uploaded_at", r.benchmark.local ? json(r.benchmark.uploaded_at) : json(nullptr)}}},
          {"representativeness", impact::representativeness_json(r.representativeness)}};
}

Response api_error(Context& ctx, int status, const std::string& code, const std::string& field,
                   const std::string& message) {
  return ctx.send_json(status, {{"error", {{"code", code}, {"message", message}, {"field", field}}},
                                {"errors", json::array({{{"field", field}, {"message", message}}})}});
}

Response api_familiar_voices(Context& ctx) {
  // The API names no defaults: both dates are needed.
  std::string from = ctx.request.query("from"), to = ctx.request.query("to");
  if (csv::trim(from).empty()) return api_error(ctx, 400, "invalid", "from", "Give the start date: from=YYYY-MM-DD");
  if (csv::trim(to).empty()) return api_error(ctx, 400, "invalid", "to", "Give the end date: to=YYYY-MM-DD");
  PeriodChoice choice = impact::parse_period(from, to, ctx.request.query("group"), ctx.services.clock.now());
  if (!choice.errors.empty()) {
    json errors = json::array();
    for (const auto& e : choice.errors) errors.push_back({{"field", e.field}, {"message", e.message}});
    return ctx.send_json(
        400,
        {{"error",
          {{"code", "invalid"}, {"message", choice.errors.front().message}, {"field", choice.errors.front().field}}},
         {"errors", errors}});
  }
  auto report = familiar_voices(ctx).report(ctx.user->organisation_id, choice.period, choice.group, actor(ctx));
  if (!report.ok()) {
    if (report.status().code() == StatusCode::kNotFound) {
      return api_error(ctx, 404, "not_found", "group", "There is no group with that id in your organisation");
    }
    return ctx.error(500);
  }
  return ctx.send_json(200, report_json(*report));
}

// --- the benchmark page ------------------------------------------------------------------

json benchmark_data(Context& ctx, const Benchmark& b) {
  json rows = json::array();
  for (const auto& cat : impact::benchmark_categories()) {
    for (const auto& v : cat.values) {
      const impact::BenchmarkShare* s = b.find(cat.code, v.code);
      rows.push_back({{"category", cat.label},
                      {"value", v.label},
                      {"share", s ? format_percent(s->share) : "None"},
                      {"source", s ? s->source : ""}});
    }
  }
  return {{"rows", rows},
          {"local", b.local},
          {"uploaded_on", b.local ? long_date(b.uploaded_at.substr(0, 10)) : ""},
          {"can_edit", can_edit_benchmark(ctx)},
          {"max_rows", impact::kMaxBenchmarkRows}};
}

Response benchmark_page(Context& ctx, int status, json extra) {
  auto b = familiar_voices(ctx).benchmark(ctx.user->organisation_id);
  if (!b.ok()) return ctx.error(500);
  json data = benchmark_data(ctx, *b);
  for (auto it = extra.begin(); it != extra.end(); ++it) data[it.key()] = it.value();
  if (ctx.request.query("uploaded") == "1") data["uploaded"] = true;
  if (ctx.request.query("reset") == "1") data["reset"] = true;
  return ctx.page(status, "dashboard/benchmark", "Benchmark population", data);
}

Response benchmark_show(Context& ctx) { return benchmark_page(ctx, 200, json::object()); }

Response benchmark_upload(Context& ctx) {
  const UploadedFile* file = ctx.form.file("file");
  if (!file || file->data.empty()) {
    auto b = familiar_voices(ctx).benchmark(ctx.user->organisation_id);
    if (!b.ok()) return ctx.error(500);
    return ctx.form_errors("dashboard/benchmark", "Benchmark population", benchmark_data(ctx, *b),
                           {{"file", "Choose a CSV file to upload"}});
  }
  std::string name = file->filename.empty() ? "the file" : file->filename;
  impact::ParsedBenchmark parsed;
  if (file->data.size() > kMaxBenchmarkBytes) {
    parsed.problems.push_back(
        InvalidInput("The file is larger than 64 KB; a benchmark needs only a few rows.", Location{name, 0, 0, ""}));
  } else if (!csv::is_valid_utf8(file->data)) {
    parsed.problems.push_back(InvalidInput(
        "The file is not UTF-8 text. Save it from your spreadsheet as \"CSV UTF-8\".", Location{name, 0, 0, ""}));
  } else {
    parsed = impact::parse_benchmark(file->data, name);
  }
  if (!parsed.ok()) {
    json problems = json::array();
    for (const auto& p : parsed.problems) {
      problems.push_back({{"where", p.where().to_string()}, {"message", p.message()}});
    }
    return benchmark_page(ctx, 400, {{"problems", problems}, {"has_problems", true}, {"file_name", name}});
  }
  Status s = familiar_voices(ctx).save_benchmark(ctx.user->organisation_id, parsed.shares, actor(ctx));
  if (!s.ok()) return ctx.error(500);
  return Response::redirect("/dashboard/benchmark?uploaded=1");
}

Response benchmark_reset(Context& ctx) {
  Status s = familiar_voices(ctx).reset_benchmark(ctx.user->organisation_id, actor(ctx));
  if (!s.ok()) return ctx.error(500);
  return Response::redirect("/dashboard/benchmark?reset=1");
}

}  // namespace

void add_dashboard_routes(Router& router) {
  router.add({"GET", "/dashboard/familiar-voices", kReaders, Channel::kPage, familiar_voices_page});
  router.add({"GET", "/dashboard/familiar-voices.csv", kReaders, Channel::kPage, familiar_voices_csv});
  router.add({"GET", "/dashboard/familiar-voices.xlsx", kReaders, Channel::kPage, familiar_voices_xlsx});
  router.add({"GET", "/dashboard/benchmark", kReaders, Channel::kPage, benchmark_show});
  router.add({"POST", "/dashboard/benchmark", kBenchmarkEditors, Channel::kPage, benchmark_upload});
  router.add({"POST", "/dashboard/benchmark/default", kBenchmarkEditors, Channel::kPage, benchmark_reset});
  router.add({"GET", "/api/v1/dashboard/familiar-voices", kReaders, Channel::kApi, api_familiar_voices});
}

}  // namespace coproduce::web
