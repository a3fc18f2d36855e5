// Co-delivered live sessions of co-production learning, under
// /learning/sessions: planning a session with co-trainers drawn fairly from
// a group of people who draw on care, booking staff on it, recording who
// came (which records their learning), and how sessions are shared among
// the co-trainers. Trainers' attendance and payment are recorded on the
// session's activity page, as for any activity.
#include <cstdio>
#include <map>

#include "core/dates.h"
#include "core/text.h"
#include "involvement/groups.h"
#include "learning/learning.h"
#include "learning/sessions.h"
#include "learning/vocab.h"
#include "report/charts.h"
#include "web/application.h"
#include "web/learning_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using nlohmann::json;
using security::Role;

const Access kSessionStaff = Access::only({Role::kAdministrator, Role::kLearningLead, Role::kCoproductionLead});

learning::Sessions sessions(Context& ctx) { return learning::Sessions(ctx.services.db, ctx.services.clock); }
int64_t org(const Context& ctx) { return ctx.user->organisation_id; }

std::string when_text(const activities::Activity& a) {
  return long_date(a.starts_at.substr(0, 10)) + " at " + a.starts_at.substr(11, 5);
}

std::string two_places(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

json options(const std::vector<std::pair<std::string, std::string>>& items, const std::string& picked) {
  json out = json::array();
  for (const auto& [value, label] : items) out.push_back({{"value", value}, {"label", label}, {"selected", value == picked}});
  return out;
}

Response list(Context& ctx) {
  auto all = sessions(ctx).list(org(ctx));
  if (!all.ok()) return status_error(ctx, all.status());
  auto share = sessions(ctx).sharing(org(ctx));
  if (!share.ok()) return status_error(ctx, share.status());
  json rows = json::array();
  for (const auto& s : *all) {
    size_t came = 0;
    for (const auto& l : s.learners) came += l.attendance == "attended";
    rows.push_back({{"href", "/learning/sessions/" + std::to_string(s.id)},
                    {"module", s.module_title},
                    {"when", when_text(s.activity)},
                    {"status", s.activity.status == "held" ? "Took place" : s.activity.status == "cancelled" ? "Cancelled" : "Planned"},
                    {"booked", s.learners.size()},
                    {"attended", came}});
  }
  report::Table trainers{"table-trainers", "Sessions co-delivered by each co-trainer, most first",
                         {"Co-trainer", "Sessions co-delivered"}, {}};
  for (const auto& r : share->rows) trainers.rows.push_back({r.name, std::to_string(r.sessions)});
  return ctx.page(200, "learning/sessions", "Live sessions",
                  {{"sessions", rows},
                   {"has_sessions", !rows.empty()},
                   {"trainers", report::table_json(trainers)},
                   {"has_trainers", !share->rows.empty()},
                   {"top_share", share->top_decile_share ? report::format_percent(*share->top_decile_share) : "no sessions yet"},
                   {"gini", share->gini ? two_places(*share->gini) : "no sessions yet"},
                   {"session_count", share->sessions}});
}

json form_data(Context& ctx, const learning::SessionInput& in, const std::vector<FieldError>& errors) {
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  auto e = [&](const char* f) { return err.count(f) ? err[f] : std::string(); };
  std::vector<std::pair<std::string, std::string>> modules, groups;
  if (auto m = learning::Learning(ctx.services.db, ctx.services.clock).modules(org(ctx)); m.ok())
    for (const auto& x : *m) modules.emplace_back(std::to_string(x.id), x.content.title);
  if (auto g = involvement::Groups(ctx.services.db, ctx.services.clock).list(org(ctx)); g.ok())
    for (const auto& x : *g)
      groups.emplace_back(std::to_string(x.id), x.name + " (" + std::to_string(x.accepted) + " members)");
  json date = {{"legend", "Date"}, {"day", in.activity.day}, {"month", in.activity.month}, {"year", in.activity.year}};
  if (!e("day").empty()) date["error"] = e("day");
  json data = {{"module_options", options(modules, in.module_id)},
               {"group_options", options(groups, in.group_id)},
               {"has_groups", !groups.empty()},
               {"title_field", text_field({"title", "Title", "text", "For example, Working in co-production: a session with people who use services"},
                                          in.activity.title, e("title"))},
               {"date", date},
               {"time_field", text_field({"time", "Start time", "text", "Use the 24-hour clock, like 14:30", false, "5"},
                                         in.activity.time, e("time"))},
               {"duration_field", text_field({"duration_minutes", "How long it lasts, in minutes", "text", "For example, 120", false, "4"},
                                             in.activity.duration_minutes, e("duration_minutes"))},
               {"place_field", text_field({"place", "Where it takes place", "text", "Leave empty if it is online only", true},
                                          in.activity.place, e("place"))},
               {"link_field", text_field({"link", "Link to join online", "text", "Leave empty if it is in person only"},
                                         in.activity.link, e("link"))},
               {"trainers_field", text_field({"trainers", "How many co-trainers with lived experience", "text",
                                              "From 1 to 6. Those who have co-delivered fewest sessions are asked first.", false, "2"},
                                             in.trainers, e("trainers"))}};
  if (!e("module_id").empty()) data["module_error"] = e("module_id");
  if (!e("group_id").empty()) data["group_error"] = e("group_id");
  return data;
}

Response new_form(Context& ctx) {
  learning::SessionInput in;
  in.activity.duration_minutes = "120";
  return ctx.page(200, "learning/session_form", "Plan a live session", form_data(ctx, in, {}));
}

Response create(Context& ctx) {
  const Form& f = ctx.form;
  learning::SessionInput in;
  in.module_id = f.get("module_id");
  in.group_id = f.get("group_id");
  in.trainers = f.get("trainers");
  in.activity = {"training_session", f.get("title"), f.get("day"), f.get("month"), f.get("year"), f.get("time"),
                 f.get("duration_minutes"), f.get("place"), f.get("link"), "", ""};
  // The draw's seed: the time, so each plan is its own draw; the choice it
  // made is kept on the session's activity.
  uint64_t seed = static_cast<uint64_t>(ctx.services.clock.now().time_since_epoch().count());
  if (auto problems = learning::validate(in); !problems.empty())
    return field_errors(ctx, "learning/session_form", "Plan a live session", form_data(ctx, in, problems), problems);
  auto s = sessions(ctx).create(org(ctx), in, seed, actor_of(ctx));
  if (s.ok()) return Response::redirect("/learning/sessions/" + std::to_string(s->id));
  if (s.status().code() != StatusCode::kInvalidInput) return status_error(ctx, s.status());
  std::vector<FieldError> errors = {{s.status().where().field, s.status().message()}};
  return field_errors(ctx, "learning/session_form", "Plan a live session", form_data(ctx, in, errors), errors);
}

Response show_page(Context& ctx, int64_t id, int status, const std::vector<FieldError>& errors, int booked = -1) {
  auto s = sessions(ctx).get(org(ctx), id, actor_of(ctx));
  if (!s.ok()) return status_error(ctx, s.status());
  json trainers = json::array();
  for (const auto& t : s->trainers)
    trainers.push_back({{"name", t.name}, {"attendance", t.attendance.empty() ? "Not recorded yet" : activities::label(activities::attendance_choices(), t.attendance)}});
  json learners = json::array();
  for (const auto& l : s->learners) {
    json row = {{"id", "attended-" + std::to_string(l.worker_ref)},
                {"value", std::to_string(l.worker_ref)},
                {"name", l.name},
                {"worker_id", l.worker_id},
                {"checked", l.attendance == "attended"}};
    put_if(row, "recorded", l.attendance.empty() ? "" : l.attendance == "attended" ? "Attended" : "Did not attend");
    learners.push_back(row);
  }
  // Staff this module is required of and who are behind on it: the people to book first.
  json suggestions = json::array();
  std::string day = s->activity.starts_at.substr(0, 10);
  if (!is_date(day)) day = format_timestamp(ctx.services.clock.now()).substr(0, 10);
  auto behind = learning::Learning(ctx.services.db, ctx.services.clock)
                    .behind_on(org(ctx), s->module_id, day, 100, actor_of(ctx));
  if (!behind.ok()) return status_error(ctx, behind.status());
  for (const auto& g : *behind) {
    bool booked_already = false;
    for (const auto& l : s->learners) booked_already |= l.worker_ref == g.worker_ref;
    if (!booked_already)
      suggestions.push_back({{"id", "book-" + std::to_string(g.worker_ref)}, {"value", std::to_string(g.worker_ref)},
                             {"name", g.name}, {"detail", g.workplace.empty() ? g.role_category : g.workplace}});
  }
  std::string href = "/learning/sessions/" + std::to_string(id);
  json data = {{"href", href},
               {"module", s->module_title},
               {"title", s->activity.title},
               {"when", when_text(s->activity)},
               {"activity_href", "/activities/" + std::to_string(s->activity.id)},
               {"trainers", trainers},
               {"has_trainers", !trainers.empty()},
               {"learners", learners},
               {"has_learners", !learners.empty()},
               {"suggestions", suggestions},
               {"has_suggestions", !suggestions.empty()},
               {"cancelled", s->activity.status == "cancelled"}};
  put_if(data, "place", s->activity.place);
  put_if(data, "link", s->activity.link);
  if (booked >= 0) data["booked_notice"] = std::to_string(booked) + (booked == 1 ? " person was" : " people were") + " booked.";
  if (errors.empty()) return ctx.page(status, "learning/session", s->activity.title, data);
  return field_errors(ctx, "learning/session", s->activity.title, data, errors);
}

Response show(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  return show_page(ctx, *id, 200, {});
}

std::vector<int64_t> ids_of(const std::vector<std::string>& values) {
  std::vector<int64_t> out;
  for (const auto& v : values)
    if (!v.empty() && v.size() < 18 && v.find_first_not_of("0123456789") == std::string::npos) out.push_back(std::stoll(v));
  return out;
}

Response book(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  std::vector<int64_t> refs = ids_of(ctx.form.all("book"));
  // Staff can also be named by their worker IDs, one per line or comma.
  std::string typed = ctx.form.get("worker_ids");
  std::vector<FieldError> errors;
  if (!trim_copy(typed).empty()) {
    for (char& c : typed) if (c == '\n' || c == '\r' || c == ';') c = ',';
    for (const auto& wid : split_codes(typed)) {
      std::string t = trim_copy(wid);
      if (t.empty()) continue;
      auto found = learning::Workforce(ctx.services.db, ctx.services.clock).id_of(org(ctx), t);
      if (!found.ok()) return status_error(ctx, found.status());
      if (*found) refs.push_back(**found);
      else errors.push_back({"worker_ids", "There is no worker with the ID " + t, Problem::kInvalid});
    }
  }
  if (!errors.empty()) return show_page(ctx, *id, 400, {errors.front()});
  if (refs.empty()) return show_page(ctx, *id, 400, {{"worker_ids", "Tick the staff to book, or type their worker IDs", Problem::kMissing}});
  auto n = sessions(ctx).book(org(ctx), *id, refs, actor_of(ctx));
  if (!n.ok()) return status_error(ctx, n.status());
  return show_page(ctx, *id, 200, {}, *n);
}

Response attendance(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status s = sessions(ctx).record_attendance(org(ctx), *id, ids_of(ctx.form.all("attended")), actor_of(ctx));
  if (s.ok()) return Response::redirect("/learning/sessions/" + std::to_string(*id));
  if (s.code() != StatusCode::kInvalidInput) return status_error(ctx, s);
  return show_page(ctx, *id, 400, {{s.where().field, s.message()}});
}

}  // namespace

void add_learning_session_routes(Router& router) {
  router.add({"GET", "/learning/sessions", kSessionStaff, Channel::kPage, list});
  router.add({"GET", "/learning/sessions/new", kSessionStaff, Channel::kPage, new_form});
  router.add({"POST", "/learning/sessions", kSessionStaff, Channel::kPage, create});
  router.add({"GET", "/learning/sessions/{id}", kSessionStaff, Channel::kPage, show});
  router.add({"POST", "/learning/sessions/{id}/book", kSessionStaff, Channel::kPage, book});
  router.add({"POST", "/learning/sessions/{id}/attendance", kSessionStaff, Channel::kPage, attendance});
}

}  // namespace coproduce::web
