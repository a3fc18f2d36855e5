#include "learning/sessions.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/text.h"
#include "impact/measures.h"
#include "involvement/people.h"

namespace coproduce::learning {
namespace {

using store::Connection;

std::optional<long> whole(const std::string& typed) {
  std::string t = trim_copy(typed);
  long v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

// Trainer places each person has held in sessions not cancelled.
constexpr const char* kTaught =
    "SELECT i.person_id, COUNT(*) FROM learning_sessions s JOIN activities a ON a.id = s.activity_id"
    " JOIN activity_invitations i ON i.activity_id = a.id"
    " WHERE s.organisation_id = $1 AND a.status <> 'cancelled' AND i.role_level = 'trainer'"
    " AND i.attendance NOT IN ('apologies', 'did_not_attend') GROUP BY i.person_id";

StatusOr<std::map<int64_t, int>> taught(Connection& c, int64_t org) {
  auto rows = c.query(kTaught, {org});
  if (!rows.ok()) return rows.status();
  std::map<int64_t, int> out;
  for (const auto& r : *rows) out[r.integer(0)] = static_cast<int>(r.integer(1));
  return out;
}

StatusOr<int64_t> session_activity(Connection& c, int64_t org, int64_t id, int64_t* module_id) {
  auto row = c.query_one("SELECT activity_id, module_id FROM learning_sessions WHERE id = $1 AND organisation_id = $2",
                         {id, org});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such session");
    return row.status();
  }
  if (module_id) *module_id = row->integer(1);
  return row->integer(0);
}

}  // namespace

std::vector<int64_t> pick_trainers(std::vector<Candidate> candidates, size_t count, uint64_t seed) {
  std::mt19937_64 draw(seed);
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.person_id < b.person_id; });
  // Fisher-Yates with the generator's raw output (not std::shuffle, whose
  // use of it differs between standard libraries), so a seed gives the same
  // draw on every machine. The modulo's bias is below one in 10^17.
  for (size_t i = candidates.size(); i > 1; --i) {
    size_t j = static_cast<size_t>(draw() % i);
    std::swap(candidates[i - 1], candidates[j]);
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.sessions < b.sessions; });
  std::vector<int64_t> out;
  for (size_t i = 0; i < candidates.size() && i < count; ++i) out.push_back(candidates[i].person_id);
  return out;
}

std::vector<FieldError> validate(const SessionInput& in) {
  std::vector<FieldError> problems;
  auto module_id = whole(in.module_id);
  if (!module_id || *module_id < 1) problems.push_back({"module_id", "Choose the module the session teaches", Problem::kMissing});
  auto group_id = whole(in.group_id);
  if (!group_id || *group_id < 1)
    problems.push_back({"group_id", "Choose the group of co-trainers to draw trainers from", Problem::kMissing});
  auto trainers = whole(in.trainers);
  if (!trainers || *trainers < 1 || *trainers > 6)
    problems.push_back({"trainers", "Co-trainers must be a whole number from 1 to 6", Problem::kOutOfRange});
  activities::ActivityInput activity = in.activity;
  activity.kind = "training_session";
  for (auto& e : activities::validate(activity)) problems.push_back(std::move(e));
  return problems;
}

StatusOr<Session> Sessions::create(int64_t org, const SessionInput& in, uint64_t seed, const Actor& actor) {
  if (Status s = involvement::first_problem(validate(in)); !s.ok()) return s;
  auto module_id = whole(in.module_id);
  auto group_id = whole(in.group_id);
  auto trainers = whole(in.trainers);
  activities::ActivityInput activity = in.activity;
  activity.kind = "training_session";

  // One write transaction from the first read to the last write: the
  // members and how often each has taught are read as they stand when the
  // session is made, so of sessions planned at once each counts the others'
  // trainers, and a failure leaves no half-made session behind.
  activities::Activities acts(db_, clock_);
  auto id = store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<int64_t> {
    auto m = c.query("SELECT title FROM learning_modules WHERE id = $1 AND organisation_id = $2", {*module_id, org});
    if (!m.ok()) return m.status();
    if (m->empty())
      return involvement::first_problem({{"module_id", "There is no such learning module", Problem::kInvalid}});
    auto members = c.query(
        "SELECT m.person_id FROM group_members m JOIN groups g ON g.id = m.group_id JOIN people p ON p.id = m.person_id"
        " WHERE m.group_id = $1 AND g.organisation_id = $2 AND m.status = 'accepted' AND p.erased_at IS NULL",
        {*group_id, org});
    if (!members.ok()) return members.status();
    if (members->empty())
      return involvement::first_problem(
          {{"group_id", "No one holds a place on that group yet, so there is no one to co-deliver the session",
            Problem::kInvalid}});
    auto counts = taught(c, org);
    if (!counts.ok()) return counts.status();
    std::vector<Candidate> candidates;
    for (const auto& r : *members) candidates.push_back({r.integer(0), (*counts)[r.integer(0)]});
    auto a = acts.create_in(c, org, *group_id, activity, actor);
    if (!a.ok()) return a.status();
    std::vector<int64_t> chosen = pick_trainers(candidates, static_cast<size_t>(*trainers), seed);
    auto invited = acts.invite_people_in(c, org, a->id, chosen, "trainer", actor);
    if (!invited.ok()) return invited.status();
    auto row = c.query_one(
        "INSERT INTO learning_sessions (organisation_id, activity_id, module_id, created_at) VALUES ($1, $2, $3, $4)"
        " RETURNING id",
        {org, a->id, *module_id, format_timestamp(clock_.now())});
    if (!row.ok()) return row.status();
    if (Status s = involvement::record_action(c, clock_, org, actor, "session.create", "session", row->integer(0));
        !s.ok())
      return s;
    return row->integer(0);
  });
  if (!id.ok()) return id.status();
  return get(org, *id, actor);
}

