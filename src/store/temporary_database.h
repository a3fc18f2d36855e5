// A real database, migrated to the current schema, for tests: an SQLite
// file removed with its WAL files when the object goes, or a fresh database
// on the test program's throwaway PostgreSQL server (temporary_postgres.h).
#ifndef COPRODUCE_STORE_TEMPORARY_DATABASE_H_
#define COPRODUCE_STORE_TEMPORARY_DATABASE_H_

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/migrations.h"
#include "store/temporary_postgres.h"

namespace coproduce::store {

enum class Engine { kSqlite, kPostgres };

inline std::string engine_name(Engine e) { return e == Engine::kSqlite ? "SQLite" : "PostgreSQL"; }

class TemporaryDatabase {
 public:
  // `name` keeps files of tests running at once apart (use the test's name).
  // For PostgreSQL, check engine_missing() first and skip the test when it
  // is true.
  explicit TemporaryDatabase(const std::string& name, Engine engine = Engine::kSqlite)
      : path_(std::filesystem::temp_directory_path() /
              ("coproduce-" + name + "-" + std::to_string(::getpid()) + ".db")) {
    std::string location = path_.string();
    if (engine == Engine::kPostgres) {
      path_.clear();
      if (!TemporaryPostgres::shared().available()) {
        engine_missing_ = true;
        status_ = Unavailable(TemporaryPostgres::shared().why_unavailable());
        return;
      }
      auto uri = TemporaryPostgres::shared().create_database(name);
      if (!uri.ok()) {
        status_ = uri.status();
        return;
      }
      location = *uri;
    }
    remove_files();
    location_ = location;
    auto opened = open_database(location);
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
  // True when the engine asked for is not installed here.
  bool engine_missing() const { return engine_missing_; }
  Database& operator*() { return *db_; }
  Database* operator->() { return db_.get(); }
  // What open_database was given: the SQLite file's path or the server's URI.
  const std::string& location() const { return location_; }

 private:
  void remove_files() {
    if (path_.empty()) return;
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + ext);
  }

  std::filesystem::path path_;
  std::string location_;
  std::unique_ptr<Database> db_;
  Status status_;
  bool engine_missing_ = false;
};

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_TEMPORARY_DATABASE_H_
