#include "activities/activities.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <type_traits>

#include "core/text.h"
#include "core/translatable.h"
#include "involvement/groups.h"

namespace coproduce::activities {
namespace {

using store::Connection;
using store::Row;
using involvement::first_problem;
using involvement::record_action;

constexpr const char* kActivityColumns =
    "a.id, a.organisation_id, a.group_id, g.name, a.kind, a.title, a.starts_at, a.duration_minutes, a.place,"
    " a.link, a.letter_text, a.easy_read_text, a.status, a.notes, a.decisions, a.lead_rung,"
    " (SELECT COUNT(*) FROM activity_invitations i WHERE i.activity_id = a.id),"
    " (SELECT COUNT(*) FROM activity_invitations i WHERE i.activity_id = a.id AND i.attendance = 'attended')";

Activity activity_from_row(const Row& r) {
  Activity a;
  a.id = r.integer(0);
  a.organisation_id = r.integer(1);
  a.group_id = r.integer(2);
  a.group_name = r.text(3);
  a.kind = r.text(4);
  a.title = r.text(5);
  a.starts_at = r.text(6);
  a.duration_minutes = static_cast<int>(r.integer(7));
  a.place = r.text(8);
  a.link = r.text(9);
  a.letter_text = r.text(10);
  a.easy_read_text = r.text(11);
  a.status = r.text(12);
  a.notes = r.text(13);
  a.decisions = r.text(14);
  a.lead_rung = r.text(15);
  a.invited = static_cast<int>(r.integer(16));
  a.attended = static_cast<int>(r.integer(17));
  return a;
}

bool digits(const std::string& t, size_t max_len) {
  return !t.empty() && t.size() <= max_len && t.find_first_not_of("0123456789") == std::string::npos;
}

// A whole number from `lo` to `hi` typed as `text`, or nullopt.
std::optional<int> whole(const std::string& text, int lo, int hi) {
  std::string t = trim_copy(text);
  if (!digits(t, 6)) return std::nullopt;
  int v = std::stoi(t);
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

// "YYYY-MM-DD" from day, month and year fields, or the GOV.UK message for what is wrong.
std::string date_from_fields(const std::string& day, const std::string& month, const std::string& year,
                             const std::string& what, std::string* error) {
  std::string d = trim_copy(day), m = trim_copy(month), y = trim_copy(year);
  if (d.empty() && m.empty() && y.empty()) {
    *error = "Enter the " + what;
    return "";
  }
  if (d.empty() || m.empty() || y.empty()) {
    *error = "The " + what + " must include a day, month and year";
    return "";
  }
  std::string date = date_from_parts(d, m, y);
  if (date.empty()) *error = "The " + what + " must be a real date, like 27 3 2027";
  return date;
}

// "HH:MM" (24-hour) from what was typed ("9:30", "09:30", "14.00"), or "".
std::string time_of_day(const std::string& text) {
  std::string t = trim_copy(text);
  std::replace(t.begin(), t.end(), '.', ':');
  size_t colon = t.find(':');
  if (colon == std::string::npos) return "";
  std::string h = t.substr(0, colon), m = t.substr(colon + 1);
  if (!digits(h, 2) || m.size() != 2 || !digits(m, 2)) return "";
  int hh = std::stoi(h), mi = std::stoi(m);
  if (hh > 23 || mi > 59) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", hh, mi);
  return buf;
}

std::string starts_at(const ActivityInput& in) {
  std::string error;
  std::string date = date_from_fields(in.day, in.month, in.year, "date", &error);
  return date + "T" + time_of_day(in.time);
}

std::string due_on(const ActionInput& in) {
  std::string error;
  return date_from_fields(in.day, in.month, in.year, "due date", &error);
}

// The activity, checked to belong to the organisation, inside a transaction.
StatusOr<Activity> load(Connection& c, int64_t org, int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kActivityColumns +
                             " FROM activities a JOIN groups g ON g.id = a.group_id"
                             " WHERE a.id = $1 AND a.organisation_id = $2",
                         {id, org});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such activity");
    return row.status();
  }
  return activity_from_row(*row);
}

// Runs `work(c, activity)` in a write transaction once the activity is found
// in the organisation (NotFound otherwise), committing when it succeeds.
template <typename Work>
auto in_activity(store::Database& db, int64_t org, int64_t id, Work&& work)
    -> std::invoke_result_t<Work, Connection&, const Activity&> {
  using Result = std::invoke_result_t<Work, Connection&, const Activity&>;
  return store::in_write_transaction(db, [&](Connection& c) -> Result {
    auto a = load(c, org, id);
    if (!a.ok()) return Result(a.status());
    return work(c, *a);
  });
}

}  // namespace

