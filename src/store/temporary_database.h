// A real SQLite database in a temporary file, migrated to the current
// schema, for tests: removed with its WAL files when the object goes.
#ifndef COPRODUCE_STORE_TEMPORARY_DATABASE_H_
#define COPRODUCE_STORE_TEMPORARY_DATABASE_H_

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/migrations.h"

namespace coproduce::store {

class TemporaryDatabase {
 public:
  // `name` keeps files of tests running at once apart (use the test's name).
  explicit TemporaryDatabase(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("coproduce-" + name + "-" + std::to_string(::getpid()) + ".db")) {
    remove_files();
    auto opened = open_database(path_.string());
    if (opened.ok()) db_ = std::move(*opened);
    if (db_) status_ = migrate(*db_, bundled_migrations());
    else status_ = opened.status();
  }
  ~TemporaryDatabase() {
    db_.reset();
    remove_files();
  }
  TemporaryDatabase(const TemporaryDatabase&) = delete;
  TemporaryDatabase& operator=(const TemporaryDatabase&) = delete;

  // Ok when the database opened and migrated; check it with ASSERT_TRUE.
  const Status& status() const { return status_; }
  Database& operator*() { return *db_; }
  Database* operator->() { return db_.get(); }

 private:
  void remove_files() {
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + ext);
  }

  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
  Status status_;
};

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_TEMPORARY_DATABASE_H_
