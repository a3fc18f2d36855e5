#include "library/fetch.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace coproduce::library {
namespace {

const char* kind_name(FetchError kind) {
  switch (kind) {
    case FetchError::kBadUrl:
      return "kBadUrl";
    case FetchError::kSchemeNotAllowed:
      return "kSchemeNotAllowed";
    case FetchError::kAddressNotAllowed:
      return "kAddressNotAllowed";
    case FetchError::kResolveFailed:
      return "kResolveFailed";
    case FetchError::kConnectFailed:
      return "kConnectFailed";
    case FetchError::kTimedOut:
      return "kTimedOut";
    case FetchError::kTooBig:
      return "kTooBig";
    case FetchError::kTooManyRedirects:
      return "kTooManyRedirects";
    case FetchError::kHttpStatus:
      return "kHttpStatus";
    case FetchError::kTls:
      return "kTls";
    case FetchError::kOther:
      return "kOther";
  }
  return "?";
}

// Describes a fetch outcome for assertion messages.
std::string describe(const std::variant<FetchResult, FetchFailure>& got) {
  if (auto* f = std::get_if<FetchFailure>(&got)) return std::string(kind_name(f->kind)) + ": " + f->message;
  const auto& r = std::get<FetchResult>(got);
  return "status " + std::to_string(r.status) + " from " + r.final_url + " (" + std::to_string(r.body.size()) +
         " bytes)";
}

// The failure kind, or nullopt when the fetch succeeded.
std::optional<FetchError> kind_of(const std::variant<FetchResult, FetchFailure>& got) {
  if (auto* f = std::get_if<FetchFailure>(&got)) return f->kind;
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// is_forbidden_address

struct AddressCase {
  const char* ip;
  bool forbidden;
};

constexpr AddressCase kAddressCases[] = {
    // Loopback 127/8 and its edges.
    {"127.0.0.0", true},
    {"127.0.0.1", true},
    {"127.255.255.255", true},
    {"126.255.255.255", false},
    {"128.0.0.0", false},
    // Private 10/8.
    {"10.0.0.0", true},
    {"10.255.255.255", true},
    {"9.255.255.255", false},
    {"11.0.0.0", false},
    // Private 172.16/12.
    {"172.16.0.0", true},
    {"172.31.255.255", true},
    {"172.15.255.255", false},
    {"172.32.0.0", false},
    // Private 192.168/16.
    {"192.168.0.0", true},
    {"192.168.255.255", true},
    {"192.167.255.255", false},
    {"192.169.0.0", false},
    // Link-local 169.254/16, including the cloud metadata service.
    {"169.254.169.254", true},
    {"169.254.0.0", true},
    {"169.254.255.255", true},
    {"169.253.255.255", false},
    {"169.255.0.0", false},
    // Unspecified and "this network" 0/8.
    {"0.0.0.0", true},
    {"0.255.255.255", true},
    {"1.0.0.0", false},
    // Carrier-grade NAT 100.64/10.
    {"100.64.0.0", true},
    {"100.127.255.255", true},
    {"100.63.255.255", false},
    {"100.128.0.0", false},
    // Multicast 224/4, reserved 240/4 and broadcast.
    {"224.0.0.1", true},
    {"239.255.255.255", true},
    {"240.0.0.1", true},
    {"255.255.255.255", true},
    {"223.255.255.255", false},
    // Other special-purpose IPv4: protocol assignments, documentation, benchmarking.
    {"192.0.0.8", true},
    {"192.0.2.1", true},
    {"198.18.0.1", true},
    {"198.19.255.255", true},
    {"198.51.100.7", true},
    {"203.0.113.9", true},
    {"198.20.0.0", false},
    // Public IPv4.
    {"8.8.8.8", false},
    {"1.1.1.1", false},
    {"93.184.216.34", false},
    // IPv6 loopback, unspecified, unique local fc00::/7, link-local fe80::/10, multicast.
    {"::1", true},
    {"::", true},
    {"[::1]", true},
    {"0:0:0:0:0:0:0:1", true},
    {"fc00::1", true},
    {"fdff:ffff:ffff::1", true},
    {"fe80::1", true},
    {"febf:ffff::1", true},
    {"fe80::1%eth0", true},
    {"fec0::1", true},
    {"ff02::1", true},
    {"ff05::1:3", true},
    // IPv4-mapped IPv6 is judged by the IPv4 address inside it, in either spelling.
    {"::ffff:127.0.0.1", true},
    {"::ffff:7f00:1", true},
    {"::ffff:10.1.2.3", true},
    {"::ffff:169.254.169.254", true},
    {"::ffff:0.0.0.0", true},
    {"::ffff:192.168.1.1", true},
    {"::ffff:100.64.0.1", true},
    {"::ffff:224.0.0.1", true},
    {"::ffff:8.8.8.8", false},
    // IPv4-compatible, NAT64 and 6to4 forms that lead to a forbidden IPv4 address.
    {"::127.0.0.1", true},
    {"64:ff9b::7f00:1", true},
    {"64:ff9b::10.0.0.1", true},
    {"64:ff9b::808:808", false},
    {"2002:7f00:1::1", true},
    {"2002:a00:1::", true},
    {"2002:808:808::1", false},
    // Special IPv6 inside 2000::/3: Teredo, documentation; and the edges of 2000::/3.
    {"2001::1", true},
    {"2001:db8::1", true},
    {"3fff::1", true},
    {"1fff:ffff::1", true},
    {"4000::1", true},
    {"2000::1", false},
    {"3fff:1000::1", false},
    // Public IPv6.
    {"2606:4700::1111", false},
    {"2001:4860:4860::8888", false},
    {"[2606:4700::1111]", false},
    // Not an IP address at all: refused, since it cannot be judged.
    {"", true},
    {"localhost", true},
    {"127.1", true},
    {"1.2.3.4.5", true},
    {"8.8.8.8 ", true},
};

TEST(IsForbiddenAddress, Table) {
  for (const AddressCase& c : kAddressCases) {
    EXPECT_EQ(is_forbidden_address(c.ip), c.forbidden) << "'" << c.ip << "'";
  }
}

// ---------------------------------------------------------------------------
// Refusals that need no network: fetch refuses before any connection.

struct UrlCase {
  const char* url;
  FetchError expected;
};

constexpr UrlCase kRefusedUrls[] = {
    {"ftp://example.org/feed.json", FetchError::kSchemeNotAllowed},
    {"file:///etc/passwd", FetchError::kSchemeNotAllowed},
    {"gopher://example.org/", FetchError::kSchemeNotAllowed},
    {"javascript:alert(1)", FetchError::kSchemeNotAllowed},
    {"dict://127.0.0.1:6379/info", FetchError::kSchemeNotAllowed},
    {"http://127.0.0.1/", FetchError::kAddressNotAllowed},
    {"HTTP://127.0.0.1/", FetchError::kAddressNotAllowed},
    {"http://localhost/", FetchError::kAddressNotAllowed},
    {"http://LOCALHOST/", FetchError::kAddressNotAllowed},
    {"http://[::1]/", FetchError::kAddressNotAllowed},
    {"http://[0:0::1]:8080/", FetchError::kAddressNotAllowed},
    {"http://[::ffff:127.0.0.1]/", FetchError::kAddressNotAllowed},
    {"http://[fe80::1%25eth0]/", FetchError::kAddressNotAllowed},
    {"http://169.254.169.254/latest/meta-data/", FetchError::kAddressNotAllowed},
    {"http://2130706433/", FetchError::kAddressNotAllowed},
    {"http://0x7f.1/", FetchError::kAddressNotAllowed},
    {"http://0177.0.0.1/", FetchError::kAddressNotAllowed},
    {"http://127.1/", FetchError::kAddressNotAllowed},
    {"http://0/", FetchError::kAddressNotAllowed},
    {"http://10.0.0.1/feed", FetchError::kAddressNotAllowed},
    {"https://192.168.1.1/feed", FetchError::kAddressNotAllowed},
    {"http://user@127.0.0.1/", FetchError::kAddressNotAllowed},
    {"", FetchError::kBadUrl},
    {"not a url", FetchError::kBadUrl},
    {"example.org/feed.json", FetchError::kBadUrl},
    {"//example.org/feed.json", FetchError::kBadUrl},
    {"http://", FetchError::kBadUrl},
    {"http://exa mple.org/", FetchError::kBadUrl},
    {"http://[::1/", FetchError::kBadUrl},
    {"http://example.org:99999/", FetchError::kBadUrl},
    {"http://bücher.example/", FetchError::kBadUrl},
};

TEST(Fetch, RefusesWithoutConnecting) {
  FetchPolicy policy;
  for (const UrlCase& c : kRefusedUrls) {
    auto got = fetch(c.url, policy);
    EXPECT_EQ(kind_of(got), c.expected) << "'" << c.url << "' gave " << describe(got);
    if (auto* f = std::get_if<FetchFailure>(&got)) {
      EXPECT_FALSE(f->message.empty()) << c.url;
    }
  }
}

TEST(Fetch, AllowingAnAddressDoesNotAllowOtherNamesForIt) {
  FetchPolicy policy;
  policy.allowed_hosts = {"127.0.0.1"};
  auto got = fetch("http://localhost/", policy);
  EXPECT_EQ(kind_of(got), FetchError::kAddressNotAllowed) << describe(got);
  got = fetch("http://[::1]/", policy);
  EXPECT_EQ(kind_of(got), FetchError::kAddressNotAllowed) << describe(got);
}

TEST(Fetch, RefusalNamesTheAddress) {
  auto got = fetch("http://169.254.169.254/latest/meta-data/", FetchPolicy{});
  ASSERT_EQ(kind_of(got), FetchError::kAddressNotAllowed) << describe(got);
  EXPECT_NE(std::get<FetchFailure>(got).message.find("169.254.169.254"), std::string::npos);
}

// Names resolved through a table, so no DNS is involved.
fetch_internal::Resolver table_resolver(std::map<std::string, std::vector<std::string>> table, int* calls) {
  return [table = std::move(table), calls](const std::string& host) -> std::vector<std::string> {
    ++*calls;
    auto it = table.find(host);
    return it == table.end() ? std::vector<std::string>{} : it->second;
  };
}

TEST(Fetch, ANameWithAnyForbiddenAddressIsRefused) {
  int calls = 0;
  auto resolve = table_resolver({{"mixed.test", {"93.184.216.34", "10.1.2.3"}}}, &calls);
  auto got = fetch_internal::fetch("https://mixed.test/feed.json", FetchPolicy{}, resolve);
  ASSERT_EQ(kind_of(got), FetchError::kAddressNotAllowed) << describe(got);
  EXPECT_NE(std::get<FetchFailure>(got).message.find("10.1.2.3"), std::string::npos);
  EXPECT_EQ(calls, 1);
}

TEST(Fetch, ANameThatDoesNotResolveIsReported) {
  int calls = 0;
  auto got = fetch_internal::fetch("https://nowhere.test/feed.json", FetchPolicy{}, table_resolver({}, &calls));
  EXPECT_EQ(kind_of(got), FetchError::kResolveFailed) << describe(got);
}

// ---------------------------------------------------------------------------
// A tiny HTTP server on 127.0.0.1, one connection at a time.

class LoopbackServer {
 public:
  // Given the request path, the raw bytes to answer with, or nullopt to
  // accept the connection and never answer.
  using Handler = std::function<std::optional<std::string>(const std::string& path)>;

  explicit LoopbackServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("bind/listen on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }

  ~LoopbackServer() {
    stop_ = true;
    thread_.join();
    for (int fd : held_) close(fd);
    close(listen_fd_);
  }

  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  // Connections accepted so far.
  int connections() const { return connections_; }

 private:
  void run() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      serve(fd);
    }
  }

  void serve(int fd) {
    timeval two_seconds{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &two_seconds, sizeof two_seconds);
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      request.append(buf, static_cast<size_t>(n));
    }
    // "GET /path HTTP/1.1"
    size_t first = request.find(' ');
    size_t second = request.find(' ', first + 1);
    std::string path =
        first == std::string::npos || second == std::string::npos ? "/" : request.substr(first + 1, second - first - 1);
    std::optional<std::string> response = handler_(path);
    if (!response) {
      held_.push_back(fd);
      return;
    }
    const std::string& bytes = *response;
    size_t sent = 0;
    while (sent < bytes.size()) {
      // MSG_NOSIGNAL: a client that hangs up on a large body must not kill the test with SIGPIPE.
      ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    close(fd);
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::vector<int> held_;  // only touched by the server thread until it is joined
  std::thread thread_;
};

std::string http_response(int status, const std::string& content_type, const std::string& body,
                          const std::string& extra_headers = "", bool with_length = true) {
  std::string r = "HTTP/1.1 " + std::to_string(status) + " Whatever\r\n";
  if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
  if (with_length) r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  r += extra_headers + "Connection: close\r\n\r\n" + body;
  return r;
}

std::string redirect_to(const std::string& location) {
  return http_response(302, "text/plain", "moved", "Location: " + location + "\r\n");
}

constexpr char kJson[] = R"({"case_studies":[{"title":"Co-designing the day centre"}]})";

// Routes shared by the loopback tests. /hop/N redirects N times before the feed.
std::optional<std::string> routes(const std::string& path, int port) {
  if (path == "/feed.json") return http_response(200, "application/json; charset=utf-8", kJson);
  if (path == "/exactly-1000") return http_response(200, "text/plain", std::string(1000, 'x'));
  if (path == "/1001-with-length") return http_response(200, "text/plain", std::string(1001, 'x'));
  if (path == "/big-without-length") {
    return http_response(200, "text/plain", std::string(200000, 'x'), "", /*with_length=*/false);
  }
  if (path == "/silent") return std::nullopt;
  if (path.rfind("/hop/", 0) == 0) {
    int n = std::stoi(path.substr(5));
    if (n == 0) return http_response(200, "application/json", kJson);
    return redirect_to("/hop/" + std::to_string(n - 1));
  }
  if (path == "/to-localhost") return redirect_to("http://localhost:" + std::to_string(port) + "/feed.json");
  if (path == "/to-private") return redirect_to("http://10.0.0.1/feed.json");
  if (path == "/to-metadata") return redirect_to("http://169.254.169.254/latest/meta-data/");
  if (path == "/to-ftp") return redirect_to("ftp://127.0.0.1/feed.json");
  if (path == "/to-absolute-feed") return redirect_to("http://127.0.0.1:" + std::to_string(port) + "/feed.json");
  if (path == "/moved-nowhere") return http_response(301, "text/plain", "no location");
  if (path == "/broken") return http_response(500, "text/plain", "oops");
  return http_response(404, "text/plain", "not found");
}

class LoopbackFetch : public ::testing::Test {
 protected:
  LoopbackFetch() : server_([this](const std::string& path) { return routes(path, server_.port()); }) {
    policy_.allowed_hosts = {"127.0.0.1"};
    policy_.max_bytes = 1000;
    policy_.timeout_seconds = 2;
    policy_.connect_timeout_seconds = 1;
    policy_.max_redirects = 3;
  }

  LoopbackServer server_;
  FetchPolicy policy_;
};

TEST_F(LoopbackFetch, ReturnsTheBodyAndContentType) {
  auto got = fetch(server_.url("/feed.json"), policy_);
  ASSERT_TRUE(std::holds_alternative<FetchResult>(got)) << describe(got);
  const auto& r = std::get<FetchResult>(got);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.body, kJson);
  EXPECT_EQ(r.final_url, server_.url("/feed.json"));
}

TEST_F(LoopbackFetch, WithoutAnAllowlistEntryLoopbackIsNeverContacted) {
  policy_.allowed_hosts.clear();
  auto got = fetch(server_.url("/feed.json"), policy_);
  EXPECT_EQ(kind_of(got), FetchError::kAddressNotAllowed) << describe(got);
  EXPECT_EQ(server_.connections(), 0);
}

TEST_F(LoopbackFetch, AnAllowlistEntryWithAPortAllowsOnlyThatPort) {
  policy_.allowed_hosts = {"127.0.0.1:" + std::to_string(server_.port())};
  auto got = fetch(server_.url("/feed.json"), policy_);
  EXPECT_TRUE(std::holds_alternative<FetchResult>(got)) << describe(got);

  policy_.allowed_hosts = {"127.0.0.1:1"};
  got = fetch(server_.url("/feed.json"), policy_);
  EXPECT_EQ(kind_of(got), FetchError::kAddressNotAllowed) << describe(got);
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(LoopbackFetch, AnAllowedNameIsConnectedToOnlyAtTheAddressItWasCheckedAt) {
  // If curl looked "feed.test" up again instead of using the pinned answer,
  // it would not find it and this would fail as kResolveFailed.
  int calls = 0;
  policy_.allowed_hosts = {"feed.test"};
  auto resolve = table_resolver({{"feed.test", {"127.0.0.1"}}}, &calls);
  auto got =
      fetch_internal::fetch("http://feed.test:" + std::to_string(server_.port()) + "/feed.json", policy_, resolve);
  ASSERT_TRUE(std::holds_alternative<FetchResult>(got)) << describe(got);
  EXPECT_EQ(std::get<FetchResult>(got).body, kJson);
  EXPECT_EQ(calls, 1);
}

TEST_F(LoopbackFetch, ANameWithATrailingDotIsPinnedToo) {
  // curl drops the trailing dot before it looks the name up; the pin must
  // cover the name curl uses, or curl would ask DNS itself.
  int calls = 0;
  policy_.allowed_hosts = {"feed.test"};
  auto resolve = table_resolver({{"feed.test.", {"127.0.0.1"}}}, &calls);
  auto got =
      fetch_internal::fetch("http://feed.test.:" + std::to_string(server_.port()) + "/feed.json", policy_, resolve);
  ASSERT_TRUE(std::holds_alternative<FetchResult>(got)) << describe(got);
  EXPECT_EQ(calls, 1);
}

TEST_F(LoopbackFetch, ABodyOfExactlyTheLimitIsAccepted) {
  auto got = fetch(server_.url("/exactly-1000"), policy_);
  ASSERT_TRUE(std::holds_alternative<FetchResult>(got)) << describe(got);
  EXPECT_EQ(std::get<FetchResult>(got).body.size(), 1000u);
}

TEST_F(LoopbackFetch, ABodyOverTheLimitIsTooBig) {
  auto got = fetch(server_.url("/1001-with-length"), policy_);
  EXPECT_EQ(kind_of(got), FetchError::kTooBig) << describe(got);
  got = fetch(server_.url("/big-without-length"), policy_);
  EXPECT_EQ(kind_of(got), FetchError::kTooBig) << describe(got);
}

TEST_F(LoopbackFetch, AServerThatNeverAnswersTimesOut) {
  policy_.timeout_seconds = 1;
  auto start = std::chrono::steady_clock::now();
  auto got = fetch(server_.url("/silent"), policy_);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(kind_of(got), FetchError::kTimedOut) << describe(got);
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST_F(LoopbackFetch, FollowsUpToMaxRedirects) {
  auto got = fetch(server_.url("/hop/3"), policy_);
  ASSERT_TRUE(std::holds_alternative<FetchResult>(got)) << describe(got);
  EXPECT_EQ(std::get<FetchResult>(got).final_url, server_.url("/hop/0"));
  EXPECT_EQ(std::get<FetchResult>(got).body, kJson);
}

TEST_F(LoopbackFetch, ALongerRedirectChainIsRefused) {
  auto got = fetch(server_.url("/hop/4"), policy_);
  EXPECT_EQ(kind_of(got), FetchError::kTooManyRedirects) << describe(got);
  EXPECT_EQ(server_.connections(), 4) << "the fifth hop must not be requested";
}

TEST_F(LoopbackFetch, RedirectsToAnotherAllowedAddressAreFollowed) {
  auto got = fetch(server_.url("/to-absolute-feed"), policy_);
  ASSERT_TRUE(std::holds_alternative<FetchResult>(got)) << describe(got);
  EXPECT_EQ(std::get<FetchResult>(got).final_url, server_.url("/feed.json"));
}

TEST_F(LoopbackFetch, RedirectsToForbiddenAddressesAreRefusedBeforeConnecting) {
  // localhost is 127.0.0.1 too, so a connection would reach this server and
  // count; the refusal must come first.
  auto got = fetch(server_.url("/to-localhost"), policy_);
  EXPECT_EQ(kind_of(got), FetchError::kAddressNotAllowed) << describe(got);
  EXPECT_EQ(server_.connections(), 1);

  for (const char* path : {"/to-private", "/to-metadata"}) {
    got = fetch(server_.url(path), policy_);
    ASSERT_EQ(kind_of(got), FetchError::kAddressNotAllowed) << path << ": " << describe(got);
    EXPECT_NE(std::get<FetchFailure>(got).message.find("redirected"), std::string::npos);
  }
}

TEST_F(LoopbackFetch, RedirectsToOtherSchemesAreRefused) {
  auto got = fetch(server_.url("/to-ftp"), policy_);
  EXPECT_EQ(kind_of(got), FetchError::kSchemeNotAllowed) << describe(got);
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(LoopbackFetch, ErrorStatusesAreReportedWithTheStatus) {
  auto got = fetch(server_.url("/missing"), policy_);
  ASSERT_EQ(kind_of(got), FetchError::kHttpStatus) << describe(got);
  EXPECT_NE(std::get<FetchFailure>(got).message.find("404"), std::string::npos);

  got = fetch(server_.url("/broken"), policy_);
  ASSERT_EQ(kind_of(got), FetchError::kHttpStatus) << describe(got);
  EXPECT_NE(std::get<FetchFailure>(got).message.find("500"), std::string::npos);

  got = fetch(server_.url("/moved-nowhere"), policy_);
  ASSERT_EQ(kind_of(got), FetchError::kHttpStatus) << describe(got);
  EXPECT_NE(std::get<FetchFailure>(got).message.find("301"), std::string::npos);
}

TEST_F(LoopbackFetch, ANothingListeningPortFailsToConnect) {
  // Bind, learn a free loopback port, close it: nothing listens there now.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  auto got = fetch("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/feed.json", policy_);
  EXPECT_EQ(kind_of(got), FetchError::kConnectFailed) << describe(got);
}

TEST_F(LoopbackFetch, IsSafeToCallFromManyThreads) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        if (std::holds_alternative<FetchResult>(fetch(server_.url("/feed.json"), policy_))) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 20);
}

}  // namespace
}  // namespace coproduce::library
