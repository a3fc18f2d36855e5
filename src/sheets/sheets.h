// Spreadsheets: reading and writing .xlsx workbooks as plain values.
//
// A workbook is a list of sheets, each a grid of cells holding text, a whole
// number or a real number. Writing goes through libxlsxwriter; reading unzips
// the file in memory (minizip) and parses its XML parts (expat). Both are
// pure functions over bytes, safe to call from several threads at once.
//
// Example:
//   sheets::Sheet people{"people", {{sheets::Cell::of("name"), sheets::Cell::of("age")},
//                                   {sheets::Cell::of("Ada"), sheets::Cell::whole(36)}}};
//   StatusOr<std::string> bytes = sheets::to_xlsx({people});
//   StatusOr<std::vector<sheets::Sheet>> back = sheets::from_xlsx(*bytes, "people.xlsx");
#ifndef COPRODUCE_SHEETS_SHEETS_H_
#define COPRODUCE_SHEETS_SHEETS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace coproduce::sheets {

// One spreadsheet cell.
struct Cell {
  enum class Kind { kEmpty, kText, kInteger, kNumber };
  Kind kind = Kind::kEmpty;
  std::string text;          // kText
  std::int64_t integer = 0;  // kInteger (written as a whole number)
  double number = 0;         // kNumber

  static Cell empty();
  static Cell of(std::string text);
  static Cell whole(std::int64_t v);
  static Cell real(double v);

  bool is_empty() const { return kind == Kind::kEmpty; }
  // The cell as a person would read it: text as is, whole numbers without a
  // decimal point, real numbers in their shortest exact form, "" when empty.
  std::string as_text() const;

  friend bool operator==(const Cell&, const Cell&) = default;
};

struct Sheet {
  std::string name;                     // at most 31 characters, none of []:*?/\ ; checked on write
  std::vector<std::vector<Cell>> rows;  // row 0 is the header: written bold, frozen, columns sized to fit
};

// The .xlsx file's bytes. Errors for a bad or repeated sheet name, no sheets,
// a sheet too big for a spreadsheet, a non-finite number, text longer than a
// cell holds (32,767 characters) or a failure to write the temporary file.
// Text is written as given (it should be UTF-8); control characters are kept
// with the spreadsheet's own _xHHHH_ escape, which from_xlsx undoes. A whole
// number is stored as a spreadsheet number, so beyond 2^53 it loses precision.
StatusOr<std::string> to_xlsx(const std::vector<Sheet>& sheets);

// Limits on what from_xlsx accepts, so a hostile file cannot exhaust memory.
struct ReadLimits {
  std::size_t max_part_bytes = 64u << 20;  // uncompressed size of each XML part
  std::size_t max_cells = 4'000'000;       // cells across all sheets, counting blank padding
  std::size_t max_zip_entries = 10'000;
};

// Reads an .xlsx held in memory; `file_name` appears in messages. Shared
// strings (rich-text runs joined), inline strings, numbers, booleans (as the
// text TRUE or FALSE), formula results and error values (as their text, such
// as #N/A). Blank cells and missing rows become empty cells, so rows[r][c]
// matches the spreadsheet's row r+1, column c; every row of a sheet has the
// same length, and trailing blank rows and columns are dropped. A number that
// is whole and within ±2^53 comes back as kInteger, any other as kNumber.
// Dates come back as the spreadsheet's day numbers. Errors (not a zip, no
// workbook, corrupt XML, over a limit) name the file and, where it applies,
// the sheet and cell: "survey.xlsx, sheet 'choices', cell B7: ...".
StatusOr<std::vector<Sheet>> from_xlsx(std::string_view bytes, const std::string& file_name);
StatusOr<std::vector<Sheet>> from_xlsx(std::string_view bytes, const std::string& file_name,
                                       const ReadLimits& limits);

// Helper for messages: column index 0 -> "A", 27 -> "AB".
std::string column_letters(std::size_t index);

// The sheet called `name`, compared case-insensitively (ASCII); nullptr when
// there is none. The pointer lives as long as the vector is not changed.
const Sheet* find(const std::vector<Sheet>& sheets, std::string_view name);

}  // namespace coproduce::sheets

#endif  // COPRODUCE_SHEETS_SHEETS_H_
