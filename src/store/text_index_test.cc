#include "store/text_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/temporary_database.h"

namespace coproduce::store {
namespace {

// A term of one word, or of one phrase.
TextTerm word(std::string w) { return {TextAlternative{{std::move(w)}, false}}; }
TextTerm phrase(std::vector<std::string> words) { return {TextAlternative{std::move(words), false}}; }

TextQuery query(std::vector<TextTerm> terms, std::vector<int> fields = {}) {
  TextQuery q;
  q.terms = std::move(terms);
  q.fields = std::move(fields);
  return q;
}

MatchColumns scored() {
  MatchColumns columns;
  columns.score = true;
  return columns;
}

// A fresh database holding the index "notes" over (title weight 10, body
// weight 1); every test runs on SQLite and again on PostgreSQL.
class TextIndexTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    std::string name = std::string("text-index-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& ch : name)
      if (ch == '/') ch = '-';
    db_ = std::make_unique<TemporaryDatabase>(name, GetParam());
    if (db_->engine_missing()) GTEST_SKIP() << db_->status().message();
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    auto conn = (*db_)->connection();
    ASSERT_TRUE(conn.ok());
    conn_ = *conn;
    auto index = make_text_index((*db_)->dialect(), "notes", {{"title", 10}, {"body", 1}});
    ASSERT_TRUE(index.ok()) << index.status().to_string();
    index_ = std::move(*index);
    ASSERT_TRUE(index_->ensure(*conn_).ok());
  }

  void put(int64_t id, const std::string& title, const std::string& body) {
    Status s = index_->put(*conn_, id, {title, body});
    ASSERT_TRUE(s.ok()) << s.to_string();
  }

  // The ids of the documents holding every term, best first.
  std::vector<int64_t> ranked(std::vector<TextTerm> terms, std::vector<int> fields = {}) {
    std::string words = index_->engine_query(query(std::move(terms), std::move(fields)));
    if (words.empty()) return {};
    auto rows =
        conn_->query("SELECT m.id FROM (" + index_->matches_sql(1, scored()) + ") m ORDER BY m.score, m.id", {words});
    EXPECT_TRUE(rows.ok()) << words << ": " << rows.status().to_string();
    std::vector<int64_t> ids;
    if (rows.ok())
      for (const Row& r : *rows) ids.push_back(r.integer(0));
    return ids;
  }

