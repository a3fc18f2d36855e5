// A programme's theory of change and the indicators that measure it: the
// rules, without a database.
//
// A theory of change is a set of elements, each at one stage (inputs,
// activities, outputs, outcomes in the short, medium and long term, and
// impact), linked in chains from earlier stages to later ones, with the
// assumptions and conditions each link rests on. It is edited as structured
// lists: every element has a short reference the organisation chooses
// ("O1"), and links name the elements they join by those references.
//
// Outputs and outcomes may have indicators: what is measured, in which
// unit, which direction is better, a baseline and a target, how often
// (monthly or quarterly) and where each measurement comes from. The status
// of an indicator against its target is worked out here, with the rule it
// follows written out beside it.
//
// Example:
//   TheoryOfChangeInput toc;
//   toc.elements = {{"A1", "activity", "Monthly co-design sessions"}, {"O1", "outcome_short", "Less lonely"}};
//   toc.links = {{"A1", "O1", "People keep coming", "Sessions stay accessible"}};
//   for (const FieldError& e : validate(toc)) ...show e.message beside e.field ("links.0.to")...
//
//   TargetStatus s = status_against_target(definition, Observation{"2026-06-30", 25});
//   s.code ("on_track"), s.rule (the rule in words), s.explanation (the figures it compared)
#ifndef COPRODUCE_IMPACT_THEORY_OF_CHANGE_H_
#define COPRODUCE_IMPACT_THEORY_OF_CHANGE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/vocabulary.h"

