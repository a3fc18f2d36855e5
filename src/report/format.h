// The small presentation helpers that pages, downloads and charts share, so
// a figure is written the same way wherever it appears: a share of 0.125 is
// "12.5%" on the dashboard, in its CSV and on its chart. One copy of each;
// modules call these rather than keeping their own. Month names live with
// dates, in core/dates.h.
//
// Pure functions; thread-safe.
//
// Example:
//   report::format_percent(23.0 / 80)      // "28.8%"
//   report::format_percent(0.00125, 2)     // "0.13%"
//   report::group_thousands(1234567)       // "1,234,567"
//   report::format_money(1'300'000)        // "£13,000"
//   report::format_two_figures(0.000346)   // "0.00035"
//   report::escape_html("Fish & <chips>")  // "Fish &amp; &lt;chips&gt;"
#ifndef COPRODUCE_REPORT_FORMAT_H_
#define COPRODUCE_REPORT_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace coproduce::report {

// A share (0.425) as a percentage with `places` decimal places ("42.5%"),
// rounded half away from zero on the decimal figure: 1 of 80 is "1.3%" and
// 23 of 80 is "28.8%", though printf would round the binary values down.
// Never "-0.0%". `places` is 0 to 6.
std::string format_percent(double share, int places = 1);

// A whole number with a comma between each three digits: "-1,234,567".
std::string group_thousands(int64_t n);

// Pence as pounds: "£13,000" for whole pounds, "£12.50" otherwise, with a
// leading minus sign when negative ("-£1,200"). For money where pence are
// always shown (payslips), see payments::format_pounds.
std::string format_money(int64_t pence);

// A small positive figure (a proven gap, a tolerance) to two significant
// figures without an exponent, trailing zeros dropped: "0.00035", "0.012",
// "12". Zero or less is "0"; below 0.000001, "less than 0.000001".
std::string format_two_figures(double value);

// `text` with &, <, >, " and ' written as character references, for HTML
// and SVG written in C++. Pages do not need it: their templates escape.
std::string escape_html(std::string_view text);

}  // namespace coproduce::report

#endif  // COPRODUCE_REPORT_FORMAT_H_
