#include "store/sqlite_database.h"

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "store/sqlite_text_functions.h"

namespace coproduce::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;

Status sqlite_error(sqlite3* db, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
  if ((code & 0xff) == SQLITE_CONSTRAINT) return Conflict(msg);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) return Unavailable(msg);
  return Internal(msg);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  StatusOr<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) override {
    std::vector<Row> rows;
    std::function<Status(Row&&)> keep = [&rows](Row&& r) {
      rows.push_back(std::move(r));
      return Status::Ok();
    };
    Status s = run(sql, params, &keep);
    if (!s.ok()) return s;
    return rows;
  }

  Status query_each(std::string_view sql, const std::vector<Value>& params,
                    const std::function<Status(const Row&)>& visit) override {
    std::function<Status(Row&&)> pass = [&visit](Row&& r) { return visit(r); };
    return run(sql, params, &pass);
  }

  StatusOr<int64_t> execute(std::string_view sql, const std::vector<Value>& params) override {
    Status s = run(sql, params, nullptr);
    if (!s.ok()) return s;
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Status execute_script(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Internal("script failed: " + msg);
    }
    return Status::Ok();
  }

  Status begin(TransactionMode mode) override {
    // Writers take the write lock up front so two writers never deadlock
    // upgrading from read locks; the busy timeout then queues them.
    return simple(mode == TransactionMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  }
  Status commit() override { return simple("COMMIT"); }
  Status rollback() override { return simple("ROLLBACK"); }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }

 private:
  Status simple(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return sqlite_error(db_, sql);
    return Status::Ok();
  }

  StatusOr<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return sqlite_error(db_, "could not prepare statement");
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  Status bind(sqlite3_stmt* stmt, const std::vector<Value>& params) {
    int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return Internal("statement expects " + std::to_string(expected) + " parameters, got " +
                      std::to_string(params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      // Portable SQL uses $1..$n; SQLite sees them as named parameters.
      std::string name = "$" + std::to_string(i + 1);
      int idx = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (idx == 0) return Internal("statement has no parameter " + name);
      const Value& v = params[i];
      int rc;
      if (v.is_null()) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (v.is_integer()) {
        rc = sqlite3_bind_int64(stmt, idx, v.integer());
      } else if (v.is_real()) {
        rc = sqlite3_bind_double(stmt, idx, v.real());
      } else {
        std::string t = v.text();
        rc = sqlite3_bind_text(stmt, idx, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return sqlite_error(db_, "could not bind " + name);
    }
    return Status::Ok();
  }

  // Runs the statement, handing each row to `rows` when given (and stopping
  // at the first failed Status it returns).
  Status run(std::string_view sql, const std::vector<Value>& params, const std::function<Status(Row&&)>* rows) {
    auto prepared = prepare(sql);
    if (!prepared.ok()) return prepared.status();
    sqlite3_stmt* stmt = *prepared;
    // Reset whatever happens, so the cached statement holds no lock or row.
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};
    if (Status s = bind(stmt, params); !s.ok()) return s;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return sqlite_error(db_, "statement failed");
      if (!rows) continue;
      int n = sqlite3_column_count(stmt);
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: values.emplace_back(); break;
          case SQLITE_INTEGER: values.emplace_back(static_cast<long long>(sqlite3_column_int64(stmt, c))); break;
          case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            int len = sqlite3_column_bytes(stmt, c);
            values.emplace_back(std::string(text ? text : "", static_cast<size_t>(len)));
          }
        }
      }
      if (Status s = (*rows)(Row(std::move(values))); !s.ok()) return s;
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {
    dialect_ = {"sqlite", "INTEGER PRIMARY KEY"};
  }
  ~SqliteDatabase() override { close(); }

  const Dialect& dialect() const override { return dialect_; }

  StatusOr<Connection*> connection() override {
    std::lock_guard lock(mu_);
    auto id = std::this_thread::get_id();
    if (auto it = connections_.find(id); it != connections_.end()) return it->second.get();
    auto conn = open_connection();
    if (!conn.ok()) return conn.status();
    Connection* raw = conn->get();
    connections_.emplace(id, std::move(*conn));
    return raw;
  }

  void close() override {
    std::lock_guard lock(mu_);
    connections_.clear();
  }

  std::string describe() const override { return "sqlite"; }

  StatusOr<std::unique_ptr<Connection>> open_connection() {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path_.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      Status s = Unavailable("could not open the database at " + path_ + ": " +
                             (db ? sqlite3_errmsg(db) : "out of memory"));
      sqlite3_close_v2(db);
      return s;
    }
    auto conn = std::make_unique<SqliteConnection>(db);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    // mmap_size: read the file through a memory map (up to 1 GiB of it)
    // rather than copying each page read into SQLite's cache, which makes
    // reads of many pages (full-text search over a big library) cheaper.
    Status s = conn->execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        " PRAGMA mmap_size=1073741824;");
    if (!s.ok()) return Unavailable("could not set up the database at " + path_ + ": " + s.message());
    if (Status t = register_text_functions(db); !t.ok())
      return Unavailable("could not set up the database at " + path_ + ": " + t.message());
    return std::unique_ptr<Connection>(std::move(conn));
  }

 private:
  std::string path_;
  Dialect dialect_;
  std::mutex mu_;
  std::map<std::thread::id, std::unique_ptr<Connection>> connections_;
};

}  // namespace

StatusOr<std::unique_ptr<Database>> open_sqlite(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return Unavailable("could not create the folder " + parent.string() + ": " + ec.message());
  auto db = std::make_unique<SqliteDatabase>(path);
  // Open this thread's connection now so a bad path fails here, not later.
  auto conn = db->connection();
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace coproduce::store
