#include "accounts/accounts.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "security/audit.h"
#include "security/crypto.h"

namespace coproduce::accounts {
namespace {

using security::Role;
using store::Connection;
using store::Row;
using store::Transaction;
using store::TransactionMode;

constexpr size_t kMaxNameLength = 200;

Location field(const char* name) {
  Location l;
  l.field = name;
  return l;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

constexpr const char* kUserColumns =
    "u.id, u.organisation_id, o.name, o.fictional, u.email, u.name, u.role, u.password_hash, u.active";

User user_from_row(const Row& r) {
  User u;
  u.id = r.integer(0);
  u.organisation_id = r.integer(1);
  u.organisation_name = r.text(2);
  u.organisation_fictional = r.integer(3) != 0;
  u.email = r.text(4);
  u.name = r.text(5);
  u.role = security::parse_role(r.text(6)).value_or(Role::kParticipant);
  u.has_password = !r.is_null(7) && !r.text(7).empty();
  u.active = r.integer(8) != 0;
  return u;
}

std::string user_query(const char* where) {
  return std::string("SELECT ") + kUserColumns +
         " FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE " + where;
}

}  // namespace

std::string normalise_email(std::string_view email, std::string* problem) {
  return coproduce::normalise_email(email, problem);
}

// Marks a one-time link used, once: a second use (two requests at once)
// finds it used and gets NotFound with `used_message`.
Status use_invitation(Connection& c, const Clock& clock, int64_t id, const std::string& used_message) {
  auto used = c.execute("UPDATE invitations SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
                        {format_timestamp(clock.now()), id});
  if (!used.ok()) return used.status();
  if (*used != 1) return NotFound(used_message);
  return Status::Ok();
}

Accounts::Accounts(store::Database& db, const Clock& clock, ThrottlePolicy throttle)
    : db_(db), clock_(clock), throttle_(throttle) {}

StatusOr<Connection*> Accounts::conn() { return db_.connection(); }

StatusOr<Organisation> Accounts::create_organisation_in(Connection& c, const std::string& raw_name, bool fictional,
                                                        std::optional<int64_t> actor, const std::string& address) {
  std::string name = trim(raw_name);
  if (name.empty()) return InvalidInput("Enter the organisation's name", field("organisation_name"));
  if (name.size() > kMaxNameLength) {
    return InvalidInput("Organisation name must be 200 characters or fewer", field("organisation_name"));
  }
  std::string now = format_timestamp(clock_.now());
  auto rows = c.query("INSERT INTO organisations (name, fictional, created_at) VALUES ($1, $2, $3) RETURNING id",
                      {name, fictional ? 1 : 0, now});
  if (!rows.ok()) {
    if (rows.status().code() == StatusCode::kConflict) {
      return InvalidInput("An organisation called '" + name + "' already exists", field("organisation_name"));
    }
    return rows.status();
  }
  Organisation o{(*rows)[0].integer(0), name, fictional, now};
  if (Status s = security::record_audit(c, clock_, {o.id, actor, "organisation.create", "organisation",
                                                    std::to_string(o.id), address});
      !s.ok()) {
    return s;
  }
  return o;
}

StatusOr<Organisation> Accounts::create_organisation(const std::string& name, bool fictional,
                                                     std::optional<int64_t> actor, const std::string& address) {
  auto c = conn();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto o = create_organisation_in(**c, name, fictional, actor, address);
  if (!o.ok()) return o;
  if (Status s = tx.commit(); !s.ok()) return s;
  return o;
}

StatusOr<std::string> Accounts::create_organisation_with_admin(const std::string& name, const std::string& admin_email,
                                                             const User& actor, const std::string& address) {
  auto c = conn();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto o = create_organisation_in(**c, name, false, actor.id, address);
  if (!o.ok()) return o.status();
  auto marked = (*c)->execute("UPDATE organisations SET created_by_organisation_id = $1 WHERE id = $2",
                              {actor.organisation_id, o->id});
  if (!marked.ok()) return marked.status();
  // The creating organisation's log records the creation too.
  if (Status s = security::record_audit(**c, clock_, {actor.organisation_id, actor.id, "organisation.create",
                                                      "organisation", std::to_string(o->id), address});
      !s.ok()) {
    return s;
  }
  auto u = create_user_in(**c, o->id, admin_email, "", Role::kAdministrator, "", actor.id, address);
  if (!u.ok()) return u.status();
  auto token = new_invitation(**c, "user", o->id, u->email, std::string(security::role_name(Role::kAdministrator)),
                              actor.id);
  if (!token.ok()) return token;
  if (Status s = tx.commit(); !s.ok()) return s;
  return token;
}

StatusOr<std::string> Accounts::invite_user(const User& actor, const std::string& email, const std::string& name,
                                            Role role, const std::string& address) {
  auto c = conn();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto invited = invite_user_in(**c, actor, email, name, role, address);
  if (!invited.ok()) return invited.status();
  if (Status s = tx.commit(); !s.ok()) return s;
  return invited->token;
}

StatusOr<Accounts::Invited> Accounts::invite_user_in(Connection& c, const User& actor, const std::string& email,
                                                     const std::string& name, Role role, const std::string& address) {
  auto u = create_user_in(c, actor.organisation_id, email, name, role, "", actor.id, address);
  if (!u.ok()) return u.status();
  auto token =
      new_invitation(c, "user", actor.organisation_id, u->email, std::string(security::role_name(role)), actor.id);
  if (!token.ok()) return token.status();
  return Invited{std::move(*u), std::move(*token)};
}

StatusOr<std::vector<Organisation>> Accounts::organisations_visible_to(const User& user) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT id, name, fictional, created_at FROM organisations WHERE id = $1 OR created_by_organisation_id = $1"
      " ORDER BY name",
      {user.organisation_id});
  if (!rows.ok()) return rows.status();
  std::vector<Organisation> out;
  for (const auto& r : *rows) out.push_back({r.integer(0), r.text(1), r.integer(2) != 0, r.text(3)});
  return out;
}

