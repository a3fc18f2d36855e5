#include "impact/theory_of_change.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "core/dates.h"
#include "core/text.h"
#include "impact/benchmark.h"
#include "report/format.h"

namespace coproduce::impact {
namespace {

namespace chr = std::chrono;

bool has(const CodeList& list, std::string_view code) {
  return std::any_of(list.begin(), list.end(), [&](const auto& p) { return p.first == code; });
}

std::string label_in(const CodeList& list, std::string_view code) {
  for (const auto& [c, l] : list)
    if (c == code) return l;
  return std::string(code);
}

std::string codes_of(const CodeList& list) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out += i + 1 == list.size() ? " or " : ", ";
    out += list[i].first;
  }
  return out;
}

std::string at(const char* list, size_t i) { return std::string(list) + "." + std::to_string(i); }

// A number with at most two decimal places, trailing zeros dropped: "12", "12.5", "0.31".
std::string plain_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

}  // namespace

// ---- Stages and the theory of change ---------------------------------------------

const CodeList& stages() {
  static const CodeList kStages = {{"input", "Input"},
                                   {"activity", "Activity"},
                                   {"output", "Output"},
                                   {"outcome_short", "Short-term outcome"},
                                   {"outcome_medium", "Medium-term outcome"},
                                   {"outcome_long", "Long-term outcome"},
                                   {"impact", "Impact"}};
  return kStages;
}

int stage_order(std::string_view stage) {
  const CodeList& all = stages();
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].first == stage) return static_cast<int>(i);
  return -1;
}

bool is_measurable_stage(std::string_view stage) {
  return stage == "output" || stage == "outcome_short" || stage == "outcome_medium" || stage == "outcome_long";
}

std::string stage_label(std::string_view stage) { return label_in(stages(), stage); }

std::vector<FieldError> validate(const TheoryOfChangeInput& in) {
  std::vector<FieldError> errors;
  if (in.elements.size() > kMaxElements) {
    errors.push_back({"elements", "A theory of change can have up to " + std::to_string(kMaxElements) + " elements",
                      Problem::kTooLong});
  }
  if (in.links.size() > kMaxLinks) {
    errors.push_back(
        {"links", "A theory of change can have up to " + std::to_string(kMaxLinks) + " links", Problem::kTooLong});
  }
  if (!errors.empty()) return errors;

  std::map<std::string, std::string> stage_of;  // ref -> stage, for the links
  for (size_t i = 0; i < in.elements.size(); ++i) {
    const ElementInput& e = in.elements[i];
    std::string which = "Element " + std::to_string(i + 1);
    std::string ref = trim_copy(e.ref);
    if (ref.empty()) {
      errors.push_back({at("elements", i) + ".ref", which + " needs a reference, like O1", Problem::kMissing});
    } else if (utf8_length(ref) > kMaxRefLength) {
      errors.push_back({at("elements", i) + ".ref",
                        which + "'s reference must be " + std::to_string(kMaxRefLength) + " characters or fewer",
                        Problem::kTooLong});
    } else if (stage_of.count(ref)) {
      errors.push_back({at("elements", i) + ".ref", which + "'s reference '" + ref + "' is used by another element",
                        Problem::kDuplicate});
    }
    std::string stage = trim_copy(e.stage);
    if (stage.empty()) {
      errors.push_back(
          {at("elements", i) + ".stage", which + " needs a stage: " + codes_of(stages()), Problem::kMissing});
    } else if (stage_order(stage) < 0) {
      errors.push_back({at("elements", i) + ".stage",
                        which + "'s stage '" + stage + "' is not one of " + codes_of(stages()), Problem::kUnknownCode});
    }
    std::string text = trim_copy(e.text);
    if (text.empty()) {
      errors.push_back({at("elements", i) + ".text", which + " needs a description", Problem::kMissing});
    } else if (utf8_length(text) > kMaxElementText) {
      errors.push_back({at("elements", i) + ".text",
                        which + "'s description must be " +
                            report::group_thousands(static_cast<int64_t>(kMaxElementText)) + " characters or fewer",
                        Problem::kTooLong});
    }
    if (!ref.empty() && !stage_of.count(ref)) stage_of[ref] = stage;
  }

  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < in.links.size(); ++i) {
    const LinkInput& l = in.links[i];
    std::string which = "Link " + std::to_string(i + 1);
    std::string from = trim_copy(l.from), to = trim_copy(l.to);
    bool ends_ok = true;
    for (auto [key, ref] : {std::pair{"from", from}, std::pair{"to", to}}) {
      std::string field = at("links", i) + "." + key;
      if (ref.empty()) {
        errors.push_back({field, which + " needs the element it goes " + key, Problem::kMissing});
        ends_ok = false;
      } else if (!stage_of.count(ref)) {
        errors.push_back(
            {field, which + " goes " + key + " '" + ref + "', which is not an element in the list", Problem::kInvalid});
        ends_ok = false;
      }
    }
    if (ends_ok) {
      int a = stage_order(stage_of[from]), b = stage_order(stage_of[to]);
      if (from == to) {
        errors.push_back({at("links", i) + ".to", which + " joins '" + from + "' to itself", Problem::kOutOfOrder});
      } else if (a >= 0 && b >= 0 && b <= a) {
        errors.push_back({at("links", i) + ".to",
                          which + " must go on to a later stage: '" + to + "' (" + stage_label(stage_of[to]) +
                              ") does not come after '" + from + "' (" + stage_label(stage_of[from]) + ")",
                          Problem::kOutOfOrder});
      } else if (!seen.insert({from, to}).second) {
        errors.push_back({at("links", i) + ".to", which + " from '" + from + "' to '" + to + "' is given twice",
                          Problem::kDuplicate});
      }
    }
    for (auto [key, text] : {std::pair{"assumptions", &l.assumptions}, std::pair{"conditions", &l.conditions}}) {
      if (utf8_length(trim_copy(*text)) > kMaxLinkText) {
        errors.push_back({at("links", i) + "." + key,
                          which + "'s " + key + " must be " +
                              report::group_thousands(static_cast<int64_t>(kMaxLinkText)) + " characters or fewer",
                          Problem::kTooLong});
      }
    }
  }
  return errors;
}

