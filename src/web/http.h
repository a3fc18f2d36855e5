// The project's own request and response types. Handlers see only these;
// Boost.Beast stays inside server.cc.
#ifndef COPRODUCE_WEB_HTTP_H_
#define COPRODUCE_WEB_HTTP_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coproduce::web {

struct Request {
  std::string method;       // "GET", "POST", ... (HEAD arrives as HEAD)
  std::string target;       // as sent: path and query
  std::string path;         // percent-decoded path
  std::string query_string; // after '?', still encoded
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;
  bool secure = false;      // reached over HTTPS (as a proxy tells us)
  std::map<std::string, std::string> path_params;  // filled by the router

  // The header's value or "".
  std::string header(std::string_view name) const;
  // The cookie's value or "".
  std::string cookie(std::string_view name) const;
  // A query parameter's decoded value or "".
  std::string query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void set_header(std::string name, std::string value);
  std::string header(std::string_view name) const;

  static Response html(int status, std::string body);
  static Response json(int status, std::string body);
  static Response text(int status, std::string body);
  // A 303 See Other to `location` (a path on this site).
  static Response redirect(std::string location);
};

// Options for a Set-Cookie header.
struct CookieOptions {
  bool http_only = true;
  bool secure = false;
  int max_age_seconds = -1;  // -1: a session cookie; 0: delete it
};
std::string make_set_cookie(std::string_view name, std::string_view value, const CookieOptions& options);

// The address a request came from. It is `peer` (the connection's other
// end) unless `peer` is one of `trusted_proxies` (such as nginx in front):
// then X-Forwarded-For (`forwarded_for`) is read from the right, each hop
// a trusted proxy vouches for, until an address that is not a trusted
// proxy, or a hop that is not an address. What a client writes on the left
// is never believed further than the proxies' own word.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

// Percent-decodes `in`; `plus_is_space` for form bodies. Returns false on a
// malformed escape.
bool percent_decode(std::string_view in, std::string* out, bool plus_is_space);
// Encodes for a URL query or path segment.
std::string percent_encode(std::string_view in);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool valid_utf8(std::string_view s);

// Splits request.target into path (percent-decoded) and query_string, and
// checks both: false when the target is not an absolute path, has a bad
// escape, a NUL, or is not valid UTF-8.
bool parse_target(Request& request);

// The reason phrase for a status code: 404 -> "Not Found".
std::string_view status_reason(int status);

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_HTTP_H_
