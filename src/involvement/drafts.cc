#include "involvement/drafts.h"

#include "security/crypto.h"

namespace coproduce::involvement {
namespace {

using nlohmann::json;
using store::Connection;
using store::Transaction;
using store::TransactionMode;

// Strings and lists of strings from a JSON object, tolerating anything odd:
// a draft is our own data, but an old or damaged one must not crash a page.
std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strs(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> str_map(const json& j, const char* key) {
  std::map<std::string, std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return out;
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (e.value().is_string()) out[e.key()] = e.value().get<std::string>();
  }
  return out;
}


PersonDetails details_from(const json& j) {
  PersonDetails d;
  d.name = str(j, "name");
  d.email = str(j, "email");
  d.phone = str(j, "phone");
  d.address = str(j, "address");
  d.postcode = str(j, "postcode");
  d.contact_by = str(j, "contact_by");
  d.formats = strs(j, "formats");
  d.other_language = str(j, "other_language");
  d.access_needs = strs(j, "access_needs");
  d.access_other = str(j, "access_other");
  d.lived_experience = strs(j, "lived_experience");
  d.care_kinds = strs(j, "care_kinds");
  d.experience_other = str(j, "experience_other");
  d.area = str(j, "area");
  d.availability = strs(j, "availability");
  d.ways = strs(j, "ways");
  d.payment = str(j, "payment");
  auto it = j.find("benefits_advice");
  d.benefits_advice = it != j.end() && it->is_boolean() && it->get<bool>();
  return d;
}

std::string cutoff(const Clock& clock) { return format_timestamp(clock.now() - Drafts::kLifetime); }

const char* kColumns = "organisation_id, answers, created_at, updated_at, submitted_at";

Draft draft_from_row(const store::Row& r) {
  Draft d;
  if (!r.is_null(0)) d.organisation_id = r.integer(0);
  json answers = json::parse(r.text(1), nullptr, /*allow_exceptions=*/false);
  d.answers = answers_from_json(answers.is_discarded() ? json::object() : answers);
  d.created_at = r.text(2);
  d.updated_at = r.text(3);
  d.submitted_at = r.optional_text(4);
  return d;
}

StatusOr<std::optional<Draft>> load_live(Connection& c, const std::string& digest, const Clock& clock) {
  auto rows =
      c.query(std::string("SELECT ") + kColumns + " FROM get_involved_drafts WHERE token_hash = $1 AND updated_at > $2",
              {digest, cutoff(clock)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Draft>();
  return std::optional<Draft>(draft_from_row(rows->front()));
}

// The live draft behind `digest` that has not been sent yet, or why not.
StatusOr<Draft> unsent_draft(Connection& c, const std::string& digest, const Clock& clock) {
  auto draft = load_live(c, digest, clock);
  if (!draft.ok()) return draft.status();
  if (!*draft) return NotFound("These answers have expired: start again");
  if ((*draft)->submitted()) return Conflict("These answers have already been sent");
  return **draft;
}

}  // namespace

std::optional<Equality> DraftAnswers::equality_to_store() const {
  if (equality_choice != "answer") return std::nullopt;
  Equality out;
  for (const auto& [field, code] : equality) {
    if (!code.empty()) out[field] = code;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

json to_json(const DraftAnswers& a) {
  return {{"details", details_json(a.details)},
          {"equality", a.equality},
          {"equality_choice", a.equality_choice},
          {"consent", a.consent},
          {"answered", a.answered},
          {"helpers", a.helpers}};
}

DraftAnswers answers_from_json(const json& j) {
  DraftAnswers a;
  if (!j.is_object()) return a;
  if (auto it = j.find("details"); it != j.end() && it->is_object()) a.details = details_from(*it);
  a.equality = str_map(j, "equality");
  a.equality_choice = str(j, "equality_choice");
  auto consent = j.find("consent");
  a.consent = consent != j.end() && consent->is_boolean() && consent->get<bool>();
  for (auto& page : strs(j, "answered")) a.answered.insert(std::move(page));
  a.helpers = str_map(j, "helpers");
  return a;
}

Drafts::Drafts(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

StatusOr<std::string> Drafts::create(std::optional<int64_t> organisation_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  Transaction tx(**c, TransactionMode::kWrite);
  if (!tx.status().ok()) return tx.status();
  auto swept = (*c)->execute("DELETE FROM get_involved_drafts WHERE updated_at <= $1", {cutoff(clock_)});
  if (!swept.ok()) return swept.status();
  std::string token = security::random_token();
  std::string now = format_timestamp(clock_.now());
  auto ins = (*c)->execute(
      "INSERT INTO get_involved_drafts (token_hash, organisation_id, answers, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $4)",
      {security::token_digest(token), organisation_id, to_json(DraftAnswers{}).dump(), now});
  if (!ins.ok()) return ins.status();
  if (Status s = tx.commit(); !s.ok()) return s;
  return token;
}

StatusOr<std::optional<Draft>> Drafts::load(std::string_view token) {
  if (token.empty()) return std::optional<Draft>();
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return load_live(**c, security::token_digest(token), clock_);
}

Status Drafts::save(std::string_view token, std::optional<int64_t> organisation_id, const DraftAnswers& answers) {
  if (token.empty()) return NotFound("There are no answers to save: start again");
  std::string digest = security::token_digest(token);
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto draft = unsent_draft(c, digest, clock_);
    if (!draft.ok()) return draft.status();
    auto upd = c.execute(
        "UPDATE get_involved_drafts SET organisation_id = $1, answers = $2, updated_at = $3 WHERE token_hash = $4",
        {organisation_id, to_json(answers).dump(), format_timestamp(clock_.now()), digest});
    return upd.ok() ? Status::Ok() : upd.status();
  });
}

StatusOr<Draft> Drafts::claim(std::string_view token) {
  if (token.empty()) return NotFound("There are no answers to send: start again");
  std::string digest = security::token_digest(token);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Draft> {
    auto draft = unsent_draft(c, digest, clock_);
    if (!draft.ok()) return draft;
    std::string now = format_timestamp(clock_.now());
    auto upd = c.execute(
        "UPDATE get_involved_drafts SET answers = '{}', submitted_at = $1, updated_at = $1"
        " WHERE token_hash = $2 AND submitted_at IS NULL",
        {now, digest});
    if (!upd.ok()) return upd.status();
    if (*upd != 1) return Conflict("These answers have already been sent");
    return draft;
  });
}

Status Drafts::release(std::string_view token, const Draft& draft) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto upd = (*c)->execute(
      "UPDATE get_involved_drafts SET organisation_id = $1, answers = $2, submitted_at = NULL, updated_at = $3"
      " WHERE token_hash = $4",
      {draft.organisation_id, to_json(draft.answers).dump(), format_timestamp(clock_.now()),
       security::token_digest(token)});
  if (!upd.ok()) return upd.status();
  if (*upd != 1) return NotFound("These answers have expired: start again");
  return Status::Ok();
}

Status Drafts::remove(std::string_view token) {
  if (token.empty()) return Status::Ok();
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto del = (*c)->execute("DELETE FROM get_involved_drafts WHERE token_hash = $1", {security::token_digest(token)});
  return del.ok() ? Status::Ok() : del.status();
}

StatusOr<int64_t> Drafts::sweep() {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return (*c)->execute("DELETE FROM get_involved_drafts WHERE updated_at <= $1", {cutoff(clock_)});
}

}  // namespace coproduce::involvement