const Choices& activity_kinds() {
  static const Choices k = {{"meeting", "Meeting"},
                            {"workshop", "Workshop"},
                            {"interview_panel", "Interview panel"},
                            {"co_design", "Co-design session"},
                            {"consultation_event", "Consultation event"},
                            {"training_session", "Co-delivered training session"}};
  return k;
}

const Choices& responses() {
  static const Choices k = {{"coming", "Coming"}, {"not_coming", "Not coming"}};
  return k;
}

const Choices& attendance_choices() {
  static const Choices k = {{"attended", "Attended"}, {"apologies", "Sent apologies"}, {"did_not_attend", "Did not attend"}};
  return k;
}

const Choices& action_statuses() {
  static const Choices k = {{"planned", N_("Planned")}, {"in_progress", N_("In progress")}, {"done", N_("Done")},
                            {"not_doing", N_("Not doing, with the reason given")}};
  return k;
}

const Choices& invitation_formats() {
  static const Choices k = {{"email", "Email"},        {"letter", "Letter by post"}, {"large_print", "Large print letter"},
                            {"easy_read", "Easy Read"}, {"phone", "Phone call"}};
  return k;
}

const Choices& role_levels() {
  static const Choices k = {{"member", "Member"},
                            {"chair", "Chair or co-chair"},
                            {"adviser", "Expert adviser"},
                            {"trainer", "Co-trainer"}};
  return k;
}

bool is_choice(const Choices& choices, const std::string& code) {
  return std::any_of(choices.begin(), choices.end(), [&](const auto& c) { return c.first == code; });
}

std::string label(const Choices& choices, const std::string& code) {
  for (const auto& [c, l] : choices) {
    if (c == code) return l;
  }
  return code;
}

std::string invitation_format(const involvement::PersonDetails& d) {
  auto has = [&](const char* f) { return std::find(d.formats.begin(), d.formats.end(), f) != d.formats.end(); };
  if (has("easy_read")) return "easy_read";
  if (has("large_print")) return "large_print";
  if (d.contact_by == "post") return "letter";
  if (d.contact_by == "phone") return "phone";
  return "email";
}

std::vector<FieldError> validate(const ActivityInput& in) {
  std::vector<FieldError> errors;
  if (!is_choice(activity_kinds(), in.kind)) errors.push_back({"kind", "Select what kind of activity it is"});
  std::string title = trim_copy(in.title);
  if (title.empty()) errors.push_back({"title", "Enter a title for the activity"});
  else if (title.size() > 200) errors.push_back({"title", "The title must be 200 characters or fewer"});
  std::string error;
  date_from_fields(in.day, in.month, in.year, "date", &error);
  if (!error.empty()) errors.push_back({"day", error});
  if (trim_copy(in.time).empty()) errors.push_back({"time", "Enter the start time"});
  else if (time_of_day(in.time).empty()) errors.push_back({"time", "Enter the start time as hours and minutes, like 14:30"});
  if (!whole(in.duration_minutes, 15, 1440)) {
    errors.push_back({"duration_minutes", "Enter how long it lasts in minutes, a whole number from 15 to 1440"});
  }
  if (trim_copy(in.place).empty() && trim_copy(in.link).empty()) {
    errors.push_back({"place", "Enter where it takes place, or a link to join online"});
  }
  if (in.place.size() > 1000) errors.push_back({"place", "The place must be 1,000 characters or fewer"});
  std::string link = trim_copy(in.link);
  if (!link.empty() && link.rfind("https://", 0) != 0 && link.rfind("http://", 0) != 0) {
    errors.push_back({"link", "Enter the link in full, starting https://"});
  } else if (link.size() > 1000) {
    errors.push_back({"link", "The link must be 1,000 characters or fewer"});
  }
  if (in.letter_text.size() > 20000) errors.push_back({"letter_text", "The invitation must be 20,000 characters or fewer"});
  if (in.easy_read_text.size() > 20000) {
    errors.push_back({"easy_read_text", "The Easy Read invitation must be 20,000 characters or fewer"});
  }
  return errors;
}

