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
#include "impact/benchmark.h"
#include "impact/measures.h"
#include "impact/programme_export.h"
#include "impact/programmes.h"
#include "involvement/groups.h"
#include "report/charts.h"
#include "report/format.h"
#include "report/line_chart.h"
#include "report/theory_of_change.h"
#include "report/tornado_chart.h"
#include "survey/questionnaire.h"
#include "web/application.h"
#include "web/programme_routes.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;

const Access kWrite = programme_routes::writers();
const Access kRead = programme_routes::readers();

using programme_routes::org;
using programme_routes::period_asked;
using programme_routes::service;

// The programme the route's {id} names, or why there is none to show (a
// status status_error turns into the page to answer with).
StatusOr<impact::Programme> programme_of(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return NotFound("There is no such programme");
  return service(ctx).get(org(ctx), *id);
}
bool can_write(const Context& ctx) { return ctx.user && kWrite.allows(ctx.user->role); }
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
// the one left out (programme_routes::period_asked reads them);
// impact::Programmes checks the dates.

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
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
  return edit_page(ctx, *id, p->details.name, form_of(p->details), {});
}

Response update_programme(Context& ctx) {
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
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
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
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

// --- what an indicator counts, and its measurements as a table ------------------------------------
//
// Used by the indicators page and the business case alike. Small numbers
// are withheld (impact::withheld): a suppressed measurement, or a share or
// an average of fewer than kMinPeopleForBreakdown, shows the note saying
// why in place of its value, and neither its base nor its interval.

// One of the organisation's surveys with the questions a survey indicator
// may count: those with answers to choose from (single, multiple, rating and
// yes/no questions; not Likert grids or free answers), as the service
// checks them.
struct SurveyQuestions {
  int64_t id = 0;
  std::string title;
  std::vector<survey::Question> questions;
};

// The organisation's surveys, by title.
std::vector<SurveyQuestions> organisation_surveys(Context& ctx) {
  std::vector<SurveyQuestions> out;
  auto all = collection::Surveys(ctx.services.db, ctx.services.clock).list(org(ctx));
  if (!all.ok()) return out;
  for (const auto& s : *all) {
    SurveyQuestions sq{s.id, s.title, {}};
    if (auto q = collection::questionnaire_of(s); q.ok())
      for (const auto& question : q->questions)
        if (question.has_options() && question.items.empty()) sq.questions.push_back(question);
    out.push_back(std::move(sq));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const SurveyQuestions& a, const SurveyQuestions& b) { return a.title < b.title; });
  return out;
}

const SurveyQuestions* find_survey(const std::vector<SurveyQuestions>& all, std::optional<int64_t> id) {
  for (const auto& s : all)
    if (id && s.id == *id) return &s;
  return nullptr;
}

const survey::Question* find_question(const SurveyQuestions* s, const std::string& code) {
  if (s)
    for (const auto& q : s->questions)
      if (q.code == code) return &q;
  return nullptr;
}

std::string label_in(const impact::CodeList& list, const std::string& code) {
  for (const auto& [c, label] : list)
    if (c == code) return label;
  return code;
}

// "A, B or C".
std::string either(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) out += (i == 0 ? "" : (i + 1 == words.size() ? " or " : ", ")) + words[i];
  return out;
}

// Where an indicator's figures come from, in words.
std::string worked_out_from(const impact::IndicatorDefinition& d, const std::vector<SurveyQuestions>& surveys) {
  if (d.source == "platform") {
    std::string what = label_in(impact::platform_measures(), d.measure);
    if (d.measure == "benchmark_gap") {
      if (const auto* c = impact::find_category(d.category))
        if (const auto* v = impact::find_value(*c, d.category_value))
          what = "The gap against the benchmark for " + v->label + " (" + c->label + ")";
    }
    return what + ", from the platform's records";
  }
  if (d.source == "survey") {
    const SurveyQuestions* s = find_survey(surveys, d.survey_id);
    const survey::Question* q = find_question(s, d.question);
    std::vector<std::string> answers;
    for (const auto& code : d.options) {
      std::string label = code;
      if (q)
        for (const auto& o : q->options)
          if (o.code == code) label = o.label;
      answers.push_back("'" + label + "'");
    }
    return "The share of answers to '" + (q ? q->text : d.question) + "'" +
           (s ? " in the survey " + s->title : std::string()) + " that were " + either(answers);
  }
  return label_in(impact::indicator_sources(), d.source);
}

