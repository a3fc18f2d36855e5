// The audit log: who did what to which record, and when.
//
// Every sign-in and every read or write of a person's record is recorded.
// Entries name records by type and id, never by their contents.
#ifndef COPRODUCE_SECURITY_AUDIT_H_
#define COPRODUCE_SECURITY_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace coproduce::security {

struct AuditEvent {
  std::optional<int64_t> organisation_id;
  std::optional<int64_t> actor_user_id;
  std::string action;        // "sign-in", "sign-in-failed", "user.create", "person.read", ...
  std::string subject_type;  // "user", "person", "organisation"; may be empty
  std::string subject_id;
  std::string address;       // the client's network address, when known
};

// Appends `event`, timestamped by `clock`. Runs inside the caller's
// transaction when there is one, so the record and the change land together.
Status record_audit(store::Connection& conn, const Clock& clock, const AuditEvent& event);

struct AuditEntry {
  std::string at;
  std::string actor;  // the actor's email, or "system"
  std::string action;
  std::string subject_type;
  std::string subject_id;
  std::string address;
};

// The newest entries of one organisation first; `limit` at most 500.
StatusOr<std::vector<AuditEntry>> list_audit(store::Connection& conn, int64_t organisation_id, int limit,
                                             int offset);

}  // namespace coproduce::security

#endif  // COPRODUCE_SECURITY_AUDIT_H_