std::vector<FieldError> validate(const ActionInput& in) {
  std::vector<FieldError> errors;
  std::string said = trim_copy(in.you_said);
  if (said.empty()) errors.push_back({"you_said", "Enter what members said"});
  else if (said.size() > 4000) errors.push_back({"you_said", "What members said must be 4,000 characters or fewer"});
  if (in.we_did.size() > 4000) errors.push_back({"we_did", "What was done must be 4,000 characters or fewer"});
  std::string owner = trim_copy(in.owner);
  if (owner.empty()) errors.push_back({"owner", "Enter who owns the action"});
  else if (owner.size() > 200) errors.push_back({"owner", "The owner must be 200 characters or fewer"});
  if (!is_choice(action_statuses(), in.status)) errors.push_back({"status", "Select the action's status"});
  std::string error;
  date_from_fields(in.day, in.month, in.year, "due date", &error);
  if (!error.empty()) errors.push_back({"day", error});
  return errors;
}

StatusOr<Activity> Activities::create(int64_t org, int64_t group_id, const ActivityInput& in, const Actor& actor) {
  return store::in_write_transaction(
      db_, [&](Connection& c) -> StatusOr<Activity> { return create_in(c, org, group_id, in, actor); });
}

StatusOr<Activity> Activities::create_in(Connection& c, int64_t org, int64_t group_id, const ActivityInput& in,
                                         const Actor& actor) {
  auto errors = validate(in);
  if (!errors.empty()) return first_problem(errors);
  auto g = c.query("SELECT id FROM groups WHERE id = $1 AND organisation_id = $2", {group_id, org});
  if (!g.ok()) return g.status();
  if (g->empty()) return NotFound("There is no such group");
  std::string now = format_timestamp(clock_.now());
  auto ins = c.query(
      "INSERT INTO activities (organisation_id, group_id, kind, title, starts_at, duration_minutes, place, link,"
      " letter_text, easy_read_text, created_by, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
      {org, group_id, in.kind, trim_copy(in.title), starts_at(in), *whole(in.duration_minutes, 15, 1440),
       trim_copy(in.place), trim_copy(in.link), in.letter_text, in.easy_read_text, actor.user_id, now});
  if (!ins.ok()) return ins.status();
  int64_t new_id = ins->front().integer(0);
  if (Status s = record_action(c, clock_, org, actor, "activity.create", "activity", new_id); !s.ok()) return s;
  return load(c, org, new_id);
}

Status Activities::update(int64_t org, int64_t id, const ActivityInput& in, const Actor& actor) {
  auto errors = validate(in);
  if (!errors.empty()) return first_problem(errors);
  return in_activity(db_, org, id, [&](Connection& c, const Activity& /*activity*/) -> Status {
    auto upd = c.execute(
        "UPDATE activities SET kind = $1, title = $2, starts_at = $3, duration_minutes = $4, place = $5, link = $6,"
        " letter_text = $7, easy_read_text = $8, updated_at = $9 WHERE id = $10",
        {in.kind, trim_copy(in.title), starts_at(in), *whole(in.duration_minutes, 15, 1440), trim_copy(in.place),
         trim_copy(in.link), in.letter_text, in.easy_read_text, format_timestamp(clock_.now()), id});
    if (!upd.ok()) return upd.status();
    return record_action(c, clock_, org, actor, "activity.update", "activity", id);
  });
}

