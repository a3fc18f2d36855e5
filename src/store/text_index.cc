#include "store/text_index.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include "store/postgres_database.h"
#include "store/sqlite_text_functions.h"

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

// What both engines' indexes share: a row per document, written by
// insert_sql_ ($1 the id, then one text per field) and removed by
// delete_sql_, which each engine's constructor sets.
class StatementTextIndex : public TextIndex {
 public:
  using TextIndex::TextIndex;

  Status put(Connection& c, int64_t id, const std::vector<std::string>& texts) override {
    if (Status s = remove(c, id); !s.ok()) return s;
    std::vector<Value> params{id};
    for (size_t i = 0; i < fields().size(); ++i) {
      std::string text = i < texts.size() ? texts[i] : std::string();
      // The match marks must only ever come from snippets; PostgreSQL
      // refuses a NUL in text.
      for (char& ch : text)
        if (ch == kMatchStart || ch == kMatchEnd || ch == '\0') ch = ' ';
      params.emplace_back(std::move(text));
    }
    auto done = c.execute(insert_sql_, params);
    return done.ok() ? Status::Ok() : done.status();
  }

  Status remove(Connection& c, int64_t id) override {
    auto done = c.execute(delete_sql_, {id});
    return done.ok() ? Status::Ok() : done.status();
  }

 protected:
  std::string insert_sql_, delete_sql_;
};

class Fts5TextIndex final : public StatementTextIndex {
 public:
  Fts5TextIndex(std::string name, std::vector<TextField> fields)
      : StatementTextIndex(std::move(name), std::move(fields)) {
    std::string columns;
    for (const auto& f : this->fields()) columns += (columns.empty() ? "" : ", ") + f.name;
    create_sql_ = "CREATE VIRTUAL TABLE IF NOT EXISTS " + this->name() + " USING fts5(" + columns +
                  ", tokenize = 'porter unicode61 remove_diacritics 2')";
    std::string placeholders = "$1";
    for (size_t i = 0; i < this->fields().size(); ++i) placeholders += ", $" + std::to_string(i + 2);
    insert_sql_ = "INSERT INTO " + this->name() + " (rowid, " + columns + ") VALUES (" + placeholders + ")";
    delete_sql_ = "DELETE FROM " + this->name() + " WHERE rowid = $1";
    ids_sql_ = std::string("SELECT ") + kSqliteIdsFunction + "(rowid) FROM " + this->name() + " WHERE " +
               this->name() + " MATCH $1";
    for (const auto& f : this->fields()) weights_ += ", " + number_text(f.weight);
  }

  Status ensure(Connection& c) override {
    auto done = c.execute(create_sql_);
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

  std::string packed_ids(const std::vector<int64_t>& ids) const override {
    std::string packed;
    packed.reserve(ids.size() * 8);
    for (int64_t id : ids) {
      auto v = static_cast<uint64_t>(id);
      for (int b = 0; b < 8; ++b) {
        packed += static_cast<char>(v & 0xFF);
        v >>= 8;
      }
    }
    return packed;
  }

  StatusOr<std::vector<int64_t>> matching_ids(Connection& c, const std::string& query) const override {
    std::vector<int64_t> ids;
    if (query.empty()) return ids;
    auto row = c.query_one(ids_sql_, {query});
    if (!row.ok()) return row.status();
    // Eight bytes an id, least significant first (see collect_id).
    const std::string packed = row->text(0);
    ids.resize(packed.size() / 8);
    for (size_t i = 0; i < ids.size(); ++i) {
      uint64_t v = 0;
      for (int b = 7; b >= 0; --b) v = (v << 8) | static_cast<unsigned char>(packed[i * 8 + static_cast<size_t>(b)]);
      ids[i] = static_cast<int64_t>(v);
    }
    if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::string matches_sql(int query_param, const MatchColumns& columns) const override {
    std::string sql = "SELECT rowid AS id, ";
    sql += columns.score ? std::string(kSqliteRankFunction) + "(" + name() + ", " +
                               std::to_string(columns.score_limit) + ", " +
                               (columns.score_only_param > 0 ? "$" + std::to_string(columns.score_only_param)
                                                             : std::string("NULL")) +
                               weights_ + ")"
                         : std::string("NULL");
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

  std::string create_sql_, ids_sql_, weights_;
};


// ---- PostgreSQL --------------------------------------------------------------

// The text search configuration the PostgreSQL index reads with: English
// (Snowball's stemmer) with accents removed first (the unaccent extension),
// as SQLite's "porter unicode61 remove_diacritics 2" reads.
constexpr const char* kPgConfig = "coproduce_english";

// The length of the valid UTF-8 sequence at s[i], or 0 when it is not one
// (PostgreSQL refuses such text outright).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  size_t n = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  auto b1 = static_cast<unsigned char>(s[i + 1]);
  if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) || (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90))
    return 0;  // overlong, a surrogate, or beyond U+10FFFF
  return n;
}

