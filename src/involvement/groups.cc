#include "involvement/groups.h"

#include <algorithm>

#include "core/translatable.h"

#include "core/text.h"
#include "security/audit.h"
#include "security/crypto.h"

namespace coproduce::involvement {
namespace {

using store::Row;
using store::Transaction;
using store::TransactionMode;

constexpr const char* kGroupColumns =
    "id, organisation_id, name, purpose, setting, size, term_months, ladder_aim, public_page, created_at,"
    " (SELECT COUNT(*) FROM group_members m WHERE m.group_id = groups.id AND m.status = 'accepted')";

Group group_from_row(const Row& r) {
  return {r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), static_cast<int>(r.integer(5)),
          static_cast<int>(r.integer(6)), r.text(7), r.integer(8) != 0, r.text(9), static_cast<int>(r.integer(10))};
}

std::string label_of(const std::vector<std::pair<std::string, std::string>>& list, const std::string& code) {
  for (const auto& [c, l] : list) {
    if (c == code) return l;
  }
  return code;
}

bool whole_number(const std::string& text, int lo, int hi, int* out) {
  std::string t = trim_copy(text);
  if (t.empty() || t.size() > 6 || t.find_first_not_of("0123456789") != std::string::npos) return false;
  *out = std::stoi(t);
  return *out >= lo && *out <= hi;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& group_settings() {
  static const std::vector<std::pair<std::string, std::string>> kSettings = {
      {"nhs", "NHS"},
      {"council", "Council"},
      {"care_provider", "Care provider"},
      {"voluntary", "Voluntary or community organisation"},
      {"other", "Other"}};
  return kSettings;
}

const std::vector<std::pair<std::string, std::string>>& ladder_rungs() {
  static const std::vector<std::pair<std::string, std::string>> kRungs = {
      {"coercion", "Coercion"},         {"educating", "Educating"}, {"informing", "Informing"},
      {"consultation", "Consultation"}, {"engagement", "Engagement"}, {"co_design", "Co-design"},
      {"co_production", "Co-production"}};
  return kRungs;
}

const std::vector<std::pair<std::string, std::string>>& ladder_rungs_in_plain_words() {
  static const std::vector<std::pair<std::string, std::string>> kPlain = {
      {"coercion", N_("We had to be there, but we had no say")},
      {"educating", N_("They taught us about their plans")},
      {"informing", N_("We were told what had already been decided")},
      {"consultation", N_("We were asked what we thought, but they decided")},
      {"engagement", N_("We talked it over, and our ideas changed some things")},
      {"co_design", N_("We helped plan it, but they made the final choice")},
      {"co_production", N_("We made the decisions together")}};
  return kPlain;
}

std::string setting_label(const std::string& code) { return label_of(group_settings(), code); }
std::string rung_plain_words(const std::string& code) { return label_of(ladder_rungs_in_plain_words(), code); }
std::string rung_label(const std::string& code) { return label_of(ladder_rungs(), code); }

std::vector<FieldError> validate(const GroupInput& in) {
  std::vector<FieldError> errors;
  std::string name = trim_copy(in.name);
  if (name.empty()) errors.push_back({"name", "Enter the group's name"});
  else if (name.size() > 200) errors.push_back({"name", "The name must be 200 characters or fewer"});
  if (in.purpose.size() > 4000) errors.push_back({"purpose", "The purpose must be 4,000 characters or fewer"});
  auto known = [](const auto& list, const std::string& code) {
    return std::any_of(list.begin(), list.end(), [&](const auto& p) { return p.first == code; });
  };
  if (!known(group_settings(), in.setting)) errors.push_back({"setting", "Select where the group sits"});
  int n = 0;
  if (!whole_number(in.size, 2, 200, &n)) errors.push_back({"size", "Enter the number of members, a whole number from 2 to 200"});
  if (!whole_number(in.term_months, 1, 60, &n)) {
    errors.push_back({"term_months", "Enter the term in months, a whole number from 1 to 60"});
  }
  if (!known(ladder_rungs(), in.ladder_aim)) errors.push_back({"ladder_aim", "Select the rung of the ladder the group aims for"});
  return errors;
}

StatusOr<Group> Groups::create(int64_t org, const GroupInput& in, const Actor& actor) {
  if (Status s = first_problem(validate(in)); !s.ok()) return s;
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto ins = (*c)->query(
      "INSERT INTO groups (organisation_id, name, purpose, setting, size, term_months, ladder_aim, public_page,"
      " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {org, trim_copy(in.name), trim_copy(in.purpose), in.setting, std::stoi(trim_copy(in.size)),
       std::stoi(trim_copy(in.term_months)), in.ladder_aim, in.public_page ? 1 : 0, format_timestamp(clock_.now())});
  if (!ins.ok()) return ins.status();
  int64_t id = ins->front().integer(0);
  if (Status s = security::record_audit(**c, clock_, {org, actor.user_id, "group.create", "group", std::to_string(id),
                                                      actor.address});
      !s.ok()) {
    return s;
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  return get(org, id);
}

StatusOr<Group> Groups::get(int64_t org, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one(std::string("SELECT ") + kGroupColumns + " FROM groups WHERE id = $1 AND organisation_id = $2",
                             {id, org});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such group");
    return row.status();
  }
  return group_from_row(*row);
}

StatusOr<Group> Groups::get_public(int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one(std::string("SELECT ") + kGroupColumns + " FROM groups WHERE id = $1 AND public_page = 1",
                             {id});
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kNotFound) return NotFound("There is no such group");
    return row.status();
  }
  return group_from_row(*row);
}

