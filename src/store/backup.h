// Backups of a running deployment, and restoring them into an empty
// database of either engine (`coproduce backup` and `coproduce restore`).
//
// An SQLite database is backed up with SQLite's online backup: the file
// written is itself an SQLite database, a consistent copy taken while the
// server goes on writing. A PostgreSQL database is backed up as a snapshot
// in the coproduce-backup/1 format: every table read in one repeatable-read
// transaction and written as lines of JSON (docs/operations.md describes
// it). Either is written to a temporary file first and renamed into place,
// so a failed backup never leaves a half-written file under the name asked
// for.
//
// Restoring reads either kind and loads it as copy_data does (copy.h): the
// target must be empty, everything goes in one transaction, and each
// table's row count and checksum are checked before it commits.
#ifndef COPRODUCE_STORE_BACKUP_H_
#define COPRODUCE_STORE_BACKUP_H_

#include <functional>
#include <string>

#include "core/status.h"
#include "store/copy.h"
#include "store/database.h"

namespace coproduce::store {

inline constexpr const char* kBackupFormat = "coproduce-backup/1";

// Backs up `db`, opened from `location` (the --database value), to the
// file `output`. Tells `report` what was written when given.
Status backup(Database& db, const std::string& location, const std::string& output, CopyReport* report = nullptr);

// Restores the backup file `input` into `to`.
Status restore(const std::string& input, Database& to, CopyReport* report,
               const std::function<void(const std::string& table, int64_t rows)>& progress = {});

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_BACKUP_H_
