#include "collection/surveys.h"

#include <cctype>

#include "security/audit.h"
#include "security/crypto.h"
#include "survey/definition.h"
#include "survey/translation.h"
#include "survey/xlsform.h"

namespace coproduce::collection {
namespace {

using store::Connection;

constexpr const char* kColumns =
    "s.id, s.organisation_id, s.title, s.slug, s.definition, s.status, s.opens_at, s.closes_at, s.response_cap,"
    " s.anonymous, s.created_at, s.updated_at,"
    " (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id),"
    " (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id AND r.submitted_at IS NOT NULL)";

Survey survey_from_row(const store::Row& r) {
  Survey s;
  s.id = r.integer(0);
  s.organisation_id = r.integer(1);
  s.title = r.text(2);
  s.slug = r.text(3);
  s.definition = r.text(4);
  s.status = parse_status(r.text(5)).value_or(SurveyStatus::kDraft);
  s.opens_at = r.optional_text(6);
  s.closes_at = r.optional_text(7);
  if (!r.is_null(8)) s.response_cap = r.integer(8);
  s.anonymous = r.integer(9) != 0;
  s.created_at = r.text(10);
  s.updated_at = r.text(11);
  s.starts = r.integer(12);
  s.completes = r.integer(13);
  return s;
}

Status audit(Connection& c, const Clock& clock, int64_t org, const Actor& actor, const std::string& action,
             int64_t survey_id) {
  return security::record_audit(c, clock, {org, actor.user_id, action, "survey", std::to_string(survey_id),
                                           actor.address});
}

}  // namespace

StatusOr<Survey> get_in(Connection& c, int64_t org, int64_t id) {
  auto rows = c.query(std::string("SELECT ") + kColumns + " FROM surveys s WHERE s.id = $1 AND s.organisation_id = $2",
                      {id, org});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("There is no such survey");
  return survey_from_row(rows->front());
}

std::string_view status_name(SurveyStatus status) {
  switch (status) {
    case SurveyStatus::kDraft: return "draft";
    case SurveyStatus::kOpen: return "open";
    case SurveyStatus::kClosed: return "closed";
  }
  return "draft";
}

std::optional<SurveyStatus> parse_status(std::string_view name) {
  if (name == "draft") return SurveyStatus::kDraft;
  if (name == "open") return SurveyStatus::kOpen;
  if (name == "closed") return SurveyStatus::kClosed;
  return std::nullopt;
}

Availability availability(const Survey& survey, TimePoint now, int64_t completes) {
  if (survey.status == SurveyStatus::kDraft) return Availability::kDraft;
  if (survey.status == SurveyStatus::kClosed) return Availability::kClosed;
  TimePoint t;
  if (survey.opens_at && parse_timestamp(*survey.opens_at, &t) && now < t) return Availability::kNotYetOpen;
  if (survey.closes_at && parse_timestamp(*survey.closes_at, &t) && now >= t) return Availability::kClosed;
  if (survey.response_cap && completes >= *survey.response_cap) return Availability::kFull;
  return Availability::kOpen;
}

std::vector<FieldError> validate(const Settings& s) {
  std::vector<FieldError> out;
  TimePoint opens{}, closes{};
  bool have_opens = false, have_closes = false;
  if (s.opens_at) {
    have_opens = parse_timestamp(*s.opens_at, &opens);
    if (!have_opens) out.push_back({"opens", "Enter a real date and time for when the survey opens"});
  }
  if (s.closes_at) {
    have_closes = parse_timestamp(*s.closes_at, &closes);
    if (!have_closes) out.push_back({"closes", "Enter a real date and time for when the survey closes"});
  }
  if (have_opens && have_closes && closes <= opens) {
    out.push_back({"closes", "The closing date must be after the opening date"});
  }
  if (s.response_cap && *s.response_cap < 1) {
    out.push_back({"cap", "The most responses must be a whole number, 1 or more"});
  }
  return out;
}

std::string slug_from_title(std::string_view title) {
  std::string out;
  for (char ch : title) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 128) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "survey" : out;
}

