#include "store/copy.h"

#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "store/migrations.h"

namespace coproduce::store {
namespace {

bool is_postgres(Database& db) { return db.dialect().name == "postgresql"; }

// Tables the migrations put rows in themselves (a counter's first row):
// emptied on the target before copying, not counted as data already there.
std::set<std::string> seeded_tables() {
  std::set<std::string> out;
  static const std::regex insert(R"(INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*))", std::regex::icase);
  for (const auto& m : bundled_migrations()) {
    for (std::sregex_iterator it(m.sql.begin(), m.sql.end(), insert), end; it != end; ++it) out.insert((*it)[1]);
  }
  return out;
}

std::string column_list(const TableInfo& t) {
  std::string out;
  for (const auto& c : t.columns) out += (out.empty() ? "" : ", ") + c;
  return out;
}

// 64-bit FNV-1a, then a final mix so that summing rows spreads well.
uint64_t fnv(const std::string& s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string canonical(const Value& v) {
  if (v.is_null()) return std::string("N", 1) + '\x1f';
  if (v.is_integer()) return "I" + std::to_string(v.integer()) + '\x1f';
  if (v.is_real()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v.real());
    return "R" + std::string(buf) + '\x1f';
  }
  std::string t = v.text();
  return "T" + std::to_string(t.size()) + ":" + t + '\x1f';
}

uint64_t row_hash(const Row& r) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < r.size(); ++i) h = fnv(canonical(r.at(i)), h);
  return mix(h);
}

StatusOr<int64_t> count_rows(Connection& c, const std::string& table) {
  auto row = c.query_one("SELECT COUNT(*) FROM " + table);
  if (!row.ok()) return row.status();
  return row->integer(0);
}

}  // namespace

StatusOr<std::vector<TableInfo>> schema_tables(Database& db) {
  auto conn = db.connection();
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  std::vector<TableInfo> out;
  if (is_postgres(db)) {
    // In the order they were made, so a table comes after those it refers to.
    auto rows = c.query(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.oid",
        {});
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) {
      TableInfo t{r.text(0), {}};
      if (t.name == "schema_migrations") continue;
      auto cols = c.query(
          "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
          " AND table_name = $1 ORDER BY ordinal_position",
          {t.name});
      if (!cols.ok()) return cols.status();
      for (const auto& col : *cols) t.columns.push_back(col.text(0));
      out.push_back(std::move(t));
    }
    return out;
  }
  auto rows = c.query("SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' ORDER BY rowid", {});
  if (!rows.ok()) return rows.status();
  std::vector<std::string> virtual_tables;
  for (const auto& r : *rows)
    if (r.text(1).rfind("CREATE VIRTUAL TABLE", 0) == 0) virtual_tables.push_back(r.text(0));
  for (const auto& r : *rows) {
    TableInfo t{r.text(0), {}};
    if (t.name == "schema_migrations" || t.name.rfind("sqlite_", 0) == 0) continue;
    bool full_text = false;
    for (const auto& v : virtual_tables) full_text = full_text || t.name == v || t.name.rfind(v + "_", 0) == 0;
    if (full_text) continue;
    auto cols = c.query("SELECT name FROM pragma_table_info($1) ORDER BY cid", {t.name});
    if (!cols.ok()) return cols.status();
    for (const auto& col : *cols) t.columns.push_back(col.text(0));
    out.push_back(std::move(t));
  }
  return out;
}

