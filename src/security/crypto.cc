#include "security/crypto.h"

#include "core/translatable.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

namespace coproduce::security {

Status init_crypto() {
  if (sodium_init() < 0) return Internal("libsodium could not start");
  return Status::Ok();
}

StatusOr<std::string> hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("not enough memory to hash the password");
  }
  return std::string(out);
}

bool verify_password(std::string_view password, const std::string& hash) {
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string token_digest(std::string_view token) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[crypto_generichash_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

StatusOr<SecretBox> SecretBox::from_environment() {
  const char* passphrase = std::getenv(kSecretKeyVariable);
  return from_passphrase(passphrase == nullptr ? "" : passphrase);
}

StatusOr<SecretBox> SecretBox::from_passphrase(std::string_view passphrase) {
  if (passphrase.size() < kMinSecretPassphrase) {
    return Unavailable(std::string("set ") + kSecretKeyVariable + " to a passphrase of " +
                              std::to_string(kMinSecretPassphrase) +
                              " characters or more, the same for every server process, before storing passwords"
                              " or keys for sending messages");
  }
  if (Status s = init_crypto(); !s.ok()) return s;
  // The passphrase is stretched by a keyed hash with a fixed context, so the
  // same passphrase gives the same key in every process.
  static const unsigned char kContext[crypto_generichash_KEYBYTES] = "coproduce secret box, version 1";
  SecretBox box;
  box.key_.resize(crypto_secretbox_KEYBYTES);
  crypto_generichash(reinterpret_cast<unsigned char*>(box.key_.data()), box.key_.size(),
                     reinterpret_cast<const unsigned char*>(passphrase.data()), passphrase.size(), kContext,
                     sizeof kContext);
  return box;
}

std::string SecretBox::seal(std::string_view plain) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(bytes, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(bytes + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), bytes, reinterpret_cast<const unsigned char*>(key_.data()));
  return base64url(out);
}

StatusOr<std::string> SecretBox::open(std::string_view sealed) const {
  std::string raw(sealed.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), sealed.data(), sealed.size(),
                        nullptr, &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Unavailable("a stored secret is damaged; enter it again");
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), bytes + crypto_secretbox_NONCEBYTES,
                                 length - crypto_secretbox_NONCEBYTES, bytes,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return Unavailable(std::string("a stored secret cannot be opened with this ") + kSecretKeyVariable +
                              "; use the key it was stored with, or enter the secret again");
  }
  return plain;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&state, out);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string base64url(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string password_problem(std::string_view password) {
  if (password.size() < 12) return N_("Password must be 12 characters or more");
  if (password.size() > 256) return N_("Password must be 256 characters or fewer");
  return "";
}

}  // namespace coproduce::security
