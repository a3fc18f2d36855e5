// Programmes: co-production work (groups, activities, surveys and learning
// modules) gathered under a purpose, a period and a named lead, with its
// theory of change (theory_of_change.h), the indicators that measure it,
// what it really costs, the outcomes it values and the business case
// (value.h does the arithmetic; nothing here repeats it).
//
// Where the figures come from:
//   - An activity is the programme's when its group is, or when it is
//     listed itself. Places are attendances at those activities, not
//     cancelled, dated by the activity's start.
//   - Costs are those entered (staff time worked out from the
//     organisation's staff grades, venue, catering, accessibility, training
//     and other costs, each dated) and, from the payments records, payments
//     for time and expense claims for the programme's activities that were
//     approved or paid: payments dated by their activity's day, expenses by
//     the day they were incurred.
//   - Platform measures (theory_of_change.h platform_measures) for a
//     period, over the programme's places in it:
//       places           the number of places
//       people           distinct people with a place
//       newcomer_share   % of places that were the person's first place at
//                        the organisation (any group), as familiar voices counts them
//       top_tenth_share  % of places held by the most involved tenth (measures.h)
//       gini             Gini coefficient of places per person (measures.h)
//       total_paid       payments and expenses as above, in pence
//       lead_rung        the mean rung (1 coercion to 7 co-production) the
//                        lead gave the programme's activities held in the period
//       member_rung      the mean of members' own ratings of those activities
//       benchmark_gap    for one benchmark category and value (say ethnic
//                        group, Black): the share of places, among places of
//                        people whose answer is known, held by people of that
//                        value, less the benchmark's share, in percentage
//                        points; none when fewer than kMinPeopleForBreakdown
//                        people's answers are known (measures.h)
//       actions_on_time  % of the 'you said, we did' actions of the
//                        programme's activities due in the period (those
//                        marked 'not doing' left out) that were done on or
//                        before their due date
//       learning_coverage % of the workers in post on the period's last day
//                        (today, for the current period) who must do any of
//                        the programme's learning modules (every module, with
//                        none linked) that have done all they must
//                        (learning/coverage.h's rules), as the learning
//                        module reports it through LearningCoverage
//   - Survey indicators, for a period: of the survey's responses sent in it
//     that answered the question, the % choosing any of the options, with
//     that base and its 95% Wilson interval; suppressed (no value) when fewer
//     than kMinPeopleForBreakdown answered.
//     A measure with nothing to measure (a share of no places, an average of
//     no ratings) has no value and says why: never a made-up 0.
//
// Everything is scoped by organisation: another organisation's programme
// is not found. Changes are written to the audit log.
//
// Example:
//   Programmes p(db, clock);
//   ProgrammeInput in{.name = "Carers' voice", .lead = "Sam Lee", .starts_on = "2026-04-01", .ends_on = "2027-03-31"};
//   StatusOr<Programme> made = p.create(org, in, actor);  // kInvalidInput naming the first field at fault
//   p.add_outcome(org, made->id, outcome, actor);
//   StatusOr<ProgrammeBusinessCase> bc = p.business_case(org, made->id, std::nullopt);
#ifndef COPRODUCE_IMPACT_PROGRAMMES_H_
#define COPRODUCE_IMPACT_PROGRAMMES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "impact/familiar_voices.h"
#include "impact/theory_of_change.h"
#include "impact/value.h"
#include "store/database.h"