StatusOr<Activity> Activities::get(int64_t org, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return load(**c, org, id);
}

StatusOr<std::vector<Activity>> Activities::list(int64_t org, std::optional<int64_t> group_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  std::string sql = std::string("SELECT ") + kActivityColumns +
                    " FROM activities a JOIN groups g ON g.id = a.group_id WHERE a.organisation_id = $1";
  std::vector<store::Value> params{org};
  if (group_id) {
    sql += " AND a.group_id = $2";
    params.push_back(*group_id);
  }
  sql += " ORDER BY a.starts_at DESC, a.id DESC";
  auto rows = (*c)->query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<Activity> out;
  for (const auto& r : *rows) out.push_back(activity_from_row(r));
  return out;
}

StatusOr<std::vector<Activity>> Activities::starting_between(const std::string& from, const std::string& to) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kActivityColumns +
                              " FROM activities a JOIN groups g ON g.id = a.group_id WHERE a.status = 'scheduled'"
                              " AND a.starts_at >= $1 AND a.starts_at <= $2 ORDER BY a.starts_at, a.id",
                          {from, to});
  if (!rows.ok()) return rows.status();
  std::vector<Activity> out;
  for (const auto& r : *rows) out.push_back(activity_from_row(r));
  return out;
}

Status Activities::cancel(int64_t org, int64_t id, const Actor& actor) {
  return in_activity(db_, org, id, [&](Connection& c, const Activity& a) -> Status {
    if (a.status == "held") return Conflict("This activity has taken place, so it cannot be cancelled");
    auto upd = c.execute("UPDATE activities SET status = 'cancelled', updated_at = $1 WHERE id = $2",
                         {format_timestamp(clock_.now()), id});
    if (!upd.ok()) return upd.status();
    return record_action(c, clock_, org, actor, "activity.cancel", "activity", id);
  });
}

StatusOr<int> Activities::invite_members(int64_t org, int64_t id, const Actor& actor) {
  return in_activity(db_, org, id, [&](Connection& c, const Activity& a) -> StatusOr<int> {
    if (a.status == "cancelled") return Conflict("This activity was cancelled");
    auto rows = c.query(
        "SELECT p.id, p.formats, p.contact_by FROM group_members m JOIN people p ON p.id = m.person_id"
        " WHERE m.group_id = $1 AND m.status = 'accepted' AND p.erased_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM activity_invitations i WHERE i.activity_id = $2 AND i.person_id = p.id)"
        " ORDER BY p.id",
        {a.group_id, id});
    if (!rows.ok()) return rows.status();
    std::string now = format_timestamp(clock_.now());
    for (const auto& r : *rows) {
      involvement::PersonDetails d;
      d.formats = split_codes(r.text(1));
      d.contact_by = r.text(2);
      auto ins = c.execute(
          "INSERT INTO activity_invitations (activity_id, person_id, format, invited_at) VALUES ($1, $2, $3, $4)",
          {id, r.integer(0), invitation_format(d), now});
      if (!ins.ok()) return ins.status();
    }
    if (Status s = record_action(c, clock_, org, actor, "activity.invite", "activity", id); !s.ok()) return s;
    return static_cast<int>(rows->size());
  });
}

StatusOr<int> Activities::invite_people(int64_t org, int64_t id, const std::vector<int64_t>& person_ids,
                                       const std::string& role_level, const Actor& actor) {
  if (!is_choice(role_levels(), role_level)) return InvalidInput("'" + role_level + "' is not a role level");
  return store::in_write_transaction(
      db_, [&](Connection& c) -> StatusOr<int> { return invite_people_in(c, org, id, person_ids, role_level, actor); });
}

