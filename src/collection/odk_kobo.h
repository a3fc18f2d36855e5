// Responses exported by ODK Central and KoboToolbox, turned into Coproduce's
// own export layout (survey/responses.h), so that one checker reads every
// file the same way and an answer that one import refuses, every import does.
//
// A survey made from an XLSForm (survey/xlsform.h) can be answered in ODK
// Collect, Enketo or KoboToolbox, and the answers brought in from their
// exports. The files differ from Coproduce's own:
//
//   ODK Central ("Download all data", CSV):
//     SubmissionDate,start,end,about-role,about-help,about-help/time,...,meta-instanceID,KEY,SubmitterID,...
//   KoboToolbox ("XML values and headers", CSV separated by ; or .xlsx):
//     "start";"end";"about/role";"about/help";"about/help/time";...;"_id";"_uuid";"_submission_time";...
//
// A column is a question of the survey by the last part of its name (groups
// come first, joined by '-', '/' or '.'), since an XLSForm's groups are
// flattened into the survey and each question keeps its own name. A
// select_multiple is one column of codes separated by spaces, one column per
// choice (question/choice holding 1 or 0, true or false), or both, which must
// then agree. The columns the tools add themselves (SubmissionDate, KEY,
// _uuid, _submission_time, start, end, meta-instanceID, ...) are recognised:
// the response's id comes from KEY (ODK Central: it stays the same when a
// submission is edited), meta/rootUuid or _uuid (KoboToolbox), else
// instanceID; when it started from start; when it was sent from
// SubmissionDate or _submission_time (else end). Every time is turned into
// the store's UTC form, 2026-03-01T10:15:00Z. The rest are left out, and
// listed so the person importing can see what was.
//
// Every problem names the file, the line (a sheet's row) and the column as
// they are in the person's own file, never the converted text. Repeated
// groups (columns such as people[1]/name, a sheet or a file of a repeat's
// rows) are refused: Coproduce asks each question once.
//
// Pure functions of their arguments; thread-safe.
#ifndef COPRODUCE_COLLECTION_ODK_KOBO_H_
#define COPRODUCE_COLLECTION_ODK_KOBO_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/vocabulary.h"
#include "survey/questionnaire.h"

namespace coproduce::collection {

// Where a responses file comes from, as its columns show.
enum class ResponseSource { kCoproduce, kOdkCentral, kKoboToolbox };

// "Coproduce", "ODK Central" or "KoboToolbox", for people.
std::string_view source_name(ResponseSource source);

// A table of text read from a responses file, with where each row is.
struct SourceTable {
  std::string file_name;
  // A workbook's sheet: a row's "line" is its row number in the sheet, and
  // cells that hold numbers come as their digits (dates as day numbers).
  bool spreadsheet = false;
  char separator = ',';  // a CSV file's: ',' or ';' (KoboToolbox's own) or a tab
  long header_line = 1;
  std::vector<std::string> header;  // the column names, trimmed
  struct Row {
    long line = 0;
    std::vector<std::string> cells;  // as wide as the header
  };
  std::vector<Row> rows;  // fully empty rows are left out
  // The workbook's other sheets that hold a repeated group's rows (they
  // have a _parent_index or PARENT_KEY column).
  std::vector<std::string> repeat_sheets;

  // Where a cell is: file, line (or row), column from 1 and its name.
  Location where(long line, size_t column) const;
};

// True when `bytes` are a zip archive, as an .xlsx workbook is.
bool is_spreadsheet(std::string_view bytes);

// Reads a responses file: an .xlsx workbook when `bytes` are one (its sheet
// called "responses" when there is one, as in Coproduce's own, else the
// first), else CSV text in UTF-8 separated by commas, semicolons or tabs
// (whichever the header uses most). A file that cannot be read, or holds
// more than `max_rows` rows of answers, is an InvalidInput naming the file
// and the line.
StatusOr<SourceTable> read_source_table(std::string_view bytes, const std::string& file_name, size_t max_rows);

// The separator of a CSV file's header: the most used of comma, semicolon
// and tab outside quotes, or a comma when it has none.
char csv_separator(std::string_view text);

// Which tool wrote a file with this header: KoboToolbox by its _uuid,
// _submission_time or _id columns, ODK Central by SubmissionDate, KEY,
// meta-instanceID or SubmitterID, Coproduce by id and started_at; nullopt
// when the header shows none of these.
std::optional<ResponseSource> detect_source(const std::vector<std::string>& header);

// A file's responses in Coproduce's export layout, and how to find in the
// file a place in that layout.
struct Conversion {
  ResponseSource source = ResponseSource::kCoproduce;
  // The responses as CSV in the export layout, one row for each of the
  // file's, in the same order. Meaningful only when `checkable`.
  std::string csv;
  // False when the file's columns could not be understood well enough to
  // check its rows (repeats, no id, nothing that is a question of the
  // survey); `problems` says why.
  bool checkable = false;
  // What is wrong, where it is in the file, in the order found. Nothing may
  // be imported while there is any.
  std::vector<ImportProblem> problems;
  // The file's columns left out: what the tool adds (metadata), and notes.
  std::vector<std::string> ignored;
  // The file's columns that give each response's id, when it started and
  // when it was sent ("" when none does).
  std::string id_column;
  std::string started_column;
  std::string submitted_column;

  // The place in the file of `in_csv`, a place in `csv` (as a problem
  // reported by reading `csv` gives it): the file's name, the row's line,
  // the column the value came from and that column's name. A place that
  // came from no column (last_page) keeps the line only.
  Location in_file(const Location& in_csv) const;

  // The map back, filled by convert_responses.
  std::string file_name;
  bool spreadsheet = false;
  long header_line = 1;
  std::vector<std::string> header;   // the file's column names
  std::vector<long> csv_row_starts;  // row i starts on this line of `csv`
  std::vector<long> row_lines;       // row i is on this line of the file
  std::vector<long> column_sources;  // column i of `csv` came from this column of the file, or -1
};

// Converts `table`, written by `source`, for the questionnaire `q`. A file
// in Coproduce's own layout (a workbook, or CSV separated by semicolons) is
// copied cell for cell. Never fails: what is wrong is in the problems.
Conversion convert_responses(const SourceTable& table, const survey::Questionnaire& q, ResponseSource source);

// `text` as a time in the store's form (UTC, to the second, like
// 2026-03-01T10:15:00Z), from the forms ODK and KoboToolbox write:
// 2026-03-01T10:15:00.000+01:00, 2026-03-01T09:15:00.123Z, 2026-03-01 09:15:00
// (no zone: UTC), or a date alone (midnight). With `day_numbers`, also a
// spreadsheet's day number (days since 30 December 1899). nullopt otherwise.
std::optional<std::string> normalise_timestamp(std::string_view text, bool day_numbers = false);

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_ODK_KOBO_H_
