// Importing a survey's responses from any file Coproduce understands: its
// own export layout (CSV, or the .xlsx it downloads), or an export from ODK
// Central or KoboToolbox (CSV or .xlsx; collection/odk_kobo.h). The file's
// source is told by its columns. Every file goes through the one checked,
// all-or-nothing import of transfer.h (import_csv), so a cell is checked the
// same way whoever wrote it; problems name the file, the line (or a sheet's
// row) and the column as they are in the person's own file.
//
// A survey with repeated questions takes their answers from tables of their
// own (odk_kobo.h: a workbook's further sheets, or further files): each row
// is one instance of the repeat, tied to its response, and is checked as a
// response's cells are. Instance k of question `name` is kept under
// survey::instance_key("name", k) and the number of instances under the
// repeat's code.
#ifndef COPRODUCE_COLLECTION_RESPONSE_IMPORT_H_
#define COPRODUCE_COLLECTION_RESPONSE_IMPORT_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collection/odk_kobo.h"
#include "collection/responses.h"
#include "collection/surveys.h"
#include "collection/transfer.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"
#include "survey/questionnaire.h"

namespace coproduce::collection {

// A further file given with the responses: a repeated group's rows.
struct ImportFile {
  std::string name;
  std::string bytes;
};

// How many rows of a repeat were read, and from where.
struct RepeatRead {
  std::string code;   // the repeat's
  std::string label;
  int64_t rows = 0;
  std::vector<std::string> files;  // "people.csv", "kobo.xlsx, sheet 'people'"
};

// The answers to repeated questions that come with a responses file: its
// workbook's repeat sheets, `repeat_files`, and its wide columns
// (people[2]/name), each row tied to its response in `main` (converted from
// `main_table`, see odk_kobo.h) and checked as a response's cells are. A
// response's instances are numbered 1, 2, ... in the order the files give
// (ODK's KEY ending [n], Coproduce's instance) or else in file order.
// `coproduce survey convert` can write them with survey::repeat_to_csv.
struct RepeatAnswers {
  // By response id: instance_key(code, k) for each answer of instance k,
  // and the number of instances under the repeat's code.
  std::map<std::string, Answers> by_response;
  std::vector<RepeatRead> read;         // the repeats that had rows
  std::vector<ImportProblem> problems;  // each at its file, line (row) and column
};
RepeatAnswers read_repeats(const survey::Questionnaire& q, const SourceTable& main_table, const Conversion& main,
                           const std::vector<ImportFile>& repeat_files);

struct ResponseImport {
  ImportSummary summary;  // rows, complete, and the problems (empty when it can be imported)
  ResponseSource source = ResponseSource::kCoproduce;
  bool spreadsheet = false;          // an .xlsx: problems are at sheet rows, not lines
  std::vector<std::string> ignored;  // the file's columns left out (what ODK or KoboToolbox add)
  // For ODK Central and KoboToolbox: the file's columns that give each
  // response's id, when it started and when it was sent.
  std::string id_column;
  std::string started_column;
  std::string submitted_column;
  std::vector<RepeatRead> repeats;   // the repeats that had rows, in the questionnaire's order
};

// Checks `bytes`, a file called `file_name`, against the survey, as
// import_csv does; with `commit` and no problems, adds every response in one
// transaction (audited as survey.responses.import), else adds nothing. A CSV
// file in Coproduce's own layout (or one whose columns show no source) goes
// to import_csv unchanged. Responses from ODK Central and KoboToolbox are all
// sent (complete), on the questionnaire's last page.
//
// `repeat_files` hold repeated groups' rows (ODK Central's FORM-repeat.csv,
// Coproduce's own repeat CSV); a workbook's repeat sheets are read with it.
// Every file is checked in full first; nothing is added while any has a
// problem.
StatusOr<ResponseImport> import_responses(store::Database& db, const Clock& clock, const Survey& survey,
                                          const survey::Questionnaire& q, std::string_view bytes,
                                          const std::string& file_name, bool commit, const Actor& actor,
                                          const std::vector<ImportFile>& repeat_files = {});

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_RESPONSE_IMPORT_H_
