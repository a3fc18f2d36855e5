#include "library/fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

namespace coproduce::library {

namespace {

// ---------------------------------------------------------------------------
// Addresses

// An IP address in network byte order; IPv4 uses the first four bytes.
struct IpAddress {
  int family = AF_INET;
  std::array<unsigned char, 16> bytes{};

  bool operator==(const IpAddress&) const = default;
};

std::optional<IpAddress> parse_ip(std::string text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  // A zone ("fe80::1%eth0") picks an interface; it does not change which
  // range the address is in.
  if (auto percent = text.find('%'); percent != std::string::npos) text.resize(percent);
  IpAddress ip;
  if (inet_pton(AF_INET, text.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET;
    return ip;
  }
  if (inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET6;
    return ip;
  }
  return std::nullopt;
}

std::string ip_text(const IpAddress& ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(ip.family, ip.bytes.data(), buf, sizeof buf);
  return buf;
}

constexpr uint32_t v4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return a << 24 | b << 16 | c << 8 | d; }

struct V4Range {
  uint32_t base;
  int prefix;
};

// Every IPv4 range that is not ordinary public unicast (IANA special-purpose
// registry, RFC 6890 and successors). Stricter than "private" on purpose:
// a feed never legitimately lives on a documentation or benchmarking address.
constexpr V4Range kForbiddenV4[] = {
    {v4(0, 0, 0, 0), 8},        // "this network", including the unspecified 0.0.0.0
    {v4(10, 0, 0, 0), 8},       // private
    {v4(100, 64, 0, 0), 10},    // carrier-grade NAT
    {v4(127, 0, 0, 0), 8},      // loopback
    {v4(169, 254, 0, 0), 16},   // link-local, including the cloud metadata service
    {v4(172, 16, 0, 0), 12},    // private
    {v4(192, 0, 0, 0), 24},     // IETF protocol assignments
    {v4(192, 0, 2, 0), 24},     // documentation
    {v4(192, 88, 99, 0), 24},   // 6to4 relay anycast (deprecated)
    {v4(192, 168, 0, 0), 16},   // private
    {v4(198, 18, 0, 0), 15},    // benchmarking
    {v4(198, 51, 100, 0), 24},  // documentation
    {v4(203, 0, 113, 0), 24},   // documentation
    {v4(224, 0, 0, 0), 4},      // multicast
    {v4(240, 0, 0, 0), 4},      // reserved, including broadcast 255.255.255.255
};

bool forbidden_v4(const unsigned char* a) {
  uint32_t x = v4(a[0], a[1], a[2], a[3]);
  for (const V4Range& range : kForbiddenV4) {
    uint32_t mask = ~uint32_t{0} << (32 - range.prefix);
    if ((x & mask) == range.base) return true;
  }
  return false;
}

bool all_zero(const unsigned char* a, size_t n) {
  return std::all_of(a, a + n, [](unsigned char c) { return c == 0; });
}

bool forbidden_v6(const unsigned char* a) {
  // Forms that carry an IPv4 address are judged by that address, since the
  // packet ends up there: IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96,
  // 6to4 2002::/16.
  if (all_zero(a, 10) && a[10] == 0xff && a[11] == 0xff) return forbidden_v4(a + 12);
  if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b && all_zero(a + 4, 8)) return forbidden_v4(a + 12);
  if (a[0] == 0x20 && a[1] == 0x02) return forbidden_v4(a + 2);
  // Only global unicast 2000::/3 is public. Outside it: unspecified ::,
  // loopback ::1, IPv4-compatible ::/96, unique local fc00::/7, link-local
  // fe80::/10, site-local fec0::/10, multicast ff00::/8, discard 100::/64...
  if ((a[0] & 0xe0) != 0x20) return true;
  if (a[0] == 0x20 && a[1] == 0x01 && (a[2] & 0xfe) == 0) return true;  // 2001::/23: Teredo, benchmarking, ORCHID
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return true;  // 2001:db8::/32 documentation
  if (a[0] == 0x3f && a[1] == 0xff && (a[2] & 0xf0) == 0) return true;            // 3fff::/20 documentation
  return false;
}

bool forbidden(const IpAddress& ip) {
  return ip.family == AF_INET ? forbidden_v4(ip.bytes.data()) : forbidden_v6(ip.bytes.data());
}

// ---------------------------------------------------------------------------
// Text helpers

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// URLs go into sentences on the administrator's page; a pasted page of text
// should not.
std::string quoted(const std::string& url) {
  constexpr size_t kMax = 200;
  if (url.size() <= kMax) return url;
  return url.substr(0, kMax) + "...";
}

std::string describe_bytes(size_t n) {
  char buf[48];
  if (n >= size_t{1024} * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1024.0 * 1024.0));
  } else if (n >= 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(n) / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%zu bytes", n);
  }
  return buf;
}

