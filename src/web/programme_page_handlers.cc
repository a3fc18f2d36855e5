// The pages of programmes (issue 13): the list with 'Create a programme',
// a programme's overview and the form to change it, its business case for
// boards and commissioners, its theory of change, costs, valued outcomes and
// indicators, and the organisation's staff grades. Handlers translate HTTP to
// a call of impact::Programmes and its results to page data; the rules and
// the arithmetic live there and in impact/value.h.
//
// Administrators and co-production leads change programmes; analysts read
// them; nobody else may.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "activities/activities.h"
#include "collection/surveys.h"
#include "core/text.h"
#include "impact/measures.h"
#include "impact/programmes.h"
#include "involvement/groups.h"
#include "learning/learning.h"
#include "report/format.h"
#include "report/line_chart.h"
#include "report/theory_of_change.h"
#include "report/tornado_chart.h"
#include "sheets/sheets.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using impact::Programmes;
using nlohmann::json;
using security::Role;

const Access kWrite = Access::only({Role::kAdministrator, Role::kCoproductionLead});
const Access kRead = Access::only({Role::kAdministrator, Role::kCoproductionLead, Role::kAnalyst});

Programmes service(Context& ctx) {
  return Programmes(ctx.services.db, ctx.services.clock, learning::programme_coverage_source());
}
int64_t org(const Context& ctx) { return ctx.user->organisation_id; }
bool can_write(const Context& ctx) {
  return ctx.user && (ctx.user->role == Role::kAdministrator || ctx.user->role == Role::kCoproductionLead);
}
std::string href_of(int64_t id) { return "/programmes/" + std::to_string(id); }
const char* const kStaffGradesHref = "/programmes/staff-grades";

std::string fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}
// A number as people read it: whole numbers without decimals, else up to two places.
std::string number(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return report::group_thousands(static_cast<int64_t>(std::llround(v)));
  std::string s = fixed(v, 2);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}
std::string money(double pence) { return report::format_money(static_cast<int64_t>(std::llround(pence))); }

// The problems with a form, at most one a field (the first found), in the
// order added: data for field_errors and for each field's own message.
struct Errors {
  std::map<std::string, std::string> by_field;
  std::vector<FieldError> list;
  void add(FieldError e) {
    if (by_field.count(e.field)) return;
    by_field[e.field] = e.message;
    list.push_back(std::move(e));
  }
  std::string of(const std::string& f) const { return by_field.count(f) ? by_field.at(f) : std::string(); }
};

// The success banner a page shows after a change redirected to it with
// ?done=1 (templates/programmes/partials/programme_notice.mustache).
void put_notice(const Context& ctx, json& data, const char* notice) {
  if (ctx.request.query("done") == "1") data["notice"] = notice;
}

// --- the period a report covers ------------------------------------------------------------
//
// The business case and the costs take ?from=YYYY-MM-DD&to=YYYY-MM-DD; the
// programme's own period when neither is given, and its own start or end for
// the one left out. impact::Programmes checks the dates.

std::optional<impact::Period> period_asked(const Context& ctx) {
  std::string from = trim_copy(ctx.request.query("from")), to = trim_copy(ctx.request.query("to"));
  if (from.empty() && to.empty()) return std::nullopt;
  return impact::Period{from, to};
}

// "?from=...&to=..." for a link that keeps `period`, or "" when none was asked for.
std::string period_query(const std::optional<impact::Period>& period) {
  if (!period) return "";
  return "?from=" + percent_encode(period->from) + "&to=" + percent_encode(period->to);
}

// A problem with the period asked for, or nullopt when `s` is some other failure.
std::optional<FieldError> period_problem(const Status& s) {
  const std::string& field = s.where().field;
  if (s.code() != StatusCode::kInvalidInput || (field != "from" && field != "to")) return std::nullopt;
  return FieldError{field, s.message(), Problem::kInvalid};
}

// Data for partials/programme_period: the GET form that chooses the period.
json period_form(const std::string& action, const impact::Period& shown, const Errors& errors) {
  return {{"action", action},
          {"from_field", text_field({"from", "From", "text", "", false, "10"}, shown.from, errors.of("from"))},
          {"to_field", text_field({"to", "To", "text", "", false, "10"}, shown.to, errors.of("to"))}};
}

// --- a programme's details: 'Create a programme' and 'Change the programme' -----------------

const char* const kLinkKeys[] = {"group_ids", "activity_ids", "survey_ids", "module_ids"};

// The form as typed: text as it came, and the ids ticked in each list of links.
struct ProgrammeForm {
  std::string name, purpose, lead, starts_on, ends_on, discount_rate;
  std::map<std::string, std::vector<std::string>> links;  // by kLinkKeys
};

int rank(const std::string& field) {
  static const char* const kOrder[] = {"name",          "purpose",   "lead",         "starts_on",  "ends_on",
                                       "discount_rate", "group_ids", "activity_ids", "survey_ids", "module_ids"};
  for (size_t i = 0; i < std::size(kOrder); ++i)
    if (field == kOrder[i]) return static_cast<int>(i);
  return static_cast<int>(std::size(kOrder));
}

// The list of ids one of kLinkKeys names.
std::vector<int64_t> impact::ProgrammeInput::*link_list(const std::string& key) {
  if (key == "group_ids") return &impact::ProgrammeInput::group_ids;
  if (key == "activity_ids") return &impact::ProgrammeInput::activity_ids;
  if (key == "survey_ids") return &impact::ProgrammeInput::survey_ids;
  return &impact::ProgrammeInput::module_ids;
}

// The form field an API key names: "group_ids.3" is the group_ids checkboxes.
std::string programme_field(const std::string& api_field) {
  for (const char* key : kLinkKeys)
    if (api_field.rfind(key, 0) == 0) return key;
  return api_field;
}

ProgrammeForm typed_programme(const Form& f, bool with_links) {
  ProgrammeForm in{
      f.get("name"), f.get("purpose"), f.get("lead"), f.get("starts_on"), f.get("ends_on"), f.get("discount_rate"), {}};
  if (with_links)
    for (const char* key : kLinkKeys) in.links[key] = f.all(key);
  return in;
}

ProgrammeForm form_of(const impact::ProgrammeInput& d) {
  ProgrammeForm in{d.name, d.purpose, d.lead, d.starts_on, d.ends_on, number(d.discount_rate), {}};
  for (const char* key : kLinkKeys)
    for (int64_t id : d.*link_list(key)) in.links[key].push_back(std::to_string(id));
  return in;
}

// Reads the form into `p`: every problem the rules find without the
// database, on the form's fields in page order.
Errors read_programme(const ProgrammeForm& in, impact::ProgrammeInput& p) {
  Errors errors;
  p.name = trim_copy(in.name);
  p.purpose = trim_copy(in.purpose);
  p.lead = trim_copy(in.lead);
  p.starts_on = trim_copy(in.starts_on);
  p.ends_on = trim_copy(in.ends_on);
  std::string rate = trim_copy(in.discount_rate);
  if (!rate.empty()) {
    char* end = nullptr;
    double r = std::strtod(rate.c_str(), &end);
    if (end == rate.c_str() || *end != '\0' || !std::isfinite(r))
      errors.add({"discount_rate", "Enter the discount rate as a number, like 3.5", Problem::kInvalid});
    else
      p.discount_rate = r;
  }
  for (const auto& [key, ticked] : in.links) {
    for (const auto& value : ticked) {
      const bool whole =
          !value.empty() && value.size() < 19 && value.find_first_not_of("0123456789") == std::string::npos;
      if (!whole) {
        errors.add({key, "Choose from the list", Problem::kInvalid});
        break;
      }
      (p.*link_list(key)).push_back(std::stoll(value));
    }
  }
  for (auto& e : impact::validate(p)) {
    e.field = programme_field(e.field);
    errors.add(std::move(e));
  }
  return errors;
}

void sort_programme_errors(Errors& errors) {
  std::stable_sort(errors.list.begin(), errors.list.end(),
                   [](const FieldError& a, const FieldError& b) { return rank(a.field) < rank(b.field); });
}

// The text fields of the form, shared by 'Create' and 'Change'.
json programme_fields(const ProgrammeForm& in, const Errors& errors) {
  return {
      {"name_field", text_field({"name", "Name", "text", "For example, Carers' voice"}, in.name, errors.of("name"))},
      {"purpose_field",
       text_field({"purpose", "Purpose", "text", "What the programme is for, in a sentence or two.", true}, in.purpose,
                  errors.of("purpose"))},
      {"lead_field",
       text_field({"lead", "Lead", "text", "The named person who leads it."}, in.lead, errors.of("lead"))},
      {"starts_field",
       text_field({"starts_on", "Starts on", "text", "As year-month-day, for example 2026-04-01", false, "10"},
                  in.starts_on, errors.of("starts_on"))},
      {"ends_field",
       text_field({"ends_on", "Ends on", "text", "As year-month-day, for example 2027-03-31", false, "10"}, in.ends_on,
                  errors.of("ends_on"))},
      {"rate_field", text_field({"discount_rate", "Discount rate, % a year", "text",
                                 "The HM Treasury Green Book rate is 3.5. From 0 to 20.", false, "4"},
                                in.discount_rate, errors.of("discount_rate"))},
  };
}

json list_data(Context& ctx, const ProgrammeForm& in, const Errors& errors) {
  json items = json::array();
  auto all = service(ctx).list(org(ctx));
  if (all.ok()) {
    for (const auto& p : *all)
      items.push_back({{"href", href_of(p.id)},
                       {"name", p.details.name},
                       {"lead", p.details.lead},
                       {"period", p.details.starts_on + " to " + p.details.ends_on}});
  }
  json data = {{"programmes", items}, {"has_programmes", !items.empty()}, {"staff_grades_href", kStaffGradesHref}};
  if (can_write(ctx)) data["form"] = programme_fields(in, errors);
  return data;
}

