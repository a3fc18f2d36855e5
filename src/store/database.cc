#include "store/database.h"

#include <cassert>
#include <charconv>
#include <cstdio>

#include "store/postgres_database.h"
#include "store/sqlite_database.h"

namespace coproduce::store {

int64_t Value::integer() const {
  if (auto* i = std::get_if<int64_t>(&v_)) return *i;
  if (auto* d = std::get_if<double>(&v_)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v_)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

double Value::real() const {
  if (auto* d = std::get_if<double>(&v_)) return *d;
  if (auto* i = std::get_if<int64_t>(&v_)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&v_)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string Value::text() const {
  if (auto* s = std::get_if<std::string>(&v_)) return *s;
  if (auto* i = std::get_if<int64_t>(&v_)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v_)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return "";
}

const Value& Row::at(size_t i) const {
  assert(i < values_.size() && "column index out of range");
  return values_[i];
}

StatusOr<Row> Connection::query_one(std::string_view sql, const std::vector<Value>& params) {
  auto rows = query(sql, params);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("no such record");
  return std::move(rows->front());
}

Transaction::Transaction(Connection& conn, TransactionMode mode) : conn_(&conn) {
  status_ = conn.begin(mode);
  open_ = status_.ok();
}

Transaction::~Transaction() {
  if (open_) (void)conn_->rollback();
}

Status Transaction::commit() {
  assert(open_ && "commit on a transaction that is not open");
  open_ = false;
  Status s = conn_->commit();
  if (!s.ok()) (void)conn_->rollback();
  return s;
}

StatusOr<std::unique_ptr<Database>> open_database(const std::string& location) {
  if (is_postgres_location(location)) {
    PostgresOptions options;
    auto uri = take_postgres_options(location, &options);
    if (!uri.ok()) return uri.status();
    return open_postgres(*uri, options);
  }
  return open_sqlite(location);
}

}  // namespace coproduce::store
