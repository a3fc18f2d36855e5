#include "store/migrations.h"

namespace coproduce::store {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

std::string for_dialect(std::string sql, const Dialect& dialect) {
  const std::string token = "ID_PRIMARY_KEY";
  for (size_t pos = sql.find(token); pos != std::string::npos; pos = sql.find(token, pos)) {
    sql.replace(pos, token.size(), dialect.id_primary_key);
    pos += dialect.id_primary_key.size();
  }
  return sql;
}

}  // namespace

StatusOr<int> schema_version(Database& db) {
  auto conn = db.connection();
  if (!conn.ok()) return conn.status();
  if (auto s = (*conn)->execute(kCreateTable); !s.ok()) return s.status();
  auto row = (*conn)->query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!row.ok()) return row.status();
  return static_cast<int>(row->integer(0));
}

Status migrate(Database& db, const std::vector<Migration>& migrations, int* applied) {
  if (applied) *applied = 0;
  auto conn_or = db.connection();
  if (!conn_or.ok()) return conn_or.status();
  Connection& conn = **conn_or;
  for (const Migration& m : migrations) {
    Transaction tx(conn, TransactionMode::kWrite);
    if (!tx.status().ok()) return tx.status();
    if (auto s = conn.execute(kCreateTable); !s.ok()) return s.status();
    // Checked inside the write transaction so two processes starting at
    // once cannot both apply the same migration.
    auto done = conn.query("SELECT 1 FROM schema_migrations WHERE version = $1", {m.version});
    if (!done.ok()) return done.status();
    if (!done->empty()) continue;
    if (Status s = conn.execute_script(for_dialect(m.sql, db.dialect())); !s.ok()) {
      return Internal("migration " + m.name + " failed: " + s.message());
    }
    auto rec = conn.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, CURRENT_TIMESTAMP)",
        {m.version, m.name});
    if (!rec.ok()) return rec.status();
    if (Status s = tx.commit(); !s.ok()) return s;
    if (applied) ++*applied;
  }
  return Status::Ok();
}

}  // namespace coproduce::store