StatusOr<int> Activities::invite_people_in(Connection& c, int64_t org, int64_t id,
                                           const std::vector<int64_t>& person_ids, const std::string& role_level,
                                           const Actor& actor) {
  if (!is_choice(role_levels(), role_level)) return InvalidInput("'" + role_level + "' is not a role level");
  auto a = load(c, org, id);
  if (!a.ok()) return a.status();
  if (a->status == "cancelled") return Conflict("This activity was cancelled");
  std::string now = format_timestamp(clock_.now());
  int invited = 0;
  for (int64_t person : person_ids) {
    auto rows = c.query(
        "SELECT p.formats, p.contact_by FROM group_members m JOIN people p ON p.id = m.person_id"
        " WHERE m.group_id = $1 AND m.person_id = $2 AND m.status = 'accepted' AND p.erased_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM activity_invitations i WHERE i.activity_id = $3 AND i.person_id = p.id)",
        {a->group_id, person, id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) continue;
    involvement::PersonDetails d;
    d.formats = split_codes(rows->front().text(0));
    d.contact_by = rows->front().text(1);
    auto ins = c.execute(
        "INSERT INTO activity_invitations (activity_id, person_id, format, invited_at, role_level)"
        " VALUES ($1, $2, $3, $4, $5)",
        {id, person, invitation_format(d), now, role_level});
    if (!ins.ok()) return ins.status();
    ++invited;
  }
  if (Status s = record_action(c, clock_, org, actor, "activity.invite", "activity", id); !s.ok()) return s;
  return invited;
}

StatusOr<std::vector<Invitation>> Activities::invitations(int64_t org, int64_t id, const Actor& actor) {
  return in_activity(db_, org, id, [&](Connection& c, const Activity& /*activity*/) -> StatusOr<std::vector<Invitation>> {
    auto rows = c.query(
        "SELECT i.person_id, p.name, i.format, i.response, i.attendance, i.minutes, i.role_level, i.rated,"
        " p.access_needs, p.access_other, p.other_language, p.formats, p.payment, p.benefits_advice, p.erased_at"
        " FROM activity_invitations i JOIN people p ON p.id = i.person_id WHERE i.activity_id = $1 ORDER BY p.name, p.id",
        {id});
    if (!rows.ok()) return rows.status();
    if (Status s = record_action(c, clock_, org, actor, "activity.invitations-read", "activity", id); !s.ok()) return s;
    std::vector<Invitation> out;
    for (const auto& r : *rows) {
      Invitation inv;
      inv.person_id = r.integer(0);
      inv.name = r.text(14).empty() ? r.text(1) : "Erased person";
      inv.format = r.text(2);
      inv.response = r.text(3);
      inv.attendance = r.text(4);
      inv.minutes = static_cast<int>(r.integer(5));
      inv.role_level = r.text(6);
      inv.rated = r.integer(7) != 0;
      inv.access_needs = split_codes(r.text(8));
      inv.access_other = r.text(9);
      inv.other_language = r.text(10);
      inv.formats = split_codes(r.text(11));
      inv.payment = r.text(12);
      inv.benefits_advice = r.integer(13) != 0;
      out.push_back(std::move(inv));
    }
    return out;
  });
}

Status Activities::record_response(int64_t org, int64_t id, int64_t person_id, const std::string& response,
                                   const Actor& actor) {
  if (!is_choice(responses(), response)) {
    Location where;
    where.field = "response";
    return InvalidInput("Select whether they are coming", where);
  }
  return in_activity(db_, org, id, [&](Connection& c, const Activity& a) -> Status {
    if (a.status != "scheduled") return Conflict("Answers can only be recorded before the activity");
    auto upd = c.execute(
        "UPDATE activity_invitations SET response = $1, responded_at = $2 WHERE activity_id = $3 AND person_id = $4",
        {response, format_timestamp(clock_.now()), id, person_id});
    if (!upd.ok()) return upd.status();
    if (*upd == 0) return NotFound("That person was not invited to this activity");
    return record_action(c, clock_, org, actor, "activity.response", "person", person_id);
  });
}

Status Activities::record_attendance(int64_t org, int64_t id, const std::vector<AttendanceEntry>& entries,
                                     const Actor& actor, std::vector<FieldError>* problems) {
  return in_activity(db_, org, id, [&](Connection& c, const Activity& a) -> Status {
    if (a.status == "cancelled") return Conflict("This activity was cancelled");
    if (a.starts_at.substr(0, 10) > format_timestamp(clock_.now()).substr(0, 10)) {
      return Conflict("Attendance can be recorded from the day of the activity");
    }
    auto invited = c.query("SELECT person_id FROM activity_invitations WHERE activity_id = $1", {id});
    if (!invited.ok()) return invited.status();
    std::vector<int64_t> ids;
    for (const auto& r : *invited) ids.push_back(r.integer(0));
    std::vector<FieldError> found;
    for (const auto& e : entries) {
      std::string key = std::to_string(e.person_id);
      if (std::find(ids.begin(), ids.end(), e.person_id) == ids.end()) {
        found.push_back({"attendance-" + key, "Person " + key + " was not invited to this activity"});
        continue;
      }
      if (!is_choice(attendance_choices(), e.attendance)) {
        found.push_back({"attendance-" + key, "Select whether they attended, sent apologies or did not attend"});
        continue;
      }
      if (e.attendance == "attended" && !trim_copy(e.minutes).empty() && !whole(e.minutes, 1, 1440)) {
        found.push_back({"minutes-" + key, "Enter the minutes they took part, a whole number from 1 to 1440"});
      }
      if (!e.role_level.empty() && !is_choice(role_levels(), e.role_level)) {
        found.push_back({"role-" + key, "Select the role they held"});
      }
    }
    if (!found.empty()) {
      if (problems) *problems = found;
      return first_problem(found);
    }
    for (const auto& e : entries) {
      int minutes = 0;
      if (e.attendance == "attended") {
        auto typed = whole(e.minutes, 1, 1440);
        minutes = typed ? *typed : a.duration_minutes;
      }
      auto upd = c.execute(
          "UPDATE activity_invitations SET attendance = $1, minutes = $2,"
          " role_level = CASE WHEN $3 = '' THEN role_level ELSE $3 END WHERE activity_id = $4 AND person_id = $5",
          {e.attendance, minutes, e.role_level, id, e.person_id});
      if (!upd.ok()) return upd.status();
    }
    auto held = c.execute("UPDATE activities SET status = 'held', updated_at = $1 WHERE id = $2",
                          {format_timestamp(clock_.now()), id});
    if (!held.ok()) return held.status();
    return record_action(c, clock_, org, actor, "activity.attendance", "activity", id);
  });
}

Status Activities::save_outcome(int64_t org, int64_t id, const std::string& notes, const std::string& decisions,
                                const std::string& lead_rung, const Actor& actor) {
  std::vector<FieldError> errors;
  if (notes.size() > 50000) errors.push_back({"notes", "The notes must be 50,000 characters or fewer"});
  if (decisions.size() > 20000) errors.push_back({"decisions", "The decisions must be 20,000 characters or fewer"});
  const auto& rungs = involvement::ladder_rungs();
  if (!lead_rung.empty() && !is_choice(rungs, lead_rung)) {
    errors.push_back({"lead_rung", "Select the rung of the ladder the activity reached"});
  }
  if (!errors.empty()) return first_problem(errors);
  return in_activity(db_, org, id, [&](Connection& c, const Activity& /*activity*/) -> Status {
    auto upd = c.execute(
        "UPDATE activities SET notes = $1, decisions = $2, lead_rung = $3, updated_at = $4 WHERE id = $5",
        {notes, decisions, lead_rung, format_timestamp(clock_.now()), id});
    if (!upd.ok()) return upd.status();
    return record_action(c, clock_, org, actor, "activity.outcome", "activity", id);
  });
}

StatusOr<Action> Activities::add_action(int64_t org, int64_t id, const ActionInput& in, const Actor& actor) {
  auto errors = validate(in);
  if (!errors.empty()) return first_problem(errors);
  auto action_id = in_activity(db_, org, id, [&](Connection& c, const Activity& /*activity*/) -> StatusOr<int64_t> {
    auto ins = c.query(
        "INSERT INTO activity_actions (activity_id, you_said, we_did, owner, status, due_on, updated_at, done_on)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        {id, trim_copy(in.you_said), trim_copy(in.we_did), trim_copy(in.owner), in.status, due_on(in),
         format_timestamp(clock_.now()),
         in.status == "done" ? store::Value(format_timestamp(clock_.now()).substr(0, 10)) : store::Value()});
    if (!ins.ok()) return ins.status();
    int64_t new_id = ins->front().integer(0);
    if (Status s = record_action(c, clock_, org, actor, "action.create", "action", new_id); !s.ok()) return s;
    return new_id;
  });
  if (!action_id.ok()) return action_id.status();
  auto all = actions(org, id);
  if (!all.ok()) return all.status();
  for (const auto& act : *all) {
    if (act.id == *action_id) return act;
  }
  return NotFound("There is no such action");
}

