// Backups taken while another thread goes on writing, restored into empty
// databases of both engines; a damaged backup refused by file and line.
#include "store/backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "store/temporary_database.h"

namespace coproduce::store {
namespace {

namespace fs = std::filesystem;

std::string test_name() {
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  for (char& c : name)
    if (c == '/') c = '-';
  return name;
}

int64_t count(Database& db, const std::string& sql) {
  auto r = db.connection().value()->query_one(sql);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? r->integer(0) : -1;
}

class BackupTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    for (TemporaryDatabase* db : {&source_, &sqlite_target_, &postgres_target_}) {
      if (db->engine_missing()) GTEST_SKIP() << db->status().to_string();
      ASSERT_TRUE(db->status().ok()) << db->status().to_string();
    }
    file_ = fs::temp_directory_path() / ("coproduce-backup-" + test_name() + "-" + std::to_string(::getpid()));
    fs::remove(file_);
    auto r = (*source_).connection().value()->execute(
        "INSERT INTO organisations (id, name, created_at) VALUES (1, 'Brightwater', 'x')", {});
    ASSERT_TRUE(r.ok());
  }
  void TearDown() override { fs::remove(file_); }

  TemporaryDatabase source_{"backup-source-" + test_name(), GetParam()};
  TemporaryDatabase sqlite_target_{"backup-to-sqlite-" + test_name(), Engine::kSqlite};
  TemporaryDatabase postgres_target_{"backup-to-postgres-" + test_name(), Engine::kPostgres};
  fs::path file_;
};

INSTANTIATE_TEST_SUITE_P(Engines, BackupTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& p) { return engine_name(p.param); });

TEST_P(BackupTest, ABackupTakenWhileWritesGoOnRestoresToAConsistentState) {
  // A writer adds people one at a time, each in its own transaction, from
  // before the backup starts until after it ends.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> written{0};
  Database& source = *source_;
  std::thread writer([&] {
    while (!stop) {
      Status s = in_write_transaction(source, [&](Connection& c) -> Status {
        auto r = c.execute(
            "INSERT INTO people (organisation_id, name, source, created_at, updated_at) VALUES (1, $1, 'staff', 'x', 'x')",
            {"Person " + std::to_string(written.load() + 1)});
        return r.ok() ? Status::Ok() : r.status();
      });
      if (s.ok()) ++written;
    }
  });
  while (written < 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::string location = GetParam() == Engine::kSqlite ? source_.location() : "";
  CopyReport taken;
  Status s = backup(source, location, file_.string(), &taken);
  int64_t at_end = written;
  while (written < at_end + 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  writer.join();
  ASSERT_TRUE(s.ok()) << s.to_string();
  ASSERT_TRUE(fs::exists(file_));
  // The same backup restores into either engine, as one consistent moment:
  // the people 1..n with no gap, n between when it began and ended.
  for (TemporaryDatabase* target : {&sqlite_target_, &postgres_target_}) {
    CopyReport restored;
    Status r = restore(file_.string(), **target, &restored);
    ASSERT_TRUE(r.ok()) << r.to_string();
    int64_t n = count(**target, "SELECT COUNT(*) FROM people");
    EXPECT_GE(n, 200);
    EXPECT_LE(n, written.load());
    EXPECT_EQ(count(**target, "SELECT MAX(id) FROM people"), n) << "a gap: not one consistent moment";
    EXPECT_EQ(count(**target, "SELECT COUNT(*) FROM organisations"), 1);
  }
  // A second backup to the same name is refused; the first is left alone.
  auto size = fs::file_size(file_);
  Status again = backup(source, location, file_.string());
  EXPECT_EQ(again.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(fs::file_size(file_), size);
}

TEST_P(BackupTest, ADamagedBackupIsRefusedByLineAndNothingIsWritten) {
  if (GetParam() == Engine::kSqlite) GTEST_SKIP() << "SQLite's own backups are database files";
  std::string location;
  ASSERT_TRUE(backup(*source_, location, file_.string()).ok());
  // Cut the file short, in the middle of its tables.
  std::string text;
  {
    std::ifstream in(file_);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(file_, std::ios::trunc) << text.substr(0, text.size() / 2) << "\n";
  Status r = restore(file_.string(), *sqlite_target_, nullptr);
  ASSERT_EQ(r.code(), StatusCode::kInvalidInput) << r.to_string();
  EXPECT_EQ(r.where().file, file_.string());
  EXPECT_GT(r.where().line, 1);
  EXPECT_EQ(count(*sqlite_target_, "SELECT COUNT(*) FROM organisations"), 0);
}

}  // namespace
}  // namespace coproduce::store