StatusOr<std::vector<Group>> Groups::list(int64_t org) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kGroupColumns + " FROM groups WHERE organisation_id = $1 ORDER BY name",
                          {org});
  if (!rows.ok()) return rows.status();
  std::vector<Group> out;
  for (const auto& r : *rows) out.push_back(group_from_row(r));
  return out;
}

StatusOr<std::vector<Member>> Groups::members(int64_t org, int64_t group_id, const Actor& actor) {
  auto g = get(org, group_id);
  if (!g.ok()) return g.status();
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto rows = (*c)->query(
      "SELECT m.person_id, p.name, m.status, COALESCE(m.round_id, 0), m.invited_at FROM group_members m"
      " JOIN people p ON p.id = m.person_id WHERE m.group_id = $1 ORDER BY m.id",
      {group_id});
  if (!rows.ok()) return rows.status();
  if (Status s = security::record_audit(**c, clock_, {org, actor.user_id, "group.members-read", "group",
                                                      std::to_string(group_id), actor.address});
      !s.ok()) {
    return s;
  }
  if (Status s = tx.commit(); !s.ok()) return s;
  std::vector<Member> out;
  for (const auto& r : *rows) out.push_back({r.integer(0), r.text(1), r.text(2), r.integer(3), r.text(4)});
  return out;
}

StatusOr<std::vector<Groups::Membership>> Groups::memberships(int64_t org, int64_t person_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT g.id, g.name, m.status, m.invited_at FROM group_members m JOIN groups g ON g.id = m.group_id"
      " WHERE g.organisation_id = $1 AND m.person_id = $2 ORDER BY m.invited_at DESC",
      {org, person_id});
  if (!rows.ok()) return rows.status();
  std::vector<Membership> out;
  for (const auto& r : *rows) out.push_back({r.integer(0), r.text(1), r.text(2), r.text(3)});
  return out;
}

Status Groups::respond(int64_t org, int64_t group_id, int64_t person_id, bool accepted, const Actor& actor) {
  auto g = get(org, group_id);
  if (!g.ok()) return g.status();
  return store::in_write_transaction(db_, [&](store::Connection& c) -> Status {
    auto upd = c.execute(
        "UPDATE group_members SET status = $1, responded_at = $2 WHERE group_id = $3 AND person_id = $4"
        " AND status = 'invited'",
        {accepted ? "accepted" : "declined", format_timestamp(clock_.now()), group_id, person_id});
    if (!upd.ok()) return upd.status();
    if (*upd == 0) return NotFound("That person has no open invitation to this group");
    return security::record_audit(c, clock_, {org, actor.user_id, accepted ? "member.accept" : "member.decline",
                                              "person", std::to_string(person_id), actor.address});
  });
}

StatusOr<std::string> Groups::offer_link_in(store::Connection& c, int64_t org, int64_t group_id, int64_t person_id,
                                            std::optional<int64_t> round_id, int days) {
  std::string token = security::random_token();
  TimePoint now = clock_.now();
  auto ins = c.execute(
      "INSERT INTO offer_links (token_hash, organisation_id, group_id, person_id, round_id, created_at, expires_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {security::token_digest(token), org, group_id, person_id, round_id, format_timestamp(now),
       format_timestamp(now + std::chrono::hours(24 * days))});
  if (!ins.ok()) return ins.status();
  return token;
}

StatusOr<Groups::Offer> Groups::find_offer(const std::string& token) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT l.organisation_id, o.name, g.id, g.name, g.purpose, g.term_months, l.person_id, m.status, l.expires_at"
      " FROM offer_links l JOIN organisations o ON o.id = l.organisation_id JOIN groups g ON g.id = l.group_id"
      " JOIN group_members m ON m.group_id = l.group_id AND m.person_id = l.person_id"
      " WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2",
      {security::token_digest(token), format_timestamp(clock_.now())});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("This link has already been used or has run out");
  const auto& r = rows->front();
  return Offer{r.integer(0), r.text(1), r.integer(2), r.text(3), r.text(4), static_cast<int>(r.integer(5)),
               r.integer(6), r.text(7), r.text(8).substr(0, 10)};
}

Status Groups::respond_by_link(const std::string& token, bool accepted, const std::string& address) {
  auto offer = find_offer(token);
  if (!offer.ok()) return offer.status();
  return store::in_write_transaction(db_, [&](store::Connection& c) -> Status {
    std::string now = format_timestamp(clock_.now());
    auto used = c.execute("UPDATE offer_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
                          {now, security::token_digest(token)});
    if (!used.ok()) return used.status();
    if (*used != 1) return NotFound("This link has already been used");
    auto upd = c.execute(
        "UPDATE group_members SET status = $1, responded_at = $2 WHERE group_id = $3 AND person_id = $4"
        " AND status = 'invited'",
        {accepted ? "accepted" : "declined", now, offer->group_id, offer->person_id});
    if (!upd.ok()) return upd.status();
    if (*upd == 0) return Conflict("You have already answered this offer");
    return security::record_audit(c, clock_, {offer->organisation_id, std::nullopt,
                                              accepted ? "member.accept" : "member.decline", "person",
                                              std::to_string(offer->person_id), address});
  });
}

}  // namespace coproduce::involvement
