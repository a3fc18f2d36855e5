#include "impact/programmes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include "core/dates.h"
#include "core/text.h"
#include "collection/surveys.h"
#include "impact/export.h"
#include "impact/measures.h"
#include "impact/programme_measures.h"
#include "involvement/groups.h"
#include "involvement/people.h"

namespace coproduce::impact {
namespace {

using nlohmann::json;
using store::Connection;
using store::Row;
using detail::kScopeActivities;
using detail::paid_rows;

std::string today_of(const Clock& clock) { return format_timestamp(clock.now()).substr(0, 10); }

std::string at(const std::string& list, size_t i) { return list + "." + std::to_string(i); }

void append(std::vector<FieldError>& to, std::vector<FieldError> more) {
  for (auto& e : more) to.push_back(std::move(e));
}

Status field_problem(const std::string& field, std::string message, Problem kind = Problem::kInvalid) {
  return involvement::first_problem({{field, std::move(message), kind}});
}

void check_text(std::vector<FieldError>& errors, const char* field, const std::string& text, size_t limit,
                const char* what) {
  if (utf8_length(text) > limit) {
    errors.push_back(
        {field, std::string(what) + " must be " + std::to_string(limit) + " characters or fewer", Problem::kTooLong});
  }
}

void check_date(std::vector<FieldError>& errors, const char* field, const std::string& date, const char* missing,
                const char* what) {
  if (date.empty())
    errors.push_back({field, missing, Problem::kMissing});
  else if (!is_date(date))
    errors.push_back({field, std::string(what) + " must be a real date, like 2026-04-01", Problem::kNotADate});
}

// A period of at most kMaxProgrammeYears, both ends real dates.
std::vector<FieldError> check_period(const Period& p, const char* from_key, const char* to_key) {
  std::vector<FieldError> errors;
  check_date(errors, from_key, p.from, "Enter the start date", "The start date");
  check_date(errors, to_key, p.to, "Enter the end date", "The end date");
  if (errors.empty()) {
    if (p.to < p.from) {
      errors.push_back({to_key, "The end date must be on or after the start date, " + p.from, Problem::kOutOfOrder});
    } else if (p.to >= add_months(p.from, 12 * kMaxProgrammeYears)) {
      errors.push_back({to_key, "The period can be up to " + std::to_string(kMaxProgrammeYears) + " years long",
                        Problem::kOutOfRange});
    }
  }
  return errors;
}

bool has_code(const CodeList& list, const std::string& code) {
  return std::any_of(list.begin(), list.end(), [&](const auto& p) { return p.first == code; });
}

std::string label_of(const CodeList& list, const std::string& code) {
  for (const auto& [c, l] : list)
    if (c == code) return l;
  return code;
}

// ---- Reading JSON bodies -------------------------------------------------------------

// Reads typed keys of one JSON object, adding a problem naming the key
// (with `prefix`, as "elements.2.") for each of the wrong type. A key that
// is missing or null reads as nullopt (text as "" when null).
class Reader {
 public:
  static constexpr uint64_t kMaxId = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

  Reader(const json& body, std::vector<FieldError>* errors, std::string prefix = "")
      : body_(body), errors_(errors), prefix_(std::move(prefix)) {}

  bool given(const char* key) const { return body_.contains(key) && !body_[key].is_null(); }

  std::optional<std::string> text(const char* key) {
    if (!body_.contains(key)) return std::nullopt;
    const json& v = body_[key];
    if (v.is_null()) return std::string();
    if (v.is_string()) return trim_copy(v.get<std::string>());
    wrong(key, "must be text");
    return std::nullopt;
  }

  std::optional<double> number(const char* key) {
    if (!given(key)) return std::nullopt;
    const json& v = body_[key];
    if (v.is_number()) return v.get<double>();
    wrong(key, "must be a number");
    return std::nullopt;
  }

  std::optional<int64_t> whole(const char* key, const char* what = "a whole number") {
    if (!given(key)) return std::nullopt;
    const json& v = body_[key];
    if (v.is_number_unsigned() && v.get<uint64_t>() > kMaxId) {
      wrong(key, "is too big", Problem::kOutOfRange);
      return std::nullopt;
    }
    if (v.is_number_integer()) return v.get<int64_t>();
    wrong(key, std::string("must be ") + what);
    return std::nullopt;
  }

  // A list of ids from 1; nullopt when missing, or (with a problem) when
  // not a list of whole numbers.
  std::optional<std::vector<int64_t>> ids(const char* key) {
    if (!body_.contains(key)) return std::nullopt;
    const json& v = body_[key];
    if (v.is_null()) return std::vector<int64_t>{};
    if (!v.is_array()) {
      wrong(key, "must be a list of ids");
      return std::nullopt;
    }
    std::vector<int64_t> out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number_integer() || (v[i].is_number_unsigned() && v[i].get<uint64_t>() > kMaxId)) {
        errors_->push_back(
            {prefix_ + at(key, i), std::string(key) + " must be a list of ids, whole numbers", Problem::kInvalid});
        return std::nullopt;
      }
      out.push_back(v[i].get<int64_t>());
    }
    return out;
  }

  // A list of text, trimmed; nullopt when missing, or (with a problem) when
  // not a list of text.
  std::optional<std::vector<std::string>> texts(const char* key) {
    if (!body_.contains(key)) return std::nullopt;
    const json& v = body_[key];
    if (v.is_null()) return std::vector<std::string>{};
    if (!v.is_array()) {
      wrong(key, "must be a list of text");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        errors_->push_back({prefix_ + at(key, i), std::string(key) + " must be a list of text", Problem::kInvalid});
        return std::nullopt;
      }
      out.push_back(trim_copy(v[i].get<std::string>()));
    }
    return out;
  }

  const json* list(const char* key) {
    if (!given(key)) return nullptr;
    if (body_[key].is_array()) return &body_[key];
    wrong(key, "must be a list");
    return nullptr;
  }

  const json* object(const char* key) {
    if (!given(key)) return nullptr;
    if (body_[key].is_object()) return &body_[key];
    wrong(key, "must be an object");
    return nullptr;
  }

 private:
  void wrong(const char* key, const std::string& what, Problem kind = Problem::kInvalid) {
    errors_->push_back({prefix_ + key, prefix_ + key + " " + what, kind});
  }

  const json& body_;
  std::vector<FieldError>* errors_;
  std::string prefix_;
};

template <typename T>
void set_if(std::optional<T> v, T& to) {
  if (v) to = std::move(*v);
}

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(); }
json optional_text(const std::string& v) { return v.empty() ? json() : json(v); }

}  // namespace

// ---- Programmes --------------------------------------------------------------------------

std::vector<FieldError> validate(const ProgrammeInput& in) {
  std::vector<FieldError> errors;
  std::string name = trim_copy(in.name), lead = trim_copy(in.lead);
  if (name.empty())
    errors.push_back({"name", "Enter the programme's name", Problem::kMissing});
  else
    check_text(errors, "name", name, 200, "The name");
  check_text(errors, "purpose", in.purpose, 4000, "The purpose");
  if (lead.empty())
    errors.push_back({"lead", "Enter the name of the programme's lead", Problem::kMissing});
  else
    check_text(errors, "lead", lead, 200, "The lead's name");
  append(errors, check_period({in.starts_on, in.ends_on}, "starts_on", "ends_on"));
  BusinessCaseInput rate;
  rate.discount_rate_percent = in.discount_rate;
  append(errors, validate(rate));
  for (auto [key, list] : {std::pair{"group_ids", &in.group_ids}, std::pair{"activity_ids", &in.activity_ids},
                           std::pair{"survey_ids", &in.survey_ids}, std::pair{"module_ids", &in.module_ids}}) {
    if (list->size() > kMaxLinkedItems) {
      errors.push_back(
          {key, std::string(key) + " can list up to " + std::to_string(kMaxLinkedItems), Problem::kTooLong});
      continue;
    }
    for (size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i] < 1) {
        errors.push_back({at(key, i), std::string(key) + " must be ids, whole numbers from 1", Problem::kInvalid});
        break;
      }
    }
  }
  return errors;
}

ProgrammeInput programme_from_json(const json& body, ProgrammeInput base, std::vector<FieldError>* errors) {
  Reader r(body, errors);
  set_if(r.text("name"), base.name);
  set_if(r.text("purpose"), base.purpose);
  set_if(r.text("lead"), base.lead);
  set_if(r.text("starts_on"), base.starts_on);
  set_if(r.text("ends_on"), base.ends_on);
  if (body.contains("discount_rate") && body["discount_rate"].is_null()) {
    errors->push_back({"discount_rate", "Give the discount rate as a percentage, like 3.5", Problem::kMissing});
  }
  set_if(r.number("discount_rate"), base.discount_rate);
  set_if(r.ids("group_ids"), base.group_ids);
  set_if(r.ids("activity_ids"), base.activity_ids);
  set_if(r.ids("survey_ids"), base.survey_ids);
  set_if(r.ids("module_ids"), base.module_ids);
  return base;
}

json programme_json(const Programme& p) {
  const ProgrammeInput& d = p.details;
  return {{"id", p.id},
          {"name", d.name},
          {"purpose", d.purpose},
          {"lead", d.lead},
          {"starts_on", d.starts_on},
          {"ends_on", d.ends_on},
          {"discount_rate", d.discount_rate},
          {"group_ids", d.group_ids},
          {"activity_ids", d.activity_ids},
          {"survey_ids", d.survey_ids},
          {"module_ids", d.module_ids},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at}};
}