Status Activities::update_action(int64_t org, int64_t id, int64_t action_id, const ActionInput& in,
                                 const Actor& actor) {
  auto errors = validate(in);
  if (!errors.empty()) return first_problem(errors);
  return in_activity(db_, org, id, [&](Connection& c, const Activity& /*activity*/) -> Status {
    auto upd = c.execute(
        // done_on keeps the day it was first marked done, for 'done by its date'.
        "UPDATE activity_actions SET you_said = $1, we_did = $2, owner = $3, status = $4, due_on = $5, updated_at = $6,"
        " done_on = CASE WHEN $4 = 'done' THEN COALESCE(done_on, $9) ELSE NULL END"
        " WHERE id = $7 AND activity_id = $8",
        {trim_copy(in.you_said), trim_copy(in.we_did), trim_copy(in.owner), in.status, due_on(in),
         format_timestamp(clock_.now()), action_id, id, format_timestamp(clock_.now()).substr(0, 10)});
    if (!upd.ok()) return upd.status();
    if (*upd == 0) return NotFound("There is no such action");
    return record_action(c, clock_, org, actor, "action.update", "action", action_id);
  });
}

namespace {
constexpr const char* kActionSelect =
    "SELECT x.id, x.activity_id, a.title, x.you_said, x.we_did, x.owner, x.status, x.due_on, x.updated_at"
    " FROM activity_actions x JOIN activities a ON a.id = x.activity_id";

StatusOr<std::vector<Action>> read_actions(Connection& c, const std::string& where, std::vector<store::Value> params) {
  auto rows = c.query(std::string(kActionSelect) + where + " ORDER BY x.due_on, x.id", params);
  if (!rows.ok()) return rows.status();
  std::vector<Action> out;
  for (const auto& r : *rows) {
    out.push_back({r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7),
                   r.text(8)});
  }
  return out;
}
}  // namespace

