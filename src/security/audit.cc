#include "security/audit.h"

#include <algorithm>

namespace coproduce::security {

Status record_audit(store::Connection& conn, const Clock& clock, const AuditEvent& e) {
  auto r = conn.execute(
      "INSERT INTO audit_log (at, organisation_id, actor_user_id, action, subject_type, subject_id, address)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {format_timestamp(clock.now()), e.organisation_id, e.actor_user_id, e.action, e.subject_type,
       e.subject_id, e.address});
  return r.ok() ? Status::Ok() : r.status();
}

StatusOr<std::vector<AuditEntry>> list_audit(store::Connection& conn, int64_t organisation_id, int limit,
                                             int offset) {
  limit = std::clamp(limit, 1, 500);
  offset = std::max(offset, 0);
  auto rows = conn.query(
      "SELECT a.at, COALESCE(u.email, 'system'), a.action, a.subject_type, a.subject_id, a.address"
      " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id"
      " WHERE a.organisation_id = $1 ORDER BY a.id DESC LIMIT $2 OFFSET $3",
      {organisation_id, limit, offset});
  if (!rows.ok()) return rows.status();
  std::vector<AuditEntry> out;
  for (const auto& r : *rows) {
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)});
  }
  return out;
}

}  // namespace coproduce::security
