#include "impact/value.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "report/format.h"

namespace coproduce::impact {

const std::vector<Proxy>& built_in_proxies() {
  // Figures copied exactly from the source named beside them; nothing here
  // is estimated. Add a proxy only with a figure that can be cited.
  static const std::vector<Proxy> proxies = {
      {.code = "wellby",
       .name = "Wellbeing (WELLBY)",
       .unit = "one point of life satisfaction, on a scale of 0 to 10, for one person for one year",
       .value_pence = 1'300'000,  // £13,000
       .low_pence = 1'000'000,    // £10,000
       .high_pence = 1'600'000,   // £16,000
       .source = "HM Treasury (2021), Wellbeing guidance for appraisal: supplementary Green Book guidance",
       .source_url = "https://www.gov.uk/government/publications/green-book-supplementary-guidance-wellbeing",
       .price_year = 2019},
  };
  return proxies;
}

const Proxy* find_proxy(std::string_view code) {
  for (const auto& p : built_in_proxies()) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

const std::vector<Assumption>& all_assumptions() {
  static const std::vector<Assumption> all = {
      Assumption::kQuantity,    Assumption::kValue,        Assumption::kDuration, Assumption::kDeadweight,
      Assumption::kAttribution, Assumption::kDisplacement, Assumption::kDropOff,  Assumption::kDiscountRate};
  return all;
}

std::string_view assumption_key(Assumption a) {
  switch (a) {
    case Assumption::kQuantity:
      return "quantity";
    case Assumption::kValue:
      return "value_pence";
    case Assumption::kDuration:
      return "duration_years";
    case Assumption::kDeadweight:
      return "deadweight";
    case Assumption::kAttribution:
      return "attribution";
    case Assumption::kDisplacement:
      return "displacement";
    case Assumption::kDropOff:
      return "drop_off";
    case Assumption::kDiscountRate:
      return "discount_rate";
  }
  return "";
}

std::string_view assumption_label(Assumption a) {
  switch (a) {
    case Assumption::kQuantity:
      return "Quantity";
    case Assumption::kValue:
      return "Value per unit";
    case Assumption::kDuration:
      return "Duration";
    case Assumption::kDeadweight:
      return "Deadweight";
    case Assumption::kAttribution:
      return "Attribution";
    case Assumption::kDisplacement:
      return "Displacement";
    case Assumption::kDropOff:
      return "Drop-off";
    case Assumption::kDiscountRate:
      return "Discount rate";
  }
  return "";
}

void apply_proxy(const Proxy& proxy, ValuedOutcome& outcome) {
  outcome.value_pence = proxy.value_pence;
  outcome.source = proxy.source;
  outcome.price_year = proxy.price_year;
  if (proxy.low_pence && proxy.high_pence) {
    outcome.ranges[Assumption::kValue] = {static_cast<double>(*proxy.low_pence),
                                          static_cast<double>(*proxy.high_pence)};
  }
}

namespace {

// The values an assumption may take.
Range limits(Assumption a) {
  switch (a) {
    case Assumption::kQuantity:
      return {0, kMaxQuantity};
    case Assumption::kValue:
      return {0, static_cast<double>(kMaxValuePence)};
    case Assumption::kDuration:
      return {0, static_cast<double>(kMaxDurationYears)};
    case Assumption::kDiscountRate:
      return {0, kMaxDiscountRatePercent};
    default:
      return {0, 100};
  }
}

bool is_percentage(Assumption a) {
  return a == Assumption::kDeadweight || a == Assumption::kAttribution || a == Assumption::kDisplacement ||
         a == Assumption::kDropOff || a == Assumption::kDiscountRate;
}

// NaN fails both comparisons, so it is out of range too.
bool within(double x, Range r) { return x >= r.low && x <= r.high; }

// ---- Messages -------------------------------------------------------------

// A number as a person would write it: "1,000,000", "2.5", "0.125".
std::string number(double x) {
  if (!std::isfinite(x)) return "not a number";
  if (std::fabs(x) < 1e15 && x == std::floor(x)) return report::group_thousands(static_cast<int64_t>(x));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", x);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string pounds(double pence) {
  if (!std::isfinite(pence)) return "not a number";
  return report::format_money(std::llround(pence));
}

// An assumption's value in its own units: "25%", "£13,000", "3 years", "12".
std::string show(Assumption a, double x) {
  if (is_percentage(a)) return number(x) + "%";
  if (a == Assumption::kValue) return pounds(x);
  if (a == Assumption::kDuration) return number(x) + (x == 1 ? " year" : " years");
  return number(x);
}

std::string lower_first(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

// Field names are API paths with list indexes from 0; messages count from 1.
std::string at(const std::string& list, size_t i) { return list + "." + std::to_string(i); }

std::string which_outcome(size_t i, const ValuedOutcome& o) {
  std::string s = "outcome " + std::to_string(i + 1);
  if (!o.name.empty()) s += " (" + o.name + ")";
  return s;
}

// "must be between 0% and 100%".
std::string between(Assumption a) {
  Range r = limits(a);
  return "must be between " + show(a, r.low) + " and " + show(a, r.high);
}

// An outcome's own value of an assumption.
double central_of(const ValuedOutcome& o, Assumption a) {
  switch (a) {
    case Assumption::kQuantity:
      return o.quantity;
    case Assumption::kValue:
      return static_cast<double>(o.value_pence);
    case Assumption::kDuration:
      return o.duration_years;
    case Assumption::kDeadweight:
      return o.deadweight;
    case Assumption::kAttribution:
      return o.attribution;
    case Assumption::kDisplacement:
      return o.displacement;
    case Assumption::kDropOff:
      return o.drop_off;
    case Assumption::kDiscountRate:
      break;
  }
  assert(false && "the discount rate is not an outcome's");
  return 0;
}

// Checks a range set for an assumption whose value is `central` (itself
// valid): each end within the assumption's limits (and whole years for the
// duration), and low ≤ central ≤ high.
void check_range(std::vector<FieldError>& errors, const std::string& field, Assumption a, Range r, double central,
                 const std::string& whose) {
  std::string label = lower_first(assumption_label(a));
  bool ends_ok = true;
  for (auto [end, x] : {std::pair{"low", r.low}, std::pair{"high", r.high}}) {
    std::string f = field + "." + end;
    std::string what = "The " + std::string(end) + " end of the " + label + " range" + whose;
    if (!within(x, limits(a))) {
      errors.push_back({f, what + " " + between(a), Problem::kOutOfRange});
      ends_ok = false;
    } else if (a == Assumption::kDuration && x != std::floor(x)) {
      errors.push_back({f, what + " must be a whole number of years", Problem::kInvalid});
      ends_ok = false;
    }
  }
  if (!ends_ok) return;
  if (r.low > central) {
    errors.push_back({field + ".low",
                      "The low end of the " + label + " range" + whose + " must be no more than the " + label +
                          " itself, " + show(a, central),
                      Problem::kOutOfOrder});
  }
  if (r.high < central) {
    errors.push_back({field + ".high",
                      "The high end of the " + label + " range" + whose + " must be no less than the " + label +
                          " itself, " + show(a, central),
                      Problem::kOutOfOrder});
  }
}

// ---- Arithmetic -----------------------------------------------------------

// One outcome's assumptions as the arithmetic uses them.
struct Point {
  long double q = 0, v = 0;
  int t = 0;
  long double d = 0, a = 0, p = 0, r = 0;
};

Point point_of(const ValuedOutcome& o) {
  return {o.quantity,       static_cast<long double>(o.value_pence),
          o.duration_years, o.deadweight,
          o.attribution,    o.displacement,
          o.drop_off};
}

Point with(Point pt, Assumption a, long double x) {
  switch (a) {
    case Assumption::kQuantity:
      pt.q = x;
      break;
    case Assumption::kValue:
      pt.v = x;
      break;
    case Assumption::kDuration:
      pt.t = static_cast<int>(std::lround(static_cast<double>(x)));
      break;
    case Assumption::kDeadweight:
      pt.d = x;
      break;
    case Assumption::kAttribution:
      pt.a = x;
      break;
    case Assumption::kDisplacement:
      pt.p = x;
      break;
    case Assumption::kDropOff:
      pt.r = x;
      break;
    case Assumption::kDiscountRate:
      assert(false && "the discount rate is not an outcome's");
      break;
  }
  return pt;
}

// Q·V·(1−d)(1−a)(1−p).
long double adjusted(const Point& pt) { return pt.q * pt.v * (1 - pt.d / 100) * (1 - pt.a / 100) * (1 - pt.p / 100); }

// Σ_{t=1..T} adjusted·(1−r)^(t−1) / (1+δ)^t, with the powers built up year by
// year; `years`, when given, receives each year's figures.
long double present_value(const Point& pt, long double rate_percent, std::vector<YearValue>* years = nullptr) {
  long double value = adjusted(pt), growth = 1 + rate_percent / 100, keep = 1 - pt.r / 100;
  long double compound = 1, sum = 0;
  for (int t = 1; t <= pt.t; ++t) {
    compound *= growth;
    long double pv = value / compound;
    sum += pv;
    if (years) {
      years->push_back({t, static_cast<double>(value), static_cast<double>(1 / compound), static_cast<double>(pv)});
    }
    value *= keep;
  }
  return sum;
}

// Rounded to the nearest penny, halves away from zero.
int64_t to_pence(long double x) { return static_cast<int64_t>(std::llround(x)); }

Scenario scenario(long double total_pv, int64_t costs) {
  Scenario s;
  s.total_present_value_pence = to_pence(total_pv);
  s.net_present_value_pence = s.total_present_value_pence - costs;
  if (costs > 0) s.ratio = static_cast<double>(s.total_present_value_pence) / static_cast<double>(costs);
  return s;
}

// The business case's outcomes at their central values, and the totals as
// one of them (or the rate) is changed.
class Model {
 public:
  Model(const BusinessCaseInput& in, int64_t costs) : rate_(in.discount_rate_percent), costs_(costs) {
    for (const auto& o : in.outcomes) {
      points_.push_back(point_of(o));
      pvs_.push_back(present_value(points_.back(), rate_));
    }
  }

  long double rate() const { return rate_; }
  const Point& point(size_t i) const { return points_[i]; }
  long double costs() const { return static_cast<long double>(costs_); }

  // Total present value with outcome i at `pt` instead (always summed in
  // the same order, so the central figure is reproduced exactly).
  long double total_with(size_t i, const Point& pt) const {
    long double sum = 0;
    for (size_t j = 0; j < pvs_.size(); ++j) sum += j == i ? present_value(pt, rate_) : pvs_[j];
    return sum;
  }
  long double total() const {
    long double sum = 0;
    for (long double pv : pvs_) sum += pv;
    return sum;
  }
  long double total_at_rate(long double rate) const {
    long double sum = 0;
    for (const auto& pt : points_) sum += present_value(pt, rate);
    return sum;
  }
  // Total present value of every outcome but i.
  long double others(size_t i) const {
    long double sum = 0;
    for (size_t j = 0; j < pvs_.size(); ++j) {
      if (j != i) sum += pvs_[j];
    }
    return sum;
  }

 private:
  long double rate_;
  int64_t costs_;
  std::vector<Point> points_;
  std::vector<long double> pvs_;
};

// Pessimistic end of a range: a smaller quantity, value or duration, and a
// larger adjustment or discount rate, give a smaller present value.
bool more_is_better(Assumption a) {
  return a == Assumption::kQuantity || a == Assumption::kValue || a == Assumption::kDuration;
}

Range range_for(const ValuedOutcome& o, Assumption a, bool* is_default) {
  auto it = o.ranges.find(a);
  *is_default = it == o.ranges.end();
  return *is_default ? default_range(a, central_of(o, a)) : it->second;
}

void set_found(BreakEven& be, long double x) {
  be.result = BreakEvenResult::kFound;
  be.value = static_cast<double>(x);
}
void set_sign(BreakEven& be, long double npv) {
  // Called only when NPV keeps one sign (or is 0 throughout, when the
  // central value itself breaks even).
  if (npv > 0) {
    be.result = BreakEvenResult::kPositiveThroughout;
  } else if (npv < 0) {
    be.result = BreakEvenResult::kNegativeThroughout;
  } else {
    set_found(be, be.central);
  }
}

// NPV = base + slope·x, x from 0 up: the x at which it is 0.
void solve_rising_line(BreakEven& be, long double base, long double slope) {
  if (slope == 0) return set_sign(be, base);
  long double x = -base / slope;
  if (x < 0) {
    be.result = BreakEvenResult::kPositiveThroughout;
  } else {
    set_found(be, x);
  }
}

// npv, non-increasing in x over [lo, hi]: the x at which it reaches 0, by
// bisection.
template <class F>
void solve_falling(BreakEven& be, F npv, long double lo, long double hi) {
  long double at_lo = npv(lo), at_hi = npv(hi);
  if (at_lo < 0) {
    be.result = BreakEvenResult::kNegativeThroughout;
    return;
  }
  if (at_hi > 0) {
    be.result = BreakEvenResult::kPositiveThroughout;
    return;
  }
  for (int step = 0; step < 200 && hi - lo > kBisectionTolerance; ++step) {
    long double mid = (lo + hi) / 2;
    (npv(mid) > 0 ? lo : hi) = mid;
  }
  set_found(be, (lo + hi) / 2);
}

BreakEven break_even(const Model& m, size_t i, const ValuedOutcome& o, Assumption a) {
  BreakEven be{.outcome = i, .outcome_id = o.id, .outcome_name = o.name, .assumption = a, .central = central_of(o, a)};
  const Point& pt = m.point(i);
  long double fixed = m.others(i) - m.costs();  // NPV without this outcome
  switch (a) {
    case Assumption::kQuantity:
    case Assumption::kValue:
      // NPV = fixed + x·(present value with the assumption at 1).
      solve_rising_line(be, fixed, present_value(with(pt, a, 1), m.rate()));
      break;
    case Assumption::kDeadweight:
    case Assumption::kAttribution:
    case Assumption::kDisplacement: {
      // NPV = fixed + base·(1 − x/100), base the present value at x = 0.
      long double base = present_value(with(pt, a, 0), m.rate());
      long double at_0 = fixed + base, at_100 = fixed;
      if (at_0 < 0) {
        be.result = BreakEvenResult::kNegativeThroughout;
      } else if (at_100 > 0) {
        be.result = BreakEvenResult::kPositiveThroughout;
      } else if (base == 0) {
        set_found(be, be.central);  // NPV is 0 whatever the adjustment
      } else {
        set_found(be, std::clamp(100 * (1 + fixed / base), 0.0L, 100.0L));
      }
      break;
    }
    case Assumption::kDropOff:
      solve_falling(
          be, [&](long double r) { return fixed + present_value(with(pt, a, r), m.rate()); }, 0, 100);
      break;
    case Assumption::kDuration: {
      auto npv = [&](int t) { return fixed + present_value(with(pt, a, t), m.rate()); };
      if (npv(0) > 0) {
        be.result = BreakEvenResult::kPositiveThroughout;
        break;
      }
      be.result = BreakEvenResult::kNegativeThroughout;
      for (int t = 0; t <= kMaxDurationYears; ++t) {
        if (npv(t) >= 0) {
          set_found(be, t);
          break;
        }
      }
      break;
    }
    case Assumption::kDiscountRate:
      assert(false);
      break;
  }
  return be;
}

}  // namespace

Range default_range(Assumption a, double central) {
  Range lim = limits(a), r{central * 0.5, central * 1.5};
  if (a == Assumption::kDuration) r = {std::floor(r.low), std::ceil(r.high)};
  return {std::clamp(r.low, lim.low, lim.high), std::clamp(r.high, lim.low, lim.high)};
}

std::vector<FieldError> validate(const BusinessCaseInput& in) {
  std::vector<FieldError> errors;
  bool rate_ok = within(in.discount_rate_percent, limits(Assumption::kDiscountRate));
  if (!rate_ok) {
    errors.push_back(
        {"discount_rate", "The discount rate " + between(Assumption::kDiscountRate), Problem::kOutOfRange});
  }
  if (in.discount_rate_range && rate_ok) {
    check_range(errors, "ranges.discount_rate", Assumption::kDiscountRate, *in.discount_rate_range,
                in.discount_rate_percent, "");
  }
  if (in.outcomes.size() > kMaxOutcomes) {
    errors.push_back({"outcomes", "A business case can value up to " + std::to_string(kMaxOutcomes) + " outcomes",
                      Problem::kTooLong});
  }
  for (size_t i = 0; i < in.outcomes.size() && i < kMaxOutcomes; ++i) {
    const ValuedOutcome& o = in.outcomes[i];
    std::string field = at("outcomes", i), whose = " for " + which_outcome(i, o);
    std::vector<Assumption> ok;
    for (Assumption a : all_assumptions()) {
      if (a == Assumption::kDiscountRate) continue;
      if (within(central_of(o, a), limits(a))) {
        ok.push_back(a);
      } else {
        errors.push_back({field + "." + std::string(assumption_key(a)),
                          std::string(assumption_label(a)) + whose + " " + between(a), Problem::kOutOfRange});
      }
    }
    for (const auto& [a, r] : o.ranges) {
      std::string f = field + ".ranges." + std::string(assumption_key(a));
      if (a == Assumption::kDiscountRate) {
        errors.push_back(
            {f, "The discount rate's range is set for the whole business case, not" + whose, Problem::kUnknownCode});
      } else if (std::find(ok.begin(), ok.end(), a) != ok.end()) {
        check_range(errors, f, a, r, central_of(o, a), whose);
      }
    }
  }
  if (in.costs.size() > kMaxCosts) {
    errors.push_back(
        {"costs",
         "A business case can list up to " + report::group_thousands(static_cast<int64_t>(kMaxCosts)) + " costs",
         Problem::kTooLong});
  }
  for (size_t i = 0; i < in.costs.size() && i < kMaxCosts; ++i) {
    int64_t amount = in.costs[i].amount_pence;
    if (amount < 0 || amount > kMaxCostPence) {
      std::string which = "Cost " + std::to_string(i + 1);
      if (!in.costs[i].label.empty()) which += " (" + in.costs[i].label + ")";
      errors.push_back({at("costs", i) + ".amount_pence",
                        which + " must be between " + pounds(0) + " and " + pounds(static_cast<double>(kMaxCostPence)),
                        Problem::kOutOfRange});
    }
  }
  return errors;
}

BusinessCase compute(const BusinessCaseInput& in) {
  assert(validate(in).empty() && "compute needs input that passed validate");
  BusinessCase bc;
  bc.discount_rate_percent = in.discount_rate_percent;
  bc.costs = in.costs;
  for (const auto& c : in.costs) bc.total_costs_pence += c.amount_pence;

  Model model(in, bc.total_costs_pence);
  for (size_t i = 0; i < in.outcomes.size(); ++i) {
    OutcomeValue ov;
    ov.input = in.outcomes[i];
    ov.adjusted_value_pence = static_cast<double>(adjusted(model.point(i)));
    long double pv = present_value(model.point(i), model.rate(), &ov.years);
    ov.present_value_exact = static_cast<double>(pv);
    ov.present_value_pence = to_pence(pv);
    bc.outcomes.push_back(std::move(ov));
  }

  Scenario central = scenario(model.total(), bc.total_costs_pence);
  bc.total_present_value_pence = central.total_present_value_pence;
  bc.net_present_value_pence = central.net_present_value_pence;
  bc.ratio = central.ratio;
  if (!bc.ratio) bc.no_ratio = NoRatio::kNoCosts;

  // Sensitivity, and the ends each scenario takes.
  std::vector<Point> low_points, high_points;
  for (size_t i = 0; i < in.outcomes.size(); ++i) {
    const ValuedOutcome& o = in.outcomes[i];
    Point low = model.point(i), high = model.point(i);
    for (Assumption a : all_assumptions()) {
      if (a == Assumption::kDiscountRate) continue;
      Sensitivity s{
          .outcome = i, .outcome_id = o.id, .outcome_name = o.name, .assumption = a, .central = central_of(o, a)};
      s.range = range_for(o, a, &s.default_range);
      s.at_low = scenario(model.total_with(i, with(model.point(i), a, s.range.low)), bc.total_costs_pence);
      s.at_high = scenario(model.total_with(i, with(model.point(i), a, s.range.high)), bc.total_costs_pence);
      s.swing_pence = std::llabs(s.at_high.net_present_value_pence - s.at_low.net_present_value_pence);
      bc.sensitivity.push_back(s);
      bool up = more_is_better(a);
      low = with(low, a, up ? s.range.low : s.range.high);
      high = with(high, a, up ? s.range.high : s.range.low);
    }
    low_points.push_back(low);
    high_points.push_back(high);
  }
  Sensitivity rate{.assumption = Assumption::kDiscountRate, .central = in.discount_rate_percent};
  rate.default_range = !in.discount_rate_range;
  rate.range = in.discount_rate_range.value_or(default_range(Assumption::kDiscountRate, in.discount_rate_percent));
  rate.at_low = scenario(model.total_at_rate(rate.range.low), bc.total_costs_pence);
  rate.at_high = scenario(model.total_at_rate(rate.range.high), bc.total_costs_pence);
  rate.swing_pence = std::llabs(rate.at_high.net_present_value_pence - rate.at_low.net_present_value_pence);
  bc.sensitivity.push_back(rate);
  std::stable_sort(bc.sensitivity.begin(), bc.sensitivity.end(),
                   [](const Sensitivity& x, const Sensitivity& y) { return x.swing_pence > y.swing_pence; });

  auto total_of = [](const std::vector<Point>& points, long double rate_percent) {
    long double sum = 0;
    for (const auto& pt : points) sum += present_value(pt, rate_percent);
    return sum;
  };
  bc.scenarios.central = central;
  bc.scenarios.low = scenario(total_of(low_points, rate.range.high), bc.total_costs_pence);
  bc.scenarios.high = scenario(total_of(high_points, rate.range.low), bc.total_costs_pence);

  // Break-even values.
  for (size_t i = 0; i < in.outcomes.size(); ++i) {
    for (Assumption a : all_assumptions()) {
      if (a != Assumption::kDiscountRate) bc.break_even.push_back(break_even(model, i, in.outcomes[i], a));
    }
  }
  BreakEven by_rate{.assumption = Assumption::kDiscountRate, .central = in.discount_rate_percent};
  solve_falling(
      by_rate, [&](long double r) { return model.total_at_rate(r) - model.costs(); }, 0, kMaxDiscountRatePercent);
  bc.break_even.push_back(by_rate);
  return bc;
}

}  // namespace coproduce::impact
