// Signing in and out, first-run set-up, accepting an invitation, and the
// staff dashboard.
#include "core/text.h"
#include "security/crypto.h"
#include "security/roles.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

// Only local paths may be a sign-in's destination, so the link cannot send
// people to another site.
std::string safe_next(const std::string& next) {
  if (next.size() > 1 && next[0] == '/' && next[1] != '/' && next[1] != '\\') return next;
  return "/dashboard";
}

std::string home_for(const accounts::User& u) {
  if (u.role == security::Role::kLearner) return "/my-learning";
  return security::is_staff(u.role) ? "/dashboard" : "/";
}

Response sign_in_form(Context& ctx) {
  if (ctx.user) return Response::redirect(home_for(*ctx.user));
  return ctx.page(200, "account/sign_in", ctx.tr("Sign in"),
                  {{"next", ctx.request.query("next")}, {"signed_out", ctx.request.query("signed_out") == "1"}});
}

Response sign_in(Context& ctx) {
  std::string email = ctx.form.get("email"), password = ctx.form.get("password"), next = ctx.form.get("next");
  json data = {{"email", email}, {"next", next}};
  std::vector<std::pair<std::string, std::string>> errors;
  if (email.empty()) errors.emplace_back("email", ctx.tr("Enter your email address"));
  if (password.empty()) errors.emplace_back("password", ctx.tr("Enter your password"));
  if (!errors.empty()) return ctx.form_errors("account/sign_in", ctx.tr("Sign in"), data, errors);
  auto result = ctx.services.accounts.sign_in(email, password, ctx.request.remote_address);
  if (!result.ok()) return ctx.error(503, ctx.tr("Signing in is not possible at the moment. Try again later."));
  if (result->outcome == accounts::SignInOutcome::kThrottled) {
    Response r = ctx.form_errors("account/sign_in", ctx.tr("Sign in"), data,
                                 {{"email", ctx.tr("Too many attempts to sign in. Wait 15 minutes, then try again")}});
    r.status = 429;
    return r;
  }
  if (result->outcome != accounts::SignInOutcome::kSignedIn) {
    return ctx.form_errors("account/sign_in", ctx.tr("Sign in"), data,
                           {{"email", ctx.tr("Enter a correct email address and password")}});
  }
  Response r = Response::redirect(next.empty() ? home_for(*result->user) : safe_next(next));
  CookieOptions opts{true, ctx.request.secure, 12 * 3600};
  r.headers.emplace_back("Set-Cookie", make_set_cookie(kSessionCookie, result->session_token, opts));
  return r;
}

Response sign_out(Context& ctx) {
  (void)ctx.services.accounts.sign_out(ctx.request.cookie(kSessionCookie), ctx.request.remote_address);
  Response r = Response::redirect("/sign-in?signed_out=1");
  r.headers.emplace_back("Set-Cookie", make_set_cookie(kSessionCookie, "", {true, ctx.request.secure, 0}));
  return r;
}

json setup_data(Context& ctx) {
  return {{"action", "/setup/" + ctx.param("token")},
          {"organisation_name", ctx.form.get("organisation_name")},
          {"name", ctx.form.get("name")},
          {"email", ctx.form.get("email")}};
}

Response setup_form(Context& ctx) {
  auto inv = ctx.services.accounts.find_invitation(ctx.param("token"));
  if (!inv.ok()) return ctx.error(503);
  if (!*inv || (*inv)->purpose != "setup") return ctx.error(404, "This set-up link has already been used or has expired.");
  return ctx.page(200, "account/setup", "Set up Coproduce", setup_data(ctx));
}

