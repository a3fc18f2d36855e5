#include "survey/xlsform.h"

#include <algorithm>
#include <cmath>
#include <array>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <system_error>

#include "survey/definition.h"
#include "survey/xlsform_expression.h"

namespace coproduce::survey {
namespace {

using sheets::Cell;
using sheets::Sheet;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(a, b - a + 1));
}

bool contains_word(const std::string& appearance, std::string_view word) {
  std::istringstream in(lower(appearance));
  std::string w;
  while (in >> w) {
    if (w == word) return true;
  }
  return false;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

bool is_whole_number(const std::string& s, long& value) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// Metadata the form records by itself; Coproduce records its own times.
bool is_metadata(const std::string& type) {
  static const std::set<std::string> kMetadata = {"start",      "end",         "today",      "deviceid",
                                                  "subscriberid", "simserial", "phonenumber", "username",
                                                  "email",      "audit",       "start-geopoint", "instanceid"};
  return kMetadata.count(type) > 0;
}

// Columns XLSForm knows but Coproduce does not use: warned about once when
// they hold anything.
const char* const kIgnoredSurveyColumns[] = {"image", "audio", "video"};
// The column that keeps a repeat's most instances (Repeat::max), which
// XLSForm has no column for; ODK and Kobo ignore columns they do not know.
// Written only when it differs from the default.
constexpr const char* kMaxColumn = "coproduce_max";
const int kDefaultRepeatMax = Repeat{}.max;
// What a time question's answer must look like: hours and minutes on the
// 24-hour clock.
constexpr const char* kTimePattern = "([01]?[0-9]|2[0-3]):[0-5][0-9]";
// What an email address must look like: something, @, a name with a dot.
// Loose on purpose: the only sure check is sending to it.
constexpr const char* kEmailPattern = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
// A date and a time of day: 2026-03-14 09:30 (or with a T, as browsers and
// ODK write it).
constexpr const char* kDateTimePattern =
    "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[ T]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?";

// Other names pyxform takes for a type.
std::string canonical_type(const std::string& type) {
  static const std::map<std::string, std::string> kAliases = {
      {"string", "text"}, {"int", "integer"}, {"select1", "select_one"}, {"datetime", "datetime"},
      {"select_all_that_apply", "select_multiple"}};
  auto it = kAliases.find(type);
  return it == kAliases.end() ? type : it->second;
}

// Choices-sheet columns that are not a choice's own data for a
// choice_filter: its list, name, label and media.
bool is_choice_media_or_text(const std::string& column) {
  for (const char* base : {"list_name", "list name", "name", "label", "image", "big-image", "audio", "video", "media"}) {
    const std::string b = base;
    if (column == b || column.rfind(b + "::", 0) == 0) return true;
  }
  // Kobo's own bookkeeping columns ($kuid, $autovalue) and the like.
  return column.empty() || !(std::isalpha(static_cast<unsigned char>(column[0])) || column[0] == '_');
}

// The columns that hold text people read, in each language.
const char* const kTextColumns[] = {"label", "hint", "guidance_hint", "required_message", "constraint_message"};

// Text in the form's languages, as one cell per language.
struct Localized {
  std::string text;           // the default language's, or the plain column's
  Translations translations;  // the other languages
};

// A language as written in a column name: "Cymraeg (cy)" has the code cy;
// "français" is its own code.
Language parse_language(std::string_view written) {
  std::string w = trim(written);
  Language out{w, w};
  const size_t open = w.rfind('(');
  if (open != std::string::npos && !w.empty() && w.back() == ')') {
    std::string code = trim(std::string_view(w).substr(open + 1, w.size() - open - 2));
    std::string name = trim(std::string_view(w).substr(0, open));
    if (!code.empty()) {
      out.code = code;
      out.name = name.empty() ? code : name;
    }
  }
  return out;
}

// How a language is written back in a column name.
std::string written_language(const Language& l) { return l.name == l.code ? l.code : l.name + " (" + l.code + ")"; }

// A sheet's header row: lower-cased column names to their index.
class Header {
 public:
  explicit Header(const Sheet* sheet) {
    if (!sheet || sheet->rows.empty()) return;
    const auto& row = sheet->rows[0];
    for (size_t c = 0; c < row.size(); ++c) {
      std::string name = lower(trim(row[c].as_text()));
      if (name.empty()) continue;
      names_.emplace(name, c);
      written_.emplace(name, trim(row[c].as_text()));
    }
  }
  std::optional<size_t> find(const std::string& name) const {
    auto it = names_.find(name);
    return it == names_.end() ? std::nullopt : std::optional<size_t>(it->second);
  }
  // The columns `base::LANGUAGE`, each with its language as written
  // ("Cymraeg (cy)"), in the order of the sheet.
  std::vector<std::pair<size_t, std::string>> language_columns(const std::string& base) const {
    std::vector<std::pair<size_t, std::string>> out;
    for (const auto& [n, c] : names_) {
      if (n.rfind(base + "::", 0) != 0) continue;
      const std::string& w = written(n);
      out.emplace_back(c, trim(std::string_view(w).substr(w.find("::") + 2)));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string written(const std::string& name) const {
    auto it = written_.find(name);
    return it == written_.end() ? name : it->second;
  }
  const std::map<std::string, size_t>& all() const { return names_; }

 private:
  std::map<std::string, size_t> names_;
  std::map<std::string, std::string> written_;
};

std::string cell_text(const Sheet& sheet, size_t row, std::optional<size_t> column) {
  if (!column || row >= sheet.rows.size() || *column >= sheet.rows[row].size()) return "";
  return trim(sheet.rows[row][*column].as_text());
}

bool row_blank(const Sheet& sheet, size_t row) {
  for (const Cell& c : sheet.rows[row]) {
    if (!trim(c.as_text()).empty()) return false;
  }
  return true;
}

// One row of the survey sheet, as text.
struct SurveyRow {
  size_t row = 0;  // the spreadsheet's row number (from 1)
  std::string type;  // lower-cased first word: select_one, begin_group, ...
  std::string list;  // select_one LIST
  std::string extra; // or_other, or anything else after the list
  std::string name, required, relevant, constraint, appearance, default_answer, parameters, calculation,
      choice_filter, read_only, trigger;
  std::string repeat_count;  // repeat_count, or the older jr:count
  std::string count_column;  // the column it came from, as written
  std::string most;          // coproduce_max
  Localized label, hint, guidance, required_message, constraint_message;
};

// Where a repeat came from, for messages from Questionnaire::finish().
struct RepeatOrigin {
  size_t row = 0;
  std::string count_column;  // repeat_count or jr:count, as written
};

struct ChoiceRow {
  Option option;
  size_t row = 0;
};

// What became of a question: where it came from, for messages from
// Questionnaire::finish().
struct Origin {
  size_t row = 0;
  std::vector<size_t> option_rows;  // choices sheet rows, 0 for options added here
  std::vector<size_t> item_rows;    // Likert statements' survey rows (a rank's: its choices rows)
  bool items_are_choices = false;   // rank: item_rows are on the choices sheet
};

class Importer {
 public:
  explicit Importer(std::string file) : file_(std::move(file)) {}

  XlsformImport run(const std::vector<Sheet>& workbook) {
    const Sheet* survey = sheets::find(workbook, "survey");
    if (!survey) {
      error_plain("the workbook has no sheet called 'survey': an XLSForm lists its questions there");
      return finish_result();
    }
    const Sheet* choices = sheets::find(workbook, "choices");
    const Sheet* settings = sheets::find(workbook, "settings");
    find_languages(*survey, choices, settings);
    read_choices(choices, allows_choice_duplicates(settings));
    read_settings(settings);
    std::vector<SurveyRow> rows = read_survey(*survey);
    walk(rows);
    if (errors_.empty() && questionnaire_.questions.empty()) {
      error("survey", 1, "type", "the form has no questions Coproduce can use");
    }
    if (errors_.empty()) {
      Status s = questionnaire_.finish(file_);
      if (!s.ok()) report_finish_error(s);
    }
    return finish_result();
  }

 private:
  // ---- messages ----

  Status located(const std::string& sheet, size_t row, const std::string& column, const std::string& message) {
    Location where;
    where.file = file_;
    std::string place = "sheet '" + sheet + "'";
    if (row > 0) place += ", row " + std::to_string(row);
    if (!column.empty()) place += ", column '" + column + "'";
    return InvalidInput(place + ": " + message, where);
  }
  void error(const std::string& sheet, size_t row, const std::string& column, const std::string& message) {
    if (errors_.size() >= kMaxXlsformErrors) {
      more_errors_ = true;
      return;
    }
    errors_.push_back(located(sheet, row, column, message));
  }
  void error_plain(const std::string& message) {
    Location where;
    where.file = file_;
    errors_.push_back(InvalidInput(message, where));
  }
  void warn(const std::string& sheet, size_t row, const std::string& column, const std::string& message) {
    warnings_.push_back(located(sheet, row, column, message));
  }
  // An expression error with the character it points at.
  void expression_error(const SurveyRow& r, const std::string& column, const Status& s) {
    std::string at = s.where().column > 0 ? "at character " + std::to_string(s.where().column) + ": " : "";
    error("survey", r.row, survey_header_.written(column), at + s.message());
  }

  XlsformImport finish_result() {
    XlsformImport out;
    out.errors = std::move(errors_);
    out.more_errors = more_errors_;
    out.warnings = std::move(warnings_);
    if (out.errors.empty()) out.questionnaire = std::move(questionnaire_);
    return out;
  }

  // ---- languages ----

  // Every language named in a column (label::Cymraeg (cy), ...), in the
  // order first met; the settings' default_language, or else the first,
  // goes first.
  void find_languages(const Sheet& survey, const Sheet* choices, const Sheet* settings) {
    auto add = [this](const Sheet* sheet, const auto& bases) {
      if (!sheet) return;
      Header h(sheet);
      for (const char* base : bases) {
        for (const auto& [column, written] : h.language_columns(base)) {
          Language l = parse_language(written);
          language_codes_[written] = l.code;
          if (!questionnaire_.find_language(l.code)) questionnaire_.languages.push_back(std::move(l));
        }
      }
    };
    static const char* const kChoiceText[] = {"label"};
    static const char* const kSettingsText[] = {"form_title", "description"};
    add(&survey, kTextColumns);
    add(choices, kChoiceText);
    add(settings, kSettingsText);
    if (!settings || settings->rows.size() < 2) return;
    Header h(settings);
    const std::string wanted = cell_text(*settings, 1, h.find("default_language"));
    if (wanted.empty() || questionnaire_.languages.empty()) return;
    const Language w = parse_language(wanted);
    auto& languages = questionnaire_.languages;
    auto it = std::find_if(languages.begin(), languages.end(), [&](const Language& l) {
      return l.code == w.code || lower(l.name) == lower(wanted) || lower(l.code) == lower(wanted);
    });
    if (it == languages.end()) {
      warn("settings", 2, h.written("default_language"),
           "'" + wanted + "' is not a language of the form's columns, so " + written_language(languages[0]) +
               " is the default");
      return;
    }
    std::rotate(languages.begin(), it, it + 1);
  }

  // The text of `base` in row `r` of `sheet`, in every language. Where the
  // default language's cell is empty, the plain column (label) fills in,
  // and failing that the first other language that has text.
  Localized read_text(const Sheet& sheet, const Header& h, size_t r, const std::string& base) const {
    Localized out;
    const std::string first = questionnaire_.default_language();
    for (const auto& [column, written] : h.language_columns(base)) {
      auto code = language_codes_.find(written);
      if (code == language_codes_.end()) continue;
      std::string text = cell_text(sheet, r, column);
      if (code->second == first) {
        out.text = std::move(text);
      } else {
        out.translations.set(code->second, std::move(text));
      }
    }
    if (out.text.empty()) out.text = cell_text(sheet, r, h.find(base));
    if (out.text.empty() && !out.translations.empty()) out.text = out.translations.by_language.begin()->second;
    // A language whose text is the default's word for word says nothing of
    // its own: the default shows there anyway. The export writes the default
    // into a language that has no text, so this keeps a round trip unchanged.
    for (auto it = out.translations.by_language.begin(); it != out.translations.by_language.end();) {
      it = it->second == out.text ? out.translations.by_language.erase(it) : std::next(it);
    }
    return out;
  }

  // ---- choices and settings ----

  // The settings' allow_choice_duplicates: a list may then hold one name
  // twice (told apart by a choice_filter).
  static bool allows_choice_duplicates(const Sheet* settings) {
    if (!settings || settings->rows.size() < 2) return false;
    Header h(settings);
    const std::string v = lower(cell_text(*settings, 1, h.find("allow_choice_duplicates")));
    return v == "yes" || v == "true" || v == "true()" || v == "1";
  }

  void read_choices(const Sheet* sheet, bool duplicates_allowed) {
    if (!sheet || sheet->rows.empty()) return;
    Header h(sheet);
    // The choices' other columns, which a choice_filter may read.
    std::vector<std::pair<std::string, size_t>> data_columns;
    for (const auto& [name, column] : h.all()) {
      if (!is_choice_media_or_text(name)) data_columns.emplace_back(h.written(name), column);
    }
    auto list_col = h.find("list_name");
    auto name_col = h.find("name");
    if (!list_col) list_col = h.find("list name");
    if (!list_col || !name_col) {
      error("choices", 1, "", std::string("the sheet needs the columns list_name and name (missing: ") +
                                  (!list_col ? "list_name" : "name") + ")");
      return;
    }
    if (sheet->rows.size() - 1 > kMaxXlsformChoiceRows) {
      error("choices", 0, "", "the sheet has more than " + std::to_string(kMaxXlsformChoiceRows) + " rows");
      return;
    }
    std::map<std::string, std::set<std::string>> seen;
    for (size_t r = 1; r < sheet->rows.size(); ++r) {
      if (row_blank(*sheet, r)) continue;
      std::string list = cell_text(*sheet, r, list_col);
      std::string name = cell_text(*sheet, r, name_col);
      Localized label = read_text(*sheet, h, r, "label");
      if (list.empty()) {
        error("choices", r + 1, h.written("list_name"), "the list name is missing");
        continue;
      }
      if (name.empty()) {
        error("choices", r + 1, h.written("name"), "the choice has no name (the code stored in the data)");
        continue;
      }
      ChoiceColumns columns;
      for (const auto& [column_name, column] : data_columns) {
        std::string value = cell_text(*sheet, r, column);
        if (!value.empty()) columns[column_name] = std::move(value);
      }
      if (!seen[list].insert(name).second) {
        if (!duplicates_allowed) {
          error("choices", r + 1, h.written("name"),
                "the list '" + list + "' has the choice '" + name +
                    "' twice (if that is meant, say allow_choice_duplicates yes on the settings sheet)");
          continue;
        }
        // The same code again: one option, offered when any of its rows passes the filter.
        for (ChoiceRow& existing : lists_[list]) {
          if (existing.option.code == name) existing.option.columns.push_back(std::move(columns));
        }
        continue;
      }
      if (label.text.empty()) label.text = name;
      Option option{name, std::move(label.text), std::move(label.translations)};
      option.columns.push_back(std::move(columns));
      lists_[list].push_back({std::move(option), r + 1});
    }
  }

  void read_settings(const Sheet* sheet) {
    Localized title, description;
    std::string id;
    if (sheet && sheet->rows.size() >= 2) {
      Header h(sheet);
      title = read_text(*sheet, h, 1, "form_title");
      id = cell_text(*sheet, 1, h.find("form_id"));
      description = read_text(*sheet, h, 1, "description");
    }
    // As ODK does: the title defaults to the form id, which defaults to the file's name.
    std::string stem = file_.substr(file_.find_last_of('/') + 1);
    stem = stem.substr(0, stem.rfind('.'));
    questionnaire_.id = id.empty() ? stem : id;
    questionnaire_.title = title.text.empty() ? questionnaire_.id : title.text;
    questionnaire_.title_translations = std::move(title.translations);
    questionnaire_.description = std::move(description.text);
    questionnaire_.description_translations = std::move(description.translations);
  }

  // ---- the survey sheet ----

  std::vector<SurveyRow> read_survey(const Sheet& sheet) {
    std::vector<SurveyRow> out;
    survey_header_ = Header(&sheet);
    const Header& h = survey_header_;
    auto type_col = h.find("type");
    auto name_col = h.find("name");
    if (!type_col || !name_col) {
      error("survey", 1, "", std::string("the sheet needs the columns type and name (missing: ") +
                                 (!type_col ? "type" : "name") + ")");
      return out;
    }
    if (sheet.rows.size() - 1 > kMaxXlsformSurveyRows) {
      error("survey", 0, "", "the sheet has more than " + std::to_string(kMaxXlsformSurveyRows) + " rows");
      return out;
    }
    auto col = [&h](const char* n) { return h.find(n); };
    for (const char* ignored : kIgnoredSurveyColumns) {
      auto c = h.find(ignored);
      if (!c) continue;
      for (size_t r = 1; r < sheet.rows.size(); ++r) {
        if (!cell_text(sheet, r, c).empty()) {
          warn("survey", r + 1, h.written(ignored), "Coproduce does not use this column, so it is left out");
          break;
        }
      }
    }
    for (size_t r = 1; r < sheet.rows.size(); ++r) {
      if (row_blank(sheet, r)) continue;
      SurveyRow row;
      row.row = r + 1;
      std::vector<std::string> type_words = words(cell_text(sheet, r, type_col));
      // "select one", "begin group", "end repeat" and the like are also
      // written with a space.
      if (type_words.size() >= 2) {
        const std::string first = lower(type_words[0]), second = lower(type_words[1]);
        if ((first == "select" && (second == "one" || second == "multiple")) ||
            ((first == "begin" || first == "end") && (second == "group" || second == "repeat"))) {
          type_words[0] = first + "_" + second;
          type_words.erase(type_words.begin() + 1);
        }
      }
      if (type_words.size() >= 4 && lower(type_words[0]) == "select" && lower(type_words[1]) == "all" &&
          lower(type_words[2]) == "that" && lower(type_words[3]) == "apply") {
        type_words.erase(type_words.begin() + 1, type_words.begin() + 4);
        type_words[0] = "select_multiple";
      }
      if (!type_words.empty()) row.type = canonical_type(lower(type_words[0]));
      if (type_words.size() > 1) row.list = type_words[1];
      for (size_t i = 2; i < type_words.size(); ++i) row.extra += (row.extra.empty() ? "" : " ") + type_words[i];
      row.name = cell_text(sheet, r, name_col);
      row.label = read_text(sheet, h, r, "label");
      row.hint = read_text(sheet, h, r, "hint");
      row.guidance = read_text(sheet, h, r, "guidance_hint");
      row.required_message = read_text(sheet, h, r, "required_message");
      row.constraint_message = read_text(sheet, h, r, "constraint_message");
      row.default_answer = cell_text(sheet, r, col("default"));
      row.required = cell_text(sheet, r, col("required"));
      row.read_only = cell_text(sheet, r, col("read_only"));
      row.trigger = cell_text(sheet, r, col("trigger"));
      row.relevant = cell_text(sheet, r, col("relevant"));
      row.constraint = cell_text(sheet, r, col("constraint"));
      row.appearance = cell_text(sheet, r, col("appearance"));
      row.parameters = cell_text(sheet, r, col("parameters"));
      row.calculation = cell_text(sheet, r, col("calculation"));
      row.choice_filter = cell_text(sheet, r, col("choice_filter"));
      for (const char* count : {"repeat_count", "jr:count"}) {
        std::string value = cell_text(sheet, r, col(count));
        if (value.empty()) continue;
        row.repeat_count = std::move(value);
        row.count_column = h.written(count);
        break;
      }
      row.most = cell_text(sheet, r, col(kMaxColumn));
      if (row.type.empty()) {
        error("survey", row.row, h.written("type"), "the type is missing (for example text, integer or select_one LIST)");
        continue;
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  struct Group {
    const SurveyRow* row;
    std::string relevant;  // XLSForm; empty when none or when it failed to translate
    bool repeat = false;   // a begin_repeat row
  };

  // Walks the rows: groups become pages (or Likert grids), repeats pages of
  // their own, rows questions.
  void walk(const std::vector<SurveyRow>& rows) {
    std::vector<Group> stack;
    bool new_page = true;
    // The open repeat: its place in `stack` and its index in the
    // questionnaire's repeats, or -1 outside one.
    long repeat_at = -1;
    int repeat = -1;
    size_t questions_before = 0, errors_before = 0;  // when the open repeat began
    auto take_page = [&] {
      if (repeat >= 0) return questionnaire_.repeats[static_cast<size_t>(repeat)].page;
      if (stack.empty()) {
        ++page_;
        new_page = true;
      } else if (new_page) {
        ++page_;
        new_page = false;
      }
      return page_;
    };
    // The conditions of the groups a question is in. Inside a repeat, only
    // those of groups within it: the ones around it are the repeat's.
    auto group_relevants = [&stack, &repeat_at] {
      std::vector<std::string> out;
      for (size_t j = repeat_at < 0 ? 0 : static_cast<size_t>(repeat_at) + 1; j < stack.size(); ++j) {
        out.push_back(stack[j].relevant);
      }
      return out;
    };
    const std::string type_column = survey_header_.written("type");
    for (size_t i = 0; i < rows.size(); ++i) {
      const SurveyRow& r = rows[i];
      if (r.type != "begin_repeat") {
        if (!r.repeat_count.empty()) {
          warn("survey", r.row, r.count_column, "only a begin_repeat row has a count, so this one is left out");
        }
        if (!r.most.empty()) {
          warn("survey", r.row, survey_header_.written(kMaxColumn),
               "only a begin_repeat row has a most, so this one is left out");
        }
      }
      if (r.type == "begin_group") {
        Group g{&r, ""};
        if (!r.relevant.empty()) {
          auto t = relevant_to_show_if(r.relevant);
          if (t.ok()) g.relevant = r.relevant;
          else expression_error(r, "relevant", t.status());
        }
        if (contains_word(r.appearance, "table-list")) {
          size_t end = matching_end(rows, i);
          if (end == rows.size()) {
            error("survey", r.row, type_column, "this group is never closed with end_group");
            return;
          }
          Question grid;
          const Grid kind = likert_grid(rows, i, end, grid);
          if (kind == Grid::kBroken) {
            i = end;
            continue;
          }
          if (kind == Grid::kGrid) {
            std::vector<std::string> conditions = group_relevants();
            conditions.push_back(g.relevant);
            grid.show_if = translate_joined(conditions, r);
            grid.page = take_page();
            grid.repeat = repeat;
            questionnaire_.questions.push_back(std::move(grid));
            i = end;
            continue;
          }
        }
        if (stack.empty()) new_page = true;
        stack.push_back(g);
        continue;
      }
      if (r.type == "end_group") {
        if (stack.empty()) {
          error("survey", r.row, type_column, "end_group without a begin_group before it");
          continue;
        }
        if (stack.back().repeat) {
          // Most likely the repeat's own end, misspelt: closing it here
          // keeps the rows after it from being misread.
          if (static_cast<long>(stack.size()) - 1 != repeat_at) {
            stack.pop_back();  // a refused repeat inside the open one
            continue;
          }
          error("survey", r.row, type_column,
                "the repeat '" + stack.back().row->name + "' begun on row " + std::to_string(stack.back().row->row) +
                    " is closed with end_repeat, not end_group");
          close_repeat(stack, repeat_at, repeat, questions_before, errors_before);
          new_page = true;
          continue;
        }
        stack.pop_back();
        if (stack.empty()) new_page = true;
        continue;
      }
      if (r.type == "begin_repeat") {
        if (repeat_at >= 0) {
          const SurveyRow& outer = *stack[static_cast<size_t>(repeat_at)].row;
          error("survey", r.row, type_column,
                "a repeat inside a repeat has no equivalent in Coproduce ('" + r.name + "' is inside '" + outer.name +
                    "', begun on row " + std::to_string(outer.row) + "): end '" + outer.name + "' before beginning '" +
                    r.name + "'");
          // Kept on the stack so its end_repeat closes it, not the outer one.
          stack.push_back({&r, "", true});
          continue;
        }
        std::vector<std::string> conditions;
        for (const Group& g : stack) conditions.push_back(g.relevant);
        conditions.push_back(r.relevant);
        Repeat rep = begin_repeat(r, translate_joined(conditions, r));
        rep.page = ++page_;
        questionnaire_.repeats.push_back(std::move(rep));
        repeat = static_cast<int>(questionnaire_.repeats.size() - 1);
        stack.push_back({&r, "", true});
        repeat_at = static_cast<long>(stack.size() - 1);
        questions_before = questionnaire_.questions.size();
        errors_before = errors_.size() + (more_errors_ ? 1 : 0);
        continue;
      }
      if (r.type == "end_repeat") {
        if (repeat_at < 0) {
          error("survey", r.row, type_column, "end_repeat without a begin_repeat before it");
          continue;
        }
        if (!stack.back().repeat) {
          error("survey", r.row, type_column,
                "the group '" + stack.back().row->name + "' begun on row " + std::to_string(stack.back().row->row) +
                    " is closed with end_group, not end_repeat");
          stack.pop_back();
          continue;
        }
        if (static_cast<size_t>(repeat_at) + 1 < stack.size()) {
          stack.pop_back();  // a refused repeat inside the open one
          continue;
        }
        close_repeat(stack, repeat_at, repeat, questions_before, errors_before);
        // What follows, even in the same group, goes on a page after the repeat's.
        new_page = true;
        continue;
      }
      // Survey123 and some other XLSForm tools ask for an email address with
      // an email row that has a label; ODK records the device's email in one
      // without. The first is a question, the second metadata.
      const bool asks_email = r.type == "email" && !r.label.text.empty();
      if (is_metadata(r.type) && !asks_email) {
        warn("survey", r.row, type_column,
             "'" + r.type + "' is recorded by ODK itself; Coproduce records when each response started and was sent, "
             "so this row is left out");
        continue;
      }
      std::optional<Question> q = question(r);
      if (!q) continue;
      // 'Other, please specify': a text row straight after, shown when other is chosen.
      if ((q->type == QuestionType::kMultiple || q->type == QuestionType::kSingle) && q->option_index("other") >= 0 &&
          i + 1 < rows.size() && rows[i + 1].type == "text") {
        auto cond = relevant_to_show_if(rows[i + 1].relevant);
        if (cond.ok() && (*cond == "selected(" + q->code + ", 'other')" || *cond == q->code + " = 'other'")) {
          q->other_specify = true;
          ++i;
        }
      }
      std::vector<std::string> conditions = group_relevants();
      conditions.push_back(r.relevant);
      q->show_if = translate_joined(conditions, r);
      q->page = take_page();
      q->repeat = repeat;
      questionnaire_.questions.push_back(std::move(*q));
    }
    for (auto g = stack.rbegin(); g != stack.rend(); ++g) {
      error("survey", g->row->row, type_column,
            g->repeat ? "this repeat is never closed with end_repeat" : "this group is never closed with end_group");
    }
  }

  // A begin_repeat row as a Repeat (without its page), its mistakes
  // reported; `show_if` is its condition with those of the groups around it.
  Repeat begin_repeat(const SurveyRow& r, std::string show_if) {
    Repeat rep;
    rep.code = r.name;
    rep.label = r.label.text;
    rep.label_translations = r.label.translations;
    rep.hint = r.hint.text;
    rep.hint_translations = r.hint.translations;
    rep.show_if = std::move(show_if);
    RepeatOrigin origin{r.row, r.count_column.empty() ? survey_header_.written("repeat_count") : r.count_column};
    if (r.name.empty()) {
      error("survey", r.row, survey_header_.written("name"), "the repeat's name is missing (its code in the data)");
    }
    if (rep.label.empty() && !r.name.empty()) {
      rep.label = r.name;
      warn("survey", r.row, survey_header_.written("label"),
           "the repeat has no label, so people will read its name, '" + r.name +
               "': write what one of them is, like 'A service you use'");
    }
    if (!r.most.empty()) {
      long most = 0;
      if (!is_whole_number(r.most, most) || most < 1 || most > 100) {
        error("survey", r.row, survey_header_.written(kMaxColumn),
              "'" + r.most + "' is not a whole number from 1 to 100 (the most times the repeat may be filled in)");
      } else {
        rep.max = static_cast<int>(most);
      }
    }
    const std::string count = r.repeat_count;
    long fixed = 0;
    if (count.empty()) {
      // The person adds as many as they need, up to the most.
    } else if (is_whole_number(count, fixed)) {
      rep.count = std::to_string(fixed);
      // A fixed number above the default most raises it, unless a most is written.
      if (r.most.empty() && fixed > rep.max && fixed <= 100) rep.max = static_cast<int>(fixed);
    } else if (std::string name = referenced_name(count); !name.empty()) {
      rep.count = name;
    } else {
      error("survey", r.row, origin.count_column,
            "'" + count +
                "' cannot be worked out by Coproduce: a repeat's count is a whole number, like 3, or the "
                "answer to an earlier number question, like ${how_many}");
    }
    repeat_origins_.push_back(std::move(origin));
    return rep;
  }

  // Closes the open repeat (the top of `stack`), refusing it when it holds
  // no questions and nothing else went wrong inside it.
  void close_repeat(std::vector<Group>& stack, long& repeat_at, int& repeat, size_t questions_before,
                    size_t errors_before) {
    const SurveyRow& begin = *stack.back().row;
    if (questionnaire_.questions.size() == questions_before &&
        errors_.size() + (more_errors_ ? 1 : 0) == errors_before) {
      error("survey", begin.row, survey_header_.written("type"),
            "the repeat '" + begin.name +
                "' has no questions: put the questions asked for each one between begin_repeat and end_repeat");
    }
    stack.pop_back();
    repeat_at = -1;
    repeat = -1;
  }

  // `name` from "${name}" (spaces allowed inside the braces), or "".
  static std::string referenced_name(const std::string& text) {
    if (text.size() < 4 || text.rfind("${", 0) != 0 || text.back() != '}') return "";
    std::string name = trim(std::string_view(text).substr(2, text.size() - 3));
    const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    return plain ? name : "";
  }

  static size_t matching_end(const std::vector<SurveyRow>& rows, size_t begin) {
    int depth = 0;
    for (size_t j = begin; j < rows.size(); ++j) {
      if (rows[j].type == "begin_group" || rows[j].type == "begin_repeat") ++depth;
      if (rows[j].type == "end_group" || rows[j].type == "end_repeat") {
        if (--depth == 0) return j;
      }
    }
    return rows.size();
  }

  // The question's own relevant is checked on its own first, so an error
  // points at a character of what the author wrote.
  std::string translate_joined(const std::vector<std::string>& conditions, const SurveyRow& r) {
    if (!r.relevant.empty() && r.type != "begin_group") {
      auto own = relevant_to_show_if(r.relevant);
      if (!own.ok()) {
        expression_error(r, "relevant", own.status());
        return "";
      }
    }
    auto joined = relevant_to_show_if(join_relevants(conditions));
    return joined.ok() ? *joined : "";
  }

  // yes, true, true() or 1; no, false, false(), 0 or empty; else nullopt.
  static std::optional<bool> yes_or_no(const std::string& cell) {
    const std::string v = lower(cell);
    if (v.empty() || v == "no" || v == "false" || v == "false()" || v == "0") return false;
    if (v == "yes" || v == "true" || v == "true()" || v == "1") return true;
    return std::nullopt;
  }

  std::optional<bool> parse_required(const SurveyRow& r) {
    if (std::optional<bool> v = yes_or_no(r.required)) return v;
    error("survey", r.row, survey_header_.written("required"),
          "'" + r.required + "' is not yes or no (Coproduce cannot make a question required only sometimes)");
    return std::nullopt;
  }

  // read_only: yes or no. A note is read-only anyway and a calculate row
  // is never shown, so there it changes nothing.
  bool parse_read_only(const SurveyRow& r) {
    const std::optional<bool> v = yes_or_no(r.read_only);
    if (v == false) return false;
    const std::string column = survey_header_.written("read_only");
    if (!v) {
      warn("survey", r.row, column,
           "'" + r.read_only + "' is not yes or no (Coproduce cannot make a question read-only only sometimes), "
           "so read_only is left out");
      return false;
    }
    if (r.type == "note" || r.type == "calculate") {
      warn("survey", r.row, column,
           std::string(r.type == "note" ? "a note is only read" : "a calculate row is never shown") +
               ", so read_only changes nothing and is left out");
      return false;
    }
    return true;
  }

  const std::vector<ChoiceRow>* list_of(const SurveyRow& r) {
    if (r.list.empty()) {
      error("survey", r.row, survey_header_.written("type"), r.type + " needs a list of choices: " + r.type + " LIST");
      return nullptr;
    }
    auto it = lists_.find(r.list);
    if (it == lists_.end()) {
      error("survey", r.row, survey_header_.written("type"), "there is no list '" + r.list + "' on the choices sheet");
      return nullptr;
    }
    return &it->second;
  }

  // The wording of a row, in every language.
  static void set_texts(const SurveyRow& r, Question& q) {
    q.text = r.label.text;
    q.text_translations = r.label.translations;
    q.hint = r.hint.text;
    q.hint_translations = r.hint.translations;
    q.guidance = r.guidance.text;
    q.guidance_translations = r.guidance.translations;
    q.validation.required_message = r.required_message.text;
    q.validation.required_message_translations = r.required_message.translations;
    q.validation.constraint_message = r.constraint_message.text;
    q.validation.constraint_message_translations = r.constraint_message.translations;
  }

  std::optional<Question> question(const SurveyRow& r) {
    Question q;
    q.code = r.name;
    set_texts(r, q);
    q.default_answer = r.default_answer;
    q.read_only = parse_read_only(r);
    Origin origin;
    origin.row = r.row;
    const std::string type_col = survey_header_.written("type");
    if (r.type == "select_one_from_file" || r.type == "select_multiple_from_file") {
      const std::string plain = r.type.substr(0, r.type.size() - std::string_view("_from_file").size());
      error("survey", r.row, type_col,
            "Coproduce cannot read choices from a separate file ('" + r.list + "'): put the choices on the choices "
            "sheet as a list, and write " + plain + " LIST");
      return std::nullopt;
    }
    const bool select = r.type == "select_one" || r.type == "select_multiple";
    if (select) {
      const std::vector<ChoiceRow>* list = list_of(r);
      if (!list) return std::nullopt;
      for (const ChoiceRow& c : *list) {
        q.options.push_back(c.option);
        origin.option_rows.push_back(c.row);
      }
      // Only a filtered question keeps its choices' other columns.
      const bool any_columns = std::any_of(q.options.begin(), q.options.end(), [](const Option& o) {
        return std::any_of(o.columns.begin(), o.columns.end(), [](const ChoiceColumns& c) { return !c.empty(); });
      });
      q.choice_filter = r.choice_filter;
      for (Option& o : q.options) {
        if (r.choice_filter.empty() || (!any_columns && o.columns.size() == 1)) o.columns.clear();
      }
      if (!r.extra.empty() && lower(r.extra) != "or_other") {
        error("survey", r.row, type_col, "'" + r.extra + "' after the list name is not understood (only or_other is)");
        return std::nullopt;
      }
      if (!r.extra.empty()) {
        q.other_specify = true;
        if (q.option_index("other") < 0) {
          q.options.push_back({"other", "Other"});
          origin.option_rows.push_back(0);
        }
      }
      if (r.type == "select_multiple") {
        q.type = QuestionType::kMultiple;
      } else if (q.options.size() == 2 && q.options[0].code == "yes" && q.options[0].label == "Yes" &&
                 q.options[1].code == "no" && q.options[1].label == "No") {
        q.type = QuestionType::kYesNo;
      } else if (contains_word(r.appearance, "likert")) {
        q.type = numbered_scale(q.options) ? QuestionType::kRating : QuestionType::kSingle;
        q.ordered = true;
      } else {
        q.type = QuestionType::kSingle;
      }
    } else if (r.type == "integer" || r.type == "decimal") {
      q.type = QuestionType::kNumber;
    } else if (r.type == "date") {
      q.type = QuestionType::kDate;
    } else if (r.type == "text") {
      q.type = contains_word(r.appearance, "multiline") ? QuestionType::kLongText : QuestionType::kShortText;
    } else if (r.type == "email") {
      // An email address: short text that must look like one.
      q.type = QuestionType::kShortText;
      q.validation.pattern = kEmailPattern;
      if (q.hint.empty()) q.hint = "For example, name@example.com";
    } else if (r.type == "note") {
      q.type = QuestionType::kDisplay;
    } else if (r.type == "time") {
      // A time of day, typed as hours and minutes on the 24-hour clock: short
      // text that must look like one, with a hint saying how when the form
      // gives none.
      q.type = QuestionType::kShortText;
      q.validation.pattern = kTimePattern;
      if (q.hint.empty()) q.hint = "Use the 24-hour clock, like 09:30 or 14:00";
    } else if (r.type == "range") {
      // A slider from start to end. Whole steps of 1 over at most 11 points
      // are a rating scale (as a web page shows a slider: one button a
      // point); anything else is a number between start and end.
      auto range = parse_range(r);
      if (!range) return std::nullopt;
      const auto [start, end, step] = *range;
      const bool whole = start == std::floor(start) && end == std::floor(end) && step == 1.0;
      if (whole && end - start <= 10) {
        q.type = QuestionType::kRating;
        q.ordered = true;
        for (long v = static_cast<long>(start); v <= static_cast<long>(end); ++v) {
          q.options.push_back({std::to_string(v), std::to_string(v)});
          origin.option_rows.push_back(0);
        }
      } else {
        q.type = QuestionType::kNumber;
        q.validation.min = start;
        q.validation.max = end;
        if (step != 1.0 && step != 0.0) {
          warn("survey", r.row, survey_header_.written("parameters"),
               "the answer is checked to be between start and end, not that it falls on a step");
        }
      }
    } else if (r.type == "rank") {
      // Things put in order: a grid giving each a place, 1 to the number of
      // things (questionnaire.h).
      const std::vector<ChoiceRow>* list = list_of(r);
      if (!list) return std::nullopt;
      q.type = QuestionType::kLikert;
      q.rank = true;
      for (const ChoiceRow& c : *list) {
        q.items.push_back({c.option.code, c.option.label, c.option.label_translations});
        origin.item_rows.push_back(c.row);
      }
      origin.items_are_choices = true;
      if (q.hint.empty()) q.hint = "Give each one a number: 1 for the one that matters most";
    } else if (r.type == "datetime") {
      // A date and a time of day, typed: short text that must look like one.
      q.type = QuestionType::kShortText;
      q.validation.pattern = kDateTimePattern;
      if (q.hint.empty()) q.hint = "Write the date, then the time on the 24-hour clock, like 2026-03-14 09:30";
    } else if (r.type == "calculate") {
      // Worked out from earlier answers, never asked: a number, one of a few
      // texts, or text (calculation.h).
      if (r.calculation.empty()) {
        error("survey", r.row, survey_header_.written("calculation"),
              "a calculate row needs its calculation, like ${hours} * ${rate}");
        return std::nullopt;
      }
      auto c = Calculation::parse(r.calculation);
      if (!c.ok()) {
        expression_error(r, "calculation", c.status());
        return std::nullopt;
      }
      q.calculation = r.calculation;
      if (q.text.empty()) q.text = r.name;
      switch (c->result()) {
        case CalculationResult::kNumber: q.type = QuestionType::kNumber; break;
        case CalculationResult::kText: q.type = QuestionType::kShortText; break;
        case CalculationResult::kChoice: {
          q.type = QuestionType::kSingle;
          for (const std::string& text : c->possible_texts()) {
            q.options.push_back({text, text});
            origin.option_rows.push_back(0);
          }
          break;
        }
      }
    } else if (r.type == "acknowledge") {
      // A single box to tick, stored as OK as ODK does.
      q.type = QuestionType::kMultiple;
      q.options.push_back({"OK", "OK"});
      origin.option_rows.push_back(0);
    } else {
      error("survey", r.row, type_col,
            "the type '" + r.type +
                "' has no equivalent in Coproduce, which has select_one, select_multiple, rank, integer, decimal, range, "
                "date, time, datetime, text, note, acknowledge, calculate and groups");
      return std::nullopt;
    }
    if (r.name.empty()) {
      error("survey", r.row, survey_header_.written("name"), "the name is missing (the question's code in the data)");
      return std::nullopt;
    }
    if (!r.choice_filter.empty() && !select) {
      warn("survey", r.row, survey_header_.written("choice_filter"), "only a select question's choices can be filtered");
    }
    if (!r.trigger.empty()) {
      // trigger: ${question}, one of them.
      static const std::regex kOne(R"(\s*\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}\s*)");
      std::smatch m;
      if (r.type == "calculate" || r.type == "note") {
        warn("survey", r.row, survey_header_.written("trigger"),
             std::string("a ") + r.type + " row is not answered, so a trigger changes nothing and is left out");
      } else if (std::regex_match(r.trigger, m, kOne)) {
        q.trigger = m[1];
        if (!r.calculation.empty()) q.calculation = r.calculation;
      } else {
        warn("survey", r.row, survey_header_.written("trigger"),
             "'" + r.trigger + "' is not one question like ${name} (Coproduce fills in an answer when one other "
             "answer changes), so the trigger is left out");
      }
    }
    if (!r.calculation.empty() && r.type != "calculate" && q.trigger.empty()) {
      warn("survey", r.row, survey_header_.written("calculation"),
           "Coproduce works out answers in calculate rows, or when a trigger's answer changes, so this calculation "
           "is left out");
    }
    if (q.type != QuestionType::kDisplay && !q.calculated() && r.label.text.empty()) {
      error("survey", r.row, survey_header_.written("label"), "the label is empty: write the question as people will read it");
      return std::nullopt;
    }
    std::optional<bool> required = parse_required(r);
    if (!required) return std::nullopt;
    q.validation.required = *required;
    if (Status s = constraint_to_validation(r.constraint, q.type, q.validation); !s.ok()) {
      expression_error(r, "constraint", s);
      return std::nullopt;
    }
    if (r.type != "range" && !r.parameters.empty()) {
      warn("survey", r.row, survey_header_.written("parameters"), "Coproduce does not use this column, so it is left out");
    }
    origins_.push_back(std::move(origin));
    return q;
  }

  // A range row's start, end and step (XLSForm's defaults: 1, 10 and 1),
  // from parameters such as "start=0 end=10 step=1"; nullopt, with an
  // error at the parameters cell, when they are not numbers going up.
  std::optional<std::array<double, 3>> parse_range(const SurveyRow& r) {
    std::array<double, 3> v = {1, 10, 1};
    const std::string column = survey_header_.written("parameters");
    std::string text = r.parameters;
    std::replace(text.begin(), text.end(), ';', ' ');
    std::replace(text.begin(), text.end(), ',', ' ');
    for (const std::string& part : words(text)) {
      size_t eq = part.find('=');
      std::string key = lower(part.substr(0, eq));
      std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
      double x = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
      int at = key == "start" ? 0 : key == "end" ? 1 : key == "step" ? 2 : -1;
      if (at < 0) {
        error("survey", r.row, column, "'" + part + "' is not understood: a range takes start=, end= and step=");
        return std::nullopt;
      }
      if (value.empty() || ec != std::errc() || end != value.data() + value.size() || !std::isfinite(x)) {
        error("survey", r.row, column, "'" + part + "': " + key + " must be a number, like " + key + "=1");
        return std::nullopt;
      }
      v[static_cast<size_t>(at)] = x;
    }
    if (v[1] <= v[0] || v[2] <= 0) {
      error("survey", r.row, column, "a range must go up: start below end, and a step above 0");
      return std::nullopt;
    }
    return v;
  }

  // Choices named 0, 1, 2, ... (or any run of whole numbers going up by one).
  static bool numbered_scale(const std::vector<Option>& options) {
    if (options.size() < 2) return false;
    long previous = 0;
    for (size_t i = 0; i < options.size(); ++i) {
      long v = 0;
      if (!is_whole_number(options[i].code, v) || (i > 0 && v != previous + 1)) return false;
      previous = v;
    }
    return true;
  }

  enum class Grid { kNotGrid, kGrid, kBroken };

  // A table-list group of select_one rows on one agreement scale is a Likert
  // grid, written to `q`. kNotGrid (after a warning where it helps) when it
  // is not one, so its rows are read as questions of their own; kBroken
  // when it is one but has mistakes, which are reported.
  Grid likert_grid(const std::vector<SurveyRow>& rows, size_t begin, size_t end, Question& q) {
    const SurveyRow& g = rows[begin];
    std::vector<const SurveyRow*> statements;
    for (size_t j = begin + 1; j < end; ++j) {
      // A header row (appearance label) only shows the scale's labels.
      if (contains_word(rows[j].appearance, "label")) continue;
      statements.push_back(&rows[j]);
    }
    if (statements.empty()) return Grid::kNotGrid;
    const std::string list = statements[0]->list;
    for (const SurveyRow* s : statements) {
      if (s->type != "select_one" || s->list != list || !s->extra.empty()) return Grid::kNotGrid;
    }
    auto it = lists_.find(list);
    if (it == lists_.end()) return Grid::kNotGrid;  // reported when the rows are read as questions
    std::vector<std::string> codes;
    for (const ChoiceRow& c : it->second) codes.push_back(c.option.code);
    const bool dont_know = !codes.empty() && codes.back() == "dont_know";
    if (dont_know) codes.pop_back();
    int points = 0;
    for (int p : {5, 7}) {
      std::vector<std::string> standard;
      for (const Option& o : likert_scale(p)) standard.push_back(o.code);
      if (codes == standard) points = p;
    }
    if (points == 0) {
      warn("survey", g.row, survey_header_.written("appearance"),
           "the rows of this table-list group do not use the 5- or 7-point agreement scale (strongly_disagree to "
           "strongly_agree), so each is read as a question of its own");
      return Grid::kNotGrid;
    }
    q = Question{};
    q.type = QuestionType::kLikert;
    q.code = g.name;
    set_texts(g, q);
    q.dont_know = dont_know;
    q.options = likert_scale(points);
    if (!questionnaire_.languages.empty()) {
      // A form in named languages keeps its own wording of the scale in each.
      q.options.clear();
      for (const ChoiceRow& c : it->second) q.options.push_back(c.option);
    }
    Origin origin;
    origin.row = g.row;
    bool ok = true;
    if (g.name.empty()) {
      error("survey", g.row, survey_header_.written("name"), "the grid's name is missing (its code in the data)");
      ok = false;
    }
    if (g.label.text.empty()) {
      error("survey", g.row, survey_header_.written("label"), "the grid needs a label: the question its statements answer");
      ok = false;
    }
    size_t required = 0;
    for (const SurveyRow* s : statements) {
      if (!s->relevant.empty() || !s->constraint.empty()) {
        error("survey", s->row, survey_header_.written(!s->relevant.empty() ? "relevant" : "constraint"),
              "a statement in a grid cannot have a condition or check of its own; put a condition on the "
              "begin_group row");
        ok = false;
        continue;
      }
      std::optional<bool> req = parse_required(*s);
      if (!req) {
        ok = false;
        continue;
      }
      required += *req ? 1 : 0;
      std::string code = s->name;
      const std::string prefix = g.name + "_";
      if (code.size() > prefix.size() && code.rfind(prefix, 0) == 0) code = code.substr(prefix.size());
      if (s->label.text.empty()) {
        error("survey", s->row, survey_header_.written("label"), "the statement is empty: write it in the label");
        ok = false;
        continue;
      }
      q.items.push_back({code, s->label.text, s->label.translations});
      origin.item_rows.push_back(s->row);
    }
    if (required != 0 && required != statements.size()) {
      warn("survey", g.row, survey_header_.written("required"),
           "some statements of this grid are required and some not; Coproduce asks for all or none, so none are");
    }
    q.validation.required = required == statements.size();
    if (!ok) return Grid::kBroken;
    origins_.push_back(std::move(origin));
    return Grid::kGrid;
  }

  // Questionnaire::finish() names a JSON path such as
  // /questions/3/options/1/code; this turns it back into a sheet and row.
  void report_finish_error(const Status& s) {
    const std::string& path = s.where().field;
    std::vector<std::string> parts;
    std::istringstream in(path);
    std::string part;
    while (std::getline(in, part, '/')) {
      if (!part.empty()) parts.push_back(part);
    }
    long index = -1;
    if (parts.size() >= 2 && parts[0] == "repeats" && is_whole_number(parts[1], index) && index >= 0 &&
        static_cast<size_t>(index) < repeat_origins_.size()) {
      const RepeatOrigin& o = repeat_origins_[static_cast<size_t>(index)];
      const std::string field = parts.size() > 2 ? parts[2] : "";
      const std::string column = field == "code"      ? survey_header_.written("name")
                                 : field == "count"   ? o.count_column
                                 : field == "show_if" ? survey_header_.written("relevant")
                                 : field == "max"     ? survey_header_.written(kMaxColumn)
                                 : field == "label"   ? survey_header_.written("label")
                                                      : survey_header_.written("type");
      error("survey", o.row, column, s.message());
      return;
    }
    if (parts.size() < 2 || parts[0] != "questions" || !is_whole_number(parts[1], index) || index < 0 ||
        static_cast<size_t>(index) >= origins_.size()) {
      error("survey", 0, "", s.message());
      return;
    }
    const Origin& o = origins_[static_cast<size_t>(index)];
    const std::string field = parts.size() > 2 ? parts[2] : "";
    long sub = -1;
    if (field == "options" && parts.size() > 3 && is_whole_number(parts[3], sub) && sub >= 0 &&
        static_cast<size_t>(sub) < o.option_rows.size() && o.option_rows[static_cast<size_t>(sub)] > 0) {
      error("choices", o.option_rows[static_cast<size_t>(sub)], "name", s.message());
    } else if (field == "items" && parts.size() > 3 && is_whole_number(parts[3], sub) && sub >= 0 &&
               static_cast<size_t>(sub) < o.item_rows.size()) {
      error(o.items_are_choices ? "choices" : "survey", o.item_rows[static_cast<size_t>(sub)],
            o.items_are_choices ? "name" : survey_header_.written("name"), s.message());
    } else {
      static const std::map<std::string, std::string> kColumn = {
          {"code", "name"},         {"show_if", "relevant"},  {"validation", "constraint"}, {"page", "type"},
          {"other_specify", "type"}, {"options", "type"},     {"points", "type"},           {"items", "type"},
          {"default", "default"},   {"calculation", "calculation"}, {"choice_filter", "choice_filter"},
          {"repeat", "type"},       {"read_only", "read_only"}, {"trigger", "trigger"}};
      auto it = kColumn.find(field);
      error("survey", o.row, it == kColumn.end() ? "" : survey_header_.written(it->second), s.message());
    }
  }

  std::string file_;
  Questionnaire questionnaire_;
  std::vector<Origin> origins_;               // one per question, in order
  std::vector<RepeatOrigin> repeat_origins_;  // one per repeat, in order
  std::map<std::string, std::vector<ChoiceRow>> lists_;
  Header survey_header_{nullptr};
  std::map<std::string, std::string> language_codes_;  // language as written in a column name -> its code
  int page_ = 0;
  std::vector<Status> errors_;
  bool more_errors_ = false;
  std::vector<Status> warnings_;
};

// ---- export ----

Cell text(const std::string& s) { return s.empty() ? Cell::empty() : Cell::of(s); }

// A row being written: cells by column name, laid out once every row is
// known, so a column nobody uses is not written.
using Row = std::map<std::string, std::string>;

class Exporter {
 public:
  explicit Exporter(const Questionnaire& q) : q_(q) {
    for (const Question& question : q.questions) used_.insert(question.code);
    for (const Repeat& r : q.repeats) used_.insert(r.code);
  }

  StatusOr<std::vector<Sheet>> run() {
    std::vector<Row> survey, choices;
    for (int page = 1; page <= q_.pages; ++page) {
      // A page number nobody is on would be an empty group: leave it out.
      const bool used = std::any_of(q_.questions.begin(), q_.questions.end(),
                                    [page](const Question& question) { return question.page == page; });
      if (!used) continue;
      if (const Repeat* r = q_.repeat_on_page(page)) {
        // A repeat's page is the repeat itself: what is asked for each one.
        auto begin = begin_repeat(*r);
        if (!begin.ok()) return begin.status();
        survey.push_back(std::move(*begin));
        for (const Question& question : q_.questions) {
          if (question.page != page) continue;
          if (Status s = add(question, survey, choices); !s.ok()) return s;
        }
        survey.push_back({{"type", "end_repeat"}});
        continue;
      }
      std::string group = "page_" + std::to_string(page);
      while (used_.count(group)) group += "_group";
      used_.insert(group);
      survey.push_back({{"type", "begin_group"}, {"name", group}, {"appearance", "field-list"}});
      for (const Question& question : q_.questions) {
        if (question.page != page) continue;
        if (Status s = add(question, survey, choices); !s.ok()) return s;
      }
      survey.push_back({{"type", "end_group"}});
    }
    Row settings_row = {{"form_id", q_.id.empty() ? "survey" : q_.id}};
    put(settings_row, "form_title", q_.title, q_.title_translations);
    put(settings_row, "description", q_.description, q_.description_translations);
    if (!q_.languages.empty()) settings_row["default_language"] = written_language(q_.languages[0]);
    std::vector<std::string> survey_columns = {"type", "name"};
    for (const char* base : {"label", "hint"}) add_columns(survey_columns, base);
    for (const char* c : {"required", "relevant", "constraint", "appearance"}) survey_columns.push_back(c);
    // Columns Kobo and ODK know, written only when a question uses them.
    for (const char* base : {"guidance_hint", "required_message", "constraint_message"}) {
      std::vector<std::string> columns;
      add_columns(columns, base);
      if (any_used(survey, columns)) survey_columns.insert(survey_columns.end(), columns.begin(), columns.end());
    }
    for (const char* c : {"default", "read_only", "choice_filter", "calculation", "trigger", "repeat_count", kMaxColumn}) {
      if (any_used(survey, {c})) survey_columns.push_back(c);
    }
    std::vector<std::string> choice_columns = {"list_name", "name"};
    add_columns(choice_columns, "label");
    choice_columns.insert(choice_columns.end(), choice_data_columns_.begin(), choice_data_columns_.end());
    if (duplicate_choices_) settings_row["allow_choice_duplicates"] = "yes";
    std::vector<std::string> settings_columns;
    add_columns(settings_columns, "form_title");
    settings_columns.push_back("form_id");
    std::vector<std::string> description_columns;
    add_columns(description_columns, "description");
    if (any_used({settings_row}, description_columns)) {
      settings_columns.insert(settings_columns.end(), description_columns.begin(), description_columns.end());
    }
    if (!q_.languages.empty()) settings_columns.push_back("default_language");
    if (duplicate_choices_) settings_columns.push_back("allow_choice_duplicates");
    return std::vector<Sheet>{lay_out("survey", survey_columns, survey), lay_out("choices", choice_columns, choices),
                              lay_out("settings", settings_columns, {settings_row})};
  }

 private:
  // The column names for a text: `base`, or `base::Cymraeg (cy)` for each
  // language when the questionnaire names its languages.
  void add_columns(std::vector<std::string>& columns, const std::string& base) const {
    if (q_.languages.empty()) {
      columns.push_back(base);
      return;
    }
    for (const Language& l : q_.languages) columns.push_back(base + "::" + written_language(l));
  }

  // Writes a text in every language into `row`.
  void put(Row& row, const std::string& base, const std::string& text, const Translations& translations) const {
    if (q_.languages.empty()) {
      if (!text.empty()) row[base] = text;
      return;
    }
    for (size_t i = 0; i < q_.languages.size(); ++i) {
      const std::string& code = q_.languages[i].code;
      auto it = translations.by_language.find(code);
      const std::string& value = i == 0 ? text : it == translations.by_language.end() ? text : it->second;
      if (!value.empty()) row[base + "::" + written_language(q_.languages[i])] = value;
    }
  }

  static bool any_used(const std::vector<Row>& rows, const std::vector<std::string>& columns) {
    for (const Row& r : rows) {
      for (const std::string& c : columns) {
        if (r.count(c)) return true;
      }
    }
    return false;
  }

  static Sheet lay_out(const std::string& name, const std::vector<std::string>& columns, const std::vector<Row>& rows) {
    Sheet sheet{name, {}};
    std::vector<Cell> header;
    for (const std::string& c : columns) header.push_back(Cell::of(c));
    sheet.rows.push_back(std::move(header));
    for (const Row& r : rows) {
      std::vector<Cell> cells;
      for (const std::string& c : columns) {
        auto it = r.find(c);
        cells.push_back(it == r.end() ? Cell::empty() : text(it->second));
      }
      sheet.rows.push_back(std::move(cells));
    }
    return sheet;
  }

  Status fail(const Question& question, const std::string& message) {
    return InvalidInput("question '" + question.code + "' cannot be written as XLSForm: " + message);
  }

  // The begin_repeat row of `r`: its wording, condition, count and, when
  // it is not the default, its most (in Coproduce's own column).
  StatusOr<Row> begin_repeat(const Repeat& r) const {
    auto relevant = show_if_to_relevant(r.show_if, q_);
    if (!relevant.ok()) {
      return InvalidInput("repeat '" + r.code + "' cannot be written as XLSForm: its condition: " +
                          relevant.status().message());
    }
    Row row = {{"type", "begin_repeat"}, {"name", r.code}};
    put(row, "label", r.label, r.label_translations);
    put(row, "hint", r.hint, r.hint_translations);
    set(row, "relevant", *relevant);
    if (r.fixed_count > 0) {
      row["repeat_count"] = std::to_string(r.fixed_count);
    } else if (r.count_question >= 0) {
      row["repeat_count"] = "${" + q_.questions[static_cast<size_t>(r.count_question)].code + "}";
    }
    if (r.max != kDefaultRepeatMax) row[kMaxColumn] = std::to_string(r.max);
    return row;
  }

  Status claim(const Question& question, const std::string& name) {
    if (!used_.insert(name).second) {
      return fail(question, "it needs the name '" + name + "', which another question already has");
    }
    return Status::Ok();
  }

  // One choices row an option, or one for each of its rows of columns
  // (then the names repeat, which the settings allow).
  void add_list(const Question& question, std::vector<Row>& choices) {
    for (const Option& o : question.options) {
      Row r = {{"list_name", question.code}, {"name", o.code}};
      put(r, "label", o.label, o.label_translations);
      if (o.columns.empty()) {
        choices.push_back(std::move(r));
        continue;
      }
      if (o.columns.size() > 1) duplicate_choices_ = true;
      for (const ChoiceColumns& columns : o.columns) {
        Row row = r;
        for (const auto& [name, value] : columns) {
          row[name] = value;
          if (std::find(choice_data_columns_.begin(), choice_data_columns_.end(), name) == choice_data_columns_.end()) {
            choice_data_columns_.push_back(name);
          }
        }
        choices.push_back(std::move(row));
      }
    }
  }

  // The question's own wording and messages, in every language.
  void put_texts(Row& r, const Question& question) const {
    put(r, "label", question.text, question.text_translations);
    put(r, "hint", question.hint, question.hint_translations);
    put(r, "guidance_hint", question.guidance, question.guidance_translations);
    const Validation& v = question.validation;
    put(r, "required_message", v.required_message, v.required_message_translations);
    put(r, "constraint_message", v.constraint_message, v.constraint_message_translations);
  }

  static void set(Row& r, const std::string& column, const std::string& value) {
    if (!value.empty()) r[column] = value;
  }

  Status add(const Question& question, std::vector<Row>& survey, std::vector<Row>& choices) {
    auto relevant = show_if_to_relevant(question.show_if, q_);
    if (!relevant.ok()) return fail(question, "its condition: " + relevant.status().message());
    auto constraint = validation_to_constraint(question.validation, question.type);
    if (!constraint.ok()) return fail(question, constraint.status().message());
    const std::string required = question.validation.required ? "yes" : "";
    std::string type, appearance;
    if (question.rank) {
      // ODK's rank: the things to put in order are the list's choices.
      Row r = {{"type", "rank " + question.code}, {"name", question.code}};
      put_texts(r, question);
      set(r, "required", required);
      set(r, "relevant", *relevant);
      survey.push_back(std::move(r));
      for (const Option& item : question.items) {
        Row c = {{"list_name", question.code}, {"name", item.code}};
        put(c, "label", item.label, item.label_translations);
        choices.push_back(std::move(c));
      }
      return Status::Ok();
    }
    switch (question.type) {
      case QuestionType::kSingle:
        type = "select_one " + question.code;
        if (question.ordered) appearance = "likert";
        break;
      case QuestionType::kRating:
        type = "select_one " + question.code;
        appearance = "likert";
        break;
      case QuestionType::kYesNo:
        type = "select_one " + question.code;
        break;
      case QuestionType::kMultiple:
        type = "select_multiple " + question.code;
        break;
      case QuestionType::kNumber:
        type = "decimal";
        break;
      case QuestionType::kDate:
        type = "date";
        break;
      case QuestionType::kShortText:
        type = "text";
        break;
      case QuestionType::kLongText:
        type = "text";
        appearance = "multiline";
        break;
      case QuestionType::kDisplay:
        type = "note";
        break;
      case QuestionType::kLikert: {
        Row group = {{"type", "begin_group"}, {"name", question.code}, {"appearance", "table-list"}};
        put_texts(group, question);
        set(group, "relevant", *relevant);
        survey.push_back(std::move(group));
        for (const Option& item : question.items) {
          const std::string name = question.code + "_" + item.code;
          if (Status s = claim(question, name); !s.ok()) return s;
          Row r = {{"type", "select_one " + question.code}, {"name", name}};
          put(r, "label", item.label, item.label_translations);
          set(r, "required", required);
          survey.push_back(std::move(r));
        }
        survey.push_back({{"type", "end_group"}});
        add_list(question, choices);
        return Status::Ok();
      }
    }
    if (question.calculated()) {
      // Worked out, not asked: its type and options follow from the calculation.
      Row c = {{"type", "calculate"}, {"name", question.code}, {"calculation", question.calculation}};
      if (question.text != question.code) put_texts(c, question);
      set(c, "relevant", *relevant);
      survey.push_back(std::move(c));
      return Status::Ok();
    }
    Row r = {{"type", type}, {"name", question.code}};
    put_texts(r, question);
    set(r, "choice_filter", question.choice_filter);
    set(r, "required", required);
    set(r, "relevant", *relevant);
    set(r, "constraint", *constraint);
    set(r, "appearance", appearance);
    set(r, "default", question.default_answer);
    if (question.read_only) set(r, "read_only", "yes");
    if (!question.trigger.empty()) {
      set(r, "trigger", "${" + question.trigger + "}");
      set(r, "calculation", question.calculation);
    }
    survey.push_back(std::move(r));
    if (question.has_options()) add_list(question, choices);
    if (question.other_specify) {
      const std::string name = question.code + "_other";
      if (Status s = claim(question, name); !s.ok()) return s;
      const int other = question.option_index("other");
      Row o = {{"type", "text"}, {"name", name}, {"relevant", "selected(${" + question.code + "}, 'other')"}};
      if (other >= 0) {
        const Option& option = question.options[static_cast<size_t>(other)];
        Translations asked;
        for (const auto& [language, label] : option.label_translations.by_language) {
          asked.set(language, label + ": please say what");
        }
        put(o, "label", option.label + ": please say what", asked);
      } else {
        put(o, "label", "Other: please say what", {});
      }
      survey.push_back(std::move(o));
    }
    return Status::Ok();
  }

  const Questionnaire& q_;
  std::set<std::string> used_;
  std::vector<std::string> choice_data_columns_;  // the options' columns, as first met
  bool duplicate_choices_ = false;
};

}  // namespace

Status XlsformImport::status() const {
  if (errors.empty()) return Status::Ok();
  std::string message = errors[0].message();
  for (size_t i = 1; i < errors.size(); ++i) message += "\n" + errors[i].to_string();
  if (more_errors) message += "\n(and more problems: the first " + std::to_string(errors.size()) + " are shown)";
  return InvalidInput(message, errors[0].where());
}

XlsformImport import_xlsform(const std::vector<sheets::Sheet>& workbook, const std::string& file_name) {
  return Importer(file_name).run(workbook);
}

XlsformImport import_xlsform(std::string_view bytes, const std::string& file_name) {
  auto workbook = sheets::from_xlsx(bytes, file_name);
  if (!workbook.ok()) {
    XlsformImport out;
    out.errors.push_back(workbook.status());
    return out;
  }
  return import_xlsform(*workbook, file_name);
}

StatusOr<std::vector<sheets::Sheet>> xlsform_sheets(const Questionnaire& q) { return Exporter(q).run(); }

StatusOr<std::string> export_xlsform(const Questionnaire& q) {
  auto workbook = xlsform_sheets(q);
  if (!workbook.ok()) return workbook.status();
  return sheets::to_xlsx(*workbook);
}

XlsformImport import_xlsform_file(const std::string& path) {
  XlsformImport out;
  Location where;
  where.file = path;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    out.errors.push_back(InvalidInput("cannot open the file (does it exist, and may this program read it?)", where));
    return out;
  }
  const std::streamoff size = in.tellg();
  if (size < 0 || static_cast<std::uintmax_t>(size) > kMaxXlsformFileBytes) {
    out.errors.push_back(InvalidInput("the file is larger than " + std::to_string(kMaxXlsformFileBytes >> 20) +
                                          " MiB; a questionnaire is far smaller",
                                      where));
    return out;
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) {
    out.errors.push_back(InvalidInput("the file could not be read to the end", where));
    return out;
  }
  return import_xlsform(bytes, path);
}

StatusOr<Questionnaire> load_questionnaire(const std::string& path) {
  const bool xlsx = path.size() >= 5 && lower(path.substr(path.size() - 5)) == ".xlsx";
  if (!xlsx) return load_definition(path);
  XlsformImport result = import_xlsform_file(path);
  if (!result.ok()) return result.status();
  return std::move(*result.questionnaire);
}

}  // namespace coproduce::survey
