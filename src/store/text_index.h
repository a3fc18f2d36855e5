// Full-text search behind the store: one index per kind of document (case
// studies, say), each document a few text fields with weights, found by the
// words they hold, ranked by relevance, with snippets around the matches.
//
// Full-text search differs most between engines (SQLite FTS5, PostgreSQL
// tsvector), so modules never write it: they describe what to look for as a
// TextQuery, ask the index for the engine's query text (bound as a
// parameter, never spliced into SQL) and JOIN the subquery matches_sql()
// gives them, which is the one piece of engine-specific SQL they run.
//
//   auto index = store::make_text_index(db.dialect(), "library_case_study_text",
//                                       {{"title", 10}, {"summary", 4}, {"body", 1}});
//   (*index)->put(conn, 42, {"Residents choose the menu", "...", "..."});
//   store::TextQuery query;
//   query.terms.push_back({store::TextAlternative{{"menu"}}});
//   store::MatchColumns columns;
//   columns.score = true;
//   conn.query("SELECT cs.title FROM (" + (*index)->matches_sql(1, columns) + ") m"
//              " CROSS JOIN library_case_studies cs WHERE cs.id = m.id ORDER BY m.score",
//              {(*index)->engine_query(query)});
//
// The index is not a migration: ensure() creates it when missing, so each
// engine keeps its own kind of index without the portable schema knowing.
#ifndef COPRODUCE_STORE_TEXT_INDEX_H_
#define COPRODUCE_STORE_TEXT_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace coproduce::store {

// A snippet marks each match by wrapping it in these two characters, which
// put() keeps out of the text indexed, so they only ever mean a match. The
// caller escapes the snippet for HTML and then turns them into <mark> and
// </mark>; no engine is trusted to write HTML.
inline constexpr char kMatchStart = '\x01';
inline constexpr char kMatchEnd = '\x02';

// One way a term of a query can match: a word, or several words that must
// come together in this order (a phrase). With `prefix`, the last word also
// matches longer words it begins: {{"co", "produc"}, true} finds
// "co-production" and "co produced". Words are matched as the engine's
// tokenizer reads them: case, accents and word endings do not matter
// (SQLite: "carers" finds "carer"), and characters other than letters and
// digits separate words.
struct TextAlternative {
  std::vector<std::string> words;
  bool prefix = false;
};

// A term matches when any of its alternatives does.
using TextTerm = std::vector<TextAlternative>;

// Documents match when they hold every term, in any of their fields or,
// when `fields` lists some (indexes into the index's fields), in those.
struct TextQuery {
  std::vector<TextTerm> terms;
  std::vector<int> fields;
};

// A field of the documents; a match in a field of weight 10 counts ten times
// one in a field of weight 1 when ranking.
struct TextField {
  std::string name;  // a lower-case SQL identifier, such as "title"
  double weight = 1;
};

// Which of matches_sql()'s columns to work out. Each column not asked for is
// NULL, so the subquery always has the same three.
struct MatchColumns {
  // score: how well the document matches, LOWER IS BETTER (ORDER BY score).
  // Only the order means anything: scores of different queries are not to
  // be compared. Costs one to two microseconds a document, so leave it out
  // when ordering by something else or only counting.
  bool score = false;
  // When more than this many documents match, only this many are scored
  // (the first the engine reads) and the rest have a NULL score, which
  // costs next to nothing: for a caller that ranks by score only up to so
  // many matches. 0 scores them all.
  size_t score_limit = 0;
  // When not 0, only the documents whose ids are bound as this parameter,
  // as packed_ids() packs them, are scored (and count towards the limit);
  // the rest have a NULL score. For a caller that will show only some of
  // the matches: scoring the others would be wasted.
  int score_only_param = 0;
  // snippet: a short extract of the first of these fields (indexes into the
  // index's fields) that holds a match, or of the first if none does, with
  // each match wrapped in kMatchStart and kMatchEnd, "…" where text was cut.
  // Empty: no snippet. Costs far more than the score: ask for it only for
  // the few documents shown (JOIN it ON m.id = $k, or WHERE m.id IN (...)).
  std::vector<int> snippet_fields;
  int snippet_words = 32;  // the snippet's length in words, at most 64
};

// A full-text index of one kind of document, kept in the database.
// Thread-compatible: const methods may be called from several threads; the
// Connection passed in must be the calling thread's.
class TextIndex {
 public:
  virtual ~TextIndex() = default;

  const std::string& name() const { return name_; }
  const std::vector<TextField>& fields() const { return fields_; }

  // Creates the index when it does not exist; does nothing when it does.
  // Cheap enough to call before each use.
  virtual Status ensure(Connection& c) = 0;
  // Adds document `id`, or replaces what the index held for it. `fields`
  // are the texts in the order of fields(); a missing one is indexed as "".
  // Call inside the transaction that writes the document, so both change
  // together.
  virtual Status put(Connection& c, int64_t id, const std::vector<std::string>& fields) = 0;
  // Forgets document `id`; Ok when it was not there.
  virtual Status remove(Connection& c, int64_t id) = 0;

  // The engine's query text for `query`, to bind where matches_sql() says.
  // Every word is quoted for the engine, so nothing a person types is read
  // as syntax and no query is ever a syntax error. "" when the query holds
  // no words: bind nothing then, since it would match nothing.
  virtual std::string engine_query(const TextQuery& query) const = 0;

  // A SELECT, to use as a subquery, of the documents matching the engine
  // query bound as $`query_param`, with columns id, score and snippet (see
  // MatchColumns), in no particular order. Built from trusted names only.
  // Put it first and join the documents' table with CROSS JOIN, which
  // makes SQLite read the matches once and look each document up, rather
  // than search the index again for every row of the table (seconds, not
  // milliseconds, on a big table); other engines read it as a plain join.
  //   "SELECT ... FROM (" + index.matches_sql(2) + ") m CROSS JOIN t WHERE t.id = m.id AND t.owner = $1"
  virtual std::string matches_sql(int query_param, const MatchColumns& columns = {}) const = 0;

  // `ids` (ascending) as the value to bind for MatchColumns::score_only_param.
  virtual std::string packed_ids(const std::vector<int64_t>& ids) const = 0;

  // The ids of the documents matching the engine query `query`, in
  // ascending order ("" matches none): the ids matches_sql() lists, read
  // at a fraction of the cost of a row each when they are many.
  virtual StatusOr<std::vector<int64_t>> matching_ids(Connection& c, const std::string& query) const = 0;

 protected:
  TextIndex(std::string name, std::vector<TextField> fields) : name_(std::move(name)), fields_(std::move(fields)) {}

 private:
  std::string name_;
  std::vector<TextField> fields_;
};

// An index named `name` (a lower-case SQL identifier, used for the engine's
// tables) over documents with `fields`, for the engine `dialect` names.
// SQLite: an FTS5 table with the porter stemmer over unicode61 (diacritics
// removed) and bm25 for the score (in bm25's order, worked out faster: see
// text_index.cc). Unavailable for an engine with no
// implementation yet. Names that are not identifiers are a programmer's
// mistake (an assertion).
StatusOr<std::unique_ptr<TextIndex>> make_text_index(const Dialect& dialect, std::string name,
                                                     std::vector<TextField> fields);
// The same for the engine behind `c`, for code that holds only a connection
// (writers keeping an index in step inside their transaction). It asks the
// engine which it is; today only SQLite answers.
StatusOr<std::unique_ptr<TextIndex>> make_text_index(Connection& c, std::string name, std::vector<TextField> fields);

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_TEXT_INDEX_H_
