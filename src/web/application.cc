#include "web/application.h"

#include <chrono>
#include <cmath>

#include "security/crypto.h"

namespace coproduce::web {
namespace {

using nlohmann::json;

// Error headings and messages are looked up in the person's language where
// they are shown (Context::error), so here they are only marked.
std::string error_heading(int status) {
  switch (status) {
    case 400: return N_("There is a problem with the request");
    case 401: return N_("You need to sign in");
    case 403: return N_("You do not have access to this page");
    case 404: return N_("Page not found");
    case 405: return N_("This page cannot be used that way");
    case 409: return N_("That cannot be done now");
    case 413: return N_("What you sent is too large");
    case 429: return N_("Too many attempts");
    default: return N_("Sorry, there is a problem with the service");
  }
}

std::string error_default_message(int status) {
  switch (status) {
    case 400: return N_("The information sent could not be used. Go back and try again.");
    case 401: return N_("Sign in to continue.");
    case 403: return N_("If you think you should have access, ask your organisation's administrator.");
    case 404: return N_("If you typed the web address, check it is correct. If you pasted it, check you copied all of it.");
    case 405: return N_("Go back and try again.");
    default: return N_("Try again later. Nothing you sent has been half-saved.");
  }
}

std::string error_code(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 429: return "too_many_requests";
    default: return "internal_error";
  }
}

void add_security_headers(Response& r, bool cacheable) {
  r.set_header("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
               "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("X-Frame-Options", "DENY");
  // Set-up and invitation links carry secrets in their path: never pass on a referrer.
  r.set_header("Referrer-Policy", "no-referrer");
  r.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  r.set_header("Cross-Origin-Opener-Policy", "same-origin");
  if (!cacheable && r.header("Cache-Control").empty()) r.set_header("Cache-Control", "no-store");
}

// The language cookie when it names a language Coproduce has, else the one
// the browser prefers most of those, else English.
std::string choose_language(const Request& req, const i18n::Catalogues& catalogues) {
  std::string chosen = req.cookie(kLanguageCookie);
  if (!chosen.empty() && catalogues.has(chosen)) return chosen;
  std::string preferred = catalogues.negotiate(req.header("accept-language"));
  return preferred.empty() ? std::string(i18n::kEnglish) : preferred;
}

std::string bearer_token(const Request& req) {
  std::string auth = req.header("authorization");
  const std::string prefix = "Bearer ";
  if (auth.size() > prefix.size() && auth.compare(0, prefix.size(), prefix) == 0) return auth.substr(prefix.size());
  return "";
}

}  // namespace

std::string Context::param(const std::string& name) const {
  auto it = request.path_params.find(name);
  return it == request.path_params.end() ? "" : it->second;
}

bool Context::is_api() const { return request.path.rfind("/api/", 0) == 0; }

std::string Context::tr(std::string_view english) const {
  const std::string& in = content_language.empty() ? language : content_language;
  return services.templates.catalogues().text(in, english);
}

std::string Context::tr(std::string_view english,
                        std::initializer_list<std::pair<std::string_view, std::string>> values) const {
  return i18n::fill(tr(english), values);
}

std::string Context::tr_plural(std::string_view singular, std::string_view plural, long n) const {
  return services.templates.catalogues().plural(content_language.empty() ? language : content_language, singular, plural, n);
}

Response Context::page(int status, const std::string& template_name, const std::string& title, json data) {
  const TemplateSet& t = services.templates;
  const i18n::Catalogues& catalogues = t.catalogues();
  bool signed_in = user.has_value();
  // A page is shown in the person's language when its template is translated;
  // otherwise in English, with a line in their language saying so.
  const std::string& wanted = content_language.empty() ? language : content_language;
  const std::string page_language =
      t.translated(template_name) && catalogues.has(wanted) ? wanted : std::string(i18n::kEnglish);
  json links = json::array();
  for (const auto& l : catalogues.languages()) {
    if (l.code == language) continue;
    links.push_back({{"code", l.code},
                     {"name", l.name},
                     {"href", "/language/" + l.code + "?return=" + percent_encode(request.target)}});
  }
  json layout = {
      // A translated page's title is looked up too (a title already in the
      // person's language, from ctx.tr, is not in the catalogue and stays).
      {"title", catalogues.text(page_language, title)},
      {"lang", page_language},
      {"has_language_links", !links.empty()},
      {"language_links", links},
      // A page whose content decides its language (a survey in English) says
      // nothing about the person's own choice.
      {"not_in_language", content_language.empty() && page_language != language},
      {"chosen_lang", language},
      {"not_in_language_text", catalogues.text(language, N_("This page is not in your language yet, so it is in English."))},
      {"signed_in", signed_in},
      {"csrf_token", csrf_token},
      {"is_admin", signed_in && user->role == security::Role::kAdministrator},
      {"is_staff", signed_in && security::is_staff(user->role)},
      {"can_manage_pool", signed_in && (user->role == security::Role::kAdministrator ||
                                        user->role == security::Role::kCoproductionLead)},
      {"can_see_evidence", signed_in && (user->role == security::Role::kAdministrator ||
                                         user->role == security::Role::kCoproductionLead ||
                                         user->role == security::Role::kAnalyst)},
      {"is_participant", signed_in && user->role == security::Role::kParticipant},
      {"is_learner", signed_in && user->role == security::Role::kLearner},
      {"fictional", signed_in && user->organisation_fictional},
  };
  if (signed_in) {
    layout["user_email"] = user->email;
    layout["role_label"] = std::string(security::role_label(user->role));
    layout["organisation_name"] = user->organisation_name;
  }
  for (auto it = layout.begin(); it != layout.end(); ++it) {
    if (!data.contains(it.key())) data[it.key()] = it.value();
  }
  if (!t.has(template_name) || !t.has("layout")) {
    return Response::text(status, title + "\n");
  }
  layout["body"] = t.render(template_name, data, page_language);
  Response r = Response::html(status, t.render("layout", layout, page_language));
  r.set_header("Content-Language", page_language);
  return r;
}

Response Context::error(int status, const std::string& message) {
  std::string text = message.empty() ? error_default_message(status) : message;
  if (is_api()) {
    return send_json(status, {{"error", {{"code", error_code(status)}, {"message", text}}}});
  }
  if (!services.templates.has("errors/error")) return Response::text(status, error_heading(status) + "\n");
  // A message the catalogue has is shown in the person's language; one it
  // does not have (a detail from deep in a module) stays in English.
  const std::string heading = tr(error_heading(status));
  return page(status, "errors/error", heading, {{"status", status}, {"heading", heading}, {"message", tr(text)}});
}

Response Context::form_errors(const std::string& template_name, const std::string& title, json data,
                              const std::vector<std::pair<std::string, std::string>>& errors) {
  json list = json::array();
  for (const auto& [field, message] : errors) {
    list.push_back({{"href", "#" + field}, {"text", message}});
    if (!data.contains(field + "_error")) data[field + "_error"] = message;
  }
  data["has_errors"] = !list.empty();
  data["errors"] = list;
  return page(400, template_name, tr(N_("Error:")) + " " + title, std::move(data));
}

Router build_router() {
  Router router;
  add_public_routes(router);
  add_language_routes(router);
  add_account_routes(router);
  add_admin_routes(router);
  add_get_involved_routes(router);
  add_people_routes(router);
  add_group_routes(router);
  add_activity_routes(router);
  add_payment_routes(router);
  add_survey_routes(router);
  add_survey_data_routes(router);
  add_survey_import_routes(router);
  add_dashboard_routes(router);
  add_learning_module_routes(router);  // first: /learning/modules/new before /learning/modules/{id}
  add_learning_routes(router);
  add_learner_routes(router);
  add_library_routes(router);
  add_library_browse_routes(router);
  add_library_manage_routes(router);
  add_library_api_routes(router);
  add_learning_session_routes(router);
  add_programme_routes(router);
  add_programme_page_routes(router);
  add_api_routes(router);
  add_ops_routes(router);
  add_message_routes(router);
  add_message_page_routes(router);
  add_offer_routes(router);
  return router;
}

Application::Application(Services& services) : services_(services), router_(build_router()) {}

Response Application::handle(Request& request) {
  auto start = std::chrono::steady_clock::now();
  Context ctx(request, services_);
  Match match = router_.match(request.method, request.path);
  std::string route_name = match.route ? match.route->pattern : "(unmatched)";
  Response response;
  try {
    response = dispatch(ctx, match);
  } catch (const std::exception&) {
    response = ctx.error(500);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  finish(ctx, response, route_name, seconds);
  return response;
}

Response Application::dispatch(Context& ctx, const Match& match) {
  Request& req = ctx.request;
  Channel channel = match.route ? match.route->channel : (ctx.is_api() ? Channel::kApi : Channel::kPage);

  if (channel == Channel::kApi) {
    auto user = services_.accounts.user_for_api_token(bearer_token(req));
    if (!user.ok()) return ctx.error(503, "The database is not available");
    if (!user->has_value()) {
      Response r = ctx.error(401, "Give a valid API token in the Authorization header: Bearer TOKEN");
      r.set_header("WWW-Authenticate", "Bearer");
      return r;
    }
    ctx.user = **user;
  } else if (channel == Channel::kPage) {
    auto user = services_.accounts.user_for_session(req.cookie(kSessionCookie));
    if (!user.ok()) return ctx.error(503, "The database is not available");
    ctx.user = *user;
    ctx.language = choose_language(req, services_.templates.catalogues());
    ctx.csrf_token = req.cookie(kCsrfCookie);
    if (ctx.csrf_token.size() != 43) {
      ctx.csrf_token = security::random_token();
      ctx.set_cookies.push_back(make_set_cookie(kCsrfCookie, ctx.csrf_token, {true, req.secure, -1}));
    }
  }

  if (!match.route) return ctx.error(match.path_matched_other_method ? 405 : 404);
  const Route& route = *match.route;
  req.path_params = match.params;

  if (!route.access.is_public()) {
    if (!ctx.user) {
      if (channel == Channel::kPage && (req.method == "GET" || req.method == "HEAD")) {
        return Response::redirect("/sign-in?next=" + percent_encode(req.target));
      }
      return ctx.error(401);
    }
    if (!route.access.allows(ctx.user->role)) return ctx.error(403);
  }

  if (channel == Channel::kPage && req.method != "GET" && req.method != "HEAD") {
    auto form = parse_form(req, services_.form_limits);
    if (!form.ok()) return ctx.error(400, form.status().to_string());
    ctx.form = std::move(*form);
    std::string sent = ctx.form.get(kCsrfField);
    if (sent.empty() || !security::constant_time_equal(sent, req.cookie(kCsrfCookie))) {
      return ctx.error(403, "The form could not be accepted because it had expired or did not come from this site. "
                            "Go back, refresh the page and try again.");
    }
  }
  return route.handler(ctx);
}

void Application::finish(Context& ctx, Response& response, const std::string& route_name, double seconds) {
  bool cacheable = route_name == "/static/*";
  add_security_headers(response, cacheable);
  for (const auto& c : ctx.set_cookies) response.headers.emplace_back("Set-Cookie", c);
  response.set_header("X-Request-Id", ctx.request.request_id);
  services_.metrics.record(ctx.request.method, route_name, response.status, seconds);
  if (services_.log) {
    // Routes are logged by pattern: paths can hold tokens, and no personal
    // data or address goes in the log.
    json line = {{"time", format_timestamp(services_.clock.now())},
                 {"request_id", ctx.request.request_id},
                 {"method", ctx.request.method},
                 {"route", route_name},
                 {"status", response.status},
                 {"duration_ms", std::round(seconds * 100000.0) / 100.0}};
    *services_.log << line.dump() + "\n" << std::flush;
  }
}

json describe_routes(const Router& router) {
  json out = json::array();
  for (const Route& r : router.routes()) {
    json roles = json::array();
    if (r.access.is_public()) {
      roles.push_back("public");
    } else {
      for (auto role : r.access.roles.roles()) roles.push_back(std::string(security::role_name(role)));
    }
    const char* channel = r.channel == Channel::kPage ? "page" : r.channel == Channel::kApi ? "api" : "ops";
    out.push_back({{"method", r.method}, {"path", r.pattern}, {"roles", roles}, {"channel", channel}});
  }
  return out;
}

}  // namespace coproduce::web
