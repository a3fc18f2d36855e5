// to_xlsx: libxlsxwriter writes to a path, so each call writes a private
// temporary file, reads it back and removes it, whatever happens.
#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "sheets/sheets.h"
#include "core/text.h"

namespace coproduce::sheets {
namespace {

constexpr std::size_t kMaxRows = 1'048'576;
constexpr std::size_t kMaxColumns = 16'384;
constexpr std::size_t kMaxTextLength = 32'767;
constexpr std::size_t kMaxSheetName = 31;
constexpr double kMinWidth = 8;
constexpr std::size_t kConstantMemoryCells = 200'000;
constexpr double kMaxWidth = 60;

// Characters in UTF-8 text (code points, counting each lead byte).
// XML cannot hold most control characters, and a literal "_xHHHH_" would be
// read back as an escape, so both are written with the spreadsheet's own
// _xHHHH_ escape (an underscore becomes _x005F_ when it would start one).
std::string escape_text(std::string_view s) {
  auto is_hex = [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)) != 0; };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    bool control = ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r';
    bool looks_escaped = ch == '_' && i + 6 < s.size() && s[i + 1] == 'x' && is_hex(s[i + 2]) &&
                         is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]) && s[i + 6] == '_';
    if (control || looks_escaped) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "_x%04X_", ch);
      out += buffer;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

Status check_name(const std::string& name, std::set<std::string>& seen) {
  if (name.empty()) return InvalidInput("a sheet needs a name");
  if (utf8_length(name) > kMaxSheetName) {
    return InvalidInput("sheet name '" + name + "' is longer than 31 characters");
  }
  if (name.find_first_of("[]:*?/\\") != std::string::npos) {
    return InvalidInput("sheet name '" + name + "' contains one of the characters [ ] : * ? / \\");
  }
  if (name.front() == '\'' || name.back() == '\'') {
    return InvalidInput("sheet name '" + name + "' starts or ends with an apostrophe");
  }
  std::string lower = name;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!seen.insert(lower).second) return InvalidInput("two sheets are called '" + name + "'");
  return Status::Ok();
}

std::string where(const Sheet& sheet, std::size_t row, std::size_t column) {
  return "sheet '" + sheet.name + "', cell " + column_letters(column) + std::to_string(row + 1) + ": ";
}

// The contents' shape: sizes within a spreadsheet's limits, numbers finite,
// text short enough for a cell.
Status check_cells(const Sheet& sheet) {
  if (sheet.rows.size() > kMaxRows) {
    return InvalidInput("sheet '" + sheet.name + "' has " + std::to_string(sheet.rows.size()) +
                        " rows; a spreadsheet holds at most 1,048,576");
  }
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto& row = sheet.rows[r];
    if (row.size() > kMaxColumns) {
      return InvalidInput("sheet '" + sheet.name + "', row " + std::to_string(r + 1) + " has " +
                          std::to_string(row.size()) + " cells; a spreadsheet holds at most 16,384");
    }
    for (std::size_t c = 0; c < row.size(); ++c) {
      const Cell& cell = row[c];
      if (cell.kind == Cell::Kind::kNumber && !std::isfinite(cell.number)) {
        return InvalidInput(where(sheet, r, c) + "a spreadsheet cannot hold an infinite or undefined number");
      }
      if (cell.kind == Cell::Kind::kText && utf8_length(cell.text) > kMaxTextLength) {
        return InvalidInput(where(sheet, r, c) + "text is longer than the 32,767 characters a cell holds");
      }
    }
  }
  return Status::Ok();
}

// A temporary file that is removed when this goes out of scope.
class TempFile {
 public:
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  Status create() {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/coproduce-xlsx-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) return Internal("could not create a temporary file in " + pattern.substr(0, pattern.rfind('/')));
    ::close(fd);
    path_ = pattern;
    return Status::Ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Owns a workbook until it is closed; closing twice is harmless.
class Workbook {
 public:
  explicit Workbook(lxw_workbook* wb) : wb_(wb) {}
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;
  ~Workbook() {
    if (wb_) workbook_close(wb_);
  }
  lxw_workbook* get() const { return wb_; }
  lxw_error close() {
    lxw_error e = workbook_close(wb_);
    wb_ = nullptr;
    return e;
  }

