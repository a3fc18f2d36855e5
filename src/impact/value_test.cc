// The business-case arithmetic against figures worked out by hand: each
// case writes out every year's value, discount factor and present value in
// its comment, so a reader can check the sum without the code.
#include "impact/value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

namespace coproduce::impact {
namespace {

// One outcome at `rate`% with one cost line of `costs` pence (none at all
// when `costs` is negative).
BusinessCaseInput one_outcome(const ValuedOutcome& o, double rate, int64_t costs) {
  BusinessCaseInput in;
  in.discount_rate_percent = rate;
  in.outcomes = {o};
  if (costs >= 0) in.costs = {{.label = "Programme", .date = "2026-01-01", .amount_pence = costs}};
  return in;
}

BusinessCase computed(const BusinessCaseInput& in) {
  std::vector<FieldError> errors = validate(in);
  EXPECT_TRUE(errors.empty()) << errors.front().field << ": " << errors.front().message;
  return compute(in);
}

// ---- Present values worked by hand -----------------------------------------

struct PvCase {
  std::string name;
  ValuedOutcome outcome;
  double rate = kGreenBookDiscountRatePercent;
  int64_t costs = 0;
  std::vector<double> year_pv;  // each year's present value, unrounded, to the nearest 0.001p
  int64_t pv_pence = 0;         // the outcome's (and the total) present value, rounded once
  int64_t npv_pence = 0;
};

// Failures name the case, not its bytes.
void PrintTo(const PvCase& c, std::ostream* os) { *os << c.name; }

class PresentValue : public ::testing::TestWithParam<PvCase> {};

TEST_P(PresentValue, MatchesTheHandWorking) {
  const PvCase& c = GetParam();
  BusinessCase bc = computed(one_outcome(c.outcome, c.rate, c.costs));
  ASSERT_EQ(bc.outcomes.size(), 1u);
  const OutcomeValue& ov = bc.outcomes[0];
  ASSERT_EQ(ov.years.size(), c.year_pv.size());
  double sum = 0;
  for (size_t t = 0; t < c.year_pv.size(); ++t) {
    EXPECT_EQ(ov.years[t].year, static_cast<int>(t + 1));
    EXPECT_NEAR(ov.years[t].present_value_pence, c.year_pv[t], 0.001) << "year " << t + 1;
    EXPECT_NEAR(ov.years[t].present_value_pence, ov.years[t].value_pence * ov.years[t].discount_factor, 1e-6);
    sum += ov.years[t].present_value_pence;
  }
  EXPECT_NEAR(ov.present_value_exact, sum, 1e-6);
  EXPECT_EQ(ov.present_value_pence, c.pv_pence);
  EXPECT_EQ(bc.total_present_value_pence, c.pv_pence);
  EXPECT_EQ(bc.total_costs_pence, c.costs);
  EXPECT_EQ(bc.net_present_value_pence, c.npv_pence);
  ASSERT_TRUE(bc.ratio.has_value());
  EXPECT_DOUBLE_EQ(*bc.ratio, static_cast<double>(c.pv_pence) / static_cast<double>(c.costs));
  EXPECT_FALSE(bc.no_ratio.has_value());
  // The inputs travel with the figures, so each can be traced.
  EXPECT_EQ(ov.input.source, c.outcome.source);
}

INSTANTIATE_TEST_SUITE_P(
    Value, PresentValue,
    ::testing::Values(
        // 10 units at £50 for one year, no adjustments, 3.5%:
        //   year 1: 10 × 5,000 = 50,000p × 1/1.035 (0.966184) = 48,309.179p
        //   PV 48,309p; NPV 48,309 − 40,000 = 8,309p.
        PvCase{.name = "one_year_no_adjustments",
               .outcome = {.id = 1,
                           .name = "Visits",
                           .quantity = 10,
                           .value_pence = 5'000,
                           .source = "typed",
                           .duration_years = 1},
               .costs = 40'000,
               .year_pv = {48'309.179},
               .pv_pence = 48'309,
               .npv_pence = 8'309},
        // 1 unit at £1,000 for 3 years, drop-off 20%, 3.5%:
        //   year 1: 100,000p × 1                     / 1.035       = 96,618.357p
        //   year 2: 100,000p × 0.8  =  80,000p       / 1.071225    = 74,680.856p
        //   year 3: 100,000p × 0.64 =  64,000p       / 1.108717875 = 57,724.333p
        //   sum 229,023.547p → PV 229,024p; NPV 229,024 − 200,000 = 29,024p.
        PvCase{.name = "three_years_drop_off_20",
               .outcome = {.id = 2,
                           .name = "Confidence",
                           .quantity = 1,
                           .value_pence = 100'000,
                           .duration_years = 3,
                           .drop_off = 20},
               .costs = 200'000,
               .year_pv = {96'618.357, 74'680.856, 57'724.333},
               .pv_pence = 229'024,
               .npv_pence = 29'024},
        // 20 WELLBYs at £13,000 for 3 years, deadweight 25%, attribution 40%,
        // displacement 10%, drop-off 10%, 3.5%:
        //   adjusted: 20 × 1,300,000 × 0.75 × 0.6 × 0.9 = 26,000,000 × 0.405 = 10,530,000p
        //   year 1: 10,530,000p             / 1.035       = 10,173,913.043p
        //   year 2: 10,530,000 × 0.9  = 9,477,000p / 1.071225 = 8,846,880.907p
        //   year 3: 10,530,000 × 0.81 = 8,529,300p / 1.108717875 = 7,692,939.919p
        //   sum 26,713,733.870p → PV 26,713,734p; NPV − 25,000,000 = 1,713,734p.
        PvCase{.name = "all_four_adjustments",
               .outcome = {.id = 3,
                           .name = "Wellbeing",
                           .quantity = 20,
                           .value_pence = 1'300'000,
                           .duration_years = 3,
                           .deadweight = 25,
                           .attribution = 40,
                           .displacement = 10,
                           .drop_off = 10},
               .costs = 25'000'000,
               .year_pv = {10'173'913.043, 8'846'880.907, 7'692'939.919},
               .pv_pence = 26'713'734,
               .npv_pence = 1'713'734},
        // Rounding once at the end: 1 unit at £2.51, deadweight 60%, for 3
        // years at 0%: each year 251 × 0.4 = 100.4p, so 301.2p → 301p. Rounding
        // each year would give 100 + 100 + 100 = 300p.
        PvCase{.name = "rounds_once_at_the_end_undiscounted",
               .outcome = {.id = 4, .quantity = 1, .value_pence = 251, .duration_years = 3, .deadweight = 60},
               .rate = 0,
               .costs = 300,
               .year_pv = {100.4, 100.4, 100.4},
               .pv_pence = 301,
               .npv_pence = 1},
        // A duration of 0 is worth nothing: no years, PV 0.
        PvCase{.name = "duration_zero",
               .outcome = {.id = 5, .quantity = 10, .value_pence = 5'000, .duration_years = 0},
               .costs = 1'000,
               .year_pv = {},
               .pv_pence = 0,
               .npv_pence = -1'000},
        // Drop-off 100%: only the first year counts. 103,500p / 1.035 = 100,000p;
        // years 2 and 3 are 0.
        PvCase{.name = "drop_off_100_leaves_the_first_year",
               .outcome = {.id = 6, .quantity = 1, .value_pence = 103'500, .duration_years = 3, .drop_off = 100},
               .costs = 100'000,
               .year_pv = {100'000, 0, 0},
               .pv_pence = 100'000,
               .npv_pence = 0},
        // Deadweight 100%: all of it would have happened anyway.
        PvCase{.name = "deadweight_100",
               .outcome = {.id = 7, .quantity = 5, .value_pence = 10'000, .duration_years = 2, .deadweight = 100},
               .costs = 1,
               .year_pv = {0, 0},
               .pv_pence = 0,
               .npv_pence = -1}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Rounding, EachYearRoundedWouldBeAPennyOut) {
  // The drop-off case above: the years round to 96,618 + 74,681 + 57,724 =
  // 229,023p, a penny short of the 229,024p the exact sum rounds to.
  BusinessCase bc = computed(one_outcome({.quantity = 1, .value_pence = 100'000, .duration_years = 3, .drop_off = 20},
                                         kGreenBookDiscountRatePercent, 1));
  int64_t per_year = 0;
  for (const auto& y : bc.outcomes[0].years) per_year += std::llround(y.present_value_pence);
  EXPECT_EQ(per_year, 229'023);
  EXPECT_EQ(bc.total_present_value_pence, 229'024);
}

TEST(Rounding, TheTotalIsRoundedOnceFromTheExactSum) {
  // Two outcomes of 100.4p each (251p × 0.4, one year, 0%): each shows
  // 100p, but the total is 200.8p → 201p, not 100 + 100.
  ValuedOutcome o{.quantity = 1, .value_pence = 251, .duration_years = 1, .deadweight = 60};
  BusinessCaseInput in = one_outcome(o, 0, 150);
  in.outcomes.push_back(o);
  BusinessCase bc = computed(in);
  EXPECT_EQ(bc.outcomes[0].present_value_pence, 100);
  EXPECT_EQ(bc.outcomes[1].present_value_pence, 100);
  EXPECT_EQ(bc.total_present_value_pence, 201);
  EXPECT_EQ(bc.net_present_value_pence, 51);
}

TEST(Rounding, HalvesGoAwayFromZero) {
  // 1 unit of 1p, deadweight 50%, one year at 0%: 0.5p → 1p. With costs of
  // 1p the NPV is 1 − 1 = 0 and the ratio exactly 1.
  BusinessCase bc =
      computed(one_outcome({.quantity = 1, .value_pence = 1, .duration_years = 1, .deadweight = 50}, 0, 1));
  EXPECT_EQ(bc.total_present_value_pence, 1);
  EXPECT_EQ(bc.net_present_value_pence, 0);
  EXPECT_EQ(*bc.ratio, 1.0);
}

TEST(NoCosts, SaysSoInsteadOfDividing) {
  BusinessCaseInput in = one_outcome({.quantity = 10, .value_pence = 5'000, .duration_years = 1}, 3.5, -1);
  ASSERT_TRUE(in.costs.empty());
  BusinessCase bc = computed(in);
  EXPECT_EQ(bc.total_costs_pence, 0);
  EXPECT_EQ(bc.net_present_value_pence, bc.total_present_value_pence);
  EXPECT_FALSE(bc.ratio.has_value());
  ASSERT_TRUE(bc.no_ratio.has_value());
  EXPECT_EQ(*bc.no_ratio, NoRatio::kNoCosts);
  for (const auto& s : bc.sensitivity) EXPECT_FALSE(s.at_low.ratio || s.at_high.ratio);
  EXPECT_FALSE(bc.scenarios.low.ratio || bc.scenarios.central.ratio || bc.scenarios.high.ratio);

  // Costs listed but all 0 are no costs either.
  in.costs = {{.label = "Donated room", .amount_pence = 0}};
  EXPECT_EQ(computed(in).no_ratio, NoRatio::kNoCosts);
}

TEST(Costs, AreAddedUndiscounted) {
  BusinessCaseInput in = one_outcome({.quantity = 1, .value_pence = 100, .duration_years = 1}, 3.5, 1'000);
  in.costs.push_back({.label = "Travel", .date = "2027-06-01", .amount_pence = 234});
  BusinessCase bc = computed(in);
  EXPECT_EQ(bc.total_costs_pence, 1'234);
  ASSERT_EQ(bc.costs.size(), 2u);
  EXPECT_EQ(bc.costs[1].label, "Travel");
  EXPECT_EQ(bc.discount_rate_percent, 3.5);
}

TEST(Defaults, DiscountRateIsTheGreenBooks) { EXPECT_EQ(BusinessCaseInput{}.discount_rate_percent, 3.5); }

// ---- Proxies -----------------------------------------------------------------

TEST(Proxies, WellbyIsHmTreasurys) {
  const Proxy* w = find_proxy("wellby");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->value_pence, 1'300'000);
  EXPECT_EQ(w->low_pence, 1'000'000);
  EXPECT_EQ(w->high_pence, 1'600'000);
  EXPECT_EQ(w->price_year, 2019);
  EXPECT_NE(w->source.find("HM Treasury"), std::string::npos);
  EXPECT_EQ(find_proxy("no-such-proxy"), nullptr);
}

TEST(Proxies, EveryOneIsCitedAndItsRangeHoldsItsValue) {
  for (const auto& p : built_in_proxies()) {
    EXPECT_FALSE(p.code.empty());
    EXPECT_FALSE(p.name.empty()) << p.code;
    EXPECT_FALSE(p.unit.empty()) << p.code;
    EXPECT_FALSE(p.source.empty()) << p.code;
    EXPECT_EQ(p.source_url.rfind("https://", 0), 0u) << p.code;
    EXPECT_GT(p.price_year, 2000) << p.code;
    EXPECT_GT(p.value_pence, 0) << p.code;
    EXPECT_EQ(p.low_pence.has_value(), p.high_pence.has_value()) << p.code;
    EXPECT_LE(p.low_pence.value_or(p.value_pence), p.value_pence) << p.code;
    EXPECT_GE(p.high_pence.value_or(p.value_pence), p.value_pence) << p.code;
    EXPECT_EQ(find_proxy(p.code), &p);
  }
}

TEST(Proxies, ApplyingOneSetsTheValueSourceAndRange) {
  ValuedOutcome o{.quantity = 2, .duration_years = 1};
  apply_proxy(*find_proxy("wellby"), o);
  EXPECT_EQ(o.value_pence, 1'300'000);
  EXPECT_EQ(o.price_year, 2019);
  EXPECT_EQ(o.source, find_proxy("wellby")->source);
  ASSERT_EQ(o.ranges.count(Assumption::kValue), 1u);
  EXPECT_EQ(o.ranges[Assumption::kValue].low, 1'000'000);
  EXPECT_EQ(o.ranges[Assumption::kValue].high, 1'600'000);
  // The sensitivity analysis then uses the published range, not ±50%.
  BusinessCase bc = computed(one_outcome(o, 3.5, 1));
  for (const auto& s : bc.sensitivity) {
    if (s.assumption != Assumption::kValue) continue;
    EXPECT_FALSE(s.default_range);
    EXPECT_EQ(s.range.low, 1'000'000);
    EXPECT_EQ(s.range.high, 1'600'000);
  }
}

// ---- Validation --------------------------------------------------------------

// Three valid outcomes and a cost; each case spoils one thing.
BusinessCaseInput valid_input() {
  BusinessCaseInput in;
  for (int i = 0; i < 3; ++i) {
    in.outcomes.push_back({.id = i + 1,
                           .name = "Outcome " + std::to_string(i + 1),
                           .quantity = 10,
                           .value_pence = 5'000,
                           .duration_years = 3,
                           .deadweight = 25,
                           .attribution = 10,
                           .displacement = 5,
                           .drop_off = 20});
  }
  in.costs = {{.label = "Facilitator", .date = "2026-02-01", .amount_pence = 100'000}};
  return in;
}

struct BadCase {
  std::string name;
  void (*spoil)(BusinessCaseInput&);
  std::string field;  // empty: still valid
  Problem kind = Problem::kOutOfRange;
  std::string mentions = "";  // a phrase the message must hold
};

// Failures name the case, not its bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class Validate : public ::testing::TestWithParam<BadCase> {};

TEST_P(Validate, NamesTheFieldAndKind) {
  BusinessCaseInput in = valid_input();
  GetParam().spoil(in);
  std::vector<FieldError> errors = validate(in);
  if (GetParam().field.empty()) {
    EXPECT_TRUE(errors.empty()) << errors.front().field << ": " << errors.front().message;
    return;
  }
  ASSERT_EQ(errors.size(), 1u) << (errors.empty() ? "no error" : errors[0].field + ", " + errors[1].field);
  EXPECT_EQ(errors[0].field, GetParam().field);
  EXPECT_EQ(errors[0].kind, GetParam().kind) << errors[0].message;
  EXPECT_FALSE(errors[0].message.empty());
  EXPECT_NE(errors[0].message.find(GetParam().mentions), std::string::npos) << errors[0].message;
}

INSTANTIATE_TEST_SUITE_P(
    Value, Validate,
    ::testing::Values(
        BadCase{"valid", [](BusinessCaseInput&) {}, ""},
        BadCase{"rate_0", [](BusinessCaseInput& in) { in.discount_rate_percent = 0; }, ""},
        BadCase{"rate_20", [](BusinessCaseInput& in) { in.discount_rate_percent = 20; }, ""},
        BadCase{"rate_negative", [](BusinessCaseInput& in) { in.discount_rate_percent = -0.1; }, "discount_rate",
                Problem::kOutOfRange, "between 0% and 20%"},
        BadCase{"rate_over_20", [](BusinessCaseInput& in) { in.discount_rate_percent = 20.01; }, "discount_rate"},
        BadCase{"rate_nan", [](BusinessCaseInput& in) { in.discount_rate_percent = std::nan(""); }, "discount_rate"},
        BadCase{"quantity_negative", [](BusinessCaseInput& in) { in.outcomes[0].quantity = -1; }, "outcomes.0.quantity",
                Problem::kOutOfRange, "outcome 1 (Outcome 1)"},
        BadCase{"quantity_0", [](BusinessCaseInput& in) { in.outcomes[0].quantity = 0; }, ""},
        BadCase{"quantity_fractional", [](BusinessCaseInput& in) { in.outcomes[0].quantity = 2.5; }, ""},
        BadCase{"quantity_over_limit", [](BusinessCaseInput& in) { in.outcomes[1].quantity = kMaxQuantity + 1; },
                "outcomes.1.quantity"},
        BadCase{"quantity_infinite", [](BusinessCaseInput& in) { in.outcomes[1].quantity = INFINITY; },
                "outcomes.1.quantity"},
        BadCase{"value_negative", [](BusinessCaseInput& in) { in.outcomes[2].value_pence = -1; },
                "outcomes.2.value_pence", Problem::kOutOfRange, "outcome 3"},
        BadCase{"value_over_limit", [](BusinessCaseInput& in) { in.outcomes[2].value_pence = kMaxValuePence + 1; },
                "outcomes.2.value_pence"},
        BadCase{"duration_negative", [](BusinessCaseInput& in) { in.outcomes[0].duration_years = -1; },
                "outcomes.0.duration_years"},
        BadCase{"duration_0", [](BusinessCaseInput& in) { in.outcomes[0].duration_years = 0; }, ""},
        BadCase{"duration_over_limit",
                [](BusinessCaseInput& in) { in.outcomes[0].duration_years = kMaxDurationYears + 1; },
                "outcomes.0.duration_years"},
        BadCase{"deadweight_negative", [](BusinessCaseInput& in) { in.outcomes[2].deadweight = -0.5; },
                "outcomes.2.deadweight", Problem::kOutOfRange, "between 0% and 100%"},
        BadCase{"deadweight_over_100", [](BusinessCaseInput& in) { in.outcomes[2].deadweight = 100.5; },
                "outcomes.2.deadweight"},
        BadCase{"deadweight_100", [](BusinessCaseInput& in) { in.outcomes[2].deadweight = 100; }, ""},
        BadCase{"attribution_over_100", [](BusinessCaseInput& in) { in.outcomes[1].attribution = 101; },
                "outcomes.1.attribution"},
        BadCase{"displacement_negative", [](BusinessCaseInput& in) { in.outcomes[1].displacement = -1; },
                "outcomes.1.displacement"},
        BadCase{"drop_off_over_100", [](BusinessCaseInput& in) { in.outcomes[0].drop_off = 150; },
                "outcomes.0.drop_off"},
        BadCase{"drop_off_nan", [](BusinessCaseInput& in) { in.outcomes[0].drop_off = std::nan(""); },
                "outcomes.0.drop_off"},
        BadCase{"cost_negative", [](BusinessCaseInput& in) { in.costs[0].amount_pence = -1; }, "costs.0.amount_pence",
                Problem::kOutOfRange, "Cost 1 (Facilitator)"},
        BadCase{"cost_0", [](BusinessCaseInput& in) { in.costs[0].amount_pence = 0; }, ""},
        BadCase{"cost_over_limit",
                [](BusinessCaseInput& in) { in.costs.push_back({.amount_pence = kMaxCostPence + 1}); },
                "costs.1.amount_pence"},
        BadCase{"too_many_outcomes",
                [](BusinessCaseInput& in) { in.outcomes.resize(kMaxOutcomes + 1, in.outcomes[0]); }, "outcomes",
                Problem::kTooLong},
        BadCase{"too_many_costs", [](BusinessCaseInput& in) { in.costs.resize(kMaxCosts + 1, in.costs[0]); }, "costs",
                Problem::kTooLong},
        // Ranges set for the sensitivity analysis.
        BadCase{"range_fine",
                [](BusinessCaseInput& in) {
                  in.outcomes[0].ranges[Assumption::kDeadweight] = {10, 25};
                },
                ""},
        BadCase{"range_low_above_central",
                [](BusinessCaseInput& in) { in.outcomes[0].ranges[Assumption::kDeadweight] = {30, 40}; },
                "outcomes.0.ranges.deadweight.low", Problem::kOutOfOrder, "25%"},
        BadCase{"range_high_below_central",
                [](BusinessCaseInput& in) { in.outcomes[1].ranges[Assumption::kQuantity] = {5, 8}; },
                "outcomes.1.ranges.quantity.high", Problem::kOutOfOrder},
        BadCase{"range_end_out_of_limits",
                [](BusinessCaseInput& in) { in.outcomes[0].ranges[Assumption::kDropOff] = {-5, 50}; },
                "outcomes.0.ranges.drop_off.low", Problem::kOutOfRange},
        BadCase{"range_duration_not_whole",
                [](BusinessCaseInput& in) { in.outcomes[2].ranges[Assumption::kDuration] = {1.5, 4}; },
                "outcomes.2.ranges.duration_years.low", Problem::kInvalid},
        BadCase{"range_discount_on_an_outcome",
                [](BusinessCaseInput& in) { in.outcomes[0].ranges[Assumption::kDiscountRate] = {1, 5}; },
                "outcomes.0.ranges.discount_rate", Problem::kUnknownCode},
        BadCase{"discount_range_fine", [](BusinessCaseInput& in) { in.discount_rate_range = Range{1.5, 6}; }, ""},
        BadCase{"discount_range_high_over_20", [](BusinessCaseInput& in) { in.discount_rate_range = Range{0, 25}; },
                "ranges.discount_rate.high", Problem::kOutOfRange},
        BadCase{"discount_range_misses_central", [](BusinessCaseInput& in) { in.discount_rate_range = Range{4, 5}; },
                "ranges.discount_rate.low", Problem::kOutOfOrder, "3.5%"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Validate, ReportsEveryProblemAtOnce) {
  BusinessCaseInput in = valid_input();
  in.discount_rate_percent = 21;
  in.outcomes[1].deadweight = -1;
  in.outcomes[1].attribution = 101;
  in.costs[0].amount_pence = -5;
  std::vector<FieldError> errors = validate(in);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"discount_rate", "outcomes.1.deadweight", "outcomes.1.attribution",
                                              "costs.0.amount_pence"}));
}

// ---- Sensitivity ranges --------------------------------------------------------

struct RangeCase {
  std::string name;
  Assumption assumption;
  double central;
  double low, high;
};

// Failures name the case, not its bytes.
void PrintTo(const RangeCase& c, std::ostream* os) { *os << c.name; }

class DefaultRange : public ::testing::TestWithParam<RangeCase> {};

TEST_P(DefaultRange, IsHalfEitherSideClampedToWhatIsValid) {
  Range r = default_range(GetParam().assumption, GetParam().central);
  EXPECT_DOUBLE_EQ(r.low, GetParam().low);
  EXPECT_DOUBLE_EQ(r.high, GetParam().high);
}

INSTANTIATE_TEST_SUITE_P(
    Value, DefaultRange,
    ::testing::Values(RangeCase{"quantity", Assumption::kQuantity, 10, 5, 15},
                      RangeCase{"quantity_clamped", Assumption::kQuantity, 900'000, 450'000, kMaxQuantity},
                      RangeCase{"value", Assumption::kValue, 1'300'000, 650'000, 1'950'000},
                      RangeCase{"value_clamped", Assumption::kValue, 800'000'000, 400'000'000, kMaxValuePence},
                      // Whole years, widened outwards: 1.5 → 1, 4.5 → 5.
                      RangeCase{"duration_3", Assumption::kDuration, 3, 1, 5},
                      RangeCase{"duration_1", Assumption::kDuration, 1, 0, 2},
                      RangeCase{"duration_4", Assumption::kDuration, 4, 2, 6},
                      RangeCase{"duration_clamped", Assumption::kDuration, 25, 12, kMaxDurationYears},
                      RangeCase{"duration_0", Assumption::kDuration, 0, 0, 0},
                      RangeCase{"deadweight", Assumption::kDeadweight, 20, 10, 30},
                      RangeCase{"deadweight_clamped", Assumption::kDeadweight, 80, 40, 100},
                      RangeCase{"attribution_0", Assumption::kAttribution, 0, 0, 0},
                      RangeCase{"drop_off_clamped", Assumption::kDropOff, 70, 35, 100},
                      RangeCase{"discount", Assumption::kDiscountRate, 3.5, 1.75, 5.25},
                      RangeCase{"discount_clamped", Assumption::kDiscountRate, 15, 7.5, 20}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Sensitivity, UsesTheDefaultWhereNoRangeIsSet) {
  ValuedOutcome o{.quantity = 10, .value_pence = 5'000, .duration_years = 3, .deadweight = 80};
  o.ranges[Assumption::kQuantity] = {8, 12};
  BusinessCase bc = computed(one_outcome(o, 3.5, 1'000));
  // 7 assumptions of the outcome and the discount rate.
  ASSERT_EQ(bc.sensitivity.size(), 8u);
  for (const auto& s : bc.sensitivity) {
    SCOPED_TRACE(std::string(assumption_key(s.assumption)));
    if (s.assumption == Assumption::kQuantity) {
      EXPECT_FALSE(s.default_range);
      EXPECT_EQ(s.range.low, 8);
      EXPECT_EQ(s.range.high, 12);
    } else {
      EXPECT_TRUE(s.default_range);
      Range d = default_range(s.assumption, s.central);
      EXPECT_EQ(s.range.low, d.low);
      EXPECT_EQ(s.range.high, d.high);
    }
    EXPECT_EQ(s.outcome.has_value(), s.assumption != Assumption::kDiscountRate);
  }
}

TEST(Sensitivity, TornadoOrderIsTheLargestSwingFirst) {
  // 10 units at £100 for one year, deadweight 50%, 3.5%: PV 48,309p.
  // Swings (PV at low and high, each rounded):
  //   duration 0..2 (default):       0 and 50,000/1.035 + 50,000/1.071225 = 94,985 → 94,985
  //   value £50..£150 (default):     24,155 and 72,464                              → 48,309
  //   quantity 8..12 (set):          38,647 and 57,971                              → 19,324
  //   deadweight 45..50 (set):       53,140 and 48,309                              →  4,831
  //   discount rate 1.75..5.25%:     49,140 and 47,506                              →  1,634
  //   attribution, displacement 0..0, drop-off 0..0: no swing, in input order.
  ValuedOutcome o{
      .id = 9, .name = "Friendship", .quantity = 10, .value_pence = 10'000, .duration_years = 1, .deadweight = 50};
  o.ranges[Assumption::kQuantity] = {8, 12};
  o.ranges[Assumption::kDeadweight] = {45, 50};
  BusinessCase bc = computed(one_outcome(o, 3.5, 40'000));

  std::vector<std::string> order;
  std::vector<int64_t> swings;
  for (const auto& s : bc.sensitivity) {
    order.push_back(std::string(assumption_key(s.assumption)));
    swings.push_back(s.swing_pence);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"duration_years", "value_pence", "quantity", "deadweight", "discount_rate",
                                             "attribution", "displacement", "drop_off"}));
  EXPECT_EQ(swings, (std::vector<int64_t>{94'985, 48'309, 19'324, 4'831, 1'634, 0, 0, 0}));

  const Sensitivity& q = bc.sensitivity[2];
  EXPECT_EQ(q.outcome_id, 9);
  EXPECT_EQ(q.outcome_name, "Friendship");
  EXPECT_EQ(q.at_low.total_present_value_pence, 38'647);
  EXPECT_EQ(q.at_low.net_present_value_pence, 38'647 - 40'000);
  EXPECT_DOUBLE_EQ(*q.at_high.ratio, 57'971.0 / 40'000.0);
  EXPECT_FALSE(bc.sensitivity[4].outcome.has_value());  // the discount rate is the whole case's
}

// ---- Break-even ------------------------------------------------------------------

const BreakEven& find_break_even(const BusinessCase& bc, std::optional<size_t> outcome, Assumption a) {
  for (const auto& b : bc.break_even) {
    if (b.outcome == outcome && b.assumption == a) return b;
  }
  ADD_FAILURE() << "no break-even for " << assumption_key(a);
  static BreakEven none;
  return none;
}

ValuedOutcome breaking_outcome() {
  return {.id = 1,
          .name = "Support",
          .quantity = 10,
          .value_pence = 5'000,
          .duration_years = 3,
          .deadweight = 10,
          .drop_off = 20};
}

TEST(BreakEven, QuantityIsCostsOverPresentValuePerUnit) {
  BusinessCaseInput in = one_outcome(breaking_outcome(), 3.5, 200'000);
  BusinessCase bc = computed(in);
  const BreakEven& b = find_break_even(bc, 0, Assumption::kQuantity);
  ASSERT_EQ(b.result, BreakEvenResult::kFound);

  // The present value of one unit, from the arithmetic itself.
  BusinessCaseInput unit = in;
  unit.outcomes[0].quantity = 1;
  double pv_per_unit = computed(unit).outcomes[0].present_value_exact;
  EXPECT_NEAR(*b.value, 200'000 / pv_per_unit, 1e-9);

  // At the break-even quantity the NPV is within a penny of 0.
  BusinessCaseInput at = in;
  at.outcomes[0].quantity = *b.value;
  BusinessCase again = computed(at);
  EXPECT_LT(std::llabs(again.net_present_value_pence), 1);
  EXPECT_EQ(*again.ratio, 1.0);
}

TEST(BreakEven, QuantityCountsTheOtherOutcomes) {
  // A second outcome worth 100,000p (103,500p over one year at 3.5%) covers
  // half the 200,000p costs: the first must cover the rest.
  BusinessCaseInput in = one_outcome(breaking_outcome(), 3.5, 200'000);
  in.outcomes.push_back({.id = 2, .quantity = 1, .value_pence = 103'500, .duration_years = 1});
  BusinessCase bc = computed(in);
  BusinessCaseInput unit = in;
  unit.outcomes[0].quantity = 1;
  double pv_per_unit = computed(unit).outcomes[0].present_value_exact;
  EXPECT_NEAR(*find_break_even(bc, 0, Assumption::kQuantity).value, 100'000 / pv_per_unit, 1e-9);
  EXPECT_NEAR(*find_break_even(bc, 1, Assumption::kQuantity).value,
              (200'000 - bc.outcomes[0].present_value_exact) / 100'000, 1e-9);
}

TEST(BreakEven, ValuePerUnitRecomputesToZero) {
  BusinessCaseInput in = one_outcome(breaking_outcome(), 3.5, 200'000);
  BusinessCase bc = computed(in);  // kept: b refers into it
  const BreakEven& b = find_break_even(bc, 0, Assumption::kValue);
  ASSERT_EQ(b.result, BreakEvenResult::kFound);
  // Value per unit is whole pence in the input, so check the line instead:
  // NPV is linear in V, so V* × (PV at 1p) = costs.
  BusinessCaseInput penny = in;
  penny.outcomes[0].value_pence = 1;
  EXPECT_NEAR(*b.value * computed(penny).outcomes[0].present_value_exact, 200'000, 1e-6);
}

struct BreakEvenCase {
  std::string name;
  ValuedOutcome outcome;
  double rate;
  int64_t costs;
  Assumption assumption;
  BreakEvenResult result;
  double value = 0;  // when found, worked by hand
};

// Failures name the case, not its bytes.
void PrintTo(const BreakEvenCase& c, std::ostream* os) { *os << c.name; }

class BreakEvenByHand : public ::testing::TestWithParam<BreakEvenCase> {};

TEST_P(BreakEvenByHand, MatchesTheWorking) {
  const BreakEvenCase& c = GetParam();
  BusinessCase bc = computed(one_outcome(c.outcome, c.rate, c.costs));
  std::optional<size_t> outcome;
  if (c.assumption != Assumption::kDiscountRate) outcome = 0;
  const BreakEven& b = find_break_even(bc, outcome, c.assumption);
  EXPECT_EQ(b.result, c.result);
  EXPECT_EQ(b.value.has_value(), c.result == BreakEvenResult::kFound);
  if (!b.value) return;
  EXPECT_NEAR(*b.value, c.value, 1e-9);

  // Recomputed at the break-even value, NPV is within a penny of 0 (or, for
  // the duration, first reaches 0 or more).
  BusinessCaseInput at = one_outcome(c.outcome, c.rate, c.costs);
  ValuedOutcome& o = at.outcomes[0];
  switch (c.assumption) {
    case Assumption::kDiscountRate:
      at.discount_rate_percent = *b.value;
      break;
    case Assumption::kDeadweight:
      o.deadweight = *b.value;
      break;
    case Assumption::kAttribution:
      o.attribution = *b.value;
      break;
    case Assumption::kDisplacement:
      o.displacement = *b.value;
      break;
    case Assumption::kDropOff:
      o.drop_off = *b.value;
      break;
    case Assumption::kDuration:
      o.duration_years = static_cast<int>(*b.value);
      break;
    default:
      FAIL() << "not a case this test recomputes";
  }
  BusinessCase again = computed(at);
  if (c.assumption == Assumption::kDuration) {
    EXPECT_GE(again.net_present_value_pence, 0);
    o.duration_years -= 1;
    EXPECT_LT(computed(at).net_present_value_pence, 0);
  } else {
    EXPECT_LT(std::llabs(again.net_present_value_pence), 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Value, BreakEvenByHand,
                         ::testing::Values(
                             // Two years of 121,000p against 210,000p. With x = 1/(1+δ): 121,000(x + x²) = 210,000, so
                             // x + x² = 210/121, which x = 10/11 solves (10/11 + 100/121 = 210/121): δ = 10%.
                             BreakEvenCase{"discount_rate_by_bisection",
                                           {.quantity = 1, .value_pence = 121'000, .duration_years = 2},
                                           3.5,
                                           210'000,
                                           Assumption::kDiscountRate,
                                           BreakEvenResult::kFound,
                                           10},
                             // One year of 105,000p against 100,000p: 105,000/(1+δ) = 100,000, δ = 5%.
                             BreakEvenCase{"discount_rate_one_year",
                                           {.quantity = 1, .value_pence = 105'000, .duration_years = 1},
                                           3.5,
                                           100'000,
                                           Assumption::kDiscountRate,
                                           BreakEvenResult::kFound,
                                           5},
                             // Undiscounted the outcome is worth 100,000p, under the 100,001p
                             // costs: no rate from 0 to 20% breaks even.
                             BreakEvenCase{"discount_rate_never",
                                           {.quantity = 1, .value_pence = 100'000, .duration_years = 1},
                                           3.5,
                                           100'001,
                                           Assumption::kDiscountRate,
                                           BreakEvenResult::kNegativeThroughout},
                             // At 20% it is still worth 120,000/1.2 = 100,000p, over 99,999p costs.
                             BreakEvenCase{"discount_rate_always",
                                           {.quantity = 1, .value_pence = 120'000, .duration_years = 1},
                                           3.5,
                                           99'999,
                                           Assumption::kDiscountRate,
                                           BreakEvenResult::kPositiveThroughout},
                             // 103,500p a year for one year is 100,000p at 3.5%; costs 60,000p:
                             // 100,000(1 − d) = 60,000, so d = 40%.
                             BreakEvenCase{"deadweight",
                                           {.quantity = 1, .value_pence = 103'500, .duration_years = 1},
                                           3.5,
                                           60'000,
                                           Assumption::kDeadweight,
                                           BreakEvenResult::kFound,
                                           40},
                             BreakEvenCase{"attribution",
                                           {.quantity = 1, .value_pence = 103'500, .duration_years = 1},
                                           3.5,
                                           60'000,
                                           Assumption::kAttribution,
                                           BreakEvenResult::kFound,
                                           40},
                             // Deadweight held at 20%, displacement varied: 100,000 × 0.8 × (1 − p)
                             // = 60,000, so p = 25%.
                             BreakEvenCase{
                                 "displacement_with_deadweight",
                                 {.quantity = 1, .value_pence = 103'500, .duration_years = 1, .deadweight = 20},
                                 3.5,
                                 60'000,
                                 Assumption::kDisplacement,
                                 BreakEvenResult::kFound,
                                 25},
                             // Costs over the whole undiscounted value: no deadweight helps.
                             BreakEvenCase{"deadweight_never",
                                           {.quantity = 1, .value_pence = 103'500, .duration_years = 1},
                                           3.5,
                                           100'001,
                                           Assumption::kDeadweight,
                                           BreakEvenResult::kNegativeThroughout},
                             // No costs: even a deadweight of 100% leaves NPV 0 — that is the
                             // break-even point, at 100.
                             BreakEvenCase{"deadweight_no_costs",
                                           {.quantity = 1, .value_pence = 103'500, .duration_years = 1},
                                           3.5,
                                           0,
                                           Assumption::kDeadweight,
                                           BreakEvenResult::kFound,
                                           100},
                             // Two years of 103,500p at 3.5%: year 1 is 100,000p, year 2 is
                             // 103,500(1 − r)/1.071225 = 96,618.357(1 − r). Costs 150,000p:
                             // 96,618.357(1 − r) = 50,000, so 1 − r = 50,000 × 1.071225/103,500
                             // = 0.5175 and r = 48.25%.
                             BreakEvenCase{"drop_off_by_bisection",
                                           {.quantity = 1, .value_pence = 103'500, .duration_years = 2},
                                           3.5,
                                           150'000,
                                           Assumption::kDropOff,
                                           BreakEvenResult::kFound,
                                           48.25},
                             // Year 1 alone (100,000p) covers 90,000p costs whatever the drop-off.
                             BreakEvenCase{"drop_off_always",
                                           {.quantity = 1, .value_pence = 103'500, .duration_years = 2},
                                           3.5,
                                           90'000,
                                           Assumption::kDropOff,
                                           BreakEvenResult::kPositiveThroughout},
                             // 103,500p a year at 3.5%: after 1 year 100,000p, 2 years
                             // 196,618.357p, 3 years 289,969.428p. Costs 250,000p: 3 years.
                             BreakEvenCase{"duration_in_whole_years",
                                           {.quantity = 1, .value_pence = 103'500, .duration_years = 5},
                                           3.5,
                                           250'000,
                                           Assumption::kDuration,
                                           BreakEvenResult::kFound,
                                           3},
                             // 1p a year can never pay back 1,000,000p within 30 years.
                             BreakEvenCase{"duration_never",
                                           {.quantity = 1, .value_pence = 1, .duration_years = 5},
                                           3.5,
                                           1'000'000,
                                           Assumption::kDuration,
                                           BreakEvenResult::kNegativeThroughout}),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(BreakEven, QuantityOfAnOutcomeWorthNothingCannotHelp) {
  // The value per unit is 0, so no quantity breaks even against any cost.
  BusinessCase bc = computed(one_outcome({.quantity = 5, .value_pence = 0, .duration_years = 2}, 3.5, 10));
  EXPECT_EQ(find_break_even(bc, 0, Assumption::kQuantity).result, BreakEvenResult::kNegativeThroughout);
  EXPECT_FALSE(find_break_even(bc, 0, Assumption::kQuantity).value.has_value());
}

TEST(BreakEven, QuantityNotNeededWhenOthersCoverTheCosts) {
  BusinessCaseInput in = one_outcome(breaking_outcome(), 3.5, 50'000);
  in.outcomes.push_back({.id = 2, .quantity = 1, .value_pence = 103'500, .duration_years = 1});  // 100,000p
  BusinessCase bc = computed(in);
  EXPECT_EQ(find_break_even(bc, 0, Assumption::kQuantity).result, BreakEvenResult::kPositiveThroughout);
}

TEST(BreakEven, ListsEveryAssumptionOfEveryOutcomeThenTheRate) {
  BusinessCaseInput in = one_outcome(breaking_outcome(), 3.5, 200'000);
  in.outcomes.push_back(breaking_outcome());
  BusinessCase bc = computed(in);
  ASSERT_EQ(bc.break_even.size(), 2u * 7u + 1u);
  EXPECT_EQ(bc.break_even[7].outcome, std::optional<size_t>(1));
  EXPECT_EQ(bc.break_even[7].assumption, Assumption::kQuantity);
  EXPECT_EQ(bc.break_even.back().assumption, Assumption::kDiscountRate);
  EXPECT_FALSE(bc.break_even.back().outcome.has_value());
  EXPECT_EQ(bc.break_even.back().central, 3.5);
}

// ---- Scenarios -------------------------------------------------------------------

TEST(Scenarios, WorkedByHand) {
  // 10 units at £50 for one year, deadweight 20%, 3.5%, costs 10,000p, no
  // ranges set, so each is ±50%:
  //   central: 10 × 5,000 × 0.8 = 40,000p / 1.035 = 38,647.343p → 38,647p
  //   low:  duration floor(0.5) = 0 years → 0p
  //   high: 15 units × 7,500p × (1 − 10%) = 101,250p a year for ceil(1.5) = 2
  //         years at 1.75%: 101,250/1.0175 = 99,508.600p
  //                       + 101,250/1.03530625 = 97,797.149p
  //         = 197,305.749p → 197,306p
  BusinessCase bc =
      computed(one_outcome({.quantity = 10, .value_pence = 5'000, .duration_years = 1, .deadweight = 20}, 3.5, 10'000));
  EXPECT_EQ(bc.scenarios.central.total_present_value_pence, 38'647);
  EXPECT_EQ(bc.scenarios.central.net_present_value_pence, bc.net_present_value_pence);
  EXPECT_EQ(bc.scenarios.low.total_present_value_pence, 0);
  EXPECT_EQ(bc.scenarios.low.net_present_value_pence, -10'000);
  EXPECT_EQ(bc.scenarios.high.total_present_value_pence, 197'306);
  EXPECT_DOUBLE_EQ(*bc.scenarios.high.ratio, 197'306.0 / 10'000.0);
}

TEST(Scenarios, LowNoMoreThanCentralNoMoreThanHigh) {
  std::vector<BusinessCaseInput> inputs;
  inputs.push_back(valid_input());
  inputs.push_back(one_outcome(breaking_outcome(), 3.5, 200'000));
  BusinessCaseInput wellbeing = one_outcome(
      {.quantity = 20, .duration_years = 3, .deadweight = 25, .attribution = 40, .displacement = 10, .drop_off = 10},
      3.5, 25'000'000);
  apply_proxy(*find_proxy("wellby"), wellbeing.outcomes[0]);
  wellbeing.discount_rate_range = Range{1.5, 7};
  inputs.push_back(wellbeing);
  inputs.push_back(one_outcome(
      {.quantity = 3, .value_pence = 700, .duration_years = 10, .deadweight = 90, .attribution = 100, .drop_off = 100},
      20, 0));
  for (size_t i = 0; i < inputs.size(); ++i) {
    SCOPED_TRACE("input " + std::to_string(i));
    BusinessCase bc = computed(inputs[i]);
    EXPECT_LE(bc.scenarios.low.net_present_value_pence, bc.scenarios.central.net_present_value_pence);
    EXPECT_LE(bc.scenarios.central.net_present_value_pence, bc.scenarios.high.net_present_value_pence);
    // No single assumption moves NPV beyond the scenarios that move them all.
    for (const auto& s : bc.sensitivity) {
      for (const Scenario* end : {&s.at_low, &s.at_high}) {
        EXPECT_GE(end->net_present_value_pence, bc.scenarios.low.net_present_value_pence);
        EXPECT_LE(end->net_present_value_pence, bc.scenarios.high.net_present_value_pence);
      }
    }
  }
}

}  // namespace
}  // namespace coproduce::impact
