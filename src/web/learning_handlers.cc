// Co-production learning for every role: the workforce, learning modules,
// requirements by role category, completions, and coverage. Staff pages
// under /learning and the learning API under /api/v1/learning. Learners'
// own pages are in learner_handlers.cc.
//
// Worker records are personal data: only administrators and learning leads
// see them. Co-production leads and analysts see coverage figures only.
#include <algorithm>
#include <map>

#include "core/dates.h"
#include "core/text.h"
#include "learning/coverage_export.h"
#include "learning/imports.h"
#include "learning/learning.h"
#include "learning/markdown.h"
#include "learning/vocab.h"
#include "learning/workforce.h"
#include "report/charts.h"
#include "web/application.h"
#include "web/learning_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using learning::Learning;
using learning::Workforce;
using nlohmann::json;
using security::Role;

// Rows of each list of people to act on that a page shows.
constexpr size_t kListRows = 100;

const Access kWorkforceStaff = Access::only({Role::kAdministrator, Role::kLearningLead});
const Access kFigures =
    Access::only({Role::kAdministrator, Role::kLearningLead, Role::kCoproductionLead, Role::kAnalyst});

Learning learn(Context& ctx) { return Learning(ctx.services.db, ctx.services.clock); }
Workforce staff(Context& ctx) { return Workforce(ctx.services.db, ctx.services.clock); }
int64_t org(const Context& ctx) { return ctx.user->organisation_id; }
bool sees_names(const Context& ctx) {
  return ctx.user->role == Role::kAdministrator || ctx.user->role == Role::kLearningLead;
}

// --- the worker form ------------------------------------------------------------------

void split_date(const std::string& iso, std::string* d, std::string* m, std::string* y) {
  if (!is_date(iso)) return;
  *y = iso.substr(0, 4);
  *m = std::to_string(std::stoi(iso.substr(5, 2)));
  *d = std::to_string(std::stoi(iso.substr(8, 2)));
}

// The date typed into NAME-day/-month/-year: "" when all are empty, the
// ISO date when real, and "?" (invalid) otherwise.
std::string typed_date(const Form& f, const std::string& name) {
  std::string d = f.get(name + "-day"), m = f.get(name + "-month"), y = f.get(name + "-year");
  if (trim_copy(d + m + y).empty()) return "";
  std::string iso = date_from_parts(d, m, y, 1900);
  return iso.empty() ? "?" : iso;
}

json date_data(const std::string& name, const std::string& legend, const std::string& hint, const Form* f,
               const std::string& iso, const std::string& error) {
  json out = {{"name", name}, {"legend", legend}};
  if (!hint.empty()) out["hint"] = hint;
  std::string d, m, y;
  if (f) {
    d = f->get(name + "-day");
    m = f->get(name + "-month");
    y = f->get(name + "-year");
  } else {
    split_date(iso, &d, &m, &y);
  }
  out["day"] = d;
  out["month"] = m;
  out["year"] = y;
  if (!error.empty()) out["error"] = error;
  return out;
}

learning::WorkerInput worker_from_form(const Form& f) {
  learning::WorkerInput in;
  in.worker_id = f.get("worker_id");
  in.name = f.get("name");
  in.workplace = f.get("workplace");
  in.job_role = f.get("job_role");
  in.team = f.get("team");
  in.role_category = f.get("role_category");
  in.closeness = f.get("closeness");
  in.started_on = typed_date(f, "started_on");
  in.left_on = typed_date(f, "left_on");
  in.care_certificate = f.get("care_certificate");
  in.email = f.get("email");
  return in;
}

// Dates that were typed but are not real come back as "?": say so plainly.
std::vector<FieldError> worker_form_errors(const learning::WorkerInput& in) {
  std::vector<FieldError> out;
  for (auto e : learning::validate(in)) {
    if (e.field == "started_on" && in.started_on == "?") e.message = "The start date must be a real date";
    if (e.field == "left_on" && in.left_on == "?") e.message = "The leaving date must be a real date";
    out.push_back(std::move(e));
  }
  return out;
}

json worker_form_data(const learning::WorkerInput& in, const std::vector<FieldError>& errors, const Form* typed,
                      const std::string& action, const std::string& heading, const std::string& cancel) {
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  auto e = [&](const char* f) { return err.count(f) ? err[f] : std::string(); };
  return {{"action", action},
          {"heading", heading},
          {"cancel_href", cancel},
          {"fields",
           {text_field({"worker_id", "Worker ID", "text",
                        "The unique worker ID you use in ASC-WDS, or your own staff number", false, "20"},
                       in.worker_id, e("worker_id")),
            text_field({"name", "Name"}, in.name, e("name")),
            text_field({"workplace", "Workplace", "text",
                        "The ASC-WDS workplace ID, or the name of the service. Leave empty if there is only one."},
                       in.workplace, e("workplace")),
            text_field({"team", "Team", "text", "Optional"}, in.team, e("team")),
            text_field({"job_role", "Main job role", "text", "As you name it, for example Senior care worker"},
                       in.job_role, e("job_role"))}},
          {"choice_groups",
           {choice_group("role_category", "Care Workforce Pathway role category",
                         "Commissioners, directors, social workers and others the pathway does not cover are "
                         "'Not on the pathway'.",
                         true, learning::role_categories(), {in.role_category}, e("role_category")),
            choice_group("closeness", "How close is the role to direct care?",
                         "The same scale as the co-production survey, so learning and survey answers line up.", true,
                         learning::closeness_levels(), {in.closeness}, e("closeness")),
            choice_group("care_certificate", "Care Certificate", "", true, learning::care_certificate_statuses(),
                         {in.care_certificate.empty() ? "not_started" : in.care_certificate},
                         e("care_certificate"))}},
          {"started",
           date_data("started_on", "Start date", "", typed, in.started_on == "?" ? "" : in.started_on,
                     e("started_on"))},
          {"left", date_data("left_on", "Leaving date", "Leave empty while they are in post", typed,
                             in.left_on == "?" ? "" : in.left_on, e("left_on"))},
          {"email_field", text_field({"email", "Email address", "email",
                                      "Optional. Needed to invite them to take learning here."},
                                     in.email, e("email"))}};
}

