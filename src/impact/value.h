// The arithmetic of a business case: outcomes valued with financial proxies,
// adjusted for deadweight, attribution, displacement and drop-off, discounted
// to present values and set against the programme's costs; with the
// sensitivity of the result to each assumption, the break-even value of the
// key assumptions, and low, central and high scenarios.
//
// Pure functions over plain structs: no database, no clock, no I/O, so every
// figure can be checked by hand and traced to its inputs and their sources.
//
// The arithmetic, as the guide states it. For an outcome with quantity Q,
// value per unit V (pence), duration T whole years, and deadweight d,
// attribution a, displacement p and drop-off r (each a percentage), at a
// discount rate of δ% a year:
//
//   value in year t  = Q·V·(1−d)(1−a)(1−p)·(1−r)^(t−1)       for t = 1..T
//   present value    = Σ over t of  value in year t / (1+δ)^t
//
// (percentages as fractions: d = 25 means ×0.75). A duration of 0 gives 0.
// The programme's costs are taken as they are, undiscounted. Then
//
//   net present value (NPV) = total present value − total costs
//   ratio                   = total present value ÷ total costs
//
// Rounding: the arithmetic is done in long double and only the final figures
// are rounded, each to the nearest whole penny with halves away from zero:
// each outcome's present value, and the total present value, which is
// rounded once from the exact sum (so the outcomes' rounded figures can add
// up to a penny or so different from it). Costs are whole pence already, so
// NPV is the rounded total present value minus the costs, and the ratio is
// worked out from those two figures: the three figures on the page always
// agree, and NPV is 0 exactly when the ratio is 1.
//
// Example:
//   BusinessCaseInput in;
//   ValuedOutcome o{.id = 7, .name = "Less lonely", .quantity = 12, .duration_years = 2, .deadweight = 25};
//   apply_proxy(*find_proxy("wellby"), o);   // £13,000 per WELLBY, range £10,000 to £16,000
//   in.outcomes.push_back(o);
//   in.costs.push_back({.label = "Facilitator", .date = "2026-03-01", .amount_pence = 2'500'000});
//   std::vector<FieldError> errors = validate(in);
//   if (!errors.empty()) ...show each beside its field...
//   BusinessCase bc = compute(in);
//   bc.net_present_value_pence, bc.ratio, bc.sensitivity (tornado order), bc.break_even, bc.scenarios
//
// Every member of the structs below has an initializer, so designated
// initializers (as above) may leave any of them out.
#ifndef COPRODUCE_IMPACT_VALUE_H_
#define COPRODUCE_IMPACT_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/vocabulary.h"