// "of 12 answers": what a measurement's share or average is of.
std::string base_text(const impact::IndicatorDefinition& d, int64_t base) {
  std::pair<const char*, const char*> noun{"place", "places"};
  if (d.source == "survey")
    noun = {"answer", "answers"};
  else if (d.measure == "lead_rung")
    noun = {"activity rated", "activities rated"};
  else if (d.measure == "member_rung")
    noun = {"rating", "ratings"};
  else if (d.measure == "actions_on_time")
    noun = {"action due", "actions due"};
  else if (d.measure == "learning_coverage")
    noun = {"worker", "workers"};
  return "of " + report::group_thousands(base) + " " + (base == 1 ? noun.first : noun.second);
}

// "39.1% to 86.2%": a survey share's 95% interval.
std::string interval_text(const impact::Measurement& m) {
  if (!m.lower || !m.upper) return "";
  return report::format_percent(*m.lower / 100) + " to " + report::format_percent(*m.upper / 100);
}

std::string withheld_note(const impact::Measurement& m) {
  return m.note.empty() ? std::string(impact::kTooFewToShow) : m.note;
}

// The measurements of `ind` as a table: period, value, what it is of (when
// any measurement has a base), the 95% interval (for a survey indicator),
// and where it comes from or why there is none.
report::Table measurements_table(const impact::Indicator& ind, const std::string& id) {
  const auto& d = ind.definition;
  bool with_base = false;
  for (const auto& m : ind.measurements) with_base = with_base || m.base.has_value();
  const bool with_interval = d.source == "survey";
  report::Table table{id, d.name + ": measurements", {"Period", "Value"}, {}, true, {1}};
  if (with_base) table.head.push_back("Of");
  if (with_interval) table.head.push_back("95% interval");
  table.head.push_back("Source or note");
  for (const auto& m : ind.measurements) {
    std::vector<std::string> row{m.period.label};
    const bool hidden = impact::withheld(m);
    row.push_back(hidden ? "Not shown" : m.value ? impact::show_value(d.unit, *m.value) : "No figure");
    if (with_base) row.push_back(!hidden && m.base && *m.base > 0 ? base_text(d, *m.base) : "");
    if (with_interval) row.push_back(hidden ? "" : interval_text(m));
    if (hidden)
      row.push_back(withheld_note(m));
    else if (!m.value)
      row.push_back(m.note);
    else if (!m.evidence.empty())
      row.push_back(m.evidence);
    else
      row.push_back(d.source == "survey" ? "Worked out from the survey's answers"
                                         : "Worked out from the platform's records");
    table.rows.push_back(std::move(row));
  }
  return table;
}

