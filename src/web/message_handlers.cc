// The messages pages: how an organisation sends, the wording of each kind
// of message, and what was sent to whom: the outbox with its call list and
// letters to print, one message, a letter laid out for printing, and the
// messages about one activity. The rules are the messages module's; these
// handlers read forms and fill templates.
#include <functional>
#include <cctype>
#include <map>

#include "activities/activities.h"
#include "core/dates.h"
#include "core/text.h"
#include "involvement/groups.h"
#include "involvement/recruitment.h"
#include "messages/outbox.h"
#include "messages/settings.h"
#include "messages/templates.h"
#include "messages/test_message.h"
#include "security/crypto.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using messages::Message;
using nlohmann::json;
using security::Role;

const Access kAdmins = Access::only({Role::kAdministrator});
const Access kStaff = Access::only({Role::kAdministrator, Role::kCoproductionLead});

messages::Outbox outbox(Context& ctx) { return {ctx.services.db, ctx.services.clock}; }

// Something was queued: the sender looks now rather than at its next poll.
void wake(Context& ctx) {
  if (ctx.services.messages != nullptr) ctx.services.messages->wake();
}

// A module's message as a sentence for a page: capital first, full stop last.
std::string sentence(std::string text) {
  if (text.empty()) return text;
  text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (text.back() != '.') text += '.';
  return text;
}

// A failed Status as an error page, the module's words as a sentence: no
// such message, or a refusal (not in that state any more, nothing set up).
Response refused(Context& ctx, const Status& s) {
  switch (s.code()) {
    case StatusCode::kNotFound:
      return ctx.error(404, sentence(s.message()));
    case StatusCode::kInvalidInput:
      return ctx.error(400, sentence(s.message()));
    case StatusCode::kConflict:
      return ctx.error(409, sentence(s.message()));
    default:
      return ctx.error(500);
  }
}

// "3 March 2026, 10:30 UTC" from the stored "2026-03-03T10:30:00Z"; "" for "".
std::string readable_time(const std::string& stamp) {
  if (stamp.size() < 16) return stamp;
  return long_date(stamp.substr(0, 10)) + ", " + stamp.substr(11, 5) + " UTC";
}

// The GOV.UK tag colour of a status: done green, on its way blue, failed
// red, waiting for staff yellow, waiting to send grey.
const char* status_colour(const std::string& status) {
  if (status == "delivered" || status == "called" || status == "printed") return "green";
  if (status == "sent") return "blue";
  if (status == "failed") return "red";
  if (status == "to_call" || status == "to_print") return "yellow";
  return "grey";
}

bool carries_secret(const Message& m) {
  const messages::Kind* kind = messages::find_kind(m.kind);
  return kind != nullptr && kind->secret;
}

std::string kind_label(const std::string& code) {
  const messages::Kind* kind = messages::find_kind(code);
  return kind == nullptr ? code : kind->label;
}

// One message for the tables and the message page. Every key a template
// tests is set, so a missing one is never looked up in the page around it.
json message_row(const Message& m) {
  bool secret = carries_secret(m);
  std::string id = std::to_string(m.id);
  json row = {{"id", m.id},
              {"href", "/messages/" + id},
              {"kind_label", kind_label(m.kind)},
              {"channel_label", messages::channel_label(m.channel)},
              {"status_label", messages::status_label(m.status)},
              {"status_colour", status_colour(m.status)},
              {"who", m.recipient_name.empty() ? m.recipient : m.recipient_name},
              {"recipient", m.recipient},
              // The address again under the name, when there is a name.
              {"show_recipient", !m.recipient_name.empty() && m.channel != messages::kLetter},
              {"is_letter", m.channel == messages::kLetter},
              {"created", readable_time(m.created_at)},
              {"secret", secret},
              {"body", secret ? "" : m.body},
              {"has_body", !secret && !m.body.empty()},
              {"reason", m.reason},
              {"has_reason", !m.reason.empty()},
              {"can_retry", m.status == "failed"},
              {"to_call", m.status == "to_call"},
              {"to_print", m.status == "to_print"},
              {"retry_action", "/messages/" + id + "/retry"},
              {"done_action", "/messages/" + id + "/done"},
              {"letter_href", "/messages/" + id + "/letter"}};
  return row;
}

