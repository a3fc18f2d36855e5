#include "web/router.h"

#include <cassert>
#include <string_view>

namespace coproduce::web {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool match_pattern(std::string_view pattern, std::string_view path, std::map<std::string, std::string>* params) {
  if (pattern == path) return true;
  auto p = split_path(pattern);
  auto s = split_path(path);
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == "*" && i + 1 == p.size()) {
      std::string rest;
      for (size_t k = i; k < s.size(); ++k) rest += (k > i ? "/" : "") + std::string(s[k]);
      if (rest.empty()) return false;
      (*params)["*"] = rest;
      return true;
    }
    if (i >= s.size()) return false;
    if (p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}') {
      if (s[i].empty()) return false;
      (*params)[std::string(p[i].substr(1, p[i].size() - 2))] = std::string(s[i]);
    } else if (p[i] != s[i]) {
      return false;
    }
  }
  return p.size() == s.size();
}

}  // namespace

void Router::add(Route route) {
  assert(!route.pattern.empty() && route.pattern.front() == '/');
  assert(route.handler);
  routes_.push_back(std::move(route));
}

Match Router::match(const std::string& method, const std::string& path) const {
  Match m;
  const std::string& effective = method == "HEAD" ? std::string("GET") : method;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(r.pattern, path, &params)) continue;
    if (r.method == effective) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    m.path_matched_other_method = true;
  }
  return m;
}

}  // namespace coproduce::web
