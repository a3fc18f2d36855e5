#include "involvement/imports.h"

namespace coproduce::involvement {

StatusOr<int64_t> PendingImports::hold(int64_t org, int64_t user_id, const PendingImport& file) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  store::Transaction tx(**c, store::TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  TimePoint now = clock_.now();
  auto swept = (*c)->execute("DELETE FROM pending_imports WHERE created_at < $1", {format_timestamp(now - kLifetime)});
  if (!swept.ok()) return swept.status();
  auto ins = (*c)->query(
      "INSERT INTO pending_imports (organisation_id, user_id, file_name, id_column, content, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {org, user_id, file.file_name, file.id_column, file.content, format_timestamp(now)});
  if (!ins.ok()) return ins.status();
  if (Status s = tx.commit(); !s.ok()) return s;
  return ins->front().integer(0);
}

StatusOr<PendingImport> PendingImports::take(int64_t org, int64_t user_id, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  store::Transaction tx(**c, store::TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto rows = (*c)->query(
      "SELECT id, file_name, id_column, content FROM pending_imports"
      " WHERE id = $1 AND organisation_id = $2 AND user_id = $3 AND created_at >= $4",
      {id, org, user_id, format_timestamp(clock_.now() - kLifetime)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("This upload has expired or was already imported. Upload the file again.");
  auto del = (*c)->execute("DELETE FROM pending_imports WHERE id = $1", {id});
  if (!del.ok()) return del.status();
  if (Status s = tx.commit(); !s.ok()) return s;
  const auto& r = rows->front();
  return PendingImport{r.integer(0), r.text(1), r.text(2), r.text(3)};
}

}  // namespace coproduce::involvement