FetchFailure failure(FetchError kind, std::string message) { return FetchFailure{kind, std::move(message)}; }

// ---------------------------------------------------------------------------
// curl handles

// curl_global_init must run once, before any other curl call, and is not
// safe to race; a function-local static gives exactly that.
bool ensure_curl_initialised() {
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  return result == CURLE_OK;
}

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlEasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct CurlListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct CurlFree {
  void operator()(char* p) const { curl_free(p); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlListDeleter>;

std::optional<std::string> url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(u, part, &raw, flags) != CURLUE_OK || raw == nullptr) return std::nullopt;
  std::unique_ptr<char, CurlFree> owned(raw);
  return std::string(raw);
}

// ---------------------------------------------------------------------------
// One address, parsed the way curl will fetch it

struct Target {
  CurlUrl handle;    // handed to curl as is, so what was checked is what is fetched
  std::string url;   // normalised by curl, e.g. http://2130706433/ becomes http://127.0.0.1/
  std::string host;  // as in the URL: a name, a dotted IPv4 or a bracketed IPv6
  long port = 0;
  bool host_is_ip = false;
};

std::variant<Target, FetchFailure> parse_target(std::string url) {
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back()))) url.pop_back();
  size_t start = 0;
  while (start < url.size() && std::isspace(static_cast<unsigned char>(url[start]))) ++start;
  url.erase(0, start);

  if (url.empty())
    return failure(FetchError::kBadUrl, "The feed address is empty. Enter an address starting https://.");
  constexpr size_t kMaxUrl = 4096;
  if (url.size() > kMaxUrl) {
    return failure(FetchError::kBadUrl, "The feed address is longer than " + std::to_string(kMaxUrl) +
                                            " characters. Check it is a single web address.");
  }
  // The scheme is checked before curl parses, so that "file:" or
  // "javascript:" is named as the problem rather than reported as malformed.
  size_t colon = url.find(':');
  bool has_scheme = colon != std::string::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(url[0])) &&
                    std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
                      return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
                    });
  if (!has_scheme) {
    return failure(FetchError::kBadUrl, "'" + quoted(url) +
                                            "' is not a complete web address. Enter the whole address, starting "
                                            "https://.");
  }
  std::string scheme = lower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") {
    return failure(FetchError::kSchemeNotAllowed, "'" + quoted(url) + "' is a " + scheme +
                                                      ": address. Feeds can only be fetched from http:// or "
                                                      "https:// addresses.");
  }

  Target target;
  target.handle.reset(curl_url());
  if (!target.handle) return failure(FetchError::kOther, "Out of memory reading the feed address.");
  if (CURLUcode rc = curl_url_set(target.handle.get(), CURLUPART_URL, url.c_str(), 0); rc != CURLUE_OK) {
    return failure(FetchError::kBadUrl, "'" + quoted(url) + "' is not a web address fetch can read (" +
                                            lower(curl_url_strerror(rc)) + "). Check it for typing mistakes.");
  }
  auto normalised = url_part(target.handle.get(), CURLUPART_URL);
  auto host = url_part(target.handle.get(), CURLUPART_HOST);
  auto port = url_part(target.handle.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!normalised || !host || host->empty() || !port) {
    return failure(FetchError::kBadUrl, "'" + quoted(url) +
                                            "' has no host name. Enter the whole address, "
                                            "starting https://.");
  }
  // Internationalised names are converted by libidn2 in a locale-dependent
  // way; refusing them keeps the name that is checked the name that is
  // connected to.
  if (std::any_of(host->begin(), host->end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return failure(FetchError::kBadUrl, "The host name in '" + quoted(url) +
                                            "' has letters outside English. Enter it in its xn-- form "
                                            "(as a browser's address bar shows it).");
  }
  target.url = *normalised;
  target.host = *host;
  target.port = std::strtol(port->c_str(), nullptr, 10);
  target.host_is_ip = parse_ip(target.host).has_value();
  return target;
}

