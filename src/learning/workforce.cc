#include "learning/workforce.h"

#include "core/dates.h"
#include "core/text.h"
#include "involvement/people.h"
#include "learning/vocab.h"

namespace coproduce::learning {
namespace {

using store::Connection;
using store::Row;

WorkerInput tidy(const WorkerInput& in) {
  WorkerInput out;
  for (auto [to, from] : {std::pair{&out.worker_id, &in.worker_id}, {&out.name, &in.name}, {&out.workplace, &in.workplace},
                          {&out.job_role, &in.job_role}, {&out.team, &in.team}, {&out.role_category, &in.role_category},
                          {&out.closeness, &in.closeness}, {&out.started_on, &in.started_on}, {&out.left_on, &in.left_on},
                          {&out.care_certificate, &in.care_certificate}, {&out.email, &in.email}})
    *to = trim_copy(*from);
  if (out.care_certificate.empty()) out.care_certificate = "not_started";
  if (!out.email.empty()) {
    std::string problem;
    std::string normal = normalise_email(out.email, &problem);
    if (problem.empty()) out.email = normal;
  }
  return out;
}

constexpr const char* kColumns =
    "id, organisation_id, worker_id, name, workplace, job_role, team, role_category, closeness, started_on,"
    " left_on, care_certificate, email, user_id, created_at, updated_at";

Worker worker_of(const Row& r) {
  Worker w;
  w.id = r.integer(0);
  w.organisation_id = r.integer(1);
  w.details = {r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7),
               r.text(8), r.text(9), r.text(10), r.text(11), r.text(12)};
  if (!r.is_null(13)) w.user_id = r.integer(13);
  w.created_at = r.text(14);
  w.updated_at = r.text(15);
  return w;
}

StatusOr<Worker> load(Connection& c, int64_t org, int64_t id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM workers WHERE id = $1 AND organisation_id = $2",
                         {id, org});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such worker");
    return row.status();
  }
  return worker_of(*row);
}

Status duplicate_id(const std::string& worker_id) {
  return Status(StatusCode::kConflict, "Worker ID " + worker_id + " is already used by another worker",
                Location{"", 0, 0, "worker_id"});
}

// Whether another worker of the organisation has `worker_id`.
StatusOr<bool> id_taken(Connection& c, int64_t org, const std::string& worker_id, int64_t except) {
  auto rows = c.query("SELECT id FROM workers WHERE organisation_id = $1 AND worker_id = $2 AND id <> $3",
                      {org, worker_id, except});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

// A learner account finds its worker by email, so two workers of one
// organisation may not share one.
Status email_free(Connection& c, int64_t org, const std::string& email, int64_t except) {
  if (email.empty()) return Status::Ok();
  auto rows = c.query("SELECT id FROM workers WHERE organisation_id = $1 AND email = $2 AND id <> $3",
                      {org, email, except});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::Ok();
  return Status(StatusCode::kConflict, "Another worker has the email address " + email + "; each needs their own",
                Location{"", 0, 0, "email"});
}

std::vector<store::Value> detail_values(const WorkerInput& d) {
  return {d.worker_id, d.name, d.workplace, d.job_role, d.team, d.role_category, d.closeness, d.started_on,
          d.left_on.empty() ? store::Value() : store::Value(d.left_on), d.care_certificate, d.email};
}

}  // namespace