StatusOr<std::vector<Action>> Activities::actions(int64_t org, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return read_actions(**c, " WHERE x.activity_id = $1 AND a.organisation_id = $2", {id, org});
}

StatusOr<std::vector<Action>> Activities::group_actions(int64_t org, int64_t group_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return read_actions(**c, " WHERE a.group_id = $1 AND a.organisation_id = $2", {group_id, org});
}

Status Activities::rate(int64_t org, int64_t id, int64_t person_id, const std::string& rung) {
  if (!is_choice(involvement::ladder_rungs(), rung)) {
    Location where;
    where.field = "rung";
    return InvalidInput("Select the rung of the ladder you think the activity reached", where);
  }
  return in_activity(db_, org, id, [&](Connection& c, const Activity& /*activity*/) -> Status {
    auto upd = c.execute(
        "UPDATE activity_invitations SET rated = 1 WHERE activity_id = $1 AND person_id = $2"
        " AND attendance = 'attended' AND rated = 0",
        {id, person_id});
    if (!upd.ok()) return upd.status();
    if (*upd == 0) return Conflict("Only members who took part can rate an activity, and only once");
    // No person and no time: the rating cannot be traced back to who gave it.
    auto ins = c.execute("INSERT INTO activity_rung_ratings (activity_id, rung, source) VALUES ($1, $2, 'member')",
                         {id, rung});
    return ins.ok() ? Status() : ins.status();
  });
}

