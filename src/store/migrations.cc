#include "store/migrations.h"

#include <cctype>

namespace coproduce::store {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

bool is_word_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

bool same_word(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::string for_dialect(std::string_view sql, const Dialect& dialect) {
  // SQLite's INTEGER holds 64 bits; PostgreSQL's holds 32, so a column
  // declared INTEGER becomes BIGINT there, and REAL (4 bytes there, 8 in
  // SQLite) DOUBLE PRECISION. Words inside quotes and comments are left.
  const bool postgres = dialect.name == "postgresql";
  std::string out;
  out.reserve(sql.size() + 256);
  size_t i = 0;
  while (i < sql.size()) {
    char ch = sql[i];
    if (ch == '\'' || ch == '"') {
      size_t end = sql.find(ch, i + 1);
      while (end != std::string_view::npos && end + 1 < sql.size() && sql[end + 1] == ch) end = sql.find(ch, end + 2);
      end = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (sql.substr(i, 2) == "--") {
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (sql.substr(i, 2) == "/*") {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (is_word_char(ch)) {
      size_t end = i;
      while (end < sql.size() && is_word_char(sql[end])) ++end;
      std::string_view word = sql.substr(i, end - i);
      if (word == "ID_PRIMARY_KEY")
        out += dialect.id_primary_key;
      else if (postgres && same_word(word, "INTEGER"))
        out += "BIGINT";
      else if (postgres && same_word(word, "REAL"))
        out += "DOUBLE PRECISION";
      else
        out.append(word);
      i = end;
    } else {
      out += ch;
      ++i;
    }
  }
  return out;
}

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