std::vector<FieldError> validate(const WorkerInput& raw) {
  WorkerInput in = tidy(raw);
  std::vector<FieldError> out;
  auto text = [&](const char* field, const std::string& value, const char* what, bool required, size_t max) {
    if (value.empty()) {
      if (required) out.push_back({field, std::string("Enter ") + what, Problem::kMissing});
    } else if (utf8_length(value) > max) {
      out.push_back({field, std::string(1, static_cast<char>(std::toupper(what[0]))) + (what + 1) + " must be " +
                                std::to_string(max) + " characters or fewer",
                     Problem::kTooLong});
    }
  };
  text("worker_id", in.worker_id, "the worker ID", true, kMaxWorkerIdLength);
  text("name", in.name, "the worker's name", true, kMaxWorkerTextLength);
  text("workplace", in.workplace, "the workplace", false, kMaxWorkerTextLength);
  text("job_role", in.job_role, "the job role", false, kMaxWorkerTextLength);
  text("team", in.team, "the team", false, kMaxWorkerTextLength);
  auto code = [&](const char* field, const std::string& value, const Choices& choices, const char* what) {
    if (value.empty()) {
      out.push_back({field, std::string("Select ") + what, Problem::kMissing});
    } else if (!has_code(choices, value)) {
      std::string codes;
      for (const auto& c : choices) codes += (codes.empty() ? "" : ", ") + c.first;
      out.push_back({field, "'" + value + "' is not a known code for " + what + "; use one of " + codes,
                     Problem::kUnknownCode});
    }
  };
  code("role_category", in.role_category, role_categories(), "the role category");
  code("closeness", in.closeness, closeness_levels(), "how close the role is to direct care");
  if (in.started_on.empty()) {
    out.push_back({"started_on", "Enter the date the worker started", Problem::kMissing});
  } else if (!is_date(in.started_on)) {
    out.push_back({"started_on", "The start date must be a real date, like 2024-03-01", Problem::kNotADate});
  }
  if (!in.left_on.empty()) {
    if (!is_date(in.left_on)) {
      out.push_back({"left_on", "The leaving date must be a real date, like 2026-03-31", Problem::kNotADate});
    } else if (is_date(in.started_on) && in.left_on < in.started_on) {
      out.push_back({"left_on", "The leaving date must be on or after the start date", Problem::kOutOfOrder});
    }
  }
  if (!has_code(care_certificate_statuses(), in.care_certificate)) {
    out.push_back({"care_certificate",
                   "'" + in.care_certificate + "' is not a Care Certificate status; use completed, in_progress or "
                   "not_started",
                   Problem::kUnknownCode});
  }
  if (!in.email.empty()) {
    std::string problem;
    normalise_email(in.email, &problem);
    if (!problem.empty()) out.push_back({"email", problem, Problem::kInvalid});
  }
  return out;
}

bool Worker::in_post_on(const std::string& date) const {
  return details.started_on <= date && (details.left_on.empty() || details.left_on >= date);
}

nlohmann::json worker_json(const Worker& w) {
  const WorkerInput& d = w.details;
  return {{"id", w.id},
          {"worker_id", d.worker_id},
          {"name", d.name},
          {"workplace", d.workplace},
          {"job_role", d.job_role},
          {"team", d.team},
          {"role_category", d.role_category},
          {"closeness", d.closeness},
          {"started_on", d.started_on},
          {"left_on", d.left_on.empty() ? nlohmann::json() : nlohmann::json(d.left_on)},
          {"care_certificate", d.care_certificate},
          {"email", d.email},
          {"learner_account", w.user_id.has_value()}};
}

StatusOr<Worker> Workforce::add(int64_t org, const WorkerInput& raw, const Actor& actor) {
  WorkerInput d = tidy(raw);
  if (Status s = involvement::first_problem(validate(d)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Worker> {
    auto taken = id_taken(c, org, d.worker_id, 0);
    if (!taken.ok()) return taken.status();
    if (*taken) return duplicate_id(d.worker_id);
    if (Status s = email_free(c, org, d.email, 0); !s.ok()) return s;
    std::string now = format_timestamp(clock_.now());
    std::vector<store::Value> values = {org};
    for (auto& v : detail_values(d)) values.push_back(v);
    values.push_back(now);
    auto row = c.query_one(
        "INSERT INTO workers (organisation_id, worker_id, name, workplace, job_role, team, role_category, closeness,"
        " started_on, left_on, care_certificate, email, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        values);
    if (!row.ok()) return row.status();
    int64_t id = row->integer(0);
    if (Status s = involvement::record_action(c, clock_, org, actor, "worker.create", "worker", id); !s.ok()) return s;
    return load(c, org, id);
  });
}

StatusOr<Worker> Workforce::get(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Worker> {
    auto w = load(c, org, id);
    if (!w.ok()) return w;
    if (Status s = involvement::record_action(c, clock_, org, actor, "worker.read", "worker", id); !s.ok()) return s;
    return w;
  });
}

StatusOr<Worker> Workforce::update(int64_t org, int64_t id, const WorkerInput& raw, const Actor& actor) {
  WorkerInput d = tidy(raw);
  if (Status s = involvement::first_problem(validate(d)); !s.ok()) return s;
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Worker> {
    auto w = load(c, org, id);
    if (!w.ok()) return w.status();
    auto taken = id_taken(c, org, d.worker_id, id);
    if (!taken.ok()) return taken.status();
    if (*taken) return duplicate_id(d.worker_id);
    if (Status s = email_free(c, org, d.email, id); !s.ok()) return s;
    std::vector<store::Value> values = detail_values(d);
    values.push_back(format_timestamp(clock_.now()));
    values.push_back(id);
    auto upd = c.execute(
        "UPDATE workers SET worker_id = $1, name = $2, workplace = $3, job_role = $4, team = $5, role_category = $6,"
        " closeness = $7, started_on = $8, left_on = $9, care_certificate = $10, email = $11, updated_at = $12"
        " WHERE id = $13",
        values);
    if (!upd.ok()) return upd.status();
    if (Status s = involvement::record_action(c, clock_, org, actor, "worker.update", "worker", id); !s.ok()) return s;
    return load(c, org, id);
  });
}

