// The JSON API under /api/v1/, for bearer-token holders.
#include "web/application.h"

namespace coproduce::web {
namespace {

using nlohmann::json;

Response me(Context& ctx) {
  const accounts::User& u = *ctx.user;
  return ctx.send_json(200, {{"id", u.id},
                        {"email", u.email},
                        {"name", u.name},
                        {"role", std::string(security::role_name(u.role))},
                        {"organisation", {{"id", u.organisation_id}, {"name", u.organisation_name},
                                          {"fictional", u.organisation_fictional}}}});
}

}  // namespace

void add_api_routes(Router& router) {
  router.add({"GET", "/api/v1/me", Access::only(security::RoleSet::everyone()), Channel::kApi, me});
}

}  // namespace coproduce::web
