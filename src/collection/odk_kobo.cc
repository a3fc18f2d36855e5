#include "collection/odk_kobo.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/clock.h"
#include "core/csv.h"
#include "core/dates.h"
#include "sheets/sheets.h"
#include "survey/responses.h"

namespace coproduce::collection {
namespace {

using survey::Question;
using survey::Questionnaire;
using survey::QuestionType;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Letters, digits and '_': what a question's code is made of. Anything
// else in a column's name separates the names of its groups.
bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_'; }

// The last part of a column's name: "about-role" -> "role", "about/help" -> "help".
std::string_view last_part(std::string_view name) {
  size_t i = name.size();
  while (i > 0 && is_name_char(name[i - 1])) --i;
  return name.substr(i);
}

// The part before the last: "views-views_clear" -> "views"; "" when none.
std::string_view part_before_last(std::string_view name) {
  std::string_view rest = name.substr(0, name.size() - last_part(name).size());
  while (!rest.empty() && !is_name_char(rest.back())) rest.remove_suffix(1);
  return last_part(rest);
}

// The first part: "meta-instanceID" -> "meta".
std::string_view first_part(std::string_view name) {
  size_t i = 0;
  while (i < name.size() && is_name_char(name[i])) ++i;
  return name.substr(0, i);
}

// A repeat's counter in a column name, as in "people[2]/name".
bool has_repeat_index(std::string_view name) {
  for (size_t i = name.find('['); i != std::string_view::npos; i = name.find('[', i + 1)) {
    size_t j = i + 1;
    while (j < name.size() && is_digit(name[j])) ++j;
    if (j > i + 1 && j < name.size() && name[j] == ']') return true;
  }
  return false;
}

std::string list_codes(const std::vector<survey::Option>& options) {
  std::string out;
  for (const auto& o : options) out += (out.empty() ? "" : ", ") + o.code;
  return out;
}

std::vector<std::string> split_spaces(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != '\r') ++j;
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

bool parse_number(std::string_view text, double& out) {
  if (text.empty()) return false;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size() && std::isfinite(out);
}

// Two digits at text[i], as a number; -1 when they are not digits.
int two_digits(std::string_view text, size_t i) {
  if (i + 1 >= text.size() || !is_digit(text[i]) || !is_digit(text[i + 1])) return -1;
  return (text[i] - '0') * 10 + (text[i + 1] - '0');
}

// ODK's time of day, 14:30:00.000+01:00, as the hours and minutes a
// Coproduce time question holds (14:30); the text itself when it is not one.
std::string time_of_day(const std::string& text) {
  const int h = two_digits(text, 0), m = two_digits(text, 3);
  if (h < 0 || h > 23 || text.size() < 5 || text[2] != ':' || m < 0 || m > 59) return text;
  size_t i = 5;
  if (i < text.size() && text[i] == ':') {
    if (two_digits(text, i + 1) < 0) return text;
    i += 3;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && is_digit(text[i])) ++i;
    }
  }
  if (i < text.size() && text[i] == 'Z')
    ++i;
  else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    if (two_digits(text, i + 1) < 0) return text;
    i += 3;
    if (i < text.size() && text[i] == ':') ++i;
    if (i < text.size()) {
      if (two_digits(text, i) < 0) return text;
      i += 2;
    }
  }
  return i == text.size() ? text.substr(0, 5) : text;
}

// Whether a short-text question asks for a time of day: its pattern takes
// 09:30 and 23:59 but not words (an XLSForm time question is read so).
bool asks_for_time(const Question& q) {
  if (q.type != QuestionType::kShortText || q.validation.pattern.empty()) return false;
  try {
    const std::regex re(q.validation.pattern, std::regex::ECMAScript);
    return std::regex_match("09:30", re) && std::regex_match("23:59", re) && !std::regex_match("soon", re);
  } catch (const std::regex_error&) {
    return false;
  }
}

}  // namespace

// Whether a short-text question asks for a date and a time of day (an
// XLSForm datetime question is read so): its pattern takes 2026-03-14 09:30.
bool asks_for_date_and_time(const Question& q) {
  if (q.type != QuestionType::kShortText || q.validation.pattern.empty()) return false;
  try {
    const std::regex re(q.validation.pattern, std::regex::ECMAScript);
    return std::regex_match("2026-03-14 09:30", re) && !std::regex_match("09:30", re) && !std::regex_match("soon", re);
  } catch (const std::regex_error&) {
    return false;
  }
}

// ODK's date and time, 2026-03-14T09:30:00.000+01:00, as the date and the
// time of day it shows (2026-03-14 09:30), the way a Coproduce date-and-time
// question holds it; the text itself when it is not one.
std::string date_and_time(const std::string& text) {
  if (text.size() < 16 || !is_date(text.substr(0, 10)) || (text[10] != 'T' && text[10] != ' ')) return text;
  const std::string time = time_of_day(text.substr(11));
  return time.size() == 5 && time != text.substr(11) ? text.substr(0, 10) + " " + time : text;
}

// ---------------------------------------------------------------------------
// Reading the file.