Response list_page(Context& ctx, const ProgrammeForm& in, const Errors& errors) {
  json data = list_data(ctx, in, errors);
  if (errors.list.empty()) return ctx.page(200, "programmes/list", "Programmes", std::move(data));
  return field_errors(ctx, "programmes/list", "Programmes", std::move(data), errors.list);
}

Response list_programmes(Context& ctx) {
  ProgrammeForm in;
  in.discount_rate = "3.5";
  return list_page(ctx, in, {});
}

Response create_programme(Context& ctx) {
  ProgrammeForm in = typed_programme(ctx.form, false);
  impact::ProgrammeInput p;
  Errors errors = read_programme(in, p);
  if (errors.list.empty()) {
    auto made = service(ctx).create(org(ctx), p, actor_of(ctx));
    if (made.ok()) return Response::redirect(href_of(made->id));
    if (made.status().code() != StatusCode::kInvalidInput) return status_error(ctx, made.status());
    std::string field = programme_field(made.status().where().field);
    errors.add({field.empty() ? "name" : field, made.status().message(), Problem::kInvalid});
  }
  sort_programme_errors(errors);
  return list_page(ctx, in, errors);
}

// The checkboxes for the work a programme gathers: the organisation's
// groups, activities, surveys and learning modules, each list shown only
// when the organisation has any.
json link_choices(Context& ctx, const ProgrammeForm& in, const Errors& errors) {
  using Options = std::vector<std::pair<std::string, std::string>>;
  auto& db = ctx.services.db;
  const auto& clock = ctx.services.clock;
  Options groups, activities, surveys, modules;
  if (auto all = involvement::Groups(db, clock).list(org(ctx)); all.ok())
    for (const auto& g : *all) groups.push_back({std::to_string(g.id), g.name});
  if (auto all = activities::Activities(db, clock).list(org(ctx)); all.ok())
    for (const auto& a : *all)
      activities.push_back(
          {std::to_string(a.id), a.title + " (" + a.group_name + ", " + a.starts_at.substr(0, 10) + ")"});
  if (auto all = collection::Surveys(db, clock).list(org(ctx)); all.ok())
    for (const auto& s : *all) surveys.push_back({std::to_string(s.id), s.title});
  if (auto all = learning::Learning(db, clock).modules(org(ctx)); all.ok())
    for (const auto& m : *all) modules.push_back({std::to_string(m.id), m.content.title});
  struct List {
    const char* key;
    const char* legend;
    const char* hint;
    const Options* options;
  };
  const List lists[] = {
      {"group_ids", "Groups", "The programme gathers all of a group's activities.", &groups},
      {"activity_ids", "Single activities", "Activities of groups not ticked above, one by one.", &activities},
      {"survey_ids", "Surveys", "", &surveys},
      {"module_ids", "Learning modules", "", &modules},
  };
  json out = json::array();
  for (const List& l : lists) {
    if (l.options->empty()) continue;
    auto ticked = in.links.count(l.key) ? in.links.at(l.key) : std::vector<std::string>{};
    out.push_back(choice_group(l.key, l.legend, l.hint, false, *l.options, ticked, errors.of(l.key)));
  }
  return out;
}

Response edit_page(Context& ctx, int64_t id, const std::string& name, const ProgrammeForm& in, const Errors& errors) {
  json data = {{"name", name}, {"href", href_of(id)}, {"fields", programme_fields(in, errors)}};
  json links = link_choices(ctx, in, errors);
  data["has_links"] = !links.empty();
  data["links"] = std::move(links);
  std::string title = "Change the programme: " + name;
  if (errors.list.empty()) return ctx.page(200, "programmes/edit", title, std::move(data));
  return field_errors(ctx, "programmes/edit", title, std::move(data), errors.list);
}

Response edit_programme(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  return edit_page(ctx, *id, p->details.name, form_of(p->details), {});
}

Response update_programme(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  ProgrammeForm in = typed_programme(ctx.form, true);
  impact::ProgrammeInput changed;
  Errors errors = read_programme(in, changed);
  if (errors.list.empty()) {
    auto saved = service(ctx).update(org(ctx), *id, changed, actor_of(ctx));
    if (saved.ok()) return Response::redirect(href_of(*id) + "?done=1");
    if (saved.status().code() != StatusCode::kInvalidInput) return status_error(ctx, saved.status());
    std::string field = programme_field(saved.status().where().field);
    errors.add({field.empty() ? "name" : field, saved.status().message(), Problem::kInvalid});
  }
  sort_programme_errors(errors);
  return edit_page(ctx, *id, p->details.name, in, errors);
}

// --- the overview --------------------------------------------------------------------------