// `word` inside a tsquery quoted lexeme: quotes doubled, backslashes
// escaped, control characters and bytes that are not UTF-8 spaces, so no
// input can end it early or be refused.
std::string tsquery_quoted_text(std::string_view word) {
  std::string out;
  for (size_t i = 0; i < word.size();) {
    size_t n = utf8_sequence_length(word, i);
    if (n == 0) {
      out += ' ';
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(word.substr(i, n));
      i += n;
      continue;
    }
    char ch = word[i++];
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F)
      out += ' ';
    else if (ch == '\'')
      out += "''";
    else if (ch == '\\')
      out += "\\\\";
    else
      out += ch;
  }
  return out;
}

// A tsvector per document over all its fields, each field's words labelled
// with a weight letter by position (A for the first field, then B, C, D), so
// a query can look in some fields only ('word':AB) and ts_rank can weigh
// them. Hence at most four fields.
class PostgresTextIndex final : public StatementTextIndex {
 public:
  PostgresTextIndex(std::string name, std::vector<TextField> fields)
      : StatementTextIndex(std::move(name), std::move(fields)) {
    std::string columns, placeholders, vector;
    for (size_t i = 0; i < this->fields().size(); ++i) {
      const std::string& f = this->fields()[i].name;
      columns += ", " + f;
      placeholders += ", $" + std::to_string(i + 2);
      vector += std::string(i ? " || " : "") + "setweight(to_tsvector('" + kPgConfig + "', $" + std::to_string(i + 2) +
                "), '" + label(static_cast<int>(i)) + "')";
    }
    insert_sql_ =
        "INSERT INTO " + this->name() + " (id" + columns + ", doc) VALUES ($1" + placeholders + ", " + vector + ")";
    delete_sql_ = "DELETE FROM " + this->name() + " WHERE id = $1";
    ids_sql_ = "SELECT id FROM " + this->name() + " WHERE doc @@ to_tsquery('" + kPgConfig + "', $1) ORDER BY id";
    std::string column_defs;
    for (const auto& f : this->fields()) column_defs += ", " + f.name + " TEXT NOT NULL";
    // Under the writers' lock (held to the end of the script's implicit
    // transaction, or the caller's): two first searches at once must not
    // both create the index.
    create_sql_ = std::string("SELECT pg_advisory_xact_lock(") + kPostgresWriterLock + ");" +
                  " CREATE EXTENSION IF NOT EXISTS unaccent;" +
                  " DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '" + kPgConfig +
                  "') THEN CREATE TEXT SEARCH CONFIGURATION " + kPgConfig +
                  " (COPY = english); ALTER TEXT SEARCH CONFIGURATION " + kPgConfig +
                  " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem; END IF; END $$;" +
                  " CREATE TABLE IF NOT EXISTS " + this->name() + " (id BIGINT PRIMARY KEY" + column_defs +
                  ", doc tsvector NOT NULL); CREATE INDEX IF NOT EXISTS " + this->name() + "_doc ON " + this->name() +
                  " USING gin (doc)";
    // ts_rank's weights, {D, C, B, A}, at most 1: the heaviest field is 1.
    double heaviest = 0;
    for (const auto& f : this->fields()) heaviest = std::max(heaviest, f.weight);
    double w[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < this->fields().size(); ++i)
      w[3 - i] = heaviest > 0 ? this->fields()[i].weight / heaviest : 1;
    weights_ = "'{" + number_text(w[0]) + "," + number_text(w[1]) + "," + number_text(w[2]) + "," +
               number_text(w[3]) + "}'::float4[]";
  }

  static std::string label(int field) { return std::string(1, static_cast<char>('A' + field)); }

  Status ensure(Connection& c) override {
    auto exists = c.query_one("SELECT to_regclass($1) IS NOT NULL", {name()});
    if (exists.ok() && exists->integer(0) == 1) return Status::Ok();
    return c.execute_script(create_sql_);
  }