  // The same in id order.
  std::vector<int64_t> matching(std::vector<TextTerm> terms, std::vector<int> fields = {}) {
    auto ids = ranked(std::move(terms), std::move(fields));
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::string snippet(std::vector<TextTerm> terms, int64_t id, std::vector<int> fields, int words = 32) {
    MatchColumns columns;
    columns.snippet_fields = std::move(fields);
    columns.snippet_words = words;
    auto row = conn_->query_one("SELECT m.snippet FROM (" + index_->matches_sql(1, columns) + ") m WHERE m.id = $2",
                                {index_->engine_query(query(std::move(terms))), id});
    EXPECT_TRUE(row.ok()) << row.status().to_string();
    return row.ok() ? row->text(0) : "";
  }

  std::unique_ptr<TemporaryDatabase> db_;
  Connection* conn_ = nullptr;
  std::unique_ptr<TextIndex> index_;
};

INSTANTIATE_TEST_SUITE_P(Engines, TextIndexTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& p) { return engine_name(p.param); });

TEST_P(TextIndexTest, EnsureIsIdempotent) {
  EXPECT_TRUE(index_->ensure(*conn_).ok());
  EXPECT_TRUE(index_->ensure(*conn_).ok());
}

// Several processes' first searches may make the same index at once: all
// succeed, and there is one index.
TEST_P(TextIndexTest, EnsureFromSeveralConnectionsAtOnceSucceedsEveryTime) {
  auto fresh = make_text_index((*db_)->dialect(), "raced", {{"title", 10}, {"body", 1}});
  ASSERT_TRUE(fresh.ok());
  constexpr int kThreads = 6;
  std::latch go(kThreads);
  std::atomic<int> failed = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      auto c = (*db_)->connection();
      go.arrive_and_wait();
      if (!c.ok() || !(*fresh)->ensure(**c).ok()) ++failed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_TRUE((*fresh)->put(*conn_, 1, {"Raced", "made once"}).ok());
}

TEST_P(TextIndexTest, PutAddsReplacesAndRemoveForgets) {
  put(1, "Residents choose the menu", "Soup on Fridays");
  put(2, "Gardening club", "Tomatoes and beans");
  EXPECT_EQ(matching({word("menu")}), (std::vector<int64_t>{1}));

  put(1, "Residents plan trips", "The seaside in June");  // replaces, never duplicates
  EXPECT_TRUE(matching({word("menu")}).empty());
  EXPECT_EQ(matching({word("seaside")}), (std::vector<int64_t>{1}));
  EXPECT_EQ(matching({word("residents")}), (std::vector<int64_t>{1}));

  ASSERT_TRUE(index_->remove(*conn_, 1).ok());
  EXPECT_TRUE(matching({word("seaside")}).empty());
  EXPECT_TRUE(index_->remove(*conn_, 1).ok()) << "removing what is not there is fine";
  EXPECT_EQ(matching({word("beans")}), (std::vector<int64_t>{2}));
}

TEST_P(TextIndexTest, MissingFieldsAreIndexedAsEmpty) {
  ASSERT_TRUE(index_->put(*conn_, 5, {"Only a title"}).ok());
  EXPECT_EQ(matching({word("title")}), (std::vector<int64_t>{5}));
}

TEST_P(TextIndexTest, EveryTermMustMatchSomewhere) {
  put(1, "Menu planning", "with residents");
  put(2, "Menu planning", "with staff");
  put(3, "Trips", "with residents");
  EXPECT_EQ(matching({word("menu"), word("residents")}), (std::vector<int64_t>{1}));
}

TEST_P(TextIndexTest, AQueryCanLookInSomeFieldsOnly) {
  put(1, "Garden party", "with residents");
  put(2, "Residents' garden", "");
  put(3, "Party", "in the garden with residents");
  EXPECT_EQ(matching({word("garden"), word("residents")}, {0}), (std::vector<int64_t>{2}));
  EXPECT_EQ(matching({word("garden"), word("residents")}, {0, 1}), (std::vector<int64_t>{1, 2, 3}))
      << "each word in either field";
  EXPECT_TRUE(matching({word("party")}, {1}).empty());
}

TEST_P(TextIndexTest, AMatchInAHeavierFieldRanksFirst) {
  put(1, "A day out", "The garden was planted by residents and staff together over the summer");
  put(2, "The garden", "A day out for residents and staff together, planned over the summer");
  put(3, "Unrelated", "Nothing to see here");
  EXPECT_EQ(ranked({word("garden")}), (std::vector<int64_t>{2, 1}));
}

// The score is computed faster than SQLite's bm25() (sqlite_text_functions.h)
// but must order the matches just as bm25() does, on every kind of query.
TEST_P(TextIndexTest, TheScoreOrdersTheMatchesAsBm25Does) {
  if (GetParam() == Engine::kPostgres) GTEST_SKIP() << "PostgreSQL ranks with ts_rank and the field weights, not bm25";
  const std::vector<std::string> words = {"garden", "menu", "trip", "soup", "music", "bingo"};
  for (int64_t id = 1; id <= 60; ++id) {
    std::string title, body;
    for (int i = 0; i < static_cast<int>(id % 4); ++i) title += words[static_cast<size_t>(id + i) % words.size()] + " ";
    for (int i = 0; i < static_cast<int>(5 + id % 23); ++i)
      body += words[static_cast<size_t>(id * 7 + i * i) % words.size()] + (i % 5 == 0 ? " filler " : " ");
    put(id, title, body);
  }
  TextTerm either = {TextAlternative{{"soup"}, false}, TextAlternative{{"bing"}, true}};
  for (const auto& terms : std::vector<std::vector<TextTerm>>{{word("garden")},
                                                               {phrase({"menu", "trip"})},
                                                               {word("garden"), word("music")},
                                                               {either},
                                                               {either, word("menu")}}) {
    std::string q = index_->engine_query(query(terms));
    SCOPED_TRACE(q);
    auto bm25 = conn_->query(
        "SELECT rowid FROM notes WHERE notes MATCH $1 ORDER BY bm25(notes, 10, 1), rowid", {q});
    ASSERT_TRUE(bm25.ok()) << bm25.status().to_string();
    std::vector<int64_t> want;
    for (const Row& r : *bm25) want.push_back(r.integer(0));
    EXPECT_GT(want.size(), 3u);
    EXPECT_EQ(ranked(terms), want);
  }
}

TEST_P(TextIndexTest, AScoreLimitScoresThatManyAndLeavesTheRestNull) {
  for (int64_t id = 1; id <= 10; ++id) put(id, "Garden " + std::to_string(id), "");
  MatchColumns columns = scored();
  columns.score_limit = 4;
  auto rows = conn_->query("SELECT id, score FROM (" + index_->matches_sql(1, columns) + ") m",
                           {index_->engine_query(query({word("garden")}))});
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  ASSERT_EQ(rows->size(), 10u) << "every match is listed";
  int scored = 0;
  for (const Row& r : *rows) scored += r.is_null(1) ? 0 : 1;
  EXPECT_EQ(scored, 4);
}

TEST_P(TextIndexTest, OnlyTheDocumentsAskedForAreScored) {
  for (int64_t id = 1; id <= 10; ++id) put(id, "Garden " + std::to_string(id), id % 2 ? "garden" : "");
  MatchColumns columns = scored();
  columns.score_only_param = 2;
  columns.score_limit = 2;
  auto rows = conn_->query("SELECT id, score FROM (" + index_->matches_sql(1, columns) + ") m ORDER BY id",
                           {index_->engine_query(query({word("garden")})), index_->packed_ids({3, 4, 7, 9})});
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  ASSERT_EQ(rows->size(), 10u) << "every match is listed";
  std::vector<int64_t> scored_ids;
  for (const Row& r : *rows)
    if (!r.is_null(1)) scored_ids.push_back(r.integer(0));
  EXPECT_EQ(scored_ids, (std::vector<int64_t>{3, 4})) << "those asked for, up to the limit";
  // Scored or not, a document's score is the same.
  auto all = conn_->query("SELECT id, score FROM (" + index_->matches_sql(1, scored()) + ") m ORDER BY id",
                          {index_->engine_query(query({word("garden")}))});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[2].real(1), (*rows)[2].real(1));
  EXPECT_EQ((*all)[3].real(1), (*rows)[3].real(1));
}

