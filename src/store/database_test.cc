#include "store/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <thread>

#include "store/migrations.h"
#include "store/postgres_database.h"
#include "store/temporary_database.h"
#include "store/temporary_postgres.h"

namespace coproduce::store {
namespace {

// Every test of StoreTest runs against SQLite and again against PostgreSQL
// (a throwaway server: temporary_postgres.h). Each gets an empty database.
class StoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (GetParam() == Engine::kPostgres) {
      TemporaryPostgres& pg = TemporaryPostgres::shared();
      if (!pg.available()) GTEST_SKIP() << pg.why_unavailable();
      auto uri = pg.create_database("store_" + name);
      ASSERT_TRUE(uri.ok()) << uri.status().to_string();
      uri_ = *uri;
      auto db = open_database(uri_);
      ASSERT_TRUE(db.ok()) << db.status().to_string();
      db_ = std::move(*db);
    } else {
      for (char& ch : name)
        if (ch == '/') ch = '_';
      dir_ = std::filesystem::temp_directory_path() / ("coproduce-store-" + std::to_string(::getpid()) + "-" + name);
      std::filesystem::remove_all(dir_);
      auto db = open_database((dir_ / "nested" / "test.db").string());
      ASSERT_TRUE(db.ok()) << db.status().to_string();
      db_ = std::move(*db);
    }
    conn_ = *db_->connection();
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  bool postgres() const { return GetParam() == Engine::kPostgres; }
  // Portable DDL as a migration writes it (ID_PRIMARY_KEY, INTEGER).
  Status create(const std::string& ddl) { return conn_->execute_script(for_dialect(ddl, db_->dialect())); }

  std::filesystem::path dir_;
  std::string uri_;
  std::unique_ptr<Database> db_;
  Connection* conn_ = nullptr;
};

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& p) { return engine_name(p.param); });

TEST_P(StoreTest, BindsDollarParametersAndReturnsTypedRows) {
  ASSERT_TRUE(create("CREATE TABLE t (id ID_PRIMARY_KEY, name TEXT, score REAL, n INTEGER)").ok());
  auto ins = conn_->query("INSERT INTO t (name, score, n) VALUES ($1, $2, $3) RETURNING id", {"Ada", 2.5, nullptr});
  ASSERT_TRUE(ins.ok()) << ins.status().to_string();
  ASSERT_EQ(ins->size(), 1u);
  int64_t id = (*ins)[0].integer(0);
  auto row = conn_->query_one("SELECT name, score, n FROM t WHERE id = $1", {id});
  ASSERT_TRUE(row.ok()) << row.status().to_string();
  EXPECT_EQ(row->text(0), "Ada");
  EXPECT_DOUBLE_EQ(row->real(1), 2.5);
  EXPECT_TRUE(row->is_null(2));
  EXPECT_FALSE(row->optional_text(2).has_value());
}

TEST_P(StoreTest, HostileTextIsStoredAsDataNotRunAsSql) {
  ASSERT_TRUE(conn_->execute_script("CREATE TABLE t (name TEXT)").ok());
  std::string evil = "x'); DROP TABLE t; --";
  ASSERT_TRUE(conn_->execute("INSERT INTO t (name) VALUES ($1)", {evil}).ok());
  auto row = conn_->query_one("SELECT name FROM t");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->text(0), evil);
}

TEST_P(StoreTest, WrongParameterCountIsAnErrorNotACrash) {
  auto r = conn_->query("SELECT $1 + $2", {1});
  EXPECT_FALSE(r.ok());
}