namespace coproduce::impact {

// A programme runs for at most this long, and a period asked of it (costs,
// a business case) spans at most this long, so every list is bounded.
inline constexpr int kMaxProgrammeYears = 20;
inline constexpr size_t kMaxLinkedItems = 500;   // of each of groups, activities, surveys, modules
inline constexpr size_t kMaxEnteredCosts = 500;  // per programme; with a month of payments and one of
                                                 // expenses per month of 20 years, under kMaxCosts
inline constexpr size_t kMaxIndicators = 100;    // per programme
inline constexpr size_t kMaxStaffGrades = 50;    // per organisation

// ---- Programmes ------------------------------------------------------------------------

struct ProgrammeInput {
  std::string name{};
  std::string purpose{};
  std::string lead{};       // the named lead
  std::string starts_on{};  // "YYYY-MM-DD"
  std::string ends_on{};
  double discount_rate = kGreenBookDiscountRatePercent;  // % a year, 0 to 20
  std::vector<int64_t> group_ids{};
  std::vector<int64_t> activity_ids{};
  std::vector<int64_t> survey_ids{};
  std::vector<int64_t> module_ids{};
};

// Every problem with `input` that needs no database, by the API's keys:
// name and lead (missing, too long), purpose (too long), starts_on and
// ends_on (missing, not a date), ends_on before starts_on (kOutOfOrder) or
// more than kMaxProgrammeYears on (kOutOfRange), discount_rate outside 0 to
// 20 (kOutOfRange), and a list of ids too long or holding an id below 1
// ("group_ids.2"). Whether the ids are the organisation's is checked when
// the programme is saved.
std::vector<FieldError> validate(const ProgrammeInput& input);

struct Programme {
  int64_t id = 0;
  ProgrammeInput details{};
  std::string created_at{};
  std::string updated_at{};
};

// ---- Theory of change --------------------------------------------------------------------

struct Element {
  int64_t id = 0;
  std::string ref{};
  std::string stage{};
  std::string text{};
};

struct Link {
  std::string from{};  // refs
  std::string to{};
  std::string assumptions{};
  std::string conditions{};
};

struct TheoryOfChange {
  std::vector<Element> elements{};  // in the order given
  std::vector<Link> links{};
};

// ---- Indicators and measurements --------------------------------------------------------------

struct IndicatorInput {
  std::string element{};  // the ref of an output or outcome
  IndicatorDefinition definition{};
};

struct MeasurementInput {
  std::string period{};  // "2026-03" or "2026-Q1", by the indicator's frequency
  std::optional<double> value{};
  std::string evidence{};  // where the figure comes from
};

// Problems with a measurement of the indicator defined by `d` on `today`
// ("YYYY-MM-DD"): "source" for a platform indicator (its measurements are
// worked out), "period" missing, not in the frequency's form ("2026-03" or
// "2026-Q1") or not started yet, "value" missing or outside its unit, and
// "evidence" missing or too long. Whether the period is measured already is
// checked when it is saved.
std::vector<FieldError> validate(const MeasurementInput& input, const IndicatorDefinition& d, const std::string& today);

struct Measurement {
  int64_t id = 0;  // entered ones; 0 for platform measures
  MeasurePeriod period{};
  std::optional<double> value{};  // nullopt when there was nothing to measure, or too few to show
  std::optional<int64_t> base{};  // what a share or an average is of: places, ratings, answers, actions, workers
  // Survey shares: the 95% Wilson interval, in the value's terms (0 to 100).
  std::optional<double> lower{};
  std::optional<double> upper{};
  bool suppressed = false;  // the value is withheld: too few to show without risk of identifying someone
  std::string evidence{};         // entered ones
  std::string note{};             // why there is no value
  bool complete = true;           // false for a period that has not ended yet
};

struct Indicator {
  int64_t id = 0;
  int64_t element_id = 0;
  std::string element{};  // its ref
  IndicatorDefinition definition{};
  // Oldest first. Entered ones as entered; platform ones one per period
  // from the programme's start to the period holding today or its end,
  // whichever is sooner.
  std::vector<Measurement> measurements{};
  // From the latest measurement with a value, among periods that have ended
  // for platform measures (a month half gone would judge it too soon).
  TargetStatus status{};
};

// ---- Costs ------------------------------------------------------------------------------------------

// staff_time, venue, catering, interpreters, easy_read, transport,
// other_accessibility, training, other; and, read from payments, payments
// (for time) and expenses.
const CodeList& cost_kinds();
// The heading a kind is totalled under: interpreters, easy_read, transport
// and other_accessibility are "accessibility"; the rest are their own.
std::string cost_category(const std::string& kind);

struct StaffGrade {
  std::string name{};
  int64_t hourly_pence = 0;
  double on_cost_percent = 0;  // 0 to 100
};
// Problems with the grades as a whole list, by "grades.N.name" and so on:
// a name missing, too long or given twice, a rate below 0 or above £10,000
// an hour, on-costs outside 0 to 100, more than kMaxStaffGrades.
std::vector<FieldError> validate(const std::vector<StaffGrade>& grades);
// What `hours` of `grade` cost with on-costs, to the nearest penny (halves
// up): hours × hourly rate × (1 + on-costs/100).
// Example: 3 hours at £20.00 with 25% on-costs is 7,500p.
int64_t staff_time_pence(const StaffGrade& grade, double hours);

struct CostInput {
  std::string kind{};
  std::optional<int64_t> amount_pence{};  // every kind but staff_time
  std::string date{};                     // "YYYY-MM-DD"
  std::string note{};
  std::optional<int64_t> activity_id{};  // one of the programme's activities
  std::string grade{};                   // staff_time: a staff grade's name
  std::optional<double> hours{};         // staff_time
};
// Problems with `input` that need no database: kind missing or unknown
// (payments and expenses come from the payments records, not from here),
// the amount missing or negative (or given for staff time, which is worked
// out), the date missing or not real, the note too long, and for staff
// time the grade or hours missing and hours not above 0 or above 10,000.
std::vector<FieldError> validate(const CostInput& input);

struct ProgrammeCost {
  int64_t id = 0;
  std::string kind{};
  int64_t amount_pence = 0;
  std::string date{};
  std::string note{};
  std::optional<int64_t> activity_id{};
  // For staff time: what the amount was worked out from.
  std::string grade{};
  std::optional<double> hours{};
  std::optional<int64_t> hourly_pence{};
  std::optional<double> on_cost_percent{};
};

// Payments and expenses for the programme's activities in one month.
struct PaidMonth {
  std::string month{};      // "2026-03"
  std::string last_date{};  // the latest date among them, within the period
  int64_t payments_pence = 0;
  int64_t expenses_pence = 0;
};

struct CostReport {
  Period period{};
  std::vector<ProgrammeCost> entered{};          // dated in the period, by date
  std::vector<PaidMonth> paid{};                 // months in the period with any, in order
  std::map<std::string, int64_t> by_category{};  // every category, 0 when none
  int64_t total_pence = 0;
};

// ---- Valued outcomes and the business case ------------------------------------------------------------

struct OutcomeInput {
  std::string name{};
  std::optional<double> quantity{};
  std::string quantity_source{};
  std::optional<int64_t> value_pence{};  // may be left out when `proxy` is given
  std::string proxy{};                   // a built-in proxy's code: sets the value, source and price year
  std::string source{};
  std::optional<int> price_year{};
  std::optional<int64_t> duration_years{};
  double deadweight = 0;  // % 0 to 100
  double attribution = 0;
  double displacement = 0;
  double drop_off = 0;
  std::map<Assumption, Range> ranges{};
};
// Problems with `input`, by the API's keys: name (missing, too long),
// quantity, value_pence and duration_years (missing), proxy (unknown),
// source and quantity_source (too long), price_year (1900 to 2200), and
// everything value.h's validate finds, named without its "outcomes.0."
// ("deadweight", "ranges.quantity.low").
std::vector<FieldError> validate(const OutcomeInput& input);
// The outcome `input` (which passed validate) describes, for value.h, with
// the proxy's value, source and price year where one is named.
ValuedOutcome valued_outcome(const OutcomeInput& input, int64_t id = 0);

struct Outcome {
  int64_t id = 0;
  std::string proxy{};
  ValuedOutcome valued{};  // valued.id is id
};

struct ProgrammeBusinessCase {
  Period period{};  // whose costs count
  BusinessCase figures{};
};

// ---- Reach: rungs reached, who is involved and who is missing ----------------------------------------

// One rung of the ladder (involvement::ladder_rungs): how many of the
// programme's activities in the period its lead rated there, and how many
// of members' own ratings were there.
struct RungCount {
  std::string rung{};
  std::string label{};
  int rank = 0;  // 1 coercion to 7 co-production
  int64_t lead = 0;
  int64_t members = 0;
};

// Whether the programme is working as intended, from its own records for a
// period: the figures of the platform measures (programmes.h's top says how
// each is worked out) over the whole period, and who took part against the
// organisation's benchmark (measures.h representativeness, suppressed below
// kMinPeopleForBreakdown people).
struct ProgrammeReach {
  Period period{};
  int64_t activities = 0;  // the programme's activities held in the period (not cancelled)
  int64_t places = 0;
  int64_t people = 0;
  int64_t newcomer_places = 0;
  std::optional<double> newcomer_share{};   // 0 to 1; none with no places
  std::optional<double> top_tenth_share{};  // 0 to 1
  std::optional<double> gini{};
  std::vector<RungCount> rungs{};  // every rung, coercion first
  int64_t lead_rated = 0;          // activities their lead rated
  int64_t member_ratings = 0;
  std::optional<double> lead_mean{};  // mean rank; none with no ratings
  std::optional<double> member_mean{};
  Representativeness who{};
  bool benchmark_local = false;  // the organisation's own benchmark figures are in use
};

// ---- JSON, as the API reads and writes it ----------------------------------------------------------------

// Each reads the keys it knows from `body` on top of `base` (for PATCH),
// adding a problem for each key of the wrong type ("name must be text",
// "group_ids must be a list of ids"). Text is trimmed.
ProgrammeInput programme_from_json(const nlohmann::json& body, ProgrammeInput base, std::vector<FieldError>* errors);
TheoryOfChangeInput theory_of_change_from_json(const nlohmann::json& body, std::vector<FieldError>* errors);
IndicatorInput indicator_from_json(const nlohmann::json& body, std::vector<FieldError>* errors);
MeasurementInput measurement_from_json(const nlohmann::json& body, std::vector<FieldError>* errors);
CostInput cost_from_json(const nlohmann::json& body, std::vector<FieldError>* errors);
OutcomeInput outcome_from_json(const nlohmann::json& body, std::vector<FieldError>* errors);
std::vector<StaffGrade> staff_grades_from_json(const nlohmann::json& body, std::vector<FieldError>* errors);

nlohmann::json programme_json(const Programme& p);
nlohmann::json theory_of_change_json(const TheoryOfChange& toc);
nlohmann::json indicator_json(const Indicator& i);
nlohmann::json cost_json(const ProgrammeCost& c);
nlohmann::json cost_report_json(const CostReport& r);
nlohmann::json outcome_json(const Outcome& o);
nlohmann::json staff_grade_json(const StaffGrade& g);
// The figures of the business case, each in whole pence, with the workings:
// {period, discount_rate, total_present_value_pence, total_costs_pence,
// net_present_value_pence, ratio (null with no costs), no_ratio_reason (the
// reason, or null), outcomes, costs, sensitivity, break_even, scenarios}.
nlohmann::json business_case_json(const ProgrammeBusinessCase& bc);
// {from, to, activities, places, people, newcomer_places, newcomer_share,
// top_tenth_share, gini (shares 0 to 1, null with no places), rungs: [{rung,
// label, rank, lead, members}], lead_rated, member_ratings, lead_mean,
// member_mean, benchmark: {local}, representativeness (as the
// familiar-voices API writes it)}.
nlohmann::json reach_json(const ProgrammeReach& r);

// ---- The service -----------------------------------------------------------------------------------------------

// Learning coverage, for the learning_coverage measure. The learning module
// builds on this one, so it hands Programmes this way of asking: for each
// of `dates` (in order), the workers in post who must do any of `modules`
// (every module when empty) and, of them, those who have done all of those
// they must. Called inside the reading transaction, on its connection.
struct CoverageFigure {
  int64_t workers = 0;
  int64_t completed = 0;
};
using LearningCoverage = std::function<StatusOr<std::vector<CoverageFigure>>(
    store::Connection& conn, int64_t organisation_id, const std::vector<int64_t>& modules,
    const std::vector<std::string>& dates)>;

class Programmes {
 public:
  // `db` and `clock` must outlive this. Thread-safe. Without `learning`, a
  // learning_coverage indicator has no values and says why.
  Programmes(store::Database& db, const Clock& clock, LearningCoverage learning = {})
      : db_(db), clock_(clock), learning_(std::move(learning)) {}