// ---------------------------------------------------------------------------
// The allowlist

struct HostPort {
  std::string host;  // lower case, no brackets, no trailing dot; IPs in canonical text
  std::optional<long> port;
};

std::string canonical_host(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (auto ip = parse_ip(host)) return ip_text(*ip);
  host = lower(std::move(host));
  if (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

std::optional<HostPort> parse_allowed(const std::string& entry) {
  HostPort hp;
  std::string host = entry, port;
  if (!entry.empty() && entry.front() == '[') {
    size_t close = entry.find(']');
    if (close == std::string::npos) return std::nullopt;
    host = entry.substr(0, close + 1);
    if (close + 1 < entry.size()) {
      if (entry[close + 1] != ':') return std::nullopt;
      port = entry.substr(close + 2);
    }
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
    size_t colon = entry.find(':');
    host = entry.substr(0, colon);
    port = entry.substr(colon + 1);
  }
  hp.host = canonical_host(host);
  if (hp.host.empty()) return std::nullopt;
  if (!port.empty()) {
    if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) || port.size() > 5) {
      return std::nullopt;
    }
    hp.port = std::strtol(port.c_str(), nullptr, 10);
  }
  return hp;
}

bool host_allowed(const FetchPolicy& policy, const Target& target) {
  std::string host = canonical_host(target.host);
  for (const std::string& entry : policy.allowed_hosts) {
    auto allowed = parse_allowed(entry);
    if (allowed && allowed->host == host && (!allowed->port || *allowed->port == target.port)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Resolving and checking

std::vector<std::string> system_resolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return {};
  std::vector<std::string> out;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    const void* src = nullptr;
    if (ai->ai_family == AF_INET) src = &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr;
    if (ai->ai_family == AF_INET6) src = &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr;
    if (src != nullptr && inet_ntop(ai->ai_family, src, buf, sizeof buf) != nullptr) out.emplace_back(buf);
  }
  freeaddrinfo(found);
  return out;
}

// The addresses `target` may be connected to, every one checked: the one
// literal address, or everything its name resolved to.
std::variant<std::vector<IpAddress>, FetchFailure> checked_addresses(const Target& target, const FetchPolicy& policy,
                                                                     const fetch_internal::Resolver& resolve) {
  std::vector<IpAddress> addresses;
  if (target.host_is_ip) {
    addresses.push_back(*parse_ip(target.host));
  } else {
    for (const std::string& text : resolve(target.host)) {
      auto ip = parse_ip(text);
      if (ip && std::find(addresses.begin(), addresses.end(), *ip) == addresses.end()) addresses.push_back(*ip);
    }
    if (addresses.empty()) {
      return failure(FetchError::kResolveFailed,
                     "The host name " + quoted(target.host) +
                         " could not be found. Check the address for typing mistakes, or try again later if it "
                         "worked before.");
    }
  }
  if (!host_allowed(policy, target)) {
    for (const IpAddress& ip : addresses) {
      if (!forbidden(ip)) continue;
      std::string where = target.host_is_ip ? ip_text(ip) : target.host + " (" + ip_text(ip) + ")";
      return failure(FetchError::kAddressNotAllowed,
                     "The address " + quoted(target.url) + " points to " + where +
                         ", which is on a private, local or reserved network. Feeds can only be fetched from "
                         "public internet addresses. If this feed really is on your own network, the person who "
                         "runs the server can allow its host with --allow-feed-host.");
    }
  }
  return addresses;
}

// ---------------------------------------------------------------------------
// One request

struct Body {
  std::string* out;
  size_t max_bytes;
  bool too_big = false;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  size_t n = size * count;
  if (body->out->size() + n > body->max_bytes) {
    body->too_big = true;
    return 0;  // curl stops the transfer with CURLE_WRITE_ERROR
  }
  body->out->append(data, n);
  return n;
}

// Last line of defence against DNS rebinding: whatever curl resolved, or
// thinks it resolved, it may only open a socket to an address that was
// checked.
struct SocketGuard {
  const std::vector<IpAddress>* allowed;
  bool refused = false;
  std::string refused_address{};
};

curl_socket_t open_checked_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<SocketGuard*>(user);
  IpAddress ip;
  bool known = false;
  if (purpose == CURLSOCKTYPE_IPCXN && address->family == AF_INET && address->addrlen >= sizeof(sockaddr_in)) {
    ip.family = AF_INET;
    std::memcpy(ip.bytes.data(), &reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_addr, 4);
    known = true;
  } else if (purpose == CURLSOCKTYPE_IPCXN && address->family == AF_INET6 && address->addrlen >= sizeof(sockaddr_in6)) {
    ip.family = AF_INET6;
    std::memcpy(ip.bytes.data(), &reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_addr, 16);
    known = true;
  }
  if (!known || std::find(guard->allowed->begin(), guard->allowed->end(), ip) == guard->allowed->end()) {
    guard->refused = true;
    guard->refused_address = known ? ip_text(ip) : "an address of an unexpected kind";
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

struct Response {
  long status = 0;
  std::string content_type;
  std::string body;
  std::string redirect_url;  // absolute, when the response was a redirect with a Location
};

bool is_tls_error(CURLcode rc) {
  switch (rc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return true;
    default:
      return false;
  }
}

std::variant<Response, FetchFailure> perform(Target& target, const std::vector<IpAddress>& addresses,
                                             const FetchPolicy& policy, std::chrono::milliseconds time_left) {
  CurlEasy curl(curl_easy_init());
  if (!curl) return failure(FetchError::kOther, "Could not start fetching the feed (out of memory).");
  CURL* c = curl.get();

  // Pin the name to the checked addresses so curl does not ask DNS again,
  // where a rebinding name could answer differently the second time. A
  // literal address is never looked up, so needs no entry.
  CurlList resolve;
  if (!target.host_is_ip) {
    std::string entry = target.host + ":" + std::to_string(target.port) + ":";
    for (size_t i = 0; i < addresses.size(); ++i) {
      if (i > 0) entry += ",";
      std::string text = ip_text(addresses[i]);
      entry += addresses[i].family == AF_INET6 ? "[" + text + "]" : text;
    }
    resolve.reset(curl_slist_append(nullptr, entry.c_str()));
    if (!resolve) return failure(FetchError::kOther, "Could not start fetching the feed (out of memory).");
  }

  Response response;
  Body body{&response.body, policy.max_bytes};
  SocketGuard guard{&addresses};
  char error_buffer[CURL_ERROR_SIZE] = {};
  long total_ms = std::max<long>(1, static_cast<long>(time_left.count()));
  long connect_ms = std::min(total_ms, std::max<long>(1, policy.connect_timeout_seconds * 1000));

  curl_easy_setopt(c, CURLOPT_CURLU, target.handle.get());
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // ignore http_proxy and friends from the environment
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(policy.max_bytes));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, total_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(c, CURLOPT_USERAGENT, policy.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);

  CURLcode rc = curl_easy_perform(c);
  const std::string url = quoted(target.url);
  if (rc != CURLE_OK) {
    if (guard.refused) {
      return failure(FetchError::kAddressNotAllowed,
                     "The connection to " + url + " was stopped because it was about to go to " +
                         guard.refused_address + ", not the address that was checked. Try again later.");
    }
    if (body.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
      return failure(FetchError::kTooBig, "The feed at " + url + " is larger than the limit of " +
                                              describe_bytes(policy.max_bytes) +
                                              ". Check the address is the feed itself, not a page or a download.");
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return failure(FetchError::kTimedOut, "The server at " + url + " did not send the feed within " +
                                                std::to_string(policy.timeout_seconds) +
                                                " seconds. Try again later; if it keeps happening, tell the "
                                                "organisation that publishes the feed.");
    }
    if (rc == CURLE_COULDNT_CONNECT) {
      return failure(FetchError::kConnectFailed, "Could not connect to " + url +
                                                     ". The server may be down, or the address or port may be "
                                                     "wrong.");
    }
    if (rc == CURLE_COULDNT_RESOLVE_HOST) {
      return failure(FetchError::kResolveFailed, "The host name in " + url + " could not be found.");
    }
    if (is_tls_error(rc)) {
      return failure(FetchError::kTls, "The secure connection to " + url + " failed: " +
                                           (error_buffer[0] ? std::string(error_buffer) : curl_easy_strerror(rc)) +
                                           ". The server's certificate may be expired or for another name.");
    }
    if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
      return failure(FetchError::kSchemeNotAllowed, url + " is not an http:// or https:// address.");
    }
    if (rc == CURLE_URL_MALFORMAT) return failure(FetchError::kBadUrl, url + " is not a web address fetch can read.");
    return failure(
        FetchError::kOther,
        "Fetching " + url + " failed: " + (error_buffer[0] ? std::string(error_buffer) : curl_easy_strerror(rc)) + ".");
  }

  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  char* content_type = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
    response.content_type = content_type;
  }
  char* redirect = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect) response.redirect_url = redirect;
  return response;
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

