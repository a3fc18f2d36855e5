// Fuzzes the path from raw bytes to a routed request with a parsed form:
// Beast's parser with the server's limits, then the project's own target
// parsing, routing and form parsing.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>

#include "web/application.h"
#include "web/forms.h"
#include "web/http.h"

namespace http = boost::beast::http;
using namespace coproduce::web;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Router router = build_router();
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  auto req = parser.release();
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& f : req) r.headers[std::string(f.name_string())] = std::string(f.value());
  r.body = req.body();
  if (!parse_target(r)) return 0;
  (void)r.query("next");
  (void)r.cookie("coproduce_session");
  Match m = router.match(r.method, r.path);
  (void)m;
  (void)parse_form(r, FormLimits{});
  return 0;
}
