// Public pages: home and the statements
// every public service owes its users. The definition of co-production is
// in library_handlers.cc.
#include "web/application.h"

namespace coproduce::web {

void add_public_routes(Router& router) {
  // Titles are marked for translation: a translated page's title is shown in
  // the person's language (Context::page).
  struct Page {
    const char* path;
    const char* template_name;
    const char* title;
  };
  static const Page kPages[] = {
      {"/", "public/home", N_("Co-production in adult social care")},
      {"/accessibility", "public/accessibility", N_("Accessibility statement")},
      {"/privacy", "public/privacy", N_("Privacy notice")},
      {"/cookies", "public/cookies", N_("Cookies")},
  };
  for (const Page& p : kPages) {
    router.add({"GET", p.path, Access::anyone(), Channel::kPage,
                [p](Context& ctx) { return ctx.page(200, p.template_name, p.title); }});
  }
}

}  // namespace coproduce::web