bool is_forbidden_address(const std::string& ip) {
  auto parsed = parse_ip(ip);
  return !parsed || forbidden(*parsed);
}

namespace fetch_internal {

std::variant<FetchResult, FetchFailure> fetch(const std::string& url, const FetchPolicy& policy,
                                              const Resolver& resolve) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(std::max<long>(1, policy.timeout_seconds));
  if (!ensure_curl_initialised()) return failure(FetchError::kOther, "The web client library could not start.");

  std::string current = url;
  for (int redirects = 0;; ++redirects) {
    // A failure after a redirect names where the chain started, since that is
    // the address the administrator typed.
    auto fail = [&](FetchFailure f) -> std::variant<FetchResult, FetchFailure> {
      if (redirects > 0)
        f.message = "The feed address " + quoted(url) + " redirected to " + quoted(current) + ". " + f.message;
      return f;
    };
    auto parsed = parse_target(current);
    if (auto* f = std::get_if<FetchFailure>(&parsed)) return fail(std::move(*f));
    Target& target = std::get<Target>(parsed);

    auto addresses = checked_addresses(target, policy, resolve);
    if (auto* f = std::get_if<FetchFailure>(&addresses)) return fail(std::move(*f));

    auto time_left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (time_left.count() <= 0) {
      return fail(failure(FetchError::kTimedOut, "Fetching " + quoted(url) + " took longer than " +
                                                     std::to_string(policy.timeout_seconds) +
                                                     " seconds. Try again later."));
    }
    auto performed = perform(target, std::get<std::vector<IpAddress>>(addresses), policy, time_left);
    if (auto* f = std::get_if<FetchFailure>(&performed)) return fail(std::move(*f));
    Response& response = std::get<Response>(performed);

    if (is_redirect(response.status) && !response.redirect_url.empty()) {
      if (redirects >= policy.max_redirects) {
        return failure(FetchError::kTooManyRedirects,
                       "The feed address " + quoted(url) + " redirected more than " +
                           std::to_string(policy.max_redirects) +
                           " times. Ask the publisher for the feed's current address and enter that.");
      }
      current = response.redirect_url;
      continue;
    }
    if (response.status < 200 || response.status > 299) {
      std::string advice = response.status == 404 ? " Check the address; the feed may have moved."
                           : response.status == 401 || response.status == 403
                               ? " The feed may not be public."
                               : " Try again later; if it keeps happening, tell the organisation that publishes it.";
      return fail(failure(FetchError::kHttpStatus, "The server at " + quoted(target.url) + " answered with status " +
                                                       std::to_string(response.status) + " instead of the feed." +
                                                       advice));
    }
    return FetchResult{response.status, std::move(response.content_type), std::move(response.body), target.url};
  }
}

}  // namespace fetch_internal

std::variant<FetchResult, FetchFailure> fetch(const std::string& url, const FetchPolicy& policy) {
  return fetch_internal::fetch(url, policy, system_resolve);
}

}  // namespace coproduce::library