Response worker_form_page(Context& ctx, int status, const json& data, const std::vector<FieldError>& errors,
                          const std::string& heading) {
  if (errors.empty()) return ctx.page(status, "learning/worker_form", heading, data);
  return field_errors(ctx, "learning/worker_form", heading, data, errors);
}

Response new_worker(Context& ctx) {
  return worker_form_page(ctx, 200, worker_form_data({}, {}, nullptr, "/learning/workers", "Add a worker", "/learning/workers"),
                          {}, "Add a worker");
}

Response create_worker(Context& ctx) {
  learning::WorkerInput in = worker_from_form(ctx.form);
  auto errors = worker_form_errors(in);
  if (errors.empty()) {
    auto w = staff(ctx).add(org(ctx), in, actor_of(ctx));
    if (w.ok()) return Response::redirect("/learning/workers/" + std::to_string(w->id));
    if (w.status().code() != StatusCode::kConflict && w.status().code() != StatusCode::kInvalidInput)
      return status_error(ctx, w.status());
    errors.push_back({w.status().where().field, w.status().message()});
  }
  return worker_form_page(ctx, 400, worker_form_data(in, errors, &ctx.form, "/learning/workers", "Add a worker", "/learning/workers"),
                          errors, "Add a worker");
}

Response edit_worker(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto w = staff(ctx).get(org(ctx), *id, actor_of(ctx));
  if (!w.ok()) return status_error(ctx, w.status());
  std::string href = "/learning/workers/" + std::to_string(*id);
  return worker_form_page(ctx, 200, worker_form_data(w->details, {}, nullptr, href + "/edit", "Change " + w->details.name + "'s details", href),
                          {}, "Change details");
}

Response update_worker(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  learning::WorkerInput in = worker_from_form(ctx.form);
  auto errors = worker_form_errors(in);
  std::string href = "/learning/workers/" + std::to_string(*id);
  if (errors.empty()) {
    auto done = staff(ctx).update(org(ctx), *id, in, actor_of(ctx));
    if (done.ok()) return Response::redirect(href);
    const Status& s = done.status();
    if (s.code() != StatusCode::kConflict && s.code() != StatusCode::kInvalidInput) return status_error(ctx, s);
    errors.push_back({s.where().field, s.message()});
  }
  return worker_form_page(ctx, 400, worker_form_data(in, errors, &ctx.form, href + "/edit", "Change details", href), errors,
                          "Change details");
}

// --- the workforce list and one worker ---------------------------------------------------

json options_of(const learning::Choices& choices, const std::string& picked) {
  json out = json::array();
  for (const auto& [code, label] : choices) out.push_back({{"value", code}, {"label", label}, {"selected", code == picked}});
  return out;
}

Response list_workers(Context& ctx) {
  learning::WorkerQuery q;
  q.text = ctx.request.query("q");
  q.role_category = ctx.request.query("role_category");
  if (!q.role_category.empty() && !learning::has_code(learning::role_categories(), q.role_category))
    q.role_category.clear();
  q.current_only = ctx.request.query("current") == "1";
  q.limit = 50;
  int page = 1;
  if (auto p = ctx.request.query("page"); !p.empty() && p.size() < 6 && p.find_first_not_of("0123456789") == std::string::npos)
    page = std::max(1, std::stoi(p));
  q.offset = (page - 1) * q.limit;
  int64_t total = 0;
  auto list = staff(ctx).search(org(ctx), q, actor_of(ctx), &total);
  if (!list.ok()) return status_error(ctx, list.status());
  std::string today = format_timestamp(ctx.services.clock.now()).substr(0, 10);
  json rows = json::array();
  for (const auto& w : *list) {
    rows.push_back({{"href", "/learning/workers/" + std::to_string(w.id)},
                    {"name", w.details.name},
                    {"worker_id", w.details.worker_id},
                    {"workplace", w.details.workplace},
                    {"team", w.details.team},
                    {"role", learning::label_of(learning::role_categories(), w.details.role_category)},
                    {"in_post", w.in_post_on(today) ? "In post"
                                : w.details.started_on > today ? "Starting " + long_date(w.details.started_on)
                                                                : "Left " + long_date(w.details.left_on)}});
  }
  std::string base = "/learning/workers?q=" + percent_encode(q.text) + "&role_category=" + q.role_category +
                     (q.current_only ? "&current=1" : "");
  json data = {{"q", q.text},
               {"current", q.current_only},
               {"role_options", options_of(learning::role_categories(), q.role_category)},
               {"workers", rows},
               {"has_workers", !rows.empty()},
               {"total", total},
               {"showing", std::to_string(q.offset + (rows.empty() ? 0 : 1)) + " to " +
                               std::to_string(q.offset + static_cast<int64_t>(rows.size())) + " of " +
                               std::to_string(total)}};
  if (page > 1) data["prev_href"] = base + "&page=" + std::to_string(page - 1);
  if (q.offset + static_cast<int64_t>(rows.size()) < total) data["next_href"] = base + "&page=" + std::to_string(page + 1);
  if (auto n = ctx.request.query("imported"); !n.empty()) data["imported"] = n;
  return ctx.page(200, "learning/workers", "Workforce", data);
}