char csv_separator(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t i = 0;
  while (i < text.size() && (text[i] == '\n' || text[i] == '\r')) ++i;
  size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    commas += c == ',' ? 1 : 0;
    semicolons += c == ';' ? 1 : 0;
    tabs += c == '\t' ? 1 : 0;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

namespace {

// CSV text, read by core/csv.h with the separator its header uses.
StatusOr<SourceTable> read_text_table(std::string_view text, const std::string& file_name, size_t max_rows) {
  csv::ReadOptions options;
  options.file_name = file_name;
  options.max_rows = max_rows;
  options.strict_width = false;
  options.separator = csv_separator(text);
  auto parsed = csv::parse(text, options);
  if (!parsed.ok()) return parsed.status();
  SourceTable table;
  table.file_name = file_name;
  table.separator = options.separator;
  table.header = std::move(parsed->header);
  for (csv::Row& r : parsed->rows) {
    if (r.fields.size() == 1 && r.fields[0].empty()) continue;
    r.fields.resize(table.header.size());
    table.rows.push_back({r.line, std::move(r.fields)});
  }
  return table;
}

bool row_blank(const std::vector<sheets::Cell>& row) {
  return std::all_of(row.begin(), row.end(), [](const sheets::Cell& c) {
    return c.is_empty() || (c.kind == sheets::Cell::Kind::kText && csv::trim(c.text).empty());
  });
}

// The header row of a sheet: the first that is not blank, or rows.size().
size_t header_row(const sheets::Sheet& sheet) {
  size_t r = 0;
  while (r < sheet.rows.size() && row_blank(sheet.rows[r])) ++r;
  return r;
}

StatusOr<SourceTable> read_sheet(const sheets::Sheet& sheet, const std::string& file_name, size_t max_rows) {
  SourceTable table;
  table.file_name = file_name;
  table.sheet = sheet.name;
  table.spreadsheet = true;
  Location where_file;
  where_file.file = file_name;
  size_t r = header_row(sheet);
  if (r == sheet.rows.size()) {
    return InvalidInput("the sheet '" + sheet.name + "' is empty: it needs a header row", where_file);
  }
  table.header_line = static_cast<long>(r) + 1;
  for (const auto& cell : sheet.rows[r]) table.header.emplace_back(csv::trim(cell.as_text()));
  for (++r; r < sheet.rows.size(); ++r) {
    if (row_blank(sheet.rows[r])) continue;
    SourceTable::Row row;
    row.line = static_cast<long>(r) + 1;
    if (max_rows > 0 && table.rows.size() >= max_rows) {
      Location loc = where_file;
      loc.line = row.line;
      return InvalidInput(
          "too many rows: the limit is " + std::to_string(max_rows) + "; split the file and import each part", loc);
    }
    for (const auto& cell : sheet.rows[r]) row.cells.push_back(cell.as_text());
    row.cells.resize(table.header.size());
    table.rows.push_back(std::move(row));
  }
  return table;
}

// Whether a header is a repeat's table: a column that ties each row to its
// response (KoboToolbox's and ODK Central's, or Coproduce's own two).
bool repeat_header(const std::vector<std::string>& header) {
  bool response_id = false, instance = false;
  for (const auto& h : header) {
    const std::string name = lower(csv::trim(h));
    if (name == "_parent_index" || name == "_parent_table_name" || name == "parent_key") return true;
    response_id = response_id || name == "response_id";
    instance = instance || name == "instance";
  }
  return response_id && instance;
}

StatusOr<SourceTable> read_workbook(std::string_view bytes, const std::string& file_name, size_t max_rows) {
  auto book = sheets::from_xlsx(bytes, file_name);
  if (!book.ok()) {
    const std::string name = lower(file_name);
    if (name.size() > 4 && name.substr(name.size() - 4) == ".zip") {
      Location loc;
      loc.file = file_name;
      return InvalidInput(
          "this is a zip archive, not a spreadsheet: ODK Central's download holds one CSV file for "
          "the form (and one for each repeated group); unzip it and upload the form's CSV file, with "
          "the repeated groups' files among the files for repeated questions",
          loc);
    }
    return book.status();
  }
  Location where_file;
  where_file.file = file_name;
  if (book->empty()) return InvalidInput("the workbook has no sheets", where_file);
  const sheets::Sheet* sheet = sheets::find(*book, "responses");
  if (!sheet) sheet = &book->front();
  auto table = read_sheet(*sheet, file_name, max_rows);
  if (!table.ok()) return table.status();
  for (const auto& other : *book) {
    if (&other == sheet) continue;
    const size_t h = header_row(other);
    if (h == other.rows.size()) continue;
    std::vector<std::string> header;
    for (const auto& cell : other.rows[h]) header.emplace_back(csv::trim(cell.as_text()));
    if (!repeat_header(header)) continue;
    auto rows = read_sheet(other, file_name + ", sheet '" + other.name + "'", max_rows);
    if (!rows.ok()) return rows.status();
    table->repeat_sheets.push_back(std::move(*rows));
  }
  return table;
}

// ---------------------------------------------------------------------------
// What each column of the file is.

// A column the tool adds rather than the form asks.
enum class Meta { kNone, kOther, kId, kStart, kEnd, kSubmitted, kStatus };

// XLSForm's metadata, written by the form, under the names it suggests
// (deviceid, start, ...): they are questions of the form, not of the survey.
const std::set<std::string> kFormMetadata = {
    "start", "end",   "today",      "deviceid",     "subscriberid", "simserial",      "phonenumber",     "username",
    "email", "audit", "instanceid", "instancename", "deprecatedid", "start-geopoint", "background-audio"};
// ODK Central's own columns, lower-cased.
const std::set<std::string> kOdkColumns = {
    "submissiondate", "key",         "submitterid", "submittername", "attachmentspresent", "attachmentsexpected",
    "status",         "reviewstate", "deviceid",    "edits",         "formversion"};

struct MetaColumn {
  Meta kind = Meta::kNone;
  int id_rank = 0;  // for kId: lower is preferred
};

// How good an id each column is: the one that stays the same when a
// submission is edited first.
MetaColumn meta_column(std::string_view name, ResponseSource source) {
  const std::string l = lower(name);
  const std::string tail = lower(last_part(name));
  const std::string first = lower(first_part(name));
  const bool odk = source == ResponseSource::kOdkCentral;
  const bool meta_group = (first == "meta" || first == "formhub") && first.size() < l.size();
  if (l == "key") return {Meta::kId, odk ? 0 : 3};
  if (l == "_uuid") return {Meta::kId, odk ? 3 : 1};
  if (l == "_id") return {Meta::kId, 9};
  if (l == "_submission_time" || l == "submissiondate") return {Meta::kSubmitted, 0};
  if (meta_group && tail == "rootuuid") return {Meta::kId, odk ? 2 : 0};
  if ((meta_group && tail == "instanceid") || l == "instanceid") return {Meta::kId, odk ? 1 : 2};
  if (l == "start") return {Meta::kStart, 0};
  if (l == "end") return {Meta::kEnd, 0};
  if (l == "status" && odk) return {Meta::kStatus, 0};
  if (meta_group || (!l.empty() && l[0] == '_') || kFormMetadata.count(l) || kOdkColumns.count(l)) {
    return {Meta::kOther, 0};
  }
  return {};
}

bool is_repeat_table_column(std::string_view name) {
  const std::string l = lower(name);
  return l == "parent_key" || l == "_parent_index" || l == "_parent_table_name";
}

// A repeat's counter in a column's name, "people[2]/name": the name before
// it ("people"), the number (2) and the name without it ("people/name").
struct RepeatIndex {
  std::string repeat;
  int number = 0;
  std::string without;
};

std::optional<RepeatIndex> repeat_index(std::string_view name) {
  for (size_t i = name.find('['); i != std::string_view::npos; i = name.find('[', i + 1)) {
    size_t j = i + 1;
    while (j < name.size() && is_digit(name[j])) ++j;
    if (j == i + 1 || j >= name.size() || name[j] != ']' || j - i > 4) continue;
    RepeatIndex out;
    out.repeat = std::string(last_part(name.substr(0, i)));
    out.number = std::stoi(std::string(name.substr(i + 1, j - i - 1)));
    out.without = std::string(name.substr(0, i)) + std::string(name.substr(j + 1));
    return out;
  }
  return std::nullopt;
}

// The columns of a repeat's table that tie each row to its response.
struct Links {
  long parent_key = -1;       // ODK Central: the response's KEY
  long key = -1;              // ODK Central: the row's own KEY, ending [n]
  long parent_index = -1;     // KoboToolbox: the main sheet's _index
  long parent_table = -1;     // KoboToolbox: the sheet of the row's parent
  long submission_uuid = -1;  // KoboToolbox: the response's _uuid
};

// The survey's questions by the names their answers have in an export.
struct Names {
  std::map<std::string, size_t> questions;  // code -> question index
  // Likert statements: "views_clear" and "clear" -> (question, item)
  std::multimap<std::string, std::pair<size_t, size_t>> items;
  std::map<std::string, size_t> others;  // "role_other" -> question index
  std::vector<size_t> multiples;         // indexes of multiple-choice questions
  std::vector<size_t> ranks;             // indexes of rank questions

  explicit Names(const Questionnaire& q) {
    for (size_t i = 0; i < q.questions.size(); ++i) {
      const Question& question = q.questions[i];
      questions[question.code] = i;
      if (question.repeat >= 0) continue;  // read from the repeat's own table
      if (question.type == QuestionType::kMultiple) multiples.push_back(i);
      if (question.rank) ranks.push_back(i);
      if (question.other_specify) others[question.code + "_other"] = i;
      if (question.type == QuestionType::kLikert && !question.rank) {
        for (size_t k = 0; k < question.items.size(); ++k) {
          items.emplace(question.code + "_" + question.items[k].code, std::make_pair(i, k));
          items.emplace(question.items[k].code, std::make_pair(i, k));
        }
      }
    }
  }
};

// A column named QUESTION/CHOICE (any one character between, groups
// before): the question's index and the choice's, -1 when the question has
// no such choice.
struct ChoiceColumn {
  size_t question = 0;
  int option = -1;
  std::string choice;
};

std::optional<ChoiceColumn> choice_column(std::string_view name, const Questionnaire& q, const Names& names) {
  std::optional<ChoiceColumn> unknown;
  for (size_t qi : names.multiples) {
    const Question& question = q.questions[qi];
    const std::string& code = question.code;
    for (size_t p = name.find(code); p != std::string_view::npos; p = name.find(code, p + 1)) {
      const size_t end = p + code.size();
      if ((p > 0 && is_name_char(name[p - 1])) || end + 1 >= name.size() || is_name_char(name[end]) ||
          name[end] == '[') {
        continue;
      }
      std::string choice(name.substr(end + 1));
      const int o = question.option_index(choice);
      if (o >= 0) return ChoiceColumn{qi, o, choice};
      if (!unknown) unknown = ChoiceColumn{qi, -1, choice};
    }
  }
  return unknown;
}

}  // namespace

std::string_view source_name(ResponseSource source) {
  switch (source) {
    case ResponseSource::kOdkCentral:
      return "ODK Central";
    case ResponseSource::kKoboToolbox:
      return "KoboToolbox";
    case ResponseSource::kCoproduce:
      break;
  }
  return "Coproduce";
}

Location SourceTable::where(long line, size_t column) const {
  Location loc;
  loc.file = file_name;
  loc.line = line;
  loc.column = static_cast<long>(column) + 1;
  if (column < header.size()) loc.field = header[column];
  return loc;
}

bool is_spreadsheet(std::string_view bytes) { return bytes.size() >= 4 && bytes.substr(0, 4) == "PK\x03\x04"; }

StatusOr<SourceTable> read_source_table(std::string_view bytes, const std::string& file_name, size_t max_rows) {
  if (is_spreadsheet(bytes)) return read_workbook(bytes, file_name, max_rows);
  return read_text_table(bytes, file_name, max_rows);
}

std::optional<ResponseSource> detect_source(const std::vector<std::string>& header) {
  std::set<std::string> names;
  for (const auto& h : header) names.insert(lower(csv::trim(h)));
  if (names.count("id") && names.count("started_at")) return ResponseSource::kCoproduce;
  for (const char* kobo : {"_uuid", "_submission_time", "_id", "__version__", "_validation_status"}) {
    if (names.count(kobo)) return ResponseSource::kKoboToolbox;
  }
  for (const char* odk : {"submissiondate", "key", "meta-instanceid", "submitterid", "reviewstate"}) {
    if (names.count(odk)) return ResponseSource::kOdkCentral;
  }
  return std::nullopt;
}

Location Conversion::in_file(const Location& at) const {
  Location out;
  out.file = file_name;
  if (at.line <= 0) return out;
  auto it = std::upper_bound(csv_row_starts.begin(), csv_row_starts.end(), at.line);
  if (it == csv_row_starts.begin()) {
    out.line = header_line;
  } else {
    out.line = row_lines[static_cast<size_t>(it - csv_row_starts.begin() - 1)];
  }
  if (at.column > 0 && static_cast<size_t>(at.column) <= column_sources.size()) {
    const long from = column_sources[static_cast<size_t>(at.column - 1)];
    if (from >= 0) {
      out.column = from + 1;
      if (static_cast<size_t>(from) < header.size()) out.field = header[static_cast<size_t>(from)];
    }
  }
  return out;
}

std::optional<std::string> normalise_timestamp(std::string_view text, bool day_numbers) {
  using namespace std::chrono;
  text = csv::trim(text);
  double days = 0;
  if (day_numbers && parse_number(text, days)) {
    // A spreadsheet's date and time: days since 30 December 1899.
    if (days < 1 || days > 2958465) return std::nullopt;
    const auto t = sys_days(year(1899) / December / 30) + seconds(std::llround(days * 86400.0));
    return format_timestamp(time_point_cast<system_clock::duration>(t));
  }
  if (text.size() < 10) return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  if (!date) return std::nullopt;
  sys_seconds t = sys_days(*date);
  size_t i = 10;
  if (i < text.size()) {
    if (text[i] != 'T' && text[i] != ' ') return std::nullopt;
    const int h = two_digits(text, i + 1), m = two_digits(text, i + 4);
    if (h < 0 || h > 23 || i + 3 >= text.size() || text[i + 3] != ':' || m < 0 || m > 59) return std::nullopt;
    t += hours(h) + minutes(m);
    i += 6;
    if (i < text.size() && text[i] == ':') {
      const int s = two_digits(text, i + 1);
      if (s < 0 || s > 59) return std::nullopt;
      t += seconds(s);
      i += 3;
      if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && is_digit(text[i])) ++i;
      }
    }
    if (i < text.size() && text[i] == 'Z') {
      ++i;
    } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      const int sign = text[i] == '+' ? 1 : -1;
      const int oh = two_digits(text, i + 1);
      if (oh < 0 || oh > 23) return std::nullopt;
      i += 3;
      int om = 0;
      if (i < text.size() && text[i] == ':') ++i;
      if (i < text.size()) {
        om = two_digits(text, i);
        if (om < 0 || om > 59) return std::nullopt;
        i += 2;
      }
      t -= sign * (hours(oh) + minutes(om));
    }
    if (i != text.size()) return std::nullopt;
  }
  return format_timestamp(time_point_cast<system_clock::duration>(t));
}

