// Activities of a group: scheduling, invitations in each person's format,
// answers, attendance, and afterwards notes, decisions, 'you said, we did'
// actions and the rung of the ladder reached. Staff pages, a participant's
// own activities at /my-activities, and the activities API.
#include <algorithm>
#include <map>
#include <set>

#include "activities/activities.h"
#include "core/dates.h"
#include "core/translatable.h"
#include "involvement/groups.h"
#include "involvement/options.h"
#include "involvement/people.h"
#include "payments/money.h"
#include "payments/payments.h"
#include "web/application.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using activities::Activities;
using activities::Activity;
using activities::ActivityInput;
using activities::ActionInput;
using involvement::FieldError;
using nlohmann::json;
using security::Role;

const Access kLeads = Access::only({Role::kAdministrator, Role::kCoproductionLead});
const Access kParticipants = Access::only({Role::kParticipant});

Activities acts(Context& ctx) { return Activities(ctx.services.db, ctx.services.clock); }

// The activity named by {id} in the signed-in person's organisation.
StatusOr<Activity> activity_param(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return NotFound("There is no such activity");
  return acts(ctx).get(ctx.user->organisation_id, *id);
}


std::string today(const Context& ctx) { return format_timestamp(ctx.services.clock.now()).substr(0, 10); }

std::string when(const Activity& a) {
  return long_date(a.starts_at.substr(0, 10)) + " at " + a.starts_at.substr(11, 5);
}

// How long a meeting lasts, in the person's language.
std::string duration_in(const Context& ctx, int minutes) {
  int h = minutes / 60, m = minutes % 60;
  std::string out;
  if (h) out = ctx.tr_plural("{n} hour", "{n} hours", h);
  if (m) out += (out.empty() ? "" : " ") + ctx.tr_plural("{n} minute", "{n} minutes", m);
  return out;
}

std::string duration_text(int minutes) {
  int h = minutes / 60, m = minutes % 60;
  std::string out;
  if (h) out = std::to_string(h) + (h == 1 ? " hour" : " hours");
  if (m) out += (out.empty() ? "" : " ") + std::to_string(m) + " minutes";
  return out;
}

std::string status_label(const Activity& a) {
  if (a.status == "held") return N_("Took place");
  if (a.status == "cancelled") return N_("Cancelled");
  return N_("Planned");
}

json activity_summary(const Activity& a) {
  return {{"id", a.id},
          {"href", "/activities/" + std::to_string(a.id)},
          {"title", a.title},
          {"group", a.group_name},
          {"kind", activities::label(activities::activity_kinds(), a.kind)},
          {"when", when(a)},
          {"status", status_label(a)},
          {"invited", a.invited},
          {"attended", a.attended}};
}

// --- the activity form --------------------------------------------------------------

ActivityInput activity_input(const Form& f) {
  return {f.get("kind"), f.get("title"), f.get("day"), f.get("month"), f.get("year"), f.get("time"),
          f.get("duration_minutes"), f.get("place"), f.get("link"), f.get("letter_text"), f.get("easy_read_text")};
}

ActivityInput input_of(const Activity& a) {
  ActivityInput in;
  in.kind = a.kind;
  in.title = a.title;
  in.year = a.starts_at.substr(0, 4);
  in.month = std::to_string(std::stoi(a.starts_at.substr(5, 2)));
  in.day = std::to_string(std::stoi(a.starts_at.substr(8, 2)));
  in.time = a.starts_at.substr(11, 5);
  in.duration_minutes = std::to_string(a.duration_minutes);
  in.place = a.place;
  in.link = a.link;
  in.letter_text = a.letter_text;
  in.easy_read_text = a.easy_read_text;
  return in;
}

json activity_form_data(const ActivityInput& in, const std::vector<FieldError>& errors, const std::string& action,
                        const std::string& back, const std::string& group_name, bool editing) {
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  auto e = [&](const char* f) { return err.count(f) ? err[f] : std::string(); };
  json date = {{"legend", "Date"}, {"day", in.day}, {"month", in.month}, {"year", in.year}};
  if (!e("day").empty()) date["error"] = e("day");
  return {{"action", action},
          {"back_href", back},
          {"group_name", group_name},
          {"editing", editing},
          {"kind_choices", choice_group("kind", "What kind of activity is it?", "", true, activities::activity_kinds(),
                                        {in.kind}, e("kind"))},
          {"title_field", text_field({"title", "Title"}, in.title, e("title"))},
          {"date", date},
          {"time_field", text_field({"time", "Start time", "text", "Use the 24-hour clock, like 14:30", false, "5"},
                                    in.time, e("time"))},
          {"duration_field", text_field({"duration_minutes", "How long it lasts, in minutes", "text", "For example, 90",
                                         false, "4"},
                                        in.duration_minutes, e("duration_minutes"))},
          {"place_field", text_field({"place", "Where it takes place", "text",
                                      "The address and room, with how to get in. Leave empty if it is online only.", true},
                                     in.place, e("place"))},
          {"link_field", text_field({"link", "Link to join online", "text", "Leave empty if it is in person only"},
                                    in.link, e("link"))},
          {"letter_field", text_field({"letter_text", "Invitation", "text",
                                       "Sent by email, post or large print, as each person asked. Start with what it is, "
                                       "when and where, and what will be paid.",
                                       true},
                                      in.letter_text, e("letter_text"))},
          {"easy_read_field", text_field({"easy_read_text", "Easy Read invitation", "text",
                                          "Short sentences, one idea each, for people who asked for Easy Read",
                                          true},
                                         in.easy_read_text, e("easy_read_text"))}};
}