json indicators_data(const std::vector<impact::Indicator>& indicators, const std::vector<SurveyQuestions>& surveys) {
  json out = json::array();
  size_t n = 0;
  for (const auto& ind : indicators) {
    ++n;
    const auto& d = ind.definition;
    std::string cid = "indicator-" + std::to_string(n);
    json item = {{"name", d.name},
                 {"element", ind.element},
                 {"status", ind.status.label},
                 {"rule", ind.status.rule},
                 {"from", worked_out_from(d, surveys)}};
    put_if(item, "explanation", ind.status.explanation);
    put_if(item, "definition", d.definition);
    const impact::Measurement* latest = nullptr;
    for (const auto& m : ind.measurements)
      if (m.value) latest = &m;
    if (!latest) {
      item["latest"] = "No measurement yet";
    } else if (impact::withheld(*latest)) {
      // A share or an average of very few is not shown, nor the judgement that would give it away.
      item["latest"] = std::string(impact::kTooFewToShow) + " (" + latest->period.label + ")";
      item["status"] = "Not shown";
      item.erase("explanation");
    } else {
      std::string about = latest->period.label;
      if (latest->base && *latest->base > 0) about += ", " + base_text(d, *latest->base);
      if (latest->lower && latest->upper) about += "; 95% interval " + interval_text(*latest);
      item["latest"] = impact::show_value(d.unit, *latest->value) + " (" + about + ")";
    }
    item["target"] = d.target_value ? impact::show_value(d.unit, *d.target_value) + " by " + d.target_date
                                    : std::string("No target set");
    report::LineChart chart;
    chart.id = cid;
    chart.title = d.name;
    chart.description = "A line chart of " + d.name + " by period" + (d.target_value ? ", with its target" : "") +
                        ". Periods with too few to show, or nothing to measure, have no point." +
                        " The table after it has the figures.";
    chart.unit = unit_of(d.unit);
    report::LineSeries s{d.name, {}};
    bool any = false;
    for (const auto& m : ind.measurements) {
      // A withheld value is left out of the line, as it is out of the table.
      std::optional<double> v;
      if (m.value && !impact::withheld(m)) v = chart_value(d.unit, *m.value);
      any = any || v.has_value();
      s.points.push_back({m.period.label, v});
    }
    chart.series.push_back(std::move(s));
    if (d.target_value && !d.target_date.empty())
      chart.target = report::ChartTarget{chart_value(d.unit, *d.target_value), d.target_date, "Target"};
    if (d.baseline_value && !d.baseline_date.empty())
      chart.baseline = report::ChartTarget{chart_value(d.unit, *d.baseline_value), d.baseline_date, "Baseline"};
    if (any) item["chart"] = report::line_chart_json(chart);
    item["table"] = report::table_json(measurements_table(ind, cid + "-table"));
    out.push_back(std::move(item));
  }
  return out;
}

// --- reach: who took part, the rungs reached and who is missing ---------------------------------

std::string counted(int64_t n, const char* one, const char* many) {
  return report::group_thousands(n) + " " + (n == 1 ? one : many);
}

// A gap as signed percentage points, "+1.5 points" or "-34.6 points"; never "-0.0".
std::string points_text(double gap) {
  double rounded = std::round(gap * 1000.0) / 10.0;
  if (rounded == 0) return "0.0 points";
  return (rounded > 0 ? "+" : "") + fixed(rounded, 1) + " points";
}

// "5.0 (Engagement)": a mean rung with the rung it is nearest.
std::string mean_rung(double mean) {
  const auto& rungs = involvement::ladder_rungs();
  auto i = static_cast<size_t>(std::clamp(std::llround(mean), 1LL, static_cast<long long>(rungs.size())));
  return fixed(mean, 1) + " (nearest rung: " + rungs[i - 1].second + ")";
}

json reach_figures(const impact::ProgrammeReach& r) {
  json rows = json::array();
  auto add = [&](const std::string& key, const std::string& value, const std::string& explain) {
    rows.push_back({{"key", key}, {"value", value}, {"explain", explain}});
  };
  add("Activities held", report::group_thousands(r.activities),
      "The programme's activities in the period that went ahead: cancelled ones are not counted.");
  add("Places", report::group_thousands(r.places), "A place is one person taking part in one of those activities.");
  add("People", report::group_thousands(r.people), "The number of different people who held at least one place.");
  add("Places that went to newcomers", r.newcomer_share ? report::format_percent(*r.newcomer_share) : "No places",
      report::group_thousands(r.newcomer_places) + " of " + counted(r.places, "place", "places") +
          " went to people taking part for the first time: they had no place at any earlier activity of the "
          "organisation.");
  add("Places held by the most involved tenth",
      r.top_tenth_share ? report::format_percent(*r.top_tenth_share) : "No places",
      "The share of places held by the tenth of people with the most places (rounded up to a whole person): about "
      "10% if everyone took part equally, and more the more a few people hold.");
  add("Gini coefficient of places", r.gini ? fixed(*r.gini, 2) : "No places",
      "How unequally places are shared out among the people who took part: 0 means everyone had the same number, "
      "and the nearer to 1, the more the places went to a few.");
  return rows;
}