 private:
  lxw_workbook* wb_;
};

double width_of(const Cell& cell) {
  return static_cast<double>(cell.kind == Cell::Kind::kText ? utf8_length(cell.text) : cell.as_text().size());
}

Status write_sheet(lxw_workbook* wb, lxw_format* bold, const Sheet& sheet) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
  if (!ws) return Internal("could not add sheet '" + sheet.name + "'");

  std::vector<double> widths;
  for (const auto& row : sheet.rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), kMinWidth);
    for (std::size_t c = 0; c < row.size(); ++c) {
      // A long paragraph wraps rather than widening its column past kMaxWidth.
      widths[c] = std::clamp(width_of(row[c]) + 2, widths[c], kMaxWidth);
    }
  }
  for (std::size_t c = 0; c < widths.size(); ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr);
  }
  if (!sheet.rows.empty()) worksheet_freeze_panes(ws, 1, 0);

  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    lxw_format* format = r == 0 ? bold : nullptr;
    const auto& row = sheet.rows[r];
    for (std::size_t c = 0; c < row.size(); ++c) {
      const Cell& cell = row[c];
      auto rr = static_cast<lxw_row_t>(r);
      auto cc = static_cast<lxw_col_t>(c);
      lxw_error e = LXW_NO_ERROR;
      switch (cell.kind) {
        case Cell::Kind::kEmpty:
          break;
        case Cell::Kind::kText:
          if (!cell.text.empty()) e = worksheet_write_string(ws, rr, cc, escape_text(cell.text).c_str(), format);
          break;
        case Cell::Kind::kInteger:
          e = worksheet_write_number(ws, rr, cc, static_cast<double>(cell.integer), format);
          break;
        case Cell::Kind::kNumber:
          e = worksheet_write_number(ws, rr, cc, cell.number, format);
          break;
      }
      if (e != LXW_NO_ERROR) return InvalidInput(where(sheet, r, c) + lxw_strerror(e));
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> to_xlsx(const std::vector<Sheet>& sheets) {
  if (sheets.empty()) return InvalidInput("a workbook needs at least one sheet");
  std::set<std::string> seen;
  for (const Sheet& sheet : sheets) {
    if (Status s = check_name(sheet.name, seen); !s.ok()) return s;
    if (Status s = check_cells(sheet); !s.ok()) return s;
  }

  TempFile file;
  if (Status s = file.create(); !s.ok()) return s;
  {
    // Big workbooks (a large response export) are written a row at a time
    // through libxlsxwriter's constant-memory mode, with inline strings.
    std::size_t cells = 0;
    for (const Sheet& sheet : sheets) {
      for (const auto& row : sheet.rows) cells += row.size();
    }
    lxw_workbook_options options{};
    options.constant_memory = cells > kConstantMemoryCells ? LXW_TRUE : LXW_FALSE;
    std::string tmpdir = file.path().substr(0, file.path().rfind('/'));
    options.tmpdir = tmpdir.data();
    Workbook wb(workbook_new_opt(file.path().c_str(), &options));
    if (!wb.get()) return Internal("could not start a workbook in " + file.path());
    lxw_format* bold = workbook_add_format(wb.get());
    format_set_bold(bold);
    for (const Sheet& sheet : sheets) {
      if (Status s = write_sheet(wb.get(), bold, sheet); !s.ok()) return s;
    }
    if (lxw_error e = wb.close(); e != LXW_NO_ERROR) {
      return Internal(std::string("could not write the workbook: ") + lxw_strerror(e));
    }
  }

  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Internal("could not read back the workbook from " + file.path());
  return bytes.str();
}

}  // namespace coproduce::sheets
