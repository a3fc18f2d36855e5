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
// they are in the person's own file, never the converted text.
//
// A repeated group's answers (a survey with repeats, Questionnaire::repeats)
// come in a table of their own, one row per instance, tied to its response:
//
//   KoboToolbox (.xlsx, a sheet named after the repeat):
//     people/name;people/age;_index;_parent_table_name;_parent_index;_submission__id;_submission__uuid;...
//     (_parent_index is the main sheet's _index of the row it belongs to)
//   ODK Central (a CSV file of its own in the zip, FORM-people.csv):
//     name,age,PARENT_KEY,KEY     (uuid:6f1c...,uuid:6f1c.../people[2])
//   Coproduce (its own export: a CSV file, or a sheet named by the repeat's code):
//     response_id,instance,name,age,...
//
// and ODK's wide columns in the main file, people[2]/name, are instance 2
// of the repeat's question. convert_repeat reads such a table for the
// repeat it belongs to (by the sheet's or file's name, else by its columns).
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
  // The sheet's name, for a table read from a workbook.
  std::string sheet;
  // The workbook's other sheets that hold a repeated group's rows (they
  // have a _parent_index, PARENT_KEY or response_id column), each with
  // file_name "book.xlsx, sheet 'people'".
  std::vector<SourceTable> repeat_sheets;

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

struct WideRepeat;

// A file's responses in Coproduce's export layout, and how to find in the
// file a place in that layout.
struct Conversion {
  ResponseSource source = ResponseSource::kCoproduce;
  // The responses as CSV in the export layout, one row for each of the
  // file's, in the same order. Meaningful only when `checkable`.
  std::string csv;
  // False when the file's columns could not be understood well enough to
  // check its rows (no id, nothing that is a question of the survey);
  // `problems` says why.
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

  // Each row's response id as it is in `csv` (uuid: taken off), and its
  // KoboToolbox _index ("" when the file has none): what a repeat's rows
  // name their response by.
  std::vector<std::string> ids;
  std::vector<std::string> indexes;

  // ODK's wide columns (people[2]/name) of the main file, by repeat: each
  // repeat's instances as a table of their own (one row per response and
  // instance that has any answer), to read with convert_repeat; the
  // problems found in it are moved back to the main file by
  // WideRepeat::in_file.
  std::vector<WideRepeat> wide;
};

// A repeat's answers spread over the main file's columns (people[2]/name),
// gathered into a table of the repeat's own.
struct WideRepeat {
  size_t repeat = 0;  // index into Questionnaire::repeats
  // Header: response_id, instance, then the columns without [n]; a row's
  // line is its place in the table, from 1.
  SourceTable table;
  // For each row of `table`: the main file's line, and for each of its
  // columns the main file's column (or -1).
  std::vector<long> lines;
  std::vector<std::vector<long>> columns;

  // `at`, a place in `table`, as the place in the main file `main`.
  Location in_file(const Location& at, const SourceTable& main) const;
};

// Converts `table`, written by `source`, for the questionnaire `q`. A file
// in Coproduce's own layout (a workbook, or CSV separated by semicolons) is
// copied cell for cell. Never fails: what is wrong is in the problems.
Conversion convert_responses(const SourceTable& table, const survey::Questionnaire& q, ResponseSource source);

// The questions of the repeat `r` of `q` as a questionnaire of their own,
// asked once, so that a repeat's row is read and checked as a response
// is: response_columns() of it is the layout of the repeat's own table
// (after response_id and instance).
StatusOr<survey::Questionnaire> repeat_questionnaire(const survey::Questionnaire& q, size_t r);

// A table of a repeat's rows, converted for the repeat's questions and
// tied to the main file's responses.
struct RepeatConversion {
  // The repeat the table holds (an index into Questionnaire::repeats);
  // nullopt when it is none of the survey's (the problems say why).
  std::optional<size_t> repeat;
  // The rows in the layout of repeat_questionnaire(q, *repeat), each with a
  // made-up id; `rows.in_file` finds a place in the table's own file.
  Conversion rows;
  std::vector<std::string> parents;  // per row: the id (in main.ids) of its response, "" when unknown
  std::vector<int> numbers;          // per row: its instance as the file numbers it, 0 when it does not
  long number_column = -1;           // the table's column the numbers come from (KEY, instance), or -1
};

// Converts `table` (a repeat's sheet or file) for the questionnaire `q`:
// which repeat it is, by its sheet's or file's name (KoboToolbox's sheet,
// ODK Central's FORM-repeat.csv, the last step of its KEYs, Coproduce's
// repeat code), else by its columns; each row's response, by the column
// that links it (PARENT_KEY, _parent_index or _submission__uuid,
// response_id) to `main` (converted from `main_table`). Never fails: what
// is wrong is in rows.problems, each at the table's own file, row and
// column.
RepeatConversion convert_repeat(const SourceTable& table, const survey::Questionnaire& q,
                                const SourceTable& main_table, const Conversion& main);

// `text` as a time in the store's form (UTC, to the second, like
// 2026-03-01T10:15:00Z), from the forms ODK and KoboToolbox write:
// 2026-03-01T10:15:00.000+01:00, 2026-03-01T09:15:00.123Z, 2026-03-01 09:15:00
// (no zone: UTC), or a date alone (midnight). With `day_numbers`, also a
// spreadsheet's day number (days since 30 December 1899). nullopt otherwise.
std::optional<std::string> normalise_timestamp(std::string_view text, bool day_numbers = false);

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_ODK_KOBO_H_