// ---- Theory of change JSON ------------------------------------------------------------------

TheoryOfChangeInput theory_of_change_from_json(const json& body, std::vector<FieldError>* errors) {
  TheoryOfChangeInput out;
  Reader r(body, errors);
  if (!body.contains("elements")) {
    errors->push_back({"elements", "Give the elements: a list, which may be empty", Problem::kMissing});
  }
  if (const json* list = r.list("elements")) {
    for (size_t i = 0; i < list->size() && i <= kMaxElements; ++i) {
      std::string prefix = at("elements", i) + ".";
      if (!(*list)[i].is_object()) {
        errors->push_back({at("elements", i), "Each element must be an object with ref, stage and text"});
        continue;
      }
      Reader e((*list)[i], errors, prefix);
      ElementInput el;
      set_if(e.text("ref"), el.ref);
      set_if(e.text("stage"), el.stage);
      set_if(e.text("text"), el.text);
      out.elements.push_back(std::move(el));
    }
  }
  if (const json* list = r.list("links")) {
    for (size_t i = 0; i < list->size() && i <= kMaxLinks; ++i) {
      std::string prefix = at("links", i) + ".";
      if (!(*list)[i].is_object()) {
        errors->push_back({at("links", i), "Each link must be an object with from and to"});
        continue;
      }
      Reader l((*list)[i], errors, prefix);
      LinkInput link;
      set_if(l.text("from"), link.from);
      set_if(l.text("to"), link.to);
      set_if(l.text("assumptions"), link.assumptions);
      set_if(l.text("conditions"), link.conditions);
      out.links.push_back(std::move(link));
    }
  }
  return out;
}

json theory_of_change_json(const TheoryOfChange& toc) {
  json elements = json::array(), links = json::array();
  for (const auto& e : toc.elements) {
    elements.push_back(
        {{"id", e.id}, {"ref", e.ref}, {"stage", e.stage}, {"stage_label", stage_label(e.stage)}, {"text", e.text}});
  }
  for (const auto& l : toc.links) {
    links.push_back({{"from", l.from}, {"to", l.to}, {"assumptions", l.assumptions}, {"conditions", l.conditions}});
  }
  return {{"elements", elements}, {"links", links}};
}

// ---- Indicators JSON ---------------------------------------------------------------------------

IndicatorInput indicator_from_json(const json& body, std::vector<FieldError>* errors) {
  IndicatorInput in;
  Reader r(body, errors);
  IndicatorDefinition& d = in.definition;
  set_if(r.text("element"), in.element);
  set_if(r.text("name"), d.name);
  set_if(r.text("definition"), d.definition);
  set_if(r.text("unit"), d.unit);
  set_if(r.text("direction"), d.direction);
  set_if(r.text("frequency"), d.frequency);
  set_if(r.text("source"), d.source);
  set_if(r.text("measure"), d.measure);
  d.baseline_value = r.number("baseline_value");
  set_if(r.text("baseline_date"), d.baseline_date);
  d.target_value = r.number("target_value");
  set_if(r.text("target_date"), d.target_date);
  set_if(r.text("category"), d.category);
  set_if(r.text("category_value"), d.category_value);
  d.survey_id = r.whole("survey_id", "an id, a whole number");
  set_if(r.text("question"), d.question);
  set_if(r.texts("options"), d.options);
  // A platform measure has one unit, and a survey share is a percentage:
  // the unit may be left out.
  if (d.source == "platform" && d.unit.empty()) d.unit = measure_unit(d.measure);
  if (d.source == "survey" && d.unit.empty()) d.unit = "percentage";
  return in;
}

MeasurementInput measurement_from_json(const json& body, std::vector<FieldError>* errors) {
  MeasurementInput in;
  Reader r(body, errors);
  set_if(r.text("period"), in.period);
  in.value = r.number("value");
  set_if(r.text("evidence"), in.evidence);
  return in;
}

std::vector<FieldError> validate(const MeasurementInput& in, const IndicatorDefinition& d, const std::string& today) {
  std::vector<FieldError> problems;
  if (d.source != "manual") {
    problems.push_back({"source",
                        "This indicator's measurements are worked out from the platform's records: they are not"
                        " entered by hand"});
    return problems;
  }
  std::string typed = trim_copy(in.period);
  std::optional<MeasurePeriod> period = parse_measure_period(typed, d.frequency);
  if (typed.empty()) {
    problems.push_back({"period", "Enter the period measured", Problem::kMissing});
  } else if (!period) {
    problems.push_back({"period",
                        d.frequency == "quarterly" ? "Give the quarter as YYYY-Qn, like 2026-Q1 for January to March"
                                                   : "Give the month as YYYY-MM, like 2026-03",
                        Problem::kInvalid});
  } else if (period->from > today) {
    problems.push_back({"period", "The period " + period->label + " has not started yet", Problem::kOutOfRange});
  }
  if (!in.value)
    problems.push_back({"value", "Enter the value measured", Problem::kMissing});
  else
    append(problems, check_value("value", d.unit, *in.value));
  std::string evidence = trim_copy(in.evidence);
  if (evidence.empty()) {
    problems.push_back({"evidence", "Say where the figure comes from: the evidence for it", Problem::kMissing});
  } else if (utf8_length(evidence) > 2000) {
    problems.push_back({"evidence", "The evidence must be 2,000 characters or fewer", Problem::kTooLong});
  }
  return problems;
}

json indicator_json(const Indicator& i) {
  const IndicatorDefinition& d = i.definition;
  json measurements = json::array();
  for (const auto& m : i.measurements) {
    json row = {{"period", m.period.label},
                {"from", m.period.from},
                {"to", m.period.to},
                {"value", optional_number(m.value)},
                {"complete", m.complete}};
    if (m.id) row["id"] = m.id;
    if (d.source == "manual") row["evidence"] = m.evidence;
    if (m.base) row["base"] = *m.base;
    if (m.lower && m.upper) row["interval"] = {{"lower", *m.lower}, {"upper", *m.upper}};
    if (m.suppressed) row["suppressed"] = true;
    if (!m.note.empty()) row["note"] = m.note;
    measurements.push_back(std::move(row));
  }
  return {{"id", i.id},
          {"element", i.element},
          {"name", d.name},
          {"definition", d.definition},
          {"unit", d.unit},
          {"direction", d.direction},
          {"frequency", d.frequency},
          {"source", d.source},
          {"measure", optional_text(d.measure)},
          {"measure_label", d.measure.empty() ? json() : json(label_of(platform_measures(), d.measure))},
          {"category", optional_text(d.category)},
          {"category_value", optional_text(d.category_value)},
          {"survey_id", d.survey_id ? json(*d.survey_id) : json()},
          {"question", optional_text(d.question)},
          {"options", d.options},
          {"baseline_value", optional_number(d.baseline_value)},
          {"baseline_date", optional_text(d.baseline_date)},
          {"target_value", optional_number(d.target_value)},
          {"target_date", optional_text(d.target_date)},
          {"measurements", measurements},
          {"status",
           {{"code", i.status.code},
            {"label", i.status.label},
            {"rule", i.status.rule},
            {"explanation", i.status.explanation}}}};
}

// ---- Costs ---------------------------------------------------------------------------------------

const CodeList& cost_kinds() {
  static const CodeList kKinds = {
      {"staff_time", "Staff time"},
      {"venue", "Venue"},
      {"catering", "Catering"},
      {"interpreters", "Interpreters"},
      {"easy_read", "Easy Read"},
      {"transport", "Transport"},
      {"other_accessibility", "Other accessibility"},
      {"training", "Training"},
      {"other", "Other"},
      {"payments", "Payments for time"},
      {"expenses", "Expenses"},
  };
  return kKinds;
}

std::string cost_category(const std::string& kind) {
  if (kind == "interpreters" || kind == "easy_read" || kind == "transport" || kind == "other_accessibility")
    return "accessibility";
  return kind;
}

std::vector<FieldError> validate(const std::vector<StaffGrade>& grades) {
  std::vector<FieldError> errors;
  if (grades.size() > kMaxStaffGrades) {
    errors.push_back(
        {"grades", "There can be up to " + std::to_string(kMaxStaffGrades) + " staff grades", Problem::kTooLong});
    return errors;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < grades.size(); ++i) {
    const StaffGrade& g = grades[i];
    std::string field = at("grades", i), which = "Grade " + std::to_string(i + 1);
    std::string name = trim_copy(g.name);
    if (name.empty())
      errors.push_back({field + ".name", which + " needs a name", Problem::kMissing});
    else if (utf8_length(name) > 100)
      errors.push_back({field + ".name", which + "'s name must be 100 characters or fewer", Problem::kTooLong});
    else if (!names.insert(name).second)
      errors.push_back({field + ".name", which + "'s name '" + name + "' is given twice", Problem::kDuplicate});
    if (g.hourly_pence < 0 || g.hourly_pence > 1'000'000) {
      errors.push_back({field + ".hourly_pence", which + "'s hourly rate must be between £0 and £10,000 an hour",
                        Problem::kOutOfRange});
    }
    if (!std::isfinite(g.on_cost_percent) || g.on_cost_percent < 0 || g.on_cost_percent > 100) {
      errors.push_back({field + ".on_cost_percent", which + "'s on-costs must be between 0% and 100% of the rate",
                        Problem::kOutOfRange});
    }
  }
  return errors;
}