// The rungs chart (lead's and members' ratings side by side, each as a
// share of its own ratings), its table and the means.
json reach_rungs(const impact::ProgrammeReach& r) {
  auto share = [](int64_t n, int64_t of) { return of > 0 ? static_cast<double>(n) / static_cast<double>(of) : 0.0; };
  auto said = [&](int64_t n, int64_t of) {
    return of > 0 ? report::group_thousands(n) + " (" + report::format_percent(share(n, of)) + ")"
                  : std::string("None");
  };
  report::BenchmarkBarChart chart{"chart-rungs", "Rungs reached: the lead's ratings and members' own ratings", "", {}};
  chart.series_name = "Lead's ratings";
  chart.benchmark_name = "Members' ratings";
  chart.missing_text = "no ratings";
  chart.description = "For each rung of the ladder, from coercion to co-production, the share of the " +
                      counted(r.lead_rated, "activity", "activities") +
                      " their lead rated at it, and beneath, the share of " +
                      counted(r.member_ratings, "rating", "ratings") + " members gave at it.";
  report::Table table{"rungs",
                      "Rungs reached: activities their lead rated at each rung, and members' own ratings",
                      {"Rung", "Lead's ratings", "Members' ratings"},
                      {},
                      true,
                      {1, 2}};
  for (const auto& g : r.rungs) {
    chart.bars.push_back({g.label, share(g.lead, r.lead_rated),
                          r.lead_rated > 0 ? said(g.lead, r.lead_rated) : "no ratings",
                          r.member_ratings > 0 ? std::optional(share(g.members, r.member_ratings)) : std::nullopt,
                          r.member_ratings > 0 ? said(g.members, r.member_ratings) : ""});
    if (g.lead > 0 || g.members > 0)
      chart.description += " " + g.label + ": the lead " + said(g.lead, r.lead_rated) + ", members " +
                           said(g.members, r.member_ratings) + ".";
    table.rows.push_back(
        {std::to_string(g.rank) + ". " + g.label, said(g.lead, r.lead_rated), said(g.members, r.member_ratings)});
  }
  table.rows.push_back({"All rated", report::group_thousands(r.lead_rated), report::group_thousands(r.member_ratings)});
  chart.description += " The table after it has the figures.";
  json out = {{"table", report::table_json(table)},
              {"lead_mean", r.lead_mean ? mean_rung(*r.lead_mean) : "No activity in the period was rated by its lead"},
              {"member_mean", r.member_mean ? mean_rung(*r.member_mean) : "Members gave no ratings in the period"}};
  if (r.lead_rated > 0 || r.member_ratings > 0) out["chart"] = report::benchmark_bar_chart_json(chart);
  return out;
}