  // The organisation's programmes, newest start first.
  StatusOr<std::vector<Programme>> list(int64_t organisation_id);
  StatusOr<Programme> get(int64_t organisation_id, int64_t id);
  // Creates a programme; a linked group, activity, survey or module that is
  // not the organisation's is kInvalidInput on "group_ids.N" and so on.
  // Nothing is saved unless everything is right.
  StatusOr<Programme> create(int64_t organisation_id, const ProgrammeInput& input, const Actor& actor);
  // Replaces the programme's details and links, all or nothing.
  StatusOr<Programme> update(int64_t organisation_id, int64_t id, const ProgrammeInput& input, const Actor& actor);

  StatusOr<TheoryOfChange> theory_of_change(int64_t organisation_id, int64_t id);
  // Replaces the theory of change with `input`, all or nothing. Elements
  // keep their ids by ref, so indicators stay attached. Removing an element
  // with indicators, or moving it to a stage indicators cannot measure, is
  // kInvalidInput on "elements" (or "elements.N.stage").
  StatusOr<TheoryOfChange> save_theory_of_change(int64_t organisation_id, int64_t id, const TheoryOfChangeInput& input,
                                                 const Actor& actor);

  // Every indicator, with its measurements and status on today's date. A
  // benchmark_gap indicator reads equality answers: the first such read is
  // recorded against `actor` in the audit log.
  StatusOr<std::vector<Indicator>> indicators(int64_t organisation_id, int64_t id, const Actor& actor);
  StatusOr<Indicator> indicator(int64_t organisation_id, int64_t id, int64_t indicator_id, const Actor& actor);
  // Problems name the definition's fields, or "element" when it is not an
  // output or outcome of the theory of change; for the survey source
  // "survey_id" when the survey is not the organisation's, "question" when
  // it has no such question or the question has no options to choose
  // (single, multiple, rating and yes/no questions do; Likert grids and
  // free answers do not), "options.N" for an option the question does not
  // have.
  StatusOr<Indicator> add_indicator(int64_t organisation_id, int64_t id, const IndicatorInput& input,
                                    const Actor& actor);
  // Removes the indicator and its measurements.
  Status remove_indicator(int64_t organisation_id, int64_t id, int64_t indicator_id, const Actor& actor);
  // Records a measurement of a manual indicator. Problems: "source" for a
  // platform indicator (its measurements are worked out), "period" not in
  // the frequency's form or after the current period, "value" missing or
  // outside its unit, "evidence" missing or too long. A period already
  // measured is kConflict on "period".
  StatusOr<Indicator> add_measurement(int64_t organisation_id, int64_t id, int64_t indicator_id,
                                      const MeasurementInput& input, const Actor& actor);