StatusOr<Organisation> Accounts::find_organisation(const std::string& name) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one("SELECT id, name, fictional, created_at FROM organisations WHERE name = $1",
                             {trim(name)});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no organisation called '" + trim(name) + "'");
    return row.status();
  }
  return Organisation{row->integer(0), row->text(1), row->integer(2) != 0, row->text(3)};
}

StatusOr<Organisation> Accounts::organisation(int64_t id) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one("SELECT id, name, fictional, created_at FROM organisations WHERE id = $1", {id});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such organisation");
    return row.status();
  }
  return Organisation{row->integer(0), row->text(1), row->integer(2) != 0, row->text(3)};
}

StatusOr<std::vector<Organisation>> Accounts::list_organisations() {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query("SELECT id, name, fictional, created_at FROM organisations ORDER BY name");
  if (!rows.ok()) return rows.status();
  std::vector<Organisation> out;
  for (const auto& r : *rows) out.push_back({r.integer(0), r.text(1), r.integer(2) != 0, r.text(3)});
  return out;
}

StatusOr<int64_t> Accounts::count_users(int64_t organisation_id) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one("SELECT COUNT(*) FROM users WHERE organisation_id = $1", {organisation_id});
  if (!row.ok()) return row.status();
  return row->integer(0);
}

StatusOr<User> Accounts::create_user_in(Connection& c, int64_t organisation_id, const std::string& raw_email,
                                        const std::string& raw_name, Role role, const std::string& password,
                                        std::optional<int64_t> actor, const std::string& address) {
  std::string problem;
  std::string email = normalise_email(raw_email, &problem);
  if (!problem.empty()) return InvalidInput(problem, field("email"));
  std::string name = trim(raw_name);
  if (name.size() > kMaxNameLength) return InvalidInput("Name must be 200 characters or fewer", field("name"));
  std::optional<std::string> hash;
  if (!password.empty()) {
    if (std::string p = security::password_problem(password); !p.empty()) return InvalidInput(p, field("password"));
    auto h = security::hash_password(password);
    if (!h.ok()) return h.status();
    hash = *h;
  }
  auto rows = c.query(
      "INSERT INTO users (organisation_id, email, name, role, password_hash, active, created_at)"
      " VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
      {organisation_id, email, name, std::string(security::role_name(role)), hash, format_timestamp(clock_.now())});
  if (!rows.ok()) {
    if (rows.status().code() == StatusCode::kConflict) {
      return InvalidInput("There is already an account for " + email, field("email"));
    }
    return rows.status();
  }
  int64_t id = (*rows)[0].integer(0);
  if (Status s = security::record_audit(c, clock_, {organisation_id, actor, "user.create", "user",
                                                    std::to_string(id), address});
      !s.ok()) {
    return s;
  }
  auto row = c.query_one(user_query("u.id = $1"), {id});
  if (!row.ok()) return row.status();
  return user_from_row(*row);
}

