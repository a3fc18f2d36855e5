#include <gtest/gtest.h>

#include "security/crypto.h"
#include "security/roles.h"

namespace coproduce::security {
namespace {

TEST(Passwords, HashVerifiesOnlyTheRightPassword) {
  ASSERT_TRUE(init_crypto().ok());
  auto hash = hash_password("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(verify_password("correct horse battery", *hash));
  EXPECT_FALSE(verify_password("correct horse batterx", *hash));
  EXPECT_FALSE(verify_password("anything", ""));
  EXPECT_NE(*hash, *hash_password("correct horse battery")) << "hashes must be salted";
}

TEST(Passwords, ShortPasswordsAreRefusedWithAReason) {
  EXPECT_FALSE(password_problem("short").empty());
  EXPECT_TRUE(password_problem("long enough password").empty());
}

TEST(Tokens, AreRandomUrlSafeAndDigestStably) {
  ASSERT_TRUE(init_crypto().ok());
  std::string a = random_token(), b = random_token();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(token_digest(a), token_digest(a));
  EXPECT_NE(token_digest(a), token_digest(b));
  EXPECT_TRUE(constant_time_equal(a, a));
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(Roles, ParseAcceptsTheWaysPeopleWriteThem) {
  EXPECT_EQ(parse_role("administrator"), Role::kAdministrator);
  EXPECT_EQ(parse_role("Co-production lead"), Role::kCoproductionLead);
  EXPECT_EQ(parse_role("coproduction_lead"), Role::kCoproductionLead);
  EXPECT_EQ(parse_role("LEARNING LEAD"), Role::kLearningLead);
  EXPECT_EQ(parse_role("participant"), Role::kParticipant);
  EXPECT_FALSE(parse_role("superuser").has_value());
  for (Role r : all_roles()) EXPECT_EQ(parse_role(role_name(r)), r);
}

TEST(Roles, EmptySetAllowsNobody) {
  RoleSet nobody;
  for (Role r : all_roles()) EXPECT_FALSE(nobody.allows(r));
  EXPECT_FALSE(RoleSet::staff().allows(Role::kParticipant));
  EXPECT_TRUE(RoleSet::everyone().allows(Role::kParticipant));
}

}  // namespace
}  // namespace coproduce::security

#include <unistd.h>

#include <filesystem>

#include "security/rate_limit.h"
#include "store/migrations.h"

namespace coproduce::security {
namespace {

TEST(RateLimiter, AllowsUpToTheLimitPerAddressThenAgainAfterTheWindow) {
  ASSERT_TRUE(init_crypto().ok());
  auto path = std::filesystem::temp_directory_path() / ("coproduce-rate-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto db = *store::open_database(path.string());
    ASSERT_TRUE(store::migrate(*db, store::bundled_migrations()).ok());
    FakeClock clock(std::chrono::system_clock::from_time_t(1'800'000'000));
    RateLimiter limiter(*db, clock);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(*limiter.allow("send", "10.0.0.1", 3, std::chrono::hours(1)));
    EXPECT_FALSE(*limiter.allow("send", "10.0.0.1", 3, std::chrono::hours(1)));
    EXPECT_TRUE(*limiter.allow("send", "10.0.0.2", 3, std::chrono::hours(1))) << "another address";
    EXPECT_TRUE(*limiter.allow("start", "10.0.0.1", 3, std::chrono::hours(1))) << "another action";
    clock.advance(std::chrono::minutes(61));
    EXPECT_TRUE(*limiter.allow("send", "10.0.0.1", 3, std::chrono::hours(1)));
    auto* c = *db->connection();
    EXPECT_EQ(c->query_one("SELECT COUNT(*) FROM rate_events WHERE rate_key LIKE '%10.0.0.1%'")->integer(0), 0)
        << "addresses are stored only as digests";
    EXPECT_EQ(c->query_one("SELECT COUNT(*) FROM rate_events WHERE rate_key = $1", {"send:" + token_digest("10.0.0.1")})
                  ->integer(0),
              0)
        << "the digest is keyed, so trying every address does not find it";
    // 10.0.0.2 did not come back, but its expired event is gone all the same.
    EXPECT_EQ(c->query_one("SELECT COUNT(*) FROM rate_events WHERE rate_key LIKE 'send:%'")->integer(0), 1);
  }
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + ext);
}

TEST(SecretBox, OpensWhatItSealedAndNothingSealedWithAnotherKey) {
  auto box = SecretBox::from_passphrase("a passphrase long enough");
  ASSERT_TRUE(box.ok());
  std::string sealed = box->seal("relay password");
  EXPECT_EQ(sealed.find("relay"), std::string::npos);
  EXPECT_NE(box->seal("relay password"), sealed);  // a fresh nonce each time
  auto opened = box->open(sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "relay password");
  auto other = SecretBox::from_passphrase("another passphrase, also long");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->open(sealed).status().code(), StatusCode::kUnavailable);
  std::string changed = sealed;
  changed[changed.size() / 2] = changed[changed.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box->open(changed).ok());
  EXPECT_FALSE(box->open("not base64 at all!").ok());
}

TEST(SecretBox, AShortPassphraseIsRefusedNamingTheVariable) {
  auto box = SecretBox::from_passphrase("short");
  ASSERT_FALSE(box.ok());
  EXPECT_NE(box.status().message().find("COPRODUCE_SECRET_KEY"), std::string::npos);
}

TEST(Hmac, MatchesTheRfc4231TestVector) {
  // RFC 4231 test case 2: key "Jefe".
  std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : mac) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(base64url("\xfb\xff"), "-_8");
}

TEST(Base64, ComesBackAsItWentAndRefusesWhatIsNotBase64) {
  const char raw[] = "PK\x03\x04\x00\xff binary";  // a zip's first bytes, with a NUL
  const std::string workbook(raw, sizeof raw - 1);
  EXPECT_EQ(base64("\xfb\xff"), "+/8=");
  EXPECT_EQ(from_base64(base64(workbook)), workbook);
  EXPECT_EQ(from_base64(""), std::string());
  EXPECT_EQ(from_base64("not base64 at all!"), std::nullopt);
  EXPECT_EQ(from_base64("-_8"), std::nullopt);  // URL-safe letters are not standard base64
}

}  // namespace
}  // namespace coproduce::security