// "1 group", "2 groups".
std::string count_of(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

Response show_programme(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  const auto& d = p->details;
  json data = {{"name", d.name},
               {"lead", d.lead},
               {"period", d.starts_on + " to " + d.ends_on},
               {"discount_rate", number(d.discount_rate) + "% a year"},
               {"href", href_of(*id)},
               {"work", count_of(d.group_ids.size(), "group", "groups") + ", " +
                            count_of(d.activity_ids.size(), "activity", "activities") + ", " +
                            count_of(d.survey_ids.size(), "survey", "surveys") + " and " +
                            count_of(d.module_ids.size(), "learning module", "learning modules")}};
  put_if(data, "purpose", d.purpose);
  if (can_write(ctx)) data["edit_href"] = href_of(*id) + "/edit";
  put_notice(ctx, data, "Programme updated");
  return ctx.page(200, "programmes/show", d.name, std::move(data));
}

// --- the business case ---------------------------------------------------------------------

std::string assumption_value(impact::Assumption a, double v) {
  using impact::Assumption;
  switch (a) {
    case Assumption::kQuantity:
      return number(v);
    case Assumption::kValue:
      return money(v);
    case Assumption::kDuration:
      return number(v) + (std::fabs(v - 1) < 1e-9 ? " year" : " years");
    default:
      return number(v) + "%";
  }
}

std::string ratio_text(double r) { return fixed(r, 2); }

report::Unit unit_of(const std::string& unit) {
  if (unit == "percentage") return report::Unit::kPercentage;
  if (unit == "score") return report::Unit::kScore;
  if (unit == "money") return report::Unit::kMoney;
  return report::Unit::kCount;
}
double chart_value(const std::string& unit, double v) { return unit == "percentage" ? v / 100 : v; }

// Small numbers are suppressed: a share or an average (a measurement with a
// base) of fewer than kMinPeopleForBreakdown places, ratings or activities
// is not shown, so nobody can be picked out from it.
bool too_few(const impact::Measurement& m) {
  return m.value && m.base && *m.base > 0 && *m.base < impact::kMinPeopleForBreakdown;
}

json indicators_data(const std::vector<impact::Indicator>& indicators) {
  json out = json::array();
  size_t n = 0;
  for (const auto& ind : indicators) {
    ++n;
    const auto& d = ind.definition;
    std::string cid = "indicator-" + std::to_string(n);
    json item = {{"name", d.name}, {"element", ind.element}, {"status", ind.status.label}, {"rule", ind.status.rule}};
    put_if(item, "explanation", ind.status.explanation);
    put_if(item, "definition", d.definition);
    const impact::Measurement* latest = nullptr;
    for (const auto& m : ind.measurements)
      if (m.value) latest = &m;
    item["latest"] = latest ? impact::show_value(d.unit, *latest->value) + " (" + latest->period.label + ")"
                            : std::string("No measurement yet");
    if (latest && too_few(*latest)) {
      // A share or an average of very few is not shown, nor the judgement that would give it away.
      item["latest"] = std::string(impact::kTooFewToShow) + " (" + latest->period.label + ")";
      item["status"] = "Not shown";
      item.erase("explanation");
    }
    item["target"] = d.target_value ? impact::show_value(d.unit, *d.target_value) + " by " + d.target_date
                                    : std::string("No target set");
    report::LineChart chart;
    chart.id = cid;
    chart.title = d.name;
    chart.description = "A line chart of " + d.name + " by period" + (d.target_value ? ", with its target" : "") +
                        ". The table after it has the figures.";
    chart.unit = unit_of(d.unit);
    report::LineSeries s{d.name, {}};
    report::Table table{
        cid + "-table", d.name + ": measurements", {"Period", "Value", "Source or note"}, {}, true, {1}};
    for (const auto& m : ind.measurements) {
      if (too_few(m)) {
        s.points.push_back({m.period.label, std::nullopt});
        table.rows.push_back({m.period.label, "Not shown", impact::kTooFewToShow});
        continue;
      }
      s.points.push_back(
          {m.period.label, m.value ? std::optional<double>(chart_value(d.unit, *m.value)) : std::nullopt});
      table.rows.push_back(
          {m.period.label, m.value ? impact::show_value(d.unit, *m.value) : "No figure",
           m.value ? (m.evidence.empty() ? std::string("Worked out from the platform's records") : m.evidence)
                   : m.note});
    }
    chart.series.push_back(std::move(s));
    if (d.target_value && !d.target_date.empty())
      chart.target = report::ChartTarget{chart_value(d.unit, *d.target_value), d.target_date, "Target"};
    if (d.baseline_value && !d.baseline_date.empty())
      chart.baseline = report::ChartTarget{chart_value(d.unit, *d.baseline_value), d.baseline_date, "Baseline"};
    bool any = false;
    for (const auto& m : ind.measurements) any = any || (m.value.has_value() && !too_few(m));
    if (any) item["chart"] = report::line_chart_json(chart);
    item["table"] = report::table_json(table);
    out.push_back(std::move(item));
  }
  return out;
}

Response business_case_page(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto svc = service(ctx);
  auto p = svc.get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::string title = "Business case: " + p->details.name;
  const std::string action = href_of(*id) + "/business-case";
  auto asked = period_asked(ctx);
  auto bcase = svc.business_case(org(ctx), *id, asked);
  if (!bcase.ok()) {
    // A period that is not one: the form again with the problem on its
    // field, and no figures, which would be for some other period.
    auto problem = period_problem(bcase.status());
    if (!problem) return status_error(ctx, bcase.status());
    Errors errors;
    errors.add(std::move(*problem));
    json data = {{"name", p->details.name},
                 {"href", href_of(*id)},
                 {"period_form", period_form(action, asked.value_or(impact::Period{}), errors)},
                 {"has_figures", false}};
    put_if(data, "purpose", p->details.purpose);
    return field_errors(ctx, "programmes/business_case", title, std::move(data), errors.list);
  }
  auto indicators = svc.indicators(org(ctx), *id, actor_of(ctx));
  if (!indicators.ok()) return status_error(ctx, indicators.status());
  const impact::BusinessCase& bc = bcase->figures;

  // The summary, in plain English: never a ratio without costs.
  std::vector<std::string> summary;
  if (bc.ratio) {
    summary.push_back("For every £1 spent, about £" + ratio_text(*bc.ratio) + " of value was created.");
    summary.push_back("Costs of " + report::format_money(bc.total_costs_pence) + " against value of " +
                      report::format_money(bc.total_present_value_pence) +
                      " in today's money give a net present value of " +
                      report::format_money(bc.net_present_value_pence) + ".");
  } else {
    summary.push_back(impact::kNoCostsMessage);
    summary.push_back("The value of its outcomes in today's money is " +
                      report::format_money(bc.total_present_value_pence) + ".");
  }
  if (bc.outcomes.empty()) summary.push_back("No outcomes have been valued yet.");

  json totals = {
      {"present_value", report::format_money(bc.total_present_value_pence)},
      {"costs", report::format_money(bc.total_costs_pence)},
      {"npv", report::format_money(bc.net_present_value_pence)},
      {"ratio", bc.ratio ? ratio_text(*bc.ratio) + " to 1" : std::string("No ratio: there are no costs")},
      {"discount_rate", number(bc.discount_rate_percent) + "% a year"},
      {"period", bcase->period.from + " to " + bcase->period.to},
  };

  // Each outcome with its inputs and their sources.
  json outcomes = json::array();
  report::Table workings{"workings",
                         "Year-by-year workings",
                         {"Outcome", "Year", "Value in the year", "Discount factor", "Present value"},
                         {},
                         true,
                         {1, 2, 3, 4}};
  size_t n = 0;
  for (const auto& o : bc.outcomes) {
    ++n;
    const auto& in = o.input;
    std::string oid = "outcome-" + std::to_string(n);
    report::Table inputs{
        oid + "-inputs", in.name + ": inputs and sources", {"Input", "Value", "Source"}, {}, true, {1}};
    inputs.rows.push_back(
        {"Quantity a year", number(in.quantity), in.quantity_source.empty() ? "Typed" : in.quantity_source});
    inputs.rows.push_back({"Value per unit", money(static_cast<double>(in.value_pence)),
                           in.source + (in.price_year ? " (" + std::to_string(*in.price_year) + " prices)" : "")});
    inputs.rows.push_back({"Duration", assumption_value(impact::Assumption::kDuration, in.duration_years), "Entered"});
    inputs.rows.push_back({"Deadweight", number(in.deadweight) + "%", "Entered"});
    inputs.rows.push_back({"Attribution", number(in.attribution) + "%", "Entered"});
    inputs.rows.push_back({"Displacement", number(in.displacement) + "%", "Entered"});
    inputs.rows.push_back({"Drop-off", number(in.drop_off) + "% a year", "Entered"});
    inputs.rows.push_back({"Discount rate", number(bc.discount_rate_percent) + "% a year", "The programme's rate"});
    for (const auto& y : o.years)
      workings.rows.push_back({in.name, std::to_string(y.year), money(y.value_pence), fixed(y.discount_factor, 4),
                               money(y.present_value_pence)});
    outcomes.push_back({{"name", in.name},
                        {"present_value", report::format_money(o.present_value_pence)},
                        {"adjusted", money(o.adjusted_value_pence)},
                        {"inputs", report::table_json(inputs)}});
  }

  // Costs.
  report::Table costs{"costs", "Costs in the period", {"Cost", "Date", "Amount"}, {}, true, {2}};
  for (const auto& c : bc.costs) costs.rows.push_back({c.label, c.date, report::format_money(c.amount_pence)});

  // Sensitivity: the tornado chart and its table.
  report::TornadoChart tornado;
  tornado.id = "sensitivity";
  tornado.title = "How the net present value moves with each assumption";
  tornado.description =
      "A tornado chart: for each assumption, the net present value at the low and the high end of its range, the "
      "largest swing first. The table after it has the figures.";
  tornado.unit = report::Unit::kMoney;
  tornado.central = static_cast<double>(bc.net_present_value_pence);
  for (const auto& s : bc.sensitivity) {
    std::string label = std::string(impact::assumption_label(s.assumption));
    if (s.outcome) label = s.outcome_name + ": " + label;
    tornado.rows.push_back({label,
                            assumption_value(s.assumption, s.range.low) + " to " +
                                assumption_value(s.assumption, s.range.high) + (s.default_range ? " (±50%)" : ""),
                            static_cast<double>(s.at_low.net_present_value_pence),
                            static_cast<double>(s.at_high.net_present_value_pence)});
  }
  json sensitivity = {{"chart", report::tornado_chart_json(tornado)},
                      {"table", report::table_json(report::tornado_table(tornado, "sensitivity-table"))}};

  // Break-even values.
  report::Table breaks{"break-even",
                       "Break-even values: where the net present value is £0",
                       {"Assumption", "As given", "Break-even value"},
                       {},
                       true,
                       {1, 2}};
  for (const auto& b : bc.break_even) {
    std::string label = std::string(impact::assumption_label(b.assumption));
    if (b.outcome) label = b.outcome_name + ": " + label;
    std::string result;
    switch (b.result) {
      case impact::BreakEvenResult::kFound:
        result = assumption_value(b.assumption, b.value.value_or(0));
        break;
      case impact::BreakEvenResult::kPositiveThroughout:
        result = "Positive throughout the range";
        break;
      case impact::BreakEvenResult::kNegativeThroughout:
        result = "Negative throughout the range";
        break;
    }
    breaks.rows.push_back({label, assumption_value(b.assumption, b.central), result});
  }

  // Scenarios.
  report::Table scenarios{"scenarios",
                          "Low, central and high scenarios",
                          {"Scenario", "Present value", "Net present value", "Value for every £1"},
                          {},
                          true,
                          {1, 2, 3}};
  auto scenario_row = [&](const char* name, const impact::Scenario& s) {
    scenarios.rows.push_back({name, report::format_money(s.total_present_value_pence),
                              report::format_money(s.net_present_value_pence),
                              s.ratio ? "£" + ratio_text(*s.ratio) : std::string("No ratio: no costs")});
  };
  scenario_row("Low", bc.scenarios.low);
  scenario_row("Central", bc.scenarios.central);
  scenario_row("High", bc.scenarios.high);

  json data = {{"name", p->details.name},
               {"href", href_of(*id)},
               {"period_form", period_form(action, bcase->period, {})},
               {"xlsx_href", href_of(*id) + "/business-case.xlsx" +
                                 period_query(asked ? std::optional(bcase->period) : std::nullopt)},
               {"has_figures", true},
               {"summary", summary},
               {"totals", totals},
               {"outcomes", outcomes},
               {"has_outcomes", !outcomes.empty()},
               {"workings", report::table_json(workings)},
               {"costs", report::table_json(costs)},
               {"has_sensitivity", !bc.sensitivity.empty()},
               {"sensitivity", sensitivity},
               {"break_even", report::table_json(breaks)},
               {"scenarios", report::table_json(scenarios)},
               {"indicators", indicators_data(*indicators)},
               {"has_indicators", !indicators->empty()}};
  put_if(data, "purpose", p->details.purpose);
  return ctx.page(200, "programmes/business_case", title, std::move(data));
}

// --- the business case as XLSX: all the workings ----------------------------------------------

sheets::Cell text(std::string t) { return sheets::Cell::of(std::move(t)); }
sheets::Cell pounds(double pence) { return sheets::Cell::real(std::round(pence) / 100.0); }

Response business_case_xlsx(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto svc = service(ctx);
  auto p = svc.get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  auto asked = period_asked(ctx);
  auto bcase = svc.business_case(org(ctx), *id, asked);
  if (!bcase.ok()) return status_error(ctx, bcase.status());
  auto indicators = svc.indicators(org(ctx), *id, actor_of(ctx));
  if (!indicators.ok()) return status_error(ctx, indicators.status());
  const impact::BusinessCase& bc = bcase->figures;
  using sheets::Cell;
  std::vector<sheets::Sheet> book;

  sheets::Sheet summary{"Summary", {{text("Figure"), text("Value"), text("Worked out from")}}};
  summary.rows.push_back({text("Programme"), text(p->details.name), text("")});
  summary.rows.push_back({text("Costs counted from"), text(bcase->period.from + " to " + bcase->period.to),
                          text(asked ? "The period asked for" : "The programme's period")});
  summary.rows.push_back(
      {text("Discount rate, % a year"), Cell::real(bc.discount_rate_percent), text("The programme's rate")});
  summary.rows.push_back({text("Total present value, £"), pounds(static_cast<double>(bc.total_present_value_pence)),
                          text("Outcomes sheet: the sum of present values, rounded once")});
  summary.rows.push_back(
      {text("Total costs, £"), pounds(static_cast<double>(bc.total_costs_pence)), text("Costs sheet")});
  summary.rows.push_back({text("Net present value, £"), pounds(static_cast<double>(bc.net_present_value_pence)),
                          text("Total present value less total costs")});
  if (bc.ratio)
    summary.rows.push_back({text("Value for every £1 spent, £"), Cell::real(*bc.ratio),
                            text("Total present value divided by total costs")});
  else
    summary.rows.push_back({text("Value for every £1 spent"), text("No ratio"), text(impact::kNoCostsMessage)});
  for (const auto& [name, s] :
       {std::pair{"Low", bc.scenarios.low}, {"Central", bc.scenarios.central}, {"High", bc.scenarios.high}})
    summary.rows.push_back(
        {text(std::string(name) + " scenario: net present value, £"),
         pounds(static_cast<double>(s.net_present_value_pence)),
         text("Every assumption at its " +
              std::string(name == std::string("Central")
                              ? "given value"
                              : (name == std::string("Low") ? "pessimistic end" : "optimistic end")))});
  book.push_back(std::move(summary));

  sheets::Sheet outcomes{"Outcomes",
                         {{text("Outcome"), text("Quantity a year"), text("Quantity source"), text("Value per unit, £"),
                           text("Value source"), text("Price year"), text("Duration, years"), text("Deadweight %"),
                           text("Attribution %"), text("Displacement %"), text("Drop-off % a year"),
                           text("First year adjusted value, £"), text("Present value, £")}}};
  sheets::Sheet workings{"Workings",
                         {{text("Outcome"), text("Year"), text("Value in the year, £"), text("Discount factor"),
                           text("Present value, £")}}};
  for (const auto& o : bc.outcomes) {
    const auto& in = o.input;
    outcomes.rows.push_back(
        {text(in.name), Cell::real(in.quantity), text(in.quantity_source), pounds(static_cast<double>(in.value_pence)),
         text(in.source), in.price_year ? Cell::whole(*in.price_year) : Cell::empty(), Cell::whole(in.duration_years),
         Cell::real(in.deadweight), Cell::real(in.attribution), Cell::real(in.displacement), Cell::real(in.drop_off),
         Cell::real(o.adjusted_value_pence / 100.0), pounds(static_cast<double>(o.present_value_pence))});
    for (const auto& y : o.years)
      workings.rows.push_back({text(in.name), Cell::whole(y.year), Cell::real(y.value_pence / 100.0),
                               Cell::real(y.discount_factor), Cell::real(y.present_value_pence / 100.0)});
  }
  book.push_back(std::move(outcomes));
  book.push_back(std::move(workings));

  sheets::Sheet sensitivity{
      "Sensitivity",
      {{text("Outcome"), text("Assumption"), text("As given"), text("Low end"), text("High end"),
        text("Default range (±50%)"), text("NPV at low end, £"), text("NPV at high end, £"), text("Swing, £")}}};
  for (const auto& s : bc.sensitivity)
    sensitivity.rows.push_back(
        {text(s.outcome ? s.outcome_name : "Whole case"), text(std::string(impact::assumption_label(s.assumption))),
         Cell::real(s.central), Cell::real(s.range.low), Cell::real(s.range.high), text(s.default_range ? "Yes" : "No"),
         pounds(static_cast<double>(s.at_low.net_present_value_pence)),
         pounds(static_cast<double>(s.at_high.net_present_value_pence)), pounds(static_cast<double>(s.swing_pence))});
  sensitivity.rows.push_back({});
  sensitivity.rows.push_back({text("Break-even"), text("Assumption"), text("As given"), text("Break-even value")});
  for (const auto& b : bc.break_even)
    sensitivity.rows.push_back(
        {text(b.outcome ? b.outcome_name : "Whole case"), text(std::string(impact::assumption_label(b.assumption))),
         Cell::real(b.central),
         b.value ? Cell::real(*b.value)
                 : text(b.result == impact::BreakEvenResult::kPositiveThroughout ? "Positive throughout the range"
                                                                                 : "Negative throughout the range")});
  book.push_back(std::move(sensitivity));

  sheets::Sheet costs{"Costs", {{text("Cost"), text("Date"), text("Amount, £")}}};
  for (const auto& c : bc.costs)
    costs.rows.push_back({text(c.label), text(c.date), pounds(static_cast<double>(c.amount_pence))});
  book.push_back(std::move(costs));

  sheets::Sheet inds{"Indicators",
                     {{text("Indicator"), text("Measures"), text("Unit"), text("Period"), text("Value"),
                       text("Source or note"), text("Target"), text("Target date"), text("Status"), text("Rule")}}};
  for (const auto& i : *indicators) {
    const auto& d = i.definition;
    for (const auto& m : i.measurements)
      inds.rows.push_back({text(d.name), text(i.element), text(d.unit), text(m.period.label),
                           m.value ? Cell::real(*m.value) : Cell::empty(), text(m.value ? m.evidence : m.note),
                           d.target_value ? Cell::real(*d.target_value) : Cell::empty(), text(d.target_date),
                           text(i.status.label), text(i.status.rule)});
    if (i.measurements.empty())
      inds.rows.push_back({text(d.name), text(i.element), text(d.unit), text(""), Cell::empty(),
                           text("No measurement yet"), d.target_value ? Cell::real(*d.target_value) : Cell::empty(),
                           text(d.target_date), text(i.status.label), text(i.status.rule)});
  }
  book.push_back(std::move(inds));

  auto bytes = sheets::to_xlsx(book);
  if (!bytes.ok()) return status_error(ctx, bytes.status());
  return attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "business-case-" + std::to_string(*id) + ".xlsx", std::move(*bytes));
}

