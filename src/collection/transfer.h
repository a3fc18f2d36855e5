// Responses out of and into the store as files: the CSV export layout that
// survey/responses.h reads, a codebook describing its columns, and an
// all-or-nothing import of a file in the same layout.
//
// Every function that reads responses writes an audit entry naming the
// survey and the action (survey.responses.export, survey.responses.import,
// survey.responses.read), never an answer.
#ifndef COPRODUCE_COLLECTION_TRANSFER_H_
#define COPRODUCE_COLLECTION_TRANSFER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "collection/responses.h"
#include "collection/surveys.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"
#include "survey/questionnaire.h"
#include "survey/responses.h"

namespace coproduce::collection {

// One row of the export layout (`fields`, with `index` giving each column's
// place by name) as answers to the questions of `q` asked once, as the import
// reads it: ticks as codes, a grid's statements in item order, the mark
// csv::inert() adds taken off. Cells of columns the file lacks are empty.
Answers layout_answers(const survey::Questionnaire& q, const std::map<std::string, size_t>& index,
                       const std::vector<std::string>& fields);

// The responses of `survey` as CSV in the export layout: id, started_at,
// submitted_at, last_page, then one column per question code (code[option]
// holding 1 or empty for each option of a multiple-choice question,
// code[item] for each statement of a grid, code_other for 'other, please
// specify'). Complete and partial responses, oldest first.
// `audit_action` is recorded against the survey ("survey.responses.export").
StatusOr<std::string> export_csv(store::Database& db, const Clock& clock, const Survey& survey,
                                 const Actor& actor, const std::string& audit_action);

// The table of the repeat coded `repeat_code` as CSV (survey/export.h
// repeat_table: response_id, instance, then the repeat's columns; one row
// per instance, oldest response first), answers typed by people made inert
// as in export_csv. Audited as survey.responses.export; NotFound when the
// survey has no such repeat.
StatusOr<std::string> export_repeat_csv(store::Database& db, const Clock& clock, const Survey& survey,
                                        const std::string& repeat_code, const Actor& actor);

// The responses of `survey` parsed for analysis (through the same CSV, so
// the web and `coproduce survey analyse` read responses the same way).
// Audited as survey.responses.read.
StatusOr<survey::Responses> load_for_analysis(store::Database& db, const Clock& clock, const Survey& survey,
                                              const survey::Questionnaire& q, const Actor& actor);

// The responses and every repeat's table, each linked to them, for
// analyse() (AnalysisOptions::repeats); one read, audited as
// survey.responses.read.
struct AnalysisData {
  survey::Responses responses;
  std::vector<survey::RepeatResponses> repeats;   // one per Questionnaire::repeats entry
};
StatusOr<AnalysisData> load_analysis_data(store::Database& db, const Clock& clock, const Survey& survey,
                                          const survey::Questionnaire& q, const Actor& actor);

// The codebook: one row per value an export column may hold (survey/export.h).
std::string codebook_csv(const survey::Questionnaire& q);

// The responses and the codebook as an .xlsx workbook (sheets "responses",
// one per repeat named after its code, and "codebook"), audited as
// survey.responses.export.
StatusOr<std::string> export_xlsx(store::Database& db, const Clock& clock, const Survey& survey, const Actor& actor);

using coproduce::ImportProblem;

struct ImportSummary {
  int64_t rows = 0;
  int64_t complete = 0;
  std::vector<ImportProblem> problems;   // empty when the file can be imported
};

// The most problems one check reports.
using coproduce::kMaxImportProblems;
// The most rows one file may hold.
inline constexpr size_t kMaxImportRows = 100000;

// Checks `text` (a CSV file called `file_name`) against the survey: the
// header, every cell, and ids that repeat or are already in the survey.
// With `commit` and no problems, adds every row in one transaction (audited);
// with problems nothing is added.
StatusOr<ImportSummary> import_csv(store::Database& db, const Clock& clock, const Survey& survey,
                                   const survey::Questionnaire& q, std::string_view text,
                                   const std::string& file_name, bool commit, const Actor& actor);

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_TRANSFER_H_