  // Each word a quoted lexeme ('word'), the words of a phrase joined by <->
  // (followed by), a prefix marked :*, a field filter as weight letters
  // (:AB); alternatives (a | b); terms joined by &. to_tsquery drops words
  // that hold no lexeme (symbols, stop words) rather than failing.
  std::string engine_query(const TextQuery& query) const override {
    std::string letters;
    for (int f : query.fields)
      if (f >= 0 && static_cast<size_t>(f) < fields().size()) letters += label(f);
    std::string expression;
    for (const TextTerm& term : query.terms) {
      std::vector<std::string> alternatives;
      for (const TextAlternative& alt : term) {
        std::vector<std::string> words;
        for (const std::string& w : alt.words)
          if (holds_a_word(w)) words.push_back(w);
        if (words.empty()) continue;
        std::string phrase;
        for (size_t i = 0; i < words.size(); ++i) {
          bool last = i + 1 == words.size();
          std::string suffix = (last && alt.prefix ? "*" : "") + letters;
          phrase += (i ? " <-> " : "") + ("'" + tsquery_quoted_text(words[i]) + "'") + (suffix.empty() ? "" : ":" + suffix);
        }
        alternatives.push_back(words.size() > 1 ? "(" + phrase + ")" : phrase);
      }
      if (alternatives.empty()) continue;
      std::string group;
      for (size_t i = 0; i < alternatives.size(); ++i) group += (i ? " | " : "") + alternatives[i];
      if (alternatives.size() > 1) group = "(" + group + ")";
      expression += (expression.empty() ? "" : " & ") + group;
    }
    return expression;
  }

  // A PostgreSQL array of bigint, as text: {3,4,7}.
  std::string packed_ids(const std::vector<int64_t>& ids) const override {
    std::string out = "{";
    for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
    return out + "}";
  }

