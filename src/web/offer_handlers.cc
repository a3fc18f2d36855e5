// A person's own link to answer the offer of a place on a group: no
// account needed, and the words are plain.
#include "involvement/groups.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;

// The page is in the person's language (its template is translated), so its
// words are marked here and translated where shown.
constexpr const char* kTitle = N_("Would you like to join?");
constexpr const char* kGone =
    N_("This link has already been used or has run out. If you still want to answer, please contact the people who "
       "sent it to you.");

json offer_data(Context& ctx, const involvement::Groups::Offer& offer) {
  json data = {{"action", "/offers/" + ctx.param("token")},
               {"group", offer.group_name},
               {"organisation", offer.organisation_name},
               {"term_months", offer.term_months},
               {"term_text", ctx.tr_plural("The group meets for {n} month.", "The group meets for {n} months.",
                                           offer.term_months)},
               {"reply_by", date_in(ctx, offer.reply_by)}};
  put_if(data, "purpose", offer.group_purpose);
  return data;
}

Response offer_form(Context& ctx) {
  involvement::Groups groups(ctx.services.db, ctx.services.clock);
  auto offer = groups.find_offer(ctx.param("token"));
  if (!offer.ok()) return status_error(ctx, offer.status().code() == StatusCode::kNotFound ? NotFound(kGone) : offer.status());
  if (offer->status != "invited") return ctx.error(404, kGone);
  return ctx.page(200, "public/offer", ctx.tr(kTitle), offer_data(ctx, *offer));
}

Response offer_answer(Context& ctx) {
  involvement::Groups groups(ctx.services.db, ctx.services.clock);
  auto offer = groups.find_offer(ctx.param("token"));
  if (!offer.ok()) return status_error(ctx, offer.status().code() == StatusCode::kNotFound ? NotFound(kGone) : offer.status());
  std::string answer = ctx.form.get("answer");
  if (answer != "yes" && answer != "no") {
    json data = offer_data(ctx, *offer);
    const std::string error = ctx.tr(N_("Choose yes or no"));
    data["error"] = error;
    return ctx.form_errors("public/offer", ctx.tr(kTitle), data, {{"answer", error}});
  }
  Status s = groups.respond_by_link(ctx.param("token"), answer == "yes", ctx.request.remote_address);
  if (!s.ok()) return status_error(ctx, s.code() == StatusCode::kNotFound ? NotFound(kGone) : s);
  bool yes = answer == "yes";
  const std::string heading = ctx.tr(yes ? N_("Thank you for joining") : N_("Thank you for telling us"));
  const char* message = yes ? N_("We will be in touch soon about the first meeting.")
                            : N_("You stay in our pool. We may ask you about other things later.");
  return ctx.page(200, "account/done", heading,
                  {{"heading", heading}, {"message", ctx.tr(message)}, {"in_language", true}});
}

}  // namespace

void add_offer_routes(Router& router) {
  router.add({"GET", "/offers/{token}", Access::anyone(), Channel::kPage, offer_form});
  router.add({"POST", "/offers/{token}", Access::anyone(), Channel::kPage, offer_answer});
}

}  // namespace coproduce::web
