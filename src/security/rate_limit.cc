#include "security/rate_limit.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

namespace coproduce::security {
namespace {

// The key that turns an address into its stored digest. It is never stored:
// without it a digest cannot be matched to an address by trying every one
// (there are only four billion IPv4 addresses), so a copy of the database
// does not say who filled in a form, even beside the form's timestamps.
// Several server processes that should share their counts are given the same
// key in COPRODUCE_RATE_LIMIT_KEY; otherwise each process makes its own.
const unsigned char* address_key() {
  static unsigned char key[crypto_generichash_KEYBYTES];
  static const bool ready = [] {
    const char* configured = std::getenv("COPRODUCE_RATE_LIMIT_KEY");
    if (configured && std::strlen(configured) >= 16) {
      crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(configured), std::strlen(configured),
                         nullptr, 0);
    } else {
      randombytes_buf(key, sizeof key);
    }
    return true;
  }();
  (void)ready;
  return key;
}

std::string address_digest(const std::string& address) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(address.data()), address.size(),
                     address_key(), crypto_generichash_KEYBYTES);
  char hex[crypto_generichash_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace

StatusOr<bool> RateLimiter::allow(const std::string& action, const std::string& address, int limit,
                                  std::chrono::seconds window) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  std::string key = action + ":" + address_digest(address);
  TimePoint now = clock_.now();
  std::string since = format_timestamp(now - window);
  store::Transaction tx(**c, store::TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  // Every address's old events for this action go, not only this one's, so
  // nothing is kept about a visitor who does not come back.
  if (auto swept = (*c)->execute("DELETE FROM rate_events WHERE rate_key LIKE $1 AND at <= $2", {action + ":%", since});
      !swept.ok()) {
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
