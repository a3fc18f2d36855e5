// SQL functions the SQLite text index (text_index.cc) calls, registered on
// each SQLite connection the store opens (sqlite_database.cc).
#ifndef COPRODUCE_STORE_SQLITE_TEXT_FUNCTIONS_H_
#define COPRODUCE_STORE_SQLITE_TEXT_FUNCTIONS_H_

#include "core/status.h"

struct sqlite3;

namespace coproduce::store {

// The name of the FTS5 ranking function text_index.cc scores with.
inline constexpr const char* kSqliteRankFunction = "coproduce_bm25";
// The name of the aggregate that packs the ids of the rows it reads.
inline constexpr const char* kSqliteIdsFunction = "coproduce_ids";

// Registers them with `db`. Does nothing when SQLite has no FTS5 (then no
// text index can be made either).
Status register_text_functions(sqlite3* db);

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_SQLITE_TEXT_FUNCTIONS_H_