int64_t staff_time_pence(const StaffGrade& g, double hours) {
  long double pence = static_cast<long double>(hours) * static_cast<long double>(g.hourly_pence) *
                      (1.0L + static_cast<long double>(g.on_cost_percent) / 100.0L);
  return static_cast<int64_t>(std::llround(pence));
}

std::vector<StaffGrade> staff_grades_from_json(const json& body, std::vector<FieldError>* errors) {
  std::vector<StaffGrade> out;
  Reader r(body, errors);
  if (!body.contains("grades")) {
    errors->push_back({"grades", "Give the grades: a list, which may be empty", Problem::kMissing});
    return out;
  }
  const json* list = r.list("grades");
  if (!list) return out;
  for (size_t i = 0; i < list->size() && i <= kMaxStaffGrades; ++i) {
    std::string prefix = at("grades", i) + ".";
    if (!(*list)[i].is_object()) {
      errors->push_back({at("grades", i), "Each grade must be an object with name, hourly_pence and on_cost_percent"});
      continue;
    }
    Reader g((*list)[i], errors, prefix);
    StaffGrade grade;
    set_if(g.text("name"), grade.name);
    auto hourly = g.whole("hourly_pence", "a whole number of pence");
    auto on_cost = g.number("on_cost_percent");
    if (!(*list)[i].contains("hourly_pence")) {
      errors->push_back({prefix + "hourly_pence", "Enter the grade's hourly rate in pence", Problem::kMissing});
    }
    if (!(*list)[i].contains("on_cost_percent")) {
      errors->push_back(
          {prefix + "on_cost_percent", "Enter the grade's on-costs as a percentage (0 for none)", Problem::kMissing});
    }
    grade.hourly_pence = hourly.value_or(0);
    grade.on_cost_percent = on_cost.value_or(0);
    out.push_back(std::move(grade));
  }
  return out;
}

json staff_grade_json(const StaffGrade& g) {
  return {{"name", g.name}, {"hourly_pence", g.hourly_pence}, {"on_cost_percent", g.on_cost_percent}};
}

std::vector<FieldError> validate(const CostInput& in) {
  std::vector<FieldError> errors;
  static const CodeList kEntered(cost_kinds().begin(), cost_kinds().end() - 2);
  if (in.kind.empty()) {
    errors.push_back({"kind", "Choose the kind of cost", Problem::kMissing});
  } else if (in.kind == "payments" || in.kind == "expenses") {
    errors.push_back({"kind",
                      "Payments and expenses come from the payments records of the programme's activities:"
                      " they are not entered here",
                      Problem::kUnknownCode});
  } else if (!has_code(kEntered, in.kind)) {
    std::string codes;
    for (const auto& [c, l] : kEntered) codes += (codes.empty() ? "" : ", ") + c;
    errors.push_back({"kind", "'" + in.kind + "' is not a kind of cost: " + codes, Problem::kUnknownCode});
  }
  check_date(errors, "date", in.date, "Enter the date of the cost", "The date");
  check_text(errors, "note", in.note, 1000, "The note");
  if (in.activity_id && *in.activity_id < 1) {
    errors.push_back({"activity_id", "The activity must be given by its id, a whole number", Problem::kInvalid});
  }
  if (in.kind == "staff_time") {
    if (in.amount_pence) {
      errors.push_back({"amount_pence", "Staff time is worked out from the grade and the hours: leave the amount out",
                        Problem::kInvalid});
    }
    if (in.grade.empty()) errors.push_back({"grade", "Choose the staff grade", Problem::kMissing});
    if (!in.hours) {
      errors.push_back({"hours", "Enter the hours of staff time", Problem::kMissing});
    } else if (!std::isfinite(*in.hours) || *in.hours <= 0 || *in.hours > 10'000) {
      errors.push_back({"hours", "The hours must be more than 0 and no more than 10,000", Problem::kOutOfRange});
    }
  } else {
    if (!in.amount_pence) {
      errors.push_back({"amount_pence", "Enter the amount in pence", Problem::kMissing});
    } else if (*in.amount_pence < 0) {
      errors.push_back({"amount_pence", "The amount cannot be negative", Problem::kOutOfRange});
    } else if (*in.amount_pence > kMaxCostPence) {
      errors.push_back({"amount_pence", "The amount can be up to £1,000,000,000", Problem::kOutOfRange});
    }
    if (!in.grade.empty() || in.hours) {
      errors.push_back({in.hours ? "hours" : "grade", "Only staff time has a grade and hours", Problem::kInvalid});
    }
  }
  return errors;
}

CostInput cost_from_json(const json& body, std::vector<FieldError>* errors) {
  CostInput in;
  Reader r(body, errors);
  set_if(r.text("kind"), in.kind);
  in.amount_pence = r.whole("amount_pence", "a whole number of pence");
  set_if(r.text("date"), in.date);
  set_if(r.text("note"), in.note);
  in.activity_id = r.whole("activity_id", "an activity's id");
  set_if(r.text("grade"), in.grade);
  in.hours = r.number("hours");
  return in;
}

json cost_json(const ProgrammeCost& c) {
  return {{"id", c.id},
          {"kind", c.kind},
          {"category", cost_category(c.kind)},
          {"amount_pence", c.amount_pence},
          {"date", c.date},
          {"note", c.note},
          {"activity_id", c.activity_id ? json(*c.activity_id) : json()},
          {"grade", optional_text(c.grade)},
          {"hours", optional_number(c.hours)},
          {"hourly_pence", c.hourly_pence ? json(*c.hourly_pence) : json()},
          {"on_cost_percent", optional_number(c.on_cost_percent)}};
}

json cost_report_json(const CostReport& r) {
  json costs = json::array(), paid = json::array(), by = json::object();
  for (const auto& c : r.entered) costs.push_back(cost_json(c));
  for (const auto& m : r.paid) {
    paid.push_back({{"month", m.month}, {"payments_pence", m.payments_pence}, {"expenses_pence", m.expenses_pence}});
  }
  for (const auto& [k, v] : r.by_category) by[k] = v;
  return {{"from", r.period.from}, {"to", r.period.to}, {"costs", costs},
          {"paid", paid},          {"by_category", by}, {"total_pence", r.total_pence}};
}

// ---- Valued outcomes ------------------------------------------------------------------------------

std::vector<FieldError> validate(const OutcomeInput& in) {
  std::vector<FieldError> errors;
  std::string name = trim_copy(in.name);
  if (name.empty())
    errors.push_back({"name", "Enter the outcome's name", Problem::kMissing});
  else
    check_text(errors, "name", name, 200, "The name");
  if (!in.quantity) errors.push_back({"quantity", "Enter the quantity: how many units a year", Problem::kMissing});
  const Proxy* proxy = nullptr;
  if (!in.proxy.empty()) {
    proxy = find_proxy(in.proxy);
    if (!proxy) {
      std::string codes;
      for (const auto& p : built_in_proxies()) codes += (codes.empty() ? "" : ", ") + p.code;
      errors.push_back({"proxy", "'" + in.proxy + "' is not a built-in proxy: " + codes, Problem::kUnknownCode});
    } else if (in.value_pence) {
      errors.push_back({"value_pence", "The proxy gives the value of one unit: leave value_pence out, or the proxy",
                        Problem::kInvalid});
    }
  } else if (!in.value_pence) {
    errors.push_back({"value_pence", "Enter the value of one unit in pence, or name a proxy", Problem::kMissing});
  }
  if (!in.duration_years) {
    errors.push_back({"duration_years", "Enter how many years the outcome lasts", Problem::kMissing});
  }
  check_text(errors, "source", in.source, 500, "The source");
  check_text(errors, "quantity_source", in.quantity_source, 500, "Where the quantity comes from");
  if (in.price_year && (*in.price_year < 1900 || *in.price_year > 2200)) {
    errors.push_back({"price_year", "The price year must be a year from 1900 to 2200", Problem::kOutOfRange});
  }
  // value.h's checks of the numbers, named as this body's keys.
  BusinessCaseInput one;
  one.outcomes.push_back(valued_outcome(in));
  std::string whose = " for outcome 1" + (name.empty() ? std::string() : " (" + name + ")");
  for (FieldError e : validate(one)) {
    const std::string prefix = "outcomes.0.";
    if (e.field.rfind(prefix, 0) != 0) continue;
    e.field = e.field.substr(prefix.size());
    if (auto p = e.message.find(whose); p != std::string::npos) e.message.erase(p, whose.size());
    bool already = std::any_of(errors.begin(), errors.end(), [&](const FieldError& x) { return x.field == e.field; });
    if (!already) errors.push_back(std::move(e));
  }
  return errors;
}