json module_choices(const std::vector<learning::Module>& modules, const std::string& picked) {
  json out = json::array();
  for (const auto& m : modules)
    out.push_back({{"value", std::to_string(m.id)}, {"label", m.content.title}, {"selected", std::to_string(m.id) == picked}});
  return out;
}

Response show_worker_page(Context& ctx, int64_t id, int status, const std::vector<FieldError>& errors,
                          const std::string& invitation = "", bool emailed = false) {
  auto w = staff(ctx).get(org(ctx), id, actor_of(ctx));
  if (!w.ok()) return status_error(ctx, w.status());
  std::string today = format_timestamp(ctx.services.clock.now()).substr(0, 10);
  auto mods = learn(ctx).worker_modules(org(ctx), *w, today);
  if (!mods.ok()) return status_error(ctx, mods.status());
  auto done = learn(ctx).completions(org(ctx), id);
  if (!done.ok()) return status_error(ctx, done.status());
  const auto& d = w->details;
  json details = json::array({
      json{{"key", "Worker ID"}, {"value", d.worker_id}},
      json{{"key", "Workplace"}, {"value", d.workplace.empty() ? "Not given" : d.workplace}},
      json{{"key", "Team"}, {"value", d.team.empty() ? "Not given" : d.team}},
      json{{"key", "Main job role"}, {"value", d.job_role.empty() ? "Not given" : d.job_role}},
      json{{"key", "Role category"}, {"value", learning::label_of(learning::role_categories(), d.role_category)}},
      json{{"key", "Closeness to direct care"}, {"value", learning::label_of(learning::closeness_levels(), d.closeness)}},
      json{{"key", "Started"}, {"value", long_date(d.started_on)}},
      json{{"key", "Left"}, {"value", d.left_on.empty() ? "In post" : long_date(d.left_on)}},
      json{{"key", "Care Certificate"}, {"value", learning::label_of(learning::care_certificate_statuses(), d.care_certificate)}},
      json{{"key", "Email"}, {"value", d.email.empty() ? "Not given" : d.email}},
  });
  json modules = json::array();
  std::vector<learning::Module> all;
  for (const auto& m : *mods) {
    all.push_back(m.module);
    modules.push_back(module_status_row(m));
  }
  json completions = json::array();
  for (const auto& c : *done)
    completions.push_back({{"module", c.module_title},
                           {"completed_on", long_date(c.completed_on)},
                           {"expires_on", c.expires_on.empty() ? "Does not expire" : long_date(c.expires_on)},
                           {"source", completion_source_label(c.source)},
                           {"provider", c.provider}});
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  auto e = [&](const char* f) { return err.count(f) ? err[f] : std::string(); };
  bool completion_error = std::any_of(errors.begin(), errors.end(), [](const FieldError& x) { return x.field != "invite"; });
  const Form* typed = completion_error ? &ctx.form : nullptr;
  std::string href = "/learning/workers/" + std::to_string(id);
  json data = {{"name", d.name},
               {"href", href},
               {"details", details},
               {"modules", modules},
               {"completions", completions},
               {"has_completions", !completions.empty()},
               {"module_options", module_choices(all, typed ? ctx.form.get("module_id") : "")},
               {"module_error", e("module_id")},
               {"completed", date_data("completed_on", "Date completed", "For example, 27 3 2026", typed,
                                       today, e("completed_on"))},
               {"provider_field", text_field({"provider", "Who provided it", "text", "Optional, for example the trainer or organisation"},
                                             typed ? ctx.form.get("provider") : "", e("provider"))},
               {"how_field", text_field({"how_delivered", "How it was delivered", "text",
                                         "Optional, for example face to face, online live, or e-learning elsewhere"},
                                        typed ? ctx.form.get("how_delivered") : "", e("how_delivered"))},
               {"has_email", !d.email.empty()},
               {"has_account", w->user_id.has_value()}};
  if (!invitation.empty()) data["invitation_link"] = invitation;
  data["invitation_emailed"] = emailed;
  if (errors.empty()) return ctx.page(status, "learning/worker", d.name, data);
  return field_errors(ctx, "learning/worker", d.name, data, errors);
}

Response show_worker(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  return show_worker_page(ctx, *id, 200, {});
}

Response add_completion(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  learning::CompletionInput in{ctx.form.get("module_id"), typed_date(ctx.form, "completed_on"), ctx.form.get("provider"),
                               ctx.form.get("how_delivered")};
  std::vector<FieldError> problems;
  if (in.completed_on == "?") {
    in.completed_on = "";
    problems = learning::validate(in, format_timestamp(ctx.services.clock.now()).substr(0, 10));
    for (auto& p : problems)
      if (p.field == "completed_on") p.message = "The completion date must be a real date";
  } else {
    problems = learning::validate(in, format_timestamp(ctx.services.clock.now()).substr(0, 10));
  }
  if (!problems.empty()) return show_worker_page(ctx, *id, 400, problems);
  auto c = learn(ctx).record_completion(org(ctx), *id, in, "recorded", actor_of(ctx));
  if (c.ok()) return Response::redirect("/learning/workers/" + std::to_string(*id) + "#learning");
  if (c.status().code() != StatusCode::kInvalidInput) return status_error(ctx, c.status());
  return show_worker_page(ctx, *id, 400, {{c.status().where().field, c.status().message()}});
}

