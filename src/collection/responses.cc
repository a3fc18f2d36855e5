#include "collection/responses.h"

#include <sodium.h>

#include "security/crypto.h"

namespace coproduce::collection {
namespace {

using nlohmann::json;
using store::Connection;

// No I or O: they are easily read as 1 and 0.
constexpr std::string_view kCodeLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";

constexpr const char* kColumns =
    "id, survey_id, started_at, updated_at, last_page, submitted_at, answers, user_id, language";

SurveyResponse response_from_row(const store::Row& r) {
  SurveyResponse out;
  out.id = r.integer(0);
  out.survey_id = r.integer(1);
  out.started_at = r.text(2);
  out.updated_at = r.text(3);
  out.last_page = static_cast<int>(r.integer(4));
  out.submitted_at = r.optional_text(5);
  json answers = json::parse(r.text(6), nullptr, /*allow_exceptions=*/false);
  out.answers = answers_from_json(answers.is_discarded() ? json::object() : answers);
  if (!r.is_null(7)) out.user_id = r.integer(7);
  out.language = r.text(8);
  return out;
}

StatusOr<std::optional<SurveyResponse>> load_by(Connection& c, const char* column, int64_t survey_id,
                                                const std::string& digest) {
  auto rows = c.query(std::string("SELECT ") + kColumns + " FROM survey_responses WHERE survey_id = $1 AND " +
                          column + " = $2",
                      {survey_id, digest});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<SurveyResponse>();
  return std::optional<SurveyResponse>(response_from_row(rows->front()));
}

StatusOr<SurveyResponse> unsent(Connection& c, int64_t survey_id, std::string_view token) {
  if (token.empty()) return NotFound("We could not find your answers: start again");
  auto r = load_by(c, "session_hash", survey_id, security::token_digest(token));
  if (!r.ok()) return r.status();
  if (!*r) return NotFound("We could not find your answers: start again");
  if ((*r)->submitted()) return Conflict("Your answers have already been sent");
  return **r;
}

StatusOr<int64_t> completes_in(Connection& c, int64_t survey_id) {
  auto row = c.query_one("SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1 AND submitted_at IS NOT NULL",
                         {survey_id});
  if (!row.ok()) return row.status();
  return row->integer(0);
}

}  // namespace

json answers_to_json(const Answers& answers) {
  json out = json::object();
  for (const auto& [code, a] : answers) {
    json one = {{"values", a.values}};
    if (!a.other_text.empty()) one["other"] = a.other_text;
    out[code] = one;
  }
  return out;
}

Answers answers_from_json(const json& j) {
  Answers out;
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_object()) continue;
    survey::RawAnswer a;
    auto values = it.value().find("values");
    if (values != it.value().end() && values->is_array()) {
      for (const auto& v : *values) {
        if (v.is_string()) a.values.push_back(v.get<std::string>());
      }
    }
    auto other = it.value().find("other");
    if (other != it.value().end() && other->is_string()) a.other_text = other->get<std::string>();
    out[it.key()] = std::move(a);
  }
  return out;
}

std::string make_resume_code() {
  std::string code;
  for (int i = 0; i < 16; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kCodeLetters[randombytes_uniform(static_cast<uint32_t>(kCodeLetters.size()))];
  }
  return code;
}

std::string normalise_resume_code(std::string_view typed) {
  std::string out;
  for (char ch : typed) {
    if (ch == ' ' || ch == '-' || ch == '\t') continue;
    out += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
  }
  return out;
}

// Whether `survey` takes answers now, from its settings and count as
// stored, read inside the caller's write transaction: staff closing it or
// lowering its cap a moment ago count, as do responses sent a moment ago.
StatusOr<Availability> SurveyResponses::availability_now(Connection& c, const Survey& survey) const {
  auto current = get_in(c, survey.organisation_id, survey.id);
  if (!current.ok()) return current.status();
  auto completes = completes_in(c, survey.id);
  if (!completes.ok()) return completes.status();
  return availability(*current, clock_.now(), *completes);
}

std::string availability_message(Availability a) {
  switch (a) {
    case Availability::kOpen: return "";
    case Availability::kDraft: return "This survey is not open yet.";
    case Availability::kNotYetOpen: return "This survey is not open yet.";
    case Availability::kClosed: return "This survey has closed.";
    case Availability::kFull: return "This survey has had all the responses it needs, so it has closed.";
  }
  return "";
}

