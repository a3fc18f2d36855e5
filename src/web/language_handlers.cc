// The language link on every page: /language/{code} remembers the choice
// in a cookie and returns to the page. Which pages are translated, and how,
// is in src/web/templates.h and src/i18n/catalogue.h.
#include "web/application.h"

namespace coproduce::web {
namespace {

// Where a language link returns to: a path on this site, never another
// site's address and never a line break (it goes in a header).
std::string local_return(const std::string& target) {
  bool local = target.size() >= 1 && target[0] == '/' && (target.size() == 1 || (target[1] != '/' && target[1] != '\\'));
  for (char c : target) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) local = false;
  }
  return local ? target : "/";
}

// The link on every page: remembers the language for a year and goes back
// to the page the person was on.
Response choose_language(Context& ctx) {
  const std::string code = ctx.param("code");
  if (!ctx.services.templates.catalogues().has(code)) return ctx.error(404);
  Response r = Response::redirect(local_return(ctx.request.query("return")));
  r.headers.emplace_back("Set-Cookie",
                         make_set_cookie(kLanguageCookie, code, {true, ctx.request.secure, 365 * 24 * 3600}));
  return r;
}

}  // namespace

void add_language_routes(Router& router) {
  router.add({"GET", "/language/{code}", Access::anyone(), Channel::kPage, choose_language});
}

}  // namespace coproduce::web