// --- the theory of change ----------------------------------------------------------------------
//
// Edited as plain text: one textarea a stage, an element a line written
// "REF: text" ("A1: Monthly co-design sessions"), and one for the links, a
// link a line written "FROM -> TO | assumptions | conditions" (the last
// two optional). A problem names its textarea and line.

report::Stage report_stage(const std::string& stage) {
  int i = impact::stage_order(stage);
  return static_cast<report::Stage>(i < 0 ? 0 : i);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      out.push_back(line);
      line.clear();
    } else if (c != '\r') {
      line += c;
    }
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

struct TocForm {
  std::map<std::string, std::string> stages;  // by stage code
  std::string links;
};

TocForm toc_form_of(const impact::TheoryOfChange& toc) {
  TocForm f;
  for (const auto& e : toc.elements) f.stages[e.stage] += e.ref + ": " + e.text + "\n";
  for (const auto& l : toc.links) {
    f.links += l.from + " -> " + l.to;
    if (!l.assumptions.empty() || !l.conditions.empty()) f.links += " | " + l.assumptions;
    if (!l.conditions.empty()) f.links += " | " + l.conditions;
    f.links += "\n";
  }
  return f;
}

std::string where(const std::string& label, int line) { return label + ", line " + std::to_string(line) + ": "; }

// Reads the form into `in`; every problem, each on its textarea's field.
std::vector<FieldError> read_toc(const TocForm& f, impact::TheoryOfChangeInput& in) {
  std::vector<FieldError> problems;
  std::vector<std::pair<std::string, int>> element_at;  // for each element: its stage field and line
  for (const auto& [code, label] : impact::stages()) {
    auto it = f.stages.find(code);
    if (it == f.stages.end()) continue;
    int n = 0;
    for (const auto& raw : lines_of(it->second)) {
      ++n;
      std::string line = trim_copy(raw);
      if (line.empty()) continue;
      auto colon = line.find(':');
      if (colon == std::string::npos || trim_copy(line.substr(0, colon)).empty()) {
        problems.push_back({"stage_" + code,
                            where(label, n) + "write a reference, a colon and the text, like A1: Monthly sessions",
                            Problem::kInvalid});
        continue;
      }
      in.elements.push_back({trim_copy(line.substr(0, colon)), code, trim_copy(line.substr(colon + 1))});
      element_at.push_back({"stage_" + code, n});
    }
  }
  std::vector<int> link_at;
  int n = 0;
  for (const auto& raw : lines_of(f.links)) {
    ++n;
    std::string line = trim_copy(raw);
    if (line.empty()) continue;
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t bar; (bar = line.find('|', start)) != std::string::npos; start = bar + 1)
      parts.push_back(line.substr(start, bar - start));
    parts.push_back(line.substr(start));
    auto arrow = parts[0].find("->");
    if (arrow == std::string::npos || parts.size() > 3) {
      problems.push_back(
          {"links",
           where("Links", n) + "write it as FROM -> TO | assumptions | conditions, like A1 -> P1 | Carers can come",
           Problem::kInvalid});
      continue;
    }
    in.links.push_back({trim_copy(parts[0].substr(0, arrow)), trim_copy(parts[0].substr(arrow + 2)),
                        parts.size() > 1 ? trim_copy(parts[1]) : "", parts.size() > 2 ? trim_copy(parts[2]) : ""});
    link_at.push_back(n);
  }
  if (!problems.empty()) return problems;
  // validate's fields are "elements.N.ref", "links.N.to": put each on its textarea and line.
  for (const auto& e : impact::validate(in)) problems.push_back(e);
  for (auto& e : problems) {
    unsigned idx = 0;
    char part[16] = {0};
    if (std::sscanf(e.field.c_str(), "elements.%u.%15s", &idx, part) >= 1 && idx < element_at.size()) {
      auto [field, line] = element_at[idx];
      e.message = where(impact::stage_label(field.substr(6)), line) + e.message;
      e.field = field;
    } else if (std::sscanf(e.field.c_str(), "links.%u.%15s", &idx, part) >= 1 && idx < link_at.size()) {
      e.message = where("Links", link_at[idx]) + e.message;
      e.field = "links";
    } else if (e.field.rfind("links", 0) == 0) {
      e.field = "links";
    } else {
      e.field = element_at.empty() ? "stage_input" : element_at.front().first;
    }
  }
  return problems;
}