namespace {

// Adds one row to the converted CSV, noting where it starts there (`line`,
// moved on past it) and where it was in the file.
void append_row(Conversion& out, const std::vector<std::string>& cells, long source_line, long& line) {
  std::ostringstream one;
  csv::Writer writer(one, "\n");
  writer.write_row(cells);
  const std::string s = one.str();
  out.csv_row_starts.push_back(line);
  out.row_lines.push_back(source_line);
  line += static_cast<long>(std::count(s.begin(), s.end(), '\n'));
  out.csv += s;
}

// Copies a file already in Coproduce's layout, cell for cell.
void copy_as_is(const SourceTable& table, Conversion& out) {
  std::ostringstream text;
  csv::Writer writer(text, "\n");
  writer.write_row(table.header);
  out.csv = text.str();
  long line = 1 + static_cast<long>(std::count(out.csv.begin(), out.csv.end(), '\n'));
  for (size_t c = 0; c < table.header.size(); ++c) out.column_sources.push_back(static_cast<long>(c));
  const auto id = std::find(table.header.begin(), table.header.end(), "id");
  for (const auto& row : table.rows) {
    append_row(out, row.cells, row.line, line);
    out.ids.push_back(id == table.header.end() ? "" : std::string(csv::trim(row.cells[id - table.header.begin()])));
    out.indexes.emplace_back();
  }
  out.checkable = true;
}

}  // namespace

