// copy_data between real databases: SQLite to a throwaway PostgreSQL server
// and back, ids kept and continued, the target refused when it holds data.
#include "store/copy.h"

#include <gtest/gtest.h>

#include <string>

#include "store/temporary_database.h"

namespace coproduce::store {
namespace {

std::string test_name() {
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  for (char& c : name)
    if (c == '/') c = '-';
  return name;
}

void exec(Database& db, const std::string& sql, const std::vector<Value>& params = {}) {
  auto r = db.connection().value()->execute(sql, params);
  ASSERT_TRUE(r.ok()) << sql << ": " << r.status().to_string();
}

int64_t count(Database& db, const std::string& sql) {
  auto r = db.connection().value()->query_one(sql);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? r->integer(0) : -1;
}

// A small deployment: two organisations, people with text that sorts
// differently by engine, a real number, a NULL, and the search counter a
// migration seeds.
void fill(Database& db) {
  exec(db, "INSERT INTO organisations (id, name, created_at) VALUES (1, 'Brightwater', 'x'), (5, 'Ålesund Trust', 'y')");
  for (int i = 1; i <= 30; ++i) {
    exec(db,
         "INSERT INTO people (organisation_id, name, source, created_at, updated_at) VALUES ($1, $2, 'staff', 'x', 'x')",
         {i % 2 ? 1 : 5, (i % 3 ? "zoë " : "Zed ") + std::to_string(i)});
  }
  exec(db, "INSERT INTO groups (organisation_id, name, setting, size, ladder_aim, created_at)"
           " VALUES (1, 'Carers'' board', 'council', 12, 'co_production', 'x')");
  exec(db, "UPDATE library_search_state SET stamp = 41");
}

struct Pair {
  Engine from;
  Engine to;
};

class CopyTest : public ::testing::TestWithParam<Pair> {
 protected:
  void SetUp() override {
    for (TemporaryDatabase* db : {&from_, &to_}) {
      if (db->engine_missing()) GTEST_SKIP() << db->status().to_string();
      ASSERT_TRUE(db->status().ok()) << db->status().to_string();
    }
  }
  TemporaryDatabase from_{"copy-from-" + test_name(), GetParam().from};
  TemporaryDatabase to_{"copy-to-" + test_name(), GetParam().to};
};

INSTANTIATE_TEST_SUITE_P(Engines, CopyTest,
                         ::testing::Values(Pair{Engine::kSqlite, Engine::kPostgres},
                                           Pair{Engine::kPostgres, Engine::kSqlite}),
                         [](const ::testing::TestParamInfo<Pair>& p) {
                           return engine_name(p.param.from) + "To" + engine_name(p.param.to);
                         });

TEST_P(CopyTest, EveryRowArrivesWithItsIdAndNewIdsFollowOn) {
  fill(*from_);
  CopyReport report;
  std::vector<std::string> heard;
  Status s = copy_data(*from_, *to_, &report, [&](const std::string& table, int64_t) { heard.push_back(table); });
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(count(*to_, "SELECT COUNT(*) FROM people"), 30);
  EXPECT_EQ(count(*to_, "SELECT COUNT(*) FROM people WHERE organisation_id = 5"), 15);
  EXPECT_EQ(count(*to_, "SELECT stamp FROM library_search_state"), 41);
  EXPECT_EQ(count(*to_, "SELECT COUNT(*) FROM library_search_state"), 1);
  EXPECT_GE(report.rows, 30 + 2 + 1 + 1);
  bool people_listed = false;
  for (const auto& t : report.tables) {
    if (t.table == "people") {
      people_listed = true;
      EXPECT_EQ(t.rows, 30);
    }
  }
  EXPECT_TRUE(people_listed);
  EXPECT_FALSE(heard.empty());
  // The same rows on both sides, by the order-free checksum.
  auto tables = schema_tables(*to_);
  ASSERT_TRUE(tables.ok());
  for (const auto& t : *tables) {
    auto a = table_checksum(**from_->connection(), t);
    auto b = table_checksum(**to_->connection(), t);
    ASSERT_TRUE(a.ok() && b.ok()) << t.name;
    EXPECT_EQ(*a, *b) << t.name;
  }
  // A new row on the target takes the next id, not one already used.
  auto made = (*to_).connection().value()->query_one(
      "INSERT INTO organisations (name, created_at) VALUES ('New Council', 'z') RETURNING id");
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  EXPECT_GT(made->integer(0), 5);
}

TEST_P(CopyTest, ATargetHoldingDataIsRefusedAndLeftAsItWas) {
  fill(*from_);
  exec(*to_, "INSERT INTO organisations (name, created_at) VALUES ('Already here', 'x')");
  Status s = copy_data(*from_, *to_, nullptr);
  ASSERT_EQ(s.code(), StatusCode::kInvalidInput) << s.to_string();
  EXPECT_NE(s.message().find("organisations"), std::string::npos) << s.message();
  EXPECT_EQ(count(*to_, "SELECT COUNT(*) FROM organisations"), 1);
  EXPECT_EQ(count(*to_, "SELECT COUNT(*) FROM people"), 0);
}

}  // namespace
}  // namespace coproduce::store