json toc_area(const std::string& name, const std::string& label, const std::string& hint, const std::string& value,
              const std::vector<FieldError>& errors) {
  std::vector<std::string> messages;
  for (const auto& e : errors)
    if (e.field == name) messages.push_back(e.message);
  json a = {
      {"name", name}, {"label", label}, {"value", value}, {"messages", messages}, {"at_fault", !messages.empty()}};
  put_if(a, "hint", hint);
  return a;
}

Response toc_page(Context& ctx, int64_t id, const std::string& name, const impact::TheoryOfChange& saved,
                  const TocForm& f, const std::vector<FieldError>& errors) {
  report::TheoryOfChange t{"toc", "Theory of change: " + name,
                           "A diagram of the theory of change, a column a stage, with arrows for what leads to what. "
                           "The list after it has the same."};
  for (const auto& e : saved.elements) t.boxes.push_back({e.ref, report_stage(e.stage), e.ref + ": " + e.text});
  for (const auto& l : saved.links) t.links.push_back({l.from, l.to});
  report::Table links{
      "toc-links", "Assumptions and conditions of each link", {"From", "To", "Assumptions", "Conditions"}, {}, true,
      {}};
  for (const auto& l : saved.links)
    if (!l.assumptions.empty() || !l.conditions.empty())
      links.rows.push_back({l.from, l.to, l.assumptions, l.conditions});
  json areas = json::array();
  for (const auto& [code, label] : impact::stages()) {
    auto it = f.stages.find(code);
    areas.push_back(toc_area("stage_" + code, label, "", it == f.stages.end() ? "" : it->second, errors));
  }
  json data = {{"name", name},
               {"href", href_of(id)},
               {"has_elements", !saved.elements.empty()},
               {"diagram", report::theory_of_change_json(t)},
               {"links_table", report::table_json(links)},
               {"has_link_notes", !links.rows.empty()}};
  if (can_write(ctx)) {
    data["form"] = {{"stages", areas}, {"links", toc_area("links", "Links", "", f.links, errors)}};
  }
  std::string title = "Theory of change: " + name;
  if (errors.empty()) return ctx.page(200, "programmes/theory_of_change", title, std::move(data));
  return field_errors(ctx, "programmes/theory_of_change", title, std::move(data), errors);
}

Response show_toc(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  auto toc = service(ctx).theory_of_change(org(ctx), *id);
  if (!toc.ok()) return status_error(ctx, toc.status());
  return toc_page(ctx, *id, p->details.name, *toc, toc_form_of(*toc), {});
}

Response save_toc(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  auto toc = service(ctx).theory_of_change(org(ctx), *id);
  if (!toc.ok()) return status_error(ctx, toc.status());
  TocForm f;
  for (const auto& [code, label] : impact::stages()) f.stages[code] = ctx.form.get("stage_" + code);
  f.links = ctx.form.get("links");
  impact::TheoryOfChangeInput in;
  auto errors = read_toc(f, in);
  if (errors.empty()) {
    auto saved = service(ctx).save_theory_of_change(org(ctx), *id, in, actor_of(ctx));
    if (saved.ok()) return Response::redirect(href_of(*id) + "/theory-of-change");
    if (saved.status().code() != StatusCode::kInvalidInput) return status_error(ctx, saved.status());
    errors.push_back({saved.status().where().field.rfind("links", 0) == 0 ? "links" : "stage_input",
                      saved.status().message(), Problem::kInvalid});
  }
  return toc_page(ctx, *id, p->details.name, *toc, f, errors);
}

Response toc_xlsx(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto toc = service(ctx).theory_of_change(org(ctx), *id);
  if (!toc.ok()) return status_error(ctx, toc.status());
  sheets::Sheet elements{"Elements", {{text("Reference"), text("Stage"), text("Text")}}};
  for (const auto& e : toc->elements)
    elements.rows.push_back({text(e.ref), text(impact::stage_label(e.stage)), text(e.text)});
  sheets::Sheet links{"Links", {{text("From"), text("To"), text("Assumptions"), text("Conditions")}}};
  for (const auto& l : toc->links)
    links.rows.push_back({text(l.from), text(l.to), text(l.assumptions), text(l.conditions)});
  auto bytes = sheets::to_xlsx({elements, links});
  if (!bytes.ok()) return status_error(ctx, bytes.status());
  return attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "theory-of-change-" + std::to_string(*id) + ".xlsx", std::move(*bytes));
}

// --- adding costs and valued outcomes ------------------------------------------------------------

// A number as typed ("12", "3.5", "1,200"), or nullopt.
std::optional<double> typed_number(const std::string& typed) {
  std::string t;
  for (char c : trim_copy(typed))
    if (c != ',') t += c;
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}
// An amount in pounds as typed ("£1,200.50"), in pence, or nullopt when it is not one.
std::optional<int64_t> typed_pence(const std::string& typed) {
  std::string t = trim_copy(typed);
  if (t.rfind("£", 0) == 0) t = t.substr(std::string("£").size());
  auto dot = t.find('.');
  if (dot != std::string::npos && t.size() - dot - 1 > 2) return std::nullopt;
  auto v = typed_number(t);
  if (!v || *v > 1e13) return std::nullopt;
  return std::llround(*v * 100);
}

// A button to remove one row of a table: a POST to `action`, its text
// naming `what` for those who cannot see the row it sits in.
struct RemoveButton {
  std::string action;
  std::string what;
};

// Data for partials/programme_removable_table: `table` with, for those who
// may change it, each row's Remove button (one for each row, in order).
json removable_table(const Context& ctx, const report::Table& table, const std::vector<RemoveButton>& buttons) {
  json t = report::table_json(table);
  if (!can_write(ctx)) return t;
  t["t_removable"] = true;
  t["t_columns"] = table.head.size() + 1;
  for (size_t i = 0; i < buttons.size() && i < t["t_rows"].size(); ++i)
    t["t_rows"][i]["r_remove"] = {{"action", buttons[i].action}, {"what", buttons[i].what}};
  return t;
}

// The costs page, for `typed` (the 'Add a cost' form as sent, or null) and
// `errors` with it. The period is the one asked for (?from=&to=); a period
// that is not one is shown as a problem on its field, without the costs.
Response costs_page(Context& ctx, int64_t id, const std::string& name, const Form* typed, const Errors& errors) {
  auto asked = period_asked(ctx);
  auto report = service(ctx).costs(org(ctx), id, asked);
  Errors all;
  if (!report.ok()) {
    auto problem = period_problem(report.status());
    if (!problem) return status_error(ctx, report.status());
    all.add(std::move(*problem));
  }
  for (const auto& e : errors.list) all.add(e);
  json data = {{"name", name}, {"href", href_of(id)}, {"staff_grades_href", kStaffGradesHref}};
  put_notice(ctx, data, "Cost removed");
  if (report.ok()) {
    report::Table entered{
        "costs-entered", "Costs entered", {"Kind", "Date", "Note", "Worked out from", "Amount"}, {}, true, {4}};
    std::vector<RemoveButton> removes;
    for (const auto& c : report->entered) {
      std::string from = c.hours ? number(*c.hours) + " hours of " + c.grade + " at " +
                                       report::format_money(c.hourly_pence.value_or(0)) + " an hour with " +
                                       number(c.on_cost_percent.value_or(0)) + "% on-costs"
                                 : "Entered";
      std::string kind = c.kind;
      for (const auto& [code, label] : impact::cost_kinds())
        if (code == c.kind) kind = label;
      entered.rows.push_back({kind, c.date, c.note, from, report::format_money(c.amount_pence)});
      removes.push_back({href_of(id) + "/costs/" + std::to_string(c.id) + "/remove" + period_query(asked),
                         "the cost: " + kind + ", " + c.date + (c.note.empty() ? "" : ", " + c.note) + ", " +
                             report::format_money(c.amount_pence)});
    }
    report::Table paid{
        "costs-paid", "Payments and expenses, from the payments records", {"Month", "Payments", "Expenses"}, {}, true,
        {1, 2}};
    for (const auto& m : report->paid)
      paid.rows.push_back({m.month, report::format_money(m.payments_pence), report::format_money(m.expenses_pence)});
    const std::string period = report->period.from + " to " + report->period.to;
    data["has_report"] = true;
    data["total"] = report::format_money(report->total_pence);
    data["period_text"] = asked ? "From " + period : "In the programme's period, " + period;
    data["entered"] = removable_table(ctx, entered, removes);
    data["paid"] = report::table_json(paid);
    data["period_form"] = period_form(href_of(id) + "/costs", report->period, {});
  } else {
    data["period_form"] = period_form(href_of(id) + "/costs", asked.value_or(impact::Period{}), all);
  }
  auto get = [&](const char* f) { return typed ? typed->get(f) : std::string(); };
  std::vector<std::pair<std::string, std::string>> kinds;
  for (const auto& k : impact::cost_kinds())
    if (k.first != "payments" && k.first != "expenses") kinds.push_back(k);
  std::vector<std::pair<std::string, std::string>> grades;
  if (auto g = service(ctx).staff_grades(org(ctx)); g.ok())
    for (const auto& grade : *g)
      grades.push_back({grade.name, grade.name + ", " + report::format_money(grade.hourly_pence) + " an hour"});
  if (can_write(ctx)) {
    json form = {
        {"kind", choice_group("kind", "What kind of cost is it?", "", true, kinds, {get("kind")}, errors.of("kind"))},
        {"amount_field", text_field({"amount", "Amount, in pounds", "text",
                                     "For example, 120.50. Not for staff time, which is worked out.", false, "10"},
                                    get("amount"), errors.of("amount"))},
        {"date_field", text_field({"date", "Date", "text", "As year-month-day, for example 2026-03-01", false, "10"},
                                  get("date"), errors.of("date"))},
        {"note_field", text_field({"note", "Note", "text", "Optional. What it was for, for example Hall hire"},
                                  get("note"), errors.of("note"))},
        {"hours_field",
         text_field({"hours", "Staff time: hours", "text", "Only for staff time, for example 7.5", false, "5"},
                    get("hours"), errors.of("hours"))},
    };
    if (!grades.empty())
      form["grade"] = choice_group("grade", "Staff time: grade",
                                   "Only for staff time. The hours are costed at the grade's rate with its on-costs.",
                                   true, grades, {get("grade")}, errors.of("grade"));
    else
      put_if(form, "grade_missing",
             errors.of("grade").empty() ? "No staff grades have been set, so staff time cannot be costed yet."
                                        : errors.of("grade"));
    data["form"] = form;
  }
  std::string title = "Costs: " + name;
  if (all.list.empty()) return ctx.page(200, "programmes/costs", title, std::move(data));
  return field_errors(ctx, "programmes/costs", title, std::move(data), all.list);
}