StatusOr<Survey> Surveys::create(int64_t organisation_id, const survey::Questionnaire& questionnaire,
                                 std::string title, const Actor& actor) {
  if (title.empty()) title = questionnaire.title;
  if (title.empty()) title = "Survey";
  const std::string definition = survey::definition_to_json(questionnaire);
  const std::string base = slug_from_title(title);
  return store::in_write_transaction(db_, [&](Connection& c) -> StatusOr<Survey> {
    // The slug is the public address: the title's words, made unique with a
    // few random letters when another survey has them already.
    std::string slug = base;
    for (int attempt = 0;; ++attempt) {
      auto taken = c.query("SELECT 1 FROM surveys WHERE slug = $1", {slug});
      if (!taken.ok()) return taken.status();
      if (taken->empty()) break;
      if (attempt > 20) return Internal("could not find a free web address for the survey");
      std::string suffix;
      for (char ch : security::random_token()) {
        if (std::islower(static_cast<unsigned char>(ch))) suffix += ch;
        if (suffix.size() == 5) break;
      }
      slug = base + "-" + suffix;
    }
    const std::string now = format_timestamp(clock_.now());
    auto ins = c.query(
        "INSERT INTO surveys (organisation_id, title, slug, definition, status, anonymous, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, 'draft', 1, $5, $5) RETURNING id",
        {organisation_id, title, slug, definition, now});
    if (!ins.ok()) return ins.status();
    const int64_t id = ins->front().integer(0);
    if (Status s = audit(c, clock_, organisation_id, actor, "survey.create", id); !s.ok()) return s;
    return get_in(c, organisation_id, id);
  });
}

StatusOr<std::vector<Survey>> Surveys::list(int64_t organisation_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kColumns +
                              " FROM surveys s WHERE s.organisation_id = $1 ORDER BY s.id DESC",
                          {organisation_id});
  if (!rows.ok()) return rows.status();
  std::vector<Survey> out;
  for (const auto& r : *rows) out.push_back(survey_from_row(r));
  return out;
}

StatusOr<Survey> Surveys::get(int64_t organisation_id, int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  return get_in(**c, organisation_id, id);
}

StatusOr<Survey> Surveys::find_by_slug(std::string_view slug) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kColumns + " FROM surveys s WHERE s.slug = $1", {slug});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("There is no such survey");
  return survey_from_row(rows->front());
}

Status Surveys::update_settings(int64_t organisation_id, int64_t id, const Settings& settings, const Actor& actor) {
  auto problems = validate(settings);
  if (!problems.empty()) return InvalidInput(problems.front().message, Location{"", 0, 0, problems.front().field});
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto current = get_in(c, organisation_id, id);
    if (!current.ok()) return current.status();
    if (current->anonymous && !settings.anonymous && current->starts > 0) {
      return InvalidInput("People have already answered this survey anonymously, so it must stay anonymous",
                          Location{"", 0, 0, "anonymous"});
    }
    auto upd = c.execute(
        "UPDATE surveys SET opens_at = $1, closes_at = $2, response_cap = $3, anonymous = $4, updated_at = $5"
        " WHERE id = $6 AND organisation_id = $7",
        {settings.opens_at, settings.closes_at, settings.response_cap, settings.anonymous ? 1 : 0,
         format_timestamp(clock_.now()), id, organisation_id});
    if (!upd.ok()) return upd.status();
    return audit(c, clock_, organisation_id, actor, "survey.settings", id);
  });
}

Status Surveys::set_status(int64_t organisation_id, int64_t id, SurveyStatus status, const Actor& actor) {
  return store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto upd = c.execute("UPDATE surveys SET status = $1, updated_at = $2 WHERE id = $3 AND organisation_id = $4",
                         {status_name(status), format_timestamp(clock_.now()), id, organisation_id});
    if (!upd.ok()) return upd.status();
    if (*upd != 1) return NotFound("There is no such survey");
    return audit(c, clock_, organisation_id, actor, std::string("survey.") + std::string(status_name(status)), id);
  });
}

