// What the programme pages (programme_page_handlers.cc) and the programmes
// API (programme_handlers.cc) share: who may read and change programmes,
// the service as a request gets it, and the period a request asks for.
#ifndef COPRODUCE_WEB_PROGRAMME_ROUTES_H_
#define COPRODUCE_WEB_PROGRAMME_ROUTES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "core/text.h"
#include "impact/programmes.h"
#include "learning/learning.h"
#include "security/roles.h"
#include "web/application.h"

namespace coproduce::web::programme_routes {

// Administrators and co-production leads change programmes; analysts read them too.
inline Access writers() { return Access::only({security::Role::kAdministrator, security::Role::kCoproductionLead}); }
inline Access readers() {
  return Access::only(
      {security::Role::kAdministrator, security::Role::kCoproductionLead, security::Role::kAnalyst});
}

// The service, with learning coverage from the learning module.
inline impact::Programmes service(Context& ctx) {
  return impact::Programmes(ctx.services.db, ctx.services.clock, learning::programme_coverage_source());
}

inline int64_t org(const Context& ctx) { return ctx.user->organisation_id; }

// The period asked for by ?from=&to=, or nullopt for the programme's own.
inline std::optional<impact::Period> period_asked(const Context& ctx) {
  std::string from = trim_copy(ctx.request.query("from")), to = trim_copy(ctx.request.query("to"));
  if (from.empty() && to.empty()) return std::nullopt;
  return impact::Period{from, to};
}

}  // namespace coproduce::web::programme_routes

#endif  // COPRODUCE_WEB_PROGRAMME_ROUTES_H_