ValuedOutcome valued_outcome(const OutcomeInput& in, int64_t id) {
  ValuedOutcome o;
  o.id = id;
  o.name = trim_copy(in.name);
  o.quantity = in.quantity.value_or(0);
  o.quantity_source = in.quantity_source.empty() ? "typed" : in.quantity_source;
  o.value_pence = in.value_pence.value_or(0);
  o.source = in.source;
  o.price_year = in.price_year;
  // Beyond an int, and still beyond value.h's limit of 30 years.
  o.duration_years = static_cast<int>(std::clamp<int64_t>(in.duration_years.value_or(0), -1, 1000));
  o.deadweight = in.deadweight;
  o.attribution = in.attribution;
  o.displacement = in.displacement;
  o.drop_off = in.drop_off;
  if (const Proxy* p = in.proxy.empty() ? nullptr : find_proxy(in.proxy)) {
    apply_proxy(*p, o);
    if (!in.source.empty()) o.source = in.source;
  }
  for (const auto& [a, r] : in.ranges) o.ranges[a] = r;
  return o;
}

OutcomeInput outcome_from_json(const json& body, std::vector<FieldError>* errors) {
  OutcomeInput in;
  Reader r(body, errors);
  set_if(r.text("name"), in.name);
  in.quantity = r.number("quantity");
  set_if(r.text("quantity_source"), in.quantity_source);
  in.value_pence = r.whole("value_pence", "a whole number of pence");
  set_if(r.text("proxy"), in.proxy);
  set_if(r.text("source"), in.source);
  if (auto y = r.whole("price_year", "a year")) in.price_year = static_cast<int>(std::clamp<int64_t>(*y, 0, 10000));
  in.duration_years = r.whole("duration_years", "a whole number of years");
  set_if(r.number("deadweight"), in.deadweight);
  set_if(r.number("attribution"), in.attribution);
  set_if(r.number("displacement"), in.displacement);
  set_if(r.number("drop_off"), in.drop_off);
  if (const json* ranges = r.object("ranges")) {
    for (const auto& [key, value] : ranges->items()) {
      std::optional<Assumption> which;
      for (Assumption a : all_assumptions())
        if (assumption_key(a) == key) which = a;
      if (!which || *which == Assumption::kDiscountRate) {
        errors->push_back({"ranges." + key, "'" + key + "' is not an assumption of an outcome", Problem::kUnknownCode});
        continue;
      }
      if (!value.is_object()) {
        errors->push_back({"ranges." + key, "ranges." + key + " must be an object with low and high"});
        continue;
      }
      Reader rr(value, errors, "ranges." + key + ".");
      auto low = rr.number("low"), high = rr.number("high");
      if (!low) errors->push_back({"ranges." + key + ".low", "Enter the low end of the range", Problem::kMissing});
      if (!high) errors->push_back({"ranges." + key + ".high", "Enter the high end of the range", Problem::kMissing});
      if (low && high) in.ranges[*which] = {*low, *high};
    }
  }
  return in;
}

namespace {

json ranges_json(const std::map<Assumption, Range>& ranges) {
  json out = json::object();
  for (const auto& [a, r] : ranges) out[std::string(assumption_key(a))] = {{"low", r.low}, {"high", r.high}};
  return out;
}

std::map<Assumption, Range> ranges_of(const std::string& text) {
  std::map<Assumption, Range> out;
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) return out;
  for (Assumption a : all_assumptions()) {
    auto it = doc.find(std::string(assumption_key(a)));
    if (it == doc.end() || !it->is_object()) continue;
    out[a] = {it->value("low", 0.0), it->value("high", 0.0)};
  }
  return out;
}

json scenario_json(const Scenario& s) {
  return {{"total_present_value_pence", s.total_present_value_pence},
          {"net_present_value_pence", s.net_present_value_pence},
          {"ratio", s.ratio ? json(*s.ratio) : json()}};
}

const char* break_even_result(BreakEvenResult r) {
  switch (r) {
    case BreakEvenResult::kFound:
      return "found";
    case BreakEvenResult::kPositiveThroughout:
      return "positive_throughout";
    case BreakEvenResult::kNegativeThroughout:
      return "negative_throughout";
  }
  return "found";
}

}  // namespace

json outcome_json(const Outcome& o) {
  const ValuedOutcome& v = o.valued;
  return {{"id", o.id},
          {"name", v.name},
          {"quantity", v.quantity},
          {"quantity_source", v.quantity_source},
          {"value_pence", v.value_pence},
          {"proxy", optional_text(o.proxy)},
          {"source", v.source},
          {"price_year", v.price_year ? json(*v.price_year) : json()},
          {"duration_years", v.duration_years},
          {"deadweight", v.deadweight},
          {"attribution", v.attribution},
          {"displacement", v.displacement},
          {"drop_off", v.drop_off},
          {"ranges", ranges_json(v.ranges)}};
}

json reach_json(const ProgrammeReach& r) {
  json rungs = json::array();
  for (const auto& x : r.rungs)
    rungs.push_back({{"rung", x.rung}, {"label", x.label}, {"rank", x.rank}, {"lead", x.lead}, {"members", x.members}});
  return {{"from", r.period.from},
          {"to", r.period.to},
          {"activities", r.activities},
          {"places", r.places},
          {"people", r.people},
          {"newcomer_places", r.newcomer_places},
          {"newcomer_share", optional_number(r.newcomer_share)},
          {"top_tenth_share", optional_number(r.top_tenth_share)},
          {"gini", optional_number(r.gini)},
          {"rungs", rungs},
          {"lead_rated", r.lead_rated},
          {"member_ratings", r.member_ratings},
          {"lead_mean", optional_number(r.lead_mean)},
          {"member_mean", optional_number(r.member_mean)},
          {"benchmark", {{"local", r.benchmark_local}}},
          {"representativeness", representativeness_json(r.who)}};
}

json business_case_json(const ProgrammeBusinessCase& pbc) {
  const BusinessCase& bc = pbc.figures;
  json outcomes = json::array(), costs = json::array(), sensitivity = json::array(), break_even = json::array();
  for (const auto& ov : bc.outcomes) {
    json years = json::array();
    for (const auto& y : ov.years) {
      years.push_back({{"year", y.year},
                       {"value_pence", y.value_pence},
                       {"discount_factor", y.discount_factor},
                       {"present_value_pence", y.present_value_pence}});
    }
    Outcome o{ov.input.id, "", ov.input};
    json row = outcome_json(o);
    row.erase("proxy");
    row["adjusted_value_pence"] = ov.adjusted_value_pence;
    row["present_value_pence"] = ov.present_value_pence;
    row["years"] = years;
    outcomes.push_back(std::move(row));
  }
  for (const auto& c : bc.costs)
    costs.push_back({{"label", c.label}, {"date", c.date}, {"amount_pence", c.amount_pence}});
  for (const auto& s : bc.sensitivity) {
    sensitivity.push_back({{"outcome_id", s.outcome ? json(s.outcome_id) : json()},
                           {"outcome_name", s.outcome ? json(s.outcome_name) : json()},
                           {"assumption", std::string(assumption_key(s.assumption))},
                           {"label", std::string(assumption_label(s.assumption))},
                           {"central", s.central},
                           {"low", s.range.low},
                           {"high", s.range.high},
                           {"default_range", s.default_range},
                           {"at_low", scenario_json(s.at_low)},
                           {"at_high", scenario_json(s.at_high)},
                           {"swing_pence", s.swing_pence}});
  }
  for (const auto& b : bc.break_even) {
    break_even.push_back({{"outcome_id", b.outcome ? json(b.outcome_id) : json()},
                          {"outcome_name", b.outcome ? json(b.outcome_name) : json()},
                          {"assumption", std::string(assumption_key(b.assumption))},
                          {"label", std::string(assumption_label(b.assumption))},
                          {"central", b.central},
                          {"result", break_even_result(b.result)},
                          {"value", b.value ? json(*b.value) : json()}});
  }
  return {{"from", pbc.period.from},
          {"to", pbc.period.to},
          {"discount_rate", bc.discount_rate_percent},
          {"total_present_value_pence", bc.total_present_value_pence},
          {"total_costs_pence", bc.total_costs_pence},
          {"net_present_value_pence", bc.net_present_value_pence},
          {"ratio", bc.ratio ? json(*bc.ratio) : json()},
          {"no_ratio_reason", bc.no_ratio ? json(kNoCostsMessage) : json()},
          {"outcomes", outcomes},
          {"costs", costs},
          {"sensitivity", sensitivity},
          {"break_even", break_even},
          {"scenarios",
           {{"low", scenario_json(bc.scenarios.low)},
            {"central", scenario_json(bc.scenarios.central)},
            {"high", scenario_json(bc.scenarios.high)}}}};
}

// ---- The service: storage ------------------------------------------------------------------------------

