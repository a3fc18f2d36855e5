// Routes: method, path pattern, who may use it, and the handler.
//
// Every route states its access. The default Access lets nobody in, so a
// route added without thought is closed, not open.
#ifndef COPRODUCE_WEB_ROUTER_H_
#define COPRODUCE_WEB_ROUTER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "security/roles.h"
#include "web/http.h"

namespace coproduce::web {

class Context;
using Handler = std::function<Response(Context&)>;

struct Access {
  enum class Kind { kNobody, kPublic, kRoles };
  Kind kind = Kind::kNobody;
  security::RoleSet roles;

  static Access nobody() { return {}; }
  static Access anyone() { return {Kind::kPublic, {}}; }
  static Access only(security::RoleSet roles) { return {Kind::kRoles, roles}; }
  bool is_public() const { return kind == Kind::kPublic; }
  bool allows(security::Role role) const { return kind == Kind::kPublic || (kind == Kind::kRoles && roles.allows(role)); }
};

// How a route is reached: pages use the session cookie and CSRF tokens; the
// API uses bearer tokens and answers JSON; ops endpoints are for machines.
enum class Channel { kPage, kApi, kOps };

struct Route {
  std::string method;   // "GET" also answers HEAD
  std::string pattern;  // "/admin/users/{id}"; a final "/*" matches the rest
  Access access;
  Channel channel = Channel::kPage;
  Handler handler;
};

struct Match {
  const Route* route = nullptr;            // null: no route
  bool path_matched_other_method = false;  // for 405
  std::map<std::string, std::string> params;
};

class Router {
 public:
  void add(Route route);
  Match match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_ROUTER_H_
