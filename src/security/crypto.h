// Passwords and secret tokens, by libsodium.
#ifndef COPRODUCE_SECURITY_CRYPTO_H_
#define COPRODUCE_SECURITY_CRYPTO_H_

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

// The problem with a proposed password, or an empty string when it is fine.
std::string password_problem(std::string_view password);

}  // namespace coproduce::security

#endif  // COPRODUCE_SECURITY_CRYPTO_H_
