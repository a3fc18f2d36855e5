// Axes for charts of measured values: what a value is (a count, a share
// shown as a percentage, a score, an amount of money in pence), how it is
// written, and a scale with round steps to draw it against. Used by the
// line chart and the tornado chart; pure functions, thread-safe.
//
// Example:
//   report::Scale s = report::nice_scale(0, 0.72, report::Unit::kPercentage);
//   // s.min 0, s.max 0.8, s.step 0.2: ticks "0%", "20%", "40%", "60%", "80%"
//   for (double t : s.ticks) label(report::tick_label(t, s, report::Unit::kPercentage));
#ifndef COPRODUCE_REPORT_SCALE_H_
#define COPRODUCE_REPORT_SCALE_H_

#include <string>
#include <vector>

namespace coproduce::report {

enum class Unit {
  kCount,       // people, places, sessions: whole steps, "1,200"
  kPercentage,  // a share from 0 to 1, written "42.5%" (divide a percentage from 0 to 100 by 100)
  kScore,       // a score on a scale, such as a wellbeing score: "23.5"
  kMoney,       // pence, written in pounds: "£1,200", "£12.50"
};

// A value as a table or a chart's label writes it: a count as a whole
// number with commas (one decimal place when it is not whole), a share as
// format_percent, a score to at most two decimal places ("7.25", "7.5",
// "7"), and pence rounded to the penny by format_money.
std::string format_value(double value, Unit unit);

// A scale from min to max in steps of 1, 2 or 5 times a power of ten, with
// the ticks from min to max inclusive. The steps are never finer than a
// unit allows: a whole count, a tenth of a per cent, a penny.
struct Scale {
  double min = 0;
  double max = 1;
  double step = 1;
  std::vector<double> ticks;
};

// The scale holding `low` to `high` (either order) in about `intervals`
// steps, widened out to whole steps. Where `low` and `high` are equal the
// scale still has a height: as if `high` were twice the value, or the
// smallest step `intervals` times over it when the value is 0 (a count of 0
// throughout gives 0 to 5 in steps of 1).
// Example: nice_scale(-120'000, 530'000, Unit::kMoney) runs from -£2,000 to
// £6,000 in steps of £2,000.
Scale nice_scale(double low, double high, Unit unit, int intervals = 5);

// A tick's label: like format_value, but percentages and scores take as
// many decimal places as the scale's step needs ("20%" rather than
// "20.0%", "2.5" beside "5"), and money is written in whole pounds when
// the step is whole pounds.
std::string tick_label(double value, const Scale& scale, Unit unit);

}  // namespace coproduce::report

#endif  // COPRODUCE_REPORT_SCALE_H_