StatusOr<Started> SurveyResponses::start(const Survey& survey, std::optional<int64_t> user_id,
                                         const std::string& language) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Started> {
    auto a = availability_now(c, survey);
    if (!a.ok()) return a.status();
    if (*a != Availability::kOpen) return Conflict(availability_message(*a));
    Started out;
    out.token = security::random_token();
    const std::string now = format_timestamp(clock_.now());
    std::optional<int64_t> account = survey.anonymous ? std::nullopt : user_id;
    auto ins = c.query(
        "INSERT INTO survey_responses (survey_id, started_at, updated_at, last_page, answers, session_hash, user_id,"
        " source, language) VALUES ($1, $2, $2, 1, '{}', $3, $4, 'web', $5) RETURNING id",
        {survey.id, now, security::token_digest(out.token), account, language});
    if (!ins.ok()) return ins.status();
    out.response_id = ins->front().integer(0);
    return out;
  });
}

StatusOr<std::optional<SurveyResponse>> SurveyResponses::load(int64_t survey_id, std::string_view token) {
  if (token.empty()) return std::optional<SurveyResponse>();
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return load_by(**c, "session_hash", survey_id, security::token_digest(token));
}

Status SurveyResponses::save(int64_t survey_id, std::string_view token, const Answers& answers, int last_page) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto r = unsent(c, survey_id, token);
    if (!r.ok()) return r.status();
    auto upd = c.execute(
        "UPDATE survey_responses SET answers = $1, last_page = $2, updated_at = $3 WHERE id = $4",
        {answers_to_json(answers).dump(), std::max(last_page, r->last_page), format_timestamp(clock_.now()), r->id});
    return upd.ok() ? Status::Ok() : upd.status();
  });
}

StatusOr<std::string> SurveyResponses::make_resume_code(int64_t survey_id, std::string_view token) {
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::string> {
    auto r = unsent(c, survey_id, token);
    if (!r.ok()) return r.status();
    std::string code = collection::make_resume_code();
    auto upd = c.execute("UPDATE survey_responses SET resume_hash = $1, updated_at = $2 WHERE id = $3",
                         {security::token_digest(normalise_resume_code(code)), format_timestamp(clock_.now()), r->id});
    if (!upd.ok()) return upd.status();
    return code;
  });
}

StatusOr<std::string> SurveyResponses::resume(int64_t survey_id, std::string_view code) {
  const std::string normal = normalise_resume_code(code);
  if (normal.empty()) return NotFound("Enter your resume code");
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<std::string> {
    auto r = load_by(c, "resume_hash", survey_id, security::token_digest(normal));
    if (!r.ok()) return r.status();
    if (!*r || (*r)->submitted()) return NotFound("We could not find answers with that code");
    std::string token = security::random_token();
    auto upd = c.execute("UPDATE survey_responses SET session_hash = $1, updated_at = $2 WHERE id = $3",
                         {security::token_digest(token), format_timestamp(clock_.now()), (*r)->id});
    if (!upd.ok()) return upd.status();
    return token;
  });
}

Status SurveyResponses::submit(const Survey& survey, std::string_view token, const Answers& answers, int last_page) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto r = unsent(c, survey.id, token);
    if (!r.ok()) return r.status();
    auto a = availability_now(c, survey);
    if (!a.ok()) return a.status();
    if (*a != Availability::kOpen) return Conflict(availability_message(*a));
    const std::string now = format_timestamp(clock_.now());
    auto upd = c.execute(
        "UPDATE survey_responses SET answers = $1, last_page = $2, submitted_at = $3, updated_at = $3,"
        " resume_hash = NULL WHERE id = $4 AND submitted_at IS NULL",
        {answers_to_json(answers).dump(), last_page, now, r->id});
    if (!upd.ok()) return upd.status();
    if (*upd != 1) return Conflict("Your answers have already been sent");
    return Status::Ok();
  });
}

StatusOr<std::pair<int64_t, int64_t>> SurveyResponses::counts(int64_t survey_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one(
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN submitted_at IS NULL THEN 0 ELSE 1 END), 0)"
      " FROM survey_responses WHERE survey_id = $1",
      {survey_id});
  if (!row.ok()) return row.status();
  return std::make_pair(row->integer(0), row->integer(1));
}

StatusOr<std::vector<std::pair<std::string, int64_t>>> SurveyResponses::completes_by_language(int64_t survey_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(
      "SELECT language, COUNT(*) FROM survey_responses WHERE survey_id = $1 AND submitted_at IS NOT NULL"
      " GROUP BY language ORDER BY COUNT(*) DESC, language",
      {survey_id});
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : *rows) out.emplace_back(r.text(0), r.integer(1));
  return out;
}

}  // namespace coproduce::collection
