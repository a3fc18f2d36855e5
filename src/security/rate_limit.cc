#include "security/rate_limit.h"

#include "security/crypto.h"

namespace coproduce::security {

StatusOr<bool> RateLimiter::allow(const std::string& action, const std::string& address, int limit,
                                  std::chrono::seconds window) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  std::string key = action + ":" + token_digest(address);
  TimePoint now = clock_.now();
  std::string since = format_timestamp(now - window);
  store::Transaction tx(**c, store::TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  if (auto swept = (*c)->execute("DELETE FROM rate_events WHERE rate_key = $1 AND at <= $2", {key, since}); !swept.ok()) {
    return swept.status();
  }
  auto count = (*c)->query_one("SELECT COUNT(*) FROM rate_events WHERE rate_key = $1", {key});
  if (!count.ok()) return count.status();
  bool allowed = count->integer(0) < limit;
  if (allowed) {
    auto ins = (*c)->execute("INSERT INTO rate_events (rate_key, at) VALUES ($1, $2)", {key, format_timestamp(now)});
    if (!ins.ok()) return ins.status();
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  return allowed;
}

}  // namespace coproduce::security