Status Workforce::erase(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto w = load(c, org, id);
    if (!w.ok()) return w.status();
    for (const char* sql : {"DELETE FROM learning_completions WHERE worker_ref = $1",
                            "DELETE FROM learning_attempts WHERE worker_ref = $1",
                            "DELETE FROM learning_progress WHERE worker_ref = $1",
                            "DELETE FROM learning_session_learners WHERE worker_ref = $1",
                            "DELETE FROM workers WHERE id = $1"}) {
      if (auto d = c.execute(sql, {id}); !d.ok()) return d.status();
    }
    if (w->user_id) {
      // The learner account goes with the record: it can no longer sign in,
      // and keeps neither name nor email.
      int64_t user = *w->user_id;
      // An invitation not yet taken up dies with it.
      if (auto used = c.execute(
              "UPDATE invitations SET used_at = $1 WHERE used_at IS NULL AND purpose = 'user'"
              " AND organisation_id = $2 AND email = (SELECT email FROM users WHERE id = $3 AND role = 'learner')",
              {format_timestamp(clock_.now()), org, user});
          !used.ok())
        return used.status();
      for (const char* sql : {"DELETE FROM sessions WHERE user_id = $1", "DELETE FROM api_tokens WHERE user_id = $1",
                              "UPDATE users SET active = 0, name = '', password_hash = NULL,"
                              " email = 'erased-learner-' || CAST(id AS TEXT) WHERE id = $1 AND role = 'learner'"}) {
        if (auto d = c.execute(sql, {user}); !d.ok()) return d.status();
      }
    }
    return involvement::record_action(c, clock_, org, actor, "worker.erase", "worker", id);
  });
}

StatusOr<std::string> Workforce::invite(int64_t org, int64_t id, accounts::Accounts& accounts,
                                        const accounts::User& inviter, const std::string& address) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::string> {
    auto w = load(c, org, id);
    if (!w.ok()) return w.status();
    if (w->user_id) return Conflict(w->details.name + " has already been invited to a learner account");
    if (w->details.email.empty())
      return InvalidInput("Add the worker's email address before inviting them", Location{"", 0, 0, "invite"});
    auto invited =
        accounts.invite_user_in(c, inviter, w->details.email, w->details.name, security::Role::kLearner, address);
    if (!invited.ok()) return invited.status();
    if (auto link = c.execute("UPDATE workers SET user_id = $1 WHERE id = $2", {invited->user.id, id}); !link.ok())
      return link.status();
    if (Status s =
            involvement::record_action(c, clock_, org, {inviter.id, address}, "worker.link-account", "worker", id);
        !s.ok())
      return s;
    return std::move(invited->token);
  });
}