// ---- Indicators ---------------------------------------------------------------------

const CodeList& indicator_units() {
  static const CodeList kUnits = {
      {"count", "Count"},   {"percentage", "Percentage"}, {"points", "Percentage points"},
      {"score", "Score"},   {"money", "Money"}};
  return kUnits;
}

const CodeList& indicator_directions() {
  static const CodeList kDirections = {{"higher", "Higher is better"}, {"lower", "Lower is better"}};
  return kDirections;
}

const CodeList& indicator_frequencies() {
  static const CodeList kFrequencies = {{"monthly", "Monthly"}, {"quarterly", "Quarterly"}};
  return kFrequencies;
}

const CodeList& indicator_sources() {
  static const CodeList kSources = {{"manual", "Entered by hand, with the evidence"},
                                    {"platform", "Worked out from the platform's records"},
                                    {"survey", "A survey question: the share choosing given answers"}};
  return kSources;
}

const CodeList& platform_measures() {
  static const CodeList kMeasures = {
      {"places", "Places taken up"},
      {"people", "People involved"},
      {"newcomer_share", "Share of places to newcomers"},
      {"top_tenth_share", "Share of places held by the most involved tenth"},
      {"gini", "Gini coefficient of places per person"},
      {"benchmark_gap", "Gap against the benchmark for one group of people"},
      {"total_paid", "Total paid to people for their time and expenses"},
      {"lead_rung", "Average rung reached, as the lead rated it"},
      {"member_rung", "Average rung reached, as members rated it"},
      {"actions_on_time", "Share of 'you said, we did' actions done by their date"},
      {"learning_coverage", "Share of staff who have done the programme's learning"},
  };
  return kMeasures;
}

std::string measure_unit(std::string_view m) {
  if (m == "places" || m == "people") return "count";
  if (m == "newcomer_share" || m == "top_tenth_share" || m == "actions_on_time" || m == "learning_coverage")
    return "percentage";
  if (m == "benchmark_gap") return "points";
  if (m == "gini" || m == "lead_rung" || m == "member_rung") return "score";
  if (m == "total_paid") return "money";
  return "";
}

std::vector<FieldError> check_value(const std::string& field, const std::string& unit, double v) {
  std::vector<FieldError> errors;
  std::string what = field;  // "baseline_value" is "The baseline value"
  std::replace(what.begin(), what.end(), '_', ' ');
  if (!std::isfinite(v) || std::fabs(v) > kMaxIndicatorValue) {
    errors.push_back(
        {field, "The " + what + " must be a number no bigger than a million million", Problem::kOutOfRange});
  } else if (unit == "percentage" && (v < 0 || v > 100)) {
    errors.push_back(
        {field, "The " + what + " is a percentage, so it must be between 0 and 100", Problem::kOutOfRange});
  } else if (unit == "points" && (v < -100 || v > 100)) {
    errors.push_back({field, "The " + what + " is in percentage points, so it must be between -100 and 100",
                      Problem::kOutOfRange});
  } else if ((unit == "count" || unit == "money") && v < 0) {
    errors.push_back({field, "The " + what + " cannot be negative", Problem::kOutOfRange});
  } else if (unit == "money" && v != std::floor(v)) {
    errors.push_back({field, "The " + what + " is money, so it must be a whole number of pence", Problem::kInvalid});
  }
  return errors;
}