namespace {

struct LinkTable {
  const char* key;     // the API's key
  const char* table;   // programme_*
  const char* column;  // the id column there
  const char* owner;   // the table the ids name, with organisation_id
  const char* what;    // for messages
  std::vector<int64_t> ProgrammeInput::*list;
};

const LinkTable kLinkTables[] = {
    {"group_ids", "programme_groups", "group_id", "groups", "group", &ProgrammeInput::group_ids},
    {"activity_ids", "programme_activities", "activity_id", "activities", "activity", &ProgrammeInput::activity_ids},
    {"survey_ids", "programme_surveys", "survey_id", "surveys", "survey", &ProgrammeInput::survey_ids},
    {"module_ids", "programme_modules", "module_id", "learning_modules", "learning module",
     &ProgrammeInput::module_ids},
};

Status not_found() { return NotFound("There is no such programme"); }

StatusOr<Programme> load_programme(Connection& c, int64_t org, int64_t id) {
  auto row = c.query_one(
      "SELECT id, name, purpose, lead, starts_on, ends_on, discount_rate, created_at, updated_at FROM programmes"
      " WHERE id = $1 AND organisation_id = $2",
      {id, org});
  if (!row.ok()) return row.status().code() == StatusCode::kNotFound ? not_found() : row.status();
  Programme p;
  p.id = row->integer(0);
  p.details.name = row->text(1);
  p.details.purpose = row->text(2);
  p.details.lead = row->text(3);
  p.details.starts_on = row->text(4);
  p.details.ends_on = row->text(5);
  p.details.discount_rate = row->real(6);
  p.created_at = row->text(7);
  p.updated_at = row->text(8);
  for (const LinkTable& t : kLinkTables) {
    auto rows = c.query(
        std::string("SELECT ") + t.column + " FROM " + t.table + " WHERE programme_id = $1 ORDER BY " + t.column, {id});
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) (p.details.*t.list).push_back(r.integer(0));
  }
  return p;
}

// The input with its text trimmed and each list of ids without repeats, in order.
ProgrammeInput normalised(ProgrammeInput in) {
  in.name = trim_copy(in.name);
  in.purpose = trim_copy(in.purpose);
  in.lead = trim_copy(in.lead);
  in.starts_on = trim_copy(in.starts_on);
  in.ends_on = trim_copy(in.ends_on);
  for (const LinkTable& t : kLinkTables) {
    auto& list = in.*t.list;
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return in;
}

// Replaces the programme's links with `in`'s, each checked to be the organisation's.
Status save_links(Connection& c, int64_t org, int64_t id, const ProgrammeInput& in) {
  for (const LinkTable& t : kLinkTables) {
    const auto& list = in.*t.list;
    for (size_t i = 0; i < list.size(); ++i) {
      auto found =
          c.query(std::string("SELECT id FROM ") + t.owner + " WHERE id = $1 AND organisation_id = $2", {list[i], org});
      if (!found.ok()) return found.status();
      if (found->empty())
        return field_problem(at(t.key, i), "There is no " + std::string(t.what) + " " + std::to_string(list[i]) +
                                               " in your organisation");
    }
    auto cleared = c.execute(std::string("DELETE FROM ") + t.table + " WHERE programme_id = $1", {id});
    if (!cleared.ok()) return cleared.status();
    for (int64_t item : list) {
      auto ins = c.execute(std::string("INSERT INTO ") + t.table + " (programme_id, " + t.column + ") VALUES ($1, $2)",
                           {id, item});
      if (!ins.ok()) return ins.status();
    }
  }
  return Status::Ok();
}

// The programme's activities: its groups' and those listed itself.
StatusOr<TheoryOfChange> load_toc(Connection& c, int64_t programme) {
  TheoryOfChange toc;
  auto rows = c.query(
      "SELECT id, ref, stage, text FROM programme_elements WHERE programme_id = $1 ORDER BY position, id", {programme});
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows) toc.elements.push_back({r.integer(0), r.text(1), r.text(2), r.text(3)});
  auto links = c.query(
      "SELECT f.ref, t.ref, l.assumptions, l.conditions FROM programme_links l"
      " JOIN programme_elements f ON f.id = l.from_element JOIN programme_elements t ON t.id = l.to_element"
      " WHERE l.programme_id = $1 ORDER BY l.position, l.id",
      {programme});
  if (!links.ok()) return links.status();
  for (const auto& r : *links) toc.links.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
  return toc;
}

constexpr const char* kIndicatorColumns =
    "i.id, i.element_id, e.ref, i.name, i.definition, i.unit, i.direction, i.frequency, i.source, i.measure,"
    " i.baseline_value, i.baseline_date, i.target_value, i.target_date, i.category, i.category_value, i.survey_id,"
    " i.question, i.options";

Indicator indicator_of(const Row& r) {
  Indicator i;
  i.id = r.integer(0);
  i.element_id = r.integer(1);
  i.element = r.text(2);
  IndicatorDefinition& d = i.definition;
  d.name = r.text(3);
  d.definition = r.text(4);
  d.unit = r.text(5);
  d.direction = r.text(6);
  d.frequency = r.text(7);
  d.source = r.text(8);
  d.measure = r.text(9);
  if (!r.is_null(10)) d.baseline_value = r.real(10);
  d.baseline_date = r.text(11);
  if (!r.is_null(12)) d.target_value = r.real(12);
  d.target_date = r.text(13);
  d.category = r.text(14);
  d.category_value = r.text(15);
  if (!r.is_null(16)) d.survey_id = r.integer(16);
  d.question = r.text(17);
  json options = json::parse(r.text(18), nullptr, false);
  if (options.is_array())
    for (const auto& o : options)
      if (o.is_string()) d.options.push_back(o.get<std::string>());
  return i;
}

// Fills the indicators' measurements and statuses on `today`.
Status fill_measurements(Connection& c, int64_t org, const Programme& p, const std::string& today,
                         const LearningCoverage& learning, const Clock& clock, const Actor* reader,
                         std::vector<Indicator>& indicators) {
  std::string last = std::min(today, p.details.ends_on);
  detail::MeasureReader worked_out(c, org, p, learning, clock, reader);
  for (Indicator& i : indicators) {
    const IndicatorDefinition& d = i.definition;
    if (d.source != "manual") {
      if (p.details.starts_on <= last) {
        auto series = worked_out.series(d, last);
        if (!series.ok()) return series.status();
        i.measurements = std::move(*series);
        for (auto& m : i.measurements) m.complete = m.period.to < today;
      }
    } else {
      auto rows = c.query(
          "SELECT id, period, value, evidence FROM programme_measurements WHERE indicator_id = $1 ORDER BY period",
          {i.id});
      if (!rows.ok()) return rows.status();
      for (const auto& r : *rows) {
        Measurement m;
        m.id = r.integer(0);
        auto period = parse_measure_period(r.text(1), d.frequency);
        m.period = period ? *period : MeasurePeriod{r.text(1), "", ""};
        m.value = r.real(2);
        m.evidence = r.text(3);
        m.complete = m.period.to < today;
        i.measurements.push_back(std::move(m));
      }
    }
    std::optional<Observation> latest;
    for (const auto& m : i.measurements) {
      if (m.value && (d.source == "manual" || m.complete)) latest = Observation{m.period.to, *m.value};
    }
    i.status = status_against_target(d, latest);
  }
  return Status::Ok();
}

// That the survey of `d` is the organisation's, has the question, the
// question has options to choose from, and every option counted is one of
// them.
Status check_survey_question(Connection& c, int64_t org, const IndicatorDefinition& d) {
  auto row = c.query("SELECT definition FROM surveys WHERE id = $1 AND organisation_id = $2", {*d.survey_id, org});
  if (!row.ok()) return row.status();
  if (row->empty()) return field_problem("survey_id", "There is no such survey in your organisation");
  collection::Survey survey;
  survey.definition = row->front().text(0);
  auto q = collection::questionnaire_of(survey);
  if (!q.ok()) return field_problem("survey_id", "The survey's questions could not be read: " + q.status().message());
  const survey::Question* question = nullptr;
  for (const auto& each : q->questions)
    if (each.code == d.question) question = &each;
  if (question == nullptr)
    return field_problem("question", "The survey has no question '" + d.question + "'", Problem::kUnknownCode);
  if (!question->has_options() || !question->items.empty()) {
    return field_problem("question",
                         "The question '" + d.question +
                             "' has no answers to choose from: choose a question with options, like yes or no",
                         Problem::kInvalid);
  }
  for (size_t i = 0; i < d.options.size(); ++i) {
    if (question->option_index(d.options[i]) < 0) {
      std::string codes;
      for (const auto& o : question->options) codes += (codes.empty() ? "" : ", ") + o.code;
      return field_problem(at("options", i),
                           "'" + d.options[i] + "' is not an answer to '" + d.question + "': choose from " + codes,
                           Problem::kUnknownCode);
    }
  }
  return Status::Ok();
}

// How measurements are worked out: learning coverage's source, the clock
// and who is reading (for the audit of equality answers), if anyone.
struct Reading {
  const LearningCoverage& learning;
  const Clock& clock;
  const Actor* reader = nullptr;
};

StatusOr<std::vector<Indicator>> load_indicators(Connection& c, int64_t org, const Programme& p,
                                                 const std::string& today, std::optional<int64_t> only,
                                                 const Reading& how) {
  std::string sql = std::string("SELECT ") + kIndicatorColumns +
                    " FROM programme_indicators i JOIN programme_elements e ON e.id = i.element_id"
                    " WHERE i.programme_id = $1";
  auto rows = only ? c.query(sql + " AND i.id = $2", {p.id, *only}) : c.query(sql + " ORDER BY i.id", {p.id});
  if (!rows.ok()) return rows.status();
  std::vector<Indicator> out;
  for (const auto& r : *rows) out.push_back(indicator_of(r));
  if (Status s = fill_measurements(c, org, p, today, how.learning, how.clock, how.reader, out); !s.ok()) return s;
  return out;
}

// ---- Costs ----