Response show_costs(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  return costs_page(ctx, *id, p->details.name, nullptr, {});
}

std::string form_field(const std::string& api_field) {
  if (api_field == "amount_pence") return "amount";
  if (api_field == "value_pence") return "value";
  return api_field;
}

Response add_cost(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  const Form& f = ctx.form;
  impact::CostInput in;
  Errors errors;
  in.kind = f.get("kind");
  in.date = trim_copy(f.get("date"));
  in.note = trim_copy(f.get("note"));
  if (in.kind == "staff_time") {
    in.grade = f.get("grade");
    if (!trim_copy(f.get("hours")).empty()) {
      in.hours = typed_number(f.get("hours"));
      if (!in.hours) errors.add({"hours", "Enter the hours as a number, like 7.5", Problem::kInvalid});
    }
  } else if (!trim_copy(f.get("amount")).empty()) {
    in.amount_pence = typed_pence(f.get("amount"));
    if (!in.amount_pence) errors.add({"amount", "Enter the amount in pounds, like 120.50", Problem::kInvalid});
  }
  for (auto e : impact::validate(in)) {
    e.field = form_field(e.field);
    errors.add(std::move(e));
  }
  if (errors.list.empty()) {
    auto made = service(ctx).add_cost(org(ctx), *id, in, actor_of(ctx));
    if (made.ok()) return Response::redirect(href_of(*id) + "/costs");
    if (made.status().code() != StatusCode::kInvalidInput) return status_error(ctx, made.status());
    std::string field = form_field(made.status().where().field);
    errors.add({field == "activity_id" || field.empty() ? "kind" : field, made.status().message(), Problem::kInvalid});
  }
  return costs_page(ctx, *id, p->details.name, &ctx.form, errors);
}

Response outcomes_page(Context& ctx, int64_t id, const std::string& name, const Form* typed, const Errors& errors) {
  auto all = service(ctx).outcomes(org(ctx), id);
  if (!all.ok()) return status_error(ctx, all.status());
  report::Table table{"outcomes",
                      "Valued outcomes",
                      {"Outcome", "Quantity a year", "Value per unit", "Source", "Duration", "Deadweight",
                       "Attribution", "Displacement", "Drop-off"},
                      {},
                      true,
                      {1, 2, 4, 5, 6, 7, 8}};
  std::vector<RemoveButton> removes;
  for (const auto& o : *all) {
    const auto& v = o.valued;
    removes.push_back({href_of(id) + "/outcomes/" + std::to_string(o.id) + "/remove", "the outcome " + v.name});
    table.rows.push_back({v.name,
                          number(v.quantity) + (v.quantity_source.empty() ? "" : " (" + v.quantity_source + ")"),
                          report::format_money(v.value_pence),
                          v.source + (v.price_year ? ", " + std::to_string(*v.price_year) + " prices" : ""),
                          assumption_value(impact::Assumption::kDuration, v.duration_years), number(v.deadweight) + "%",
                          number(v.attribution) + "%", number(v.displacement) + "%", number(v.drop_off) + "%"});
  }
  auto get = [&](const char* f) { return typed ? typed->get(f) : std::string(); };
  std::vector<std::pair<std::string, std::string>> proxies = {{"", "None: I will give the value and its source"}};
  for (const auto& px : impact::built_in_proxies())
    proxies.push_back({px.code, px.name + ": " + report::format_money(px.value_pence) + " per " + px.unit + " (" +
                                    px.source + ", " + std::to_string(px.price_year) + " prices)"});
  json data = {{"name", name}, {"href", href_of(id)}, {"outcomes", removable_table(ctx, table, removes)}};
  put_notice(ctx, data, "Outcome removed");
  auto pct = [&](const char* key, const char* label, const char* hint) {
    return text_field({key, label, "text", hint, false, "4"}, typed ? get(key) : "0", errors.of(key));
  };
  if (can_write(ctx)) {
    data["form"] = {
        {"name_field", text_field({"name", "Outcome", "text", "For example, Carers less often in crisis"}, get("name"),
                                  errors.of("name"))},
        {"quantity_field", text_field({"quantity", "Quantity a year", "text",
                                       "How many units of the outcome a year, for example 12", false, "5"},
                                      get("quantity"), errors.of("quantity"))},
        {"quantity_source_field", text_field({"quantity_source", "Where the quantity comes from", "text",
                                              "For example, the check-in survey, 2025"},
                                             get("quantity_source"), errors.of("quantity_source"))},
        {"proxy", choice_group("proxy", "A published value per unit",
                               "Choosing one sets the value, its source and its price year.", true, proxies,
                               {get("proxy")}, errors.of("proxy"))},
        {"value_field", text_field({"value", "Value per unit, in pounds", "text",
                                    "Leave empty when a published value is chosen above", false, "10"},
                                   get("value"), errors.of("value"))},
        {"source_field", text_field({"source", "Where the value comes from", "text",
                                     "The publication or calculation, as it would be cited"},
                                    get("source"), errors.of("source"))},
        {"duration_field", text_field({"duration_years", "Duration, in whole years", "text",
                                       "How long the outcome lasts, from 0 to 30", false, "3"},
                                      get("duration_years"), errors.of("duration_years"))},
        {"deadweight_field", pct("deadweight", "Deadweight, %", "How much would have happened anyway")},
        {"attribution_field", pct("attribution", "Attribution, %", "How much is down to others")},
        {"displacement_field", pct("displacement", "Displacement, %", "How much only moved elsewhere")},
        {"drop_off_field",
         pct("drop_off", "Drop-off, % a year", "How much the outcome falls each year after the first")},
    };
  }
  std::string title = "Valued outcomes: " + name;
  if (errors.list.empty()) return ctx.page(200, "programmes/outcomes", title, std::move(data));
  return field_errors(ctx, "programmes/outcomes", title, std::move(data), errors.list);
}

Response show_outcomes(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  return outcomes_page(ctx, *id, p->details.name, nullptr, {});
}

Response add_outcome(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  const Form& f = ctx.form;
  impact::OutcomeInput in;
  Errors errors;
  in.name = trim_copy(f.get("name"));
  in.quantity_source = trim_copy(f.get("quantity_source"));
  in.proxy = f.get("proxy");
  in.source = trim_copy(f.get("source"));
  auto number_of = [&](const char* key, const char* message) -> std::optional<double> {
    if (trim_copy(f.get(key)).empty()) return std::nullopt;
    auto v = typed_number(f.get(key));
    if (!v) errors.add({key, message, Problem::kInvalid});
    return v;
  };
  in.quantity = number_of("quantity", "Enter the quantity as a number, like 12");
  if (!trim_copy(f.get("value")).empty()) {
    in.value_pence = typed_pence(f.get("value"));
    if (!in.value_pence)
      errors.add({"value", "Enter the value per unit in pounds, like 100 or 12.50", Problem::kInvalid});
  }
  if (auto d = number_of("duration_years", "Enter the duration as a whole number of years, like 2")) {
    if (*d != std::floor(*d))
      errors.add({"duration_years", "Enter the duration as a whole number of years, like 2", Problem::kInvalid});
    else
      in.duration_years = static_cast<int64_t>(*d);
  }
  for (auto [key, field] : {std::pair{"deadweight", &in.deadweight},
                            {"attribution", &in.attribution},
                            {"displacement", &in.displacement},
                            {"drop_off", &in.drop_off}})
    if (auto v = number_of(key, "Enter a percentage from 0 to 100, like 25")) *field = *v;
  for (auto e : impact::validate(in)) {
    e.field = form_field(e.field);
    if (e.field.rfind("ranges", 0) == 0) e.field = "name";
    errors.add(std::move(e));
  }
  if (errors.list.empty()) {
    auto made = service(ctx).add_outcome(org(ctx), *id, in, actor_of(ctx));
    if (made.ok()) return Response::redirect(href_of(*id) + "/outcomes");
    if (made.status().code() != StatusCode::kInvalidInput) return status_error(ctx, made.status());
    std::string field = form_field(made.status().where().field);
    errors.add({field.empty() ? "name" : field, made.status().message(), Problem::kInvalid});
  }
  std::stable_sort(errors.list.begin(), errors.list.end(), [](const FieldError& a, const FieldError& b) {
    static const std::vector<std::string> order = {"name",        "quantity",     "quantity_source", "proxy",
                                                   "value",       "source",       "duration_years",  "deadweight",
                                                   "attribution", "displacement", "drop_off"};
    auto r = [&](const std::string& field) { return std::find(order.begin(), order.end(), field) - order.begin(); };
    return r(a.field) < r(b.field);
  });
  return outcomes_page(ctx, *id, p->details.name, &ctx.form, errors);
}

// --- indicators and measurements --------------------------------------------------------------------
//
// The indicators page lists each indicator with its status and rule, a form
// to record a measurement of each manual one (its fields named by the
// indicator's id, so each form's ids are unique), and a form to add one.

const char* const kIndicatorOrder[] = {"element",        "name",          "definition",   "source",
                                       "measure",        "unit",          "direction",    "frequency",
                                       "baseline_value", "baseline_date", "target_value", "target_date"};

