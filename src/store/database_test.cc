#include "store/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "store/migrations.h"

namespace coproduce::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("coproduce-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto db = open_database((dir_ / "nested" / "test.db").string());
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    db_ = std::move(*db);
    conn_ = *db_->connection();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  Connection* conn_ = nullptr;
};

TEST_F(StoreTest, BindsDollarParametersAndReturnsTypedRows) {
  ASSERT_TRUE(conn_->execute_script("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, n INTEGER)").ok());
  auto ins = conn_->query("INSERT INTO t (name, score, n) VALUES ($1, $2, $3) RETURNING id", {"Ada", 2.5, nullptr});
  ASSERT_TRUE(ins.ok()) << ins.status().to_string();
  ASSERT_EQ(ins->size(), 1u);
  int64_t id = (*ins)[0].integer(0);
  auto row = conn_->query_one("SELECT name, score, n FROM t WHERE id = $1", {id});
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->text(0), "Ada");
  EXPECT_DOUBLE_EQ(row->real(1), 2.5);
  EXPECT_TRUE(row->is_null(2));
  EXPECT_FALSE(row->optional_text(2).has_value());
}

TEST_F(StoreTest, HostileTextIsStoredAsDataNotRunAsSql) {
  ASSERT_TRUE(conn_->execute_script("CREATE TABLE t (name TEXT)").ok());
  std::string evil = "x'); DROP TABLE t; --";
  ASSERT_TRUE(conn_->execute("INSERT INTO t (name) VALUES ($1)", {evil}).ok());
  auto row = conn_->query_one("SELECT name FROM t");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->text(0), evil);
}

TEST_F(StoreTest, WrongParameterCountIsAnErrorNotACrash) {
  auto r = conn_->query("SELECT $1 + $2", {1});
  EXPECT_FALSE(r.ok());
}

TEST_F(StoreTest, TransactionRollsBackUnlessCommitted) {
  ASSERT_TRUE(conn_->execute_script("CREATE TABLE t (n INTEGER)").ok());
  {
    Transaction tx(*conn_, TransactionMode::kWrite);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(conn_->execute("INSERT INTO t (n) VALUES ($1)", {1}).ok());
  }
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM t")->integer(0), 0);
  {
    Transaction tx(*conn_, TransactionMode::kWrite);
    ASSERT_TRUE(conn_->execute("INSERT INTO t (n) VALUES ($1)", {2}).ok());
    ASSERT_TRUE(tx.commit().ok());
  }
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM t")->integer(0), 1);
  EXPECT_FALSE(conn_->in_transaction());
}

TEST_F(StoreTest, EachThreadGetsItsOwnConnectionAndSeesCommittedData) {
  ASSERT_TRUE(conn_->execute_script("CREATE TABLE t (n INTEGER)").ok());
  Connection* other = nullptr;
  std::thread worker([&] {
    other = *db_->connection();
    ASSERT_TRUE(other->execute("INSERT INTO t (n) VALUES ($1)", {7}).ok());
  });
  worker.join();
  EXPECT_NE(other, conn_);
  EXPECT_EQ(conn_->query_one("SELECT n FROM t")->integer(0), 7);
}

TEST_F(StoreTest, ConstraintViolationIsAConflict) {
  ASSERT_TRUE(conn_->execute_script("CREATE TABLE t (name TEXT UNIQUE)").ok());
  ASSERT_TRUE(conn_->execute("INSERT INTO t (name) VALUES ($1)", {"a"}).ok());
  auto again = conn_->execute("INSERT INTO t (name) VALUES ($1)", {"a"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
}

TEST_F(StoreTest, MigrationsApplyOnceInOrder) {
  std::vector<Migration> ms = {
      {1, "0001_a", "CREATE TABLE a (id ID_PRIMARY_KEY, v TEXT);"},
      {2, "0002_b", "CREATE TABLE b (id ID_PRIMARY_KEY); INSERT INTO a (v) VALUES ('x');"},
  };
  int applied = 0;
  ASSERT_TRUE(migrate(*db_, ms, &applied).ok());
  EXPECT_EQ(applied, 2);
  ASSERT_TRUE(migrate(*db_, ms, &applied).ok());
  EXPECT_EQ(applied, 0);
  EXPECT_EQ(*schema_version(*db_), 2);
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM a")->integer(0), 1);
}

TEST_F(StoreTest, FailedMigrationLeavesNothingHalfDone) {
  std::vector<Migration> ms = {
      {1, "0001_ok", "CREATE TABLE a (v TEXT);"},
      {2, "0002_bad", "CREATE TABLE b (v TEXT); INSERT INTO a (v) VALUES ('half'); THIS IS NOT SQL;"},
  };
  Status s = migrate(*db_, ms);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("0002_bad"), std::string::npos);
  EXPECT_EQ(*schema_version(*db_), 1);
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM a")->integer(0), 0);
  EXPECT_FALSE(conn_->query("SELECT * FROM b").ok());
}

TEST_F(StoreTest, BundledMigrationsBuildTheFoundationSchema) {
  ASSERT_FALSE(bundled_migrations().empty());
  EXPECT_EQ(bundled_migrations().front().version, 1);
  Status s = migrate(*db_, bundled_migrations());
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_TRUE(conn_->query("SELECT id, name FROM organisations").ok());
  EXPECT_TRUE(conn_->query("SELECT action FROM audit_log").ok());
}

TEST(OpenDatabase, UnwritablePlaceIsAClearError) {
  auto db = open_database("/proc/no-such-dir/x.db");
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("/proc/no-such-dir"), std::string::npos);
}

}  // namespace
}  // namespace coproduce::store