ProgrammeCost cost_of(const Row& r) {
  ProgrammeCost c;
  c.id = r.integer(0);
  c.kind = r.text(1);
  c.amount_pence = r.integer(2);
  c.date = r.text(3);
  c.note = r.text(4);
  if (!r.is_null(5)) c.activity_id = r.integer(5);
  c.grade = r.text(6);
  if (!r.is_null(7)) c.hours = r.real(7);
  if (!r.is_null(8)) c.hourly_pence = r.integer(8);
  if (!r.is_null(9)) c.on_cost_percent = r.real(9);
  return c;
}

constexpr const char* kCostColumns =
    "id, kind, amount_pence, incurred_on, note, activity_id, grade, hours, hourly_pence, on_cost_percent";

StatusOr<Period> period_for(const Programme& p, const std::optional<Period>& asked) {
  if (!asked) return Period{p.details.starts_on, p.details.ends_on};
  Period out{trim_copy(asked->from), trim_copy(asked->to)};
  if (out.from.empty()) out.from = p.details.starts_on;
  if (out.to.empty()) out.to = p.details.ends_on;
  if (Status s = involvement::first_problem(check_period(out, "from", "to")); !s.ok()) return s;
  return out;
}

StatusOr<CostReport> cost_report(Connection& c, int64_t org, const Programme& p, const Period& period) {
  CostReport r;
  r.period = period;
  for (const auto& [kind, label] : cost_kinds()) r.by_category[cost_category(kind)] = 0;
  auto rows = c.query(std::string("SELECT ") + kCostColumns +
                          " FROM programme_costs WHERE programme_id = $1 AND incurred_on >= $2 AND incurred_on <= $3"
                          " ORDER BY incurred_on, id",
                      {p.id, period.from, period.to});
  if (!rows.ok()) return rows.status();
  for (const auto& row : *rows) {
    ProgrammeCost cost = cost_of(row);
    r.by_category[cost_category(cost.kind)] += cost.amount_pence;
    r.total_pence += cost.amount_pence;
    r.entered.push_back(std::move(cost));
  }
  std::map<std::string, PaidMonth> months;
  for (bool payments : {true, false}) {
    auto paid = paid_rows(c, org, p.id, payments);
    if (!paid.ok()) return paid.status();
    for (const auto& x : *paid) {
      if (x.date < period.from || x.date > period.to) continue;
      PaidMonth& m = months[x.date.substr(0, 7)];
      m.month = x.date.substr(0, 7);
      m.last_date = std::max(m.last_date, x.date);
      (payments ? m.payments_pence : m.expenses_pence) += x.amount;
      r.by_category[payments ? "payments" : "expenses"] += x.amount;
      r.total_pence += x.amount;
    }
  }
  for (auto& [month, m] : months) r.paid.push_back(std::move(m));
  return r;
}

// ---- Outcomes ----

constexpr const char* kOutcomeColumns =
    "id, name, quantity, quantity_source, value_pence, proxy, source, price_year, duration_years, deadweight,"
    " attribution, displacement, drop_off, ranges";

Outcome outcome_of(const Row& r) {
  Outcome o;
  o.id = r.integer(0);
  ValuedOutcome& v = o.valued;
  v.id = o.id;
  v.name = r.text(1);
  v.quantity = r.real(2);
  v.quantity_source = r.text(3);
  v.value_pence = r.integer(4);
  o.proxy = r.text(5);
  v.source = r.text(6);
  if (!r.is_null(7)) v.price_year = static_cast<int>(r.integer(7));
  v.duration_years = static_cast<int>(r.integer(8));
  v.deadweight = r.real(9);
  v.attribution = r.real(10);
  v.displacement = r.real(11);
  v.drop_off = r.real(12);
  v.ranges = ranges_of(r.text(13));
  return o;
}

StatusOr<std::vector<Outcome>> load_outcomes(Connection& c, int64_t programme) {
  auto rows =
      c.query(std::string("SELECT ") + kOutcomeColumns + " FROM programme_outcomes WHERE programme_id = $1 ORDER BY id",
              {programme});
  if (!rows.ok()) return rows.status();
  std::vector<Outcome> out;
  for (const auto& r : *rows) out.push_back(outcome_of(r));
  return out;
}

// Runs `work` on this thread's connection in a read transaction.
template <typename Work>
auto in_read_transaction(store::Database& db, Work&& work) -> std::invoke_result_t<Work, Connection&> {
  using Result = std::invoke_result_t<Work, Connection&>;
  auto conn = db.connection();
  if (!conn.ok()) return Result(conn.status());
  store::Transaction tx(**conn, store::TransactionMode::kRead);
  if (!tx.status().ok()) return Result(tx.status());
  return work(**conn);
}

}  // namespace

// ---- The service ------------------------------------------------------------------------------------------

StatusOr<std::vector<Programme>> Programmes::list(int64_t org) {
  return in_read_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<Programme>> {
    auto rows = c.query("SELECT id FROM programmes WHERE organisation_id = $1 ORDER BY starts_on DESC, id DESC", {org});
    if (!rows.ok()) return rows.status();
    std::vector<Programme> out;
    for (const auto& r : *rows) {
      auto p = load_programme(c, org, r.integer(0));
      if (!p.ok()) return p.status();
      out.push_back(std::move(*p));
    }
    return out;
  });
}

StatusOr<Programme> Programmes::get(int64_t org, int64_t id) {
  return in_read_transaction(db_, [&](Connection& c) { return load_programme(c, org, id); });
}

StatusOr<Programme> Programmes::create(int64_t org, const ProgrammeInput& input, const Actor& actor) {
  ProgrammeInput in = normalised(input);
  if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Programme> {
    std::string now = format_timestamp(clock_.now());
    auto row = c.query_one(
        "INSERT INTO programmes (organisation_id, name, purpose, lead, starts_on, ends_on, discount_rate, created_by,"
        " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        {org, in.name, in.purpose, in.lead, in.starts_on, in.ends_on, in.discount_rate, actor.user_id, now});
    if (!row.ok()) return row.status();
    int64_t id = row->integer(0);
    if (Status s = save_links(c, org, id, in); !s.ok()) return s;
    if (Status s = involvement::record_action(c, clock_, org, actor, "programme.create", "programme", id); !s.ok())
      return s;
    return load_programme(c, org, id);
  });
}

StatusOr<Programme> Programmes::update(int64_t org, int64_t id, const ProgrammeInput& input, const Actor& actor) {
  ProgrammeInput in = normalised(input);
  if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Programme> {
    auto before = load_programme(c, org, id);
    if (!before.ok()) return before.status();
    auto done = c.execute(
        "UPDATE programmes SET name = $1, purpose = $2, lead = $3, starts_on = $4, ends_on = $5, discount_rate = $6,"
        " updated_at = $7 WHERE id = $8 AND organisation_id = $9",
        {in.name, in.purpose, in.lead, in.starts_on, in.ends_on, in.discount_rate, format_timestamp(clock_.now()), id,
         org});
    if (!done.ok()) return done.status();
    if (Status s = save_links(c, org, id, in); !s.ok()) return s;
    if (Status s = involvement::record_action(c, clock_, org, actor, "programme.update", "programme", id); !s.ok())
      return s;
    return load_programme(c, org, id);
  });
}

StatusOr<TheoryOfChange> Programmes::theory_of_change(int64_t org, int64_t id) {
  return in_read_transaction(db_, [&](Connection& c) -> StatusOr<TheoryOfChange> {
    if (auto p = load_programme(c, org, id); !p.ok()) return p.status();
    return load_toc(c, id);
  });
}