StatusOr<std::vector<Session>> Sessions::list(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT s.id, s.module_id, m.title, s.activity_id,"
      " (SELECT COUNT(*) FROM learning_session_learners l WHERE l.session_id = s.id),"
      " (SELECT COUNT(*) FROM learning_session_learners l WHERE l.session_id = s.id AND l.attendance = 'attended')"
      " FROM learning_sessions s JOIN learning_modules m ON m.id = s.module_id WHERE s.organisation_id = $1",
      {org});
  if (!rows.ok()) return rows.status();
  activities::Activities acts(db_, clock_);
  std::vector<Session> out;
  for (const auto& r : *rows) {
    Session s;
    s.id = r.integer(0);
    s.module_id = r.integer(1);
    s.module_title = r.text(2);
    auto a = acts.get(org, r.integer(3));
    if (!a.ok()) return a.status();
    s.activity = std::move(*a);
    s.learners.resize(static_cast<size_t>(r.integer(4)));
    for (size_t i = 0; i < static_cast<size_t>(r.integer(5)) && i < s.learners.size(); ++i)
      s.learners[i].attendance = "attended";
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const Session& a, const Session& b) { return a.activity.starts_at > b.activity.starts_at; });
  return out;
}

StatusOr<Session> Sessions::get(int64_t org, int64_t id, const Actor& actor) {
  auto found = store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Session> {
    Session s;
    s.id = id;
    auto activity_id = session_activity(c, org, id, &s.module_id);
    if (!activity_id.ok()) return activity_id.status();
    s.activity.id = *activity_id;
    auto title = c.query_one("SELECT title FROM learning_modules WHERE id = $1", {s.module_id});
    if (!title.ok()) return title.status();
    s.module_title = title->text(0);
    auto trainers = c.query(
        "SELECT p.id, CASE WHEN p.erased_at IS NULL THEN p.name ELSE 'Erased person' END, i.attendance"
        " FROM activity_invitations i JOIN people p ON p.id = i.person_id"
        " WHERE i.activity_id = $1 AND i.role_level = 'trainer' ORDER BY p.name, p.id",
        {*activity_id});
    if (!trainers.ok()) return trainers.status();
    for (const auto& r : *trainers) s.trainers.push_back({r.integer(0), r.text(1), r.text(2)});
    auto learners = c.query(
        "SELECT w.id, w.worker_id, w.name, l.attendance FROM learning_session_learners l"
        " JOIN workers w ON w.id = l.worker_ref WHERE l.session_id = $1 ORDER BY w.name, w.id",
        {id});
    if (!learners.ok()) return learners.status();
    for (const auto& r : *learners) s.learners.push_back({r.integer(0), r.text(1), r.text(2), r.text(3)});
    if (Status st = involvement::record_action(c, clock_, org, actor, "session.read", "session", id); !st.ok())
      return st;
    return s;
  });
  if (!found.ok()) return found.status();
  auto a = activities::Activities(db_, clock_).get(org, found->activity.id);
  if (!a.ok()) return a.status();
  found->activity = std::move(*a);
  return found;
}

StatusOr<int> Sessions::book(int64_t org, int64_t id, const std::vector<int64_t>& worker_refs, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<int> {
    auto activity_id = session_activity(c, org, id, nullptr);
    if (!activity_id.ok()) return activity_id.status();
    auto a = c.query_one("SELECT substr(starts_at, 1, 10), status FROM activities WHERE id = $1", {*activity_id});
    if (!a.ok()) return a.status();
    if (a->text(1) == "cancelled") return Conflict("This session was cancelled");
    std::string day = a->text(0);
    int booked = 0;
    for (int64_t w : worker_refs) {
      auto ok = c.query(
          "SELECT 1 FROM workers w WHERE w.id = $1 AND w.organisation_id = $2 AND w.started_on <= $3"
          " AND (w.left_on IS NULL OR w.left_on >= $3)"
          " AND NOT EXISTS (SELECT 1 FROM learning_session_learners l WHERE l.session_id = $4 AND l.worker_ref = w.id)",
          {w, org, day, id});
      if (!ok.ok()) return ok.status();
      if (ok->empty()) continue;
      if (auto ins = c.execute("INSERT INTO learning_session_learners (session_id, worker_ref) VALUES ($1, $2)", {id, w});
          !ins.ok())
        return ins.status();
      ++booked;
    }
    if (Status s = involvement::record_action(c, clock_, org, actor, "session.book", "session", id); !s.ok()) return s;
    return booked;
  });
}

