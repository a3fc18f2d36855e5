// Response and findings exports as files: the CSV export layout that
// responses.h reads back, its codebook, and both as an .xlsx workbook; and
// the findings of an analysis as a workbook with one sheet per table.
//
//   std::vector<ResponseRecord> records = ...;   // from the store
//   std::string csv = responses_to_csv(q, records);
//   StatusOr<std::string> xlsx = responses_to_xlsx(q, records);
//
// Pure functions of their arguments; thread-safe.
#ifndef COPRODUCE_SURVEY_EXPORT_H_
#define COPRODUCE_SURVEY_EXPORT_H_

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "survey/analysis.h"
#include "survey/questionnaire.h"
#include "survey/report.h"
#include "survey/suppression.h"
#include "survey/validation.h"

namespace coproduce::survey {

// One response as stored: its answers by question code, in the shape the
// form sends them (validation.h: one value, several for multiple choice, one
// per statement in item order for a Likert grid, plus other_text).
struct ResponseRecord {
  std::string id;
  std::string started_at;    // as stored, such as 2026-11-26T09:14:03Z
  std::string submitted_at;  // empty when not sent, so not complete
  int last_page = 1;
  std::string language;      // the language code answered in; written only for a questionnaire in several
  std::map<std::string, RawAnswer> answers;
};

// The export layout as rows of text: the header (response_columns(q)), then
// one row per record in the order given. A multiple-choice option's column
// holds 1 when ticked and is empty otherwise; an answer for a question the
// questionnaire does not have is left out.
std::vector<std::vector<std::string>> response_table(const Questionnaire& q, const std::vector<ResponseRecord>& records);

// response_table() as CSV (RFC 4180, CRLF line endings), which
// parse_responses() reads back. Cells are written as given: open the XLSX
// rather than the CSV in a spreadsheet program, since a cell starting with
// = could be taken for a formula there.
std::string responses_to_csv(const Questionnaire& q, const std::vector<ResponseRecord>& records);

// The table of repeat `repeat_index` (Questionnaire::repeats): the header
// (repeat_columns(q, repeat_index): response_id, instance, then the
// repeat's columns named as the main table names columns of the same
// question types), then one row per instance of each record, in record
// order. A record's instances are 1 to the count stored under the repeat's
// code (a missing count is 0); instance k's answers are under
// instance_key(code, k). parse_repeat_responses() reads it back.
std::vector<std::vector<std::string>> repeat_table(const Questionnaire& q, size_t repeat_index,
                                                   const std::vector<ResponseRecord>& records);
std::string repeat_to_csv(const Questionnaire& q, size_t repeat_index, const std::vector<ResponseRecord>& records);

// The codebook: one row per value a column of the export layout can hold.
// Columns: question_code, column, question_text, type, option_code,
// option_label, shown_when ("always" when the question has no condition),
// table (the table the column is in: "responses" for the main table, a
// repeat's code for that repeat's table). The first rows describe id,
// started_at, submitted_at and last_page; each repeat's rows come after the
// main table's, starting with its response_id and instance (question_code
// is the repeat's code there).
std::vector<std::vector<std::string>> codebook_table(const Questionnaire& q);
std::string codebook_to_csv(const Questionnaire& q);

// A workbook with the sheets "responses" (the export layout; last_page,
// ticks and answers to number questions as numbers, everything else as
// text), one sheet per repeat named after its code (its repeat_table, the
// instance as a number) and "codebook".
StatusOr<std::string> responses_to_xlsx(const Questionnaire& q, const std::vector<ResponseRecord>& records);

// The findings as a workbook, with `policy` applied exactly as in the CSV,
// JSON and HTML reports (publish.h): a hidden count or figure is "*".
// Sheets: "summary" (starts, completes, completion rate, sources and
// definitions), "dropoff" (page by page), one sheet per question (its
// options with count, proportion and 95% interval, or the summary of a
// number question), one per cross-table (counts and column proportions), and
// "tests" (chi-square, df, p-values and warnings of every cross-table) when
// there are cross-tabs. Each repeat analysed adds a sheet named after its
// code (responses shown it, with at least one instance, instances, mean and
// median per response) and one per repeat question ("code question"), whose
// base is instances. Sheet names are the variable codes, shortened to 31
// characters and made unique where needed.
StatusOr<std::string> findings_to_xlsx(const Analysis& a, const SuppressionPolicy& policy, const ReportInfo& info);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_EXPORT_H_