// Invites the worker to a learner account by one-time link, shown once.
Response invite_learner(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto token = staff(ctx).invite(org(ctx), *id, ctx.services.accounts, *ctx.user, ctx.request.remote_address);
  if (!token.ok()) {
    if (token.status().code() != StatusCode::kInvalidInput) return status_error(ctx, token.status());
    return show_worker_page(ctx, *id, 400, {{"invite", token.status().message()}});
  }
  std::string email;
  if (auto w = staff(ctx).get(org(ctx), *id, actor_of(ctx)); w.ok()) email = w->details.email;
  bool emailed = !email.empty() && email_invitation(ctx, email, *token);
  return show_worker_page(ctx, *id, 200, {}, invitation_link(ctx, *token), emailed);
}

Response export_worker(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto j = staff(ctx).download(org(ctx), *id, actor_of(ctx));
  if (!j.ok()) return status_error(ctx, j.status());
  return attachment("application/json", "worker-" + std::to_string(*id) + ".json", j->dump(2) + "\n");
}

Response erase_form(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto w = staff(ctx).get(org(ctx), *id, actor_of(ctx));
  if (!w.ok()) return status_error(ctx, w.status());
  return ctx.page(200, "learning/erase", "Erase " + w->details.name + "'s record",
                  {{"name", w->details.name}, {"href", "/learning/workers/" + std::to_string(*id)}});
}