Status Sessions::record_attendance(int64_t org, int64_t id, const std::vector<int64_t>& attended, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    int64_t module_id = 0;
    auto activity_id = session_activity(c, org, id, &module_id);
    if (!activity_id.ok()) return activity_id.status();
    auto a = c.query_one("SELECT substr(starts_at, 1, 10), status FROM activities WHERE id = $1", {*activity_id});
    if (!a.ok()) return a.status();
    std::string day = a->text(0);
    if (a->text(1) == "cancelled") return Conflict("This session was cancelled");
    std::string now = format_timestamp(clock_.now());
    if (day > now.substr(0, 10))
      return involvement::first_problem(
          {{"attended", "Attendance can be recorded from the day of the session", Problem::kOutOfOrder}});
    std::set<int64_t> came(attended.begin(), attended.end());
    auto booked = c.query("SELECT worker_ref FROM learning_session_learners WHERE session_id = $1", {id});
    if (!booked.ok()) return booked.status();
    std::set<int64_t> on_list;
    for (const auto& r : *booked) on_list.insert(r.integer(0));
    for (int64_t w : came)
      if (!on_list.count(w))
        return involvement::first_problem({{"attended", "Only people booked on the session can attend it", Problem::kInvalid}});
    for (int64_t w : on_list) {
      bool yes = came.count(w) > 0;
      if (auto u = c.execute("UPDATE learning_session_learners SET attendance = $1 WHERE session_id = $2 AND worker_ref = $3",
                             {yes ? "attended" : "did_not_attend", id, w});
          !u.ok())
        return u.status();
      if (auto d = c.execute("DELETE FROM learning_completions WHERE session_id = $1 AND worker_ref = $2", {id, w}); !d.ok())
        return d.status();
      if (!yes) continue;
      auto ins = c.execute(
          "INSERT INTO learning_completions (organisation_id, worker_ref, module_id, completed_on, source, provider,"
          " how_delivered, session_id, created_by, created_at)"
          " VALUES ($1, $2, $3, $4, 'session', 'Co-delivered session', 'Face to face', $5, $6, $7)",
          {org, w, module_id, day, id, actor.user_id, now});
      if (!ins.ok()) return ins.status();
      if (Status s = involvement::record_action(c, clock_, org, actor, "worker.completion", "worker", w); !s.ok()) return s;
    }
    return involvement::record_action(c, clock_, org, actor, "session.attendance", "session", id);
  });
}

StatusOr<TrainerShare> Sessions::sharing(int64_t org) {
  auto conn = db_.connection();
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  TrainerShare out;
  auto counts = taught(c, org);
  if (!counts.ok()) return counts.status();
  auto people = c.query(
      "SELECT DISTINCT p.id, CASE WHEN p.erased_at IS NULL THEN p.name ELSE 'Erased person' END"
      " FROM group_members m JOIN people p ON p.id = m.person_id"
      " WHERE m.status = 'accepted' AND m.group_id IN"
      " (SELECT a.group_id FROM learning_sessions s JOIN activities a ON a.id = s.activity_id WHERE s.organisation_id = $1)",
      {org});
  if (!people.ok()) return people.status();
  std::map<int64_t, std::string> names;
  for (const auto& r : *people) names[r.integer(0)] = r.text(1);
  for (const auto& [person, n] : *counts)
    if (!names.count(person)) names[person] = "";  // taught, since left the group
  auto missing = c.query(
      "SELECT id, CASE WHEN erased_at IS NULL THEN name ELSE 'Erased person' END FROM people WHERE organisation_id = $1",
      {org});
  if (!missing.ok()) return missing.status();
  for (const auto& r : *missing)
    if (auto it = names.find(r.integer(0)); it != names.end() && it->second.empty()) it->second = r.text(1);
  std::vector<int64_t> places;
  for (const auto& [person, name] : names) {
    int n = counts->count(person) ? counts->at(person) : 0;
    out.rows.push_back({person, name, n});
    places.push_back(n);
  }
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const TrainerShare::Row& a, const TrainerShare::Row& b) { return a.sessions > b.sessions; });
  auto total = c.query_one(
      "SELECT COUNT(*) FROM learning_sessions s JOIN activities a ON a.id = s.activity_id"
      " WHERE s.organisation_id = $1 AND a.status <> 'cancelled'",
      {org});
  if (!total.ok()) return total.status();
  out.sessions = static_cast<int>(total->integer(0));
  out.top_decile_share = impact::top_decile_share(places);
  out.gini = impact::gini(places);
  return out;
}

}  // namespace coproduce::learning
