#include "store/postgres_database.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace coproduce::store {
namespace {

// Type OIDs (pg_type.h, stable across versions) of the columns read as
// integers or reals; every other type is read as text.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr const char* kWriterLock = kPostgresWriterLock;

enum class ColumnKind { kInteger, kBoolean, kReal, kText };

ColumnKind column_kind(Oid type) {
  switch (type) {
    case kInt8Oid:
    case kInt2Oid:
    case kInt4Oid:
    case kOidOid: return ColumnKind::kInteger;
    case kBoolOid: return ColumnKind::kBoolean;
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: return ColumnKind::kReal;
    default: return ColumnKind::kText;
  }
}

Value column_value(const PGresult* res, int row, int col, ColumnKind kind) {
  if (PQgetisnull(res, row, col)) return Value();
  const char* text = PQgetvalue(res, row, col);
  auto len = static_cast<size_t>(PQgetlength(res, row, col));
  switch (kind) {
    case ColumnKind::kInteger: {
      long long v = 0;
      std::from_chars(text, text + len, v);
      return Value(v);
    }
    case ColumnKind::kBoolean: return Value(text[0] == 't' ? 1 : 0);  // as SQLite gives them
    case ColumnKind::kReal: return Value(std::strtod(text, nullptr));
    case ColumnKind::kText: break;
  }
  return Value(std::string(text, len));
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool sqlstate_is(const PGresult* res, std::string_view prefix) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  return state && std::string_view(state).substr(0, prefix.size()) == prefix;
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(PGconn* conn, const PostgresOptions& options) : conn_(conn), options_(options) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // Sets the session up: the statement timeout, UTC and ISO dates.
  Status set_up() {
    std::string timeout = std::to_string(options_.statement_timeout.count());
    return simple("SET statement_timeout = " + timeout + "; SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'");
  }

  StatusOr<std::vector<Row>> query(std::string_view sql, const std::vector<Value>& params) override {
    std::vector<Row> rows;
    auto res = run(sql, params);
    if (!res.ok()) return res.status();
    PGresult* r = res->get();
    int n = PQntuples(r);
    int cols = PQnfields(r);
    std::vector<ColumnKind> kinds;
    for (int c = 0; c < cols; ++c) kinds.push_back(column_kind(PQftype(r, c)));
    rows.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) values.push_back(column_value(r, i, c, kinds[static_cast<size_t>(c)]));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  // Reads the rows one at a time (libpq's single-row mode), so a big result
  // is never held whole.
  Status query_each(std::string_view sql, const std::vector<Value>& params,
                    const std::function<Status(const Row&)>& visit) override {
    auto prepared = prepare(sql, params);
    if (!prepared.ok()) return prepared.status();
    auto texts = param_texts(params);
    if (!PQsendQueryPrepared(conn_, prepared->name.c_str(), static_cast<int>(params.size()), texts.pointers.data(),
                             nullptr, nullptr, 0)) {
      return connection_error("could not send the statement");
    }
    PQsetSingleRowMode(conn_);
    Status outcome = Status::Ok();
    std::vector<ColumnKind> kinds;
    // Every result is read, even after a failure, so the connection is
    // ready for the next statement.
    while (PGresult* raw = PQgetResult(conn_)) {
      Result r(raw);
      ExecStatusType st = PQresultStatus(raw);
      if (st == PGRES_SINGLE_TUPLE) {
        if (!outcome.ok()) continue;
        int cols = PQnfields(raw);
        if (kinds.empty())
          for (int c = 0; c < cols; ++c) kinds.push_back(column_kind(PQftype(raw, c)));
        std::vector<Value> values;
        values.reserve(static_cast<size_t>(cols));
        for (int c = 0; c < cols; ++c) values.push_back(column_value(raw, 0, c, kinds[static_cast<size_t>(c)]));
        outcome = visit(Row(std::move(values)));
      } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && outcome.ok()) {
        outcome = result_error(raw, "statement failed");
      }
    }
    return outcome;
  }

  StatusOr<int64_t> execute(std::string_view sql, const std::vector<Value>& params) override {
    auto res = run(sql, params);
    if (!res.ok()) return res.status();
    const char* changed = PQcmdTuples(res->get());
    int64_t n = 0;
    if (changed && *changed) std::from_chars(changed, changed + std::char_traits<char>::length(changed), n);
    return n;
  }

  Status execute_script(std::string_view sql) override {
    if (Status s = reconnect_if_lost(); !s.ok()) return s;
    return simple(std::string(sql), "script failed");
  }

