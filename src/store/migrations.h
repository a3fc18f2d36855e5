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

// The highest applied version, or 0 for an empty database.
StatusOr<int> schema_version(Database& db);

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_MIGRATIONS_H_
