// The store's engine-neutral database interface.
//
// Domain modules write portable SQL with $1..$n placeholders and run it
// through a Connection; nothing outside src/store knows which engine runs it.
// A Database hands each thread its own Connection (engines such as SQLite
// are not safe to share across threads without locking).
#ifndef COPRODUCE_STORE_DATABASE_H_
#define COPRODUCE_STORE_DATABASE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/status.h"

namespace coproduce::store {

// A bound parameter or a column value: NULL, integer, real or text.
class Value {
 public:
  Value() = default;
  Value(std::nullptr_t) {}                      // NOLINT: implicit by design
  Value(int v) : v_(static_cast<int64_t>(v)) {} // NOLINT
  Value(long v) : v_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(long long v) : v_(static_cast<int64_t>(v)) {}  // NOLINT
  Value(double v) : v_(v) {}                    // NOLINT
  Value(std::string v) : v_(std::move(v)) {}    // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  Value(const char* v) : v_(std::string(v)) {}  // NOLINT
  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT
    if (v) *this = Value(*v);
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_integer() const { return std::holds_alternative<int64_t>(v_); }
  bool is_real() const { return std::holds_alternative<double>(v_); }
  bool is_text() const { return std::holds_alternative<std::string>(v_); }
  int64_t integer() const;     // integers as is, reals truncated, text parsed, NULL 0
  double real() const;         // reals as is, integers converted, NULL 0
  std::string text() const;    // text as is, numbers formatted, NULL ""

 private:
  std::variant<std::monostate, int64_t, double, std::string> v_;
};

// One result row; columns are addressed by position in the SELECT list.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool is_null(size_t i) const { return at(i).is_null(); }
  int64_t integer(size_t i) const { return at(i).integer(); }
  double real(size_t i) const { return at(i).real(); }
  std::string text(size_t i) const { return at(i).text(); }
  std::optional<std::string> optional_text(size_t i) const {
    if (is_null(i)) return std::nullopt;
    return text(i);
  }
  const Value& at(size_t i) const;

 private:
  std::vector<Value> values_;
};

using Params = std::initializer_list<Value>;

enum class TransactionMode { kRead, kWrite };

// A connection to the database, used by one thread at a time.
// Prepared statements are cached per connection and reset after each use.
class Connection {
 public:
  virtual ~Connection() = default;

  // Runs a statement that returns rows (SELECT, or INSERT ... RETURNING).
  virtual StatusOr<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) = 0;
  // Runs a SELECT and hands each row to `visit` as it is read, without
  // keeping them all, for results too big to hold twice (coverage reads a
  // million completions). Stops at the first failed Status `visit` returns
  // and returns it. This default reads every row first; engines override it
  // to stream.
  virtual Status query_each(std::string_view sql, const std::vector<Value>& params,
                            const std::function<Status(const Row&)>& visit) {
    auto rows = query(sql, params);
    if (!rows.ok()) return rows.status();
    for (const Row& r : *rows)
      if (Status s = visit(r); !s.ok()) return s;
    return Status::Ok();
  }
  // Runs a statement and returns how many rows it changed.
  virtual StatusOr<int64_t> execute(std::string_view sql, const std::vector<Value>& params) = 0;
  // Runs several semicolon-separated statements with no parameters (migrations).
  virtual Status execute_script(std::string_view sql) = 0;

  virtual Status begin(TransactionMode mode) = 0;
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  virtual bool in_transaction() const = 0;
  // Whether the transaction begun last failed because a concurrent one won
  // (PostgreSQL: a serialization failure or deadlock, SQLSTATE 40001 or
  // 40P01), so that running it again from the start may succeed. Cleared by
  // begin(). SQLite, with one writer at a time, never says so.
  virtual bool retryable_failure() const { return false; }

  // Convenience forms taking a braced list: conn.query(sql, {id, name}).
  StatusOr<std::vector<Row>> query(std::string_view sql, Params params = {}) {
    return query(sql, std::vector<Value>(params));
  }
  StatusOr<int64_t> execute(std::string_view sql, Params params = {}) {
    return execute(sql, std::vector<Value>(params));
  }
  // The first row, or NotFound when there is none.
  StatusOr<Row> query_one(std::string_view sql, Params params = {}) {
    return query_one(sql, std::vector<Value>(params));
  }
  StatusOr<Row> query_one(std::string_view sql, const std::vector<Value>& params);
};

// A transaction that rolls back unless committed. Move-only.
class Transaction {
 public:
  // Starts a transaction; check status() before using it.
  Transaction(Connection& conn, TransactionMode mode);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Status& status() const { return status_; }
  Status commit();

 private:
  Connection* conn_;
  Status status_;
  bool open_ = false;
};

// How many times in_write_transaction runs a transaction that keeps losing
// to concurrent ones before it gives up and returns the failure.
inline constexpr int kMaxTransactionAttempts = 5;

// Runs `work(conn)` inside a write transaction on this thread's connection
// and commits when it succeeds; otherwise rolls back and returns its failure.
// `work` returns a Status or a StatusOr<T>, and so does this. When the
// transaction fails because a concurrent one won (retryable_failure()), it is
// rolled back and run again, up to kMaxTransactionAttempts times in all, so
// `work` must do nothing outside the database that cannot be done twice.
//   Status s = in_write_transaction(db, [&](Connection& c) -> Status { ... });
template <typename Work>
auto in_write_transaction(class Database& db, Work&& work) -> std::invoke_result_t<Work, Connection&>;

// The engine-specific words that portable SQL cannot avoid.
struct Dialect {
  std::string name;             // "sqlite", "postgresql"
  std::string id_primary_key;   // replaces the token ID_PRIMARY_KEY in migrations
};

// A database: hands out connections and knows its dialect. Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  virtual const Dialect& dialect() const = 0;
  // This thread's connection, opened on first use; it lives until close().
  virtual StatusOr<Connection*> connection() = 0;
  // Closes every connection. No connection may be in use.
  virtual void close() = 0;
  // A short description for health checks, with no secrets in it.
  virtual std::string describe() const = 0;
};

template <typename Work>
auto in_write_transaction(Database& db, Work&& work) -> std::invoke_result_t<Work, Connection&> {
  using Result = std::invoke_result_t<Work, Connection&>;
  auto conn = db.connection();
  if (!conn.ok()) return Result(conn.status());
  for (int attempt = 1;; ++attempt) {
    Result result = [&]() -> Result {
      Transaction tx(**conn, TransactionMode::kWrite);
      if (!tx.status().ok()) return Result(tx.status());
      Result r = work(**conn);
      if (!r.ok()) return r;
      if (Status s = tx.commit(); !s.ok()) return Result(s);
      return r;
    }();
    if (result.ok() || attempt >= kMaxTransactionAttempts || !(*conn)->retryable_failure()) return result;
    // A short pause, longer each time, lets the winner finish.
    std::this_thread::sleep_for(std::chrono::milliseconds(1 << attempt));
  }
}

// Opens the database named by `location`: a PostgreSQL connection URI when
// it starts with postgresql:// or postgres:// (postgres_database.h, which
// also reads the pool_size and statement_timeout options from it), otherwise
// the path of an SQLite file, created with its folder if needed. This is the
// one place the program chooses the engine.
StatusOr<std::unique_ptr<Database>> open_database(const std::string& location);

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_DATABASE_H_