// --- settings: how the organisation sends ----------------------------------------

// A relay address as typed, with any password written in it taken out, so a
// form shown again never holds it: "smtp://user:secret@host" gives
// "smtp://user@host".
std::string without_password(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  // The last '@' before the path ends the user and password, as in a URL.
  size_t path = url.find('/', start);
  size_t at = url.rfind('@', path == std::string::npos ? std::string::npos : path);
  if (at == std::string::npos || at < start) return url;
  size_t colon = url.find(':', start);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

std::string settings_title() { return "How messages are sent"; }

// The settings page: `typed` is what was entered when the form comes back
// with errors (secrets are never shown again, typed or stored).
Response settings_page(Context& ctx, const messages::Settings& current, const messages::SettingsInput* typed,
                       const std::vector<FieldError>& errors, const std::string& test_to) {
  std::map<std::string, std::string> error;
  for (const auto& e : errors) error.emplace(e.field, e.message);
  auto err = [&](const char* field) {
    auto it = error.find(field);
    return it == error.end() ? std::string() : it->second;
  };
  std::string backend = typed ? trim_copy(typed->backend) : current.backend;
  auto value = [&](const std::string& typed_value, const std::string& stored) { return typed ? typed_value : stored; };
  std::string notify_url = value(typed ? typed->notify_url : "", current.notify_url);
  if (notify_url.empty() && !typed) notify_url = messages::kDefaultNotifyUrl;

  std::string key_hint =
      current.notify_key_stored
          ? "A key named " + current.notify_key_name + " is stored. Enter a new key only to replace it."
          : "Create one in GOV.UK Notify under API integration. While trying things out, use a "
            "test key: it sends nothing to real people.";
  std::string password_hint = current.smtp_password_stored
                                  ? "A password is stored. Enter a new password only to replace it."
                                  : "If the relay needs one. It is stored sealed and never shown again.";
  json data = {
      {"backend_none", backend.empty() || backend == "none"},
      {"backend_notify", backend == messages::kNotify},
      {"backend_smtp", backend == messages::kSmtp},
      {"saved", ctx.request.query("saved") == "1"},
      {"f_notify_key", text_field({"notify_key", "API key", "password", key_hint.c_str()}, "", err("notify_key"))},
      {"f_notify_url",
       text_field({"notify_url", "Notify's address", "url",
                   "Leave it as it is unless you use another Notify service, such as a test one.", false, "30"},
                  notify_url, err("notify_url"))},
      {"f_notify_email_template",
       text_field({"notify_email_template", "Email template ID", "text",
                   "From the Notify template for email. Its subject must be ((subject)) and its message ((body)).",
                   false, "30"},
                  value(typed ? typed->notify_email_template : "", current.notify_email_template),
                  err("notify_email_template"))},
      {"f_notify_sms_template",
       text_field({"notify_sms_template", "Text message template ID", "text",
                   "From the Notify template for text messages. Its message must be ((body)). Leave it empty and "
                   "text messages are not sent: they are listed as not sent.",
                   false, "30"},
                  value(typed ? typed->notify_sms_template : "", current.notify_sms_template),
                  err("notify_sms_template"))},
      {"f_notify_letter_template",
       text_field({"notify_letter_template", "Letter template ID", "text",
                   "From the Notify template for letters. Its heading must be ((subject)) and its content ((body)). "
                   "Leave it empty to print and post letters yourselves: they are listed under Letters to print.",
                   false, "30"},
                  value(typed ? typed->notify_letter_template : "", current.notify_letter_template),
                  err("notify_letter_template"))},
      {"f_smtp_url",
       text_field({"smtp_url", "Relay address", "text",
                   "Like smtp://mail.example.org:587 (STARTTLS) or smtps://mail.example.org:465 (TLS "
                   "from the start).",
                   false, "30"},
                  value(typed ? without_password(typed->smtp_url) : "", current.smtp_url), err("smtp_url"))},
      {"f_smtp_from", text_field({"smtp_from", "Address messages come from", "email",
                                  "Like involvement@example.org. People can reply to it.", false, "30"},
                                 value(typed ? typed->smtp_from : "", current.smtp_from), err("smtp_from"))},
      {"f_smtp_user", text_field({"smtp_user", "User name", "text", "If the relay asks for one.", false, "20"},
                                 value(typed ? typed->smtp_user : "", current.smtp_user), err("smtp_user"))},
      {"f_smtp_password",
       text_field({"smtp_password", "Password", "password", password_hint.c_str()}, "", err("smtp_password"))},
      {"f_organisation_daily_limit",
       text_field(
           {"organisation_daily_limit", "Most messages a day from the organisation", "text",
            "Messages over it are not sent, and listed as not sent, so a mistake cannot flood people.", false, "5"},
           value(typed ? typed->organisation_daily_limit : "", std::to_string(current.organisation_daily_limit)),
           err("organisation_daily_limit"))},
      {"f_recipient_daily_limit",
       text_field({"recipient_daily_limit", "Most messages a day to one person", "text", "", false, "5"},
                  value(typed ? typed->recipient_daily_limit : "", std::to_string(current.recipient_daily_limit)),
                  err("recipient_daily_limit"))},
      {"f_to", text_field({"to", "Email address to send it to", "email", "", false, "30"}, test_to, err("to"))},
  };
  // Secrets are never written back into the page, and browsers must not
  // offer a saved sign-in password for them.
  for (const char* f : {"f_notify_key", "f_smtp_password"}) data[f]["autocomplete"] = "new-password";
  data["f_smtp_from"]["autocomplete"] = "off";
  data["f_to"]["autocomplete"] = "email";
  put_if(data, "backend_error", err("backend"));
  if (!current.updated_at.empty()) data["updated"] = readable_time(current.updated_at);
  if (auto box = security::SecretBox::from_environment(); !box.ok()) {
    data["secret_warning"] = sentence(box.status().message());
  }
  if (errors.empty()) return ctx.page(200, "messages/settings", settings_title(), data);
  return field_errors(ctx, "messages/settings", settings_title(), data, errors);
}

Response settings_show(Context& ctx) {
  auto current = messages::MessageSettings(ctx.services.db, ctx.services.clock).get(ctx.user->organisation_id);
  if (!current.ok()) return ctx.error(500);
  return settings_page(ctx, *current, nullptr, {}, ctx.user->email);
}

Response settings_save(Context& ctx) {
  const Form& f = ctx.form;
  messages::SettingsInput in{f.get("backend") == "none" ? "" : f.get("backend"),
                             f.get("smtp_url"),
                             f.get("smtp_from"),
                             f.get("smtp_user"),
                             f.get("smtp_password"),
                             f.get("notify_key"),
                             f.get("notify_url"),
                             f.get("notify_email_template"),
                             f.get("notify_sms_template"),
                             f.get("notify_letter_template"),
                             f.get("organisation_daily_limit"),
                             f.get("recipient_daily_limit")};
  int64_t org = ctx.user->organisation_id;
  messages::MessageSettings store(ctx.services.db, ctx.services.clock);
  std::vector<FieldError> problems;
  Status saved;
  if (auto box = security::SecretBox::from_environment(); box.ok()) {
    saved = store.save(org, in, *box, actor_of(ctx), &problems);
  } else {
    saved = store.save_without_key(org, in,
                                   std::string("this server was started without ") + security::kSecretKeyVariable +
                                       ", which seals keys and passwords. Ask whoever runs Coproduce to set it",
                                   actor_of(ctx), &problems);
  }
  if (saved.ok()) return Response::redirect("/admin/messages?saved=1");
  if (saved.code() != StatusCode::kInvalidInput || problems.empty()) return refused(ctx, saved);
  auto current = store.get(org);
  if (!current.ok()) return ctx.error(500);
  return settings_page(ctx, *current, &in, problems, ctx.user->email);
}

Response send_test(Context& ctx) {
  std::string to = ctx.form.get("to");
  auto queued = messages::queue_test(ctx.services.db, ctx.services.clock, *ctx.user, to);
  if (queued.ok()) {
    wake(ctx);
    return Response::redirect("/messages/" + std::to_string(queued->id) + "?done=test");
  }
  const Status& s = queued.status();
  if (s.code() != StatusCode::kInvalidInput && s.code() != StatusCode::kConflict) return refused(ctx, s);
  auto current = messages::MessageSettings(ctx.services.db, ctx.services.clock).get(ctx.user->organisation_id);
  if (!current.ok()) return ctx.error(500);
  return settings_page(ctx, *current, nullptr, {{"to", sentence(s.message())}}, to);
}

// --- templates: the wording of each kind --------------------------------------------

std::string version_label(const std::string& version) { return version == messages::kEasyRead ? "Easy Read" : "Plain"; }

// A wording's page; the language (English unless given) is a query
// parameter, so the address of an English wording is as it always was.
std::string template_href(const std::string& kind, const std::string& version, const std::string& language = "en",
                          const std::string& extra = "") {
  std::string query = language == "en" ? "" : "language=" + language;
  if (!extra.empty()) query += (query.empty() ? "" : "&") + extra;
  return "/admin/messages/templates/" + kind + "/" + version + (query.empty() ? "" : "?" + query);
}

// The language asked for in the query or form ("en" when none), or "" when
// Coproduce cannot write messages in it.
std::string language_param(const Context& ctx) {
  std::string language = ctx.form.get("language");
  if (language.empty()) language = ctx.request.query("language");
  if (language.empty()) return "en";
  return messages::is_message_language(language) ? language : "";
}

// The languages messages can be written in, for links between a wording's
// versions in each (the language's own name, English first).
json language_links(const Context& ctx, const std::string& current,
                    const std::function<std::string(const std::string&)>& href) {
  json out = json::array();
  for (const auto& code : messages::message_languages()) {
    out.push_back({{"l_code", code},
                   {"l_name", ctx.services.templates.catalogues().name(code)},
                   {"l_href", href(code)},
                   {"l_current", code == current}});
  }
  return out;
}

Response templates_list(Context& ctx) {
  const std::string language = language_param(ctx);
  if (language.empty()) return ctx.error(404, "Messages cannot be written in that language.");
  auto all = messages::Templates(ctx.services.db, ctx.services.clock).list(ctx.user->organisation_id, language);
  if (!all.ok()) return ctx.error(500);
  std::map<std::pair<std::string, std::string>, bool> own;
  for (const auto& t : *all) own[{t.kind, t.version}] = t.customised;
  json rows = json::array();
  for (const auto& k : messages::kinds()) {
    rows.push_back({{"label", k.label},
                    {"when", k.when},
                    {"plain_href", template_href(k.code, messages::kPlain, language)},
                    {"plain_own", own[{k.code, messages::kPlain}]},
                    {"easy_href", template_href(k.code, messages::kEasyRead, language)},
                    {"easy_own", own[{k.code, messages::kEasyRead}]}});
  }
  json languages = language_links(ctx, language, [](const std::string& code) {
    return std::string("/admin/messages/templates") + (code == "en" ? "" : "?language=" + code);
  });
  return ctx.page(200, "messages/templates", "Wording of messages",
                  {{"kinds", rows},
                   {"languages", languages},
                   {"several_languages", languages.size() > 1},
                   {"language_name", ctx.services.templates.catalogues().name(language)},
                   {"wording_lang", language}});
}

// The template edit page, with what was typed and an optional preview.
Response template_page(Context& ctx, const messages::Kind& kind, const std::string& version,
                       const messages::Template& stored, const std::string& subject, const std::string& body,
                       const std::vector<FieldError>& errors, bool preview) {
  const std::string& language = stored.language;
  std::map<std::string, std::string> error;
  for (const auto& e : errors) error.emplace(e.field, e.message);
  json placeholders = json::array();
  for (const auto& p : kind.placeholders) {
    placeholders.push_back(
        {{"p_name", "((" + p.name + "))"}, {"p_description", p.description}, {"p_example", p.example}});
  }
  std::string href = template_href(kind.code, version, language);
  std::string other = version == messages::kEasyRead ? messages::kPlain : messages::kEasyRead;
  json data = {{"kind_label", kind.label},
               {"when", kind.when},
               {"version_label", version_label(version)},
               {"easy_read", version == messages::kEasyRead},
               {"customised", stored.customised},
               {"action", href},
               {"reset_action", template_href(kind.code, version) + "/reset"},
               {"language", language},
               {"wording_lang", language},
               {"language_name", ctx.services.templates.catalogues().name(language)},
               {"languages", language_links(ctx, language,
                                            [&](const std::string& code) { return template_href(kind.code, version, code); })},
               {"several_languages", messages::message_languages().size() > 1},
               {"other_href", template_href(kind.code, other, language)},
               {"other_label", version_label(other)},
               {"placeholders", placeholders},
               {"body_value", body},
               {"saved", ctx.request.query("saved") == "1"},
               {"was_reset", ctx.request.query("reset") == "1"},
               {"f_subject", text_field({"subject", "Subject", "text",
                                         "Emails and letters have one; text messages are sent without it."},
                                        subject, error.count("subject") ? error["subject"] : "")}};
  if (stored.customised) data["updated"] = readable_time(stored.updated_at);
  put_if(data, "body_error", error.count("body") ? error["body"] : "");
  if (preview && errors.empty()) {
    auto values = messages::example_values(kind);
    data["preview"] = {{"pv_subject", messages::render(subject, values)},
                       {"pv_body", messages::render(body, values)},
                       {"pv_from", ctx.user->organisation_name}};
  }
  std::string title = kind.label + ": " + version_label(version) + " wording";
  if (errors.empty()) return ctx.page(200, "messages/template", title, data);
  return field_errors(ctx, "messages/template", title, data, errors);
}

// The kind and version named in the path, or nullptr.
const messages::Kind* kind_param(const Context& ctx) {
  const messages::Kind* kind = messages::find_kind(ctx.param("kind"));
  return kind != nullptr && messages::is_version(ctx.param("version")) ? kind : nullptr;
}

Response template_edit(Context& ctx) {
  const messages::Kind* kind = kind_param(ctx);
  const std::string language = language_param(ctx);
  if (kind == nullptr || language.empty()) return ctx.error(404);
  std::string version = ctx.param("version");
  auto stored = messages::Templates(ctx.services.db, ctx.services.clock)
                    .get(ctx.user->organisation_id, kind->code, version, language);
  if (!stored.ok()) return refused(ctx, stored.status());
  return template_page(ctx, *kind, version, *stored, stored->subject, stored->body, {}, false);
}

Response template_save(Context& ctx) {
  const messages::Kind* kind = kind_param(ctx);
  const std::string language = language_param(ctx);
  if (kind == nullptr || language.empty()) return ctx.error(404);
  std::string version = ctx.param("version");
  int64_t org = ctx.user->organisation_id;
  messages::Templates templates(ctx.services.db, ctx.services.clock);
  auto stored = templates.get(org, kind->code, version, language);
  if (!stored.ok()) return refused(ctx, stored.status());
  std::string subject = ctx.form.get("subject"), body = ctx.form.get("body");
  if (ctx.form.get("action") == "preview") {
    return template_page(ctx, *kind, version, *stored, subject, body, messages::validate_template(*kind, subject, body),
                         true);
  }
  std::vector<FieldError> problems;
  Status saved = templates.save(org, kind->code, version, subject, body, actor_of(ctx), &problems, language);
  if (saved.ok()) return Response::redirect(template_href(kind->code, version, language, "saved=1"));
  if (saved.code() != StatusCode::kInvalidInput || problems.empty()) return refused(ctx, saved);
  return template_page(ctx, *kind, version, *stored, subject, body, problems, false);
}

Response template_reset(Context& ctx) {
  const messages::Kind* kind = kind_param(ctx);
  const std::string language = language_param(ctx);
  if (kind == nullptr || language.empty()) return ctx.error(404);
  std::string version = ctx.param("version");
  Status reset = messages::Templates(ctx.services.db, ctx.services.clock)
                     .reset(ctx.user->organisation_id, kind->code, version, actor_of(ctx), language);
  if (!reset.ok()) return refused(ctx, reset);
  return Response::redirect(template_href(kind->code, version, language, "reset=1"));
}

// --- the outbox --------------------------------------------------------------------

struct Filter {
  const char* code;
  const char* label;
  std::vector<std::string> statuses;
  const char* caption;
  const char* none;
};

const std::vector<Filter>& filters() {
  static const std::vector<Filter> all = {
      {"all", "All", {}, "Messages, newest first", "No messages yet."},
      {"failed", "Not sent", {"failed"}, "Messages that were not sent, newest first", "Every message was sent."},
      {"waiting",
       "Waiting to send",
       {"queued", "sending"},
       "Messages waiting to send, newest first",
       "No messages are waiting to send."},
      {"to_call", "Call list", {"to_call"}, "People to phone, newest first", "There is no one to phone."},
      {"to_print",
       "Letters to print",
       {"to_print"},
       "Letters to print and post, newest first",
       "There are no letters to print."},
  };
  return all;
}

const Filter* find_filter(const std::string& code) {
  for (const auto& f : filters())
    if (code == f.code) return &f;
  return nullptr;
}

// What an action done from the outbox says afterwards (?done=...).
std::string done_notice(const std::string& done) {
  if (done == "again") return "The message is queued to send again.";
  if (done == "called") return "Marked as called.";
  if (done == "posted") return "Marked as posted.";
  if (done == "test")
    return "You asked for a test email. Its status below says what became of it: refresh the page to follow it.";
  return "";
}

constexpr int kListLimit = 200;

Response outbox_list(Context& ctx) {
  std::string show = ctx.request.query("show");
  const Filter* filter = find_filter(show.empty() ? "all" : show);
  if (filter == nullptr) return ctx.error(404);
  int64_t org = ctx.user->organisation_id;
  messages::OutboxQuery q;
  q.statuses = filter->statuses;
  q.limit = kListLimit;
  auto list = outbox(ctx).list(org, q);
  if (!list.ok()) return ctx.error(500);
  if (!outbox(ctx).record_read(org, "messages", filter->code, actor_of(ctx)).ok()) return ctx.error(500);
  json rows = json::array();
  for (const auto& m : *list) rows.push_back(message_row(m));
  json nav = json::array();
  for (const auto& f : filters()) {
    nav.push_back(
        {{"n_label", f.label},
         {"n_href", std::string("/messages") + (f.code == std::string("all") ? "" : "?show=" + std::string(f.code))},
         {"n_current", &f == filter}});
  }
  std::string code = filter->code;
  json data = {{"filters", nav},
               {"filter_label", filter->label},
               {"caption", filter->caption},
               {"none", filter->none},
               {"messages", rows},
               {"has_messages", !rows.empty()},
               {"at_limit", static_cast<int>(rows.size()) >= kListLimit},
               {"limit", kListLimit},
               {"show", code},
               {"show_failed", code == "failed"},
               {"show_to_call", code == "to_call"},
               {"show_to_print", code == "to_print"},
               {"show_general", code == "all" || code == "waiting"}};
  put_if(data, "notice", done_notice(ctx.request.query("done")));
  std::string title = code == "all" ? "Messages" : std::string("Messages: ") + filter->label;
  return ctx.page(200, "messages/list", title, data);
}

StatusOr<Message> message_param(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return NotFound("There is no such message");
  return outbox(ctx).get(ctx.user->organisation_id, *id);
}

// What a message was about, for its page: a link to the activity, else words.
void put_about(Context& ctx, const Message& m, json& data) {
  if (m.about_type == "activity") {
    auto a = activities::Activities(ctx.services.db, ctx.services.clock).get(ctx.user->organisation_id, m.about_id);
    data["about_href"] = "/activities/" + std::to_string(m.about_id);
    data["about_label"] = a.ok() ? a->title : "The activity";
    return;
  }
  static const std::map<std::string, std::string> kAbout = {
      {"round", "A recruitment round"}, {"survey", "A survey"}, {"payment", "A payment"}, {"user", "A user account"}};
  auto it = kAbout.find(m.about_type);
  if (it != kAbout.end()) data["about_label"] = it->second;
}

Response message_show(Context& ctx) {
  auto m = message_param(ctx);
  if (!m.ok()) return refused(ctx, m.status());
  int64_t org = ctx.user->organisation_id;
  if (!outbox(ctx).record_read(org, "message", std::to_string(m->id), actor_of(ctx)).ok()) return ctx.error(500);
  json data = message_row(*m);
  data["address_lines"] = m->channel == messages::kLetter ? json(messages::postal_lines(m->recipient)) : json::array();
  data["easy_read_version"] = m->version == messages::kEasyRead;
  data["large_print"] = m->large_print;
  data["in_doubt"] = m->in_doubt && m->status == "queued";
  data["attempts"] = m->attempts;
  put_if(data, "subject", m->channel == messages::kSms ? "" : m->subject);
  put_if(data, "sent", readable_time(m->sent_at));
  data["sent_label"] = m->status == "called" ? "Called" : m->status == "printed" ? "Posted" : "Sent";
  put_if(data, "delivered", readable_time(m->delivered_at));
  if (m->status == "queued" && m->attempts > 0) put_if(data, "next_attempt", readable_time(m->next_attempt_at));
  if (m->backend == messages::kNotify) data["service"] = "GOV.UK Notify";
  if (m->backend == messages::kSmtp) data["service"] = "The SMTP relay";
  put_about(ctx, *m, data);
  put_if(data, "notice", done_notice(ctx.request.query("done")));
  return ctx.page(200, "messages/show", kind_label(m->kind) + " to " + data["who"].get<std::string>(), data);
}

Response message_letter(Context& ctx) {
  auto m = message_param(ctx);
  if (!m.ok()) return refused(ctx, m.status());
  if (m->channel != messages::kLetter) return ctx.error(404, "This message is not a letter.");
  int64_t org = ctx.user->organisation_id;
  if (!outbox(ctx).record_read(org, "message", std::to_string(m->id), actor_of(ctx)).ok()) return ctx.error(500);
  json data = message_row(*m);
  data["address_lines"] = messages::postal_lines(m->recipient);
  data["large_print"] = m->large_print;
  data["easy_read_version"] = m->version == messages::kEasyRead;
  put_if(data, "subject", m->subject);
  data["organisation"] = ctx.user->organisation_name;
  // The letter is in the language it was written in, dated the same way.
  data["letter_lang"] = m->language;
  std::string dated = ctx.services.templates.catalogues().long_date(m->language, m->created_at.substr(0, 10));
  data["date"] = dated.empty() ? long_date(m->created_at.substr(0, 10)) : dated;
  // The letter's paragraphs, split at blank lines; single line breaks are kept by the page's CSS.
  json paragraphs = json::array();
  std::string rest = m->body;
  for (size_t at; !rest.empty();) {
    at = rest.find("\n\n");
    std::string para = trim_copy(rest.substr(0, at));
    if (!para.empty()) paragraphs.push_back(para);
    rest = at == std::string::npos ? "" : rest.substr(at + 2);
  }
  data["paragraphs"] = paragraphs;
  return ctx.page(200, "messages/letter", "Letter to " + data["who"].get<std::string>(), data);
}

// Where an action on a message goes back to: the message's own page or the
// outbox list it was done from.
std::string back_to(const Context& ctx, int64_t id, const std::string& done) {
  std::string back = ctx.form.get("back");
  std::string query = "done=" + done;
  if (back == "message") return "/messages/" + std::to_string(id) + "?" + query;
  const Filter* f = find_filter(back);
  if (f == nullptr || back == "all") return "/messages?" + query;
  return "/messages?show=" + back + "&" + query;
}

Response message_retry(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status s = outbox(ctx).retry(ctx.user->organisation_id, *id, actor_of(ctx));
  if (!s.ok()) return refused(ctx, s);
  wake(ctx);
  return Response::redirect(back_to(ctx, *id, "again"));
}

Response message_done(Context& ctx) {
  auto m = message_param(ctx);
  if (!m.ok()) return refused(ctx, m.status());
  Status s = outbox(ctx).mark_done(ctx.user->organisation_id, m->id, actor_of(ctx));
  if (!s.ok()) return refused(ctx, s);
  return Response::redirect(back_to(ctx, m->id, m->status == "to_call" ? "called" : "posted"));
}

// --- one activity's messages ----------------------------------------------------------

// Who was sent what about one record (an activity, a round), how, and what
// became of it.
Response about_messages(Context& ctx, const std::string& about_type, int64_t id, json data) {
  int64_t org = ctx.user->organisation_id;
  messages::OutboxQuery q;
  q.about_type = about_type;
  q.about_id = id;
  q.limit = 5000;
  auto list = outbox(ctx).list(org, q);
  if (!list.ok()) return ctx.error(500);
  auto counts = outbox(ctx).counts(org, about_type, id);
  if (!counts.ok()) return ctx.error(500);
  if (!outbox(ctx).record_read(org, about_type, std::to_string(id), actor_of(ctx)).ok()) return ctx.error(500);
  json rows = json::array();
  for (const auto& m : *list) rows.push_back(message_row(m));
  json summary = json::array();
  for (const auto& [status, n] : *counts) {
    summary.push_back({{"s_label", messages::status_label(status)}, {"s_count", n}});
  }
  data["messages"] = rows;
  data["has_messages"] = !rows.empty();
  data["summary"] = summary;
  std::string title = data["heading"].get<std::string>() + ": " + data["about_title"].get<std::string>();
  return ctx.page(200, "messages/activity", title, data);
}

Response activity_messages(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto a = activities::Activities(ctx.services.db, ctx.services.clock).get(ctx.user->organisation_id, *id);
  if (!a.ok()) return refused(ctx, a.status());
  return about_messages(ctx, "activity", *id,
                        {{"about_title", a->title},
                         {"back_href", "/activities/" + std::to_string(*id)},
                         {"heading", "Messages about this activity"},
                         {"caption", "Invitations, reminders and changes sent, newest first"}});
}

Response round_messages(Context& ctx) {
  auto gid = id_param(ctx);
  auto rid = id_param(ctx, "round");
  if (!gid || !rid) return ctx.error(404);
  int64_t org = ctx.user->organisation_id;
  auto round = involvement::Recruitment(ctx.services.db, ctx.services.clock).get(org, *rid);
  if (!round.ok() || round->group_id != *gid) return ctx.error(404);
  auto g = involvement::Groups(ctx.services.db, ctx.services.clock).get(org, *gid);
  if (!g.ok()) return refused(ctx, g.status());
  return about_messages(ctx, "round", *rid,
                        {{"about_title", g->name},
                         {"back_href", "/groups/" + std::to_string(*gid)},
                         {"heading", "Places offered after the draw"},
                         {"caption", "Offers of a place sent, newest first"}});
}

}  // namespace

