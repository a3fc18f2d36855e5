// The JSON API under /api/v1/, for bearer-token holders.
#include "web/application.h"

namespace coproduce::web {

// The OpenAPI document, embedded from src/web/openapi.json at build time.
std::string_view openapi_document();

namespace {

Response openapi(Context&) {
  Response r = Response::json(200, std::string(openapi_document()));
  r.set_header("Cache-Control", "no-cache");
  return r;
}

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
  router.add({"GET", "/api/v1/openapi.json", Access::anyone(), Channel::kOps, openapi});
  router.add({"GET", "/api/v1/me", Access::only(security::RoleSet::everyone()), Channel::kApi, me});
}

}  // namespace coproduce::web
