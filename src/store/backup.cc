#include "store/backup.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>

#include <nlohmann/json.hpp>

#include "store/migrations.h"

namespace coproduce::store {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kSqliteMagic[] = "SQLite format 3";  // and a NUL: the first 16 bytes of every SQLite file

std::string temporary_beside(const std::string& path) {
  std::random_device rd;
  return path + ".part-" + std::to_string(getpid()) + "-" + std::to_string(rd() % 1000000);
}

Status sqlite_backup(const std::string& location, const std::string& part) {
  sqlite3* source = nullptr;
  sqlite3* target = nullptr;
  auto close = [&] {
    if (source) sqlite3_close(source);
    if (target) sqlite3_close(target);
  };
  if (sqlite3_open_v2(location.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string why = source ? sqlite3_errmsg(source) : "out of memory";
    close();
    return Unavailable("Could not open " + location + " to back it up: " + why);
  }
  if (sqlite3_open(part.c_str(), &target) != SQLITE_OK) {
    std::string why = target ? sqlite3_errmsg(target) : "out of memory";
    close();
    return Unavailable("Could not write the backup: " + why);
  }
  sqlite3_busy_timeout(source, 5000);
  sqlite3_backup* b = sqlite3_backup_init(target, "main", source, "main");
  if (!b) {
    std::string why = sqlite3_errmsg(target);
    close();
    return Unavailable("Could not start the backup: " + why);
  }
  // Pages in steps, so writers are not held up for the whole copy; a write
  // in between makes SQLite start again from the changed state.
  int rc;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  std::string why = rc == SQLITE_DONE ? "" : sqlite3_errstr(rc);
  close();
  if (rc != SQLITE_DONE) return Unavailable("The backup did not finish: " + why);
  return Status::Ok();
}

json value_json(const Value& v) {
  if (v.is_null()) return nullptr;
  if (v.is_integer()) return v.integer();
  if (v.is_real()) return v.real();
  return v.text();
}

Value json_value(const json& j) {
  if (j.is_null()) return Value();
  if (j.is_number_integer() || j.is_number_unsigned()) return Value(static_cast<int64_t>(j.get<int64_t>()));
  if (j.is_number_float()) return Value(j.get<double>());
  if (j.is_string()) return Value(j.get<std::string>());
  return Value(j.dump());
}

Status snapshot_backup(Database& db, const std::string& part, CopyReport* report) {
  DatabaseRows source(db);
  if (Status s = source.open(); !s.ok()) return s;
  auto tables = source.tables();
  if (!tables.ok()) return tables.status();
  auto version = schema_version(db);
  if (!version.ok()) return version.status();
  std::ofstream out(part, std::ios::binary);
  if (!out) return Unavailable("Could not write the backup file " + part);
  out << json{{"format", kBackupFormat}, {"schema_version", *version}, {"engine", db.dialect().name},
              {"tables", tables->size()}}
             .dump()
      << "\n";
  CopyReport done;
  for (const auto& t : *tables) {
    out << json{{"table", t.name}, {"columns", t.columns}}.dump() << "\n";
    int64_t rows = 0;
    Status s = source.rows(t, [&](const Row& r) {
      json line = json::array();
      for (size_t i = 0; i < r.size(); ++i) line.push_back(value_json(r.at(i)));
      out << line.dump() << "\n";
      ++rows;
      return Status::Ok();
    });
    if (!s.ok()) return s;
    out << json{{"end", t.name}, {"rows", rows}}.dump() << "\n";
    done.tables.push_back({t.name, rows, 0});
    done.rows += rows;
  }
  out << json{{"end", kBackupFormat}}.dump() << "\n";
  out.flush();
  if (!out) return Unavailable("Could not write all of the backup file (is the disk full?)");
  if (report) *report = std::move(done);
  return Status::Ok();
}

// The rows of a coproduce-backup/1 file, read and checked whole first, so a
// damaged file is refused before anything is written.
class BackupFileRows : public RowSource {
 public:
  explicit BackupFileRows(std::string path) : path_(std::move(path)) {}

  Status read() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return NotFound("There is no backup file " + path_);
    std::string line;
    int64_t number = 0;
    auto problem = [&](const std::string& what) {
      Location where;
      where.file = path_;
      where.line = static_cast<int>(number);
      return InvalidInput(what, where);
    };
    Table* current = nullptr;
    bool ended = false;
    while (std::getline(in, line)) {
      ++number;
      json j = json::parse(line, nullptr, false);
      if (j.is_discarded()) return problem("This line is not JSON: the backup file is damaged");
      if (number == 1) {
        if (!j.is_object() || j.value("format", "") != kBackupFormat)
          return problem("This is not a Coproduce backup (it does not start with the coproduce-backup/1 header)");
        continue;
      }
      if (ended) return problem("There is more after the end of the backup");
      if (j.is_object() && j.contains("table")) {
        if (current) return problem("A table starts before the last one ended");
        tables_.push_back({});
        current = &tables_.back();
        current->info.name = j.value("table", "");
        for (const auto& c : j.value("columns", json::array())) current->info.columns.push_back(c.get<std::string>());
      } else if (j.is_object() && j.contains("end")) {
        if (j["end"] == kBackupFormat) {
          if (current) return problem("The backup ends inside the table " + current->info.name);
          ended = true;
        } else {
          if (!current || j["end"] != current->info.name) return problem("A table ends that did not start");
          if (j.value("rows", int64_t{-1}) != static_cast<int64_t>(current->rows.size()))
            return problem("The table " + current->info.name + " has fewer rows than its end says: it is damaged");
          current = nullptr;
        }
      } else if (j.is_array() && current) {
        if (j.size() != current->info.columns.size())
          return problem("This row of " + current->info.name + " has the wrong number of values");
        current->rows.push_back(std::move(j));
      } else {
        return problem("This line is not part of a Coproduce backup");
      }
    }
    if (!ended) return problem("The backup file stops before its end: it was cut short");
    return Status::Ok();
  }

  StatusOr<std::vector<TableInfo>> tables() override {
    std::vector<TableInfo> out;
    for (const auto& t : tables_) out.push_back(t.info);
    return out;
  }

  Status rows(const TableInfo& table, const std::function<Status(const Row&)>& visit) override {
    for (const auto& t : tables_) {
      if (t.info.name != table.name) continue;
      for (const auto& r : t.rows) {
        std::vector<Value> values;
        for (const auto& v : r) values.push_back(json_value(v));
        if (Status s = visit(Row(std::move(values))); !s.ok()) return s;
      }
    }
    return Status::Ok();
  }

  std::string describe() const override { return "the backup " + path_; }

 private:
  struct Table {
    TableInfo info;
    std::vector<json> rows;
  };
  std::string path_;
  std::vector<Table> tables_;
};

bool is_sqlite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  return in.gcount() == 16 && std::string(head, 15) == kSqliteMagic && head[15] == '\0';
}

}  // namespace