Response erase_worker(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status s = staff(ctx).erase(org(ctx), *id, actor_of(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return ctx.page(200, "account/done", "The worker's record has been erased",
                  {{"heading", "The worker's record has been erased"},
                   {"message", "Their details, learning records and any learner account are gone. The audit log keeps "
                               "only that a record with this number was erased."},
                   {"link_href", "/learning/workers"},
                   {"link_text", "Back to the workforce"}});
}

// --- modules and requirements -----------------------------------------------------------

Response list_modules(Context& ctx) {
  auto mods = learn(ctx).modules(org(ctx));
  if (!mods.ok()) return status_error(ctx, mods.status());
  json rows = json::array();
  for (const auto& m : *mods) rows.push_back(module_summary(m));
  return ctx.page(200, "learning/modules", "Learning modules", {{"modules", rows}, {"can_change", sees_names(ctx)}});
}

Response show_module(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto m = learn(ctx).module(org(ctx), *id);
  if (!m.ok()) return status_error(ctx, m.status());
  json data = module_summary(*m);
  json pages = json::array();
  int n = 0;
  for (const auto& p : m->content.pages)
    pages.push_back({{"number", ++n}, {"title", p.title}, {"html", learning::render_markdown(p.body, 2)}});
  data["pages"] = pages;
  data["has_pages"] = !pages.empty();
  data["questions"] = m->content.questions.size();
  data["can_change"] = sees_names(ctx);
  return ctx.page(200, "learning/module", m->content.title, data);
}

json requirement_page_data(Context& ctx, const std::vector<learning::Module>& modules,
                           const std::vector<learning::Requirement>& reqs, const learning::RequirementInput& in,
                           const std::vector<FieldError>& errors) {
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  json rows = json::array();
  for (const auto& r : reqs)
    rows.push_back({{"module", r.module_title},
                    {"role", learning::label_of(learning::role_categories(), r.role_category)},
                    {"within", within_days_text(r.within_days)},
                    {"workplace", r.workplace.empty() ? "Every workplace" : r.workplace},
                    {"remove_href", "/learning/requirements/" + std::to_string(r.id) + "/remove"}});
  json data = {{"requirements", rows},
               {"has_requirements", !rows.empty()},
               {"can_change", sees_names(ctx)},
               {"module_options", module_choices(modules, in.module_id)},
               {"role_options", options_of(learning::role_categories(), in.role_category)},
               {"within_field", text_field({"within_days", "Within how many days of starting", "text",
                                            "For example 84 for 12 weeks, the time new staff have for the Care "
                                            "Certificate. People already in post past that time are overdue until "
                                            "they complete it.",
                                            false, "4"},
                                           in.within_days, err.count("within_days") ? err["within_days"] : "")},
               {"workplace_field", text_field({"workplace", "Only at this workplace", "text",
                                               "Optional. Leave empty for every workplace. A requirement for one "
                                               "workplace replaces the one for every workplace, for staff there."},
                                              in.workplace, err.count("workplace") ? err["workplace"] : "")}};
  if (err.count("module_id")) data["module_error"] = err["module_id"];
  if (err.count("role_category")) data["role_error"] = err["role_category"];
  return data;
}

Response list_requirements(Context& ctx) {
  auto mods = learn(ctx).modules(org(ctx));
  if (!mods.ok()) return status_error(ctx, mods.status());
  auto reqs = learn(ctx).requirements(org(ctx));
  if (!reqs.ok()) return status_error(ctx, reqs.status());
  return ctx.page(200, "learning/requirements", "Who must complete what",
                  requirement_page_data(ctx, *mods, *reqs, {"", "", "84", ""}, {}));
}

Response add_requirement(Context& ctx) {
  learning::RequirementInput in{ctx.form.get("module_id"), ctx.form.get("role_category"), ctx.form.get("within_days"),
                                ctx.form.get("workplace")};
  std::vector<FieldError> errors = learning::validate(in);
  if (errors.empty()) {
    auto r = learn(ctx).add_requirement(org(ctx), in, actor_of(ctx));
    if (r.ok()) return Response::redirect("/learning/requirements");
    if (r.status().code() != StatusCode::kInvalidInput && r.status().code() != StatusCode::kConflict)
      return status_error(ctx, r.status());
    errors.push_back({r.status().where().field, r.status().message()});
  }
  auto mods = learn(ctx).modules(org(ctx));
  auto reqs = learn(ctx).requirements(org(ctx));
  if (!mods.ok() || !reqs.ok()) return ctx.error(500);
  return field_errors(ctx, "learning/requirements", "Who must complete what",
                      requirement_page_data(ctx, *mods, *reqs, in, errors), errors);
}

Response remove_requirement(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status s = learn(ctx).remove_requirement(org(ctx), *id, actor_of(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/learning/requirements");
}

// --- coverage ---------------------------------------------------------------------------

// The date asked for: ?date=YYYY-MM-DD, or day/month/year boxes, or today.
// `error` gets a message when what was typed is not a real date.
std::string coverage_date(Context& ctx, std::string* error) {
  std::string today = format_timestamp(ctx.services.clock.now()).substr(0, 10);
  std::string iso = trim_copy(ctx.request.query("date"));
  if (iso.empty()) {
    std::string d = ctx.request.query("day"), m = ctx.request.query("month"), y = ctx.request.query("year");
    if (trim_copy(d + m + y).empty()) return today;
    iso = date_from_parts(d, m, y);
    if (iso.empty()) {
      *error = "The date must be a real date, like 31 3 2026";
      return today;
    }
    return iso;
  }
  if (!is_date(iso)) {
    *error = "The date must be a real date written YYYY-MM-DD, like 2026-03-31";
    return today;
  }
  return iso;
}

Response coverage_page(Context& ctx) {
  std::string error;
  std::string date = coverage_date(ctx, &error);
  if (!error.empty()) {
    std::string d = ctx.request.query("day"), m = ctx.request.query("month"), y = ctx.request.query("year");
    return field_errors(ctx, "learning/coverage", "Learning coverage",
                        {{"date", {{"legend", "Coverage on"}, {"day", d}, {"month", m}, {"year", y}, {"error", error}}},
                         {"invalid", true}},
                        {{"day", error}});
  }
  auto cov = learn(ctx).coverage(org(ctx), date, kListRows);
  if (!cov.ok()) return status_error(ctx, cov.status());
  json data = coverage_page_data(*cov);
  std::string d, m, y;
  split_date(date, &d, &m, &y);
  data["date"] = {{"legend", "Coverage on"}, {"day", d}, {"month", m}, {"year", y}};
  data["csv_href"] = "/learning/coverage.csv?date=" + date;
  data["xlsx_href"] = "/learning/coverage.xlsx?date=" + date;
  if (auto survey = survey_comparison(ctx, *cov); survey) data["survey"] = *survey;
  if (sees_names(ctx)) {
    auto overdue = learn(ctx).name_gaps(org(ctx), cov->overdue_list, kListRows, actor_of(ctx));
    auto expiring = learn(ctx).name_gaps(org(ctx), cov->expiring_list, kListRows, actor_of(ctx));
    if (!overdue.ok()) return status_error(ctx, overdue.status());
    if (!expiring.ok()) return status_error(ctx, expiring.status());
    data["lists"] = true;
    data["overdue_rows"] = gap_rows(*overdue);
    data["has_overdue"] = !overdue->empty();
    data["overdue_more"] = cov->overdue_modules > static_cast<int64_t>(overdue->size());
    data["expiring_rows"] = gap_rows(*expiring);
    data["has_expiring"] = !expiring->empty();
    data["expiring_more"] = cov->expiring_modules > static_cast<int64_t>(expiring->size());
  }
  return ctx.page(200, "learning/coverage", "Learning coverage", data);
}

Response coverage_download(Context& ctx, bool xlsx) {
  std::string error;
  std::string date = coverage_date(ctx, &error);
  if (!error.empty()) return ctx.error(400, error);
  auto cov = learn(ctx).coverage(org(ctx), date, 0);
  if (!cov.ok()) return status_error(ctx, cov.status());
  if (!xlsx) return attachment("text/csv; charset=utf-8", "learning-coverage-" + date + ".csv", learning::coverage_csv(*cov));
  auto book = learning::coverage_xlsx(*cov);
  if (!book.ok()) return status_error(ctx, book.status());
  return attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "learning-coverage-" + date + ".xlsx", std::move(*book));
}

Response home(Context& ctx) {
  std::string today = format_timestamp(ctx.services.clock.now()).substr(0, 10);
  auto cov = learn(ctx).coverage(org(ctx), today, 0);
  if (!cov.ok()) return status_error(ctx, cov.status());
  json data = coverage_page_data(*cov);
  data["sees_names"] = sees_names(ctx);
  data["runs_sessions"] = ctx.user->role != Role::kAnalyst;
  data["today"] = long_date(today);
  return ctx.page(200, "learning/home", "Co-production learning", data);
}

// --- ASC-WDS files in and out ---------------------------------------------------------------

json import_form_data() { return {{"preview", false}}; }

Response import_form(Context& ctx) {
  return ctx.page(200, "learning/import", "Import or export ASC-WDS files", import_form_data());
}

json import_summary_data(const learning::ImportSummary& s, const learning::AscwdsFiles& files) {
  auto names = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& n : v) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  json data = {{"workers_name", files.workers_name},
               {"training_name", files.training_name},
               {"has_workers_file", !files.workers_name.empty()},
               {"has_training_file", !files.training_name.empty()},
               {"workers_added", s.workers_added},
               {"workers_updated", s.workers_updated},
               {"deleted_rows", s.workers_deleted_rows},
               {"completions_added", s.completions_added},
               {"completions_known", s.completions_known},
               {"training_other", s.training_other},
               {"worker_columns_read", names(s.worker_columns_read)},
               {"training_columns_read", names(s.training_columns_read)}};
  put_if(data, "other_training", names(s.other_training));
  data["worker_columns_ignored"] = s.worker_columns_ignored.empty() ? "none" : names(s.worker_columns_ignored);
  data["training_columns_ignored"] = s.training_columns_ignored.empty() ? "none" : names(s.training_columns_ignored);
  json problems = json::array();
  for (const auto& p : s.problems) problems.push_back({{"where", p.where.to_string()}, {"message", p.message}});
  data["problems"] = problems;
  data["has_problems"] = !problems.empty();
  data["more_problems"] = s.problems.size() >= kMaxImportProblems;
  return data;
}

Response import_check(Context& ctx) {
  learning::AscwdsFiles files;
  const UploadedFile* w = ctx.form.file("workers");
  const UploadedFile* t = ctx.form.file("training");
  if (w && !w->filename.empty()) files = {w->filename, w->data, "", ""};
  if (t && !t->filename.empty()) {
    files.training_name = t->filename;
    files.training_text = t->data;
  }
  if (files.workers_name.empty() && files.training_name.empty())
    return field_errors(ctx, "learning/import", "Import or export ASC-WDS files", import_form_data(),
                        {{"workers", "Choose an ASC-WDS worker file, a training file, or both"}});
  auto checked = learning::import_ascwds(ctx.services.db, ctx.services.clock, org(ctx), files, false, actor_of(ctx));
  if (!checked.ok()) {
    if (checked.status().code() != StatusCode::kInvalidInput) return status_error(ctx, checked.status());
    return field_errors(ctx, "learning/import", "Import or export ASC-WDS files", import_form_data(),
                        {{"workers", checked.status().message()}});
  }
  json data = import_summary_data(*checked, files);
  if (!checked->problems.empty()) {
    data["preview"] = false;
    return ctx.page(400, "learning/import", "Error: Import or export ASC-WDS files", data);
  }
  auto pending = learning::save_pending_import(ctx.services.db, ctx.services.clock, org(ctx), ctx.user->id, files);
  if (!pending.ok()) return status_error(ctx, pending.status());
  data["preview"] = true;
  data["pending_id"] = *pending;
  return ctx.page(200, "learning/import", "Check the import", data);
}

Response import_confirm(Context& ctx) {
  std::string typed = ctx.form.get("pending");
  if (typed.empty() || typed.size() > 18 || typed.find_first_not_of("0123456789") != std::string::npos)
    return ctx.error(400, "The import to confirm is missing. Upload the files again.");
  int64_t id = std::stoll(typed);
  auto confirmed =
      learning::confirm_pending_import(ctx.services.db, ctx.services.clock, org(ctx), ctx.user->id, id, actor_of(ctx));
  if (!confirmed.ok()) return status_error(ctx, confirmed.status());
  const learning::ImportSummary& done = confirmed->summary;
  if (!done.problems.empty()) {
    // The records changed since the check (a worker erased, say): show why.
    json data = import_summary_data(done, confirmed->files);
    data["preview"] = false;
    return ctx.page(400, "learning/import", "Error: Import or export ASC-WDS files", data);
  }
  std::string summary = std::to_string(done.workers_added) + " workers added, " + std::to_string(done.workers_updated) +
                        " updated, " + std::to_string(done.completions_added) + " completions recorded";
  return Response::redirect("/learning/workers?imported=" + percent_encode(summary));
}

Response export_file(Context& ctx, bool workers) {
  auto out = learning::export_ascwds(ctx.services.db, ctx.services.clock, org(ctx), actor_of(ctx));
  if (!out.ok()) return status_error(ctx, out.status());
  return attachment("text/csv; charset=utf-8", workers ? "workers.csv" : "training.csv",
                    workers ? std::move(out->workers_csv) : std::move(out->training_csv));
}

// --- the API ----------------------------------------------------------------------------

// `more` added to `errors`, except for fields `errors` already names: a key
// of the wrong type is reported once, not again as missing.
void add_new_fields(std::vector<FieldError>& errors, const std::vector<FieldError>& more) {
  for (const auto& e : more)
    if (std::none_of(errors.begin(), errors.end(), [&](const FieldError& x) { return x.field == e.field; }))
      errors.push_back(e);
}

// Keys that must be whole numbers when given: a decimal or text is named as
// such rather than read as missing.
void check_whole(const json& body, std::initializer_list<const char*> keys, std::vector<FieldError>& errors) {
  for (const char* k : keys) {
    if (!body.contains(k) || body[k].is_null()) continue;
    const json& v = body[k];
    bool whole = v.is_number_integer() || (v.is_string() && !v.get<std::string>().empty() &&
                                           v.get<std::string>().find_first_not_of("0123456789") == std::string::npos);
    if (!whole) errors.push_back({k, std::string(k) + " must be a whole number", Problem::kInvalid});
  }
}

// WorkerInput from a JSON body, on top of `base` (for PATCH). Keys that are
// not strings (or null for left_on) are problems naming the key.
learning::WorkerInput worker_from_json(const json& body, learning::WorkerInput base, std::vector<FieldError>* errors) {
  struct Key {
    const char* name;
    std::string learning::WorkerInput::*field;
  };
  static const Key kKeys[] = {{"worker_id", &learning::WorkerInput::worker_id},
                              {"name", &learning::WorkerInput::name},
                              {"workplace", &learning::WorkerInput::workplace},
                              {"job_role", &learning::WorkerInput::job_role},
                              {"team", &learning::WorkerInput::team},
                              {"role_category", &learning::WorkerInput::role_category},
                              {"closeness", &learning::WorkerInput::closeness},
                              {"started_on", &learning::WorkerInput::started_on},
                              {"left_on", &learning::WorkerInput::left_on},
                              {"care_certificate", &learning::WorkerInput::care_certificate},
                              {"email", &learning::WorkerInput::email}};
  for (const auto& k : kKeys) {
    if (!body.contains(k.name)) continue;
    const json& v = body[k.name];
    if (v.is_null()) base.*k.field = "";
    else if (v.is_string()) base.*k.field = v.get<std::string>();
    else errors->push_back({k.name, std::string(k.name) + " must be a string", Problem::kInvalid});
  }
  return base;
}

Response api_workers(Context& ctx) {
  learning::WorkerQuery q;
  q.text = ctx.request.query("q");
  q.role_category = ctx.request.query("role_category");
  q.current_only = ctx.request.query("current") == "true" || ctx.request.query("current") == "1";
  auto number = [&](const char* name, int fallback) {
    std::string v = ctx.request.query(name);
    if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) return fallback;
    return std::stoi(v);
  };
  q.limit = std::clamp(number("limit", 100), 1, 500);
  q.offset = number("offset", 0);
  int64_t total = 0;
  auto list = staff(ctx).search(org(ctx), q, actor_of(ctx), &total);
  if (!list.ok()) return api_status(ctx, list.status());
  json items = json::array();
  for (const auto& w : *list) items.push_back(learning::worker_json(w));
  return ctx.send_json(200, {{"workers", items}, {"total", total}, {"limit", q.limit}, {"offset", q.offset}});
}

Response api_create_worker(Context& ctx) {
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  std::vector<FieldError> errors;
  learning::WorkerInput in = worker_from_json(*body, {}, &errors);
  add_new_fields(errors, learning::validate(in));
  if (!errors.empty()) return api_field_errors(ctx, errors);
  auto w = staff(ctx).add(org(ctx), in, actor_of(ctx));
  if (!w.ok()) return api_status(ctx, w.status());
  Response r = ctx.send_json(201, learning::worker_json(*w));
  r.set_header("Location", "/api/v1/learning/workers/" + std::to_string(w->id));
  return r;
}

Response api_worker(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404, "There is no such worker");
  auto w = staff(ctx).get(org(ctx), *id, actor_of(ctx));
  if (!w.ok()) return api_status(ctx, w.status());
  return ctx.send_json(200, learning::worker_json(*w));
}