namespace {

// convert_responses, and with `links` a repeat's table (its rows tied to
// responses by the columns `links` is given; `q` the repeat's questions).
Conversion convert_table(const SourceTable& table, const Questionnaire& q, ResponseSource source, Links* links) {
  Conversion out;
  out.source = source;
  out.file_name = table.file_name;
  out.spreadsheet = table.spreadsheet;
  out.header_line = table.header_line;
  out.header = table.header;
  if (source == ResponseSource::kCoproduce) {
    copy_as_is(table, out);
    return out;
  }
  const std::string tool(source_name(source));
  auto problem = [&](Location where, std::string message) {
    out.problems.push_back({std::move(where), std::move(message)});
  };
  auto header_at = [&](size_t c) { return table.where(table.header_line, c); };
  auto file_only = [&] {
    Location loc;
    loc.file = table.file_name;
    return loc;
  };
  // ODK's wide columns of a repeat's questions: (repeat, instance, column, name without [n]).
  struct Wide {
    size_t repeat;
    int number;
    size_t column;
    std::string name;
  };
  std::vector<Wide> wide;

  // The layout to fill, and what fills each of its columns.
  const std::vector<std::string> columns = survey::response_columns(q);
  std::map<std::string, size_t> layout;
  for (size_t k = 0; k < columns.size(); ++k) layout[columns[k]] = k;
  std::vector<long> value_source(columns.size(), -1);
  std::vector<long> summary_source(q.questions.size(), -1);
  std::vector<std::vector<long>> choice_source(q.questions.size());
  for (size_t i = 0; i < q.questions.size(); ++i) choice_source[i].assign(q.questions[i].options.size(), -1);

  const Names names(q);
  long id_column = -1, start_column = -1, end_column = -1, submitted_column = -1, status_column = -1;
  int id_rank = 100;
  size_t matched = 0;
  bool repeat_table = false;
  // The file column that already fills a place, to name both when a second would.
  auto claim = [&](long& slot, size_t c, const std::string& what) {
    if (slot >= 0) {
      problem(header_at(c), "the columns '" + table.header[static_cast<size_t>(slot)] + "' and '" + table.header[c] +
                                "' both hold " + what + ": remove one of them");
      return;
    }
    slot = static_cast<long>(c);
    ++matched;
  };
  long previous_question = -1;  // the question of the column before, for a hint

  for (size_t c = 0; c < table.header.size(); ++c) {
    const std::string& name = table.header[c];
    const long before = previous_question;
    previous_question = -1;
    if (name.empty()) {
      const bool used = std::any_of(table.rows.begin(), table.rows.end(),
                                    [&](const SourceTable::Row& r) { return !csv::trim(r.cells[c]).empty(); });
      if (used) problem(header_at(c), "this column has no name but holds answers: name it, or remove it");
      continue;
    }
    if (links) {
      const std::string l = lower(name);
      long* slot = l == "parent_key"           ? &links->parent_key
                   : l == "key"                ? &links->key
                   : l == "_parent_index"      ? &links->parent_index
                   : l == "_parent_table_name" ? &links->parent_table
                   : l == "_submission__uuid"  ? &links->submission_uuid
                                               : nullptr;
      if (slot) {
        if (*slot < 0) *slot = static_cast<long>(c);
        continue;
      }
    } else if (is_repeat_table_column(name)) {
      repeat_table = true;
      problem(header_at(c), "this is the table of a repeated group's answers (it has a " + name +
                                " column): upload the form's main file as the file of responses, and this one "
                                "among the files for repeated questions");
      continue;
    }
    if (has_repeat_index(name)) {
      // ODK's wide columns, people[2]/name: instance 2 of a repeat's question.
      const std::optional<RepeatIndex> index = repeat_index(name);
      std::optional<size_t> r = index ? q.find_repeat(index->repeat) : std::nullopt;
      if (index && !r) {
        std::optional<size_t> qi = q.find(last_part(index->without));
        if (!qi) qi = q.find(part_before_last(index->without));
        if (qi && q.questions[*qi].repeat >= 0) r = static_cast<size_t>(q.questions[*qi].repeat);
      }
      if (!links && index && r && index->number >= 1) {
        wide.push_back({*r, index->number, c, index->without});
        ++matched;
        continue;
      }
      std::string repeats;
      for (const auto& rep : q.repeats) repeats += (repeats.empty() ? "" : ", ") + rep.code;
      problem(header_at(c), "the column '" + name +
                                "' belongs to a repeated group (the number in [ ] counts the repeats), but " +
                                (repeats.empty() ? "this survey has no repeated questions"
                                                 : "it is none of this survey's repeats (" + repeats + ")") +
                                ": remove it from the file");
      continue;
    }
    const std::optional<ChoiceColumn> choice = choice_column(name, q, names);
    if (choice && choice->option >= 0) {
      const Question& question = q.questions[choice->question];
      claim(choice_source[choice->question][static_cast<size_t>(choice->option)], c,
            "whether '" + choice->choice + "' of " + question.code + " is ticked");
      continue;
    }
    const std::string tail(last_part(name));
    if (auto it = names.questions.find(tail); it != names.questions.end()) {
      const Question& question = q.questions[it->second];
      if (question.type == QuestionType::kDisplay) {
        out.ignored.push_back(name);
        continue;
      }
      if (question.type == QuestionType::kMultiple || question.rank) {
        // A select_multiple's codes, or a rank's in their order.
        claim(summary_source[it->second], c, "the answers to " + question.code);
        previous_question = static_cast<long>(it->second);
        continue;
      }
      if (question.type != QuestionType::kLikert) {
        claim(value_source[layout.at(question.code)], c, "the answers to " + question.code);
        previous_question = static_cast<long>(it->second);
        continue;
      }
    }
    if (names.items.count(tail)) {
      // A statement of a grid: by its own name, or by the grid's name before it.
      auto [from, to] = names.items.equal_range(tail);
      const std::string group(part_before_last(name));
      const std::pair<size_t, size_t>* pick = nullptr;
      size_t count = 0;
      for (auto i = from; i != to; ++i) {
        ++count;
        if (!pick || q.questions[i->second.first].code == group) pick = &i->second;
      }
      if (count == 1 || q.questions[pick->first].code == group) {
        const Question& grid = q.questions[pick->first];
        const std::string code = grid.code + "[" + grid.items[pick->second].code + "]";
        claim(value_source[layout.at(code)], c, "the answers to " + code);
        continue;
      }
    }
    if (auto it = names.others.find(tail); it != names.others.end()) {
      const std::string code = q.questions[it->second].code + "_other";
      claim(value_source[layout.at(code)], c, "the words for 'other' of " + q.questions[it->second].code);
      continue;
    }
    const MetaColumn meta = meta_column(name, source);
    if (meta.kind != Meta::kNone) {
      // The first column of each kind is used (the best for the id); the rest are left out.
      auto take = [&](long& slot) {
        if (slot < 0)
          slot = static_cast<long>(c);
        else
          out.ignored.push_back(name);
      };
      if (meta.kind == Meta::kId) {
        if (meta.id_rank < id_rank) {
          if (id_column >= 0) out.ignored.push_back(table.header[static_cast<size_t>(id_column)]);
          id_column = static_cast<long>(c);
          id_rank = meta.id_rank;
        } else {
          out.ignored.push_back(name);
        }
      } else if (meta.kind == Meta::kStart) {
        take(start_column);
      } else if (meta.kind == Meta::kEnd) {
        take(end_column);
      } else if (meta.kind == Meta::kSubmitted) {
        take(submitted_column);
      } else {
        if (meta.kind == Meta::kStatus) status_column = static_cast<long>(c);
        out.ignored.push_back(name);
      }
      continue;
    }
    if (choice) {
      const Question& question = q.questions[choice->question];
      const std::string options = " (its options: " + list_codes(question.options) + ")";
      problem(header_at(c), "the column '" + name + "' is for the choice '" + choice->choice +
                                "', which is not an option of " + question.code + options);
      continue;
    }
    std::string message = "the column '" + name + "' is not a question of this survey, nor a column " + tool +
                          " adds: remove it from the file";
    if (before >= 0 && q.questions[static_cast<size_t>(before)].other_specify &&
        value_source[layout.at(q.questions[static_cast<size_t>(before)].code + "_other")] < 0) {
      const std::string& code = q.questions[static_cast<size_t>(before)].code;
      message += ", or if it holds the words for 'other' of " + code + ", name it " + code + "_other";
    }
    problem(header_at(c), message);
  }

  // Start, end and sent: the times each response has.
  if (submitted_column < 0)
    submitted_column = end_column;
  else if (end_column >= 0)
    out.ignored.push_back(table.header[static_cast<size_t>(end_column)]);
  if (id_column >= 0) out.id_column = table.header[static_cast<size_t>(id_column)];
  if (start_column >= 0) out.started_column = table.header[static_cast<size_t>(start_column)];
  if (submitted_column >= 0) out.submitted_column = table.header[static_cast<size_t>(submitted_column)];
  if (out.started_column.empty()) out.started_column = out.submitted_column;
  // The columns left out, in the file's order.
  std::stable_sort(out.ignored.begin(), out.ignored.end(), [&](const std::string& a, const std::string& b) {
    auto position = [&](const std::string& name) {
      return std::find(table.header.begin(), table.header.end(), name) - table.header.begin();
    };
    return position(a) < position(b);
  });

  if (matched == 0 && links) {
    problem(file_only(), "none of the columns of this repeated group's table is one of its questions (such as " +
                             (q.questions.empty() ? std::string() : q.questions.front().code) + ")");
    return out;
  }
  if (matched == 0 && !repeat_table) {
    // One clear message rather than one for every column.
    out.problems.erase(std::remove_if(out.problems.begin(), out.problems.end(),
                                      [](const ImportProblem& p) { return p.where.line > 0; }),
                       out.problems.end());
    std::string examples;
    size_t shown = 0;
    for (const auto& question : q.questions) {
      if (question.type == QuestionType::kDisplay || shown == 3) continue;
      examples += std::string(shown == 0 ? "" : ", ") + question.code;
      ++shown;
    }
    std::string message =
        "this file does not look like an export of this survey's questionnaire: none of its "
        "columns is one of the survey's questions (such as " +
        examples + ")";
    if (source == ResponseSource::kKoboToolbox) {
      message +=
          ". If it came from KoboToolbox, download it again choosing 'XML values and headers', so that its "
          "columns are named by the questions' names";
    }
    problem(file_only(), message);
    return out;
  }
  if (repeat_table) {
    // Only that: the other columns are the repeat's own.
    out.problems.erase(std::remove_if(out.problems.begin(), out.problems.end(),
                                      [&](const ImportProblem& p) {
                                        return p.where.line > 0 && !is_repeat_table_column(p.where.field);
                                      }),
                       out.problems.end());
    return out;
  }
  if (links) {
    // A repeat's rows: their responses' ids and times come from the main file.
  } else if (id_column < 0) {
    problem(file_only(),
            "there is no column holding each response's id (" + tool +
                (source == ResponseSource::kOdkCentral ? " calls it KEY or meta-instanceID" : " calls it _uuid") +
                "): download the export again with it, so that importing a file twice is caught");
    return out;
  }
  if (!links && submitted_column < 0 && start_column < 0) {
    problem(file_only(),
            "there is no column saying when each response was sent or started (" +
                std::string(source == ResponseSource::kOdkCentral ? "SubmissionDate" : "_submission_time") +
                ", start or end): download the export again with it");
    return out;
  }

  // Where each column of the layout comes from, for problems found checking it.
  out.column_sources.assign(columns.size(), -1);
  if (!links) {
    out.column_sources[0] = id_column;
    out.column_sources[1] = start_column >= 0 ? start_column : submitted_column;
    out.column_sources[2] = submitted_column;
  }
  long index_column = -1;  // KoboToolbox's _index, which its repeats' rows name
  for (size_t c = 0; c < table.header.size(); ++c) {
    if (lower(table.header[c]) == "_index" && index_column < 0) index_column = static_cast<long>(c);
  }
  for (size_t k = 0; k < columns.size(); ++k) {
    if (value_source[k] >= 0) out.column_sources[k] = value_source[k];
  }
  std::vector<bool> time_question(q.questions.size(), false), date_time_question(q.questions.size(), false);
  for (size_t i = 0; i < q.questions.size(); ++i) {
    const Question& question = q.questions[i];
    time_question[i] = asks_for_time(question);
    date_time_question[i] = asks_for_date_and_time(question);
    if (question.repeat >= 0) continue;  // not in the main layout
    if (question.rank && summary_source[i] >= 0) {
      for (const auto& item : question.items) {
        out.column_sources[layout.at(question.code + "[" + item.code + "]")] = summary_source[i];
      }
    }
    if (question.type != QuestionType::kMultiple) continue;
    for (size_t o = 0; o < question.options.size(); ++o) {
      const long from = choice_source[i][o] >= 0 ? choice_source[i][o] : summary_source[i];
      out.column_sources[layout.at(question.code + "[" + question.options[o].code + "]")] = from;
    }
  }
  // Each layout column's question, and whether it is the words for 'other'.
  std::vector<const Question*> column_question(columns.size(), nullptr);
  std::vector<bool> other_column(columns.size(), false);
  for (const Question& question : q.questions) {
    if (auto it = layout.find(question.code); it != layout.end()) column_question[it->second] = &question;
    if (auto it = layout.find(question.code + "_other"); it != layout.end() && question.other_specify) {
      column_question[it->second] = &question;
      other_column[it->second] = true;
    }
    for (const auto& item : question.items) {
      if (auto it = layout.find(question.code + "[" + item.code + "]"); it != layout.end()) {
        column_question[it->second] = &question;
      }
    }
  }

  std::ostringstream head;
  csv::Writer head_writer(head, "\n");
  head_writer.write_row(columns);
  out.csv = head.str();
  long line = 2;
  const std::string last_page = std::to_string(q.pages);
  const std::string placeholder_time = "1970-01-01T00:00:00Z";
  for (const auto& row : table.rows) {
    auto cell = [&](long c) -> std::string {
      if (c < 0 || static_cast<size_t>(c) >= row.cells.size()) return "";
      return std::string(csv::trim(row.cells[static_cast<size_t>(c)]));
    };
    auto at = [&](long c) { return table.where(row.line, static_cast<size_t>(c)); };
    std::vector<std::string> v(columns.size());
    if (links) {
      // A made-up id and time, so that the row is checked as a response is.
      v[0] = "row" + std::to_string(out.row_lines.size() + 1);
      v[1] = placeholder_time;
      v[3] = "1";
    }
    std::string id = cell(id_column);
    if (id.rfind("uuid:", 0) == 0) id = id.substr(5);
    if (!links) {
      v[0] = id;
      out.ids.push_back(id);
      out.indexes.push_back(cell(index_column));
    }
    if (status_column >= 0 && !cell(status_column).empty()) {
      problem(at(status_column), "ODK Central could not decrypt this submission (its Status is '" +
                                     cell(status_column) +
                                     "'): download the export again giving the passphrase, so "
                                     "that its answers come with it");
    }
    auto time_of = [&](long c) -> std::string {
      const std::string raw = cell(c);
      if (raw.empty()) return "";
      if (auto t = normalise_timestamp(raw, table.spreadsheet)) return *t;
      problem(at(c), "'" + raw +
                         "' is not a date and time such as 2026-03-01T10:15:00.000Z or "
                         "2026-03-01T10:15:00+01:00");
      return placeholder_time;
    };
    if (!links) {
      const std::string submitted = time_of(submitted_column);
      std::string started = time_of(start_column);
      if (started.empty()) started = submitted;
      if (started.empty()) {
        problem(at(start_column >= 0 ? start_column : submitted_column),
                "this response has no time: neither when it started nor when it was sent");
        started = placeholder_time;
      }
      v[1] = started;
      v[2] = submitted;
      v[3] = last_page;
    }
    for (size_t k = 0; k < columns.size(); ++k) {
      if (value_source[k] < 0 || !column_question[k]) continue;
      const Question& question = *column_question[k];
      std::string value = cell(value_source[k]);
      if (value.empty()) continue;
      if (other_column[k] || question.type == QuestionType::kLongText) {
        value = csv::inert(value);
      } else if (question.type == QuestionType::kShortText) {
        const size_t qi = static_cast<size_t>(&question - q.questions.data());
        if (time_question[qi]) value = time_of_day(value);
        if (date_time_question[qi]) value = date_and_time(value);
        value = csv::inert(value);
      } else if (question.type == QuestionType::kDate && table.spreadsheet) {
        double days = 0;
        if (parse_number(value, days) && days >= 1 && days < 2958466) {
          value = format_date(
              std::chrono::year_month_day(std::chrono::sys_days(std::chrono::year(1899) / std::chrono::December / 30) +
                                          std::chrono::days(static_cast<long>(std::floor(days)))));
        }
      }
      v[k] = std::move(value);
    }
    for (size_t qi : names.ranks) {
      // rank: the things' codes in order, the first in place 1.
      const Question& question = q.questions[qi];
      const long listed = summary_source[qi];
      std::vector<std::string> order = split_spaces(cell(listed));
      std::set<std::string> seen;
      for (size_t place = 0; place < order.size(); ++place) {
        const std::string& code = order[place];
        auto item = std::find_if(question.items.begin(), question.items.end(),
                                 [&](const survey::Option& o) { return o.code == code; });
        if (item == question.items.end()) {
          problem(at(listed), "'" + code + "' is not one of the things " + question.code +
                                  " puts in order (they are: " + list_codes(question.items) + ")");
        } else if (!seen.insert(code).second) {
          problem(at(listed), "'" + code + "' is given two places in " + question.code);
        } else {
          v[layout.at(question.code + "[" + code + "]")] = std::to_string(place + 1);
        }
      }
    }
    for (size_t qi : names.multiples) {
      const Question& question = q.questions[qi];
      const long summary = summary_source[qi];
      std::vector<bool> ticked(question.options.size(), false);
      const std::string listed = cell(summary);
      for (const std::string& code : split_spaces(listed)) {
        const int o = question.option_index(code);
        if (o < 0) {
          problem(at(summary), "'" + code + "' is not an option of " + question.code +
                                   " (its options: " + list_codes(question.options) + ")");
        } else {
          ticked[static_cast<size_t>(o)] = true;
        }
      }
      for (size_t o = 0; o < question.options.size(); ++o) {
        const long c = choice_source[qi][o];
        if (c < 0) continue;
        const std::string raw = lower(cell(c));
        bool flag = false;
        if (raw == "1" || raw == "true") {
          flag = true;
        } else if (!(raw.empty() || raw == "0" || raw == "false")) {
          problem(at(c), "a choice's column holds 1 when it is ticked and 0 when not (found '" + cell(c) + "')");
          continue;
        }
        if (summary < 0) {
          ticked[o] = flag;
        } else if (flag != ticked[o]) {
          const std::string& option = question.options[o].code;
          const std::string& summary_name = table.header[static_cast<size_t>(summary)];
          problem(at(c), flag ? "this column says '" + option + "' is ticked, but " + summary_name +
                                    " does not list it (it holds '" + listed + "')"
                              : "this column says '" + option + "' is not ticked, but " + summary_name +
                                    " lists it (it holds '" + listed + "')");
        }
      }
      for (size_t o = 0; o < question.options.size(); ++o) {
        if (ticked[o]) v[layout.at(question.code + "[" + question.options[o].code + "]")] = "1";
      }
    }
    append_row(out, v, row.line, line);
  }

  // The wide columns, gathered by repeat into tables shaped like ODK
  // Central's own file of a repeat (PARENT_KEY, KEY ending [n]).
  std::map<size_t, std::vector<const Wide*>> by_repeat;
  for (const Wide& w : wide) by_repeat[w.repeat].push_back(&w);
  for (const auto& [r, list] : by_repeat) {
    WideRepeat w;
    w.repeat = r;
    w.table.header_line = 0;  // a problem with the header is the file's
    w.table.file_name = table.file_name;
    w.table.spreadsheet = table.spreadsheet;
    w.table.header = {"PARENT_KEY", "KEY"};
    std::map<std::string, size_t> place;  // a name without [n] -> its column in w.table
    std::map<int, std::vector<const Wide*>> by_number;
    for (const Wide* x : list) {
      if (place.emplace(x->name, w.table.header.size()).second) w.table.header.push_back(x->name);
      by_number[x->number].push_back(x);
    }
    for (size_t i = 0; i < table.rows.size(); ++i) {
      const auto& row = table.rows[i];
      for (const auto& [number, cells] : by_number) {
        SourceTable::Row out_row;
        out_row.cells.assign(w.table.header.size(), "");
        std::vector<long> from(w.table.header.size(), -1);
        bool any = false;
        for (const Wide* x : cells) {
          const std::string value(csv::trim(row.cells[x->column]));
          any = any || !value.empty();
          out_row.cells[place.at(x->name)] = value;
          from[place.at(x->name)] = static_cast<long>(x->column);
        }
        if (!any) continue;
        out_row.cells[0] = out.ids[i];
        out_row.cells[1] = out.ids[i] + "/" + q.repeats[r].code + "[" + std::to_string(number) + "]";
        from[0] = id_column;
        out_row.line = static_cast<long>(w.table.rows.size()) + 1;
        w.table.rows.push_back(std::move(out_row));
        w.lines.push_back(row.line);
        w.columns.push_back(std::move(from));
      }
    }
    out.wide.push_back(std::move(w));
  }
  out.checkable = true;
  return out;
}

}  // namespace