StatusOr<TheoryOfChange> Programmes::save_theory_of_change(int64_t org, int64_t id, const TheoryOfChangeInput& input,
                                                           const Actor& actor) {
  TheoryOfChangeInput in = input;
  for (auto& e : in.elements) {
    e.ref = trim_copy(e.ref);
    e.stage = trim_copy(e.stage);
    e.text = trim_copy(e.text);
  }
  for (auto& l : in.links) {
    l.from = trim_copy(l.from);
    l.to = trim_copy(l.to);
    l.assumptions = trim_copy(l.assumptions);
    l.conditions = trim_copy(l.conditions);
  }
  if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<TheoryOfChange> {
    if (auto p = load_programme(c, org, id); !p.ok()) return p.status();
    auto existing = c.query(
        "SELECT e.id, e.ref, (SELECT COUNT(*) FROM programme_indicators i WHERE i.element_id = e.id)"
        " FROM programme_elements e WHERE e.programme_id = $1",
        {id});
    if (!existing.ok()) return existing.status();
    std::map<std::string, std::pair<int64_t, int64_t>> old;  // ref -> (id, indicators)
    for (const auto& r : *existing) old[r.text(1)] = {r.integer(0), r.integer(2)};
    std::map<std::string, size_t> position;
    for (size_t i = 0; i < in.elements.size(); ++i) position[in.elements[i].ref] = i;
    for (const auto& [ref, o] : old) {
      if (o.second > 0 && !position.count(ref)) {
        return field_problem("elements", "'" + ref + "' has " + std::to_string(o.second) +
                                             (o.second == 1 ? " indicator" : " indicators") +
                                             ": remove them before removing it from the theory of change");
      }
    }
    for (size_t i = 0; i < in.elements.size(); ++i) {
      auto it = old.find(in.elements[i].ref);
      if (it != old.end() && it->second.second > 0 && !is_measurable_stage(in.elements[i].stage)) {
        return field_problem(at("elements", i) + ".stage",
                             "'" + in.elements[i].ref +
                                 "' has indicators, which measure outputs and outcomes: keep it an output or outcome,"
                                 " or remove its indicators first");
      }
    }
    if (auto r = c.execute("DELETE FROM programme_links WHERE programme_id = $1", {id}); !r.ok()) return r.status();
    for (const auto& [ref, o] : old) {
      if (position.count(ref)) continue;
      if (auto r = c.execute("DELETE FROM programme_elements WHERE id = $1", {o.first}); !r.ok()) return r.status();
    }
    std::map<std::string, int64_t> ids;
    for (size_t i = 0; i < in.elements.size(); ++i) {
      const ElementInput& e = in.elements[i];
      auto pos = static_cast<int64_t>(i);
      auto it = old.find(e.ref);
      if (it != old.end()) {
        auto r = c.execute("UPDATE programme_elements SET stage = $1, text = $2, position = $3 WHERE id = $4",
                           {e.stage, e.text, pos, it->second.first});
        if (!r.ok()) return r.status();
        ids[e.ref] = it->second.first;
      } else {
        auto r = c.query_one(
            "INSERT INTO programme_elements (programme_id, ref, stage, text, position) VALUES ($1, $2, $3, $4, $5)"
            " RETURNING id",
            {id, e.ref, e.stage, e.text, pos});
        if (!r.ok()) return r.status();
        ids[e.ref] = r->integer(0);
      }
    }
    for (size_t i = 0; i < in.links.size(); ++i) {
      const LinkInput& l = in.links[i];
      auto r = c.execute(
          "INSERT INTO programme_links (programme_id, from_element, to_element, assumptions, conditions, position)"
          " VALUES ($1, $2, $3, $4, $5, $6)",
          {id, ids[l.from], ids[l.to], l.assumptions, l.conditions, static_cast<int64_t>(i)});
      if (!r.ok()) return r.status();
    }
    if (auto r = c.execute("UPDATE programmes SET updated_at = $1 WHERE id = $2", {format_timestamp(clock_.now()), id});
        !r.ok())
      return r.status();
    if (Status s = involvement::record_action(c, clock_, org, actor, "programme.theory-of-change", "programme", id);
        !s.ok())
      return s;
    return load_toc(c, id);
  });
}

StatusOr<std::vector<Indicator>> Programmes::indicators(int64_t org, int64_t id, const Actor& actor) {
  std::string today = today_of(clock_);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<Indicator>> {
    auto p = load_programme(c, org, id);
    if (!p.ok()) return p.status();
    return load_indicators(c, org, *p, today, std::nullopt, {learning_, clock_, &actor});
  });
}

StatusOr<Indicator> Programmes::indicator(int64_t org, int64_t id, int64_t indicator_id, const Actor& actor) {
  std::string today = today_of(clock_);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Indicator> {
    auto p = load_programme(c, org, id);
    if (!p.ok()) return p.status();
    auto list = load_indicators(c, org, *p, today, indicator_id, {learning_, clock_, &actor});
    if (!list.ok()) return list.status();
    if (list->empty()) return NotFound("There is no such indicator in this programme");
    return std::move(list->front());
  });
}

StatusOr<Indicator> Programmes::add_indicator(int64_t org, int64_t id, const IndicatorInput& input,
                                              const Actor& actor) {
  IndicatorDefinition d = input.definition;
  for (std::string* s : {&d.name, &d.definition, &d.unit, &d.direction, &d.frequency, &d.source, &d.measure,
                         &d.baseline_date, &d.target_date, &d.category, &d.category_value, &d.question})
    *s = trim_copy(*s);
  for (std::string& o : d.options) o = trim_copy(o);
  std::string ref = trim_copy(input.element);
  std::vector<FieldError> problems;
  if (ref.empty()) problems.push_back({"element", "Choose the output or outcome it measures", Problem::kMissing});
  append(problems, validate(d));
  if (Status s = involvement::first_problem(problems); !s.ok()) return s;
  std::string today = today_of(clock_);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Indicator> {
    auto p = load_programme(c, org, id);
    if (!p.ok()) return p.status();
    auto element = c.query("SELECT id, stage FROM programme_elements WHERE programme_id = $1 AND ref = $2", {id, ref});
    if (!element.ok()) return element.status();
    if (element->empty())
      return field_problem("element", "There is no element '" + ref + "' in the programme's theory of change");
    std::string stage = element->front().text(1);
    if (!is_measurable_stage(stage)) {
      return field_problem(
          "element", "Indicators measure outputs and outcomes: '" + ref + "' is at the stage " + stage_label(stage));
    }
    if (d.source == "survey") {
      if (Status s = check_survey_question(c, org, d); !s.ok()) return s;
    }
    auto count = c.query_one("SELECT COUNT(*) FROM programme_indicators WHERE programme_id = $1", {id});
    if (!count.ok()) return count.status();
    if (count->integer(0) >= static_cast<int64_t>(kMaxIndicators)) {
      return field_problem("name", "A programme can have up to " + std::to_string(kMaxIndicators) + " indicators",
                           Problem::kTooLong);
    }
    auto row = c.query_one(
        "INSERT INTO programme_indicators (programme_id, element_id, name, definition, unit, direction, frequency,"
        " source, measure, baseline_value, baseline_date, target_value, target_date, created_at, category,"
        " category_value, survey_id, question, options)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
        {id, element->front().integer(0), d.name, d.definition, d.unit, d.direction, d.frequency, d.source, d.measure,
         d.baseline_value, d.baseline_date.empty() ? store::Value() : store::Value(d.baseline_date), d.target_value,
         d.target_date.empty() ? store::Value() : store::Value(d.target_date), format_timestamp(clock_.now()),
         d.category, d.category_value, d.survey_id ? store::Value(*d.survey_id) : store::Value(), d.question,
         json(d.options).dump()});
    if (!row.ok()) return row.status();
    int64_t iid = row->integer(0);
    if (Status s = involvement::record_action(c, clock_, org, actor, "programme.indicator.add", "programme", id);
        !s.ok())
      return s;
    auto list = load_indicators(c, org, *p, today, iid, {learning_, clock_, &actor});
    if (!list.ok()) return list.status();
    return std::move(list->front());
  });
}

Status Programmes::remove_indicator(int64_t org, int64_t id, int64_t indicator_id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    if (auto p = load_programme(c, org, id); !p.ok()) return p.status();
    auto found = c.query("SELECT id FROM programme_indicators WHERE id = $1 AND programme_id = $2", {indicator_id, id});
    if (!found.ok()) return found.status();
    if (found->empty()) return NotFound("There is no such indicator in this programme");
    if (auto r = c.execute("DELETE FROM programme_measurements WHERE indicator_id = $1", {indicator_id}); !r.ok())
      return r.status();
    if (auto r = c.execute("DELETE FROM programme_indicators WHERE id = $1", {indicator_id}); !r.ok())
      return r.status();
    return involvement::record_action(c, clock_, org, actor, "programme.indicator.remove", "programme", id);
  });
}

StatusOr<Indicator> Programmes::add_measurement(int64_t org, int64_t id, int64_t indicator_id,
                                                const MeasurementInput& input, const Actor& actor) {
  std::string today = today_of(clock_);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Indicator> {
    auto p = load_programme(c, org, id);
    if (!p.ok()) return p.status();
    auto row = c.query(std::string("SELECT ") + kIndicatorColumns +
                           " FROM programme_indicators i JOIN programme_elements e ON e.id = i.element_id"
                           " WHERE i.id = $1 AND i.programme_id = $2",
                       {indicator_id, id});
    if (!row.ok()) return row.status();
    if (row->empty()) return NotFound("There is no such indicator in this programme");
    Indicator ind = indicator_of(row->front());
    const IndicatorDefinition& d = ind.definition;
    if (Status s = involvement::first_problem(validate(input, d, today)); !s.ok()) return s;
    std::optional<MeasurePeriod> period = parse_measure_period(trim_copy(input.period), d.frequency);
    std::string evidence = trim_copy(input.evidence);
    auto dup = c.query("SELECT id FROM programme_measurements WHERE indicator_id = $1 AND period = $2",
                       {indicator_id, period->label});
    if (!dup.ok()) return dup.status();
    if (!dup->empty()) {
      return Status(StatusCode::kConflict, "There is already a measurement for " + period->label,
                    Location{"", 0, 0, "period"});
    }
    auto ins = c.execute(
        "INSERT INTO programme_measurements (indicator_id, period, value, evidence, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        {indicator_id, period->label, *input.value, evidence, actor.user_id, format_timestamp(clock_.now())});
    if (!ins.ok()) return ins.status();
    if (Status s = involvement::record_action(c, clock_, org, actor, "programme.measurement.add", "programme", id);
        !s.ok())
      return s;
    auto list = load_indicators(c, org, *p, today, indicator_id, {learning_, clock_, &actor});
    if (!list.ok()) return list.status();
    return std::move(list->front());
  });
}

StatusOr<std::vector<StaffGrade>> Programmes::staff_grades(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT name, hourly_pence, on_cost_percent FROM staff_grades WHERE organisation_id = $1 ORDER BY name", {org});
  if (!rows.ok()) return rows.status();
  std::vector<StaffGrade> out;
  for (const auto& r : *rows) out.push_back({r.text(0), r.integer(1), r.real(2)});
  return out;
}