StatusOr<User> Accounts::create_user(int64_t organisation_id, const std::string& email, const std::string& name,
                                     Role role, const std::string& password, std::optional<int64_t> actor,
                                     const std::string& address) {
  auto c = conn();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto u = create_user_in(**c, organisation_id, email, name, role, password, actor, address);
  if (!u.ok()) return u;
  if (Status s = tx.commit(); !s.ok()) return s;
  return u;
}

Status Accounts::set_password(int64_t user_id, const std::string& password, const std::string& address) {
  if (std::string p = security::password_problem(password); !p.empty()) return InvalidInput(p, field("password"));
  auto hash = security::hash_password(password);
  if (!hash.ok()) return hash.status();
  auto user = find_user(user_id);
  if (!user.ok()) return user.status();
  auto c = conn();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto upd = (*c)->execute("UPDATE users SET password_hash = $1 WHERE id = $2", {*hash, user_id});
  if (!upd.ok()) return upd.status();
  if (Status s = security::record_audit(**c, clock_, {user->organisation_id, std::nullopt, "user.password-set", "user",
                                                      std::to_string(user_id), address});
      !s.ok()) {
    return s;
  }
  return tx.commit();
}

StatusOr<User> Accounts::find_user_by_email(const std::string& raw_email) {
  std::string problem;
  std::string email = normalise_email(raw_email, &problem);
  auto c = conn();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one(user_query("u.email = $1"), {email});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no account for " + email);
    return row.status();
  }
  return user_from_row(*row);
}

StatusOr<User> Accounts::find_user(int64_t id) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one(user_query("u.id = $1"), {id});
  if (!row.ok()) return row.status();
  return user_from_row(*row);
}

StatusOr<std::vector<User>> Accounts::list_users(int64_t organisation_id) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(user_query("u.organisation_id = $1 ORDER BY u.email"), {organisation_id});
  if (!rows.ok()) return rows.status();
  std::vector<User> out;
  for (const auto& r : *rows) out.push_back(user_from_row(r));
  return out;
}

StatusOr<bool> Accounts::any_users() {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one("SELECT COUNT(*) FROM users");
  if (!row.ok()) return row.status();
  return row->integer(0) > 0;
}