namespace coproduce::impact {

// A financial proxy: what one unit of an outcome is worth, with where the
// figure comes from and the year whose prices it is in.
struct Proxy {
  std::string code{};  // "wellby"
  std::string name{};  // "Wellbeing (WELLBY)"
  std::string unit{};  // what one unit is
  int64_t value_pence = 0;
  // The published range, when the source gives one.
  std::optional<int64_t> low_pence{};
  std::optional<int64_t> high_pence{};
  std::string source{};      // the publication, as it would be cited
  std::string source_url{};  // where it can be read
  int price_year = 0;        // the figure is in this year's prices
};

// The proxies shipped with Coproduce: only figures that can be cited exactly
// from their source. For now one: HM Treasury's value of a WELLBY, £13,000
// at 2019 prices with the range £10,000 to £16,000 (Wellbeing guidance for
// appraisal: supplementary Green Book guidance, 2021). Organisations add
// their own, with sources, elsewhere.
const std::vector<Proxy>& built_in_proxies();
// The built-in proxy with this code, or nullptr.
const Proxy* find_proxy(std::string_view code);

// The assumptions a business case rests on: the first seven belong to each
// outcome, the discount rate to the whole case.
enum class Assumption {
  kQuantity,
  kValue,     // value per unit, in pence
  kDuration,  // whole years
  kDeadweight,
  kAttribution,
  kDisplacement,
  kDropOff,
  kDiscountRate,  // % a year
};
// Every assumption, in the order above: the order pages list them.
const std::vector<Assumption>& all_assumptions();
// The field name, as the API and forms use it: "quantity", "value_pence",
// "duration_years", "deadweight", "attribution", "displacement", "drop_off",
// "discount_rate".
std::string_view assumption_key(Assumption a);
// For people and chart axes: "Quantity", "Value per unit", "Duration",
// "Deadweight", "Attribution", "Displacement", "Drop-off", "Discount rate".
std::string_view assumption_label(Assumption a);

// A range an assumption is varied over, in its own units (pence for the
// value per unit, whole years for the duration, percentages otherwise).
// `low` and `high` are the assumption's own lowest and highest values, not
// the worst and best case: a high deadweight is the pessimistic end.
struct Range {
  double low = 0;
  double high = 0;
};

// Limits on what may come from outside, so every total fits in whole pence
// as a 64-bit integer (50 outcomes × 30 years × 1,000,000 × £10,000,000 is
// under 2×10^18 pence) and no list grows without bound.
inline constexpr size_t kMaxOutcomes = 50;
inline constexpr size_t kMaxCosts = 1000;
inline constexpr double kMaxQuantity = 1'000'000;
inline constexpr int64_t kMaxValuePence = 1'000'000'000;   // £10,000,000 a unit
inline constexpr int64_t kMaxCostPence = 100'000'000'000;  // £1,000,000,000 a cost
// The Green Book's 3.5% applies to the first 30 years, after which its rate
// falls; this arithmetic uses one rate throughout, so durations stop there.
inline constexpr int kMaxDurationYears = 30;
inline constexpr double kMaxDiscountRatePercent = 20;
// The Green Book's social time preference rate, % a year.
inline constexpr double kGreenBookDiscountRatePercent = 3.5;

// One outcome valued in the business case.
struct ValuedOutcome {
  int64_t id = 0;  // the caller's identifier, carried through to the results
  std::string name{};
  double quantity = 0;              // units a year: typed, or taken from an indicator
  std::string quantity_source{};    // where the quantity comes from: "typed", an indicator's name
  int64_t value_pence = 0;          // value of one unit
  std::string source{};             // where the value per unit comes from
  std::optional<int> price_year{};  // the year whose prices the value is in
  int duration_years = 0;           // T
  double deadweight = 0;            // d, % from 0 to 100
  double attribution = 0;           // a, %
  double displacement = 0;          // p, %
  double drop_off = 0;              // r, % a year
  // Ranges the organisation set for the sensitivity analysis, by assumption
  // (not kDiscountRate, which is the whole case's). Any not set default to
  // default_range. Each must hold the outcome's own value.
  std::map<Assumption, Range> ranges{};
};

// Sets `outcome`'s value per unit, source and price year from `proxy`, and
// the range of its value per unit to the proxy's published range when it
// has one (otherwise leaves the range to the default).
void apply_proxy(const Proxy& proxy, ValuedOutcome& outcome);

// One of the programme's costs, dated within its period (the caller chooses
// which costs fall within the period). Costs are not discounted.
struct Cost {
  std::string label{};
  std::string date{};  // "YYYY-MM-DD", for the workings only
  int64_t amount_pence = 0;
};

struct BusinessCaseInput {
  double discount_rate_percent = kGreenBookDiscountRatePercent;  // δ, from 0 to 20
  std::optional<Range> discount_rate_range{};  // for the sensitivity analysis; default_range when not set
  std::vector<ValuedOutcome> outcomes{};
  std::vector<Cost> costs{};
};

// Every problem with `input`, each naming its field as the API keys do, with
// the list index from 0: "discount_rate", "outcomes.2.deadweight",
// "outcomes.0.ranges.quantity.low", "ranges.discount_rate.high",
// "costs.4.amount_pence"; messages count from 1 and name the outcome.
// Percentages outside 0 to 100, a negative (or too large) quantity, value,
// duration or cost, and a discount rate outside 0 to 20 are kOutOfRange,
// as is a non-finite number; too many outcomes or costs is kTooLong; a
// range end that is not a whole number of years is kInvalid; a range that
// does not hold the central value is kOutOfOrder on the end that is wrong;
// a range for the discount rate given on an outcome is kUnknownCode.
std::vector<FieldError> validate(const BusinessCaseInput& input);

// The range an assumption is varied over when the organisation sets none:
// its value ±50%, clamped to what the assumption may be (0 to 100 for
// percentages, 0 to 20 for the discount rate, 0 to the limits above for
// quantity and value per unit). The duration's ends are whole years, widened
// outwards: floor(T/2) to ceil(3T/2), so 3 years gives 1 to 5.
// Example: default_range(kDeadweight, 80) is {40, 100}.
Range default_range(Assumption a, double central);

// One year of an outcome's workings, unrounded.
struct YearValue {
  int year = 0;                    // t, from 1
  double value_pence = 0;          // Q·V·(1−d)(1−a)(1−p)·(1−r)^(t−1)
  double discount_factor = 0;      // 1 / (1+δ)^t
  double present_value_pence = 0;  // value_pence × discount_factor
};

struct OutcomeValue {
  ValuedOutcome input{};  // as given, with its sources
  // Q·V·(1−d)(1−a)(1−p): the first year's value before drop-off and discounting.
  double adjusted_value_pence = 0;
  std::vector<YearValue> years{};   // t = 1..T
  double present_value_exact = 0;   // the unrounded sum of years
  int64_t present_value_pence = 0;  // rounded to the nearest penny
};

// A figure of the business case with every assumption at one setting.
struct Scenario {
  int64_t total_present_value_pence = 0;
  int64_t net_present_value_pence = 0;
  std::optional<double> ratio{};  // nullopt when there are no costs
};

// How the business case moves when one assumption is varied over its range,
// the others held at their central values: one bar of the tornado chart.
struct Sensitivity {
  std::optional<size_t> outcome{};  // index into the input's outcomes; nullopt for the discount rate
  int64_t outcome_id = 0;
  std::string outcome_name{};
  Assumption assumption = Assumption::kQuantity;
  double central = 0;
  Range range{};               // the values tried
  bool default_range = false;  // true when the ±50% default was used
  Scenario at_low{};           // with the assumption at range.low
  Scenario at_high{};          // with the assumption at range.high
  int64_t swing_pence = 0;     // |at_high NPV − at_low NPV|: the bar's length
};

// Whether an assumption has a break-even value within the range searched.
enum class BreakEvenResult {
  kFound,               // value holds it
  kPositiveThroughout,  // NPV stays above 0 over the whole range
  kNegativeThroughout,  // NPV stays below 0 over the whole range
};

// The value of one assumption at which NPV is 0, the others held central.
// Ranges searched: quantity and value per unit, any value from 0 up (NPV
// is linear in them, so solved exactly, and the answer may exceed the input
// limits); deadweight, attribution and displacement 0 to 100 (linear,
// solved exactly); drop-off 0 to 100 and the discount rate 0 to 20 by
// bisection to within kBisectionTolerance; and the duration, which moves
// NPV in whole-year steps, as the fewest whole years from 0 to
// kMaxDurationYears at which NPV is 0 or more.
struct BreakEven {
  std::optional<size_t> outcome{};  // nullopt for the discount rate
  int64_t outcome_id = 0;
  std::string outcome_name{};
  Assumption assumption = Assumption::kQuantity;
  double central = 0;
  BreakEvenResult result = BreakEvenResult::kFound;
  std::optional<double> value{};  // set exactly when result is kFound
};
// The bisection stops when the interval is this narrow, in the assumption's
// units (percentage points).
inline constexpr double kBisectionTolerance = 1e-12;

struct Scenarios {
  Scenario low{};      // every assumption at its pessimistic end
  Scenario central{};  // every assumption as given
  Scenario high{};     // every assumption at its optimistic end
};

// Why a business case has no ratio, as a value pages can test; and what
// they say in its place.
enum class NoRatio { kNoCosts };
inline constexpr const char* kNoCostsMessage =
    "This business case has no costs in its period, so there is no ratio of value to cost.";

struct BusinessCase {
  double discount_rate_percent = kGreenBookDiscountRatePercent;
  std::vector<OutcomeValue> outcomes{};  // in the input's order
  std::vector<Cost> costs{};             // as given, for the workings
  int64_t total_present_value_pence = 0;
  int64_t total_costs_pence = 0;
  int64_t net_present_value_pence = 0;
  std::optional<double> ratio{};      // total present value ÷ total costs
  std::optional<NoRatio> no_ratio{};  // set exactly when ratio is not
  // Every assumption of every outcome, then the discount rate, in tornado
  // order: the largest swing first, ties in that input order.
  std::vector<Sensitivity> sensitivity{};
  // Per outcome its quantity, value per unit, duration, deadweight,
  // attribution, displacement and drop-off; then the discount rate.
  std::vector<BreakEven> break_even{};
  // Low has every outcome's quantity, value and duration at the low end of
  // its range, its adjustments at the high end and the discount rate at the
  // high end; high the reverse. So low ≤ central ≤ high.
  Scenarios scenarios{};
};

// The business case for `input`, which must have passed validate (checked
// by assertion). Deterministic: the same input gives the same figures.
BusinessCase compute(const BusinessCaseInput& input);

}  // namespace coproduce::impact

#endif  // COPRODUCE_IMPACT_VALUE_H_