StatusOr<std::vector<StaffGrade>> Programmes::save_staff_grades(int64_t org, const std::vector<StaffGrade>& grades,
                                                                const Actor& actor) {
  std::vector<StaffGrade> in = grades;
  for (auto& g : in) g.name = trim_copy(g.name);
  if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
  Status saved = store::in_write_transaction(db_, [&](Connection& c) -> Status {
    if (auto r = c.execute("DELETE FROM staff_grades WHERE organisation_id = $1", {org}); !r.ok()) return r.status();
    std::string now = format_timestamp(clock_.now());
    for (const auto& g : in) {
      auto r = c.execute(
          "INSERT INTO staff_grades (organisation_id, name, hourly_pence, on_cost_percent, updated_at)"
          " VALUES ($1, $2, $3, $4, $5)",
          {org, g.name, g.hourly_pence, g.on_cost_percent, now});
      if (!r.ok()) return r.status();
    }
    return involvement::record_action(c, clock_, org, actor, "staff-grades.update", "organisation", org);
  });
  if (!saved.ok()) return saved;
  return staff_grades(org);
}

StatusOr<ProgrammeCost> Programmes::add_cost(int64_t org, int64_t id, const CostInput& input, const Actor& actor) {
  CostInput in = input;
  in.kind = trim_copy(in.kind);
  in.date = trim_copy(in.date);
  in.note = trim_copy(in.note);
  in.grade = trim_copy(in.grade);
  if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<ProgrammeCost> {
    if (auto p = load_programme(c, org, id); !p.ok()) return p.status();
    ProgrammeCost cost;
    cost.kind = in.kind;
    cost.date = in.date;
    cost.note = in.note;
    cost.activity_id = in.activity_id;
    if (in.activity_id) {
      auto found = c.query(std::string("SELECT x.id FROM (") + kScopeActivities + ") x WHERE x.id = $3",
                           {org, id, *in.activity_id});
      if (!found.ok()) return found.status();
      if (found->empty()) {
        return field_problem("activity_id", "Activity " + std::to_string(*in.activity_id) +
                                                " is not one of the programme's: its group or the activity must be"
                                                " part of the programme");
      }
    }
    if (in.kind == "staff_time") {
      auto g = c.query(
          "SELECT name, hourly_pence, on_cost_percent FROM staff_grades"
          " WHERE organisation_id = $1 AND name = $2",
          {org, in.grade});
      if (!g.ok()) return g.status();
      if (g->empty()) return field_problem("grade", "There is no staff grade '" + in.grade + "': add it to the grades");
      StaffGrade grade{g->front().text(0), g->front().integer(1), g->front().real(2)};
      cost.amount_pence = staff_time_pence(grade, *in.hours);
      cost.grade = grade.name;
      cost.hours = in.hours;
      cost.hourly_pence = grade.hourly_pence;
      cost.on_cost_percent = grade.on_cost_percent;
    } else {
      cost.amount_pence = *in.amount_pence;
    }
    auto count = c.query_one("SELECT COUNT(*) FROM programme_costs WHERE programme_id = $1", {id});
    if (!count.ok()) return count.status();
    if (count->integer(0) >= static_cast<int64_t>(kMaxEnteredCosts)) {
      return field_problem(
          "kind", "A programme can have up to " + std::to_string(kMaxEnteredCosts) + " costs entered: combine some",
          Problem::kTooLong);
    }
    auto row = c.query_one(
        "INSERT INTO programme_costs (programme_id, kind, amount_pence, incurred_on, note, activity_id, grade, hours,"
        " hourly_pence, on_cost_percent, created_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        {id, cost.kind, cost.amount_pence, cost.date, cost.note, cost.activity_id, cost.grade, cost.hours,
         cost.hourly_pence, cost.on_cost_percent, actor.user_id, format_timestamp(clock_.now())});
    if (!row.ok()) return row.status();
    cost.id = row->integer(0);
    if (Status s = involvement::record_action(c, clock_, org, actor, "programme.cost.add", "programme", id); !s.ok())
      return s;
    return cost;
  });
}

Status Programmes::remove_cost(int64_t org, int64_t id, int64_t cost_id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    if (auto p = load_programme(c, org, id); !p.ok()) return p.status();
    auto done = c.execute("DELETE FROM programme_costs WHERE id = $1 AND programme_id = $2", {cost_id, id});
    if (!done.ok()) return done.status();
    if (*done == 0) return NotFound("There is no such cost in this programme");
    return involvement::record_action(c, clock_, org, actor, "programme.cost.remove", "programme", id);
  });
}

StatusOr<CostReport> Programmes::costs(int64_t org, int64_t id, const std::optional<Period>& asked) {
  return in_read_transaction(db_, [&](Connection& c) -> StatusOr<CostReport> {
    auto p = load_programme(c, org, id);
    if (!p.ok()) return p.status();
    auto period = period_for(*p, asked);
    if (!period.ok()) return period.status();
    return cost_report(c, org, *p, *period);
  });
}

StatusOr<std::vector<Outcome>> Programmes::outcomes(int64_t org, int64_t id) {
  return in_read_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<Outcome>> {
    if (auto p = load_programme(c, org, id); !p.ok()) return p.status();
    return load_outcomes(c, id);
  });
}

StatusOr<Outcome> Programmes::add_outcome(int64_t org, int64_t id, const OutcomeInput& input, const Actor& actor) {
  OutcomeInput in = input;
  in.name = trim_copy(in.name);
  in.proxy = trim_copy(in.proxy);
  in.source = trim_copy(in.source);
  in.quantity_source = trim_copy(in.quantity_source);
  if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
  Outcome o;
  o.proxy = in.proxy;
  o.valued = valued_outcome(in);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Outcome> {
    if (auto p = load_programme(c, org, id); !p.ok()) return p.status();
    auto count = c.query_one("SELECT COUNT(*) FROM programme_outcomes WHERE programme_id = $1", {id});
    if (!count.ok()) return count.status();
    if (count->integer(0) >= static_cast<int64_t>(kMaxOutcomes)) {
      return field_problem("name", "A business case can value up to " + std::to_string(kMaxOutcomes) + " outcomes",
                           Problem::kTooLong);
    }
    const ValuedOutcome& v = o.valued;
    auto row = c.query_one(
        "INSERT INTO programme_outcomes (programme_id, name, quantity, quantity_source, value_pence, proxy, source,"
        " price_year, duration_years, deadweight, attribution, displacement, drop_off, ranges, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        {id, v.name, v.quantity, v.quantity_source, v.value_pence, o.proxy, v.source, v.price_year, v.duration_years,
         v.deadweight, v.attribution, v.displacement, v.drop_off, ranges_json(v.ranges).dump(),
         format_timestamp(clock_.now())});
    if (!row.ok()) return row.status();
    o.id = row->integer(0);
    o.valued.id = o.id;
    if (Status s = involvement::record_action(c, clock_, org, actor, "programme.outcome.add", "programme", id); !s.ok())
      return s;
    return o;
  });
}

Status Programmes::remove_outcome(int64_t org, int64_t id, int64_t outcome_id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    if (auto p = load_programme(c, org, id); !p.ok()) return p.status();
    auto done = c.execute("DELETE FROM programme_outcomes WHERE id = $1 AND programme_id = $2", {outcome_id, id});
    if (!done.ok()) return done.status();
    if (*done == 0) return NotFound("There is no such outcome in this programme");
    return involvement::record_action(c, clock_, org, actor, "programme.outcome.remove", "programme", id);
  });
}

StatusOr<ProgrammeReach> Programmes::reach(int64_t org, int64_t id, const std::optional<Period>& asked,
                                           const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<ProgrammeReach> {
    auto p = load_programme(c, org, id);
    if (!p.ok()) return p.status();
    auto period = period_for(*p, asked);
    if (!period.ok()) return period.status();
    return detail::reach(c, org, *p, *period, clock_, actor);
  });
}

StatusOr<ProgrammeBusinessCase> Programmes::business_case(int64_t org, int64_t id, const std::optional<Period>& asked) {
  return in_read_transaction(db_, [&](Connection& c) -> StatusOr<ProgrammeBusinessCase> {
    auto p = load_programme(c, org, id);
    if (!p.ok()) return p.status();
    auto period = period_for(*p, asked);
    if (!period.ok()) return period.status();
    auto report = cost_report(c, org, *p, *period);
    if (!report.ok()) return report.status();
    auto outcomes = load_outcomes(c, id);
    if (!outcomes.ok()) return outcomes.status();
    BusinessCaseInput in;
    in.discount_rate_percent = p->details.discount_rate;
    for (const auto& o : *outcomes) in.outcomes.push_back(o.valued);
    for (const auto& cost : report->entered) {
      std::string label = label_of(cost_kinds(), cost.kind);
      if (!cost.note.empty()) label += ": " + cost.note;
      in.costs.push_back({label, cost.date, cost.amount_pence});
    }
    for (const auto& m : report->paid) {
      if (m.payments_pence) in.costs.push_back({"Payments for time, " + m.month, m.last_date, m.payments_pence});
      if (m.expenses_pence) in.costs.push_back({"Expenses, " + m.month, m.last_date, m.expenses_pence});
    }
    if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
    return ProgrammeBusinessCase{*period, compute(in)};
  });
}

}  // namespace coproduce::impact