  Status begin(TransactionMode mode) override {
    if (Status s = reconnect_if_lost(); !s.ok()) return s;
    retryable_ = false;
    // One writer at a time, in every process, as SQLite's BEGIN IMMEDIATE
    // has it: a write transaction first takes one transaction-scoped
    // advisory lock, then each statement reads what is committed (READ
    // COMMITTED), so every check-then-write written for SQLite stays
    // correct. Readers read one snapshot and wait for nobody.
    const std::string sql = mode == TransactionMode::kWrite
                                ? std::string("BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(") +
                                      kWriterLock + ")"
                                : std::string("BEGIN ISOLATION LEVEL REPEATABLE READ");
    Status s = simple(sql);
    // A connection whose server restarted since its last use looks open
    // until it is used. Nothing had begun, so it is opened again and the
    // transaction begun once more: the first write after a restart succeeds.
    if (!s.ok() && PQstatus(conn_) != CONNECTION_OK) {
      if (Status r = reconnect_if_lost(); !r.ok()) return r;
      s = simple(sql);
    }
    if (s.ok()) transaction_ = true;
    else if (PQtransactionStatus(conn_) != PQTRANS_IDLE && PQstatus(conn_) == CONNECTION_OK) (void)simple("ROLLBACK");
    return s;
  }
  Status commit() override {
    transaction_ = false;
    return simple("COMMIT");
  }
  Status rollback() override {
    transaction_ = false;
    // A connection the server dropped took its transaction with it.
    if (PQstatus(conn_) != CONNECTION_OK) return Status::Ok();
    return simple("ROLLBACK");
  }
  // Ours, not libpq's: a connection lost mid-transaction must not be opened
  // again (and its statements run one by one) until the caller rolls back.
  bool in_transaction() const override {
    PGTransactionStatusType st = PQtransactionStatus(conn_);
    return transaction_ || st == PQTRANS_INTRANS || st == PQTRANS_INERROR || st == PQTRANS_ACTIVE;
  }
  bool retryable_failure() const override { return retryable_; }

  // Rolls back a transaction a thread left open when it ended.
  void reset_for_reuse() {
    if (PQstatus(conn_) == CONNECTION_OK && in_transaction()) (void)rollback();
  }

 private:
  struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  using Result = std::unique_ptr<PGresult, ResultDeleter>;

  struct Prepared {
    std::string name;
    int params = 0;
  };

  struct ParamTexts {
    std::vector<std::string> texts;
    std::vector<const char*> pointers;
  };

  static ParamTexts param_texts(const std::vector<Value>& params) {
    ParamTexts out;
    out.texts.reserve(params.size());
    for (const Value& v : params) out.texts.push_back(v.text());
    for (size_t i = 0; i < params.size(); ++i)
      out.pointers.push_back(params[i].is_null() ? nullptr : out.texts[i].c_str());
    return out;
  }

  Status connection_error(std::string_view what) {
    return Unavailable(std::string(what) + ": " + trimmed(PQerrorMessage(conn_)));
  }

  Status result_error(const PGresult* res, std::string_view what) {
    std::string msg = std::string(what) + ": " + trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    if (res == nullptr || PQstatus(conn_) == CONNECTION_BAD || sqlstate_is(res, "08") || sqlstate_is(res, "57P"))
      return Unavailable(msg);
    if (sqlstate_is(res, "40001") || sqlstate_is(res, "40P01")) {
      retryable_ = true;
      return Conflict(msg);
    }
    if (sqlstate_is(res, "23")) return Conflict(msg);
    if (sqlstate_is(res, "57014") || sqlstate_is(res, "53")) return Unavailable(msg);
    return Internal(msg);
  }

  // Runs `sql` as a simple query (several statements allowed, no parameters).
  Status simple(const std::string& sql, std::string_view what = {}) {
    Result res(PQexec(conn_, sql.c_str()));
    ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return result_error(res.get(), what.empty() ? sql : what);
    return Status::Ok();
  }

