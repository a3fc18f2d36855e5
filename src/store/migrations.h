// Numbered schema migrations, bundled into the binary at build time.
#ifndef COPRODUCE_STORE_MIGRATIONS_H_
#define COPRODUCE_STORE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "store/database.h"

namespace coproduce::store {

struct Migration {
  int version;        // from the file name: 0001_foundation.sql is 1
  std::string name;   // "0001_foundation"
  std::string sql;    // portable SQL; ID_PRIMARY_KEY is replaced per dialect
};

// The migrations in migrations/ at build time, in version order.
const std::vector<Migration>& bundled_migrations();

// Applies every migration newer than the database's schema, each inside its
// own write transaction, and records it in schema_migrations. A failed
// migration leaves the database as it was before that migration.
// `applied` (optional) receives how many were applied.
Status migrate(Database& db, const std::vector<Migration>& migrations, int* applied = nullptr);

// `sql` as the engine `dialect` names runs it: ID_PRIMARY_KEY becomes the
// dialect's auto-numbered key and, on PostgreSQL, INTEGER becomes BIGINT and
// REAL DOUBLE PRECISION (SQLite's sizes). Quoted text and comments are left
// as they are. migrate() runs every migration through it.
std::string for_dialect(std::string_view sql, const Dialect& dialect);

// The highest applied version, or 0 for an empty database.
StatusOr<int> schema_version(Database& db);

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_MIGRATIONS_H_