Response indicators_page(Context& ctx, int64_t id, const std::string& name, const Form* typed, const Errors& errors) {
  auto all = service(ctx).indicators(org(ctx), id, actor_of(ctx));
  if (!all.ok()) return status_error(ctx, all.status());
  auto toc = service(ctx).theory_of_change(org(ctx), id);
  if (!toc.ok()) return status_error(ctx, toc.status());
  auto get = [&](const std::string& f) { return typed ? typed->get(f) : std::string(); };
  json items = json::array();
  for (const auto& i : *all) {
    const auto& d = i.definition;
    json item = {{"name", d.name},
                 {"element", i.element},
                 {"status", i.status.label},
                 {"rule", i.status.rule},
                 {"count", i.measurements.size()}};
    if (can_write(ctx)) item["remove_action"] = href_of(id) + "/indicators/" + std::to_string(i.id) + "/remove";
    if (d.source == "manual" && can_write(ctx)) {
      std::string k = std::to_string(i.id);
      std::string period_hint =
          d.frequency == "quarterly" ? "A quarter, for example 2026-Q1" : "A month, for example 2026-03";
      item["form"] = {
          {"action", href_of(id) + "/indicators/" + k + "/measurements"},
          {"period_field",
           text_field({"", "Period", "text", "", false, "10"}, get("period_" + k), errors.of("period_" + k))},
          {"value_field",
           text_field({"", "Value", "text", "", false, "10"}, get("value_" + k), errors.of("value_" + k))},
          {"evidence_field", text_field({"", "Where the figure comes from", "text", ""}, get("evidence_" + k),
                                        errors.of("evidence_" + k))},
      };
      // The spec takes fixed strings: the names, unique by indicator, are set after.
      item["form"]["period_field"]["name"] = "period_" + k;
      item["form"]["period_field"]["hint"] = period_hint;
      item["form"]["value_field"]["name"] = "value_" + k;
      item["form"]["evidence_field"]["name"] = "evidence_" + k;
    }
    items.push_back(std::move(item));
  }
  json data = {{"name", name}, {"href", href_of(id)}, {"indicators", items}, {"has_indicators", !items.empty()}};
  put_notice(ctx, data, "Indicator removed");
  if (can_write(ctx)) {
    std::vector<std::pair<std::string, std::string>> elements;
    for (const auto& e : toc->elements)
      if (impact::is_measurable_stage(e.stage))
        elements.push_back({e.ref, e.ref + ": " + e.text + " (" + impact::stage_label(e.stage) + ")"});
    if (!elements.empty()) {
      auto first = [&](const char* f) { return errors.of(f); };
      data["add"] = {
          {"element", choice_group("element", "What does it measure?", "An output or outcome of the theory of change.",
                                   true, elements, {get("element")}, first("element"))},
          {"name_field",
           text_field({"name", "Name", "text", "For example, Carers who feel heard"}, get("name"), first("name"))},
          {"definition_field",
           text_field({"definition", "Definition", "text", "Exactly what is counted, and how.", true},
                      get("definition"), first("definition"))},
          {"unit", choice_group("unit", "Unit", "", true, impact::indicator_units(), {get("unit")}, first("unit"))},
          {"direction", choice_group("direction", "Which way is better?", "", true, impact::indicator_directions(),
                                     {get("direction")}, first("direction"))},
          {"frequency", choice_group("frequency", "How often is it measured?", "", true,
                                     impact::indicator_frequencies(), {get("frequency")}, first("frequency"))},
          {"source", choice_group("source", "Where do the figures come from?", "", true, impact::indicator_sources(),
                                  {get("source")}, first("source"))},
          {"measure", choice_group("measure", "Platform measure", "Only when the figures come from the platform.", true,
                                   impact::platform_measures(), {get("measure")}, first("measure"))},
          {"baseline_value_field", text_field({"baseline_value", "Baseline value", "text", "Optional", false, "10"},
                                              get("baseline_value"), first("baseline_value"))},
          {"baseline_date_field", text_field({"baseline_date", "Baseline date", "text",
                                              "As year-month-day, for example 2026-04-01", false, "10"},
                                             get("baseline_date"), first("baseline_date"))},
          {"target_value_field", text_field({"target_value", "Target value", "text", "Optional", false, "10"},
                                            get("target_value"), first("target_value"))},
          {"target_date_field",
           text_field({"target_date", "Target date", "text", "As year-month-day, for example 2027-03-31", false, "10"},
                      get("target_date"), first("target_date"))},
      };
    }
  }
  std::string title = "Indicators: " + name;
  if (errors.list.empty()) return ctx.page(200, "programmes/indicators", title, std::move(data));
  return field_errors(ctx, "programmes/indicators", title, std::move(data), errors.list);
}

Response show_indicators(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  return indicators_page(ctx, *id, p->details.name, nullptr, {});
}

Response add_indicator_page(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  const Form& f = ctx.form;
  impact::IndicatorInput in;
  Errors errors;
  in.element = f.get("element");
  auto& d = in.definition;
  d.name = trim_copy(f.get("name"));
  d.definition = trim_copy(f.get("definition"));
  d.unit = f.get("unit");
  d.direction = f.get("direction");
  d.frequency = f.get("frequency");
  d.source = f.get("source");
  d.measure = f.get("measure");
  if (d.source == "platform" && d.unit.empty()) d.unit = impact::measure_unit(d.measure);
  d.baseline_date = trim_copy(f.get("baseline_date"));
  d.target_date = trim_copy(f.get("target_date"));
  for (const char* key : {"baseline_value", "target_value"}) {
    if (trim_copy(f.get(key)).empty()) continue;
    auto v = typed_number(f.get(key));
    if (!v) errors.add({key, "Enter a number, like 70", Problem::kInvalid});
    (std::string(key) == "baseline_value" ? d.baseline_value : d.target_value) = v;
  }
  if (trim_copy(in.element).empty())
    errors.add({"element", "Choose the output or outcome it measures", Problem::kMissing});
  for (auto& e : impact::validate(d)) errors.add(std::move(e));
  if (errors.list.empty()) {
    auto made = service(ctx).add_indicator(org(ctx), *id, in, actor_of(ctx));
    if (made.ok()) return Response::redirect(href_of(*id) + "/indicators");
    if (made.status().code() != StatusCode::kInvalidInput) return status_error(ctx, made.status());
    std::string field = made.status().where().field;
    errors.add({field.empty() ? "name" : field, made.status().message(), Problem::kInvalid});
  }
  auto rank_of = [](const std::string& field) {
    for (size_t i = 0; i < std::size(kIndicatorOrder); ++i)
      if (field == kIndicatorOrder[i]) return i;
    return std::size(kIndicatorOrder);
  };
  std::stable_sort(errors.list.begin(), errors.list.end(),
                   [&](const FieldError& a, const FieldError& b) { return rank_of(a.field) < rank_of(b.field); });
  return indicators_page(ctx, *id, p->details.name, &ctx.form, errors);
}

Response add_measurement_page(Context& ctx) {
  auto id = id_param(ctx);
  auto iid = id_param(ctx, "indicator");
  if (!id || !iid) return ctx.error(404);
  auto p = service(ctx).get(org(ctx), *id);
  if (!p.ok()) return status_error(ctx, p.status());
  auto indicator = service(ctx).indicator(org(ctx), *id, *iid, actor_of(ctx));
  if (!indicator.ok()) return status_error(ctx, indicator.status());
  std::string k = std::to_string(*iid);
  const Form& f = ctx.form;
  impact::MeasurementInput in;
  Errors errors;
  in.period = trim_copy(f.get("period_" + k));
  in.evidence = trim_copy(f.get("evidence_" + k));
  if (!trim_copy(f.get("value_" + k)).empty()) {
    in.value = typed_number(f.get("value_" + k));
    if (!in.value) errors.add({"value_" + k, "Enter the value as a number, like 56", Problem::kInvalid});
  }
  std::string today = format_timestamp(ctx.services.clock.now()).substr(0, 10);
  for (auto e : impact::validate(in, indicator->definition, today)) {
    e.field += "_" + k;
    errors.add(std::move(e));
  }
  if (errors.list.empty()) {
    auto saved = service(ctx).add_measurement(org(ctx), *id, *iid, in, actor_of(ctx));
    if (saved.ok()) return Response::redirect(href_of(*id) + "/indicators");
    if (saved.status().code() != StatusCode::kInvalidInput && saved.status().code() != StatusCode::kConflict)
      return status_error(ctx, saved.status());
    std::string field = saved.status().where().field;
    errors.add({(field.empty() ? "period" : field) + "_" + k, saved.status().message(), Problem::kInvalid});
  }
  return indicators_page(ctx, *id, p->details.name, &ctx.form, errors);
}

// --- removing a cost, a valued outcome or an indicator -----------------------------------------
//
// Each is a POST from the Remove button beside it, back to its page with a
// notice. The service writes the removal to the audit log.

Response after_removal(Context& ctx, const Status& s, const std::string& back) {
  if (!s.ok()) return status_error(ctx, s);
  // The page's own query (the costs' period) comes first, then the notice.
  return Response::redirect(back + (back.find('?') == std::string::npos ? "?" : "&") + "done=1");
}

Response remove_cost_page(Context& ctx) {
  auto id = id_param(ctx);
  auto cost = id_param(ctx, "cost");
  if (!id || !cost) return ctx.error(404);
  return after_removal(ctx, service(ctx).remove_cost(org(ctx), *id, *cost, actor_of(ctx)),
                       href_of(*id) + "/costs" + period_query(period_asked(ctx)));
}

Response remove_outcome_page(Context& ctx) {
  auto id = id_param(ctx);
  auto outcome = id_param(ctx, "outcome");
  if (!id || !outcome) return ctx.error(404);
  return after_removal(ctx, service(ctx).remove_outcome(org(ctx), *id, *outcome, actor_of(ctx)),
                       href_of(*id) + "/outcomes");
}