StatusOr<SignInResult> Accounts::sign_in(const std::string& raw_email, const std::string& password,
                                         const std::string& address) {
  auto c_or = conn();
  if (!c_or.ok()) return c_or.status();
  Connection& c = **c_or;
  std::string problem;
  std::string email = normalise_email(raw_email, &problem);
  std::string account_key = "account:" + security::token_digest(email);
  std::string address_key = "address:" + address;
  TimePoint now = clock_.now();
  std::string since = format_timestamp(now - throttle_.window);

  Transaction tx(c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto failures = [&](const std::string& key) -> StatusOr<int64_t> {
    auto row = c.query_one("SELECT COUNT(*) FROM sign_in_failures WHERE throttle_key = $1 AND at > $2", {key, since});
    if (!row.ok()) return row.status();
    return row->integer(0);
  };
  auto by_account = failures(account_key);
  if (!by_account.ok()) return by_account.status();
  auto by_address = failures(address_key);
  if (!by_address.ok()) return by_address.status();

  SignInResult result;
  auto row = c.query(user_query("u.email = $1"), {email});
  if (!row.ok()) return row.status();
  std::optional<User> user;
  std::string hash;
  if (!row->empty()) {
    user = user_from_row(row->front());
    auto h = c.query_one("SELECT COALESCE(password_hash, '') FROM users WHERE id = $1", {user->id});
    if (!h.ok()) return h.status();
    hash = h->text(0);
  }
  std::optional<int64_t> org = user ? std::optional<int64_t>(user->organisation_id) : std::nullopt;
  std::optional<int64_t> uid = user ? std::optional<int64_t>(user->id) : std::nullopt;

  if (*by_account >= throttle_.per_account || *by_address >= throttle_.per_address) {
    result.outcome = SignInOutcome::kThrottled;
    if (Status s = security::record_audit(c, clock_, {org, uid, "sign-in.throttled", "user",
                                                      uid ? std::to_string(*uid) : "", address});
        !s.ok()) {
      return s;
    }
  } else if (user && user->active && security::verify_password(password, hash)) {
    result.outcome = SignInOutcome::kSignedIn;
    result.session_token = security::random_token();
    auto ins = c.execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                         {security::token_digest(result.session_token), user->id, format_timestamp(now),
                          format_timestamp(now + kSessionLifetime)});
    if (!ins.ok()) return ins.status();
    // Expired sessions are swept here rather than by a background job.
    if (auto d = c.execute("DELETE FROM sessions WHERE expires_at < $1", {format_timestamp(now)}); !d.ok()) {
      return d.status();
    }
    if (auto d = c.execute("DELETE FROM sign_in_failures WHERE throttle_key = $1", {account_key}); !d.ok()) {
      return d.status();
    }
    if (Status s = security::record_audit(c, clock_, {org, uid, "sign-in", "user", std::to_string(*uid), address});
        !s.ok()) {
      return s;
    }
    result.user = user;
  } else {
    // Spend the same time whether or not the account exists, so timing does
    // not reveal which email addresses have accounts.
    static const std::string kDummyHash = security::hash_password("not a real password").value();
    if (!user) (void)security::verify_password(password, kDummyHash);
    result.outcome = SignInOutcome::kWrongCredentials;
    for (const std::string& key : {account_key, address_key}) {
      auto ins = c.execute("INSERT INTO sign_in_failures (throttle_key, at) VALUES ($1, $2)", {key, format_timestamp(now)});
      if (!ins.ok()) return ins.status();
    }
    if (Status s = security::record_audit(c, clock_, {org, uid, "sign-in.failed", "user",
                                                      uid ? std::to_string(*uid) : "", address});
        !s.ok()) {
      return s;
    }
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  return result;
}

StatusOr<std::optional<User>> Accounts::user_for_session(const std::string& token) {
  if (token.empty()) return std::optional<User>();
  auto c = conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(user_query("u.id = (SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2)"
                                     " AND u.active = 1"),
                          {security::token_digest(token), format_timestamp(clock_.now())});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<User>();
  return std::optional<User>(user_from_row(rows->front()));
}

Status Accounts::sign_out(const std::string& token, const std::string& address) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto user = user_for_session(token);
  if (!user.ok()) return user.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  if (auto d = (*c)->execute("DELETE FROM sessions WHERE token_hash = $1", {security::token_digest(token)}); !d.ok()) {
    return d.status();
  }
  if (*user) {
    const User& u = **user;
    if (Status s = security::record_audit(**c, clock_, {u.organisation_id, u.id, "sign-out", "user",
                                                        std::to_string(u.id), address});
        !s.ok()) {
      return s;
    }
  }
  return tx.commit();
}

StatusOr<std::string> Accounts::create_api_token(int64_t user_id) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto user = find_user(user_id);
  if (!user.ok()) return user.status();
  std::string token = security::random_token();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto ins = (*c)->execute("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
                           {security::token_digest(token), user_id, format_timestamp(clock_.now())});
  if (!ins.ok()) return ins.status();
  if (Status s = security::record_audit(**c, clock_, {user->organisation_id, std::nullopt, "api-token.create", "user",
                                                      std::to_string(user_id), "command line"});
      !s.ok()) {
    return s;
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  return token;
}