Response api_update_worker(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404, "There is no such worker");
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  auto w = staff(ctx).get(org(ctx), *id, actor_of(ctx));
  if (!w.ok()) return api_status(ctx, w.status());
  std::vector<FieldError> errors;
  learning::WorkerInput in = worker_from_json(*body, w->details, &errors);
  add_new_fields(errors, learning::validate(in));
  if (!errors.empty()) return api_field_errors(ctx, errors);
  auto after = staff(ctx).update(org(ctx), *id, in, actor_of(ctx));
  if (!after.ok()) return api_status(ctx, after.status());
  return ctx.send_json(200, learning::worker_json(*after));
}

Response api_erase_worker(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404, "There is no such worker");
  if (Status s = staff(ctx).erase(org(ctx), *id, actor_of(ctx)); !s.ok()) return api_status(ctx, s);
  return Response{204, {}, ""};
}

Response api_modules(Context& ctx) {
  auto mods = learn(ctx).modules(org(ctx));
  if (!mods.ok()) return api_status(ctx, mods.status());
  json items = json::array();
  for (const auto& m : *mods) items.push_back(learning::module_json(m));
  return ctx.send_json(200, {{"modules", items}});
}

Response api_requirements(Context& ctx) {
  auto reqs = learn(ctx).requirements(org(ctx));
  if (!reqs.ok()) return api_status(ctx, reqs.status());
  json items = json::array();
  for (const auto& r : *reqs) items.push_back(learning::requirement_json(r));
  return ctx.send_json(200, {{"requirements", items}});
}