namespace {

// The benchmark category and value of a benchmark_gap indicator, and none
// for any other.
std::vector<FieldError> check_gap_fields(const IndicatorDefinition& d) {
  std::vector<FieldError> errors;
  if (d.source != "platform" || d.measure != "benchmark_gap") {
    if (!d.category.empty() || !d.category_value.empty()) {
      errors.push_back({d.category.empty() ? "category_value" : "category",
                        "Only a benchmark gap indicator has a benchmark category", Problem::kInvalid});
    }
    return errors;
  }
  std::string categories;
  for (const auto& c : benchmark_categories()) categories += (categories.empty() ? "" : ", ") + c.code;
  const BenchmarkCategory* category = nullptr;
  if (d.category.empty()) {
    errors.push_back({"category", "Choose the benchmark category: " + categories, Problem::kMissing});
  } else if (category = find_category(d.category); category == nullptr || category->code != d.category) {
    errors.push_back({"category", "'" + d.category + "' is not one of " + categories, Problem::kUnknownCode});
    category = nullptr;
  }
  if (d.category_value.empty()) {
    errors.push_back({"category_value", "Choose the group of people whose gap is measured", Problem::kMissing});
  } else if (category) {
    const BenchmarkValue* value = find_value(*category, d.category_value);
    if (value == nullptr || value->code != d.category_value) {
      std::string values;
      for (const auto& v : category->values) values += (values.empty() ? "" : ", ") + v.code;
      errors.push_back({"category_value", "'" + d.category_value + "' is not one of " + values, Problem::kUnknownCode});
    }
  }
  return errors;
}

// The survey, question and options of a survey indicator, and none for any
// other.
std::vector<FieldError> check_survey_fields(const IndicatorDefinition& d, bool unit_ok) {
  std::vector<FieldError> errors;
  if (d.source != "survey") {
    if (d.survey_id || !d.question.empty() || !d.options.empty()) {
      errors.push_back({d.survey_id ? "survey_id" : (!d.question.empty() ? "question" : "options"),
                        "Only a survey indicator names a survey, question and answers", Problem::kInvalid});
    }
    return errors;
  }
  if (!d.survey_id)
    errors.push_back({"survey_id", "Choose the survey", Problem::kMissing});
  else if (*d.survey_id < 1)
    errors.push_back({"survey_id", "The survey must be one of your surveys", Problem::kInvalid});
  if (trim_copy(d.question).empty())
    errors.push_back({"question", "Choose the question", Problem::kMissing});
  else if (d.question.size() > 100)
    errors.push_back({"question", "A question code is 100 characters or fewer", Problem::kTooLong});
  if (d.options.empty()) {
    errors.push_back({"options", "Choose at least one answer to count", Problem::kMissing});
  } else if (d.options.size() > 50) {
    errors.push_back({"options", "Choose 50 answers or fewer", Problem::kTooLong});
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < d.options.size(); ++i) {
      if (trim_copy(d.options[i]).empty())
        errors.push_back({"options." + std::to_string(i), "An answer's code cannot be blank", Problem::kMissing});
      else if (!seen.insert(d.options[i]).second)
        errors.push_back({"options." + std::to_string(i), "'" + d.options[i] + "' is chosen twice", Problem::kDuplicate});
    }
  }
  if (unit_ok && d.unit != "percentage") {
    errors.push_back({"unit", "A survey indicator is the percentage choosing the answers, so its unit is percentage",
                      Problem::kInvalid});
  }
  return errors;
}

}  // namespace