StatusOr<std::optional<User>> Accounts::user_for_api_token(const std::string& token) {
  if (token.empty()) return std::optional<User>();
  auto c = conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(user_query("u.id = (SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL)"
                                     " AND u.active = 1"),
                          {security::token_digest(token)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<User>();
  return std::optional<User>(user_from_row(rows->front()));
}

StatusOr<std::string> Accounts::new_invitation(Connection& c, const std::string& purpose,
                                               std::optional<int64_t> organisation_id, const std::string& email,
                                               const std::string& role, std::optional<int64_t> actor) {
  std::string token = security::random_token();
  TimePoint now = clock_.now();
  auto ins = c.execute(
      "INSERT INTO invitations (token_hash, purpose, organisation_id, email, role, created_by, created_at, expires_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {security::token_digest(token), purpose, organisation_id, email, role, actor, format_timestamp(now),
       format_timestamp(now + kInvitationLifetime)});
  if (!ins.ok()) return ins.status();
  return token;
}

StatusOr<std::string> Accounts::create_setup_invitation() {
  auto c = conn();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  // Only the newest first-run link works.
  if (auto d = (*c)->execute("UPDATE invitations SET used_at = $1 WHERE purpose = 'setup' AND used_at IS NULL",
                             {format_timestamp(clock_.now())});
      !d.ok()) {
    return d.status();
  }
  auto token = new_invitation(**c, "setup", std::nullopt, "", "", std::nullopt);
  if (!token.ok()) return token;
  if (Status s = tx.commit(); !s.ok()) return s;
  return token;
}

StatusOr<std::string> Accounts::create_user_invitation(int64_t organisation_id, const std::string& email,
                                                       Role role, std::optional<int64_t> actor) {
  auto c = conn();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto token = new_invitation(**c, "user", organisation_id, email, std::string(security::role_name(role)), actor);
  if (!token.ok()) return token;
  if (Status s = tx.commit(); !s.ok()) return s;
  return token;
}

StatusOr<std::optional<Invitation>> Accounts::find_invitation(const std::string& token) {
  auto c = conn();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT i.id, i.purpose, i.organisation_id, COALESCE(o.name, ''), i.email, i.role FROM invitations i"
      " LEFT JOIN organisations o ON o.id = i.organisation_id"
      " WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2",
      {security::token_digest(token), format_timestamp(clock_.now())});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Invitation>();
  const Row& r = rows->front();
  Invitation inv;
  inv.id = r.integer(0);
  inv.purpose = r.text(1);
  if (!r.is_null(2)) inv.organisation_id = r.integer(2);
  inv.organisation_name = r.text(3);
  inv.email = r.text(4);
  inv.role = security::parse_role(r.text(5));
  return std::optional<Invitation>(inv);
}