Status backup(Database& db, const std::string& location, const std::string& output, CopyReport* report) {
  std::error_code ec;
  if (fs::exists(output, ec)) {
    Location where;
    where.field = "output";
    return InvalidInput("The file " + output + " is already there: choose a new name for the backup", where);
  }
  std::string part = temporary_beside(output);
  Status s = db.dialect().name == "sqlite" ? sqlite_backup(location, part) : snapshot_backup(db, part, report);
  if (!s.ok()) {
    fs::remove(part, ec);
    return s;
  }
  fs::rename(part, output, ec);
  if (ec) {
    fs::remove(part, ec);
    return Unavailable("Could not put the backup in place at " + output + ": " + ec.message());
  }
  return Status::Ok();
}

Status restore(const std::string& input, Database& to, CopyReport* report,
               const std::function<void(const std::string&, int64_t)>& progress) {
  std::error_code ec;
  if (!fs::exists(input, ec)) return NotFound("There is no backup file " + input);
  if (is_sqlite_file(input)) {
    // Read from a copy: bringing an older backup up to the current schema
    // must not change the backup itself.
    std::string copy = temporary_beside((fs::temp_directory_path() / fs::path(input).filename()).string());
    fs::copy_file(input, copy, ec);
    if (ec) return Unavailable("Could not read the backup " + input + ": " + ec.message());
    Status s = [&]() -> Status {
      auto from = open_database(copy);
      if (!from.ok()) return from.status();
      Status copied = copy_data(**from, to, report, progress);
      (*from)->close();
      return copied;
    }();
    fs::remove(copy, ec);
    for (const char* suffix : {"-wal", "-shm"}) fs::remove(copy + suffix, ec);
    return s;
  }
  BackupFileRows rows(input);
  if (Status s = rows.read(); !s.ok()) return s;
  return load_into(rows, to, report, progress);
}

}  // namespace coproduce::store
