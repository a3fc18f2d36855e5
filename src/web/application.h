// The web application: routing, sign-in state, access control, CSRF,
// security headers, error pages, request logs and metrics around the
// handlers of each domain area.
#ifndef COPRODUCE_WEB_APPLICATION_H_
#define COPRODUCE_WEB_APPLICATION_H_

#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "core/clock.h"
#include "library/fetch.h"
#include "store/database.h"
#include "web/forms.h"
#include "web/http.h"
#include "jobs/jobs.h"
#include "messages/dispatcher.h"
#include "web/metrics.h"
#include "web/router.h"
#include "web/templates.h"

namespace coproduce::web {

// What handlers need, owned by the caller and outliving the Application.
struct Services {
  store::Database& db;
  accounts::Accounts& accounts;
  const Clock& clock;
  const TemplateSet& templates;
  Metrics& metrics;
  std::string version;
  std::string static_dir;     // compiled assets: css, js, images
  std::string public_url;     // "http://127.0.0.1:8080", for links shown to people
  std::ostream* log = nullptr;  // one JSON line per request; null for none
  FormLimits form_limits;
  jobs::Worker* jobs = nullptr;  // runs queued jobs; null runs work in the request (tests)
  // Sends queued messages; woken when a handler queues some. Null: messages
  // stay queued (tests of pages alone).
  messages::Dispatcher* messages = nullptr;
  // Public forms (Get involved): how many times one network address may
  // start one, and send one, in an hour. Generous, for events where many
  // people share one connection.
  int public_starts_per_hour = 100;
  int public_sends_per_hour = 50;
  // How other organisations' case-study feeds are fetched (serve
  // --allow-feed-host adds to allowed_hosts). Handlers make a
  // library::Subscriptions(db, clock, feed_policy) when they need one.
  library::FetchPolicy feed_policy{};
};

inline constexpr const char* kSessionCookie = "coproduce_session";
inline constexpr const char* kCsrfCookie = "coproduce_csrf";
inline constexpr const char* kCsrfField = "csrf_token";
// The language a person chose with the link on every page, for a year.
inline constexpr const char* kLanguageCookie = "coproduce_language";

// One request as a handler sees it.
class Context {
 public:
  Context(Request& req, Services& svc) : request(req), services(svc) {}

  Request& request;
  Services& services;
  std::optional<accounts::User> user;  // the signed-in user or token holder
  std::string csrf_token;              // to put in forms on this page
  Form form;                           // the parsed body of a page POST
  std::vector<std::string> set_cookies;
  // The language the person chose (the language cookie, else their browser's
  // preference, else English). Pages whose templates are translated are shown
  // in it; the others in English, saying so.
  std::string language{i18n::kEnglish};
  // The language of what the page shows when its content decides it (a
  // survey answered in Welsh): set by the handler, it replaces `language`
  // for the page, English when the catalogues do not have it.
  std::string content_language;

  // `english` in the person's language (for the words a handler gives a
  // translated page: its title, its error messages).
  std::string tr(std::string_view english) const;
  // tr, then each {name} in it replaced by its value.
  std::string tr(std::string_view english,
                 std::initializer_list<std::pair<std::string_view, std::string>> values) const;
  // The form for `n` in the person's language, "{n}" replaced by n.
  std::string tr_plural(std::string_view singular, std::string_view plural, long n) const;

  // Renders `template_name` into the layout with the signed-in user's details.
  Response page(int status, const std::string& template_name, const std::string& title,
                nlohmann::json data = nlohmann::json::object());
  // The 400/403/404/500 page, or a JSON error under /api/.
  Response error(int status, const std::string& message = "");
  // A form page again with GOV.UK error summary data built from `errors`
  // (field name to message, in page order).
  Response form_errors(const std::string& template_name, const std::string& title, nlohmann::json data,
                       const std::vector<std::pair<std::string, std::string>>& errors);
  Response send_json(int status, const nlohmann::json& body) const { return Response::json(status, body.dump() + "\n"); }
  std::string param(const std::string& name) const;
  bool is_api() const;
};

// Area registrations: each adds its routes, declaring their access.
void add_public_routes(Router& router);
void add_language_routes(Router& router);
void add_account_routes(Router& router);
void add_admin_routes(Router& router);
void add_api_routes(Router& router);
void add_get_involved_routes(Router& router);
void add_people_routes(Router& router);
void add_group_routes(Router& router);
void add_activity_routes(Router& router);
void add_payment_routes(Router& router);
void add_survey_routes(Router& router);
void add_survey_data_routes(Router& router);
void add_survey_import_routes(Router& router);
void add_dashboard_routes(Router& router);
void add_learning_routes(Router& router);
void add_learner_routes(Router& router);
void add_library_routes(Router& router);
void add_library_browse_routes(Router& router);
void add_library_manage_routes(Router& router);
void add_library_api_routes(Router& router);
void add_learning_session_routes(Router& router);
void add_learning_module_routes(Router& router);
void add_programme_routes(Router& router);
void add_programme_page_routes(Router& router);
void add_ops_routes(Router& router);
void add_message_routes(Router& router);
void add_message_page_routes(Router& router);
void add_offer_routes(Router& router);

// Every route of the application, as registered by the areas above.
Router build_router();

class Application {
 public:
  explicit Application(Services& services);
  // Handles one request; never throws. Thread-safe.
  Response handle(Request& request);
  const Router& router() const { return router_; }

 private:
  Response dispatch(Context& ctx, const Match& match);
  void finish(Context& ctx, Response& response, const std::string& route_name, double seconds);

  Services& services_;
  Router router_;
};

// The route table as JSON: [{method, path, roles: [...] or ["public"], channel}].
nlohmann::json describe_routes(const Router& router);

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_APPLICATION_H_
