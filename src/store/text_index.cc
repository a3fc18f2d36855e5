#include "store/text_index.h"

#include <cstdio>
#include <utility>

namespace coproduce::store {
namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 60 || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char ch : s)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  return true;
}

// The next code point of UTF-8 `s` from `*i`, moving `*i` past it; a byte
// that does not start a valid sequence is taken as itself.
char32_t next_code_point(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  size_t extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (extra == 0 || *i + extra >= s.size()) {
    ++*i;
    return b;
  }
  char32_t cp = b & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    auto c = static_cast<unsigned char>(s[*i + k]);
    if ((c & 0xC0) != 0x80) {
      ++*i;
      return b;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  *i += extra + 1;
  return cp;
}

// Whether SQLite's unicode61 tokenizer could read `cp` as part of a word.
// It keeps letters and digits; this leaves out ASCII punctuation and the
// blocks of punctuation, symbols and emoji people type, and errs towards
// "yes" elsewhere. It matters because FTS5 reads a quoted string with no
// word in it as a phrase no document holds, which would empty an AND.
bool may_be_word_character(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  struct Range {
    char32_t first, last;
  };
  static constexpr Range kNotWords[] = {
      {0x80, 0xA9},     {0xAB, 0xB1},     {0xB4, 0xB4},     {0xB6, 0xB8},       {0xBB, 0xBB},
      {0xBF, 0xBF},     {0xD7, 0xD7},     {0xF7, 0xF7},     {0x2000, 0x206F},   {0x20A0, 0x20CF},
      {0x2190, 0x23FF}, {0x2500, 0x27BF}, {0x2900, 0x2BFF}, {0x2E00, 0x2E7F},   {0x3000, 0x3004},
      {0x3008, 0x3020}, {0xFE00, 0xFE1F}, {0xFE30, 0xFE4F}, {0xFF01, 0xFF0F},   {0xFF1A, 0xFF20},
      {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF}, {0xE0000, 0xE007F},
  };
  for (const Range& r : kNotWords)
    if (cp >= r.first && cp <= r.last) return false;
  return true;
}

// `word` made safe inside an FTS5 string: control characters become spaces
// and double quotes are doubled, so no input can end the string early.
std::string fts5_quoted_text(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (char ch : word) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F)
      out += ' ';
    else if (ch == '"')
      out += "\"\"";
    else
      out += ch;
  }
  return out;
}