  // A server that restarted leaves this connection broken: open it again
  // when no transaction was under way (one that was is lost, and the
  // statement fails).
  Status reconnect_if_lost() {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    if (transaction_) return Unavailable("the connection to PostgreSQL was lost during a transaction");
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) return connection_error("the connection to PostgreSQL was lost");
    cache_.clear();
    return set_up();
  }

  StatusOr<Prepared> prepare(std::string_view sql, const std::vector<Value>& params) {
    if (!in_transaction())
      if (Status s = reconnect_if_lost(); !s.ok()) return s;
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) {
      if (it->second.params != static_cast<int>(params.size())) return wrong_count(it->second.params, params.size());
      return it->second;
    }
    Prepared p{"coproduce_" + std::to_string(++statements_), 0};
    // A failed PREPARE would spoil the transaction around it, so it is
    // tried inside a savepoint there.
    bool guarded = in_transaction();
    if (guarded)
      if (Status s = simple("SAVEPOINT coproduce_prepare"); !s.ok()) return s;
    Result res(PQprepare(conn_, p.name.c_str(), key.c_str(), 0, nullptr));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK &&
        (sqlstate_is(res.get(), "42P18") || sqlstate_is(res.get(), "42725"))) {
      // The server could not tell a parameter's type from where it stands
      // ("$1 IS NULL", "$1 + $2"): give the types of the values bound.
      if (guarded) (void)simple("ROLLBACK TO SAVEPOINT coproduce_prepare");
      std::vector<Oid> types;
      for (const Value& v : params) types.push_back(v.is_integer() ? kInt8Oid : v.is_real() ? kFloat8Oid : kTextOid);
      res.reset(PQprepare(conn_, p.name.c_str(), key.c_str(), static_cast<int>(types.size()), types.data()));
    }
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      Status failed = result_error(res.get(), "could not prepare statement");
      if (guarded) (void)simple("ROLLBACK TO SAVEPOINT coproduce_prepare");
      return failed;
    }
    Result described(PQdescribePrepared(conn_, p.name.c_str()));
    if (PQresultStatus(described.get()) != PGRES_COMMAND_OK)
      return result_error(described.get(), "could not describe statement");
    p.params = PQnparams(described.get());
    if (guarded)
      if (Status s = simple("RELEASE SAVEPOINT coproduce_prepare"); !s.ok()) return s;
    cache_.emplace(std::move(key), p);
    if (p.params != static_cast<int>(params.size())) return wrong_count(p.params, params.size());
    return p;
  }

  static Status wrong_count(int expected, size_t got) {
    return Internal("statement expects " + std::to_string(expected) + " parameters, got " + std::to_string(got));
  }

  // A write outside a transaction takes the writers' lock too, as in
  // SQLite, so it cannot slip between another writer's check and write.
  StatusOr<Result> run(std::string_view sql, const std::vector<Value>& params) {
    if (in_transaction()) return run_prepared(sql, params);
    if (!is_write(sql)) {
      auto res = run_prepared(sql, params);
      // A read on a connection the server dropped (it restarted) is run
      // again on a new one, so the first request after a restart succeeds.
      if (!res.ok() && PQstatus(conn_) != CONNECTION_OK) res = run_prepared(sql, params);
      return res;
    }
    if (Status s = begin(TransactionMode::kWrite); !s.ok()) return s;
    auto res = run_prepared(sql, params);
    Status end = res.ok() ? commit() : rollback();
    if (!res.ok()) return res.status();
    if (!end.ok()) return end;
    return res;
  }

  static bool is_write(std::string_view sql) {
    size_t i = sql.find_first_not_of(" \t\r\n(");
    if (i == std::string_view::npos) return false;
    std::string word;
    for (; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])); ++i)
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
    return word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "MERGE";
  }

  StatusOr<Result> run_prepared(std::string_view sql, const std::vector<Value>& params) {
    auto prepared = prepare(sql, params);
    if (!prepared.ok()) return prepared.status();
    auto texts = param_texts(params);
    Result res(PQexecPrepared(conn_, prepared->name.c_str(), static_cast<int>(params.size()), texts.pointers.data(),
                              nullptr, nullptr, 0));
    ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return result_error(res.get(), "statement failed");
    return res;
  }

  PGconn* conn_;
  PostgresOptions options_;
  std::unordered_map<std::string, Prepared> cache_;
  int64_t statements_ = 0;
  bool retryable_ = false;
  bool transaction_ = false;
};

// The connections of one Database. Threads hold theirs until they end; a
// thread_local list gives them back then.
class Pool : public std::enable_shared_from_this<Pool> {
 public:
  Pool(std::string conninfo, PostgresOptions options) : conninfo_(std::move(conninfo)), options_(options) {}

  StatusOr<Connection*> acquire();
  void release(std::thread::id thread);
  void close() {
    std::lock_guard lock(mu_);
    taken_.clear();
    idle_.clear();
  }

  StatusOr<std::unique_ptr<PostgresConnection>> open() const {
    // connect_timeout comes first so the URI's own overrides it.
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"10", "coproduce", conninfo_.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (conn == nullptr) return Unavailable("could not connect to PostgreSQL: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string reason = trimmed(PQerrorMessage(conn));
      PQfinish(conn);
      return Unavailable("could not connect to PostgreSQL at " + redact_postgres_uri(conninfo_) + ": " + reason);
    }
    // Notices ("relation already exists, skipping") are not for the person
    // running the program; libpq would print them on stderr.
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    auto c = std::make_unique<PostgresConnection>(conn, options_);
    if (Status s = c->set_up(); !s.ok()) return Unavailable("could not set up the PostgreSQL connection: " + s.message());
    return c;
  }