Response setup(Context& ctx) {
  const Form& f = ctx.form;
  std::vector<std::pair<std::string, std::string>> errors;
  if (f.get("organisation_name").empty()) errors.emplace_back("organisation_name", "Enter your organisation's name");
  if (f.get("name").empty()) errors.emplace_back("name", ctx.tr("Enter your name"));
  if (f.get("email").empty()) errors.emplace_back("email", ctx.tr("Enter your email address"));
  if (std::string p = security::password_problem(f.get("password")); !p.empty()) errors.emplace_back("password", ctx.tr(p));
  else if (f.get("password") != f.get("password_confirm"))
    errors.emplace_back("password_confirm", ctx.tr("The passwords do not match"));
  if (!errors.empty()) return ctx.form_errors("account/setup", "Set up Coproduce", setup_data(ctx), errors);
  auto user = ctx.services.accounts.accept_setup(ctx.param("token"), f.get("organisation_name"), f.get("name"),
                                                 f.get("email"), f.get("password"), ctx.request.remote_address);
  if (!user.ok()) {
    const Status& s = user.status();
    if (s.code() == StatusCode::kInvalidInput) {
      return ctx.form_errors("account/setup", "Set up Coproduce", setup_data(ctx), {{s.where().field, s.message()}});
    }
    if (s.code() == StatusCode::kNotFound) return ctx.error(404, s.message());
    return ctx.error(500);
  }
  return ctx.page(200, "account/done", "Coproduce is set up",
                  {{"heading", "Coproduce is set up"},
                   {"message", "Your organisation and your administrator account are ready."},
                   {"link_href", "/sign-in"},
                   {"link_text", "Sign in"}});
}

json invitation_data(Context& ctx, const accounts::Invitation& inv) {
  return {{"action", "/invitation/" + ctx.param("token")},
          {"email", inv.email},
          {"organisation_name", inv.organisation_name},
          {"role_label", inv.role ? std::string(security::role_label(*inv.role)) : ""},
          {"name", ctx.form.get("name")}};
}

Response invitation_form(Context& ctx) {
  auto inv = ctx.services.accounts.find_invitation(ctx.param("token"));
  if (!inv.ok()) return ctx.error(503);
  if (!*inv || (*inv)->purpose != "user") return ctx.error(404, ctx.tr("This invitation link has already been used or has expired."));
  return ctx.page(200, "account/invitation", ctx.tr("Set up your account"), invitation_data(ctx, **inv));
}

Response accept_invitation(Context& ctx) {
  auto inv = ctx.services.accounts.find_invitation(ctx.param("token"));
  if (!inv.ok()) return ctx.error(503);
  if (!*inv || (*inv)->purpose != "user") return ctx.error(404, ctx.tr("This invitation link has already been used or has expired."));
  const Form& f = ctx.form;
  std::vector<std::pair<std::string, std::string>> errors;
  if (f.get("name").empty()) errors.emplace_back("name", ctx.tr("Enter your name"));
  if (std::string p = security::password_problem(f.get("password")); !p.empty()) errors.emplace_back("password", ctx.tr(p));
  else if (f.get("password") != f.get("password_confirm"))
    errors.emplace_back("password_confirm", ctx.tr("The passwords do not match"));
  if (!errors.empty()) return ctx.form_errors("account/invitation", ctx.tr("Set up your account"), invitation_data(ctx, **inv), errors);
  auto user = ctx.services.accounts.accept_invitation(ctx.param("token"), f.get("name"), f.get("password"),
                                                      ctx.request.remote_address);
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kNotFound) return ctx.error(404, user.status().message());
    return ctx.error(500);
  }
  const std::string ready = ctx.tr(N_("Your account is ready"));
  return ctx.page(200, "account/done", ready,
                  {{"heading", ready},
                   {"message", ctx.tr(N_("You can now sign in with your email address and the password you chose."))},
                   {"sign_in", true},
                   {"in_language", true}});
}

// --- forgotten passwords -------------------------------------------------------------

Response reset_request_form(Context& ctx) {
  return ctx.page(200, "account/reset_request", ctx.tr("Choose a new password"), json::object());
}

Response reset_request(Context& ctx) {
  std::string email = ctx.form.get("email");
  std::string problem;
  normalise_email(email, &problem);
  if (!problem.empty()) {
    return ctx.form_errors("account/reset_request", ctx.tr("Choose a new password"), {{"email", email}},
                           {{"email", ctx.tr(problem)}});
  }
  auto link = ctx.services.accounts.password_reset_link(email, ctx.request.remote_address);
  if (!link.ok()) return ctx.error(503, ctx.tr("We cannot send a link at the moment. Try again later."));
  if (*link) {
    auto queued = notices(ctx).account_link((*link)->user, "password_reset", "/reset/", (*link)->token, "in 1 hour");
    if (queued.ok()) wake_sender(ctx);
  }
  // The same answer whether or not there is an account, so the page tells
  // nobody which addresses have one.
  const std::string check = ctx.tr(N_("Check your email"));
  return ctx.page(200, "account/done", check,
                  {{"heading", check},
                   {"message", ctx.tr(N_("If there is an account for {email}, we have sent it a link to choose a new "
                                         "password. The link works for 1 hour."),
                                      {{"email", email}})},
                   {"link_href", "/sign-in"},
                   {"link_text", ctx.tr(N_("Back to sign in"))},
                   {"in_language", true}});
}