Response activity_new(Context& ctx) {
  auto gid = id_param(ctx);
  if (!gid) return ctx.error(404);
  auto g = involvement::Groups(ctx.services.db, ctx.services.clock).get(ctx.user->organisation_id, *gid);
  if (!g.ok()) return status_error(ctx, g.status());
  ActivityInput in;
  in.kind = "meeting";
  in.duration_minutes = "120";
  std::string base = "/groups/" + std::to_string(*gid);
  return ctx.page(200, "activities/form", "Plan an activity",
                  activity_form_data(in, {}, base + "/activities", base, g->name, false));
}

Response activity_create(Context& ctx) {
  auto gid = id_param(ctx);
  if (!gid) return ctx.error(404);
  auto g = involvement::Groups(ctx.services.db, ctx.services.clock).get(ctx.user->organisation_id, *gid);
  if (!g.ok()) return status_error(ctx, g.status());
  ActivityInput in = activity_input(ctx.form);
  auto problems = activities::validate(in);
  std::string base = "/groups/" + std::to_string(*gid);
  if (!problems.empty()) {
    return field_errors(ctx, "activities/form", "Plan an activity",
                        activity_form_data(in, problems, base + "/activities", base, g->name, false), problems);
  }
  auto a = acts(ctx).create(ctx.user->organisation_id, *gid, in, actor_of(ctx));
  if (!a.ok()) return status_error(ctx, a.status());
  return Response::redirect("/activities/" + std::to_string(a->id));
}

Response activity_edit(Context& ctx) {
  auto a = activity_param(ctx);
  if (!a.ok()) return status_error(ctx, a.status());
  std::string base = "/activities/" + std::to_string(a->id);
  return ctx.page(200, "activities/form", "Change the activity",
                  activity_form_data(input_of(*a), {}, base + "/edit", base, a->group_name, true));
}

Response activity_update(Context& ctx) {
  auto a = activity_param(ctx);
  if (!a.ok()) return status_error(ctx, a.status());
  ActivityInput in = activity_input(ctx.form);
  auto problems = activities::validate(in);
  std::string base = "/activities/" + std::to_string(a->id);
  if (!problems.empty()) {
    return field_errors(ctx, "activities/form", "Change the activity",
                        activity_form_data(in, problems, base + "/edit", base, a->group_name, true), problems);
  }
  // A change of day, time or place is told to everyone coming.
  auto told = notices(ctx).update_activity(ctx.user->organisation_id, a->id, in, actor_of(ctx));
  if (!told.ok()) return status_error(ctx, told.status());
  wake_sender(ctx);
  return Response::redirect(base);
}

// --- lists and the activity page -----------------------------------------------------

Response activity_list(Context& ctx) {
  auto list = acts(ctx).list(ctx.user->organisation_id);
  if (!list.ok()) return ctx.error(500);
  json upcoming = json::array(), past = json::array();
  std::string now = today(ctx);
  for (auto it = list->rbegin(); it != list->rend(); ++it) {
    if (it->status == "scheduled" && it->starts_at.substr(0, 10) >= now) upcoming.push_back(activity_summary(*it));
  }
  for (const auto& a : *list) {
    if (!(a.status == "scheduled" && a.starts_at.substr(0, 10) >= now)) past.push_back(activity_summary(a));
  }
  return ctx.page(200, "activities/list", "Activities",
                  {{"upcoming", upcoming}, {"has_upcoming", !upcoming.empty()}, {"past", past},
                   {"has_past", !past.empty()}});
}

json labels_of(const std::vector<std::string>& codes, const char* field) {
  json out = json::array();
  const auto* set = involvement::option_set(field);
  for (const auto& c : codes) {
    const auto* o = set ? set->by_code(c) : nullptr;
    out.push_back(o ? o->label : c);
  }
  return out;
}

Response activity_show(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  int64_t org = ctx.user->organisation_id;
  auto a = acts(ctx).get(org, *id);
  if (!a.ok()) return status_error(ctx, a.status());
  auto invitations = acts(ctx).invitations(org, *id, actor_of(ctx));
  if (!invitations.ok()) return ctx.error(500);
  auto actions = acts(ctx).actions(org, *id);
  if (!actions.ok()) return ctx.error(500);
  auto ratings = acts(ctx).ratings(org, *id);
  if (!ratings.ok()) return ctx.error(500);
  std::string base = "/activities/" + std::to_string(*id);
  bool scheduled = a->status == "scheduled";

  json rows = json::array();
  std::map<std::string, std::vector<std::string>> needs;  // need label -> names
  int coming = 0, not_coming = 0;
  for (const auto& inv : *invitations) {
    coming += inv.response == "coming";
    not_coming += inv.response == "not_coming";
    std::string answer = inv.response.empty() ? "Not answered" : activities::label(activities::responses(), inv.response);
    json row = {{"name", inv.name},
                {"person_href", "/people/" + std::to_string(inv.person_id)},
                {"format", activities::label(activities::invitation_formats(), inv.format)},
                {"answer", answer},
                {"attendance", inv.attendance.empty() ? "" : activities::label(activities::attendance_choices(), inv.attendance)},
                {"respond_action", base + "/responses/" + std::to_string(inv.person_id)},
                {"can_respond", scheduled}};
    if (inv.attendance == "attended") row["hours"] = duration_text(inv.minutes);
    rows.push_back(row);
    if (inv.response == "not_coming") continue;
    for (const auto& label : labels_of(inv.access_needs, "access_needs")) needs[label.get<std::string>()].push_back(inv.name);
    if (!inv.access_other.empty()) needs["Other: " + inv.access_other].push_back(inv.name);
    if (!inv.other_language.empty()) needs["Language: " + inv.other_language].push_back(inv.name);
    for (const auto& f : inv.formats) {
      if (f == "bsl") needs["A British Sign Language interpreter"].push_back(inv.name);
      if (f == "audio") needs["Papers in audio"].push_back(inv.name);
    }
  }
  json arrangements = json::array();
  for (const auto& [need, names] : needs) {
    std::string who;
    for (size_t i = 0; i < names.size(); ++i) who += (i ? ", " : "") + names[i];
    arrangements.push_back({{"need", need}, {"count", names.size()}, {"who", who}});
  }
  json action_rows = json::array();
  for (const auto& x : *actions) {
    action_rows.push_back({{"you_said", x.you_said}, {"we_did", x.we_did.empty() ? "Not yet" : x.we_did},
                           {"owner", x.owner}, {"status", activities::label(activities::action_statuses(), x.status)},
                           {"due", long_date(x.due_on)},
                           {"edit_href", base + "/actions/" + std::to_string(x.id)}});
  }
  json rating_rows = json::array();
  for (const auto& [code, label] : involvement::ladder_rungs()) {
    auto m = ratings->members.find(code);
    auto p = ratings->paper.find(code);
    rating_rows.push_back({{"rung", label}, {"members", m == ratings->members.end() ? 0 : m->second},
                           {"paper", p == ratings->paper.end() ? 0 : p->second}});
  }
  json data = {{"activity", activity_summary(*a)},
               {"group_href", "/groups/" + std::to_string(a->group_id)},
               {"duration", duration_text(a->duration_minutes)},
               {"scheduled", scheduled},
               {"held", a->status == "held"},
               {"cancelled", a->status == "cancelled"},
               {"invitations", rows},
               {"has_invitations", !rows.empty()},
               {"coming", coming},
               {"not_coming", not_coming},
               {"arrangements", arrangements},
               {"has_arrangements", !arrangements.empty()},
               {"ratings", rating_rows},
               {"ratings_total", ratings->member_total},
               {"paper_total", ratings->paper_total},
               {"has_paper", ratings->paper_total > 0},
               {"show_ratings", ratings->member_total >= activities::kRatingsShownFrom},
               {"ratings_needed", activities::kRatingsShownFrom},
               {"actions", action_rows},
               {"has_actions", !action_rows.empty()},
               {"base", base},
               {"rung_choices", choice_group("rung", "Rung the paper forms gave", "", true, involvement::ladder_rungs(), {})},
               {"count_field", text_field({"count", "How many forms gave it", "text", "", false, "3"}, "")}};
  put_if(data, "place", a->place);
  put_if(data, "link", a->link);
  put_if(data, "notes", a->notes);
  put_if(data, "decisions", a->decisions);
  if (!a->lead_rung.empty()) data["lead_rung"] = involvement::rung_label(a->lead_rung);
  return ctx.page(200, "activities/show", a->title, data);
}