bool holds_a_word(std::string_view text) {
  for (size_t i = 0; i < text.size();)
    if (may_be_word_character(next_code_point(text, &i))) return true;
  return false;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

class Fts5TextIndex final : public TextIndex {
 public:
  Fts5TextIndex(std::string name, std::vector<TextField> fields) : TextIndex(std::move(name), std::move(fields)) {
    std::string columns;
    for (const auto& f : this->fields()) columns += (columns.empty() ? "" : ", ") + f.name;
    create_sql_ = "CREATE VIRTUAL TABLE IF NOT EXISTS " + this->name() + " USING fts5(" + columns +
                  ", tokenize = 'porter unicode61 remove_diacritics 2')";
    std::string placeholders = "$1";
    for (size_t i = 0; i < this->fields().size(); ++i) placeholders += ", $" + std::to_string(i + 2);
    insert_sql_ = "INSERT INTO " + this->name() + " (rowid, " + columns + ") VALUES (" + placeholders + ")";
    delete_sql_ = "DELETE FROM " + this->name() + " WHERE rowid = $1";
    bm25_ = "bm25(" + this->name();
    for (const auto& f : this->fields()) bm25_ += ", " + number_text(f.weight);
    bm25_ += ")";
  }

  Status ensure(Connection& c) override {
    auto done = c.execute(create_sql_);
    return done.ok() ? Status::Ok() : done.status();
  }

  Status put(Connection& c, int64_t id, const std::vector<std::string>& texts) override {
    if (Status s = remove(c, id); !s.ok()) return s;
    std::vector<Value> params{id};
    for (size_t i = 0; i < fields().size(); ++i) {
      std::string text = i < texts.size() ? texts[i] : std::string();
      // The match marks must only ever come from snippet().
      for (char& ch : text)
        if (ch == kMatchStart || ch == kMatchEnd) ch = ' ';
      params.emplace_back(std::move(text));
    }
    auto done = c.execute(insert_sql_, params);
    return done.ok() ? Status::Ok() : done.status();
  }

  Status remove(Connection& c, int64_t id) override {
    auto done = c.execute(delete_sql_, {id});
    return done.ok() ? Status::Ok() : done.status();
  }

  // Terms of one alternative are written as bare phrases side by side
  // (FTS5's implicit AND, which passes over a phrase with no word in it);
  // terms with several alternatives as (a OR b), joined by an explicit AND,
  // since FTS5 allows nothing else between a phrase and a parenthesis.
  std::string engine_query(const TextQuery& query) const override {
    std::string phrases, groups;
    for (const TextTerm& term : query.terms) {
      std::vector<std::string> alternatives;
      for (const TextAlternative& alt : term) {
        std::string words;
        for (const std::string& w : alt.words) {
          if (!holds_a_word(w)) continue;
          words += (words.empty() ? "" : " ") + fts5_quoted_text(w);
        }
        if (words.empty()) continue;
        alternatives.push_back("\"" + words + "\"" + (alt.prefix ? "*" : ""));
      }
      if (alternatives.empty()) continue;
      if (alternatives.size() == 1) {
        phrases += (phrases.empty() ? "" : " ") + alternatives[0];
        continue;
      }
      std::string group = "(";
      for (size_t i = 0; i < alternatives.size(); ++i) group += (i ? " OR " : "") + alternatives[i];
      group += ")";
      groups += (groups.empty() ? "" : " AND ") + group;
    }
    std::string expression = phrases.empty() ? groups : groups.empty() ? phrases : phrases + " AND " + groups;
    if (expression.empty() || query.fields.empty()) return expression;
    // A column filter: {title summary} : (...)
    std::string columns;
    for (int f : query.fields)
      if (f >= 0 && static_cast<size_t>(f) < fields().size())
        columns += (columns.empty() ? "" : " ") + fields()[f].name;
    if (columns.empty()) return expression;
    return "{" + columns + "} : (" + expression + ")";
  }

  std::string matches_sql(int query_param, const MatchColumns& columns) const override {
    std::string sql = "SELECT rowid AS id, ";
    sql += columns.score ? bm25_ : std::string("NULL");
    sql += " AS score, ";
    sql += snippet_sql(columns);
    sql += " AS snippet FROM " + name() + " WHERE " + name() + " MATCH $" + std::to_string(query_param);
    return sql;
  }

 private:
  std::string snippet_of(int field, int words) const {
    return "snippet(" + name() + ", " + std::to_string(field) + ", char(1), char(2), '\u2026', " +
           std::to_string(words) + ")";
  }

  // The first field's snippet with a mark in it, else the first field's.
  std::string snippet_sql(const MatchColumns& columns) const {
    std::vector<int> usable;
    for (int f : columns.snippet_fields)
      if (f >= 0 && static_cast<size_t>(f) < fields().size()) usable.push_back(f);
    if (usable.empty()) return "NULL";
    int words = columns.snippet_words < 1 ? 1 : columns.snippet_words > 64 ? 64 : columns.snippet_words;
    if (usable.size() == 1) return snippet_of(usable[0], words);
    std::string sql = "CASE";
    for (int f : usable) sql += " WHEN instr(" + snippet_of(f, words) + ", char(1)) > 0 THEN " + snippet_of(f, words);
    sql += " ELSE " + snippet_of(usable[0], words) + " END";
    return sql;
  }

  std::string create_sql_, insert_sql_, delete_sql_, bm25_;
};

Status check_names(const std::string& name, const std::vector<TextField>& fields) {
  if (!is_identifier(name)) return Internal("the text index name '" + name + "' is not a lower-case identifier");
  if (fields.empty()) return Internal("the text index " + name + " has no fields");
  for (const auto& f : fields) {
    // rank and rowid are FTS5's own columns.
    if (!is_identifier(f.name) || f.name == "rank" || f.name == "rowid" || f.name == name)
      return Internal("the text index " + name + " cannot have a field named '" + f.name + "'");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<TextIndex>> make_text_index(const Dialect& dialect, std::string name,
                                                     std::vector<TextField> fields) {
  if (Status s = check_names(name, fields); !s.ok()) return s;
  if (dialect.name != "sqlite") return Unavailable("full-text search is not implemented for " + dialect.name + " yet");
  return std::unique_ptr<TextIndex>(std::make_unique<Fts5TextIndex>(std::move(name), std::move(fields)));
}

StatusOr<std::unique_ptr<TextIndex>> make_text_index(Connection& c, std::string name, std::vector<TextField> fields) {
  // sqlite_version() exists only in SQLite. Asking once per index made is
  // cheap (a cached statement) and never wrong about the engine.
  if (auto version = c.query("SELECT sqlite_version()"); !version.ok())
    return Unavailable("full-text search is only implemented for SQLite");
  return make_text_index(Dialect{"sqlite", ""}, std::move(name), std::move(fields));
}

}  // namespace coproduce::store