  StatusOr<std::vector<int64_t>> matching_ids(Connection& c, const std::string& query) const override {
    std::vector<int64_t> ids;
    if (query.empty()) return ids;
    Status s = c.query_each(ids_sql_, {query}, [&](const Row& r) {
      ids.push_back(r.integer(0));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return ids;
  }

  std::string matches_sql(int query_param, const MatchColumns& columns) const override {
    std::string score = "NULL::float8";
    if (columns.score) {
      // Lower is better: the rank negated.
      std::string rank = "(-ts_rank(" + weights_ + ", t.doc, q.q))::float8";
      std::string chosen = columns.score_only_param > 0
                               ? "t.id = ANY($" + std::to_string(columns.score_only_param) + "::bigint[])"
                               : std::string();
      if (columns.score_limit > 0) {
        std::string within = "row_number() OVER (" + (chosen.empty() ? "" : "PARTITION BY " + chosen) + ") <= " +
                             std::to_string(columns.score_limit);
        score = "CASE WHEN " + (chosen.empty() ? within : chosen + " AND " + within) + " THEN " + rank + " END";
      } else if (!chosen.empty()) {
        score = "CASE WHEN " + chosen + " THEN " + rank + " END";
      } else {
        score = rank;
      }
    }
    return "SELECT t.id AS id, " + score + " AS score, " + snippet_sql(columns) + " AS snippet FROM " + name() +
           " t, to_tsquery('" + kPgConfig + "', $" + std::to_string(query_param) + ") q(q) WHERE t.doc @@ q.q";
  }

 private:
  // The first listed field holding a match, else the first listed, cut to
  // about `words` words around the matches, "…" where text was left out.
  std::string snippet_sql(const MatchColumns& columns) const {
    std::vector<int> usable;
    for (int f : columns.snippet_fields)
      if (f >= 0 && static_cast<size_t>(f) < fields().size()) usable.push_back(f);
    if (usable.empty()) return "NULL::text";
    int words = columns.snippet_words < 1 ? 1 : columns.snippet_words > 64 ? 64 : columns.snippet_words;
    std::string source = "t." + fields()[static_cast<size_t>(usable[0])].name;
    if (usable.size() > 1) {
      source = "CASE";
      for (int f : usable) {
        const std::string& n = fields()[static_cast<size_t>(f)].name;
        source += std::string(" WHEN setweight(to_tsvector('") + kPgConfig + "', t." + n + "), '" + label(f) +
                  "') @@ q.q THEN t." + n;
      }
      source += " ELSE t." + fields()[static_cast<size_t>(usable[0])].name + " END";
    }
    std::string options = "'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=" + std::to_string(words) +
                          ", MinWords=" + std::to_string(std::max(1, words / 2)) +
                          ", ShortWord=0, MaxFragments=1, FragmentDelimiter=\"\u2026\"'";
    // ts_headline leaves out punctuation at either end of the text: it is
    // put back, and "…" is put only where words were left out.
    return "(SELECT CASE WHEN s.at = 0 THEN s.h ELSE"
           " CASE WHEN left(s.src, s.at - 1) ~ '^[^[:alnum:]]*$' THEN left(s.src, s.at - 1) ELSE '\u2026' END || s.h ||"
           " CASE WHEN substr(s.src, s.at + length(s.plain)) ~ '^[^[:alnum:]]*$'"
           " THEN substr(s.src, s.at + length(s.plain)) ELSE '\u2026' END END"
           " FROM (SELECT x.src, x.h, y.plain, strpos(x.src, y.plain) AS at FROM"
           " (SELECT " + source + " AS src, ts_headline('" + kPgConfig + "', " + source + ", q.q, " + options +
           ") AS h) x, LATERAL (SELECT replace(replace(x.h, chr(1), ''), chr(2), '') AS plain) y) s)";
  }

  std::string create_sql_, ids_sql_, weights_;
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

// ---- Ranking -----------------------------------------------------------------

// FTS5's bm25() (fts5_aux.c), worked out the same way but for two things
// that make it slow on words many documents hold, neither of which changes
// the order it gives:
//  - bm25() counts the documents holding each phrase of the query (for its
//    idf) by running each phrase again over the whole index. With a single
//    phrase the idf is the same for every document, so it is left out: the
//    scores are bm25's divided by it, in the same order.
//  - bm25() lists the query's every match in the document (xInst), which
//    costs much more than reading each phrase's matches on its own.
// And it scores only the documents asked for, giving the rest NULL at
// almost no cost: the first argument after the table is how many to score
// at most (0: all), the second NULL or the ids to score (packed as
// collect_id packs them, in ascending order). The arguments after those
// are the weights of the columns, as bm25's.
struct RankData {
  int64_t limit = 0;
  int64_t scored = 0;
  bool some = false;          // only the ids in `only`
  std::vector<int64_t> only;  // ascending
  double average_length = 1;
  std::vector<double> idf;
  std::vector<double> frequency;  // of each phrase in the current document, weighted
};

int count_document(const Fts5ExtensionApi*, Fts5Context*, void* count) {
  ++*static_cast<sqlite3_int64*>(count);
  return SQLITE_OK;
}

void coproduce_bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc,
                    sqlite3_value** argv) {
  auto* data = static_cast<RankData*>(api->xGetAuxdata(fts, 0));
  if (data == nullptr) {
    auto owned = std::make_unique<RankData>();
    const int phrases = api->xPhraseCount(fts);
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(result, rc);
      return;
    }
    owned->average_length = rows > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 1;
    owned->idf.assign(static_cast<size_t>(phrases), 1.0);
    owned->frequency.assign(static_cast<size_t>(phrases), 0.0);
    if (phrases > 1) {
      for (int i = 0; i < phrases; ++i) {
        sqlite3_int64 holding = 0;
        rc = api->xQueryPhrase(fts, i, &holding, count_document);
        if (rc != SQLITE_OK) {
          sqlite3_result_error_code(result, rc);
          return;
        }
        double idf = std::log((static_cast<double>(rows - holding) + 0.5) / (static_cast<double>(holding) + 0.5));
        owned->idf[static_cast<size_t>(i)] = idf <= 0.0 ? 1e-6 : idf;
      }
    }
    owned->limit = argc > 0 ? sqlite3_value_int64(argv[0]) : 0;
    if (argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL) {
      owned->some = true;
      const auto* packed = static_cast<const unsigned char*>(sqlite3_value_blob(argv[1]));
      const int bytes = sqlite3_value_bytes(argv[1]);
      for (int at = 0; packed != nullptr && at + 8 <= bytes; at += 8) {
        uint64_t v = 0;
        for (int b = 7; b >= 0; --b) v = (v << 8) | packed[at + b];
        owned->only.push_back(static_cast<int64_t>(v));
      }
      if (!std::is_sorted(owned->only.begin(), owned->only.end())) std::sort(owned->only.begin(), owned->only.end());
    }
    data = owned.get();
    rc = api->xSetAuxdata(fts, owned.release(), [](void* p) { delete static_cast<RankData*>(p); });
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(result, rc);
      return;
    }
  }
  if (data->limit > 0 && data->scored >= data->limit) {
    sqlite3_result_null(result);
    return;
  }
  if (data->some && !std::binary_search(data->only.begin(), data->only.end(), api->xRowid(fts))) {
    sqlite3_result_null(result);
    return;
  }
  ++data->scored;
  // The column weights follow the limit and the ids.
  const int skip = argc < 2 ? argc : 2;
  argc -= skip;
  argv += skip;
  const size_t phrases = data->frequency.size();
  for (size_t i = 0; i < phrases; ++i) {
    double frequency = 0;
    Fts5PhraseIter it;
    int column = -1, offset = 0;
    int rc = api->xPhraseFirst(fts, static_cast<int>(i), &it, &column, &offset);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(result, rc);
      return;
    }
    for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset))
      frequency += column < argc ? sqlite3_value_double(argv[column]) : 1.0;
    data->frequency[i] = frequency;
  }
  int length = 0;
  if (int rc = api->xColumnSize(fts, -1, &length); rc != SQLITE_OK) {
    sqlite3_result_error_code(result, rc);
    return;
  }
  constexpr double k1 = 1.2, b = 0.75;
  const double norm = k1 * (1 - b + b * static_cast<double>(length) / data->average_length);
  double score = 0;
  for (size_t i = 0; i < phrases; ++i) {
    const double f = data->frequency[i];
    score += data->idf[i] * (f * (k1 + 1.0)) / (f + norm);
  }
  sqlite3_result_double(result, -1.0 * score);
}