// Who took part against the benchmark: a table a category, the most
// under-represented first; a category (or everything) with too few people
// says so, with no counts.
json reach_who(const impact::ProgrammeReach& r) {
  const auto& who = r.who;
  json out = {{"suppressed", who.suppressed},
              {"too_few", impact::kTooFewToShow},
              {"threshold", impact::kMinPeopleForBreakdown},
              {"benchmark_local", r.benchmark_local}};
  if (who.suppressed) return out;
  json categories = json::array();
  json gaps = json::array();
  for (const auto& c : who.categories) {
    json cat = {{"label", c.label}, {"suppressed", c.suppressed}};
    if (!c.suppressed) {
      report::Table table{"who-" + c.category,
                          "Places by " + c.label + ", against the benchmark",
                          {"Group of people", "Places", "Share of places", "Benchmark", "Difference"},
                          {},
                          true,
                          {1, 2, 3, 4}};
      for (const auto& v : c.values)
        table.rows.push_back({v.label, report::group_thousands(v.places), report::format_percent(v.share),
                              v.benchmark_share ? report::format_percent(*v.benchmark_share) : "None",
                              v.gap ? points_text(*v.gap) : "None"});
      cat["table"] = report::table_json(table);
      if (c.not_known_places > 0)
        cat["not_known"] = counted(c.not_known_places, "place is", "places are") +
                           " not counted here: the person did not answer this question or preferred not to say.";
      // The values come most under-represented first.
      if (!c.values.empty() && c.values.front().ratio && *c.values.front().ratio < 1.0)
        gaps.push_back(impact::describe_gap(c.values.front(), c.known_places));
    }
    categories.push_back(std::move(cat));
  }
  out["categories"] = std::move(categories);
  out["has_gaps"] = !gaps.empty();
  out["gaps"] = std::move(gaps);
  return out;
}

json reach_data(const impact::ProgrammeReach& r) {
  return {{"period", r.period.from + " to " + r.period.to},
          {"figures", reach_figures(r)},
          {"rungs", reach_rungs(r)},
          {"who", reach_who(r)}};
}

Response business_case_page(Context& ctx) {
  auto svc = service(ctx);
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
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
  auto reach = svc.reach(org(ctx), *id, asked, actor_of(ctx));
  if (!reach.ok()) return status_error(ctx, reach.status());
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
               {"indicators", indicators_data(*indicators, organisation_surveys(ctx))},
               {"has_indicators", !indicators->empty()},
               {"reach", reach_data(*reach)}};
  put_if(data, "purpose", p->details.purpose);
  return ctx.page(200, "programmes/business_case", title, std::move(data));
}

// --- the business case as XLSX: all the workings ----------------------------------------------

Response business_case_xlsx(Context& ctx) {
  auto svc = service(ctx);
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
  auto asked = period_asked(ctx);
  auto bcase = svc.business_case(org(ctx), *id, asked);
  if (!bcase.ok()) return status_error(ctx, bcase.status());
  auto indicators = svc.indicators(org(ctx), *id, actor_of(ctx));
  if (!indicators.ok()) return status_error(ctx, indicators.status());
  auto reach = svc.reach(org(ctx), *id, asked, actor_of(ctx));
  if (!reach.ok()) return status_error(ctx, reach.status());
  auto bytes = impact::business_case_xlsx(*p, *bcase, *indicators, *reach);
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
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
  auto toc = service(ctx).theory_of_change(org(ctx), *id);
  if (!toc.ok()) return status_error(ctx, toc.status());
  return toc_page(ctx, *id, p->details.name, *toc, toc_form_of(*toc), {});
}

Response save_toc(Context& ctx) {
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
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
  auto bytes = impact::theory_of_change_xlsx(*toc);
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
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
  return costs_page(ctx, *id, p->details.name, nullptr, {});
}

std::string form_field(const std::string& api_field) {
  if (api_field == "amount_pence") return "amount";
  if (api_field == "value_pence") return "value";
  return api_field;
}

Response add_cost(Context& ctx) {
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
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
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
  return outcomes_page(ctx, *id, p->details.name, nullptr, {});
}

