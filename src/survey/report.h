// Publishing an Analysis: JSON, long-format CSV and a self-contained,
// accessible HTML report. Every figure goes through one SuppressionPolicy, so
// tables, chart labels and exports hide and round the same counts.
//
//   auto policy = make_suppression("nhs").value();
//   std::string html = render_html(analysis, *policy, info);
//
// Pure functions of their arguments; thread-safe.
#ifndef COPRODUCE_SURVEY_REPORT_H_
#define COPRODUCE_SURVEY_REPORT_H_

#include <string>

#include "survey/analysis.h"
#include "survey/suppression.h"

namespace coproduce::survey {

// Where the figures came from, for the report's notes.
struct ReportInfo {
  std::string definition;   // "template coproduction" or the definition file
  std::string responses;    // the responses file
  std::string generated;    // a date or time stamp to print; empty to leave out
};

// Whether a repeat's mean and median instances per response are hidden:
// they are worked out from its counts of responses and instances, so they
// go with either. Every report of a repeat asks this one question.
bool repeat_averages_hidden(const RepeatResult& r, const SuppressionPolicy& policy);

// JSON: for every question its code, base, and for every option its code,
// count, proportion and interval [lower, upper]; every cross-tab with its
// cells, chi-square, df, p-value and warnings; starts, completes,
// completion_rate and dropoff. A suppressed count is null with
// "suppressed": true, and so are figures worked out from it.
std::string render_json(const Analysis& a, const SuppressionPolicy& policy, const ReportInfo& info);

// Long-format CSV, one figure per row:
//   section,variable,option,by_variable,by_option,count,base,proportion,ci_lower,ci_upper,
//   chi_square,df,p_value,fisher_p,holm_p,note
// Suppressed counts are written as *; proportions as decimals (0.7236).
std::string render_csv(const Analysis& a, const SuppressionPolicy& policy, const ReportInfo& info);

// A complete HTML page: a summary, completion and drop-off, each question
// as an SVG bar chart (role="img", with a title and description) followed by
// its data table, the cross-tabs with their tests, and notes on bases,
// completion, intervals and suppression. No scripts, no external assets.
std::string render_html(const Analysis& a, const SuppressionPolicy& policy, const ReportInfo& info);

// Percentages are written by report::format_percent (report/format.h), as on
// every page: one decimal place, halves rounded away from zero.

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_REPORT_H_