StatusOr<std::vector<FieldError>> Surveys::translate(int64_t organisation_id, int64_t id,
                                                     const survey::Language& language,
                                                     const survey::Language& written_in,
                                                     const std::map<std::string, std::string>& texts,
                                                     const Actor& actor) {
  std::vector<FieldError> problems;
  Status st = store::in_write_transaction(db_, [&](Connection& c) -> Status {
    auto current = get_in(c, organisation_id, id);
    if (!current.ok()) return current.status();
    auto q = questionnaire_of(*current);
    if (!q.ok()) return q.status();
    problems = survey::translate(*q, language, written_in, texts);
    if (!problems.empty()) return Status::Ok();
    if (Status finished = q->finish("the survey's definition"); !finished.ok()) return finished;
    auto upd = c.execute("UPDATE surveys SET definition = $1, updated_at = $2 WHERE id = $3 AND organisation_id = $4",
                         {survey::definition_to_json(*q), format_timestamp(clock_.now()), id, organisation_id});
    if (!upd.ok()) return upd.status();
    return audit(c, clock_, organisation_id, actor, "survey.translated", id);
  });
  if (!st.ok()) return st;
  return problems;
}

StatusOr<survey::Questionnaire> questionnaire_of(const Survey& s) {
  return survey::parse_definition(s.definition, "the survey's definition");
}

StatusOr<survey::Questionnaire> questionnaire_from_upload(std::string_view bytes, const std::string& file_name) {
  const std::string name = file_name.empty() ? "the file" : file_name;
  auto ends_with = [&](std::string_view suffix) {
    if (name.size() < suffix.size()) return false;
    for (size_t i = 0; i < suffix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(name[name.size() - suffix.size() + i])) != suffix[i]) return false;
    }
    return true;
  };
  if (bytes.empty()) return InvalidInput("The file is empty", Location{name, 0, 0, ""});
  if (ends_with(".xls")) {
    return InvalidInput("This is an old Excel file: save it as an Excel Workbook (.xlsx) and upload that",
                        Location{name, 0, 0, ""});
  }
  if (ends_with(".xlsx")) {
    survey::XlsformImport read = survey::import_xlsform(bytes, name);
    if (!read.ok()) return read.status();
    return std::move(*read.questionnaire);
  }
  return survey::parse_definition(bytes, name);
}

StatusOr<std::string> Surveys::invitation_in(store::Connection& c, int64_t org, int64_t survey_id) {
  std::string code = security::random_token();
  auto ins = c.execute(
      "INSERT INTO survey_invitations (token_hash, organisation_id, survey_id, created_at) VALUES ($1, $2, $3, $4)",
      {security::token_digest(code), org, survey_id, format_timestamp(clock_.now())});
  if (!ins.ok()) return ins.status();
  return code;
}

Status Surveys::invitation_started(int64_t survey_id, const std::string& code) {
  if (code.empty()) return Status::Ok();
  return store::in_write_transaction(db_, [&](store::Connection& c) -> Status {
    auto upd = c.execute(
        "UPDATE survey_invitations SET started_at = $1 WHERE token_hash = $2 AND survey_id = $3 AND started_at IS NULL",
        {format_timestamp(clock_.now()), security::token_digest(code), survey_id});
    return upd.ok() ? Status::Ok() : upd.status();
  });
}

StatusOr<Surveys::InvitationCounts> Surveys::invitation_counts(int64_t org, int64_t survey_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto row = (*c)->query_one(
      "SELECT COUNT(*), COUNT(started_at) FROM survey_invitations WHERE organisation_id = $1 AND survey_id = $2",
      {org, survey_id});
  if (!row.ok()) return row.status();
  return InvitationCounts{row->integer(0), row->integer(1)};
}

}  // namespace coproduce::collection