TEST_P(StoreTest, TransactionRollsBackUnlessCommitted) {
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

TEST_P(StoreTest, EachThreadGetsItsOwnConnectionAndSeesCommittedData) {
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

TEST_P(StoreTest, ConstraintViolationIsAConflict) {
  ASSERT_TRUE(conn_->execute_script("CREATE TABLE t (name TEXT UNIQUE)").ok());
  ASSERT_TRUE(conn_->execute("INSERT INTO t (name) VALUES ($1)", {"a"}).ok());
  auto again = conn_->execute("INSERT INTO t (name) VALUES ($1)", {"a"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
}

TEST_P(StoreTest, MigrationsApplyOnceInOrder) {
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

TEST_P(StoreTest, FailedMigrationLeavesNothingHalfDone) {
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

TEST_P(StoreTest, BundledMigrationsBuildTheFoundationSchema) {
  ASSERT_FALSE(bundled_migrations().empty());
  EXPECT_EQ(bundled_migrations().front().version, 1);
  Status s = migrate(*db_, bundled_migrations());
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_TRUE(conn_->query("SELECT id, name FROM organisations").ok());
  EXPECT_TRUE(conn_->query("SELECT action FROM audit_log").ok());
}

TEST_P(StoreTest, ValuesRoundTripWithTheirTypes) {
  ASSERT_TRUE(create("CREATE TABLE v (id ID_PRIMARY_KEY, big INTEGER, r REAL, d DOUBLE PRECISION, t TEXT,"
                     " b BIGINT)")
                  .ok());
  const int64_t big = (int64_t{1} << 40) + 7;  // more than 32 bits: INTEGER holds 64 on both
  const std::string text = "Café — \"quoted\" 'single' \\ ☃";
  auto ins = conn_->query("INSERT INTO v (big, r, d, t, b) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                          {big, 0.1, -1.5e300, text, nullptr});
  ASSERT_TRUE(ins.ok()) << ins.status().to_string();
  auto row = conn_->query_one("SELECT big, r, d, t, b, id FROM v WHERE id = $1", {(*ins)[0].integer(0)});
  ASSERT_TRUE(row.ok()) << row.status().to_string();
  EXPECT_TRUE(row->at(0).is_integer());
  EXPECT_EQ(row->integer(0), big);
  EXPECT_TRUE(row->at(1).is_real());
  EXPECT_EQ(row->real(1), 0.1) << "a double survives exactly";
  EXPECT_EQ(row->real(2), -1.5e300);
  EXPECT_TRUE(row->at(3).is_text());
  EXPECT_EQ(row->text(3), text);
  EXPECT_TRUE(row->is_null(4));
  EXPECT_TRUE(row->at(5).is_integer());
  // Counts, sums and comparisons come back as numbers, as SQLite gives them.
  auto agg = conn_->query_one("SELECT COUNT(*), SUM(big), 1 = 1, 2 < 1, AVG(r) FROM v");
  ASSERT_TRUE(agg.ok()) << agg.status().to_string();
  EXPECT_EQ(agg->integer(0), 1);
  EXPECT_EQ(agg->integer(1), big);
  EXPECT_EQ(agg->integer(2), 1);
  EXPECT_EQ(agg->integer(3), 0);
  EXPECT_DOUBLE_EQ(agg->real(4), 0.1);
}

TEST_P(StoreTest, ReturningGivesEachNewId) {
  ASSERT_TRUE(create("CREATE TABLE r (id ID_PRIMARY_KEY, name TEXT NOT NULL)").ok());
  int64_t first = (*conn_->query("INSERT INTO r (name) VALUES ($1) RETURNING id", {"a"}))[0].integer(0);
  int64_t second = (*conn_->query("INSERT INTO r (name) VALUES ($1) RETURNING id", {"b"}))[0].integer(0);
  EXPECT_GT(first, 0);
  EXPECT_GT(second, first);
  auto changed = conn_->execute("UPDATE r SET name = $1 WHERE id >= $2", {"c", first});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 2);
}

TEST_P(StoreTest, ParametersWithNoTypeToInferAreTakenFromTheValues) {
  auto row = conn_->query_one("SELECT $1 + $2, $3 IS NULL", {1, 2, nullptr});
  ASSERT_TRUE(row.ok()) << row.status().to_string();
  EXPECT_EQ(row->integer(0), 3);
  EXPECT_EQ(row->integer(1), 1);
}

TEST_P(StoreTest, AStatementThatFailsToPrepareLeavesTheTransactionUsable) {
  ASSERT_TRUE(create("CREATE TABLE t (n INTEGER)").ok());
  Transaction tx(*conn_, TransactionMode::kWrite);
  ASSERT_TRUE(tx.status().ok());
  ASSERT_TRUE(conn_->execute("INSERT INTO t (n) VALUES ($1)", {1}).ok());
  EXPECT_FALSE(conn_->query("SELECT no_such_column FROM t").ok());
  ASSERT_TRUE(conn_->execute("INSERT INTO t (n) VALUES ($1)", {2}).ok());
  ASSERT_TRUE(tx.commit().ok());
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM t")->integer(0), 2);
}

TEST_P(StoreTest, QueryEachStreamsRowsAndStopsAtTheFirstFailure) {
  ASSERT_TRUE(create("CREATE TABLE t (n INTEGER)").ok());
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(conn_->execute("INSERT INTO t (n) VALUES ($1)", {i}).ok());
  int64_t sum = 0;
  Status s = conn_->query_each("SELECT n FROM t ORDER BY n", {}, [&](const Row& r) {
    sum += r.integer(0);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(sum, 15);
  int seen = 0;
  s = conn_->query_each("SELECT n FROM t ORDER BY n", {}, [&](const Row& r) {
    ++seen;
    return r.integer(0) == 2 ? InvalidInput("stop") : Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM t")->integer(0), 5) << "the connection is ready again";
}

TEST_P(StoreTest, BundledMigrationsApplyOnceAndAgainDoNothing) {
  int applied = 0;
  Status s = migrate(*db_, bundled_migrations(), &applied);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(applied, static_cast<int>(bundled_migrations().size()));
  s = migrate(*db_, bundled_migrations(), &applied);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(applied, 0);
  EXPECT_EQ(*schema_version(*db_), bundled_migrations().back().version);
  // Ids are numbered by the engine, and INTEGER columns hold 64 bits.
  auto org = conn_->query("INSERT INTO organisations (name, fictional, created_at) VALUES ($1, $2, $3) RETURNING id",
                          {"Test council", 1, "2026-12-06T00:00:00Z"});
  ASSERT_TRUE(org.ok()) << org.status().to_string();
  EXPECT_GT((*org)[0].integer(0), 0);
  auto big = conn_->execute("UPDATE organisations SET fictional = $1", {int64_t{1} << 40});
  EXPECT_TRUE(big.ok()) << big.status().to_string();
}

// Writers run one at a time on both engines, so a check-then-write in a
// write transaction (a rate limit, a response cap) lets in exactly as many
// as the limit, however many try at once.
TEST_P(StoreTest, ConcurrentCheckThenWriteLetsExactlyTheLimitIn) {
  ASSERT_TRUE(create("CREATE TABLE places (who INTEGER)").ok());
  constexpr int kTries = 6, kLimit = 3;
  std::atomic<int> taken = 0, refused = 0, failed = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kTries; ++i) {
    threads.emplace_back([&, i] {
      Connection* c = *db_->connection();
      Transaction tx(*c, TransactionMode::kWrite);
      if (!tx.status().ok()) return void(++failed);
      auto n = c->query_one("SELECT COUNT(*) FROM places");
      if (!n.ok()) return void(++failed);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the others check too
      if (n->integer(0) >= kLimit) return void(++refused);
      if (!c->execute("INSERT INTO places (who) VALUES ($1)", {i}).ok() || !tx.commit().ok()) return void(++failed);
      ++taken;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(taken, kLimit);
  EXPECT_EQ(refused, kTries - kLimit);
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM places")->integer(0), kLimit);
}

// The same for a write outside any transaction.
TEST_P(StoreTest, ConcurrentConditionalWritesLetExactlyTheLimitIn) {
  ASSERT_TRUE(create("CREATE TABLE places (who INTEGER)").ok());
  constexpr int kTries = 6, kLimit = 3;
  std::atomic<int> taken = 0, failed = 0;
  std::latch go(kTries);
  std::vector<std::thread> threads;
  for (int i = 0; i < kTries; ++i) {
    threads.emplace_back([&, i] {
      auto c = db_->connection();
      go.arrive_and_wait();  // every thread holds a connection before any writes
      auto n = (*c)->execute("INSERT INTO places (who) SELECT $1 WHERE (SELECT COUNT(*) FROM places) < $2", {i, kLimit});
      if (!n.ok()) ++failed;
      else taken += static_cast<int>(*n);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(taken, kLimit);
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*) FROM places")->integer(0), kLimit);
}

// A transaction that fails because a concurrent one won (40001, 40P01) is
// run again by in_write_transaction. Writers queue on one lock here, so
// the failure is raised with that SQLSTATE rather than provoked.
TEST_P(StoreTest, ASerializationFailureIsRetried) {
  if (!postgres()) GTEST_SKIP() << "SQLite lets one writer in at a time, so writers never conflict";
  ASSERT_TRUE(create("CREATE TABLE t (n INTEGER)").ok());
  int attempts = 0;
  Status s = in_write_transaction(*db_, [&](Connection& c) -> Status {
    ++attempts;
    if (auto ins = c.execute("INSERT INTO t (n) VALUES ($1)", {attempts}); !ins.ok()) return ins.status();
    if (attempts < 3) {
      auto lost = c.execute_script(
          "DO $$ BEGIN RAISE EXCEPTION 'lost to another' USING ERRCODE = 'serialization_failure'; END $$");
      if (!lost.ok()) return lost;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(conn_->query_one("SELECT COUNT(*), MIN(n) FROM t")->integer(1), 3) << "the failed attempts rolled back";

  attempts = 0;
  s = in_write_transaction(*db_, [&](Connection& c) -> Status {
    ++attempts;
    return c.execute_script("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'; END $$");
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict) << "gives up in the end";
  EXPECT_EQ(attempts, kMaxTransactionAttempts);

  attempts = 0;
  s = in_write_transaction(*db_, [&](Connection& c) -> Status {
    ++attempts;
    auto dup = c.execute_script("DO $$ BEGIN RAISE EXCEPTION 'other' USING ERRCODE = 'unique_violation'; END $$");
    return dup;
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(attempts, 1) << "other failures are not run again";
}

TEST_P(StoreTest, AStatementTakingTooLongIsCancelled) {
  if (!postgres()) GTEST_SKIP() << "the statement timeout is PostgreSQL's";
  db_.reset();
  auto db = open_database(uri_ + "&statement_timeout=200");
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  auto slow = (*(*db)->connection())->query("SELECT pg_sleep(5)");
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(slow.status().message().find("statement timeout"), std::string::npos) << slow.status().message();
  EXPECT_TRUE((*(*db)->connection())->query("SELECT 1").ok()) << "the connection is usable again";
}

// A server that stops makes statements Unavailable (so /healthz says 503);
// once it is back the same Database is used again without a restart, and a
// transaction cut off by the stop is never carried on statement by
// statement on a new connection.
TEST_P(StoreTest, AServerThatGoesAwayIsUnavailableAndUsedAgainWhenItIsBack) {
  if (!postgres()) GTEST_SKIP() << "an SQLite file does not go away";
  TemporaryPostgres& pg = TemporaryPostgres::shared();
  struct Restarter {  // whatever happens, the server is left running
    TemporaryPostgres& pg;
    ~Restarter() { (void)pg.start_again(); }
  } restarter{pg};
  ASSERT_TRUE(create("CREATE TABLE t (n INTEGER)").ok());
  ASSERT_TRUE(conn_->query("SELECT COUNT(*) FROM t").ok());

  ASSERT_TRUE(pg.stop_for_a_while().ok());
  ASSERT_TRUE(pg.start_again().ok());
  auto first = conn_->query_one("SELECT COUNT(*) FROM t");
  EXPECT_TRUE(first.ok()) << "the first read after a restart: " << first.status().to_string();
  ASSERT_TRUE(pg.stop_for_a_while().ok());
  ASSERT_TRUE(pg.start_again().ok());
  auto first_write = conn_->execute("INSERT INTO t (n) VALUES ($1)", {0});
  EXPECT_TRUE(first_write.ok()) << "the first write after a restart: " << first_write.status().to_string();
  ASSERT_TRUE(pg.stop_for_a_while().ok());
  ASSERT_TRUE(pg.start_again().ok());
  {
    Transaction tx(*conn_, TransactionMode::kWrite);
    EXPECT_TRUE(tx.status().ok()) << "the first transaction after a restart: " << tx.status().to_string();
    EXPECT_TRUE(conn_->execute("DELETE FROM t WHERE n = $1", {0}).ok());
    EXPECT_TRUE(tx.commit().ok());
  }

  ASSERT_TRUE(pg.stop_for_a_while().ok());
  auto down = conn_->query("SELECT COUNT(*) FROM t");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable) << down.status().to_string();
  auto write_down = conn_->execute("INSERT INTO t (n) VALUES ($1)", {1});
  ASSERT_FALSE(write_down.ok());
  EXPECT_EQ(write_down.status().code(), StatusCode::kUnavailable) << write_down.status().to_string();
  ASSERT_TRUE(pg.start_again().ok());
  auto back = conn_->execute("INSERT INTO t (n) VALUES ($1)", {2});
  EXPECT_TRUE(back.ok()) << back.status().to_string();

  {
    Transaction tx(*conn_, TransactionMode::kWrite);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(conn_->execute("INSERT INTO t (n) VALUES ($1)", {3}).ok());
    ASSERT_TRUE(pg.stop_for_a_while().ok());
    ASSERT_TRUE(pg.start_again().ok());
    auto cut = conn_->execute("INSERT INTO t (n) VALUES ($1)", {4});
    EXPECT_FALSE(cut.ok()) << "no statement of a lost transaction runs on its own";
    EXPECT_FALSE(tx.commit().ok());
  }
  auto rows = conn_->query("SELECT n FROM t ORDER BY n");
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].integer(0), 2);
}

TEST(OpenDatabase, UnwritablePlaceIsAClearError) {
  auto db = open_database("/proc/no-such-dir/x.db");
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("/proc/no-such-dir"), std::string::npos);
}

TEST(OpenDatabase, AnUnreachablePostgresServerIsAClearErrorNamingIt) {
  auto db = open_database("postgresql:///coproduce?host=/tmp/coproduce-no-such-server&connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(db.status().message().find("could not connect to PostgreSQL"), std::string::npos)
      << db.status().message();
  EXPECT_NE(db.status().message().find("/tmp/coproduce-no-such-server/.s.PGSQL.5432"), std::string::npos)
      << "names the socket: " << db.status().message();
  EXPECT_NE(db.status().message().find("No such file or directory"), std::string::npos)
      << "gives libpq's reason: " << db.status().message();

  auto tcp = open_database("postgres://someone:secret@127.0.0.1:1/coproduce?connect_timeout=2");
  ASSERT_FALSE(tcp.ok());
  EXPECT_EQ(tcp.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(tcp.status().message().find("127.0.0.1"), std::string::npos) << tcp.status().message();
  EXPECT_NE(tcp.status().message().find("refused"), std::string::npos) << tcp.status().message();
  EXPECT_EQ(tcp.status().message().find("secret"), std::string::npos) << "no password in messages";
}

TEST(PostgresOptions, TheProgramsOwnOptionsAreTakenFromTheUri) {
  PostgresOptions options;
  auto uri = take_postgres_options("postgresql://h/db?sslmode=disable&pool_size=3&statement_timeout=5000", &options);
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(*uri, "postgresql://h/db?sslmode=disable");
  EXPECT_EQ(options.max_connections, 3);
  EXPECT_EQ(options.statement_timeout.count(), 5000);
  EXPECT_EQ(*take_postgres_options("postgresql://h/db?pool_size=2", &options), "postgresql://h/db");
  EXPECT_FALSE(take_postgres_options("postgresql://h/db?pool_size=0", &options).ok());
  EXPECT_FALSE(take_postgres_options("postgresql://h/db?pool_size=many", &options).ok());
  EXPECT_EQ(redact_postgres_uri("postgresql://ann:pw@h:5/db?password=x&a=b"), "postgresql://ann:***@h:5/db?password=***&a=b");
}

TEST(PostgresPool, ConnectionsAreCappedAndGivenBackWhenAThreadEnds) {
  TemporaryPostgres& pg = TemporaryPostgres::shared();
  if (!pg.available()) GTEST_SKIP() << pg.why_unavailable();
  auto uri = pg.create_database("pool_cap");
  ASSERT_TRUE(uri.ok()) << uri.status().to_string();
  PostgresOptions options;
  options.max_connections = 2;
  options.connection_wait = std::chrono::milliseconds(300);
  auto db = open_postgres(*uri, options);  // this thread holds one
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  std::thread([&] { EXPECT_TRUE((*db)->connection().ok()); }).join();  // a second, given back
  std::atomic<bool> holding = false, done = false;
  std::thread holder([&] {
    EXPECT_TRUE((*db)->connection().ok());
    holding = true;
    while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::thread([&] {
    auto third = (*db)->connection();
    ASSERT_FALSE(third.ok()) << "two are taken";
    EXPECT_EQ(third.status().code(), StatusCode::kUnavailable);
    EXPECT_NE(third.status().message().find("in use"), std::string::npos) << third.status().message();
  }).join();
  done = true;
  holder.join();
  std::thread([&] { EXPECT_TRUE((*db)->connection().ok()) << "the holder's was given back"; }).join();
}

}  // namespace
}  // namespace coproduce::store