Response add_outcome(Context& ctx) {
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
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
// The indicators page lists each indicator with what it counts, its status,
// rule and measurements, a form to record a measurement of each manual one
// (its fields named by the indicator's id, so each form's ids are unique),
// and a form to add one.
//
// A survey indicator is chosen in two steps. A GET form above the add form
// (?survey_id=N#add, so nothing typed below is lost) chooses the survey;
// the add form then carries it as a hidden field and lists the survey's
// questions with answers to choose from as radios (question), each with its
// answers as checkboxes named options_QUESTION (only the chosen question's
// count). A benchmark gap names its category and group of people in two
// selects, the groups listed under their categories.

const char* const kIndicatorOrder[] = {
    "survey_id", "element",        "name",          "definition",   "source",     "measure",
    "category",  "category_value", "question",      "options",      "unit",       "direction",
    "frequency", "baseline_value", "baseline_date", "target_value", "target_date"};

size_t indicator_rank(const std::string& field) {
  const std::string f = field.rfind("options_", 0) == 0 ? "options" : field;
  for (size_t i = 0; i < std::size(kIndicatorOrder); ++i)
    if (f == kIndicatorOrder[i]) return i;
  return std::size(kIndicatorOrder);
}

// A positive whole number as typed, or nullopt.
std::optional<int64_t> typed_id(const std::string& typed) {
  std::string t = trim_copy(typed);
  if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  int64_t v = std::stoll(t);
  return v > 0 ? std::optional(v) : std::nullopt;
}

// Whether the address's query names `key`, even with no value ("?survey_id=").
bool query_has(const Context& ctx, const char* key) {
  auto q = parse_urlencoded(ctx.request.query_string, FormLimits{});
  return q.ok() && q->has(key);
}

// Data for partials/programme_select: a select with a first empty choice,
// its options plain (`options`) or under headings (`groups`).
struct SelectGroup {
  std::string label;
  std::vector<std::pair<std::string, std::string>> options;
};
json select_field(const std::string& name, const std::string& label, const std::string& hint, const std::string& none,
                  const std::vector<SelectGroup>& groups, const std::string& chosen, const std::string& error) {
  auto options_of = [&](const SelectGroup& g) {
    json list = json::array();
    for (const auto& [value, text] : g.options)
      list.push_back({{"value", value}, {"label", text}, {"selected", !chosen.empty() && value == chosen}});
    return list;
  };
  json s = {{"s_name", name},
            {"s_label", label},
            {"s_none", none},
            {"s_options", json::array()},
            {"s_groups", json::array()}};
  for (const auto& g : groups) {
    if (g.label.empty())
      for (auto& o : options_of(g)) s["s_options"].push_back(o);
    else
      s["s_groups"].push_back({{"g_label", g.label}, {"g_options", options_of(g)}});
  }
  put_if(s, "s_hint", hint);
  put_if(s, "s_error", error);
  return s;
}

// Where a problem with a survey indicator goes on the page: the survey
// select when no survey's questions are listed, the question's radios, or
// the chosen question's answers.
std::string survey_field(const std::string& field, const SurveyQuestions* chosen, const std::string& question) {
  if (field != "question" && field.rfind("options", 0) != 0) return field;
  if (!chosen) return "survey_id";
  if (field != "question" && find_question(chosen, question)) return "options_" + question;
  return "question";
}

// The add form's survey part: the chooser (a GET form) and, with a survey
// chosen, its questions and their answers.
json survey_form(const std::vector<SurveyQuestions>& surveys, const SurveyQuestions* chosen,
                 const std::string& chosen_text, const Form* typed, const Errors& errors, const std::string& action) {
  json out = json::object();
  if (surveys.empty()) {
    out["none"] = errors.of("survey_id").empty() ? "Your organisation has no surveys yet, so none can be counted."
                                                 : errors.of("survey_id");
    out["none_error"] = !errors.of("survey_id").empty();
    return out;
  }
  SelectGroup all;
  for (const auto& s : surveys) all.options.push_back({std::to_string(s.id), s.title});
  out["chooser"] = {
      {"action", action},
      {"select", select_field("survey_id", "Survey", "Your organisation's surveys, by title.", "Choose a survey", {all},
                              chosen ? std::to_string(chosen->id) : chosen_text, errors.of("survey_id"))}};
  if (!chosen) return out;
  json c = {{"id", chosen->id}, {"title", chosen->title}};
  if (chosen->questions.empty()) {
    c["no_questions"] = true;
  } else {
    const std::string question = typed ? typed->get("question") : std::string();
    std::vector<std::pair<std::string, std::string>> questions;
    json answers = json::array();
    for (const auto& q : chosen->questions) {
      questions.push_back({q.code, q.text + " (" + q.code + ")"});
      std::vector<std::pair<std::string, std::string>> options;
      for (const auto& o : q.options) options.push_back({o.code, o.label});
      const std::string name = "options_" + q.code;
      answers.push_back(choice_group(name, "Answers to count for '" + q.text + "'",
                                     "Only the answers of the question chosen above count.", false, options,
                                     typed ? typed->all(name) : std::vector<std::string>{}, errors.of(name)));
    }
    c["question"] = choice_group("question", "Which question?",
                                 "Questions with answers to choose from: single and multiple choice, ratings, and yes "
                                 "or no.",
                                 true, questions, {question}, errors.of("question"));
    c["answers"] = std::move(answers);
  }
  out["chosen"] = std::move(c);
  return out;
}

// The benchmark categories, and their groups of people under each.
json category_fields(const Form* typed, const Errors& errors) {
  auto get = [&](const char* f) { return typed ? typed->get(f) : std::string(); };
  SelectGroup categories;
  std::vector<SelectGroup> values;
  for (const auto& c : impact::benchmark_categories()) {
    categories.options.push_back({c.code, c.label});
    SelectGroup g{c.label, {}};
    for (const auto& v : c.values) g.options.push_back({v.code, v.label});
    values.push_back(std::move(g));
  }
  return {{"category", select_field("category", "Benchmark gap: category", "Only for the benchmark gap measure.",
                                    "Choose a category", {categories}, get("category"), errors.of("category"))},
          {"category_value",
           select_field("category_value", "Benchmark gap: group of people",
                        "Choose one of the groups listed under the category chosen above.", "Choose a group of people",
                        values, get("category_value"), errors.of("category_value"))}};
}

Response indicators_page(Context& ctx, int64_t id, const std::string& name, const Form* typed,
                         const Errors& errors_in) {
  auto all = service(ctx).indicators(org(ctx), id, actor_of(ctx));
  if (!all.ok()) return status_error(ctx, all.status());
  auto toc = service(ctx).theory_of_change(org(ctx), id);
  if (!toc.ok()) return status_error(ctx, toc.status());
  const auto surveys = organisation_surveys(ctx);
  Errors errors = errors_in;
  // The survey the add form is for: as sent with the form, else as chosen with ?survey_id=.
  const std::string chosen_text = typed ? typed->get("survey_id") : ctx.request.query("survey_id");
  const SurveyQuestions* chosen = find_survey(surveys, typed_id(chosen_text));
  if (!typed && !chosen && query_has(ctx, "survey_id"))
    errors.add({"survey_id", "Choose one of your organisation's surveys from the list", Problem::kInvalid});
  auto get = [&](const std::string& f) { return typed ? typed->get(f) : std::string(); };
  json items = json::array();
  for (const auto& i : *all) {
    const auto& d = i.definition;
    const std::string k = std::to_string(i.id);
    json item = {{"name", d.name},
                 {"element", i.element},
                 {"from", worked_out_from(d, surveys)},
                 {"status", i.status.label},
                 {"rule", i.status.rule},
                 {"count", i.measurements.size()},
                 {"table", report::table_json(measurements_table(i, "measurements-" + k))}};
    if (can_write(ctx)) item["remove_action"] = href_of(id) + "/indicators/" + k + "/remove";
    if (d.source == "manual" && can_write(ctx)) {
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
      // Choosing a survey first means the figures come from it.
      const std::string source = typed ? get("source") : (chosen ? "survey" : "");
      data["add"] = {
          {"survey", survey_form(surveys, chosen, chosen_text, typed, errors, href_of(id) + "/indicators#add")},
          {"element", choice_group("element", "What does it measure?", "An output or outcome of the theory of change.",
                                   true, elements, {get("element")}, first("element"))},
          {"name_field",
           text_field({"name", "Name", "text", "For example, Carers who feel heard"}, get("name"), first("name"))},
          {"definition_field",
           text_field({"definition", "Definition", "text", "Exactly what is counted, and how.", true},
                      get("definition"), first("definition"))},
          {"unit",
           choice_group("unit", "Unit",
                        "Only for figures entered by hand: a platform measure or a survey question has its own.", true,
                        impact::indicator_units(), {get("unit")}, first("unit"))},
          {"direction", choice_group("direction", "Which way is better?", "", true, impact::indicator_directions(),
                                     {get("direction")}, first("direction"))},
          {"frequency", choice_group("frequency", "How often is it measured?", "", true,
                                     impact::indicator_frequencies(), {get("frequency")}, first("frequency"))},
          {"source", choice_group("source", "Where do the figures come from?", "", true, impact::indicator_sources(),
                                  {source}, first("source"))},
          {"measure", choice_group("measure", "Platform measure", "Only when the figures come from the platform.", true,
                                   impact::platform_measures(), {get("measure")}, first("measure"))},
          {"benchmark", category_fields(typed, errors)},
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
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
  return indicators_page(ctx, *id, p->details.name, nullptr, {});
}

Response add_indicator_page(Context& ctx) {
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
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
  // A radio cannot be unticked, so what belongs to another source is let be:
  // the measure and its benchmark group for the platform, the survey's
  // question for a survey; and their unit is their own.
  if (d.source == "platform") {
    d.measure = f.get("measure");
    if (!d.measure.empty()) d.unit = impact::measure_unit(d.measure);
    if (d.measure == "benchmark_gap") {
      d.category = f.get("category");
      d.category_value = f.get("category_value");
    }
  }
  const auto surveys = organisation_surveys(ctx);
  const SurveyQuestions* chosen = nullptr;
  if (d.source == "survey") {
    d.unit = "percentage";
    if (!trim_copy(f.get("survey_id")).empty()) {
      d.survey_id = typed_id(f.get("survey_id"));
      if (!d.survey_id) errors.add({"survey_id", "Choose the survey from the list", Problem::kInvalid});
    }
    chosen = find_survey(surveys, d.survey_id);
    d.question = f.get("question");
    if (!d.question.empty()) d.options = f.all("options_" + d.question);
  }
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
  auto on_page = [&](FieldError e) {
    e.field = survey_field(e.field, chosen, d.question);
    if (e.field == "category_value" && e.kind == Problem::kUnknownCode)
      if (const auto* c = impact::find_category(d.category)) {
        std::vector<std::string> labels;
        for (const auto& v : c->values) labels.push_back(v.label);
        e.message = "Choose a group of people under " + c->label + ": " + either(labels);
      }
    return e;
  };
  for (auto& e : impact::validate(d)) errors.add(on_page(std::move(e)));
  if (errors.list.empty()) {
    auto made = service(ctx).add_indicator(org(ctx), *id, in, actor_of(ctx));
    if (made.ok()) return Response::redirect(href_of(*id) + "/indicators");
    if (made.status().code() != StatusCode::kInvalidInput) return status_error(ctx, made.status());
    std::string field = made.status().where().field;
    errors.add(on_page({field.empty() ? "name" : field, made.status().message(), Problem::kInvalid}));
  }
  std::stable_sort(errors.list.begin(), errors.list.end(), [](const FieldError& a, const FieldError& b) {
    return indicator_rank(a.field) < indicator_rank(b.field);
  });
  return indicators_page(ctx, *id, p->details.name, &ctx.form, errors);
}

Response add_measurement_page(Context& ctx) {
  auto iid = id_param(ctx, "indicator");
  if (!iid) return ctx.error(404);
  auto p = programme_of(ctx);
  if (!p.ok()) return status_error(ctx, p.status());
  const std::optional<int64_t> id = p->id;
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
