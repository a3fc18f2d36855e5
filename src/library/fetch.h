// Fetching another organisation's case-study feed from an address an
// administrator typed. The address is untrusted: fetch refuses anything that
// would make the server talk to itself or to the network it sits in (SSRF),
// bounds time and size, and says in words what went wrong.
#ifndef COPRODUCE_LIBRARY_FETCH_H_
#define COPRODUCE_LIBRARY_FETCH_H_

#include <cstddef>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace coproduce::library {

// Limits for one fetch. Passed in whole so tests and `serve` choose them.
struct FetchPolicy {
  // Hosts fetch may reach even though they resolve to a loopback or private
  // address (serve --allow-feed-host), written as the URL writes them: a name
  // ("feeds.internal"), an IP ("127.0.0.1", "::1" or "[::1]"), optionally with
  // a port ("127.0.0.1:8080", "[::1]:8080") to allow that port only. Matching
  // is on the host as typed, not on what it resolves to: allowing
  // "127.0.0.1" does not allow "localhost".
  std::vector<std::string> allowed_hosts;
  size_t max_bytes = size_t{5} * 1024 * 1024;  // the body of each response
  long timeout_seconds = 20;                   // the whole fetch, redirects included
  long connect_timeout_seconds = 5;            // each connection
  int max_redirects = 3;
  std::string user_agent = "Coproduce feed reader";
};

// A response with a 2xx status, after following redirects.
struct FetchResult {
  long status = 0;
  std::string content_type;  // as sent, e.g. "application/json; charset=utf-8"; may be empty
  std::string body;          // at most policy.max_bytes
  std::string final_url;     // the address the body came from
};

// What can go wrong, as a value.
enum class FetchError {
  kBadUrl,             // not an address fetch can read
  kSchemeNotAllowed,   // not http or https (also for a redirect)
  kAddressNotAllowed,  // loopback, private, link-local... and not allowed
  kResolveFailed,      // the name does not resolve
  kConnectFailed,
  kTimedOut,
  kTooBig,            // body over policy.max_bytes
  kTooManyRedirects,  // more than policy.max_redirects
  kHttpStatus,        // a status outside 2xx that is not a redirect
  kTls,               // certificate or TLS handshake
  kOther,
};

// `message` is a sentence for the administrator's page saying what happened
// and, where it can, what to do; it names the address involved.
struct FetchFailure {
  FetchError kind;
  std::string message;
};

// Fetches `url` with GET and returns the body of a 2xx response, or why not.
//
// Only http and https. The host is resolved once by fetch itself; every
// address it resolves to must be public (see is_forbidden_address) unless the
// host is in policy.allowed_hosts, and the connection is pinned to exactly
// those checked addresses, so a name that changes its answer between the
// check and the connection (DNS rebinding) cannot move it. Redirects are
// followed by fetch, each target checked the same way before any connection
// to it. Proxy settings from the environment are ignored.
//
// Blocks for up to policy.timeout_seconds plus the time the system resolver
// takes (bounded by resolv.conf, not by the policy). Thread-safe: any number
// of threads may call it at once; it keeps no state between calls.
//
// Example:
//   auto got = fetch("https://example.org/case-studies.json", FetchPolicy{});
//   if (auto* failure = std::get_if<FetchFailure>(&got)) show(failure->message);
[[nodiscard]] std::variant<FetchResult, FetchFailure> fetch(const std::string& url, const FetchPolicy& policy);

// Whether fetch refuses the literal IP address `ip` ("10.0.0.1", "::1",
// "[::1]", "fe80::1%eth0") when its host is not allowed: loopback, private,
// link-local (including 169.254.169.254, the cloud metadata service),
// unspecified, multicast, broadcast, carrier-grade NAT, reserved and
// documentation ranges, IPv6 outside global unicast, and IPv6 forms that
// embed one of those IPv4 addresses (IPv4-mapped, NAT64, 6to4). Text that is
// not an IP address is refused too.
bool is_forbidden_address(const std::string& ip);

namespace fetch_internal {

// Looks up `host` and returns its addresses as text ("192.0.2.7", "::1"), or
// nothing when it does not resolve. fetch uses getaddrinfo; tests pass a
// table so that names can be exercised without DNS.
using Resolver = std::function<std::vector<std::string>(const std::string& host)>;

// fetch with `resolve` in place of the system resolver. For tests.
[[nodiscard]] std::variant<FetchResult, FetchFailure> fetch(const std::string& url, const FetchPolicy& policy,
                                                            const Resolver& resolve);

}  // namespace fetch_internal

}  // namespace coproduce::library

#endif  // COPRODUCE_LIBRARY_FETCH_H_
