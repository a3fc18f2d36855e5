// Surveys on the web (issue 6): staff pages to create, open, close, import
// and export a survey; the public pages at /s/{slug} where people take it,
// page by page, with save and come back later; the findings page; and the
// analysis API.
//
// Handlers translate HTTP to calls on collection/ (storage and rules) and
// survey/ (the questionnaire, validation and the pure analysis).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "collection/flow.h"
#include "collection/response_import.h"
#include "collection/responses.h"
#include "collection/surveys.h"
#include "collection/transfer.h"
#include "core/dates.h"
#include "core/text.h"
#include "involvement/imports.h"
#include "report/charts.h"
#include "security/crypto.h"
#include "security/rate_limit.h"
#include "survey/analysis.h"
#include "survey/definition.h"
#include "survey/export.h"
#include "survey/report.h"
#include "survey/suppression.h"
#include "web/application.h"
#include "survey/translation.h"
#include "web/page_helpers.h"
#include "web/survey_pages.h"

namespace coproduce::web {
namespace {

using collection::Answers;
using collection::Availability;
using collection::Survey;
using collection::SurveyResponses;
using collection::Surveys;
using collection::SurveyStatus;
using nlohmann::json;
using security::Role;
using survey::Question;
using survey::QuestionType;
using survey::Questionnaire;
using Errors = std::vector<std::pair<std::string, std::string>>;
}  // namespace

// Shared with survey_data_handlers.cc (survey_pages.h).
namespace survey_pages {

// "2026-03-01T09:00:00Z" as "1 March 2026 at 9:00" for people.
std::string readable_time(const std::string& stamp) {
  if (stamp.size() < 16) return stamp;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (std::sscanf(stamp.c_str(), "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi) != 5 || mo < 1 || mo > 12) return stamp;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d %s %d at %d:%02d (UTC)", d,
                std::string(month_name(static_cast<unsigned>(mo))).c_str(), y, h, mi);
  return buf;
}


collection::Actor actor(const Context& ctx) {
  return {ctx.user ? std::optional<int64_t>(ctx.user->id) : std::nullopt, ctx.request.remote_address};
}

Response csv_download(const std::string& text, const std::string& file_name) {
  // A byte-order mark so Excel reads the file as UTF-8.
  return attachment("text/csv; charset=utf-8", file_name, "\xEF\xBB\xBF" + text);
}

// The survey named by {id} in the signed-in person's organisation.
StatusOr<Survey> staff_survey(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return NotFound("There is no such survey");
  return Surveys(ctx.services.db, ctx.services.clock).get(ctx.user->organisation_id, *id);
}

bool whole_number(const std::string& s, int* out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  *out = std::stoi(s);
  return true;
}

}  // namespace survey_pages

namespace {

using namespace survey_pages;



bool can_manage(const Context& ctx) {
  return ctx.user && (ctx.user->role == Role::kAdministrator || ctx.user->role == Role::kCoproductionLead);
}




std::string status_label(const Survey& s, Availability a) {
  switch (a) {
    case Availability::kOpen: return "Open";
    case Availability::kDraft: return "Draft";
    case Availability::kNotYetOpen: return "Opens later";
    case Availability::kClosed: return s.status == SurveyStatus::kClosed ? "Closed" : "Closed (past its closing date)";
    case Availability::kFull: return "Closed (it has all the responses it asked for)";
  }
  return "Draft";
}

std::string tag_class(Availability a) {
  switch (a) {
    case Availability::kOpen: return "govuk-tag--green";
    case Availability::kDraft: return "govuk-tag--grey";
    case Availability::kNotYetOpen: return "govuk-tag--blue";
    default: return "govuk-tag--red";
  }
}

// ---------------------------------------------------------------------------
// Staff: the list, creating, settings, opening and closing.

Response survey_list(Context& ctx) {
  auto list = Surveys(ctx.services.db, ctx.services.clock).list(ctx.user->organisation_id);
  if (!list.ok()) return ctx.error(500);
  json rows = json::array();
  for (const Survey& s : *list) {
    Availability a = collection::availability(s, ctx.services.clock.now(), s.completes);
    rows.push_back({{"href", "/surveys/" + std::to_string(s.id)}, {"title", s.title}, {"state", status_label(s, a)},
                    {"tag_class", tag_class(a)}, {"starts", s.starts}, {"completes", s.completes},
                    {"rate", s.starts ? report::format_percent(s.completion_rate()) : std::string("None yet")}});
  }
  return ctx.page(200, "surveys/list", "Surveys",
                  {{"surveys", rows}, {"has_surveys", !rows.empty()}, {"can_manage", can_manage(ctx)},
                   {"created", ctx.request.query("created") == "1"}});
}

json new_form_data(const std::string& source, const std::string& title) {
  return {{"source_template", source != "upload"}, {"source_upload", source == "upload"}, {"title_value", title}};
}

Response survey_new(Context& ctx) {
  return ctx.page(200, "surveys/new", "Create a survey", new_form_data("template", ""));
}

Response survey_create(Context& ctx) {
  std::string source = ctx.form.get("source");
  std::string title = trim_copy(ctx.form.get("title"));
  json data = new_form_data(source, title);
  Errors errors;
  if (title.size() > 200) errors.emplace_back("title", "Enter a title of 200 characters or fewer");
  StatusOr<Questionnaire> q = InvalidInput("no questionnaire");
  if (source == "template") {
    q = survey::builtin_template("coproduction");
  } else if (source == "upload") {
    const UploadedFile* file = ctx.form.file("definition");
    if (!file || file->data.empty()) {
      errors.emplace_back("definition", "Choose a questionnaire file to upload");
    } else {
      q = collection::questionnaire_from_upload(file->data, file->filename);
      if (!q.ok()) errors.emplace_back("definition", q.status().to_string());
    }
  } else {
    errors.emplace_back("source", "Select where the questions come from");
  }
  if (!errors.empty()) {
    for (const auto& [field, message] : errors) data[field + "_error"] = message;
    return ctx.form_errors("surveys/new", "Create a survey", data, errors);
  }
  auto created = Surveys(ctx.services.db, ctx.services.clock).create(ctx.user->organisation_id, *q, title, actor(ctx));
  if (!created.ok()) return ctx.error(500);
  return Response::redirect("/surveys/" + std::to_string(created->id) + "?created=1");
}

// A stored timestamp split for the form's date and time fields.
struct DateTimeFields {
  std::string day, month, year, time;
};

DateTimeFields split_stamp(const std::optional<std::string>& stamp) {
  DateTimeFields f;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (stamp && std::sscanf(stamp->c_str(), "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi) == 5) {
    f.day = std::to_string(d);
    f.month = std::to_string(mo);
    f.year = std::to_string(y);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", h, mi);
    f.time = buf;
  }
  return f;
}


// Reads "{name}-day/-month/-year/-time" into a timestamp. Empty fields mean
// no date. Otherwise a message naming what is wrong.
std::optional<std::string> read_datetime(const Form& form, const std::string& name, const std::string& what,
                                         std::optional<std::string>* out) {
  std::string day = trim_copy(form.get(name + "-day")), month = trim_copy(form.get(name + "-month")),
              year = trim_copy(form.get(name + "-year")), time = trim_copy(form.get(name + "-time"));
  out->reset();
  if (day.empty() && month.empty() && year.empty() && time.empty()) return std::nullopt;
  int d = 0, m = 0, y = 0, h = 0, mi = 0;
  if (!whole_number(day, &d) || !whole_number(month, &m) || !whole_number(year, &y) || y < 2000 || y > 2100) {
    return "Enter the date " + what + " as a day, month and year, like 1 3 2026";
  }
  if (time.empty()) time = "00:00";
  if (std::sscanf(time.c_str(), "%d:%d", &h, &mi) != 2 || h < 0 || h > 23 || mi < 0 || mi > 59) {
    return "Enter the time " + what + " on the 24-hour clock, like 09:00 or 17:30";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, h, mi);
  TimePoint t;
  if (!parse_timestamp(buf, &t) || format_timestamp(t) != buf) return "Enter a real date " + what;
  *out = buf;
  return std::nullopt;
}

json datetime_json(const DateTimeFields& f) {
  return {{"day", f.day}, {"month", f.month}, {"year", f.year}, {"time", f.time}};
}

Response show_survey(Context& ctx, const Survey& s, const json& typed, const Errors& errors) {
  Availability a = collection::availability(s, ctx.services.clock.now(), s.completes);
  std::string base = "/surveys/" + std::to_string(s.id);
  json data = {
      {"title", s.title},
      {"state", status_label(s, a)},
      {"tag_class", tag_class(a)},
      {"public_url", ctx.services.public_url + "/s/" + s.slug},
      {"public_path", "/s/" + s.slug},
      {"starts", s.starts},
      {"completes", s.completes},
      {"rate", s.starts ? report::format_percent(s.completion_rate()) : std::string("None yet")},
      {"anonymous", s.anonymous},
      {"opens_text", s.opens_at ? readable_time(*s.opens_at) : std::string("When you open it")},
      {"closes_text", s.closes_at ? readable_time(*s.closes_at) : std::string("When you close it")},
      {"cap_text", s.response_cap ? std::to_string(*s.response_cap) + " sent responses" : std::string("No limit")},
      {"can_manage", can_manage(ctx)},
      {"can_open", s.status != SurveyStatus::kOpen},
      {"can_close", s.status == SurveyStatus::kOpen},
      {"open_label", s.status == SurveyStatus::kClosed ? "Open the survey again" : "Open the survey"},
      {"base", base},
      {"created", ctx.request.query("created") == "1"},
      {"saved", ctx.request.query("saved") == "1"},
  };
  if (!ctx.request.query("imported").empty()) data["imported"] = ctx.request.query("imported");
  data["translated"] = ctx.request.query("translated") == "1";
  if (auto q = collection::questionnaire_of(s); q.ok()) {
    std::string names;
    for (size_t i = 0; i < q->languages.size(); ++i) {
      names += (i == 0 ? "" : i + 1 == q->languages.size() ? " and " : ", ") + q->languages[i].name;
    }
    data["languages_text"] = q->languages.size() > 1 ? names : std::string("One language");
    // Each repeat's answers are a file of their own, one row per time.
    json repeats = json::array();
    for (const survey::Repeat& r : q->repeats) repeats.push_back({{"code", r.code}, {"label", r.label}});
    data["repeats"] = repeats;
  }
  if (std::string n = ctx.request.query("invited"); !n.empty()) {
    data["invited"] = n == "0" ? "There was nobody new to invite: everyone who said they will answer surveys has"
                                 " been invited already."
                               : n + (n == "1" ? " invitation is" : " invitations are") + " on their way.";
  }
  auto invitations = collection::Surveys(ctx.services.db, ctx.services.clock).invitation_counts(s.organisation_id, s.id);
  if (invitations.ok() && invitations->sent > 0) {
    data["invitations_sent"] = invitations->sent;
    data["invitations_started"] = invitations->started;
  }
  data["can_invite"] = a == Availability::kOpen;
  if (typed.is_object()) {
    data["opens"] = typed["opens"];
    data["closes"] = typed["closes"];
    data["cap_value"] = typed["cap"];
    data["anonymous_checked"] = typed["anonymous"];
  } else {
    data["opens"] = datetime_json(split_stamp(s.opens_at));
    data["closes"] = datetime_json(split_stamp(s.closes_at));
    data["cap_value"] = s.response_cap ? std::to_string(*s.response_cap) : "";
    data["anonymous_checked"] = s.anonymous;
  }
  if (errors.empty()) return ctx.page(200, "surveys/show", s.title, data);
  for (const auto& [field, message] : errors) data[field + "_error"] = message;
  return ctx.form_errors("surveys/show", s.title, data, errors);
}

Response survey_show(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  return show_survey(ctx, *s, nullptr, {});
}

Response survey_settings(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  const Form& f = ctx.form;
  collection::Settings settings;
  Errors errors;
  if (auto e = read_datetime(f, "opens", "the survey opens", &settings.opens_at)) errors.emplace_back("opens-day", *e);
  if (auto e = read_datetime(f, "closes", "the survey closes", &settings.closes_at)) errors.emplace_back("closes-day", *e);
  std::string cap = trim_copy(f.get("cap"));
  int cap_value = 0;
  if (!cap.empty()) {
    if (!whole_number(cap, &cap_value) || cap_value < 1) {
      errors.emplace_back("cap", "Enter the most responses as a whole number, like 500, or leave it empty");
    } else {
      settings.response_cap = cap_value;
    }
  }
  settings.anonymous = f.get("anonymous") == "yes";
  if (errors.empty()) {
    for (const auto& e : collection::validate(settings)) {
      errors.emplace_back(e.field == "cap" ? "cap" : e.field + "-day", e.message);
    }
  }
  if (errors.empty()) {
    Status st = Surveys(ctx.services.db, ctx.services.clock)
                    .update_settings(ctx.user->organisation_id, s->id, settings, actor(ctx));
    if (st.ok()) return Response::redirect("/surveys/" + std::to_string(s->id) + "?saved=1");
    if (st.code() != StatusCode::kInvalidInput) return status_error(ctx, st);
    errors.emplace_back(st.where().field, st.message());
  }
  auto typed_dt = [&](const std::string& name) {
    return json{{"day", f.get(name + "-day")}, {"month", f.get(name + "-month")}, {"year", f.get(name + "-year")},
                {"time", f.get(name + "-time")}};
  };
  json typed = {{"opens", typed_dt("opens")}, {"closes", typed_dt("closes")}, {"cap", cap},
                {"anonymous", settings.anonymous}};
  return show_survey(ctx, *s, typed, errors);
}

Response survey_status(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  auto status = collection::parse_status(ctx.form.get("status"));
  if (!status || *status == SurveyStatus::kDraft) return ctx.error(400, "Choose to open or close the survey.");
  Status st = Surveys(ctx.services.db, ctx.services.clock).set_status(ctx.user->organisation_id, s->id, *status, actor(ctx));
  if (!st.ok()) return status_error(ctx, st);
  return Response::redirect("/surveys/" + std::to_string(s->id));
}

// ---------------------------------------------------------------------------
// The public pages: /s/{slug}.

std::string cookie_name(const Survey& s) { return "coproduce_survey_" + std::to_string(s.id); }
std::string public_base(const Survey& s) { return "/s/" + s.slug; }

constexpr int kCookieSeconds = 7 * 24 * 3600;

StatusOr<Survey> public_survey(Context& ctx) {
  return Surveys(ctx.services.db, ctx.services.clock).find_by_slug(ctx.param("slug"));
}

Availability availability_now(Context& ctx, const Survey& s) {
  return collection::availability(s, ctx.services.clock.now(), s.completes);
}

Response unavailable(Context& ctx, const Survey& s, Availability a, int status) {
  json data = {{"survey_title", s.title}, {"message", collection::availability_message(a)}};
  if (a == Availability::kNotYetOpen && s.opens_at) data["opens_text"] = readable_time(*s.opens_at);
  return ctx.page(status, "surveys/unavailable", s.title, data);
}

int minutes_to_answer(const Questionnaire& q) {
  int questions = 0;
  for (const auto& question : q.questions) questions += question.type != QuestionType::kDisplay;
  return std::max(1, (questions + 1) / 2);
}

// Invites everyone in the pool who said they will answer surveys, each by
// their own way and with their own link.
Response survey_invite(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto sent = notices(ctx).survey_invitations(ctx.user->organisation_id, *id, actor_of(ctx));
  if (!sent.ok()) return status_error(ctx, sent.status());
  wake_sender(ctx);
  return Response::redirect("/surveys/" + std::to_string(*id) + "?invited=" +
                            std::to_string(sent->queued + sent->to_call + sent->to_print));
}

// The language a survey's pages are shown in: the one the response was
// started in, else the person's own when the survey has it, else the
// survey's first; English for a survey in one unnamed language. Page words
// follow it, so a question is never in one language and its page in another.
void show_in(Context& ctx, const Questionnaire& q, const std::string& response_language = "") {
  std::string language = response_language;
  if (language.empty()) language = q.find_language(ctx.language) ? ctx.language : q.default_language();
  ctx.content_language = language.empty() ? std::string(i18n::kEnglish) : language;
}

// The Easy Read version of a survey's start page (templates/easy_read/page):
// what a survey is, what happens to the answers, and the same Start button.
// The survey starts in the language the page is shown in when it has it.
Response survey_easy_read(Context& ctx, const Survey& s, const survey::Questionnaire& q) {
  auto say = [&ctx](const char* english) { return ctx.tr(english); };
  json what = {easy_read_idea(ctx, "speech", N_("A speech bubble"), say(N_("This is a survey. A survey is a list of questions."))),
               easy_read_idea(ctx, "people", N_("Two people"), say(N_("Your answers help us make care and support better."))),
               easy_read_idea(ctx, "tick", N_("A tick"), say(N_("You do not have to answer. It is up to you.")))};
  json answers = json::array();
  if (s.anonymous) {
    answers.push_back(easy_read_idea(ctx, "lock", N_("A lock"), say(N_("We do not ask your name. Nobody can tell which answers are yours."))));
  } else {
    answers.push_back(easy_read_idea(ctx, "lock", N_("A lock"), say(N_("We keep your answers safe."))));
  }
  answers.push_back(easy_read_idea(ctx, "tick", N_("A tick"), say(N_("You can check your answers before you send them."))));
  answers.push_back(easy_read_idea(ctx, "pencil", N_("A pencil"),
                         say(N_("You can stop and come back later. We give you a code to carry on."))));
  json before = {easy_read_idea(ctx, "calendar", N_("A calendar"),
                      ctx.tr(N_("It takes about {minutes} minutes."), {{"minutes", std::to_string(minutes_to_answer(q))}}))};
  json sections = json::array({{{"heading", say(N_("What this is"))}, {"ideas", what}},
                               {{"heading", say(N_("Your answers"))}, {"ideas", answers}},
                               {{"heading", say(N_("Before you start"))}, {"ideas", before}}});
  json easy = {{"heading", q.title_translations.in(ctx.content_language, s.title)},
               {"standard_href", public_base(s) + "?version=standard"},
               {"sections", sections},
               {"start_action", public_base(s) + "/start"}};
  if (q.find_language(ctx.content_language)) {
    easy["start_fields"] = json::array({{{"name", "language"}, {"value", ctx.content_language}}});
  }
  return ctx.page(200, "easy_read/page", say(N_("About this survey in Easy Read")), easy);
}

// The start page, standard or (`easy_read`) in Easy Read.
Response start_page(Context& ctx, bool easy_read) {
  auto s = public_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  Availability a = availability_now(ctx, *s);
  if (a != Availability::kOpen) return unavailable(ctx, *s, a, 200);
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  show_in(ctx, *q);
  if (easy_read) return survey_easy_read(ctx, *s, *q);
  // People whose pool record asks for Easy Read see that version first.
  if (ctx.user && ctx.user->role == security::Role::kParticipant) {
    if (auto person = own_person(ctx); person && easy_read_first(ctx, *person)) return survey_easy_read(ctx, *s, *q);
  }
  // Mustache treats an empty string as true: optional text is left out instead.
  json data = {{"survey_title", q->title_translations.in(ctx.content_language, s->title)},
               {"minutes", minutes_to_answer(*q)}, {"anonymous", s->anonymous},
               {"signed_in", ctx.user.has_value()}, {"base", public_base(*s)},
               {"expired", ctx.request.query("expired") == "1"}, {"easy_read_href", public_base(*s) + "/easy-read"}};
  if (!q->description.empty()) data["description"] = q->description_translations.in(ctx.content_language, q->description);
  // A survey in several languages asks which at the start; the choice
  // stays with the response.
  if (q->languages.size() > 1) {
    json languages = json::array();
    for (size_t i = 0; i < q->languages.size(); ++i) {
      const survey::Language& l = q->languages[i];
      languages.push_back({{"l_code", l.code}, {"l_name", l.name}, {"l_id", i == 0 ? "language" : "language-" + l.code},
                           {"l_checked", l.code == ctx.content_language}});
    }
    data["languages"] = languages;
    data["choose_language"] = true;
  }
  // A link from an invitation carries its code on to the start.
  put_if(data, "invite", ctx.request.query("invite"));
  if (s->closes_at) data["closes_text"] = readable_time(*s->closes_at);
  SurveyResponses responses(ctx.services.db, ctx.services.clock);
  auto current = responses.load(s->id, ctx.request.cookie(cookie_name(*s)));
  if (current.ok() && *current && !(*current)->submitted()) data["continue_href"] = public_base(*s) + "/check";
  return ctx.page(200, "surveys/start", s->title, data);
}

Response public_start_page(Context& ctx) { return start_page(ctx, false); }
Response public_easy_read(Context& ctx) { return start_page(ctx, true); }

bool over_limit(Context& ctx, const char* action, Response* out) {
  auto allowed = security::RateLimiter(ctx.services.db, ctx.services.clock)
                     .allow(action, ctx.request.remote_address, ctx.services.public_starts_per_hour, std::chrono::hours(1));
  if (!allowed.ok()) {
    *out = ctx.error(503);
    return true;
  }
  if (*allowed) return false;
  *out = ctx.error(429, "This survey has been started many times from your connection in the last hour. "
                        "Please try again in an hour.");
  return true;
}

Response with_session(Response r, Context& ctx, const Survey& s, const std::string& token) {
  r.headers.emplace_back("Set-Cookie", make_set_cookie(cookie_name(s), token, {true, ctx.request.secure, kCookieSeconds}));
  return r;
}

std::string page_href(const Survey& s, int page, bool change = false) {
  return public_base(s) + "/page/" + std::to_string(page) + (change ? "?change=1" : "");
}

Response public_start(Context& ctx) {
  auto s = public_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  Availability a = availability_now(ctx, *s);
  if (a != Availability::kOpen) return unavailable(ctx, *s, a, 409);
  if (Response limited; over_limit(ctx, "survey.start", &limited)) return limited;
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  std::optional<int64_t> user;
  if (ctx.user) user = ctx.user->id;
  // A language the questionnaire does not have (a stale or altered form)
  // falls back to its default.
  std::string language = ctx.form.get("language");
  if (!q->find_language(language)) language = q->default_language();
  auto started = SurveyResponses(ctx.services.db, ctx.services.clock).start(*s, user, language);
  if (!started.ok()) {
    if (started.status().code() == StatusCode::kConflict) return unavailable(ctx, *s, Availability::kClosed, 409);
    return ctx.error(503);
  }
  // Counted for the invitation it came from, and nothing more: the code is
  // not kept with the answers.
  (void)collection::Surveys(ctx.services.db, ctx.services.clock).invitation_started(s->id, ctx.form.get("invite"));
  auto pages = collection::visible_pages(*q, {});
  return with_session(Response::redirect(page_href(*s, pages.empty() ? 1 : pages.front())), ctx, *s, started->token);
}

// A person's journey as one request sees it.
struct Journey {
  Survey survey;
  Questionnaire q;
  std::string token;
  collection::SurveyResponse response;
};

// Opens the survey and the person's response, or fills `out` with where to go.
std::optional<Journey> open_journey(Context& ctx, Response* out) {
  auto s = public_survey(ctx);
  if (!s.ok()) {
    *out = status_error(ctx, s.status());
    return std::nullopt;
  }
  Availability a = availability_now(ctx, *s);
  if (a != Availability::kOpen) {
    *out = unavailable(ctx, *s, a, 409);
    return std::nullopt;
  }
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) {
    *out = ctx.error(500);
    return std::nullopt;
  }
  std::string token = ctx.request.cookie(cookie_name(*s));
  auto r = SurveyResponses(ctx.services.db, ctx.services.clock).load(s->id, token);
  if (!r.ok()) {
    *out = ctx.error(503);
    return std::nullopt;
  }
  if (!*r || (*r)->submitted()) {
    *out = Response::redirect(public_base(*s) + (*r ? "" : "?expired=1"));
    return std::nullopt;
  }
  show_in(ctx, *q, (*r)->language);
  return Journey{std::move(*s), std::move(*q), token, std::move(**r)};
}

// --- question pages ---

// A field's name is where its answer is kept: the question code, or for a
// question of a repeat its instance key ("service#2"). Its id is the name
// with '#' made '-' ("service-2"), so it is a valid, unique id and fragment:
// codes hold only letters, digits and _, so no other field's id looks alike.
std::string field_id(const std::string& name) {
  std::string id = name;
  std::replace(id.begin(), id.end(), '#', '-');
  return id;
}

// The name of question `question`'s field in `instance` (0 for a question
// asked once).
std::string field_name(const Question& question, int instance) {
  return instance > 0 ? survey::instance_key(question.code, instance) : question.code;
}

// True when the person adds the instances of `r` as they go (Add another,
// Remove), rather than being given a fixed or asked-for number.
bool added_as_they_go(const survey::Repeat& r) { return r.fixed_count < 0 && r.count_question < 0; }

// The id the error summary links to for a question's field named `name`:
// its first input.
std::string anchor(const Question& question, const std::string& name) {
  const std::string id = field_id(name);
  if (question.type == QuestionType::kDate) return id + "-day";
  if (question.type == QuestionType::kLikert && !question.items.empty()) return id + "-" + question.items.front().code;
  return id;
}

bool is_choice(QuestionType t) {
  return t == QuestionType::kSingle || t == QuestionType::kYesNo || t == QuestionType::kRating;
}

std::vector<survey::Option> options_of(const Question& question) {
  if (question.type == QuestionType::kYesNo && question.options.empty()) {
    return {{"yes", N_("Yes")}, {"no", N_("No")}};
  }
  return question.options;
}

// Reads a GOV.UK date input: day, month and year fields. Returns the error
// message, or fills `iso` (empty when all three are empty).
std::optional<std::string> read_date(const Form& form, const std::string& name, std::string* iso) {
  std::string d = trim_copy(form.get(name + "-day")), m = trim_copy(form.get(name + "-month")),
              y = trim_copy(form.get(name + "-year"));
  iso->clear();
  if (d.empty() && m.empty() && y.empty()) return std::nullopt;
  std::vector<std::string> missing;
  // Each message whole, so it can be translated whole (returned in
  // English, shown through ctx.tr).
  if (d.empty() && m.empty()) return N_("The date must include a day and a month");
  if (d.empty() && y.empty()) return N_("The date must include a day and a year");
  if (m.empty() && y.empty()) return N_("The date must include a month and a year");
  if (d.empty()) return N_("The date must include a day");
  if (m.empty()) return N_("The date must include a month");
  if (y.empty()) return N_("The date must include a year");
  int day = 0, month = 0, year = 0;
  if (!whole_number(d, &day) || !whole_number(m, &month) || !whole_number(y, &year)) {
    return N_("Enter the date as numbers, like 27 3 2007");
  }
  if (y.size() != 4) return N_("The year must include 4 numbers");
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  TimePoint t;
  if (month < 1 || month > 12 || day < 1 || !parse_timestamp(std::string(buf) + "T00:00:00Z", &t) ||
      format_timestamp(t).substr(0, 10) != buf) {
    return N_("The date must be a real date");
  }
  *iso = buf;
  return std::nullopt;
}

// Reads the answer to `question` from its field named `name` into `out`
// (removing it when empty), noting a date's problem under `name`.
void read_field(const Question& question, const std::string& name, const Form& form, Answers& out,
                std::map<std::string, std::string>* date_errors) {
  survey::RawAnswer a;
  switch (question.type) {
    case QuestionType::kMultiple:
      for (const auto& v : form.all(name)) {
        if (!v.empty()) a.values.push_back(v);
      }
      break;
    case QuestionType::kLikert:
      for (const auto& item : question.items) a.values.push_back(form.get(name + "[" + item.code + "]"));
      if (std::all_of(a.values.begin(), a.values.end(), [](const std::string& v) { return v.empty(); })) a.values.clear();
      break;
    case QuestionType::kDate: {
      std::string iso;
      if (auto e = read_date(form, name, &iso)) (*date_errors)[name] = *e;
      if (!iso.empty()) a.values.push_back(iso);
      break;
    }
    default: {
      std::string v = form.get(name);
      if (!trim_copy(v).empty()) a.values.push_back(v);
    }
  }
  if (question.other_specify) a.other_text = trim_copy(form.get(name + "_other"));
  if (a.values.empty() && a.other_text.empty()) {
    out.erase(name);
  } else {
    out[name] = std::move(a);
  }
}

// Removes the answers of repeat `r`'s instances above `count`, so an
// instance taken away and added again starts empty.
void drop_instances_above(const Questionnaire& q, const survey::Repeat& r, int count, Answers& answers) {
  for (auto it = answers.begin(); it != answers.end();) {
    auto split = survey::split_instance_key(it->first);
    bool above = false;
    if (split && split->second > count) {
      auto i = q.find(split->first);
      above = i && *i >= r.first && *i < r.end;
    }
    it = above ? answers.erase(it) : std::next(it);
  }
}

// The page's answers from the form, and the date problems found reading
// them (by field name). On a repeat's page, every instance on it; when the
// person adds the instances, their number is kept under the repeat's code.
Answers read_page(const Questionnaire& q, int page, const Form& form, const Answers& saved,
                  std::map<std::string, std::string>* date_errors) {
  Answers out = saved;
  if (const survey::Repeat* r = q.repeat_on_page(page)) {
    const int count = collection::instance_count(*r, q, saved);
    for (int k = 1; k <= count; ++k) {
      for (size_t i = r->first; i < r->end; ++i) {
        const Question& question = q.questions[i];
        if (question.type == QuestionType::kDisplay || question.calculated() || question.read_only) continue;
        read_field(question, field_name(question, k), form, out, date_errors);
      }
    }
    drop_instances_above(q, *r, count, out);
    if (added_as_they_go(*r)) out[r->code] = survey::RawAnswer{{std::to_string(count)}, {}};
    return out;
  }
  for (const Question& question : q.questions) {
    if (question.page != page || question.type == QuestionType::kDisplay || question.read_only) continue;
    read_field(question, question.code, form, out, date_errors);
  }
  return out;
}

// Takes instance `instance` out of repeat `r`: later instances move down
// one, keeping their answers, and there is one fewer (never fewer than one).
void remove_instance(const Questionnaire& q, const survey::Repeat& r, int instance, Answers& answers) {
  const int count = collection::instance_count(r, q, answers);
  if (count <= 1 || instance < 1 || instance > count) return;
  for (int k = instance; k < count; ++k) {
    for (size_t i = r.first; i < r.end; ++i) {
      const std::string from = field_name(q.questions[i], k + 1), to = field_name(q.questions[i], k);
      auto it = answers.find(from);
      if (it == answers.end()) {
        answers.erase(to);
      } else {
        answers[to] = it->second;
      }
    }
  }
  drop_instances_above(q, r, count - 1, answers);
  answers[r.code] = survey::RawAnswer{{std::to_string(count - 1)}, {}};
}

std::vector<std::string> answer_lines(const Question& question, const survey::RawAnswer& a,
                                      const std::string& language);

// An option's label in `language`: its own translation, else the words
// Coproduce itself provides for it (Yes and No, a Likert scale) from the
// catalogues, else the label as written.
std::string label_in(const survey::Option& o, const std::string& language) {
  if (o.label_translations.by_language.count(language)) return o.label_translations.in(language, o.label);
  return i18n::installed()->text(language, o.label);
}

// The fields of `question` named `name` (field_name()); their ids are
// made from field_id(name). `errors`: messages by field id (and id_other).
// `fresh`: the person has not been on this page before, so a question's
// default answer is filled in. `language`: the response's language code, or
// empty for a survey in one language.
json question_json(const Question& question, const std::string& name, const Answers& answers, const Form* typed,
                   const std::map<std::string, std::string>& errors, bool as_heading, bool fresh,
                   const std::string& language, const std::vector<size_t>& offered) {
  const std::string id = field_id(name);
  auto it = answers.find(name);
  // A read-only question shows the survey's answer: its default, or what
  // its trigger filled in.
  const bool fixed = question.read_only && question.trigger.empty();
  survey::RawAnswer defaulted;
  if ((fresh && it == answers.end()) || fixed) defaulted = survey::default_raw_answer(question);
  const survey::RawAnswer& a = it == answers.end() || fixed ? defaulted : it->second;
  const std::string& hint = question.hint_in(language);
  json d = {{"q_code", id}, {"q_name", name}, {"q_text", question.text_in(language)}, {"q_heading", as_heading},
            {"q_display", question.type == QuestionType::kDisplay}, {"q_choice", false}, {"q_text_input", false},
            {"q_textarea", false}, {"q_date", false}, {"q_likert", false}, {"q_hint", hint},
            {"q_has_hint", !hint.empty()}, {"q_anchor", anchor(question, name)}};
  // The question's own words carry their language, so a screen reader
  // speaks them in it whatever the page around them is in.
  if (!language.empty()) d["q_lang"] = language;
  auto err = errors.find(id);
  d["q_error"] = err == errors.end() ? "" : err->second;
  d["q_has_error"] = err != errors.end();
  std::string described;
  if (!hint.empty()) described = id + "-hint";
  if (err != errors.end()) described += (described.empty() ? "" : " ") + id + "-error";
  if (!described.empty()) d["q_described_by"] = described;
  if (question.type == QuestionType::kDisplay) return d;
  if (question.read_only) {
    // Shown, not asked: the answer the survey gives, as words.
    d["q_read_only"] = true;
    d["q_read_only_lines"] = answer_lines(question, a, language);
    return d;
  }

  if (is_choice(question.type) || question.type == QuestionType::kMultiple) {
    bool multiple = question.type == QuestionType::kMultiple;
    d["q_choice"] = true;
    d["q_kind"] = multiple ? "checkboxes" : "radios";
    d["q_input_type"] = multiple ? "checkbox" : "radio";
    d["q_inline"] = question.type == QuestionType::kRating || question.type == QuestionType::kYesNo;
    json items = json::array();
    bool first = true;
    const std::vector<survey::Option> options = options_of(question);
    for (size_t oi = 0; oi < options.size(); ++oi) {
      // A choice filter may leave options out, given earlier answers.
      if (!question.options.empty() && std::find(offered.begin(), offered.end(), oi) == offered.end()) continue;
      const survey::Option& o = options[oi];
      bool checked = std::find(a.values.begin(), a.values.end(), o.code) != a.values.end();
      json item = {{"o_id", first ? id : id + "-" + o.code}, {"o_value", o.code},
                   {"o_label", label_in(o, language)}, {"o_checked", checked}, {"o_other", false},
                   {"o_reveal", false}};
      if (question.other_specify && o.code == "other") {
        item["o_other"] = true;
        item["o_reveal"] = multiple;
        item["o_other_value"] = a.other_text;
        auto oe = errors.find(id + "_other");
        item["o_other_error"] = oe == errors.end() ? "" : oe->second;
        item["o_other_has_error"] = oe != errors.end();
      }
      first = false;
      items.push_back(item);
    }
    d["q_items"] = items;
    if (question.type == QuestionType::kRating && !question.options.empty()) {
      d["q_scale_note"] = label_in(question.options.front(), language) + " to " + label_in(question.options.back(), language);
    }
    return d;
  }
  if (question.type == QuestionType::kLikert) {
    d["q_likert"] = true;
    json rows = json::array();
    for (size_t i = 0; i < question.items.size(); ++i) {
      const auto& item = question.items[i];
      std::string chosen = i < a.values.size() ? a.values[i] : "";
      json options = json::array();
      bool first = true;
      for (const auto& o : question.options) {
        options.push_back({{"o_id", id + "-" + item.code + (first ? "" : "-" + o.code)},
                           {"o_value", o.code}, {"o_label", label_in(o, language)}, {"o_checked", chosen == o.code}});
        first = false;
      }
      rows.push_back({{"l_name", name + "[" + item.code + "]"}, {"l_label", label_in(item, language)},
                      {"l_options", options}});
    }
    d["q_rows"] = rows;
    return d;
  }
  if (question.type == QuestionType::kDate) {
    d["q_date"] = true;
    std::string day, month, year;
    if (typed) {
      day = typed->get(name + "-day");
      month = typed->get(name + "-month");
      year = typed->get(name + "-year");
    } else if (!a.values.empty() && a.values.front().size() == 10) {
      year = a.values.front().substr(0, 4);
      month = std::to_string(std::stoi(a.values.front().substr(5, 2)));
      day = std::to_string(std::stoi(a.values.front().substr(8, 2)));
    }
    d["q_day"] = day;
    d["q_month"] = month;
    d["q_year"] = year;
    return d;
  }
  std::string value = a.values.empty() ? "" : a.values.front();
  if (typed) value = typed->get(name);
  d["q_value"] = value;
  if (question.type == QuestionType::kLongText) {
    d["q_textarea"] = true;
  } else {
    d["q_text_input"] = true;
    d["q_numeric"] = question.type == QuestionType::kNumber;
    d["q_width"] = question.type == QuestionType::kNumber ? "govuk-input--width-10" : "govuk-!-width-two-thirds";
  }
  return d;
}

int position_of(const std::vector<int>& pages, int page) {
  auto it = std::find(pages.begin(), pages.end(), page);
  return it == pages.end() ? -1 : static_cast<int>(it - pages.begin());
}

// The query that keeps a change of answers on its way (?change=1&more=...).
std::string change_query(Context& ctx, bool change) {
  if (!change) return "";
  std::string out = "?change=1";
  if (!ctx.request.query("more").empty()) out += "&more=" + percent_encode(ctx.request.query("more"));
  return out;
}

// The id of instance `k` of repeat `r`'s fieldset ("services-2"); its
// legend, where focus goes after adding or removing one, is that id with
// "-legend".
std::string instance_id(const survey::Repeat& r, int k) { return r.code + "-" + std::to_string(k); }

Response render_page(Context& ctx, const Journey& j, int page, const Answers& answers, const Form* typed,
                     const Errors& errors, bool change) {
  auto pages = collection::visible_pages(j.q, answers);
  int pos = position_of(pages, page);
  // The error summary links to a field's first input (anchor()); the
  // field shows the message by its id (and id_other for its 'other'
  // details).
  const survey::Repeat* r = j.q.repeat_on_page(page);
  std::map<std::string, std::string> by_id;
  {
    std::map<std::string, std::string> id_of_anchor;
    const int count = r ? collection::instance_count(*r, j.q, answers) : 0;
    for (const auto& question : j.q.questions) {
      if (question.page != page) continue;
      for (int k = r ? 1 : 0; k <= count; ++k) {
        const std::string name = field_name(question, k);
        id_of_anchor[anchor(question, name)] = field_id(name);
      }
    }
    for (const auto& [field, message] : errors) {
      auto it = id_of_anchor.find(field);
      by_id[it == id_of_anchor.end() ? field : it->second] = message;
    }
  }
  // Defaults fill in only the furthest page reached, as first shown (not
  // when the form comes back with a problem: then it holds what was sent).
  const bool fresh = typed == nullptr && page >= j.response.last_page;
  const std::string& language = j.response.language;
  json questions = json::array();
  json instances = json::array();
  std::string heading;
  int answerable = 0;
  if (r) {
    // One fieldset per instance, each with the questions shown in it.
    const int count = collection::instance_count(*r, j.q, answers);
    int focus = 0;
    whole_number(ctx.request.query("focus"), &focus);
    for (int k = 1; k <= count; ++k) {
      json fields = json::array();
      for (size_t i : collection::page_questions(j.q, page, answers, k)) {
        const Question& question = j.q.questions[i];
        fields.push_back(question_json(question, field_name(question, k), answers, typed, by_id, false, fresh,
                                       language, collection::offered_options(j.q, i, answers, k)));
      }
      const std::string legend = r->label_in(language) + " " + std::to_string(k);
      json one = {{"i_id", instance_id(*r, k)}, {"i_legend", legend}, {"i_questions", fields},
                  {"i_focus", k == focus}, {"i_remove", added_as_they_go(*r) && count > 1},
                  {"i_remove_value", "remove-" + std::to_string(k)}};
      if (!language.empty()) one["i_lang"] = language;
      instances.push_back(std::move(one));
    }
  } else {
    auto shown = collection::page_questions(j.q, page, answers);
    for (size_t i : shown) answerable += j.q.questions[i].type != QuestionType::kDisplay;
    for (size_t i : shown) {
      const Question& question = j.q.questions[i];
      bool as_heading = answerable == 1 && question.type != QuestionType::kDisplay;
      if (as_heading) heading = question.text_in(language);
      questions.push_back(question_json(question, question.code, answers, typed, by_id, as_heading, fresh, language,
                                        collection::offered_options(j.q, i, answers)));
    }
  }
  std::string back = public_base(j.survey);
  if (change) back = public_base(j.survey) + "/check";
  else if (pos > 0) back = page_href(j.survey, pages[static_cast<size_t>(pos - 1)]);
  json data = {{"survey_title", j.q.title_translations.in(language, j.survey.title)},
               {"progress", ctx.tr("Page {page} of {pages}",
                                   {{"page", std::to_string(pos + 1)}, {"pages", std::to_string(pages.size())}})},
               {"questions", questions},
               {"single", answerable == 1},
               {"action", page_href(j.survey, page) + change_query(ctx, change)},
               {"back_href", back}};
  if (r) {
    data["repeat"] = true;
    data["instances"] = instances;
    const std::string& hint = r->hint_translations.in(language, r->hint);
    if (!hint.empty()) data["repeat_hint"] = hint;
    if (!language.empty()) data["repeat_lang"] = language;
    // Just removed one: say so, since the page itself looks much the same.
    if (int removed = 0; whole_number(ctx.request.query("removed"), &removed) && removed >= 1 && removed <= r->max) {
      data["removed"] = ctx.tr(N_("You removed {name}. Any after it have moved up."),
                               {{"name", r->label_in(language) + " " + std::to_string(removed)}});
    }
    const int count = static_cast<int>(instances.size());
    if (added_as_they_go(*r)) {
      if (count < r->max) {
        data["can_add"] = true;
      } else {
        data["at_most"] = ctx.tr(N_("You cannot add more. The most is {max}."), {{"max", std::to_string(r->max)}});
      }
    }
  }
  std::string title = heading.empty() ? j.survey.title : heading;
  if (errors.empty()) return ctx.page(200, "surveys/question", title, data);
  return ctx.form_errors("surveys/question", title, data, errors);
}

int page_param(Context& ctx) {
  int page = 0;
  if (!whole_number(ctx.param("page"), &page)) return 0;
  return page;
}

Response public_page(Context& ctx) {
  Response out;
  auto j = open_journey(ctx, &out);
  if (!j) return out;
  int page = page_param(ctx);
  if (page < 1 || page > j->q.pages) return ctx.error(404);
  bool change = ctx.request.query("change") == "1";
  auto pages = collection::visible_pages(j->q, j->response.answers);
  if (position_of(pages, page) < 0) {
    // A page the answers now skip: on to the next one that counts.
    for (int p : pages) {
      if (p > page) return Response::redirect(page_href(j->survey, p));
    }
    return Response::redirect(public_base(j->survey) + "/check");
  }
  SurveyResponses responses(ctx.services.db, ctx.services.clock);
  if (ctx.request.method == "GET" || ctx.request.method == "HEAD") {
    return render_page(ctx, *j, page, j->response.answers, nullptr, {}, change);
  }
  std::map<std::string, std::string> date_errors;
  Answers answers = read_page(j->q, page, ctx.form, j->response.answers, &date_errors);
  // Answers filled in because another changed (XLSForm trigger).
  collection::apply_triggers(j->q, j->response.answers, answers);

  const std::string action = ctx.form.get("action");
  if (action == "save") {
    // Saved as typed, without checking: the person may be stopping because
    // they are unsure. The pages check everything before sending.
    Status st = responses.save(j->survey.id, j->token, answers, page);
    if (!st.ok()) return st.code() == StatusCode::kInternal || st.code() == StatusCode::kUnavailable
                             ? ctx.error(503)
                             : Response::redirect(public_base(j->survey) + "?expired=1");
    auto code = responses.make_resume_code(j->survey.id, j->token);
    if (!code.ok()) return ctx.error(503);
    return ctx.page(200, "surveys/saved", ctx.tr("Your answers have been saved"),
                    {{"survey_title", j->q.title_translations.in(j->response.language, j->survey.title)}, {"code", *code}, {"resume_href", public_base(j->survey) + "/resume"},
                     {"continue_href", page_href(j->survey, page)}});
  }

  // Adding or removing one of a repeat's instances: the answers so far
  // are saved unchecked (the person has not finished the page) and the
  // page is shown again, focus on the instance added or on the one that
  // took the removed one's place.
  const survey::Repeat* repeat = j->q.repeat_on_page(page);
  if (repeat && added_as_they_go(*repeat) && (action == "add" || action.rfind("remove-", 0) == 0)) {
    const int count = collection::instance_count(*repeat, j->q, answers);
    int focus = count;
    int removed = 0;
    if (action == "add") {
      if (count < repeat->max) {
        focus = count + 1;
        answers[repeat->code] = survey::RawAnswer{{std::to_string(focus)}, {}};
      }
    } else if (int k = 0; whole_number(action.substr(7), &k) && k >= 1 && k <= count) {
      remove_instance(j->q, *repeat, k, answers);
      focus = std::min(k, collection::instance_count(*repeat, j->q, answers));
      removed = k;
    }
    Status st = responses.save(j->survey.id, j->token, answers, page);
    if (!st.ok()) return st.code() == StatusCode::kInternal || st.code() == StatusCode::kUnavailable
                             ? ctx.error(503)
                             : Response::redirect(public_base(j->survey) + "?expired=1");
    std::string query = change_query(ctx, change);
    query += (query.empty() ? "?" : "&") + std::string("focus=") + std::to_string(focus);
    if (removed > 0) query += "&removed=" + std::to_string(removed);
    return Response::redirect(page_href(j->survey, page) + query);
  }

  // Each problem is placed on its field: for a repeat's question, the
  // field of its instance.
  Errors errors;
  const auto problems = collection::check_page(j->q, page, answers, j->response.language);
  // In a repeat, each message names its instance ("... (Service 2)"), so
  // the same problem in two instances reads as two in the summary.
  auto place = [&](const Question& question, int instance) {
    const std::string name = field_name(question, instance);
    const std::string which =
        instance > 0 ? " (" + repeat->label_in(j->response.language) + " " + std::to_string(instance) + ")" : "";
    if (auto d = date_errors.find(name); d != date_errors.end()) {
      errors.emplace_back(anchor(question, name), ctx.tr(d->second) + which);
      return;
    }
    for (const auto& p : problems) {
      if (p.code != name) continue;
      bool other = p.part == survey::AnswerPart::kOtherText;
      errors.emplace_back(other ? field_id(name) + "_other" : anchor(question, name), p.message + which);
    }
  };
  if (repeat) {
    const int count = collection::instance_count(*repeat, j->q, answers);
    for (int k = 1; k <= count; ++k) {
      for (size_t i : collection::page_questions(j->q, page, answers, k)) place(j->q.questions[i], k);
    }
  } else {
    for (size_t i : collection::page_questions(j->q, page, answers)) place(j->q.questions[i], 0);
  }
  if (!errors.empty()) return render_page(ctx, *j, page, answers, &ctx.form, errors, change);
  auto before = collection::visible_pages(j->q, j->response.answers);
  auto after = collection::visible_pages(j->q, answers);
  std::string next = public_base(j->survey) + "/check";
  int reached = page;
  if (!change) {
    for (int p : after) {
      if (p > page) {
        next = page_href(j->survey, p);
        reached = p;
        break;
      }
    }
  } else {
    // Changing an answer goes back to the check page, unless the change has
    // brought in pages the person has not seen: those come first, in order,
    // the ones still to visit carried in ?more=.
    std::set<int> to_visit;
    for (int p : after) {
      if (p > page && position_of(before, p) < 0) to_visit.insert(p);
    }
    for (const std::string& part : split_codes(ctx.request.query("more"))) {
      int p = 0;
      if (whole_number(trim_copy(part), &p) && p > page && position_of(after, p) >= 0) to_visit.insert(p);
    }
    if (!to_visit.empty()) {
      int first = *to_visit.begin();
      to_visit.erase(to_visit.begin());
      next = page_href(j->survey, first, true);
      std::string more;
      for (int p : to_visit) more += (more.empty() ? "" : ",") + std::to_string(p);
      if (!more.empty()) next += "&more=" + more;
    }
  }
  Status st = responses.save(j->survey.id, j->token, answers, reached);
  if (!st.ok()) return st.code() == StatusCode::kInternal || st.code() == StatusCode::kUnavailable
                           ? ctx.error(503)
                           : Response::redirect(public_base(j->survey) + "?expired=1");
  return Response::redirect(next);
}

// --- check answers, send, resume ---

std::vector<std::string> answer_lines(const Question& question, const survey::RawAnswer& a,
                                      const std::string& language) {
  std::vector<std::string> out;
  auto label = [&](const std::string& code) {
    for (const auto& o : options_of(question)) {
      if (o.code == code) return label_in(o, language);
    }
    return code;
  };
  if (question.type == QuestionType::kLikert) {
    for (size_t i = 0; i < question.items.size(); ++i) {
      std::string v = i < a.values.size() ? a.values[i] : "";
      out.push_back(label_in(question.items[i], language) + ": " +
                    (v.empty() ? i18n::installed()->text(language, N_("Not answered")) : label(v)));
    }
    return out;
  }
  if (question.type == QuestionType::kDate && !a.values.empty()) {
    std::string when = readable_time(a.values.front() + "T00:00");
    out.push_back(when.substr(0, when.find(" at ")));
    return out;
  }
  for (const auto& v : a.values) {
    if (v.empty()) continue;
    std::string text = question.has_options() || question.type == QuestionType::kYesNo ? label(v) : v;
    if (v == "other" && !a.other_text.empty()) text += ": " + a.other_text;
    out.push_back(text);
  }
  return out;
}

Response public_check(Context& ctx) {
  Response out;
  auto j = open_journey(ctx, &out);
  if (!j) return out;
  Answers answers = collection::shown_answers(j->q, j->response.answers);
  if (int p = collection::first_page_with_problem(j->q, answers)) return Response::redirect(page_href(j->survey, p));
  auto pages = collection::visible_pages(j->q, answers);
  // Someone may open the check page before reaching the end.
  if (!pages.empty() && j->response.last_page < pages.back()) {
    for (int p : pages) {
      if (p >= j->response.last_page) return Response::redirect(page_href(j->survey, p));
    }
  }
  // One summary list per run of pages asked once, and one per instance of
  // a repeat under its own heading ("Service 2"), each answer with its
  // change link to the field it came from.
  const std::string& language = j->response.language;
  json sections = json::array();
  json rows = json::array();
  auto add_row = [&](const Question& question, int page, int instance) {
    if (question.type == QuestionType::kDisplay) return;
    const std::string name = field_name(question, instance);
    auto it = answers.find(name);
    std::vector<std::string> lines;
    if (it != answers.end()) lines = answer_lines(question, it->second, language);
    if (lines.empty()) lines.push_back(ctx.tr("Not answered"));
    const std::string& text = question.text_in(language);
    std::string change_label = text;
    if (instance > 0) {
      change_label += " (" + j->q.repeats[static_cast<size_t>(question.repeat)].label_in(language) + " " +
                      std::to_string(instance) + ")";
    }
    json row = {{"key", text}, {"lines", lines}, {"change_label", change_label},
                {"href", page_href(j->survey, page, true) + (instance > 0 ? "#" + anchor(question, name) : "")},
                {"fixed", question.read_only}};
    if (!language.empty()) row["lang"] = language;
    rows.push_back(std::move(row));
  };
  auto close_section = [&](json heading) {
    if (rows.empty()) return;
    json section = {{"rows", rows}};
    if (!heading.is_null()) section["heading"] = heading;
    if (!heading.is_null() && !language.empty()) section["heading_lang"] = language;
    sections.push_back(std::move(section));
    rows = json::array();
  };
  for (int page : pages) {
    if (const survey::Repeat* r = j->q.repeat_on_page(page)) {
      close_section(nullptr);
      const int count = collection::instance_count(*r, j->q, answers);
      for (int k = 1; k <= count; ++k) {
        for (size_t i : collection::page_questions(j->q, page, answers, k)) add_row(j->q.questions[i], page, k);
        close_section(r->label_in(language) + " " + std::to_string(k));
      }
      continue;
    }
    for (size_t i : collection::page_questions(j->q, page, answers)) add_row(j->q.questions[i], page, 0);
  }
  close_section(nullptr);
  std::string back = pages.empty() ? public_base(j->survey) : page_href(j->survey, pages.back());
  return ctx.page(200, "surveys/check", ctx.tr("Check your answers before sending them"),
                  {{"survey_title", j->q.title_translations.in(j->response.language, j->survey.title)},
                   {"sections", sections}, {"back_href", back},
                   {"action", public_base(j->survey) + "/check"}, {"anonymous", j->survey.anonymous}});
}

Response public_send(Context& ctx) {
  Response out;
  auto j = open_journey(ctx, &out);
  if (!j) return out;
  Answers answers = collection::shown_answers(j->q, j->response.answers);
  if (int p = collection::first_page_with_problem(j->q, answers)) return Response::redirect(page_href(j->survey, p));
  auto pages = collection::visible_pages(j->q, answers);
  Status st = SurveyResponses(ctx.services.db, ctx.services.clock)
                  .submit(j->survey, j->token, answers, pages.empty() ? 1 : pages.back());
  if (st.code() == StatusCode::kConflict) {
    auto fresh = Surveys(ctx.services.db, ctx.services.clock).find_by_slug(j->survey.slug);
    if (fresh.ok()) {
      Availability a = availability_now(ctx, *fresh);
      if (a != Availability::kOpen) return unavailable(ctx, *fresh, a, 409);
    }
    return Response::redirect(public_base(j->survey));
  }
  if (!st.ok()) return ctx.error(503);
  Response r = ctx.page(200, "surveys/confirmation", ctx.tr("Your answers have been sent"),
                        {{"survey_title", j->q.title_translations.in(j->response.language, j->survey.title)}, {"anonymous", j->survey.anonymous}});
  r.headers.emplace_back("Set-Cookie", make_set_cookie(cookie_name(j->survey), "", {true, ctx.request.secure, 0}));
  return r;
}

Response resume_form(Context& ctx) {
  auto s = public_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  Availability a = availability_now(ctx, *s);
  if (a != Availability::kOpen) return unavailable(ctx, *s, a, 200);
  return ctx.page(200, "surveys/resume", ctx.tr("Continue with your resume code"),
                  {{"survey_title", s->title}, {"action", public_base(*s) + "/resume"}, {"code_value", ""},
                   {"back_href", public_base(*s)}});
}

Response resume(Context& ctx) {
  auto s = public_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  Availability a = availability_now(ctx, *s);
  if (a != Availability::kOpen) return unavailable(ctx, *s, a, 409);
  // Counted like starts, so codes cannot be guessed by trying many.
  if (Response limited; over_limit(ctx, "survey.resume", &limited)) return limited;
  std::string typed = ctx.form.get("code");
  json data = {{"survey_title", s->title}, {"action", public_base(*s) + "/resume"}, {"code_value", typed},
               {"back_href", public_base(*s)}};
  std::string normal = collection::normalise_resume_code(typed);
  std::string problem;
  if (normal.empty()) {
    problem = ctx.tr("Enter your resume code");
  } else if (normal.size() != 16) {
    problem = ctx.tr("Enter the 16 letters of your resume code, like ABCD-EFGH-JKLM-NPQR");
  }
  if (problem.empty()) {
    auto token = SurveyResponses(ctx.services.db, ctx.services.clock).resume(s->id, typed);
    if (token.ok()) return with_session(Response::redirect(public_base(*s) + "/check"), ctx, *s, *token);
    if (token.status().code() != StatusCode::kNotFound) return ctx.error(503);
    problem = ctx.tr("We could not find answers with that code. Check the code and try again");
  }
  data["code_error"] = problem;
  return ctx.form_errors("surveys/resume", ctx.tr("Continue with your resume code"), data, {{"code", problem}});
}

// --- writing a survey in another language ---

// The language asked for: ?language=CODE, else the first other language,
// else Welsh (the language public bodies in Wales must offer).
survey::Language language_to_write(const survey::Questionnaire& q, const std::string& asked) {
  for (size_t i = 1; i < q.languages.size(); ++i) {
    if (q.languages[i].code == asked || (asked.empty() && i == 1)) return q.languages[i];
  }
  if (!asked.empty() && (q.languages.empty() || asked != q.languages[0].code)) return {asked, asked == "cy" ? "Cymraeg" : ""};
  return {"cy", "Cymraeg"};
}

Response translate_page(Context& ctx, const Survey& s, const survey::Questionnaire& q, const survey::Language& language,
                        const survey::Language& written_in, const std::map<std::string, std::string>* typed,
                        const std::vector<FieldError>& problems) {
  const std::string base = "/surveys/" + std::to_string(s.id);
  json texts = json::array();
  for (const auto& t : survey::translatable_texts(q, language.code)) {
    std::string value = t.translation;
    if (typed) {
      auto it = typed->find(t.field);
      value = it == typed->end() ? "" : it->second;
    }
    json row = {{"field", t.field}, {"what", t.what}, {"text", t.text}, {"translation", value},
                {"long_text", t.long_text}, {"has_error", false}};
    for (const auto& p : problems) {
      if (p.field == t.field) row.update({{"error", p.message}, {"has_error", true}});
    }
    texts.push_back(std::move(row));
  }
  json others = json::array();
  for (size_t i = 1; i < q.languages.size(); ++i) {
    others.push_back({{"name", q.languages[i].name},
                      {"href", base + "/translate?language=" + percent_encode(q.languages[i].code)}});
  }
  json data = {{"title", s.title},
               {"base", base},
               {"name_written_in", q.languages.empty()},
               {"written_in_name", written_in.name},
               {"written_in_code", written_in.code},
               {"written_in_lang", q.languages.empty() ? written_in.code : q.languages[0].code},
               {"language_name", language.name},
               {"language_code", language.code},
               {"others", others},
               {"has_others", !others.empty()},
               {"texts", texts}};
  const std::string title = "Write the survey in another language";
  if (problems.empty()) return ctx.page(200, "surveys/translate", title, data);
  return field_errors(ctx, "surveys/translate", title, data, problems);
}

Response translate_form(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  return translate_page(ctx, *s, *q, language_to_write(*q, trim_copy(ctx.request.query("language"))),
                        {"en", "English"}, nullptr, {});
}

Response translate_save(Context& ctx) {
  auto s = staff_survey(ctx);
  if (!s.ok()) return status_error(ctx, s.status());
  auto q = collection::questionnaire_of(*s);
  if (!q.ok()) return ctx.error(500);
  const Form& f = ctx.form;
  const survey::Language language{trim_copy(f.get("language_code")), trim_copy(f.get("language_name"))};
  const survey::Language written_in{trim_copy(f.get("written_in_code")), trim_copy(f.get("written_in_name"))};
  std::map<std::string, std::string> typed;
  for (const auto& t : survey::translatable_texts(*q, language.code)) typed[t.field] = f.get(t.field);
  auto problems = Surveys(ctx.services.db, ctx.services.clock)
                      .translate(ctx.user->organisation_id, s->id, language, written_in, typed, actor(ctx));
  if (!problems.ok()) return status_error(ctx, problems.status());
  if (problems->empty()) return Response::redirect("/surveys/" + std::to_string(s->id) + "?translated=1");
  return translate_page(ctx, *s, *q, language, written_in, &typed, *problems);
}

}  // namespace

void add_survey_routes(Router& router) {
  router.add({"GET", "/surveys", kView, Channel::kPage, survey_list});
  router.add({"GET", "/surveys/new", kManage, Channel::kPage, survey_new});
  router.add({"POST", "/surveys", kManage, Channel::kPage, survey_create});
  router.add({"GET", "/surveys/{id}", kView, Channel::kPage, survey_show});
  router.add({"POST", "/surveys/{id}/settings", kManage, Channel::kPage, survey_settings});
  router.add({"POST", "/surveys/{id}/status", kManage, Channel::kPage, survey_status});
  router.add({"POST", "/surveys/{id}/invite", kManage, Channel::kPage, survey_invite});
  router.add({"GET", "/surveys/{id}/translate", kManage, Channel::kPage, translate_form});
  router.add({"POST", "/surveys/{id}/translate", kManage, Channel::kPage, translate_save});
  router.add({"GET", "/s/{slug}", Access::anyone(), Channel::kPage, public_start_page});
  router.add({"POST", "/s/{slug}/start", Access::anyone(), Channel::kPage, public_start});
  router.add({"GET", "/s/{slug}/easy-read", Access::anyone(), Channel::kPage, public_easy_read});
  router.add({"GET", "/s/{slug}/page/{page}", Access::anyone(), Channel::kPage, public_page});
  router.add({"POST", "/s/{slug}/page/{page}", Access::anyone(), Channel::kPage, public_page});
  router.add({"GET", "/s/{slug}/check", Access::anyone(), Channel::kPage, public_check});
  router.add({"POST", "/s/{slug}/check", Access::anyone(), Channel::kPage, public_send});
  router.add({"GET", "/s/{slug}/resume", Access::anyone(), Channel::kPage, resume_form});
  router.add({"POST", "/s/{slug}/resume", Access::anyone(), Channel::kPage, resume});
}

}  // namespace coproduce::web