std::vector<FieldError> validate(const IndicatorDefinition& d) {
  std::vector<FieldError> errors;
  auto append = [&](std::vector<FieldError> more) {
    for (auto& e : more) errors.push_back(std::move(e));
  };
  std::string name = trim_copy(d.name);
  if (name.empty())
    errors.push_back({"name", "Enter the indicator's name", Problem::kMissing});
  else if (utf8_length(name) > 200)
    errors.push_back({"name", "The name must be 200 characters or fewer", Problem::kTooLong});
  if (utf8_length(d.definition) > 4000) {
    errors.push_back({"definition", "The definition must be 4,000 characters or fewer", Problem::kTooLong});
  }
  auto coded = [&](const char* field, const std::string& value, const CodeList& list, const std::string& missing) {
    if (value.empty()) {
      errors.push_back({field, missing, Problem::kMissing});
      return false;
    }
    if (!has(list, value)) {
      errors.push_back({field, "'" + value + "' is not one of " + codes_of(list), Problem::kUnknownCode});
      return false;
    }
    return true;
  };
  bool unit_ok = coded("unit", d.unit, indicator_units(), "Choose the unit: " + codes_of(indicator_units()));
  coded("direction", d.direction, indicator_directions(), "Say which direction is better: higher or lower");
  coded("frequency", d.frequency, indicator_frequencies(), "Say how often it is measured: monthly or quarterly");
  if (coded("source", d.source, indicator_sources(),
            "Say where the measurements come from: manual (entered by hand with the evidence), platform or survey")) {
    if (d.source == "platform") {
      if (d.measure.empty()) {
        errors.push_back(
            {"measure", "Choose the platform measure: " + codes_of(platform_measures()), Problem::kMissing});
      } else if (!has(platform_measures(), d.measure)) {
        errors.push_back(
            {"measure", "'" + d.measure + "' is not one of " + codes_of(platform_measures()), Problem::kUnknownCode});
      } else if (unit_ok && measure_unit(d.measure) != d.unit) {
        errors.push_back({"unit",
                          "The measure " + d.measure + " is in the unit " + measure_unit(d.measure) + ", not " + d.unit,
                          Problem::kInvalid});
      }
    } else if (!d.measure.empty()) {
      errors.push_back({"measure", "Only platform indicators have a measure", Problem::kInvalid});
    }
    append(check_gap_fields(d));
    append(check_survey_fields(d, unit_ok));
  }
  bool dates_ok = true;
  for (auto [what, value, date] : {std::tuple{"baseline", &d.baseline_value, &d.baseline_date},
                                   std::tuple{"target", &d.target_value, &d.target_date}}) {
    std::string v_field = std::string(what) + "_value", d_field = std::string(what) + "_date";
    if (value->has_value() && date->empty()) {
      errors.push_back({d_field, "Enter the date of the " + std::string(what), Problem::kMissing});
      dates_ok = false;
    } else if (!value->has_value() && !date->empty()) {
      errors.push_back({v_field, "Enter the " + std::string(what) + " value for that date", Problem::kMissing});
    }
    if (!date->empty() && !is_date(*date)) {
      errors.push_back(
          {d_field, "The " + std::string(what) + " date must be a real date, like 2026-04-01", Problem::kNotADate});
      dates_ok = false;
    }
    if (value->has_value() && unit_ok) append(check_value(v_field, d.unit, **value));
  }
  if (dates_ok && !d.baseline_date.empty() && !d.target_date.empty() && d.target_date < d.baseline_date) {
    errors.push_back({"target_date", "The target date must be on or after the baseline date, " + d.baseline_date,
                      Problem::kOutOfOrder});
  }
  return errors;
}

// ---- Measurement periods -------------------------------------------------------------

namespace {

MeasurePeriod month_period(chr::year_month ym) {
  char label[16];
  std::snprintf(label, sizeof label, "%04d-%02u", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month()));
  return {label, format_date(ym / chr::day(1)), format_date(ym / chr::last)};
}

