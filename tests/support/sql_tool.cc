// coproduce_test_sql: runs SQL on a test server's database, SQLite or
// PostgreSQL, for the HTTP and browser tests. Test-only; not part of the
// product.
//
// Tests use it for the few things the product rightly will not do or show:
// writing rows it refuses (attendance at a cancelled activity, survey
// answers sent on a date in the past) and reading what no page or API
// gives (how a response is stored). It opens the database with
// store::open_database, as coproduce does, so the same SQL runs on both
// engines when it is portable.
//
//   coproduce_test_sql DATABASE SQL             one statement; prints its rows
//   coproduce_test_sql --script DATABASE SQL    several statements, no rows
//   coproduce_test_sql --columns DATABASE TABLE the table's column names
//
// --columns is the one question SQL cannot ask the same way on both engines
// (SQLite has no information_schema), so the tool asks each its own way.
//
// Either way it runs in one write transaction, committed only when every
// statement succeeded. Rows are printed as the sqlite3 tool prints them:
// one a line, columns separated by '|', NULL as nothing.
#include <iostream>
#include <string>
#include <string_view>

#include "store/database.h"

namespace {

using coproduce::Status;
using coproduce::store::Connection;

int usage() {
  std::cerr << "usage: coproduce_test_sql [--script] DATABASE SQL\n"
               "       coproduce_test_sql --columns DATABASE TABLE\n";
  return 2;
}

enum class Mode { kQuery, kScript, kColumns };

}  // namespace

int main(int argc, char** argv) {
  Mode mode = Mode::kQuery;
  int first = 1;
  if (argc > 1 && std::string_view(argv[1]) == "--script") mode = Mode::kScript;
  if (argc > 1 && std::string_view(argv[1]) == "--columns") mode = Mode::kColumns;
  if (mode != Mode::kQuery) first = 2;
  if (argc - first != 2) return usage();
  const std::string location = argv[first];
  const std::string sql = argv[first + 1];

  auto db = coproduce::store::open_database(location);
  if (!db.ok()) {
    std::cerr << "coproduce_test_sql: " << db.status().message() << "\n";
    return 1;
  }
  std::vector<coproduce::store::Value> params;
  std::string query = sql;
  if (mode == Mode::kColumns) {
    params.emplace_back(sql);
    query = (*db)->dialect().name == "sqlite"
                ? "SELECT name FROM pragma_table_info($1) ORDER BY cid"
                : "SELECT column_name FROM information_schema.columns"
                  " WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position";
  }
  std::string out;
  Status s = coproduce::store::in_write_transaction(**db, [&](Connection& conn) -> Status {
    out.clear();
    if (mode == Mode::kScript) return conn.execute_script(query);
    auto rows = conn.query(query, params);
    if (!rows.ok()) return rows.status();
    for (const auto& row : *rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) out += '|';
        out += row.text(i);
      }
      out += '\n';
    }
    return Status::Ok();
  });
  (*db)->close();
  if (!s.ok()) {
    std::cerr << "coproduce_test_sql: " << s.message() << "\n";
    return 1;
  }
  std::cout << out;
  return 0;
}
