// XLSForm: questionnaires as spreadsheets, the format of ODK and KoboToolbox,
// so partners can co-write a questionnaire in a spreadsheet and bring it in.
//
// The mapping (types, pages, rating scales and Likert grids, conditions and
// checks) is set out in docs/survey-xlsform.md and argued in
// docs/decisions/0203-xlsform-mapping.md. In short: a page is a begin_group
// with appearance field-list; an ordered scale is a select_one with
// appearance likert (a rating when its choices are numbered 0, 1, 2, ...); a
// Likert grid is a begin_group with appearance table-list holding one
// select_one per statement on the standard agreement scale; a repeat
// (questions asked once for each of something) is begin_repeat ...
// end_repeat on a page of its own, its most instances kept in Coproduce's
// own column coproduce_max, which ODK and Kobo ignore.
//
//   XlsformImport in = import_xlsform(bytes, "survey.xlsx");
//   if (!in.errors.empty()) for (const Status& e : in.errors) show(e.to_string());
//   StatusOr<std::string> xlsx = export_xlsform(*in.questionnaire);
//
// Pure functions of their arguments; thread-safe.
#ifndef COPRODUCE_SURVEY_XLSFORM_H_
#define COPRODUCE_SURVEY_XLSFORM_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sheets/sheets.h"
#include "survey/questionnaire.h"

namespace coproduce::survey {

// The most errors one import reports; a form with more says so.
inline constexpr size_t kMaxXlsformErrors = 20;
// The most rows read from the survey and choices sheets.
inline constexpr size_t kMaxXlsformSurveyRows = 5000;
inline constexpr size_t kMaxXlsformChoiceRows = 50000;

// The outcome of reading an XLSForm. Each error and warning is an
// InvalidInput whose Location.file is the file name and whose message
// starts with its place: "sheet 'survey', row 12, column 'relevant': ...",
// so to_string() reads "survey.xlsx, sheet 'survey', row 12, ...".
struct XlsformImport {
  std::optional<Questionnaire> questionnaire;  // set only when there are no errors (finished)
  std::vector<Status> errors;                  // the first kMaxXlsformErrors, in sheet order
  bool more_errors = false;                    // there were more than those
  std::vector<Status> warnings;                // what was left out, such as metadata and messages

  bool ok() const { return errors.empty(); }
  // All errors as one Status (one per line, each with its place), for
  // callers that report a single failure; Ok when there are none.
  Status status() const;
};

// Reads an XLSForm .xlsx held in memory; `file_name` appears in messages.
// Nothing is returned unless the whole form could be read.
XlsformImport import_xlsform(std::string_view bytes, const std::string& file_name);
// The same from sheets already read.
XlsformImport import_xlsform(const std::vector<sheets::Sheet>& workbook, const std::string& file_name);
// The same from the file at `path` (named as given in messages). A file
// that cannot be read, or is larger than kMaxXlsformFileBytes, is an error.
XlsformImport import_xlsform_file(const std::string& path);
inline constexpr size_t kMaxXlsformFileBytes = 64u << 20;

// The questionnaire as the sheets survey, choices and settings. Fails only
// when a name the export needs (CODE_other for 'other, please specify',
// CODE_ITEM for a Likert statement) is already a question's code, or a
// condition or pattern cannot be written in XLSForm.
StatusOr<std::vector<sheets::Sheet>> xlsform_sheets(const Questionnaire& q);
// The same as the bytes of an .xlsx file.
StatusOr<std::string> export_xlsform(const Questionnaire& q);

// Reads a questionnaire from a file: XLSForm when the name ends in .xlsx,
// otherwise the JSON definition format (definition.h).
StatusOr<Questionnaire> load_questionnaire(const std::string& path);

}  // namespace coproduce::survey

#endif  // COPRODUCE_SURVEY_XLSFORM_H_