Response remove_indicator_page(Context& ctx) {
  auto id = id_param(ctx);
  auto indicator = id_param(ctx, "indicator");
  if (!id || !indicator) return ctx.error(404);
  return after_removal(ctx, service(ctx).remove_indicator(org(ctx), *id, *indicator, actor_of(ctx)),
                       href_of(*id) + "/indicators");
}

// --- staff grades ------------------------------------------------------------------------------
//
// The organisation's staff grades, edited as a list: a row a grade (name,
// hourly rate in pounds, on-costs %) and a few blank rows to add more. A row
// whose name is left blank is not kept, which is how a grade is removed. The
// rows are numbered from 1 on the page, and problems name the row.

constexpr size_t kBlankGradeRows = 3;

struct GradeRow {
  std::string name, rate, on_costs;
};

std::string grade_field(size_t row, const char* part) { return "grade_" + std::to_string(row) + "_" + part; }

std::string pounds_text(int64_t pence) {
  std::string p = std::to_string(pence % 100);
  return std::to_string(pence / 100) + "." + (p.size() < 2 ? "0" + p : p);
}

Response grades_page(Context& ctx, const std::vector<GradeRow>& rows, const Errors& errors) {
  json data = json::object();
  put_notice(ctx, data, "Staff grades saved");
  if (can_write(ctx)) {
    json list = json::array();
    for (size_t i = 0; i < rows.size(); ++i) {
      const size_t row = i + 1;
      auto field = [&](const char* part, const char* label, const char* width, const std::string& value) {
        json f = text_field({"", label, "text", "", false, width}, value, errors.of(grade_field(row, part)));
        f["name"] = grade_field(row, part);  // the spec takes fixed strings
        return f;
      };
      list.push_back({{"legend", "Grade " + std::to_string(row)},
                      {"name_field", field("name", "Name", "20", rows[i].name)},
                      {"rate_field", field("rate", "Hourly rate, in pounds", "5", rows[i].rate)},
                      {"on_costs_field", field("on_costs", "On-costs, %", "3", rows[i].on_costs)}});
    }
    data["form"] = {{"rows", list}, {"action", kStaffGradesHref}};
  } else {
    report::Table table{"staff-grades", "Staff grades", {"Grade", "Hourly rate", "On-costs"}, {}, true, {1, 2}};
    for (const auto& r : rows) table.rows.push_back({r.name, "£" + r.rate, r.on_costs + "%"});
    data["table"] = report::table_json(table);
  }
  if (errors.list.empty()) return ctx.page(200, "programmes/staff_grades", "Staff grades", std::move(data));
  return field_errors(ctx, "programmes/staff_grades", "Staff grades", std::move(data), errors.list);
}

Response show_staff_grades(Context& ctx) {
  auto grades = service(ctx).staff_grades(org(ctx));
  if (!grades.ok()) return status_error(ctx, grades.status());
  std::vector<GradeRow> rows;
  for (const auto& g : *grades) rows.push_back({g.name, pounds_text(g.hourly_pence), number(g.on_cost_percent)});
  if (can_write(ctx)) {
    size_t room = impact::kMaxStaffGrades > rows.size() ? impact::kMaxStaffGrades - rows.size() : 0;
    rows.resize(rows.size() + std::min(kBlankGradeRows, room));
  }
  return grades_page(ctx, rows, {});
}

Response save_staff_grades_page(Context& ctx) {
  const Form& f = ctx.form;
  std::vector<GradeRow> rows;
  for (size_t row = 1; row <= impact::kMaxStaffGrades + kBlankGradeRows && f.has(grade_field(row, "name")); ++row)
    rows.push_back(
        {f.get(grade_field(row, "name")), f.get(grade_field(row, "rate")), f.get(grade_field(row, "on_costs"))});
  std::vector<impact::StaffGrade> grades;
  std::vector<size_t> row_of;  // each grade's row on the page, from 1
  Errors errors;
  for (size_t i = 0; i < rows.size(); ++i) {
    const size_t row = i + 1;
    const std::string which = "grade " + std::to_string(row);
    impact::StaffGrade g;
    g.name = trim_copy(rows[i].name);
    if (g.name.empty()) continue;
    if (auto pence = typed_pence(rows[i].rate))
      g.hourly_pence = *pence;
    else
      errors.add({grade_field(row, "rate"), "Enter the hourly rate of " + which + " in pounds, like 14.50",
                  trim_copy(rows[i].rate).empty() ? Problem::kMissing : Problem::kInvalid});
    std::string on_costs = trim_copy(rows[i].on_costs);
    if (!on_costs.empty() && on_costs.back() == '%') on_costs.pop_back();  // "25%" as people write it
    if (auto pct = typed_number(on_costs))
      g.on_cost_percent = *pct;
    else
      errors.add({grade_field(row, "on_costs"),
                  "Enter the on-costs of " + which + " as a percentage, like 25, or 0 for none",
                  on_costs.empty() ? Problem::kMissing : Problem::kInvalid});
    grades.push_back(std::move(g));
    row_of.push_back(row);
  }
  // The rules name "grades.N.name" and so on, N counting kept grades from 0,
  // and say "Grade N+1": both are turned into the row on the page.
  auto on_page = [&](FieldError e) {
    const std::string prefix = "grades.";
    if (e.field.rfind(prefix, 0) != 0) return FieldError{grade_field(1, "name"), e.message, e.kind};
    size_t dot = e.field.find('.', prefix.size());
    size_t i = std::stoul(e.field.substr(prefix.size(), dot - prefix.size()));
    std::string part = dot == std::string::npos ? "name" : e.field.substr(dot + 1);
    size_t row = i < row_of.size() ? row_of[i] : 1;
    const std::string said = "Grade " + std::to_string(i + 1);
    if (e.message.rfind(said, 0) == 0) e.message = "Grade " + std::to_string(row) + e.message.substr(said.size());
    e.field = grade_field(row, part == "hourly_pence" ? "rate" : part == "on_cost_percent" ? "on_costs" : "name");
    return e;
  };
  for (auto& e : impact::validate(grades)) errors.add(on_page(std::move(e)));
  if (errors.list.empty()) {
    auto saved = service(ctx).save_staff_grades(org(ctx), grades, actor_of(ctx));
    if (saved.ok()) return Response::redirect(std::string(kStaffGradesHref) + "?done=1");
    if (saved.status().code() != StatusCode::kInvalidInput) return status_error(ctx, saved.status());
    errors.add(on_page({saved.status().where().field, saved.status().message(), Problem::kInvalid}));
  }
  // In page order: by row, then name, rate and on-costs.
  auto order = [](const FieldError& e) {
    size_t row = std::stoul(e.field.substr(std::string("grade_").size()));
    size_t part = e.field.find("_rate") != std::string::npos       ? 1
                  : e.field.find("_on_costs") != std::string::npos ? 2
                                                                   : 0;
    return row * 3 + part;
  };
  std::stable_sort(errors.list.begin(), errors.list.end(),
                   [&](const FieldError& a, const FieldError& b) { return order(a) < order(b); });
  return grades_page(ctx, rows, errors);
}

}  // namespace

void add_programme_page_routes(Router& router) {
  router.add({"GET", "/programmes", kRead, Channel::kPage, list_programmes});
  router.add({"POST", "/programmes", kWrite, Channel::kPage, create_programme});
  // Before /programmes/{id}, which would otherwise take it: the first route that matches answers.
  router.add({"GET", kStaffGradesHref, kRead, Channel::kPage, show_staff_grades});
  router.add({"POST", kStaffGradesHref, kWrite, Channel::kPage, save_staff_grades_page});
  router.add({"GET", "/programmes/{id}", kRead, Channel::kPage, show_programme});
  router.add({"GET", "/programmes/{id}/edit", kWrite, Channel::kPage, edit_programme});
  router.add({"POST", "/programmes/{id}/edit", kWrite, Channel::kPage, update_programme});
  router.add({"GET", "/programmes/{id}/business-case", kRead, Channel::kPage, business_case_page});
  router.add({"GET", "/programmes/{id}/theory-of-change", kRead, Channel::kPage, show_toc});
  router.add({"POST", "/programmes/{id}/theory-of-change", kWrite, Channel::kPage, save_toc});
  router.add({"GET", "/programmes/{id}/theory-of-change.xlsx", kRead, Channel::kPage, toc_xlsx});
  router.add({"GET", "/programmes/{id}/costs", kRead, Channel::kPage, show_costs});
  router.add({"POST", "/programmes/{id}/costs", kWrite, Channel::kPage, add_cost});
  router.add({"POST", "/programmes/{id}/costs/{cost}/remove", kWrite, Channel::kPage, remove_cost_page});
  router.add({"GET", "/programmes/{id}/outcomes", kRead, Channel::kPage, show_outcomes});
  router.add({"POST", "/programmes/{id}/outcomes", kWrite, Channel::kPage, add_outcome});
  router.add({"POST", "/programmes/{id}/outcomes/{outcome}/remove", kWrite, Channel::kPage, remove_outcome_page});
  router.add({"GET", "/programmes/{id}/indicators", kRead, Channel::kPage, show_indicators});
  router.add({"POST", "/programmes/{id}/indicators", kWrite, Channel::kPage, add_indicator_page});
  router.add({"POST", "/programmes/{id}/indicators/{indicator}/remove", kWrite, Channel::kPage, remove_indicator_page});
  router.add(
      {"POST", "/programmes/{id}/indicators/{indicator}/measurements", kWrite, Channel::kPage, add_measurement_page});
  router.add({"GET", "/programmes/{id}/business-case.xlsx", kRead, Channel::kPage, business_case_xlsx});
}

}  // namespace coproduce::web
