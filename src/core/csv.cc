#include "core/csv.h"

#include <fstream>
#include <sstream>

namespace coproduce::csv {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string normalise_key(std::string_view text) {
  std::string out(trim(text));
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned int cp;
    if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = b & 0x1Fu;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = b & 0x0Fu;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = b & 0x07u;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::optional<size_t> Table::column(std::string_view name) const {
  const std::string key = normalise_key(name);
  for (size_t i = 0; i < header.size(); ++i) {
    if (normalise_key(header[i]) == key) return i;
  }
  return std::nullopt;
}

Location Table::where(const Row& row, size_t column_index) const {
  Location loc;
  loc.file = file_name;
  loc.line = row.line;
  loc.column = static_cast<long>(column_index) + 1;
  if (column_index < header.size()) loc.field = header[column_index];
  return loc;
}

Location Table::where_header(size_t column_index) const {
  Location loc;
  loc.file = file_name;
  loc.line = 1;
  loc.column = static_cast<long>(column_index) + 1;
  return loc;
}

StatusOr<Table> parse(std::string_view text, const ReadOptions& options) {
  Table table;
  table.file_name = options.file_name;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  auto error = [&](std::string message, long line, long column) {
    Location loc;
    loc.file = options.file_name;
    loc.line = line;
    loc.column = column;
    return InvalidInput(std::move(message), std::move(loc));
  };

  const char sep = options.separator;
  bool have_header = false;
  long line = 1;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Skip fully empty lines.
    if (text[i] == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
      ++line;
      i += 2;
      continue;
    }
    Row row;
    row.line = line;
    // Rows are as wide as the header; reserving saves regrowing per field.
    if (have_header) row.fields.reserve(table.header.size());
    std::string field;
    bool row_done = false;
    while (!row_done) {
      field.clear();
      const long field_line = line;
      const long field_column = static_cast<long>(row.fields.size()) + 1;
      if (i < n && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < n) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
        if (!closed) {
          return error("a quoted field is never closed: add the closing double quote", field_line,
                       field_column);
        }
        // After the closing quote only a separator or the end of the line may follow.
        if (i < n && text[i] != sep && text[i] != '\n' && !(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') &&
            !(text[i] == '\r' && i + 1 == n)) {
          return error("unexpected text after a closing double quote; double a quote inside a quoted field (\"\")",
                       line, field_column);
        }
      } else {
        while (i < n && text[i] != sep && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') {
            return error("a double quote inside an unquoted field; quote the whole field and double the quote",
                         line, field_column);
          }
          field.push_back(text[i]);
          ++i;
        }
        if (i < n && text[i] == '\r' && !(i + 1 == n || text[i + 1] == '\n')) {
          return error("a carriage return on its own inside a field", line, field_column);
        }
      }
      if (!is_valid_utf8(field)) {
        return error("the text is not valid UTF-8; save the file as UTF-8", field_line, field_column);
      }
      row.fields.push_back(field);
      if (i >= n) {
        row_done = true;
      } else if (text[i] == sep) {
        ++i;
      } else {
        // End of line: "\n", "\r\n" or a final "\r".
        if (text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') ++i;
        ++line;
        row_done = true;
      }
    }
    if (!have_header) {
      table.header = std::move(row.fields);
      if (options.trim_header) {
        for (auto& h : table.header) h = std::string(trim(h));
      }
      have_header = true;
      continue;
    }
    if (row.fields.size() != table.header.size()) {
      if (row.fields.size() > table.header.size()) {
        return error("this row has " + std::to_string(row.fields.size()) + " fields but the header has " +
                         std::to_string(table.header.size()) +
                         (sep == ',' ? std::string()
                                     : std::string(" (the file is read as separated by ") +
                                           (sep == ';' ? "semicolons" : "tabs") + ")"),
                     row.line, static_cast<long>(table.header.size()) + 1);
      }
      if (options.strict_width) {
        return error("this row has " + std::to_string(row.fields.size()) + " fields but the header has " +
                         std::to_string(table.header.size()),
                     row.line, static_cast<long>(row.fields.size()) + 1);
      }
      row.fields.resize(table.header.size());
    }
    if (options.max_rows > 0 && table.rows.size() >= options.max_rows) {
      return error("too many rows: the limit is " + std::to_string(options.max_rows), row.line, 0);
    }
    table.rows.push_back(std::move(row));
  }
  if (!have_header) return error("the file is empty: it needs a header row", 1, 0);
  return table;
}

StatusOr<Table> read_file(const std::string& path, ReadOptions options) {
  if (options.file_name.empty()) options.file_name = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Location loc;
    loc.file = options.file_name;
    return InvalidInput("cannot open the file (does it exist, and may this program read it?)", loc);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), options);
}

std::string quote(std::string_view field) {
  bool needs = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!field.empty() && (is_blank(field.front()) || is_blank(field.back()))) needs = true;
  if (!needs) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void Writer::write_row(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_ << ',';
    out_ << quote(fields[i]);
  }
  // A single empty field would read back as an empty line, which readers skip.
  if (fields.size() == 1 && fields[0].empty()) out_ << "\"\"";
  out_ << line_ending_;
}

namespace {
bool formula_start(char ch) { return ch == '=' || ch == '+' || ch == '-' || ch == '@' || ch == '\t' || ch == '\r'; }
}  // namespace

std::string inert(std::string_view field) {
  if (!field.empty() && formula_start(field.front())) return "'" + std::string(field);
  return std::string(field);
}

std::string without_inert(std::string_view field) {
  if (field.size() >= 2 && field.front() == '\'' && formula_start(field[1])) return std::string(field.substr(1));
  return std::string(field);
}

}  // namespace coproduce::csv