  StatusOr<std::vector<StaffGrade>> staff_grades(int64_t organisation_id);
  // Replaces the organisation's staff grades (costs already entered keep
  // the rates they were worked out at).
  StatusOr<std::vector<StaffGrade>> save_staff_grades(int64_t organisation_id, const std::vector<StaffGrade>& grades,
                                                      const Actor& actor);

  // Adds a cost. Problems as validate(CostInput) says, and "grade" not one
  // of the organisation's, "activity_id" not one of the programme's
  // activities, or more than kMaxEnteredCosts costs.
  StatusOr<ProgrammeCost> add_cost(int64_t organisation_id, int64_t id, const CostInput& input, const Actor& actor);
  Status remove_cost(int64_t organisation_id, int64_t id, int64_t cost_id, const Actor& actor);
  // The programme's costs dated in `period` (its own period when nullopt).
  // A period with a date that is not real, ending before it starts or
  // spanning more than kMaxProgrammeYears is kInvalidInput on "from" or "to".
  StatusOr<CostReport> costs(int64_t organisation_id, int64_t id, const std::optional<Period>& period);

  StatusOr<std::vector<Outcome>> outcomes(int64_t organisation_id, int64_t id);
  // Problems as validate(OutcomeInput) says; more than kMaxOutcomes is
  // kInvalidInput on "name".
  StatusOr<Outcome> add_outcome(int64_t organisation_id, int64_t id, const OutcomeInput& input, const Actor& actor);
  Status remove_outcome(int64_t organisation_id, int64_t id, int64_t outcome_id, const Actor& actor);

  // Rungs reached, who is involved and who is missing in `period` (as
  // costs() takes it). Reads equality answers, so the read is recorded
  // against `actor` in the audit log.
  StatusOr<ProgrammeReach> reach(int64_t organisation_id, int64_t id, const std::optional<Period>& period,
                                 const Actor& actor);

  // The business case: the programme's valued outcomes at its discount
  // rate against its costs in `period` (as costs() takes it), worked out by
  // value.h. The entered costs are listed one by one; payments and expenses
  // one line a month each.
  StatusOr<ProgrammeBusinessCase> business_case(int64_t organisation_id, int64_t id,
                                                const std::optional<Period>& period);

 private:
  store::Database& db_;
  const Clock& clock_;
  LearningCoverage learning_;
};

}  // namespace coproduce::impact

#endif  // COPRODUCE_IMPACT_PROGRAMMES_H_