Response api_add_requirement(Context& ctx) {
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  learning::RequirementInput in{json_text(*body, "module_id"), json_text(*body, "role_category"),
                                json_text(*body, "within_days"), json_text(*body, "workplace")};
  std::vector<FieldError> errors;
  check_whole(*body, {"module_id", "within_days"}, errors);
  add_new_fields(errors, learning::validate(in));
  if (!errors.empty()) return api_field_errors(ctx, errors);
  auto r = learn(ctx).add_requirement(org(ctx), in, actor_of(ctx));
  if (!r.ok()) return api_status(ctx, r.status());
  return ctx.send_json(201, learning::requirement_json(*r));
}

Response api_add_completion(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404, "There is no such worker");
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  learning::CompletionInput in{json_text(*body, "module_id"), json_text(*body, "completed_on"),
                               json_text(*body, "provider"), json_text(*body, "how_delivered")};
  std::vector<FieldError> errors;
  check_whole(*body, {"module_id"}, errors);
  add_new_fields(errors, learning::validate(in, format_timestamp(ctx.services.clock.now()).substr(0, 10)));
  if (!errors.empty()) return api_field_errors(ctx, errors);
  auto c = learn(ctx).record_completion(org(ctx), *id, in, "recorded", actor_of(ctx));
  if (!c.ok()) return api_status(ctx, c.status());
  return ctx.send_json(201, learning::completion_json(*c));
}