StatusOr<uint64_t> table_checksum(Connection& c, const TableInfo& t) {
  uint64_t sum = 0;
  Status s = c.query_each("SELECT " + column_list(t) + " FROM " + t.name, {}, [&](const Row& r) {
    sum += row_hash(r);  // a sum: the same in any row order
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return sum;
}

Status load_into(RowSource& from, Database& to, CopyReport* report,
                 const std::function<void(const std::string&, int64_t)>& progress) {
  if (Status s = migrate(to, bundled_migrations()); !s.ok()) return s;
  auto source_tables = from.tables();
  if (!source_tables.ok()) return source_tables.status();
  auto target_tables = schema_tables(to);
  if (!target_tables.ok()) return target_tables.status();
  std::map<std::string, TableInfo> source;
  for (auto& t : *source_tables) source.emplace(t.name, t);
  auto dst_conn = to.connection();
  if (!dst_conn.ok()) return dst_conn.status();
  Connection& dst = **dst_conn;
  const std::set<std::string> seeded = seeded_tables();

  for (const auto& t : *target_tables) {
    if (!source.count(t.name)) return Internal("The table " + t.name + " is missing from " + from.describe());
    if (seeded.count(t.name)) continue;
    auto n = count_rows(dst, t.name);
    if (!n.ok()) return n.status();
    if (*n > 0) {
      Location where;
      where.field = "to";
      return InvalidInput("The target database is not empty: the table " + t.name + " holds " + std::to_string(*n) +
                              " rows. Copy into a new, empty database.",
                          where);
    }
  }

  CopyReport done;
  Transaction tx(dst, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  for (const auto& target : *target_tables) {
    const TableInfo& t = source.at(target.name);
    for (const auto& col : t.columns) {
      bool there = false;
      for (const auto& c : target.columns) there = there || c == col;
      if (!there) return Internal("The column " + t.name + "." + col + " is missing from the target database");
    }
    if (seeded.count(t.name)) {
      if (auto r = dst.execute("DELETE FROM " + t.name, {}); !r.ok()) return r.status();
    }
    std::string placeholders;
    for (size_t i = 1; i <= t.columns.size(); ++i) placeholders += (i > 1 ? ", $" : "$") + std::to_string(i);
    std::string insert = "INSERT INTO " + t.name + " (" + column_list(t) + ") VALUES (" + placeholders + ")";
    int64_t rows = 0;
    uint64_t sum = 0;
    Status copied = from.rows(t, [&](const Row& r) {
      std::vector<Value> values;
      values.reserve(r.size());
      for (size_t i = 0; i < r.size(); ++i) values.push_back(r.at(i));
      auto ins = dst.execute(insert, values);
      if (!ins.ok()) return Status(ins.status().code(), "Copying " + t.name + ": " + ins.status().message());
      ++rows;
      sum += row_hash(r);
      if (progress && rows % 10000 == 0) progress(t.name, rows);
      return Status::Ok();
    });
    if (!copied.ok()) return copied;
    // The next id a PostgreSQL table gives follows the largest copied.
    bool has_id = false;
    for (const auto& c : t.columns) has_id = has_id || c == "id";
    if (has_id && is_postgres(to)) {
      auto r = dst.query("SELECT setval(pg_get_serial_sequence('" + t.name + "', 'id'), COALESCE(MAX(id), 1)," +
                             " MAX(id) IS NOT NULL) FROM " + t.name,
                         {});
      if (!r.ok()) return r.status();
    }
    // Checked on the target before anything is committed.
    auto there = count_rows(dst, t.name);
    if (!there.ok()) return there.status();
    auto there_sum = table_checksum(dst, t);
    if (!there_sum.ok()) return there_sum.status();
    if (*there != rows || *there_sum != sum) {
      return Internal("The copy of " + t.name + " does not match its source (" + std::to_string(rows) + " rows read, " +
                      std::to_string(*there) + " written, checksums " + (*there_sum == sum ? "equal" : "differ") +
                      "): nothing was copied");
    }
    if (progress) progress(t.name, rows);
    done.tables.push_back({t.name, rows, sum});
    done.rows += rows;
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  if (report) *report = std::move(done);
  return Status::Ok();
}

DatabaseRows::DatabaseRows(Database& db) : db_(db) {}
DatabaseRows::~DatabaseRows() = default;

Status DatabaseRows::open() {
  if (Status s = migrate(db_, bundled_migrations()); !s.ok()) return s;
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  conn_ = *c;
  snapshot_ = std::make_unique<Transaction>(*conn_, TransactionMode::kRead);
  return snapshot_->status();
}

StatusOr<std::vector<TableInfo>> DatabaseRows::tables() { return schema_tables(db_); }

Status DatabaseRows::rows(const TableInfo& t, const std::function<Status(const Row&)>& visit) {
  if (!conn_) return Internal("The source database was not opened");
  return conn_->query_each("SELECT " + column_list(t) + " FROM " + t.name, {}, visit);
}

std::string DatabaseRows::describe() const { return db_.describe(); }

Status copy_data(Database& from, Database& to, CopyReport* report,
                 const std::function<void(const std::string&, int64_t)>& progress) {
  DatabaseRows source(from);
  if (Status s = source.open(); !s.ok()) return s;  // one consistent view of the source
  return load_into(source, to, report, progress);
}

}  // namespace coproduce::store