namespace coproduce::impact {

// (code, label) pairs, in the order pages list them.
using CodeList = std::vector<std::pair<std::string, std::string>>;

// input, activity, output, outcome_short, outcome_medium, outcome_long, impact.
const CodeList& stages();
// The stage's place in the chain, from 0 for inputs; -1 for an unknown code.
int stage_order(std::string_view stage);
// True for the stages indicators may measure: outputs and outcomes.
bool is_measurable_stage(std::string_view stage);
std::string stage_label(std::string_view stage);

inline constexpr size_t kMaxElements = 200;
inline constexpr size_t kMaxLinks = 500;
inline constexpr size_t kMaxRefLength = 40;      // characters
inline constexpr size_t kMaxElementText = 2000;  // characters
inline constexpr size_t kMaxLinkText = 4000;     // characters, each of assumptions and conditions

struct ElementInput {
  std::string ref{};    // the organisation's short reference, unique in the programme: "O1"
  std::string stage{};  // a code of stages()
  std::string text{};
};

struct LinkInput {
  std::string from{};  // an element's ref
  std::string to{};    // an element's ref, at a later stage than `from`
  std::string assumptions{};
  std::string conditions{};
};

struct TheoryOfChangeInput {
  std::vector<ElementInput> elements{};
  std::vector<LinkInput> links{};
};

// Every problem with `input`, named as the API keys it, with list indexes
// from 0 ("elements.2.ref", "links.0.to"); messages count from 1. A ref
// that is empty, too long or used twice; an unknown stage; an empty or too
// long text; a link naming a ref that is not in the list, joining an element
// to itself, going back to an earlier stage or the same one (kOutOfOrder),
// or given twice (kDuplicate); and too many elements or links (kTooLong).
// Refs are compared as given, after trimming spaces.
std::vector<FieldError> validate(const TheoryOfChangeInput& input);

// ---- Indicators --------------------------------------------------------------

const CodeList& indicator_units();        // count, percentage, points (percentage points), score, money
const CodeList& indicator_directions();   // higher, lower
const CodeList& indicator_frequencies();  // monthly, quarterly
// Where measurements come from: manual (entered by hand, with a note of the
// evidence), platform (worked out from the platform's own records) and
// survey (the share of a survey's respondents choosing given answers to one
// question, with its base and Wilson interval).
const CodeList& indicator_sources();
// The platform measures, each worked out from the programme's groups and
// activities in a period (programmes.h says exactly how): places, people,
// newcomer_share, top_tenth_share, gini, benchmark_gap, total_paid,
// lead_rung, member_rung, actions_on_time and learning_coverage.
const CodeList& platform_measures();
// The unit a platform measure is in: places and people are counts, the
// shares percentages, benchmark_gap percentage points, the Gini and the
// rungs scores, total_paid money. A survey indicator is a percentage.
std::string measure_unit(std::string_view measure);

// Limits on an indicator's values, so that every figure fits and prints.
inline constexpr double kMaxIndicatorValue = 1e12;

// An indicator as defined, before it has any measurements. Values are in
// the unit's terms: a percentage from 0 to 100, money in whole pence.
struct IndicatorDefinition {
  std::string name{};
  std::string definition{};
  std::string unit{};
  std::string direction{};
  std::string frequency{};
  std::string source{};
  std::string measure{};  // for the platform source
  // benchmark_gap: the benchmark category and value whose gap is measured
  // ("ethnic_group", "black"; codes of benchmark.h).
  std::string category{};
  std::string category_value{};
  // The survey source: the survey, the question's code and the codes of the
  // options counted (any of them). Whether they exist is checked on saving.
  std::optional<int64_t> survey_id{};
  std::string question{};
  std::vector<std::string> options{};
  std::optional<double> baseline_value{};
  std::string baseline_date{};  // "YYYY-MM-DD", or "" with no baseline
  std::optional<double> target_value{};
  std::string target_date{};  // "YYYY-MM-DD", or "" with no target
};

// Every problem with `d`, by the API's keys: name (missing, too long),
// definition (too long), unit, direction, frequency, source (missing or
// unknown), measure (missing or unknown for the platform source, or its unit
// not `unit`), category and category_value (missing or unknown for
// benchmark_gap), survey_id, question and options (missing for the survey
// source, whose unit is percentage), a field of one source given for
// another (kInvalid), a baseline or
// target value without its date or a date without its value, a date that is
// not real, a value outside its unit (a negative count or money, a
// percentage outside 0 to 100, money not in whole pence), and a target date
// before the baseline date (kOutOfOrder on target_date).
std::vector<FieldError> validate(const IndicatorDefinition& d);

// Problems with one value in `unit`, for `field` (empty when it is fine).
std::vector<FieldError> check_value(const std::string& field, const std::string& unit, double value);

// ---- Measurement periods -------------------------------------------------------

// A month ("2026-03") or a calendar quarter ("2026-Q1", January to March),
// with its first and last days.
struct MeasurePeriod {
  std::string label{};
  std::string from{};  // "YYYY-MM-DD"
  std::string to{};
};

// The period `text` names in `frequency`'s form, or nullopt: monthly takes
// "YYYY-MM", quarterly "YYYY-Qn" (n from 1 to 4).
std::optional<MeasurePeriod> parse_measure_period(std::string_view text, std::string_view frequency);
// The period of `frequency` holding `date` (a real "YYYY-MM-DD").
MeasurePeriod period_holding(const std::string& date, std::string_view frequency);
// Every period of `frequency` from the one holding `from` to the one
// holding `to` (real dates, from ≤ to), in order.
std::vector<MeasurePeriod> periods_between(const std::string& from, const std::string& to, std::string_view frequency);

// ---- Status against target -------------------------------------------------------

// One measurement as the status rule sees it: its date (the last day of its
// period) and its value.
struct Observation {
  std::string date{};
  double value = 0;
};

// The status codes: no_measurement, no_target, met, on_track, off_track,
// not_yet_met (a target but no baseline to draw a path from) and not_met
// (the target date has passed and the target was not reached).
struct TargetStatus {
  std::string code{};
  std::string label{};        // "On track"
  std::string rule{};         // the rule, in words, with the indicator's own figures
  std::string explanation{};  // how the latest measurement was judged by it ("" with none)
};

// The status of an indicator defined by `d` (which passed validate) given
// its latest measurement, if any. The rule, with "at or above" for higher is
// better and "at or below" for lower:
//   - no measurement: no_measurement; no target: no_target;
//   - the latest value at or beyond the target: met;
//   - otherwise, measured on or after the target date: not_met;
//   - otherwise, with no baseline: not_yet_met;
//   - otherwise on_track when the value is at or beyond the straight line
//     from the baseline (on its date) to the target (on its date), read at
//     the measurement's date (and the baseline itself before the baseline
//     date), else off_track.
// Example: higher is better, baseline 10 on 2026-01-01, target 40 on
// 2027-01-01; a measurement of 25 on 2026-07-02 (182 of 365 days, line at
// 24.96) is on_track; 24 is off_track; 41 is met.
TargetStatus status_against_target(const IndicatorDefinition& d, const std::optional<Observation>& latest);

// A value in its unit for people: "12", "12.5", "45.2%", "-3.5 points",
// "£1,234.56", "0.31".
std::string show_value(const std::string& unit, double value);

}  // namespace coproduce::impact

#endif  // COPRODUCE_IMPACT_THEORY_OF_CHANGE_H_