 private:
  std::string conninfo_;
  PostgresOptions options_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::map<std::thread::id, std::unique_ptr<PostgresConnection>> taken_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
  int opening_ = 0;
};

// Gives a thread's connections back to their pools when the thread ends.
struct ThreadConnections {
  std::vector<std::weak_ptr<Pool>> pools;
  ~ThreadConnections() {
    for (auto& weak : pools)
      if (auto pool = weak.lock()) pool->release(std::this_thread::get_id());
  }
};
thread_local ThreadConnections t_connections;

StatusOr<Connection*> Pool::acquire() {
  auto id = std::this_thread::get_id();
  std::unique_lock lock(mu_);
  if (auto it = taken_.find(id); it != taken_.end()) return it->second.get();
  auto has_room = [&] {
    return !idle_.empty() || static_cast<int>(taken_.size()) + opening_ < options_.max_connections;
  };
  if (!freed_.wait_for(lock, options_.connection_wait, has_room)) {
    return Unavailable("all " + std::to_string(options_.max_connections) +
                       " PostgreSQL connections of this process are in use");
  }
  std::unique_ptr<PostgresConnection> conn;
  if (!idle_.empty()) {
    conn = std::move(idle_.back());
    idle_.pop_back();
  } else {
    ++opening_;
    lock.unlock();
    auto opened = open();
    lock.lock();
    --opening_;
    if (!opened.ok()) {
      freed_.notify_one();
      return opened.status();
    }
    conn = std::move(*opened);
  }
  Connection* raw = conn.get();
  taken_.emplace(id, std::move(conn));
  lock.unlock();
  auto& pools = t_connections.pools;
  pools.erase(std::remove_if(pools.begin(), pools.end(), [](const auto& w) { return w.expired(); }), pools.end());
  pools.push_back(weak_from_this());
  return raw;
}

void Pool::release(std::thread::id thread) {
  std::lock_guard lock(mu_);
  auto it = taken_.find(thread);
  if (it == taken_.end()) return;
  it->second->reset_for_reuse();
  idle_.push_back(std::move(it->second));
  taken_.erase(it);
  freed_.notify_one();
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string conninfo, PostgresOptions options)
      : pool_(std::make_shared<Pool>(conninfo, options)), description_("postgresql") {
    dialect_ = {"postgresql", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"};
  }
  ~PostgresDatabase() override { close(); }

  const Dialect& dialect() const override { return dialect_; }
  StatusOr<Connection*> connection() override { return pool_->acquire(); }
  void close() override { pool_->close(); }
  std::string describe() const override { return description_; }

 private:
  std::shared_ptr<Pool> pool_;
  Dialect dialect_;
  std::string description_;
};

// Splits "a=1&b=2" into its pairs.
std::vector<std::pair<std::string, std::string>> query_pairs(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    out.emplace_back(std::string(pair.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return out;
}

}  // namespace

bool is_postgres_location(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

StatusOr<std::string> take_postgres_options(const std::string& uri, PostgresOptions* options) {
  size_t q = uri.find('?');
  if (q == std::string::npos) return uri;
  std::string kept;
  for (auto& [key, value] : query_pairs(std::string_view(uri).substr(q + 1))) {
    if (key == "pool_size" || key == "statement_timeout") {
      int n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 1)
        return InvalidInput("the database URI's " + key + " must be a whole number above 0, not '" + value + "'");
      if (key == "pool_size")
        options->max_connections = n;
      else
        options->statement_timeout = std::chrono::milliseconds(n);
      continue;
    }
    kept += (kept.empty() ? "" : "&") + key + (value.empty() ? "" : "=" + value);
  }
  return uri.substr(0, q) + (kept.empty() ? "" : "?" + kept);
}

std::string redact_postgres_uri(const std::string& uri) {
  std::string out = uri;
  // postgresql://user:secret@host → postgresql://user:***@host
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t at = out.find('@', start);
    size_t slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ...?password=secret&... → password=***
  for (size_t pos = out.find("password="); pos != std::string::npos; pos = out.find("password=", pos + 1)) {
    size_t start = pos + 9;
    size_t end = out.find('&', start);
    out.replace(start, (end == std::string::npos ? out.size() : end) - start, "***");
  }
  return out;
}

StatusOr<std::unique_ptr<Database>> open_postgres(const std::string& uri, PostgresOptions options) {
  auto db = std::make_unique<PostgresDatabase>(uri, options);
  auto conn = db->connection();
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace coproduce::store