Response activity_invite(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  int invited = 0;
  auto told = notices(ctx).invite_to_activity(ctx.user->organisation_id, *id, actor_of(ctx), &invited);
  if (!told.ok()) return status_error(ctx, told.status());
  wake_sender(ctx);
  return Response::redirect("/activities/" + std::to_string(*id) + "?invited=" + std::to_string(invited));
}

Response activity_cancel(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto told = notices(ctx).cancel_activity(ctx.user->organisation_id, *id, actor_of(ctx));
  if (!told.ok()) return status_error(ctx, told.status());
  wake_sender(ctx);
  return Response::redirect("/activities/" + std::to_string(*id));
}

Response activity_response(Context& ctx) {
  auto id = id_param(ctx);
  auto person = id_param(ctx, "person");
  if (!id || !person) return ctx.error(404);
  Status s = acts(ctx).record_response(ctx.user->organisation_id, *id, *person, ctx.form.get("response"), actor_of(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/activities/" + std::to_string(*id));
}

// Each person's invitation in the format they asked for, ready to print or send.
Response activity_invitations(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  int64_t org = ctx.user->organisation_id;
  auto a = acts(ctx).get(org, *id);
  if (!a.ok()) return status_error(ctx, a.status());
  auto invitations = acts(ctx).invitations(org, *id, actor_of(ctx));
  if (!invitations.ok()) return ctx.error(500);
  json letters = json::array();
  for (const auto& inv : *invitations) {
    bool easy = inv.format == "easy_read";
    letters.push_back({{"name", inv.name},
                       {"format", activities::label(activities::invitation_formats(), inv.format)},
                       {"large_print", inv.format == "large_print"},
                       {"text", easy && !a->easy_read_text.empty() ? a->easy_read_text : a->letter_text},
                       {"missing_easy_read", easy && a->easy_read_text.empty()}});
  }
  json data = {{"activity", activity_summary(*a)}, {"back_href", "/activities/" + std::to_string(*id)},
               {"duration", duration_text(a->duration_minutes)}, {"letters", letters}, {"has_letters", !letters.empty()}};
  put_if(data, "place", a->place);
  put_if(data, "link", a->link);
  return ctx.page(200, "activities/invitations", "Invitations: " + a->title, data);
}

// --- attendance --------------------------------------------------------------------

Response attendance_page(Context& ctx, int64_t id, const std::vector<FieldError>& errors,
                         const std::map<int64_t, std::pair<std::string, std::string>>& typed) {
  int64_t org = ctx.user->organisation_id;
  auto a = acts(ctx).get(org, id);
  if (!a.ok()) return status_error(ctx, a.status());
  auto invitations = acts(ctx).invitations(org, id, actor_of(ctx));
  if (!invitations.ok()) return ctx.error(500);
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  json people = json::array();
  for (const auto& inv : *invitations) {
    std::string key = std::to_string(inv.person_id);
    std::string att = inv.attendance, minutes = inv.attendance == "attended" ? std::to_string(inv.minutes) : "";
    if (att.empty() && inv.response == "not_coming") att = "apologies";
    if (auto t = typed.find(inv.person_id); t != typed.end()) std::tie(att, minutes) = t->second;
    json choices = json::array();
    for (const auto& [code, label] : activities::attendance_choices()) {
      choices.push_back({{"value", code}, {"label", label}, {"checked", code == att},
                         {"id", "attendance-" + key + (code == "attended" ? "" : "-" + code)}});
    }
    json levels = json::array();
    for (const auto& [code, label] : activities::role_levels()) {
      levels.push_back({{"value", code}, {"label", label}, {"selected", code == inv.role_level}});
    }
    json row = {{"key", key}, {"name", inv.name}, {"choices", choices}, {"minutes", minutes}, {"levels", levels}};
    if (err.count("attendance-" + key)) row["attendance_error"] = err["attendance-" + key];
    if (err.count("minutes-" + key)) row["minutes_error"] = err["minutes-" + key];
    people.push_back(row);
  }
  std::string base = "/activities/" + std::to_string(id);
  json data = {{"activity", activity_summary(*a)}, {"back_href", base}, {"action", base + "/attendance"},
               {"people", people}, {"has_people", !people.empty()}, {"duration", a->duration_minutes}};
  if (!errors.empty()) return field_errors(ctx, "activities/attendance", "Record attendance", data, errors);
  return ctx.page(200, "activities/attendance", "Record attendance", data);
}

Response attendance_form(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  return attendance_page(ctx, *id, {}, {});
}

Response attendance_save(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  std::vector<activities::AttendanceEntry> entries;
  std::map<int64_t, std::pair<std::string, std::string>> typed;
  std::vector<FieldError> missing;
  for (const std::string& person : ctx.form.all("person")) {
    if (person.empty() || person.size() > 15 || person.find_first_not_of("0123456789") != std::string::npos) {
      return ctx.error(400);
    }
    int64_t pid = std::stoll(person);
    std::string att = ctx.form.get("attendance-" + person);
    std::string minutes = ctx.form.get("minutes-" + person);
    typed[pid] = {att, minutes};
    if (att.empty()) {
      missing.push_back({"attendance-" + person, "Select whether each person attended, sent apologies or did not attend"});
      continue;
    }
    entries.push_back({pid, att, minutes, ctx.form.get("role-" + person)});
  }
  if (!missing.empty()) return attendance_page(ctx, *id, missing, typed);
  std::vector<FieldError> problems;
  Status s = acts(ctx).record_attendance(ctx.user->organisation_id, *id, entries, actor_of(ctx), &problems);
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidInput) return attendance_page(ctx, *id, problems, typed);
    return status_error(ctx, s);
  }
  return Response::redirect("/activities/" + std::to_string(*id));
}

