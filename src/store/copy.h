// Copying a whole deployment from one database to another (SQLite to
// PostgreSQL to move up, or back), for `coproduce copy-data`.
//
// Both databases are brought to the current schema first. The target must
// hold nothing but what the migrations themselves write. Every table of the
// schema is copied row for row, ids kept, in one transaction on the target,
// so a failure leaves it as it was; then each table's row count and a
// checksum of its rows (independent of row order, so the engines' different
// text orderings do not matter) are compared between the two.
//
//   CopyReport r;
//   Status s = copy_data(*from, *to, &r, [](const std::string& table, int64_t rows) { ...progress... });
#ifndef COPRODUCE_STORE_COPY_H_
#define COPRODUCE_STORE_COPY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace coproduce::store {

// A table of the schema with its columns, in the order they were made.
struct TableInfo {
  std::string name;
  std::vector<std::string> columns;
};

// The tables the migrations made, by name: not the engine's own, the
// migrations' bookkeeping, or SQLite's full-text indexes (those are built
// again from the copied rows).
StatusOr<std::vector<TableInfo>> schema_tables(Database& db);

// A checksum of every row of `table`'s `columns`, the same whatever order
// the rows come back in and on either engine.
StatusOr<uint64_t> table_checksum(Connection& conn, const TableInfo& table);

struct TableCopy {
  std::string table;
  int64_t rows = 0;
  uint64_t checksum = 0;
};

struct CopyReport {
  std::vector<TableCopy> tables;  // in the order copied
  int64_t rows = 0;
};

// Where copied rows come from: a database, or a backup file (backup.h).
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual StatusOr<std::vector<TableInfo>> tables() = 0;
  // Hands each row of `table` (its columns, in order) to `visit`.
  virtual Status rows(const TableInfo& table, const std::function<Status(const Row&)>& visit) = 0;
  virtual std::string describe() const = 0;  // for messages
};

// The rows of a database, read in one read transaction from open() on, so
// they are one consistent snapshot even while others write.
class DatabaseRows : public RowSource {
 public:
  explicit DatabaseRows(Database& db);
  ~DatabaseRows() override;
  // Brings the database to the current schema and starts the snapshot.
  Status open();
  StatusOr<std::vector<TableInfo>> tables() override;
  Status rows(const TableInfo& table, const std::function<Status(const Row&)>& visit) override;
  std::string describe() const override;

 private:
  Database& db_;
  Connection* conn_ = nullptr;
  std::unique_ptr<Transaction> snapshot_;
};

// Loads every table of `from` into `to`, which must hold nothing but what
// the migrations write, as copy_data does.
Status load_into(RowSource& from, Database& to, CopyReport* report,
                 const std::function<void(const std::string& table, int64_t rows)>& progress = {});

// Copies everything in `from` to `to` as the top of this file says.
// InvalidInput naming the table when the target already holds data; an
// internal error naming the table when the counts or checksums differ
// afterwards (the copy is then rolled back). `progress`, when given, hears
// each table as it is copied.
Status copy_data(Database& from, Database& to, CopyReport* report,
                 const std::function<void(const std::string& table, int64_t rows)>& progress = {});

}  // namespace coproduce::store

#endif  // COPRODUCE_STORE_COPY_H_
