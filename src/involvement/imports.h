// Pool files waiting for confirmation: uploaded, checked and previewed, then
// imported (all or nothing) only when the person who uploaded them says so.
#ifndef COPRODUCE_INVOLVEMENT_IMPORTS_H_
#define COPRODUCE_INVOLVEMENT_IMPORTS_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "store/database.h"

namespace coproduce::involvement {

struct PendingImport {
  int64_t id = 0;
  std::string file_name;
  std::string id_column;
  std::string content;
};

class PendingImports {
 public:
  static constexpr std::chrono::hours kLifetime{1};
  // `db` and `clock` must outlive this. Thread-safe.
  PendingImports(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Keeps a checked file for `user_id` of `organisation_id`; sweeps expired ones.
  StatusOr<int64_t> hold(int64_t organisation_id, int64_t user_id, const PendingImport& file);
  // The held file, only for the same user and organisation, and only once.
  StatusOr<PendingImport> take(int64_t organisation_id, int64_t user_id, int64_t id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::involvement

#endif  // COPRODUCE_INVOLVEMENT_IMPORTS_H_