// --- afterwards: outcome, actions, ratings -----------------------------------------

// The rungs as options for staff: each name with the everyday words members
// choose from when they rate ("Informing: 'We were told ...'").
std::vector<std::pair<std::string, std::string>> rungs_with_plain_words() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [code, label] : involvement::ladder_rungs()) {
    out.emplace_back(code, label + ": \u201c" + involvement::rung_plain_words(code) + "\u201d");
  }
  return out;
}

json outcome_data(const Activity& a, const std::string& notes, const std::string& decisions, const std::string& rung,
                  const std::vector<FieldError>& errors) {
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  auto e = [&](const char* f) { return err.count(f) ? err[f] : std::string(); };
  std::string base = "/activities/" + std::to_string(a.id);
  return {{"activity", activity_summary(a)},
          {"back_href", base},
          {"action", base + "/outcome"},
          {"notes_field", text_field({"notes", "Notes", "text", "What was discussed, in plain words", true}, notes, e("notes"))},
          {"decisions_field", text_field({"decisions", "Decisions", "text", "What was decided, and by whom", true},
                                         decisions, e("decisions"))},
          {"rung_choices", choice_group("lead_rung", "Which rung of the ladder of co-production did it reach?",
                                        "Your view as lead. Members rate it separately and anonymously, choosing from "
                                        "the words in quotes.",
                                        true, rungs_with_plain_words(), {rung}, e("lead_rung"))}};
}

Response outcome_form(Context& ctx) {
  auto a = activity_param(ctx);
  if (!a.ok()) return status_error(ctx, a.status());
  return ctx.page(200, "activities/outcome", "What happened", outcome_data(*a, a->notes, a->decisions, a->lead_rung, {}));
}

Response outcome_save(Context& ctx) {
  auto a = activity_param(ctx);
  if (!a.ok()) return status_error(ctx, a.status());
  std::string notes = ctx.form.get("notes"), decisions = ctx.form.get("decisions"), rung = ctx.form.get("lead_rung");
  Status s = acts(ctx).save_outcome(ctx.user->organisation_id, a->id, notes, decisions, rung, actor_of(ctx));
  if (s.code() == StatusCode::kInvalidInput) {
    std::vector<FieldError> errors{{s.where().field, s.message()}};
    return field_errors(ctx, "activities/outcome", "What happened", outcome_data(*a, notes, decisions, rung, errors), errors);
  }
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/activities/" + std::to_string(a->id));
}

ActionInput action_input(const Form& f) {
  return {f.get("you_said"), f.get("we_did"), f.get("owner"), f.get("status"), f.get("day"), f.get("month"), f.get("year")};
}

json action_data(const Activity& a, const ActionInput& in, const std::vector<FieldError>& errors,
                 const std::string& action, bool editing) {
  std::map<std::string, std::string> err;
  for (const auto& e : errors) err.emplace(e.field, e.message);
  auto e = [&](const char* f) { return err.count(f) ? err[f] : std::string(); };
  json date = {{"legend", "Due by"}, {"day", in.day}, {"month", in.month}, {"year", in.year}};
  if (!e("day").empty()) date["error"] = e("day");
  return {{"activity", activity_summary(a)},
          {"back_href", "/activities/" + std::to_string(a.id)},
          {"action", action},
          {"editing", editing},
          {"said_field", text_field({"you_said", "You said", "text", "What members asked for or raised", true},
                                    in.you_said, e("you_said"))},
          {"did_field", text_field({"we_did", "We did", "text", "What has been done about it. Leave empty until there is something to say.", true},
                                   in.we_did, e("we_did"))},
          {"owner_field", text_field({"owner", "Owner", "text", "The person or team responsible"}, in.owner, e("owner"))},
          {"status_choices", choice_group("status", "Status", "", true, activities::action_statuses(), {in.status}, e("status"))},
          {"date", date}};
}