json reset_data(Context& ctx, const accounts::Invitation& inv) {
  return {{"action", "/reset/" + ctx.param("token")}, {"email", inv.email}};
}

Response reset_form(Context& ctx) {
  auto inv = ctx.services.accounts.find_invitation(ctx.param("token"));
  if (!inv.ok()) return ctx.error(503);
  if (!*inv || (*inv)->purpose != "reset") {
    return ctx.error(404, ctx.tr("This link has already been used or has expired. Ask for a new one from the sign-in page."));
  }
  return ctx.page(200, "account/reset", ctx.tr("Choose a new password"), reset_data(ctx, **inv));
}

Response reset(Context& ctx) {
  auto inv = ctx.services.accounts.find_invitation(ctx.param("token"));
  if (!inv.ok()) return ctx.error(503);
  if (!*inv || (*inv)->purpose != "reset") {
    return ctx.error(404, ctx.tr("This link has already been used or has expired. Ask for a new one from the sign-in page."));
  }
  const Form& f = ctx.form;
  std::vector<std::pair<std::string, std::string>> errors;
  if (std::string p = security::password_problem(f.get("password")); !p.empty()) errors.emplace_back("password", ctx.tr(p));
  else if (f.get("password") != f.get("password_confirm"))
    errors.emplace_back("password_confirm", ctx.tr("The passwords do not match"));
  if (!errors.empty()) return ctx.form_errors("account/reset", ctx.tr("Choose a new password"), reset_data(ctx, **inv), errors);
  auto user = ctx.services.accounts.reset_password(ctx.param("token"), f.get("password"), ctx.request.remote_address);
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kNotFound) return ctx.error(404, user.status().message());
    return ctx.error(500);
  }
  const std::string saved = ctx.tr(N_("Your new password is saved"));
  return ctx.page(200, "account/done", saved,
                  {{"heading", saved},
                   {"message", ctx.tr(N_("You can now sign in with it. You have been signed out everywhere else."))},
                   {"sign_in", true},
                   {"in_language", true}});
}

Response dashboard(Context& ctx) {
  const accounts::User& u = *ctx.user;
  return ctx.page(200, "staff/dashboard", "Dashboard",
                  {{"organisation_name", u.organisation_name},
                   {"role_label", std::string(security::role_label(u.role))},
                   {"user_email", u.email},
                   {"fictional", u.organisation_fictional}});
}

}  // namespace

void add_account_routes(Router& router) {
  router.add({"GET", "/sign-in", Access::anyone(), Channel::kPage, sign_in_form});
  router.add({"POST", "/sign-in", Access::anyone(), Channel::kPage, sign_in});
  router.add({"POST", "/sign-out", Access::only(security::RoleSet::everyone()), Channel::kPage, sign_out});
  router.add({"GET", "/setup/{token}", Access::anyone(), Channel::kPage, setup_form});
  router.add({"POST", "/setup/{token}", Access::anyone(), Channel::kPage, setup});
  router.add({"GET", "/invitation/{token}", Access::anyone(), Channel::kPage, invitation_form});
  router.add({"POST", "/invitation/{token}", Access::anyone(), Channel::kPage, accept_invitation});
  router.add({"GET", "/password-reset", Access::anyone(), Channel::kPage, reset_request_form});
  router.add({"POST", "/password-reset", Access::anyone(), Channel::kPage, reset_request});
  router.add({"GET", "/reset/{token}", Access::anyone(), Channel::kPage, reset_form});
  router.add({"POST", "/reset/{token}", Access::anyone(), Channel::kPage, reset});
  router.add({"GET", "/dashboard", Access::only(security::RoleSet::staff()), Channel::kPage, dashboard});
}

}  // namespace coproduce::web
