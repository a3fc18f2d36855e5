// The SQLite backend: the embedded default.
#ifndef COPRODUCE_STORE_SQLITE_DATABASE_H_
#define COPRODUCE_STORE_SQLITE_DATABASE_H_

#include <memory>
#include <string>

#include "store/database.h"

namespace coproduce::store {

// Opens (creating if needed) the SQLite database file at `path`, with WAL,
// synchronous=NORMAL, foreign keys on, reads through a memory map, a busy
// timeout and the text index's SQL functions (sqlite_text_functions.h).
// Each thread that calls connection() gets its own connection.
StatusOr<std::unique_ptr<Database>> open_sqlite(const std::string& path);

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_SQLITE_DATABASE_H_