Response action_new(Context& ctx) {
  auto a = activity_param(ctx);
  if (!a.ok()) return status_error(ctx, a.status());
  ActionInput in;
  in.status = "planned";
  return ctx.page(200, "activities/action", "Add an action",
                  action_data(*a, in, {}, "/activities/" + std::to_string(a->id) + "/actions", false));
}

Response action_create(Context& ctx) {
  auto a = activity_param(ctx);
  if (!a.ok()) return status_error(ctx, a.status());
  ActionInput in = action_input(ctx.form);
  auto problems = activities::validate(in);
  std::string action = "/activities/" + std::to_string(a->id) + "/actions";
  if (!problems.empty()) return field_errors(ctx, "activities/action", "Add an action", action_data(*a, in, problems, action, false), problems);
  auto made = acts(ctx).add_action(ctx.user->organisation_id, a->id, in, actor_of(ctx));
  if (!made.ok()) return status_error(ctx, made.status());
  return Response::redirect("/activities/" + std::to_string(a->id));
}

Response action_edit(Context& ctx) {
  auto id = id_param(ctx);
  auto aid = id_param(ctx, "action");
  if (!id || !aid) return ctx.error(404);
  auto a = acts(ctx).get(ctx.user->organisation_id, *id);
  if (!a.ok()) return status_error(ctx, a.status());
  auto all = acts(ctx).actions(ctx.user->organisation_id, *id);
  if (!all.ok()) return ctx.error(500);
  for (const auto& x : *all) {
    if (x.id != *aid) continue;
    ActionInput in{x.you_said, x.we_did, x.owner, x.status, std::to_string(std::stoi(x.due_on.substr(8, 2))),
                   std::to_string(std::stoi(x.due_on.substr(5, 2))), x.due_on.substr(0, 4)};
    return ctx.page(200, "activities/action", "Update the action",
                    action_data(*a, in, {}, "/activities/" + std::to_string(*id) + "/actions/" + std::to_string(*aid), true));
  }
  return ctx.error(404);
}

