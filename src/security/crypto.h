// Passwords and secret tokens, by libsodium.
#ifndef COPRODUCE_SECURITY_CRYPTO_H_
#define COPRODUCE_SECURITY_CRYPTO_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace coproduce::security {

// Initialises libsodium; call once before any other function here.
// Safe to call more than once and from several threads.
Status init_crypto();

// An argon2id hash of `password` in libsodium's self-describing string form.
StatusOr<std::string> hash_password(std::string_view password);

// True when `password` matches `hash`. Constant time in the password.
bool verify_password(std::string_view password, const std::string& hash);

// A fresh random token: 32 bytes as URL-safe base64 without padding.
std::string random_token();

// A one-way digest of a token, as hex, for storing tokens without being able
// to reconstruct them from the database.
std::string token_digest(std::string_view token);

// Compares two strings in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

// Secrets kept for the server to use again (a mail relay's password, a
// GOV.UK Notify API key): sealed with a key given to the server, so the
// database alone does not give them away. The key comes from a passphrase of
// 16 characters or more (COPRODUCE_SECRET_KEY).
inline constexpr const char* kSecretKeyVariable = "COPRODUCE_SECRET_KEY";
inline constexpr size_t kMinSecretPassphrase = 16;

class SecretBox {
 public:
  // From the passphrase in COPRODUCE_SECRET_KEY; Unavailable saying
  // what to set when it is missing or too short.
  static StatusOr<SecretBox> from_environment();
  static StatusOr<SecretBox> from_passphrase(std::string_view passphrase);

  // `plain` encrypted and authenticated with a fresh nonce, as URL-safe base64.
  std::string seal(std::string_view plain) const;
  // The plain text again; Unavailable when it was sealed with another
  // key or has been changed.
  StatusOr<std::string> open(std::string_view sealed) const;

 private:
  std::string key_;  // crypto_secretbox_KEYBYTES bytes
};

// HMAC-SHA-256 of `message` under `key`, as raw bytes (32).
std::string hmac_sha256(std::string_view key, std::string_view message);
// URL-safe base64 without padding (as JSON Web Tokens use).
std::string base64url(std::string_view bytes);
// Standard base64 with padding (as MIME uses).
std::string base64(std::string_view bytes);
// The bytes of standard base64 text (as base64() writes it), or nullopt
// when it is not base64.
std::optional<std::string> from_base64(std::string_view text);

// The problem with a proposed password, or an empty string when it is fine.
std::string password_problem(std::string_view password);

}  // namespace coproduce::security

#endif  // COPRODUCE_SECURITY_CRYPTO_H_