TEST_P(TextIndexTest, MatchingIdsListsTheMatchesInOrder) {
  put(int64_t{1} << 40, "Garden party", "");
  put(3, "The garden", "");
  put(2, "Menus", "");
  put(255, "Garden", "");
  put(256, "", "garden");
  std::string q = index_->engine_query(query({word("garden")}));
  auto ids = index_->matching_ids(*conn_, q);
  ASSERT_TRUE(ids.ok()) << ids.status().to_string();
  EXPECT_EQ(*ids, (std::vector<int64_t>{3, 255, 256, int64_t{1} << 40}));
  EXPECT_EQ(*ids, matching({word("garden")}));
  auto none = index_->matching_ids(*conn_, index_->engine_query(query({word("castle")})));
  ASSERT_TRUE(none.ok()) << none.status().to_string();
  EXPECT_TRUE(none->empty());
  auto empty = index_->matching_ids(*conn_, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty()) << "no words match nothing";
}

TEST_P(TextIndexTest, PluralAndSingularFormsMatchEachOther) {
  put(1, "Carers' group", "");
  put(2, "A carer speaks", "");
  put(3, "Caring", "");
  EXPECT_EQ(matching({word("carer")}), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(matching({word("carers")}), (std::vector<int64_t>{1, 2}));
}

TEST_P(TextIndexTest, CaseAndAccentsDoNotMatter) {
  put(1, "Café mornings", "Naïve questions welcome");
  EXPECT_EQ(matching({word("CAFE")}), (std::vector<int64_t>{1}));
  EXPECT_EQ(matching({word("naive")}), (std::vector<int64_t>{1}));
}

TEST_P(TextIndexTest, PhrasesNeedTheirWordsTogetherInOrder) {
  put(1, "Care home menus", "");
  put(2, "Home care and menus", "");
  EXPECT_EQ(matching({phrase({"care", "home"})}), (std::vector<int64_t>{1}));
  EXPECT_EQ(matching({phrase({"home", "care"})}), (std::vector<int64_t>{2}));
}

// How the porter stemmer meets prefixes, which the library relies on to
// make every spelling of co-production find the others.
TEST_P(TextIndexTest, PrefixAlternativesFindEverySpellingOfCoProduction) {
  const std::vector<std::string> titles = {"Co-production week",
                                           "Coproduction week",
                                           "Co production week",
                                           "We co-produced it",
                                           "Coproducing menus",
                                           "co-produce together",
                                           "Co‐production (with a Unicode hyphen)",
                                           "The product launch",
                                           "Co workers producing"};
  for (size_t i = 0; i < titles.size(); ++i) put(static_cast<int64_t>(i + 1), titles[i], "");
  TextTerm coproduction = {TextAlternative{{"coproduc"}, true}, TextAlternative{{"co", "produc"}, true}};
  EXPECT_EQ(matching({coproduction}), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(matching({coproduction, word("week")}), (std::vector<int64_t>{1, 2, 3}));
  // Without the prefix, stems must agree: "coproduction" and "co production" differ from "coproducing".
  EXPECT_EQ(matching({word("coproduction")}), (std::vector<int64_t>{2}));
  EXPECT_EQ(matching({phrase({"co", "production"})}), (std::vector<int64_t>{1, 3, 7}));
}

TEST_P(TextIndexTest, SnippetsMarkEachMatchWithTheSentinels) {
  put(1, "Menus", "Residents chose the soup. Later the residents chose the bread as well.");
  std::string s = snippet({word("resident")}, 1, {1});
  EXPECT_EQ(s, "\x01Residents\x02 chose the soup. Later the \x01residents\x02 chose the bread as well.");
}

TEST_P(TextIndexTest, LongTextIsCutAroundTheMatchWithAnEllipsis) {
  std::string body;
  for (int i = 0; i < 100; ++i) body += "filler ";
  body += "the garden grew ";
  for (int i = 0; i < 100; ++i) body += "filler ";
  put(1, "Long", body);
  std::string s = snippet({word("garden")}, 1, {1}, 8);
  EXPECT_NE(s.find("\x01garden\x02"), std::string::npos) << s;
  EXPECT_EQ(s.rfind("\u2026", 0), 0u) << "starts with an ellipsis: " << s;
  EXPECT_LT(s.size(), 100u);
}

TEST_P(TextIndexTest, SnippetComesFromTheFirstListedFieldWithAMatch) {
  put(1, "The garden", "Residents planted beans.");
  put(2, "Beans", "Residents planted a garden.");
  EXPECT_EQ(snippet({word("garden")}, 1, {1, 0}), "The \x01garden\x02");
  EXPECT_EQ(snippet({word("garden")}, 1, {1}), "Residents planted beans.") << "no match in any: the first";
  EXPECT_EQ(snippet({word("garden")}, 2, {1, 0}), "Residents planted a \x01garden\x02.");
}

TEST_P(TextIndexTest, SentinelsInTheTextAreNeverTakenForMatches) {
  put(1, "Tricky",
      "a \x01"
      "fake\x02"
      " mark and a real word");
  std::string s = snippet({word("real")}, 1, {1});
  EXPECT_EQ(s, "a  fake  mark and a \x01real\x02 word");
}

TEST_P(TextIndexTest, ColumnsNotAskedForAreNull) {
  put(1, "Menus", "Soup");
  auto row = conn_->query_one("SELECT id, score, snippet FROM (" + index_->matches_sql(1) + ") m",
                              {index_->engine_query(query({word("soup")}))});
  ASSERT_TRUE(row.ok()) << row.status().to_string();
  EXPECT_EQ(row->integer(0), 1);
  EXPECT_TRUE(row->is_null(1));
  EXPECT_TRUE(row->is_null(2));
}

TEST_P(TextIndexTest, AQueryWithNoWordsIsEmpty) {
  EXPECT_EQ(index_->engine_query(TextQuery()), "");
  EXPECT_EQ(index_->engine_query(query({word(""), word("!!"), phrase({"--", "\""})})), "");
}

// Whatever a person types, as a word, a phrase or an alternative, is a
// query the engine runs: never a syntax error.
TEST_P(TextIndexTest, HostileWordsNeverFail) {
  put(1, "Menu", "near and or not");
  const std::vector<std::string> hostile = {"\"",
                                            "\"\"",
                                            "\"unbalanced",
                                            "*",
                                            "NEAR(",
                                            "NEAR(a b, 2)",
                                            "AND",
                                            "OR",
                                            "NOT",
                                            "-",
                                            "-menu",
                                            "+",
                                            "^",
                                            "(",
                                            ")",
                                            "menu)",
                                            "{",
                                            "}",
                                            "title:",
                                            ":",
                                            "title : x",
                                            "'",
                                            "''",
                                            "\\",
                                            std::string("a\0b", 3),
                                            "\x01",
                                            "\x7f",
                                            "☃",
                                            "“menu”",
                                            "e\u0301",
                                            "",
                                            " ",
                                            "*menu*",
                                            "menu\"*(",
                                            ";",
                                            "DROP TABLE notes",
                                            "\xff\xfe",
                                            "\xe2\x82"};
  for (const std::string& h : hostile) {
    SCOPED_TRACE("word: " + h);
    for (const std::vector<TextTerm>& terms : std::vector<std::vector<TextTerm>>{
             {word(h)},
             {word(h), word("menu")},
             {word("menu"), word(h)},
             {phrase({h, "menu"})},
             {TextTerm{TextAlternative{{h}, true}}, word("menu")},
             {TextTerm{TextAlternative{{h}, false}, TextAlternative{{"menu"}, true}}, word("menu")},
             {TextTerm{TextAlternative{{h}, false}, TextAlternative{{h}, true}}, word("menu")},
         }) {
      std::string words = index_->engine_query(query(terms));
      if (words.empty()) continue;
      auto rows = conn_->query("SELECT id FROM (" + index_->matches_sql(1, scored()) + ") m", {words});
      EXPECT_TRUE(rows.ok()) << words << ": " << rows.status().to_string();
    }
  }
}

// A word with nothing the engine reads as a word in it must not stop the
// others matching.
TEST_P(TextIndexTest, SymbolsBesideWordsDoNotEmptyTheResults) {
  put(1, "Menu", "Soup");
  EXPECT_EQ(matching({word("☃"), word("menu")}), (std::vector<int64_t>{1}));
  EXPECT_EQ(matching({word("—"), word("menu")}), (std::vector<int64_t>{1}));
  TextTerm menus = {TextAlternative{{"menu"}, true}, TextAlternative{{"carte"}, false}};
  EXPECT_EQ(matching({word("☃"), menus}), (std::vector<int64_t>{1}));
  EXPECT_EQ(matching({word("\""), menus, word("soup")}), (std::vector<int64_t>{1}));
}

TEST(TextIndexFactory, OtherEnginesAreNotAvailableYet) {
  auto index = make_text_index(Dialect{"duckdb", "BIGINT PRIMARY KEY"}, "notes", {{"title", 1}});
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), StatusCode::kUnavailable);
}

TEST(TextIndexFactory, NamesMustBeIdentifiers) {
  Dialect sqlite{"sqlite", "INTEGER PRIMARY KEY"};
  EXPECT_FALSE(make_text_index(sqlite, "notes; DROP TABLE x", {{"title", 1}}).ok());
  EXPECT_FALSE(make_text_index(sqlite, "notes", {{"Title", 1}}).ok());
  EXPECT_FALSE(make_text_index(sqlite, "notes", {{"rank", 1}}).ok());
  EXPECT_FALSE(make_text_index(sqlite, "notes", {}).ok());
  EXPECT_TRUE(make_text_index(sqlite, "notes", {{"title", 1}, {"body_text", 0.5}}).ok());
}

TEST_P(TextIndexTest, AConnectionIsEnoughToMakeTheIndex) {
  auto index = make_text_index(*conn_, "notes", {{"title", 10}, {"body", 1}});
  ASSERT_TRUE(index.ok()) << index.status().to_string();
  ASSERT_TRUE((*index)->put(*conn_, 7, {"Shared", "index"}).ok());
  EXPECT_EQ(matching({word("shared")}), (std::vector<int64_t>{7})) << "the same tables as the Dialect's";
}

}  // namespace
}  // namespace coproduce::store
