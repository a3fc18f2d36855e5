// For the tests only: a fresh SQLite store for a collection test, migrated,
// with organisations 1 (Org A) and 2 (Org B) and user 1, a co-production
// lead of Org A. The file is named after the running test and removed
// afterwards.
#ifndef COPRODUCE_COLLECTION_TEST_STORE_H_
#define COPRODUCE_COLLECTION_TEST_STORE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "security/crypto.h"
#include "store/database.h"
#include "store/migrations.h"

namespace coproduce::collection {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::init_crypto().ok());
    path_ = std::filesystem::temp_directory_path() /
            ("coproduce-collection-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    db_ = *store::open_database(path_.string());
    ASSERT_TRUE(store::migrate(*db_, store::bundled_migrations()).ok());
    conn_ = *db_->connection();
    ASSERT_TRUE(conn_->execute("INSERT INTO organisations (name, created_at) VALUES ('Org A', 'x')").ok());
    ASSERT_TRUE(conn_->execute("INSERT INTO organisations (name, created_at) VALUES ('Org B', 'x')").ok());
    ASSERT_TRUE(conn_->execute("INSERT INTO users (organisation_id, email, role, created_at)"
                               " VALUES (1, 'lead@example.org', 'coproduction-lead', 'x')")
                    .ok());
  }
  void TearDown() override {
    db_.reset();
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + ext);
  }

  std::filesystem::path path_;
  std::unique_ptr<store::Database> db_;
  store::Connection* conn_ = nullptr;
};

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_TEST_STORE_H_