Response action_update(Context& ctx) {
  auto id = id_param(ctx);
  auto aid = id_param(ctx, "action");
  if (!id || !aid) return ctx.error(404);
  auto a = acts(ctx).get(ctx.user->organisation_id, *id);
  if (!a.ok()) return status_error(ctx, a.status());
  ActionInput in = action_input(ctx.form);
  auto problems = activities::validate(in);
  std::string action = "/activities/" + std::to_string(*id) + "/actions/" + std::to_string(*aid);
  if (!problems.empty()) {
    return field_errors(ctx, "activities/action", "Update the action", action_data(*a, in, problems, action, true), problems);
  }
  Status s = acts(ctx).update_action(ctx.user->organisation_id, *id, *aid, in, actor_of(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/activities/" + std::to_string(*id));
}

Response paper_ratings(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  Status s = acts(ctx).add_paper_ratings(ctx.user->organisation_id, *id, ctx.form.get("rung"), ctx.form.get("count"),
                                         actor_of(ctx));
  if (s.code() == StatusCode::kInvalidInput) return ctx.error(400, s.message() + ". Go back and try again.");
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/activities/" + std::to_string(*id));
}

// --- a participant's own activities ----------------------------------------------

std::string rating_href(int64_t id) { return "/my-activities/" + std::to_string(id) + "/rating"; }

// 'Your activities' in Easy Read, from the rows of the standard page, in the
// person's language (dates too: a row's "starts_at" written out by the
// catalogue, its English "when" otherwise).
json my_activities_easy_read(const Context& ctx, const json& upcoming, const json& past, const json& said,
                             size_t waiting, const std::string& first_rating, const std::string& paid_total) {
  auto when = [&ctx](const json& r) {
    const std::string iso = r.value("starts_at", "");
    return iso.size() >= 16 ? when_in(ctx, iso) : r.value("when", "");
  };
  json sections = json::array();
  if (waiting > 0) {
    sections.push_back(
        {{"heading", ctx.tr(N_("Tell us how it went"))},
         {"ideas",
          {easy_read_idea(ctx, "speech", N_("A speech bubble"),
                ctx.tr_plural("You went to {n} meeting.", "You went to {n} meetings.", static_cast<long>(waiting))),
           easy_read_idea(ctx, "people", N_("Two people"), ctx.tr(N_("Tell us how much say you had.")), first_rating,
                N_("Tell us now"))}}});
  }
  json soon = json::array();
  for (const auto& r : upcoming) {
    soon.push_back(easy_read_idea(ctx, "calendar", N_("A calendar"), r.value("title", "") + ". " + when(r) + "."));
    if (r.contains("place")) {
      soon.push_back(
          easy_read_idea(ctx, "place", N_("A map pin"), ctx.tr(N_("Where: {place}."), {{"place", r["place"].get<std::string>()}})));
    }
    if (r.value("can_answer", false)) {
      soon.push_back(easy_read_idea(ctx, "tick", N_("A tick"), ctx.tr(N_("Can you come? Tell us.")), "/my-activities?version=standard",
                          N_("Say if you can come")));
    }
  }
  if (soon.empty()) soon.push_back(easy_read_idea(ctx, "calendar", N_("A calendar"), ctx.tr(N_("You have no meetings coming up."))));
  sections.push_back({{"heading", ctx.tr(N_("Meetings coming up"))}, {"ideas", soon}});
  if (!past.empty()) {
    json went = json::array();
    for (const auto& r : past) went.push_back(easy_read_idea(ctx, "tick", N_("A tick"), r.value("title", "") + ". " + when(r) + "."));
    sections.push_back({{"heading", ctx.tr(N_("Meetings before"))}, {"ideas", went}});
  }
  if (!said.empty()) {
    json ideas = json::array();
    for (const auto& x : said) {
      ideas.push_back(
          easy_read_idea(ctx, "speech", N_("A speech bubble"), ctx.tr(N_("You said: {text}"), {{"text", x.value("you_said", "")}})));
      std::string did = x.value("we_did_done", false) ? x.value("we_did", "") : ctx.tr(N_("Not yet"));
      ideas.push_back(easy_read_idea(ctx, "tick", N_("A tick"), ctx.tr(N_("We did: {text}"), {{"text", did}})));
    }
    sections.push_back({{"heading", ctx.tr(N_("You said, we did"))}, {"ideas", ideas}});
  }
  sections.push_back(
      {{"heading", ctx.tr(N_("Money"))},
       {"ideas", {easy_read_idea(ctx, "money", N_("A pound sign"),
                       ctx.tr(N_("This year we paid you {amount} for your time."), {{"amount", paid_total}}),
                       "/my-payments/easy-read", N_("See your payments"))}}});
  return {{"heading", ctx.tr(N_("Your activities"))},
          {"standard_href", "/my-activities?version=standard"},
          {"sections", sections}};
}

// 'Your activities'; with `easy_read`, or for a person who asked for Easy
// Read, its Easy Read version.
Response my_activities_page(Context& ctx, bool easy_read) {
  auto person = own_person(ctx);
  if (!person) return ctx.error(404, "There is no record of you in the involvement pool yet.");
  int64_t org = ctx.user->organisation_id;
  auto mine = acts(ctx).for_person(org, *person);
  if (!mine.ok()) return ctx.error(500);
  std::string now = today(ctx);
  json upcoming = json::array(), past = json::array();
  for (const auto& pa : *mine) {
    const Activity& a = pa.activity;
    std::string base = "/my-activities/" + std::to_string(a.id);
    json row = activity_summary(a);
    row["starts_at"] = a.starts_at;
    put_if(row, "place", a.place);
    put_if(row, "link", a.link);
    row["when"] = when_in(ctx, a.starts_at);
    row["status"] = ctx.tr(status_label(a));
    row["duration"] = duration_in(ctx, a.duration_minutes);
    const char* answer = pa.response.empty()            ? N_("You have not answered yet")
                         : pa.response == "coming" ? N_("You said you are coming")
                                                   : N_("You said you cannot come");
    row["answer"] = ctx.tr(answer);
    row["response_action"] = base + "/response";
    row["rating_href"] = rating_href(a.id);
    row["can_answer"] = a.status == "scheduled";
    row["can_rate"] = activities::waits_for_rating(pa);
    row["rated"] = pa.rated;
    if (a.status == "scheduled" && a.starts_at.substr(0, 10) >= now) upcoming.push_back(row);
    else past.push_back(row);
  }
  auto waiting = activities::waiting_for_rating(*mine);
  auto groups = acts(ctx).person_groups(org, *person);
  if (!groups.ok()) return ctx.error(500);
  json said = json::array();
  for (int64_t gid : *groups) {
    auto actions = acts(ctx).group_actions(org, gid);
    if (!actions.ok()) return ctx.error(500);
    for (const auto& x : *actions) {
      said.push_back({{"you_said", x.you_said}, {"we_did", x.we_did.empty() ? ctx.tr(N_("Not yet")) : x.we_did},
                      {"we_did_done", !x.we_did.empty()},
                      {"status", ctx.tr(activities::label(activities::action_statuses(), x.status))},
                      {"due", x.due_on.empty() ? std::string() : date_in(ctx, x.due_on)}, {"from", x.activity_title}});
    }
  }
  auto totals = payments::Payments(ctx.services.db, ctx.services.clock).totals(org, *person, now);
  if (!totals.ok()) return ctx.error(500);
  json data = {{"upcoming", upcoming}, {"has_upcoming", !upcoming.empty()}, {"past", past},
               {"has_past", !past.empty()}, {"said", said}, {"has_said", !said.empty()},
               {"year", ctx.tr(N_("{start} to {end}"), {{"start", date_in(ctx, totals->year_start)},
                                                          {"end", date_in(ctx, totals->year_end)}})},
               {"paid_total", payments::format_pounds(totals->payments)},
               {"expenses_total", payments::format_pounds(totals->expenses)}};
  if (!waiting.empty()) {
    // One short prompt for all of them, leading to one question a page.
    data["waiting"] = {
        {"heading", ctx.tr_plural("You have {n} meeting to tell us about", "You have {n} meetings to tell us about",
                                  static_cast<long>(waiting.size()))},
        {"start_href", rating_href(waiting.front().activity.id)},
        {"button", ctx.tr(waiting.size() == 1 ? N_("Tell us about it") : N_("Tell us about them"))}};
  }
  if (!ctx.request.query("rated").empty()) {
    data["notice"] = ctx.tr(N_("Thank you for telling us. We do not keep your name with your answers."));
  }
  if (easy_read || easy_read_first(ctx, *person)) {
    json easy = my_activities_easy_read(ctx, upcoming, past, said, waiting.size(),
                                        waiting.empty() ? "" : rating_href(waiting.front().activity.id),
                                        data["paid_total"].get<std::string>());
    if (data.contains("notice")) easy["notice"] = data["notice"];
    return ctx.page(200, "easy_read/page", ctx.tr(N_("Your activities in Easy Read")), easy);
  }
  data["easy_read_href"] = "/my-activities/easy-read";
  return ctx.page(200, "activities/mine", ctx.tr(N_("Your activities")), data);
}

Response my_activities(Context& ctx) { return my_activities_page(ctx, false); }

Response my_response(Context& ctx) {
  auto person = own_person(ctx);
  auto id = id_param(ctx);
  if (!person || !id) return ctx.error(404);
  Status s = acts(ctx).record_response(ctx.user->organisation_id, *id, *person, ctx.form.get("response"), actor_of(ctx));
  if (!s.ok()) return status_error(ctx, s);
  return Response::redirect("/my-activities");
}

// The question about one meeting waiting for a rating (one question a page),
// or NotFound when that meeting is not waiting for this person.
StatusOr<json> rating_question(Context& ctx, int64_t person, int64_t id) {
  auto mine = acts(ctx).for_person(ctx.user->organisation_id, person);
  if (!mine.ok()) return mine.status();
  auto waiting = activities::waiting_for_rating(*mine);
  auto at = std::find_if(waiting.begin(), waiting.end(), [&](const auto& pa) { return pa.activity.id == id; });
  if (at == waiting.end()) return NotFound("You have already told us about this meeting, or you were not there");
  auto i = static_cast<size_t>(at - waiting.begin());
  const Activity& a = at->activity;
  std::string name = "rung-" + std::to_string(id);
  json options = json::array();
  const auto& plain = involvement::ladder_rungs_in_plain_words();
  for (const auto& [code, words] : plain) {
    options.push_back({{"value", code}, {"label", ctx.tr(words)}, {"id", name + "-" + code}});
  }
  bool last = i + 1 == waiting.size();
  json data = {{"meeting", a.title + ", " + when_in(ctx, a.starts_at)},
               {"count", ctx.tr(N_("Meeting {n} of {total}"),
                                {{"n", std::to_string(i + 1)}, {"total", std::to_string(waiting.size())}})},
               {"name", name},
               {"first_id", name + "-" + plain.front().first},
               {"options", options},
               {"bottom", ctx.tr(plain.front().second)},
               {"top", ctx.tr(plain.back().second)},
               {"action", rating_href(id)},
               {"skip_href", last ? std::string("/my-activities") : rating_href(waiting[i + 1].activity.id)},
               {"skip_text", ctx.tr(last ? N_("Skip this one and go back to your activities") : N_("Skip this one"))}};
  return data;
}

const char* const kRatingTitle = N_("How much say did you have?");

Response my_rating_form(Context& ctx) {
  auto person = own_person(ctx);
  auto id = id_param(ctx);
  if (!person || !id) return ctx.error(404);
  auto data = rating_question(ctx, *person, *id);
  // Already answered (say, after Back): the list shows what is left.
  if (data.status().code() == StatusCode::kNotFound) return Response::redirect("/my-activities");
  if (!data.ok()) return status_error(ctx, data.status());
  if (!ctx.request.query("sent").empty()) {
    (*data)["notice"] = ctx.tr(N_("Thank you. We do not keep your name with your answer."));
  }
  return ctx.page(200, "activities/rate", ctx.tr(kRatingTitle), *data);
}

Response my_rating(Context& ctx) {
  auto person = own_person(ctx);
  auto id = id_param(ctx);
  if (!person || !id) return ctx.error(404);
  int64_t org = ctx.user->organisation_id;
  auto before = acts(ctx).for_person(org, *person);
  if (!before.ok()) return ctx.error(500);
  Status s = acts(ctx).rate(org, *id, *person, ctx.form.get("rung-" + std::to_string(*id)));
  if (s.code() == StatusCode::kInvalidInput) {
    auto data = rating_question(ctx, *person, *id);
    // Nothing chosen for a meeting already answered: say that, as a second answer would.
    if (data.status().code() == StatusCode::kNotFound) return status_error(ctx, Conflict(data.status().message()));
    if (!data.ok()) return status_error(ctx, data.status());
    std::string message = ctx.tr(N_("Choose the words that are most like how the meeting was for you"));
    (*data)["error"] = message;
    std::string first = (*data)["first_id"];
    return field_errors(ctx, "activities/rate", ctx.tr(kRatingTitle), *data, {{first, message}});
  }
  if (!s.ok()) return status_error(ctx, s);
  // On to the next meeting still waiting after this one, then back to the list.
  auto waiting = activities::waiting_for_rating(*before);
  auto at = std::find_if(waiting.begin(), waiting.end(), [&](const auto& pa) { return pa.activity.id == *id; });
  if (at != waiting.end() && at + 1 != waiting.end()) {
    return Response::redirect(rating_href((at + 1)->activity.id) + "?sent=1");
  }
  return Response::redirect("/my-activities?rated=1");
}

// --- API ---------------------------------------------------------------------------

json activity_json(const Activity& a) {
  return {{"id", a.id},           {"group_id", a.group_id}, {"kind", a.kind},       {"title", a.title},
          {"starts_at", a.starts_at}, {"duration_minutes", a.duration_minutes}, {"place", a.place},
          {"link", a.link},       {"status", a.status},     {"invited", a.invited}, {"attended", a.attended},
          {"lead_rung", a.lead_rung}};
}

Response api_activities(Context& ctx) {
  std::optional<int64_t> group;
  if (std::string g = ctx.request.query("group"); !g.empty()) {
    if (g.size() > 15 || g.find_first_not_of("0123456789") != std::string::npos) {
      return api_invalid(ctx, "group", "group must be a group's id");
    }
    group = std::stoll(g);
  }
  auto list = acts(ctx).list(ctx.user->organisation_id, group);
  if (!list.ok()) return ctx.error(500);
  json items = json::array();
  for (const auto& a : *list) items.push_back(activity_json(a));
  return ctx.send_json(200, {{"activities", items}});
}

Response api_activity(Context& ctx) {
  auto a = activity_param(ctx);
  if (!a.ok()) return status_error(ctx, a.status());
  return ctx.send_json(200, activity_json(*a));
}

Response api_activity_create(Context& ctx) {
  auto gid = id_param(ctx);
  if (!gid) return ctx.error(404);
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  std::string starts = json_text(*body, "starts_at");  // YYYY-MM-DDTHH:MM
  if (starts.size() != 16 || starts[4] != '-' || starts[7] != '-' || starts[10] != 'T') {
    return api_invalid(ctx, "starts_at", "starts_at must be a local date and time like 2027-04-14T10:30");
  }
  ActivityInput in{json_text(*body, "kind"), json_text(*body, "title"), starts.substr(8, 2), starts.substr(5, 2),
                   starts.substr(0, 4), starts.substr(11), json_text(*body, "duration_minutes"),
                   json_text(*body, "place"), json_text(*body, "link"), json_text(*body, "letter_text"),
                   json_text(*body, "easy_read_text")};
  auto problems = activities::validate(in);
  if (!problems.empty()) {
    std::string field = problems.front().field == "day" ? "starts_at" : problems.front().field;
    return api_invalid(ctx, field, problems.front().message);
  }
  auto a = acts(ctx).create(ctx.user->organisation_id, *gid, in, actor_of(ctx));
  if (!a.ok()) return status_error(ctx, a.status());
  Response r = ctx.send_json(201, activity_json(*a));
  r.set_header("Location", "/api/v1/activities/" + std::to_string(a->id));
  return r;
}

Response api_invite(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  int invited = 0;
  auto told = notices(ctx).invite_to_activity(ctx.user->organisation_id, *id, actor_of(ctx), &invited);
  if (!told.ok()) return status_error(ctx, told.status());
  wake_sender(ctx);
  return ctx.send_json(200, {{"invited", invited},
                             {"messages",
                              {{"queued", told->queued},
                               {"to_call", told->to_call},
                               {"to_print", told->to_print},
                               {"not_sent", told->not_sent}}}});
}

Response api_attendance(Context& ctx) {
  auto id = id_param(ctx);
  if (!id) return ctx.error(404);
  auto body = body_object(ctx);
  if (!body.ok()) return ctx.error(400, body.status().message());
  const json& list = (*body)["attendance"];
  if (!list.is_array()) return api_invalid(ctx, "attendance", "attendance must be a list of {person_id, attendance, minutes}");
  std::vector<activities::AttendanceEntry> entries;
  for (const auto& e : list) {
    if (!e.is_object() || !e.contains("person_id") || !e["person_id"].is_number_integer()) {
      return api_invalid(ctx, "attendance", "each entry needs a whole-number person_id");
    }
    entries.push_back({e["person_id"].get<int64_t>(), json_text(e, "attendance"), json_text(e, "minutes"),
                       json_text(e, "role_level")});
  }
  std::vector<FieldError> problems;
  Status s = acts(ctx).record_attendance(ctx.user->organisation_id, *id, entries, actor_of(ctx), &problems);
  if (s.code() == StatusCode::kInvalidInput) return api_invalid(ctx, s.where().field, s.message());
  if (!s.ok()) return status_error(ctx, s);
  return ctx.send_json(200, activity_json(*acts(ctx).get(ctx.user->organisation_id, *id)));
}

}  // namespace

void add_activity_routes(Router& router) {
  router.add({"GET", "/activities", kLeads, Channel::kPage, activity_list});
  router.add({"GET", "/groups/{id}/activities/new", kLeads, Channel::kPage, activity_new});
  router.add({"POST", "/groups/{id}/activities", kLeads, Channel::kPage, activity_create});
  router.add({"GET", "/activities/{id}", kLeads, Channel::kPage, activity_show});
  router.add({"GET", "/activities/{id}/edit", kLeads, Channel::kPage, activity_edit});
  router.add({"POST", "/activities/{id}/edit", kLeads, Channel::kPage, activity_update});
  router.add({"POST", "/activities/{id}/invite", kLeads, Channel::kPage, activity_invite});
  router.add({"POST", "/activities/{id}/cancel", kLeads, Channel::kPage, activity_cancel});
  router.add({"POST", "/activities/{id}/responses/{person}", kLeads, Channel::kPage, activity_response});
  router.add({"GET", "/activities/{id}/invitations", kLeads, Channel::kPage, activity_invitations});
  router.add({"GET", "/activities/{id}/attendance", kLeads, Channel::kPage, attendance_form});
  router.add({"POST", "/activities/{id}/attendance", kLeads, Channel::kPage, attendance_save});
  router.add({"GET", "/activities/{id}/outcome", kLeads, Channel::kPage, outcome_form});
  router.add({"POST", "/activities/{id}/outcome", kLeads, Channel::kPage, outcome_save});
  router.add({"GET", "/activities/{id}/actions/new", kLeads, Channel::kPage, action_new});
  router.add({"POST", "/activities/{id}/actions", kLeads, Channel::kPage, action_create});
  router.add({"GET", "/activities/{id}/actions/{action}", kLeads, Channel::kPage, action_edit});
  router.add({"POST", "/activities/{id}/actions/{action}", kLeads, Channel::kPage, action_update});
  router.add({"POST", "/activities/{id}/paper-ratings", kLeads, Channel::kPage, paper_ratings});

  router.add({"GET", "/my-activities", kParticipants, Channel::kPage, my_activities});
  router.add({"GET", "/my-activities/easy-read", kParticipants, Channel::kPage,
              [](Context& ctx) { return my_activities_page(ctx, true); }});
  router.add({"POST", "/my-activities/{id}/response", kParticipants, Channel::kPage, my_response});
  router.add({"GET", "/my-activities/{id}/rating", kParticipants, Channel::kPage, my_rating_form});
  router.add({"POST", "/my-activities/{id}/rating", kParticipants, Channel::kPage, my_rating});

  router.add({"GET", "/api/v1/activities", kLeads, Channel::kApi, api_activities});
  router.add({"POST", "/api/v1/groups/{id}/activities", kLeads, Channel::kApi, api_activity_create});
  router.add({"GET", "/api/v1/activities/{id}", kLeads, Channel::kApi, api_activity});
  router.add({"POST", "/api/v1/activities/{id}/invite", kLeads, Channel::kApi, api_invite});
  router.add({"POST", "/api/v1/activities/{id}/attendance", kLeads, Channel::kApi, api_attendance});
}

}  // namespace coproduce::web
