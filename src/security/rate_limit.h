// Rate limits for public forms, counted in the database so that several
// server processes share them.
#ifndef COPRODUCE_SECURITY_RATE_LIMIT_H_
#define COPRODUCE_SECURITY_RATE_LIMIT_H_

#include <chrono>
#include <string>

#include "core/clock.h"
#include "store/database.h"

namespace coproduce::security {

class RateLimiter {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  RateLimiter(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Records one event for `action` from `address` and says whether it is
  // within `limit` events in the last `window`. Only a keyed digest of the
  // address is stored (the key is never stored: see rate_limit.cc), and
  // every event of `action` older than the window is swept.
  StatusOr<bool> allow(const std::string& action, const std::string& address, int limit, std::chrono::seconds window);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::security

#endif  // COPRODUCE_SECURITY_RATE_LIMIT_H_