MeasurePeriod quarter_period(chr::year y, unsigned q) {
  chr::year_month first{y, chr::month(3 * (q - 1) + 1)};
  chr::year_month last = first + chr::months(2);
  return {std::to_string(static_cast<int>(y)) + "-Q" + std::to_string(q), format_date(first / chr::day(1)),
          format_date(last / chr::last)};
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<MeasurePeriod> parse_measure_period(std::string_view text, std::string_view frequency) {
  if (text.size() < 7 || !digits(text.substr(0, 4)) || text[4] != '-') return std::nullopt;
  int year = std::stoi(std::string(text.substr(0, 4)));
  if (year < 1900 || year > 2200) return std::nullopt;
  if (frequency == "monthly") {
    if (text.size() != 7 || !digits(text.substr(5, 2))) return std::nullopt;
    unsigned m = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
    if (m < 1 || m > 12) return std::nullopt;
    return month_period(chr::year(year) / chr::month(m));
  }
  if (frequency == "quarterly") {
    if (text.size() != 7 || text[5] != 'Q' || text[6] < '1' || text[6] > '4') return std::nullopt;
    return quarter_period(chr::year(year), static_cast<unsigned>(text[6] - '0'));
  }
  return std::nullopt;
}

MeasurePeriod period_holding(const std::string& date, std::string_view frequency) {
  auto d = parse_date(date);
  assert(d && "period_holding needs a real date");
  if (frequency == "quarterly") return quarter_period(d->year(), (static_cast<unsigned>(d->month()) - 1) / 3 + 1);
  return month_period(d->year() / d->month());
}

std::vector<MeasurePeriod> periods_between(const std::string& from, const std::string& to, std::string_view frequency) {
  std::vector<MeasurePeriod> out;
  if (to < from) return out;
  MeasurePeriod p = period_holding(from, frequency);
  for (;;) {
    out.push_back(p);
    if (p.to >= to) break;
    p = period_holding(add_days(p.to, 1), frequency);
  }
  return out;
}

// ---- Status against target --------------------------------------------------------------

std::string show_value(const std::string& unit, double v) {
  if (unit == "money") return report::format_money(static_cast<int64_t>(std::llround(v)));
  std::string s = plain_number(v);
  if (unit == "points") return s + (std::fabs(v) == 1 ? " point" : " points");
  return unit == "percentage" ? s + "%" : s;
}

TargetStatus status_against_target(const IndicatorDefinition& d, const std::optional<Observation>& latest) {
  TargetStatus s;
  bool higher = d.direction != "lower";
  std::string beyond = higher ? "at or above" : "at or below";
  auto show = [&](double v) { return show_value(d.unit, v); };
  if (!d.target_value) {
    s.code = "no_target";
    s.label = "No target";
    s.rule = "There is no status against a target until the indicator has a target.";
    return s;
  }
  double target = *d.target_value;
  s.rule = std::string(higher ? "Higher is better." : "Lower is better.") + " Met when the latest measurement is " +
           beyond + " the target of " + show(target) + " (by " + d.target_date + "). Otherwise: not met once the " +
           "target date has passed; ";
  if (d.baseline_value) {
    s.rule += "before then, on track when it is " + beyond + " the straight line from the baseline of " +
              show(*d.baseline_value) + " on " + d.baseline_date + " to the target, read at the measurement's date " +
              "(the last day of its period), and off track when it is not.";
  } else {
    s.rule += "before then, not yet met: with no baseline there is no path to judge progress against.";
  }
  if (!latest) {
    s.code = "no_measurement";
    s.label = "No measurement yet";
    return s;
  }
  double v = latest->value;
  std::string measured = "The latest measurement, " + show(v) + " on " + latest->date + ",";
  auto reaches = [&](double x, double line) {
    // Values are read from text and sums, so a difference in the twelfth
    // significant figure is treated as equal.
    double tolerance = 1e-9 * std::max(1.0, std::fabs(line));
    return higher ? x >= line - tolerance : x <= line + tolerance;
  };
  if (reaches(v, target)) {
    s.code = "met";
    s.label = "Met";
    s.explanation = measured + " is " + beyond + " the target of " + show(target) + ".";
    return s;
  }
  if (latest->date >= d.target_date) {
    s.code = "not_met";
    s.label = "Not met";
    s.explanation = measured + " is on or after the target date, " + d.target_date + ", and short of the target of " +
                    show(target) + ".";
    return s;
  }
  if (!d.baseline_value) {
    s.code = "not_yet_met";
    s.label = "Not yet met";
    s.explanation = measured + " is short of the target of " + show(target) + ", due by " + d.target_date + ".";
    return s;
  }
  double base = *d.baseline_value;
  long span = days_between(d.baseline_date, d.target_date);
  long gone = std::clamp(days_between(d.baseline_date, latest->date), 0L, std::max(span, 0L));
  double line = span > 0 ? base + (target - base) * static_cast<double>(gone) / static_cast<double>(span) : target;
  bool on = reaches(v, line);
  s.code = on ? "on_track" : "off_track";
  s.label = on ? "On track" : "Off track";
  s.explanation = measured + " is " + (on ? beyond : std::string(higher ? "below" : "above")) +
                  " the straight-line value of " + show(line) + " for that date (" + std::to_string(gone) + " of " +
                  std::to_string(span) + " days from the baseline to the target).";
  return s;
}

}  // namespace coproduce::impact