void add_message_page_routes(Router& router) {
  router.add({"GET", "/admin/messages", kAdmins, Channel::kPage, settings_show});
  router.add({"POST", "/admin/messages", kAdmins, Channel::kPage, settings_save});
  router.add({"POST", "/admin/messages/test", kAdmins, Channel::kPage, send_test});
  router.add({"GET", "/admin/messages/templates", kAdmins, Channel::kPage, templates_list});
  router.add({"GET", "/admin/messages/templates/{kind}/{version}", kAdmins, Channel::kPage, template_edit});
  router.add({"POST", "/admin/messages/templates/{kind}/{version}", kAdmins, Channel::kPage, template_save});
  router.add({"POST", "/admin/messages/templates/{kind}/{version}/reset", kAdmins, Channel::kPage, template_reset});
  router.add({"GET", "/messages", kStaff, Channel::kPage, outbox_list});
  router.add({"GET", "/messages/{id}", kStaff, Channel::kPage, message_show});
  router.add({"GET", "/messages/{id}/letter", kStaff, Channel::kPage, message_letter});
  router.add({"POST", "/messages/{id}/retry", kStaff, Channel::kPage, message_retry});
  router.add({"POST", "/messages/{id}/done", kStaff, Channel::kPage, message_done});
  router.add({"GET", "/activities/{id}/messages", kStaff, Channel::kPage, activity_messages});
  router.add({"GET", "/groups/{id}/rounds/{round}/messages", kStaff, Channel::kPage, round_messages});
}

}  // namespace coproduce::web