StatusOr<std::vector<Worker>> Workforce::search(int64_t org, const WorkerQuery& q, const Actor& actor,
                                                int64_t* total) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::vector<Worker>> {
    std::string where = " FROM workers WHERE organisation_id = $1";
    std::vector<store::Value> params = {org};
    auto param = [&](store::Value v) {
      params.push_back(std::move(v));
      return "$" + std::to_string(params.size());
    };
    std::string text = trim_copy(q.text);
    if (!text.empty()) {
      // % and _ typed are searched for as themselves.
      std::string escaped;
      for (char ch : text) {
        if (ch == '%' || ch == '_' || ch == '!') escaped += '!';
        escaped += ch;
      }
      std::string p = param("%" + escaped + "%");
      auto like = [&](const char* column) { return std::string(column) + " LIKE " + p + " ESCAPE '!'"; };
      where += " AND (" + like("worker_id") + " OR " + like("name") + " OR " + like("workplace") + " OR " +
               like("team") + ")";
    }
    if (!q.role_category.empty()) where += " AND role_category = " + param(q.role_category);
    if (!q.workplace.empty()) where += " AND workplace = " + param(q.workplace);
    if (q.current_only) {
      std::string today = param(format_timestamp(clock_.now()).substr(0, 10));
      where += " AND started_on <= " + today + " AND (left_on IS NULL OR left_on >= " + today + ")";
    }
    if (total) {
      auto n = c.query_one("SELECT COUNT(*)" + where, params);
      if (!n.ok()) return n.status();
      *total = n->integer(0);
    }
    int limit = q.limit < 1 ? 50 : (q.limit > 500 ? 500 : q.limit);
    std::string sql = std::string("SELECT ") + kColumns + where + " ORDER BY name, id LIMIT " + std::to_string(limit) +
                      " OFFSET " + std::to_string(q.offset < 0 ? 0 : q.offset);
    auto rows = c.query(sql, params);
    if (!rows.ok()) return rows.status();
    std::vector<Worker> out;
    for (const auto& r : *rows) out.push_back(worker_of(r));
    if (Status s = involvement::record_action(c, clock_, org, actor, "worker.list", "organisation", org); !s.ok())
      return s;
    return out;
  });
}

StatusOr<std::optional<int64_t>> Workforce::id_of(int64_t org, const std::string& worker_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query("SELECT id FROM workers WHERE organisation_id = $1 AND worker_id = $2",
                          {org, trim_copy(worker_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows->front().integer(0));
}

StatusOr<nlohmann::json> Workforce::download(int64_t org, int64_t id, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<nlohmann::json> {
    auto w = load(c, org, id);
    if (!w.ok()) return w.status();
    nlohmann::json out = {{"worker", worker_json(*w)}};
    auto done = c.query(
        "SELECT m.title, c.completed_on, c.source, c.provider, c.how_delivered FROM learning_completions c"
        " JOIN learning_modules m ON m.id = c.module_id WHERE c.worker_ref = $1 ORDER BY c.completed_on, c.id",
        {id});
    if (!done.ok()) return done.status();
    out["completions"] = nlohmann::json::array();
    for (const auto& r : *done)
      out["completions"].push_back({{"module", r.text(0)},
                                    {"completed_on", r.text(1)},
                                    {"source", r.text(2)},
                                    {"provider", r.text(3)},
                                    {"how_delivered", r.text(4)}});
    auto tries = c.query(
        "SELECT m.title, a.taken_at, a.correct, a.total, a.passed FROM learning_attempts a"
        " JOIN learning_modules m ON m.id = a.module_id WHERE a.worker_ref = $1 ORDER BY a.taken_at, a.id",
        {id});
    if (!tries.ok()) return tries.status();
    out["knowledge_checks"] = nlohmann::json::array();
    for (const auto& r : *tries)
      out["knowledge_checks"].push_back({{"module", r.text(0)},
                                         {"taken_at", r.text(1)},
                                         {"correct", r.integer(2)},
                                         {"questions", r.integer(3)},
                                         {"passed", r.integer(4) != 0}});
    if (Status s = involvement::record_action(c, clock_, org, actor, "worker.export", "worker", id); !s.ok()) return s;
    return out;
  });
}

StatusOr<std::optional<Worker>> Workforce::for_user(int64_t org, int64_t user_id, const std::string& email) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::optional<Worker>> {
    auto rows = c.query(std::string("SELECT ") + kColumns + " FROM workers WHERE organisation_id = $1 AND user_id = $2",
                        {org, user_id});
    if (!rows.ok()) return rows.status();
    if (!rows->empty()) return std::optional<Worker>(worker_of(rows->front()));
    if (email.empty()) return std::optional<Worker>();
    auto by_email = c.query(std::string("SELECT ") + kColumns +
                                " FROM workers WHERE organisation_id = $1 AND email = $2 AND user_id IS NULL ORDER BY id",
                            {org, email});
    if (!by_email.ok()) return by_email.status();
    if (by_email->size() != 1) return std::optional<Worker>();  // none, or not clear which
    Worker w = worker_of(by_email->front());
    if (auto link = c.execute("UPDATE workers SET user_id = $1 WHERE id = $2", {user_id, w.id}); !link.ok())
      return link.status();
    w.user_id = user_id;
    if (Status s = involvement::record_action(c, clock_, org, {user_id, ""}, "worker.link-account", "worker", w.id);
        !s.ok())
      return s;
    return std::optional<Worker>(std::move(w));
  });
}

}  // namespace coproduce::learning