StatusOr<User> Accounts::accept_setup(const std::string& token, const std::string& organisation_name,
                                      const std::string& name, const std::string& email, const std::string& password,
                                      const std::string& address) {
  auto c_or = conn();
  if (!c_or.ok()) return c_or.status();
  Connection& c = **c_or;
  Transaction tx(c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  // Marking the invitation used first, inside the write transaction, makes
  // the link single-use even when two people submit it at once.
  auto used = c.execute(
      "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND purpose = 'setup' AND used_at IS NULL"
      " AND expires_at > $1",
      {format_timestamp(clock_.now()), security::token_digest(token)});
  if (!used.ok()) return used.status();
  if (*used != 1) return NotFound("This set-up link has already been used or has expired");
  if (trim(name).empty()) return InvalidInput("Enter your name", field("name"));
  if (password.empty()) return InvalidInput("Enter a password", field("password"));
  auto org = create_organisation_in(c, organisation_name, false, std::nullopt, address);
  if (!org.ok()) return org.status();
  auto user = create_user_in(c, org->id, email, name, Role::kAdministrator, password, std::nullopt, address);
  if (!user.ok()) return user.status();
  if (Status s = tx.commit(); !s.ok()) return s;
  return user;
}

StatusOr<User> Accounts::accept_invitation(const std::string& token, const std::string& name,
                                           const std::string& password, const std::string& address) {
  auto inv = find_invitation(token);
  if (!inv.ok()) return inv.status();
  if (!*inv || (*inv)->purpose != "user" || !(*inv)->organisation_id || !(*inv)->role) {
    return NotFound("This invitation link has already been used or has expired");
  }
  if (trim(name).empty()) return InvalidInput("Enter your name", field("name"));
  if (std::string p = security::password_problem(password); !p.empty()) return InvalidInput(p, field("password"));
  auto c_or = conn();
  if (!c_or.ok()) return c_or.status();
  Connection& c = **c_or;
  Transaction tx(c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  if (Status s = use_invitation(c, clock_, (*inv)->id, "This invitation link has already been used"); !s.ok()) return s;
  auto hash = security::hash_password(password);
  if (!hash.ok()) return hash.status();
  auto upd = c.query("UPDATE users SET name = $1, password_hash = $2 WHERE email = $3 AND organisation_id = $4"
                     " RETURNING id",
                     {trim(name), *hash, (*inv)->email, *(*inv)->organisation_id});
  if (!upd.ok()) return upd.status();
  if (upd->empty()) return NotFound("The invited account no longer exists");
  int64_t id = upd->front().integer(0);
  if (Status s = security::record_audit(c, clock_, {(*inv)->organisation_id, id, "invitation.accept", "user",
                                                    std::to_string(id), address});
      !s.ok()) {
    return s;
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  return find_user(id);
}

StatusOr<std::optional<Accounts::ResetLink>> Accounts::password_reset_link(const std::string& email,
                                                                           const std::string& address) {
  auto c_or = conn();
  if (!c_or.ok()) return c_or.status();
  Connection& c = **c_or;
  Transaction tx(c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  std::string problem;
  std::string address_of = normalise_email(email, &problem);
  if (!problem.empty()) return std::optional<ResetLink>();
  auto rows = c.query(
      "SELECT id, organisation_id FROM users WHERE email = $1 AND active = 1 AND password_hash IS NOT NULL"
      " AND password_hash <> ''",
      {address_of});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<ResetLink>();
  int64_t id = rows->front().integer(0);
  int64_t org = rows->front().integer(1);
  TimePoint now = clock_.now();
  auto old = c.execute("UPDATE invitations SET used_at = $1 WHERE purpose = 'reset' AND email = $2 AND used_at IS NULL",
                       {format_timestamp(now), address_of});
  if (!old.ok()) return old.status();
  auto token = new_invitation(c, "reset", org, address_of, "", id);
  if (!token.ok()) return token.status();
  auto shorter = c.execute("UPDATE invitations SET expires_at = $1 WHERE token_hash = $2",
                           {format_timestamp(now + kResetLifetime), security::token_digest(*token)});
  if (!shorter.ok()) return shorter.status();
  if (Status s = security::record_audit(c, clock_, {org, id, "password.reset-requested", "user", std::to_string(id),
                                                    address});
      !s.ok()) {
    return s;
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  auto user = find_user(id);
  if (!user.ok()) return user.status();
  return std::optional<ResetLink>(ResetLink{*user, *token});
}

StatusOr<User> Accounts::reset_password(const std::string& token, const std::string& password,
                                        const std::string& address) {
  auto inv = find_invitation(token);
  if (!inv.ok()) return inv.status();
  if (!*inv || (*inv)->purpose != "reset" || !(*inv)->organisation_id) {
    return NotFound("This link has already been used or has expired");
  }
  if (std::string p = security::password_problem(password); !p.empty()) return InvalidInput(p, field("password"));
  auto hash = security::hash_password(password);
  if (!hash.ok()) return hash.status();
  auto c_or = conn();
  if (!c_or.ok()) return c_or.status();
  Connection& c = **c_or;
  Transaction tx(c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  if (Status s = use_invitation(c, clock_, (*inv)->id, "This link has already been used"); !s.ok()) return s;
  auto upd = c.query("UPDATE users SET password_hash = $1 WHERE email = $2 AND organisation_id = $3 AND active = 1"
                     " RETURNING id",
                     {*hash, (*inv)->email, *(*inv)->organisation_id});
  if (!upd.ok()) return upd.status();
  if (upd->empty()) return NotFound("The account no longer exists");
  int64_t id = upd->front().integer(0);
  // Whoever knew the old password is signed out everywhere.
  if (auto gone = c.execute("DELETE FROM sessions WHERE user_id = $1", {id}); !gone.ok()) return gone.status();
  if (Status s = security::record_audit(c, clock_, {(*inv)->organisation_id, id, "password.reset", "user",
                                                    std::to_string(id), address});
      !s.ok()) {
    return s;
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  return find_user(id);
}

}  // namespace coproduce::accounts
