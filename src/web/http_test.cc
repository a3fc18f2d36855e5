#include "web/http.h"

#include <gtest/gtest.h>

namespace coproduce::web {
namespace {

TEST(Utf8, AcceptsTextAndRejectsMalformedBytes) {
  EXPECT_TRUE(valid_utf8("plain"));
  EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(valid_utf8("\xc3\x28"));          // bad continuation
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong slash
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(valid_utf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(valid_utf8("\xff"));
}

TEST(PercentDecode, DecodesAndRejectsBadEscapes) {
  std::string out;
  EXPECT_TRUE(percent_decode("a%20b+c", &out, true));
  EXPECT_EQ(out, "a b c");
  EXPECT_TRUE(percent_decode("a+b", &out, false));
  EXPECT_EQ(out, "a+b");
  EXPECT_FALSE(percent_decode("%zz", &out, true));
  EXPECT_FALSE(percent_decode("abc%2", &out, true));
  EXPECT_FALSE(percent_decode("%", &out, true));
  EXPECT_EQ(percent_encode("/a b?"), "%2Fa%20b%3F");
}

TEST(ParseTarget, SplitsPathAndQuery) {
  Request r;
  r.target = "/admin/users?page=2&q=a%20b";
  ASSERT_TRUE(parse_target(r));
  EXPECT_EQ(r.path, "/admin/users");
  EXPECT_EQ(r.query("page"), "2");
  EXPECT_EQ(r.query("q"), "a b");
  EXPECT_EQ(r.query("missing"), "");
}

TEST(ParseTarget, RefusesWhatCannotBeAPath) {
  for (const char* bad : {"", "relative", "/%zz", "/%ff", "/a%00b", "*"}) {
    Request r;
    r.target = bad;
    EXPECT_FALSE(parse_target(r)) << bad;
  }
}

TEST(Cookies, AreFoundByExactName) {
  Request r;
  r.headers["cookie"] = "a=1; coproduce_session=abc; coproduce_session_x=zzz";
  EXPECT_EQ(r.cookie("coproduce_session"), "abc");
  EXPECT_EQ(r.cookie("a"), "1");
  EXPECT_EQ(r.cookie("b"), "");
}

TEST(Cookies, SetCookieCarriesTheSecurityAttributes) {
  std::string c = make_set_cookie("s", "v", {true, true, 60});
  EXPECT_NE(c.find("HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("Secure"), std::string::npos);
  EXPECT_NE(c.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(c.find("Max-Age=60"), std::string::npos);
  EXPECT_EQ(make_set_cookie("s", "v", {true, false, -1}).find("Secure"), std::string::npos);
}

TEST(ClientAddress, IsThePeerUnlessThePeerIsATrustedProxy) {
  EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", {}), "203.0.113.9") << "nobody trusted: the header is ignored";
  EXPECT_EQ(client_address("203.0.113.9", "198.51.100.1", {"127.0.0.1"}), "203.0.113.9") << "a client cannot claim another address";
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1", {"127.0.0.1"}), "198.51.100.1");
  EXPECT_EQ(client_address("127.0.0.1", "", {"127.0.0.1"}), "127.0.0.1");
}

TEST(ClientAddress, ReadsFromTheRightAndBelievesOnlyWhatTrustedProxiesVouchFor) {
  // The client wrote 10.0.0.1 itself; nginx added the address it saw.
  EXPECT_EQ(client_address("127.0.0.1", "10.0.0.1, 198.51.100.1", {"127.0.0.1"}), "198.51.100.1");
  // Two proxies in a row, both trusted.
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1, 192.0.2.7", {"127.0.0.1", "192.0.2.7"}), "198.51.100.1");
  // A hop that is not an address stops the reading at the last good one.
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.1, not-an-address", {"127.0.0.1"}), "127.0.0.1");
  EXPECT_EQ(client_address("::1", "2001:db8::5", {"::1"}), "2001:db8::5");
  EXPECT_EQ(client_address("::ffff:127.0.0.1", "198.51.100.1", {"127.0.0.1"}), "198.51.100.1") << "IPv4 as IPv6";
}

}  // namespace
}  // namespace coproduce::web
