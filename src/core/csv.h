// CSV reading and writing (RFC 4180) for every import and export.
//
// Reads UTF-8 text with or without a byte-order mark, LF or CRLF line
// endings, quoted fields holding commas, newlines and doubled quotes. A
// mistake in the file comes back as a Status naming the file, the line and the
// column (columns count fields from 1, as a spreadsheet shows them).
//
// Example:
//   csv::ReadOptions options;
//   options.file_name = "people.csv";
//   StatusOr<csv::Table> table = csv::read_file("/tmp/people.csv", options);
//   if (!table.ok()) return table.status();
//   std::optional<size_t> id = table->column("ID");  // case-insensitive
#ifndef COPRODUCE_CORE_CSV_H_
#define COPRODUCE_CORE_CSV_H_

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace coproduce::csv {

struct ReadOptions {
  // The name used in error messages ("people.csv"); the path when empty.
  std::string file_name;
  // Refuse files with more data rows than this; 0 means no limit.
  size_t max_rows = 0;
  // Every row must have as many fields as the header (a "ragged" row is an
  // error). When false, short rows are padded with empty fields and long
  // rows are still an error.
  bool strict_width = true;
  // Drop spaces and tabs around each header name.
  bool trim_header = true;
  // What separates fields: a comma (RFC 4180), or a semicolon or tab as
  // some spreadsheets and KoboToolbox write.
  char separator = ',';
};

// One data row and the line of the file it starts on (a quoted field may
// span lines, so the next row may start several lines later).
struct Row {
  long line = 0;
  std::vector<std::string> fields;
};

// A parsed file: the header and the data rows. Fully empty lines are skipped.
struct Table {
  std::string file_name;
  std::vector<std::string> header;
  std::vector<Row> rows;

  // The index of the header column called `name`, compared
  // case-insensitively (ASCII) after trimming spaces; nullopt when absent.
  std::optional<size_t> column(std::string_view name) const;
  // Where a field is, for an error message: file, line and column (index+1).
  Location where(const Row& row, size_t column_index) const;
  // Where a header name is (line 1).
  Location where_header(size_t column_index) const;
};

// Parses `text` (the whole file). The header is the first non-empty line.
StatusOr<Table> parse(std::string_view text, const ReadOptions& options = {});

// Reads and parses the file at `path`. A missing or unreadable file is an
// InvalidInput status naming it.
StatusOr<Table> read_file(const std::string& path, ReadOptions options = {});

// True when `text` is valid UTF-8 (no overlong forms or surrogates).
bool is_valid_utf8(std::string_view text);

// `field` ready to write: quoted (with inner quotes doubled) when it holds a
// comma, a quote, CR or LF, or starts or ends with a space; unchanged otherwise.
std::string quote(std::string_view field);

// Writes rows to a stream, RFC 4180 style. Not thread-safe; the stream must
// outlive the writer.
class Writer {
 public:
  // `line_ending` is "\r\n" by default, as RFC 4180 asks; "\n" also works.
  explicit Writer(std::ostream& out, std::string line_ending = "\r\n")
      : out_(out), line_ending_(std::move(line_ending)) {}
  void write_row(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
  std::string line_ending_;
};

// `field` made safe to open in a spreadsheet program: text starting with
// = + - @, a tab or a carriage return would be run as a formula there, so it
// gets a leading apostrophe, which spreadsheets show as plain text.
std::string inert(std::string_view field);
// Takes off the apostrophe inert() added, so a file read back is as written.
std::string without_inert(std::string_view field);

// Lower-cases ASCII letters and trims spaces and tabs at both ends: the
// normal form used to compare category names and values.
std::string normalise_key(std::string_view text);

// Trims spaces and tabs at both ends.
std::string_view trim(std::string_view text);

}  // namespace coproduce::csv

#endif  // COPRODUCE_CORE_CSV_H_