Response api_coverage(Context& ctx) {
  std::string date = trim_copy(ctx.request.query("date"));
  if (date.empty()) date = format_timestamp(ctx.services.clock.now()).substr(0, 10);
  if (!is_date(date)) return api_invalid(ctx, "date", "date must be a real date written YYYY-MM-DD");
  auto cov = learn(ctx).coverage(org(ctx), date, 0);
  if (!cov.ok()) return api_status(ctx, cov.status());
  return ctx.send_json(200, learning::coverage_json(*cov));
}

}  // namespace

void add_learning_routes(Router& router) {
  router.add({"GET", "/learning", kFigures, Channel::kPage, home});
  router.add({"GET", "/learning/coverage", kFigures, Channel::kPage, coverage_page});
  router.add({"GET", "/learning/coverage.csv", kFigures, Channel::kPage, [](Context& c) { return coverage_download(c, false); }});
  router.add({"GET", "/learning/coverage.xlsx", kFigures, Channel::kPage, [](Context& c) { return coverage_download(c, true); }});
  router.add({"GET", "/learning/workers", kWorkforceStaff, Channel::kPage, list_workers});
  router.add({"GET", "/learning/workers/new", kWorkforceStaff, Channel::kPage, new_worker});
  router.add({"POST", "/learning/workers", kWorkforceStaff, Channel::kPage, create_worker});
  router.add({"GET", "/learning/workers/{id}", kWorkforceStaff, Channel::kPage, show_worker});
  router.add({"GET", "/learning/workers/{id}/edit", kWorkforceStaff, Channel::kPage, edit_worker});
  router.add({"POST", "/learning/workers/{id}/edit", kWorkforceStaff, Channel::kPage, update_worker});
  router.add({"POST", "/learning/workers/{id}/completions", kWorkforceStaff, Channel::kPage, add_completion});
  router.add({"POST", "/learning/workers/{id}/invite", kWorkforceStaff, Channel::kPage, invite_learner});
  router.add({"GET", "/learning/workers/{id}/export.json", kWorkforceStaff, Channel::kPage, export_worker});
  router.add({"GET", "/learning/workers/{id}/erase", kWorkforceStaff, Channel::kPage, erase_form});
  router.add({"POST", "/learning/workers/{id}/erase", kWorkforceStaff, Channel::kPage, erase_worker});
  router.add({"GET", "/learning/import", kWorkforceStaff, Channel::kPage, import_form});
  router.add({"POST", "/learning/import", kWorkforceStaff, Channel::kPage, import_check});
  router.add({"POST", "/learning/import/confirm", kWorkforceStaff, Channel::kPage, import_confirm});
  router.add({"GET", "/learning/export/workers.csv", kWorkforceStaff, Channel::kPage,
              [](Context& c) { return export_file(c, true); }});
  router.add({"GET", "/learning/export/training.csv", kWorkforceStaff, Channel::kPage,
              [](Context& c) { return export_file(c, false); }});
  router.add({"GET", "/learning/modules", kFigures, Channel::kPage, list_modules});
  router.add({"GET", "/learning/modules/{id}", kFigures, Channel::kPage, show_module});
  router.add({"GET", "/learning/requirements", kFigures, Channel::kPage, list_requirements});
  router.add({"POST", "/learning/requirements", kWorkforceStaff, Channel::kPage, add_requirement});
  router.add({"POST", "/learning/requirements/{id}/remove", kWorkforceStaff, Channel::kPage, remove_requirement});

  router.add({"GET", "/api/v1/learning/workers", kWorkforceStaff, Channel::kApi, api_workers});
  router.add({"POST", "/api/v1/learning/workers", kWorkforceStaff, Channel::kApi, api_create_worker});
  router.add({"GET", "/api/v1/learning/workers/{id}", kWorkforceStaff, Channel::kApi, api_worker});
  router.add({"PATCH", "/api/v1/learning/workers/{id}", kWorkforceStaff, Channel::kApi, api_update_worker});
  router.add({"DELETE", "/api/v1/learning/workers/{id}", kWorkforceStaff, Channel::kApi, api_erase_worker});
  router.add({"POST", "/api/v1/learning/workers/{id}/completions", kWorkforceStaff, Channel::kApi, api_add_completion});
  router.add({"GET", "/api/v1/learning/modules", kFigures, Channel::kApi, api_modules});
  router.add({"GET", "/api/v1/learning/requirements", kFigures, Channel::kApi, api_requirements});
  router.add({"POST", "/api/v1/learning/requirements", kWorkforceStaff, Channel::kApi, api_add_requirement});
  router.add({"GET", "/api/v1/learning/coverage", kFigures, Channel::kApi, api_coverage});
}

}  // namespace coproduce::web