Conversion convert_responses(const SourceTable& table, const Questionnaire& q, ResponseSource source) {
  return convert_table(table, q, source, nullptr);
}

}  // namespace coproduce::collection

namespace coproduce::collection {

Location WideRepeat::in_file(const Location& at, const SourceTable& main) const {
  Location out;
  out.file = main.file_name;
  if (at.line <= 0 || static_cast<size_t>(at.line) > lines.size()) return out;
  const size_t row = static_cast<size_t>(at.line - 1);
  out.line = lines[row];
  if (at.column > 0 && static_cast<size_t>(at.column) <= columns[row].size()) {
    const long from = columns[row][static_cast<size_t>(at.column - 1)];
    if (from >= 0) out = main.where(out.line, static_cast<size_t>(from));
  }
  return out;
}

StatusOr<Questionnaire> repeat_questionnaire(const Questionnaire& q, size_t r) {
  const survey::Repeat& repeat = q.repeats.at(r);
  Questionnaire out;
  out.id = q.id + "-" + repeat.code;
  out.title = repeat.label;
  out.languages = q.languages;
  for (size_t i = repeat.first; i < repeat.end; ++i) {
    // Asked once, on one page, always: what is checked of a row is what
    // is checked of a response's cells (codes, numbers, dates, patterns).
    Question question = q.questions[i];
    question.repeat = -1;
    question.page = 1;
    question.show_if.clear();
    question.condition = {};
    question.calculation.clear();
    question.calculate = {};
    question.trigger.clear();
    question.choice_filter.clear();
    question.filter = {};
    question.choice_column_names.clear();
    question.default_answer.clear();
    out.questions.push_back(std::move(question));
  }
  if (Status st = out.finish("the repeat " + repeat.code); !st.ok()) return st;
  return out;
}

namespace {

// The file's name without its folder and extension: "form-people.csv" -> "form-people".
std::string stem(const std::string& file_name) {
  std::string name = file_name.substr(file_name.find_last_of("/\\") == std::string::npos
                                          ? 0
                                          : file_name.find_last_of("/\\") + 1);
  if (const size_t dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
  return name;
}

std::string repeat_codes(const Questionnaire& q) {
  std::string out;
  for (const auto& r : q.repeats) out += (out.empty() ? "" : ", ") + r.code;
  return out;
}

// How the table calls itself in a message: "the sheet 'people'" or "this file".
std::string table_name(const SourceTable& table) {
  return table.sheet.empty() ? "this file" : "the sheet '" + table.sheet + "'";
}

// Which of the questionnaire's repeats a table holds: by its name, else by
// how many of its columns are the repeat's questions.
std::optional<size_t> which_repeat(const SourceTable& table, const Questionnaire& q, long key_column) {
  std::vector<std::string> names;
  if (!table.sheet.empty()) names.push_back(table.sheet);
  const std::string file = stem(table.file_name.substr(0, table.file_name.find(", sheet '")));
  if (table.sheet.empty()) {
    names.push_back(file);
    if (const size_t dash = file.rfind('-'); dash != std::string::npos) names.push_back(file.substr(dash + 1));
  }
  if (key_column >= 0) {
    for (const auto& row : table.rows) {
      const std::string key(csv::trim(row.cells[static_cast<size_t>(key_column)]));
      if (auto index = repeat_index(key.substr(key.find_last_of('/') == std::string::npos
                                                   ? 0
                                                   : key.find_last_of('/') + 1))) {
        names.push_back(index->repeat);
        break;
      }
    }
  }
  for (const auto& name : names) {
    if (auto r = q.find_repeat(name)) return r;
  }
  std::optional<size_t> best;
  size_t best_count = 0;
  for (size_t r = 0; r < q.repeats.size(); ++r) {
    size_t count = 0;
    for (const auto& h : table.header) {
      std::string name = h;
      if (const size_t bracket = name.find('['); bracket != std::string::npos) name.resize(bracket);
      for (const std::string& part : {std::string(last_part(name)), std::string(part_before_last(name)), name}) {
        const auto qi = q.find(part);
        if (qi && q.questions[*qi].repeat == static_cast<int>(r)) {
          ++count;
          break;
        }
      }
    }
    if (count > best_count) {
      best = r;
      best_count = count;
    }
  }
  return best;
}

// Coproduce's own table of a repeat's rows: response_id, instance, then the
// repeat's columns in the export layout.
Conversion convert_own_repeat(const SourceTable& table, const Questionnaire& sub, long& parent_column,
                              long& instance_column) {
  Conversion out;
  out.source = ResponseSource::kCoproduce;
  out.file_name = table.file_name;
  out.spreadsheet = table.spreadsheet;
  out.header_line = table.header_line;
  out.header = table.header;
  const std::vector<std::string> columns = survey::response_columns(sub);
  std::map<std::string, size_t> layout;
  for (size_t k = 0; k < columns.size(); ++k) layout[columns[k]] = k;
  out.column_sources.assign(columns.size(), -1);
  for (size_t c = 0; c < table.header.size(); ++c) {
    const std::string& name = table.header[c];
    if (name == "response_id") {
      parent_column = static_cast<long>(c);
    } else if (name == "instance") {
      instance_column = static_cast<long>(c);
    } else if (auto it = layout.find(name); it != layout.end() && it->second >= 4 && name != "language") {
      if (out.column_sources[it->second] >= 0) {
        out.problems.push_back({table.where(table.header_line, c), "the column '" + name + "' is there twice"});
      }
      out.column_sources[it->second] = static_cast<long>(c);
    } else if (!name.empty()) {
      std::string codes;
      for (size_t k = 4; k < columns.size(); ++k) {
        if (columns[k] != "language") codes += (codes.empty() ? "" : ", ") + columns[k];
      }
      out.problems.push_back({table.where(table.header_line, c), "the column '" + name +
                                                                   "' is not one of this repeat's (" + codes + ")"});
    }
  }
  std::ostringstream head;
  csv::Writer head_writer(head, "\n");
  head_writer.write_row(columns);
  out.csv = head.str();
  long line = 2;
  for (const auto& row : table.rows) {
    std::vector<std::string> v(columns.size());
    v[0] = "row" + std::to_string(out.row_lines.size() + 1);
    v[1] = "1970-01-01T00:00:00Z";
    v[3] = "1";
    for (size_t k = 0; k < columns.size(); ++k) {
      if (out.column_sources[k] >= 0) v[k] = row.cells[static_cast<size_t>(out.column_sources[k])];
    }
    append_row(out, v, row.line, line);
  }
  out.checkable = true;
  return out;
}

}  // namespace

RepeatConversion convert_repeat(const SourceTable& table, const Questionnaire& q, const SourceTable& main_table,
                                const Conversion& main) {
  RepeatConversion out;
  out.rows.file_name = table.file_name;
  out.rows.spreadsheet = table.spreadsheet;
  out.rows.header_line = table.header_line;
  out.rows.header = table.header;
  Location file_only;
  file_only.file = table.file_name;
  auto problem = [&](Location where, std::string message) {
    out.rows.problems.push_back({std::move(where), std::move(message)});
  };
  if (q.repeats.empty()) {
    problem(file_only, table_name(table) + " holds the answers to a repeated group of questions, but this survey "
                                           "asks each of its questions once: export the form without its repeats, " +
                           std::string(table.sheet.empty() ? "or leave this file out" : "or delete that sheet"));
    return out;
  }
  // What kind of table: the columns that tie its rows to responses.
  auto column = [&](std::string_view wanted) -> long {
    for (size_t c = 0; c < table.header.size(); ++c) {
      if (lower(table.header[c]) == wanted) return static_cast<long>(c);
    }
    return -1;
  };
  const bool own = column("response_id") >= 0 && column("instance") >= 0;
  const long key = column("key");
  if (!own && column("parent_key") < 0 && column("_parent_index") < 0 && column("_submission__uuid") < 0) {
    problem(file_only, table_name(table) +
                           " has no column saying which response each row belongs to (PARENT_KEY from ODK "
                           "Central, _parent_index from KoboToolbox, response_id and instance from Coproduce): "
                           "if it is the file of responses, upload it as that, with the files for repeated "
                           "questions beside it");
    return out;
  }
  out.repeat = which_repeat(table, q, own ? -1 : key);
  if (!out.repeat) {
    problem(file_only, table_name(table) + " holds the answers to a repeated group of questions, but none of this "
                                           "survey's repeats (" +
                           repeat_codes(q) + "): its name and its columns match none of them");
    return out;
  }
  auto sub = repeat_questionnaire(q, *out.repeat);
  if (!sub.ok()) {
    problem(file_only, sub.status().message());
    return out;
  }
  long parent_column = -1, instance_column = -1;
  Links links;
  if (own) {
    out.rows = convert_own_repeat(table, *sub, parent_column, instance_column);
  } else {
    const ResponseSource source = column("parent_key") >= 0 ? ResponseSource::kOdkCentral : ResponseSource::kKoboToolbox;
    out.rows = convert_table(table, *sub, source, &links);
    out.rows.ignored.erase(std::remove_if(out.rows.ignored.begin(), out.rows.ignored.end(),
                                          [](const std::string& name) { return lower(name) == "key"; }),
                           out.rows.ignored.end());
  }
  if (!out.rows.checkable) return out;

  // Each row's response, in the main file.
  std::map<std::string, std::string> by_id, by_index;
  for (size_t i = 0; i < main.ids.size(); ++i) {
    if (!main.ids[i].empty()) by_id.emplace(main.ids[i], main.ids[i]);
    const std::string index = i < main.indexes.size() && !main.indexes[i].empty() ? main.indexes[i]
                                                                                   : std::to_string(i + 1);
    by_index.emplace(index, main.ids[i]);
  }
  const bool main_has_index = std::any_of(main.indexes.begin(), main.indexes.end(),
                                          [](const std::string& s) { return !s.empty(); });
  long link = -1;
  const std::map<std::string, std::string>* lookup = &by_id;
  std::string link_what;
  if (own) {
    link = parent_column;
    link_what = "id";
  } else if (links.parent_key >= 0) {
    link = links.parent_key;
    link_what = "KEY";
  } else if (links.parent_index >= 0 && (main_has_index || links.submission_uuid < 0)) {
    link = links.parent_index;
    lookup = &by_index;
    link_what = "_index";
  } else if (links.submission_uuid >= 0) {
    link = links.submission_uuid;
    link_what = "_uuid";
  }
  if (link < 0) {
    problem(file_only, table_name(table) +
                           " has no column saying which response each row belongs to (PARENT_KEY from ODK "
                           "Central, _parent_index from KoboToolbox, response_id from Coproduce)");
    out.rows.checkable = false;
    return out;
  }
  out.number_column = own ? instance_column : links.key;
  const std::string main_name = main_table.file_name;
  for (const auto& row : table.rows) {
    auto cell = [&](long c) {
      return c < 0 ? std::string() : std::string(csv::trim(row.cells[static_cast<size_t>(c)]));
    };
    std::string parent = cell(link);
    if (parent.rfind("uuid:", 0) == 0 && link_what != "_index") parent = parent.substr(5);
    std::string found;
    if (links.parent_table >= 0 && !main_table.sheet.empty() && !cell(links.parent_table).empty() &&
        cell(links.parent_table) != main_table.sheet && q.find_repeat(cell(links.parent_table))) {
      problem(table.where(row.line, static_cast<size_t>(links.parent_table)),
              "this row belongs to a row of the repeat '" + cell(links.parent_table) +
                  "', a repeat inside a repeat, which Coproduce's surveys do not have");
    } else if (parent.empty()) {
      problem(table.where(row.line, static_cast<size_t>(link)),
              "this row does not say which response it belongs to: its " + table.header[static_cast<size_t>(link)] +
                  " is empty");
    } else if (auto it = lookup->find(parent); it != lookup->end()) {
      found = it->second;
    } else if (link_what == "KEY" && parent.find('/') != std::string::npos) {
      problem(table.where(row.line, static_cast<size_t>(link)),
              "this row belongs to '" + parent + "', a repeat inside a repeat, which Coproduce's surveys do not have");
    } else {
      problem(table.where(row.line, static_cast<size_t>(link)),
              "no response in " + main_name + " has the " + link_what + " '" + parent +
                  "': each row of a repeated group belongs to a row of the main file");
    }
    out.parents.push_back(found);
    int number = 0;
    if (own) {
      const std::string text = cell(instance_column);
      if (!text.empty() && (text.size() > 3 || !std::all_of(text.begin(), text.end(), is_digit) || std::stoi(text) < 1)) {
        problem(table.where(row.line, static_cast<size_t>(instance_column)),
                "'" + text + "' is not an instance's number: 1 for the first, 2 for the second, ...");
      } else if (!text.empty()) {
        number = std::stoi(text);
      }
    } else if (links.key >= 0) {
      const std::string k = cell(links.key);
      if (auto index = repeat_index(k.substr(k.find_last_of('/') == std::string::npos ? 0 : k.find_last_of('/') + 1))) {
        number = index->number;
      }
    }
    out.numbers.push_back(number);
  }
  return out;
}

}  // namespace coproduce::collection
