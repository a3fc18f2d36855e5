// Workforce records: the people who work for an organisation, by role
// category on the Care Workforce Pathway and by closeness to direct care, so
// co-production learning can be counted where it reaches.
//
// Worker records are personal data: every read and change is audited, and
// a worker's record can be downloaded, corrected and erased. Everything is
// scoped by organisation: another organisation's worker is "not found".
#ifndef COPRODUCE_LEARNING_WORKFORCE_H_
#define COPRODUCE_LEARNING_WORKFORCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "store/database.h"

namespace coproduce::learning {

// A worker as typed into the form, sent to the API or read from a file.
// Dates are YYYY-MM-DD; codes are those of vocab.h. Field names in errors
// are the API keys below.
struct WorkerInput {
  std::string worker_id;         // unique in the organisation (ASC-WDS UNIQUEWORKERID where there is one)
  std::string name;
  std::string workplace;         // ASC-WDS workplace id (LOCALESTID) or a local name; may be empty
  std::string job_role;          // main job role, as the employer names it; may be empty
  std::string team;              // may be empty
  std::string role_category;     // role_categories()
  std::string closeness;         // closeness_levels()
  std::string started_on;        // YYYY-MM-DD
  std::string left_on;           // YYYY-MM-DD or empty while in post
  std::string care_certificate;  // care_certificate_statuses(); empty means not_started
  std::string email;             // optional: for a learner account
};

// Longest accepted lengths.
inline constexpr size_t kMaxWorkerIdLength = 50;
inline constexpr size_t kMaxWorkerTextLength = 200;

// Every problem with `input`, by field (worker_id, name, workplace,
// job_role, team, role_category, closeness, started_on, left_on,
// care_certificate, email), in that order. Empty when fine.
std::vector<FieldError> validate(const WorkerInput& input);

struct Worker {
  int64_t id = 0;
  int64_t organisation_id = 0;
  WorkerInput details;
  std::optional<int64_t> user_id;  // the learner account, once invited and set up
  std::string created_at;
  std::string updated_at;

  // In post on `date` (YYYY-MM-DD): started on or before it and not left before it.
  bool in_post_on(const std::string& date) const;
};

// The worker as the API answers it: id and every WorkerInput key.
nlohmann::json worker_json(const Worker& worker);

struct WorkerQuery {
  std::string text;           // matches worker id, name, workplace or team
  std::string role_category;  // empty for any
  std::string workplace;      // exact; empty for any
  bool current_only = false;  // only those in post today
  int limit = 50;
  int offset = 0;
};

class Workforce {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Workforce(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Adds a worker; a worker_id or email already used by another worker of
  // the organisation is a kConflict naming the field (a learner account finds
  // its worker by email). Audited as worker.create.
  StatusOr<Worker> add(int64_t organisation_id, const WorkerInput& input, const Actor& actor);
  // Reads one worker, audited as worker.read.
  StatusOr<Worker> get(int64_t organisation_id, int64_t id, const Actor& actor);
  // Replaces the details and returns the worker as now stored; audited as
  // worker.update.
  StatusOr<Worker> update(int64_t organisation_id, int64_t id, const WorkerInput& input, const Actor& actor);
  // Erases the worker with their completions, attempts and learner account
  // link; the audit keeps only the id. Audited as worker.erase.
  Status erase(int64_t organisation_id, int64_t id, const Actor& actor);
  // Workers matching `query`, by name; `total` gets the count of all matches.
  // Audited as one worker.list read.
  StatusOr<std::vector<Worker>> search(int64_t organisation_id, const WorkerQuery& query, const Actor& actor,
                                       int64_t* total = nullptr);
  // The worker with exactly this worker ID, if any (not audited: the caller
  // reads no details, only the record's id).
  StatusOr<std::optional<int64_t>> id_of(int64_t organisation_id, const std::string& worker_id);
  // Everything held about one worker (details, completions, attempts), for
  // their download; audited as worker.export.
  StatusOr<nlohmann::json> download(int64_t organisation_id, int64_t id, const Actor& actor);
  // Invites the worker to a learner account, all in one write transaction:
  // reloads the worker (kNotFound once erased), refuses one already invited
  // (kConflict), makes the account with no password and its one-time
  // invitation through `accounts` (which must use this database), and links
  // the account to the worker, so erasing the worker takes the account too.
  // Of several invitations at once, one succeeds and the rest are kConflict.
  // Returns the invitation token. A worker with no email is a kInvalidInput
  // naming "invite"; an email another account holds, one naming "email".
  // Audited as worker.link-account, besides the account's user.create.
  StatusOr<std::string> invite(int64_t organisation_id, int64_t id, accounts::Accounts& accounts,
                               const accounts::User& inviter, const std::string& address);
  // The worker linked to a learner account; an account not linked yet is
  // linked to the one worker of the organisation with its email and no
  // account. Not audited as a read: it is the learner reading their own.
  StatusOr<std::optional<Worker>> for_user(int64_t organisation_id, int64_t user_id, const std::string& email);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_WORKFORCE_H_