Status Activities::add_paper_ratings(int64_t org, int64_t id, const std::string& rung, const std::string& count,
                                     const Actor& actor) {
  std::vector<FieldError> errors;
  if (!is_choice(involvement::ladder_rungs(), rung)) errors.push_back({"rung", "Select the rung the paper forms gave"});
  auto n = whole(count, 1, 500);
  if (!n) errors.push_back({"count", "Enter how many paper forms gave this rung, a whole number from 1 to 500"});
  if (!errors.empty()) return first_problem(errors);
  return in_activity(db_, org, id, [&](Connection& c, const Activity& /*activity*/) -> Status {
    for (int i = 0; i < *n; ++i) {
      auto ins = c.execute("INSERT INTO activity_rung_ratings (activity_id, rung, source) VALUES ($1, $2, 'paper')",
                           {id, rung});
      if (!ins.ok()) return ins.status();
    }
    return record_action(c, clock_, org, actor, "activity.paper-ratings", "activity", id);
  });
}

StatusOr<RungRatings> Activities::ratings(int64_t org, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto a = load(**c, org, id);
  if (!a.ok()) return a.status();
  auto rows = (*c)->query(
      "SELECT source, rung, COUNT(*) FROM activity_rung_ratings WHERE activity_id = $1 GROUP BY source, rung", {id});
  if (!rows.ok()) return rows.status();
  RungRatings out;
  for (const auto& r : *rows) {
    int n = static_cast<int>(r.integer(2));
    if (r.text(0) == "paper") {
      out.paper[r.text(1)] = n;
      out.paper_total += n;
    } else {
      out.members[r.text(1)] = n;
      out.member_total += n;
    }
  }
  return out;
}

StatusOr<std::vector<PersonActivity>> Activities::for_person(int64_t org, int64_t person_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kActivityColumns +
                              ", i.response, i.attendance, i.minutes, i.rated FROM activity_invitations i"
                              " JOIN activities a ON a.id = i.activity_id JOIN groups g ON g.id = a.group_id"
                              " WHERE i.person_id = $1 AND a.organisation_id = $2 ORDER BY a.starts_at DESC",
                          {person_id, org});
  if (!rows.ok()) return rows.status();
  std::vector<PersonActivity> out;
  for (const auto& r : *rows) {
    out.push_back({activity_from_row(r), r.text(18), r.text(19), static_cast<int>(r.integer(20)), r.integer(21) != 0});
  }
  return out;
}

StatusOr<std::vector<int64_t>> Activities::person_groups(int64_t org, int64_t person_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT g.id FROM group_members m JOIN groups g ON g.id = m.group_id"
      " WHERE m.person_id = $1 AND g.organisation_id = $2 AND m.status = 'accepted' ORDER BY g.name",
      {person_id, org});
  if (!rows.ok()) return rows.status();
  std::vector<int64_t> out;
  for (const auto& r : *rows) out.push_back(r.integer(0));
  return out;
}

bool waits_for_rating(const PersonActivity& pa) { return pa.attendance == "attended" && !pa.rated; }

std::vector<PersonActivity> waiting_for_rating(const std::vector<PersonActivity>& mine) {
  std::vector<PersonActivity> out;
  std::copy_if(mine.begin(), mine.end(), std::back_inserter(out), waits_for_rating);
  return out;
}

}  // namespace coproduce::activities