// ---- Listing ids -------------------------------------------------------------

// An aggregate: the ids it is given, packed eight bytes each, least
// significant first, as a blob (NULL for none). Handing SQLite's caller a
// row a match costs several times what reading the match does.
void collect_id(sqlite3_context* context, int, sqlite3_value** argv) {
  auto** packed = static_cast<std::string**>(sqlite3_aggregate_context(context, sizeof(std::string*)));
  if (packed == nullptr) {
    sqlite3_result_error_nomem(context);
    return;
  }
  if (*packed == nullptr) *packed = new std::string();
  auto v = static_cast<uint64_t>(sqlite3_value_int64(argv[0]));
  char bytes[8];
  for (char& byte : bytes) {
    byte = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
  (*packed)->append(bytes, 8);
}

void collected_ids(sqlite3_context* context) {
  auto** packed = static_cast<std::string**>(sqlite3_aggregate_context(context, 0));
  if (packed == nullptr || *packed == nullptr) {
    sqlite3_result_null(context);
    return;
  }
  std::string* ids = *packed;
  *packed = nullptr;
  sqlite3_result_blob64(context, ids->data(), ids->size(), SQLITE_TRANSIENT);
  delete ids;
}

}  // namespace

Status register_text_functions(sqlite3* db) {
  if (sqlite3_create_function_v2(db, kSqliteIdsFunction, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, nullptr,
                                 collect_id, collected_ids, nullptr) != SQLITE_OK)
    return Internal(std::string("could not register the id listing function: ") + sqlite3_errmsg(db));
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Status::Ok();  // no FTS5
  }
  sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr) return Status::Ok();
  if (api->xCreateFunction(api, kSqliteRankFunction, nullptr, coproduce_bm25, nullptr) != SQLITE_OK)
    return Internal(std::string("could not register the text ranking function: ") + sqlite3_errmsg(db));
  return Status::Ok();
}

StatusOr<std::unique_ptr<TextIndex>> make_text_index(const Dialect& dialect, std::string name,
                                                     std::vector<TextField> fields) {
  if (Status s = check_names(name, fields); !s.ok()) return s;
  if (dialect.name == "postgresql") {
    if (fields.size() > 4) return Internal("the text index " + name + " has more than the four fields PostgreSQL can weigh");
    return std::unique_ptr<TextIndex>(std::make_unique<PostgresTextIndex>(std::move(name), std::move(fields)));
  }
  if (dialect.name != "sqlite") return Unavailable("full-text search is not implemented for " + dialect.name + " yet");
  return std::unique_ptr<TextIndex>(std::make_unique<Fts5TextIndex>(std::move(name), std::move(fields)));
}

StatusOr<std::unique_ptr<TextIndex>> make_text_index(Connection& c, std::string name, std::vector<TextField> fields) {
  // sqlite_version() exists only in SQLite, pg_backend_pid() only in
  // PostgreSQL. Asking once per index made is cheap (a cached statement)
  // and never wrong about the engine.
  // PostgreSQL is asked first: a statement that fails there costs a
  // savepoint (postgres_database.cc), while in SQLite it costs nothing.
  if (auto pid = c.query("SELECT pg_backend_pid()"); pid.ok())
    return make_text_index(Dialect{"postgresql", ""}, std::move(name), std::move(fields));
  if (auto version = c.query("SELECT sqlite_version()"); version.ok())
    return make_text_index(Dialect{"sqlite", ""}, std::move(name), std::move(fields));
  return Unavailable("full-text search is not implemented for this engine");
}

}  // namespace coproduce::store
