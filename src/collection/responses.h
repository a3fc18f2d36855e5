// Responses to a survey taken on the web: started, saved page by page,
// resumed with a code, and sent.
//
// The browser holds a random session token in a cookie; the store keeps only
// its digest. "Save and come back later" gives a resume code, also kept only
// as a digest. No network address is stored, and the account is linked only
// when the survey is not anonymous and the person is signed in.
//
//   SurveyResponses responses(db, clock);
//   auto started = responses.start(survey, std::nullopt);   // {id, token}
//   responses.save(token, answers, 2);
//   auto code = responses.make_resume_code(token);          // shown once
//   auto sent = responses.submit(token);
#ifndef COPRODUCE_COLLECTION_RESPONSES_H_
#define COPRODUCE_COLLECTION_RESPONSES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "collection/surveys.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"
#include "survey/validation.h"

namespace coproduce::collection {

// A person's answers, by question code, in the form the validation reads.
using Answers = std::map<std::string, survey::RawAnswer>;

nlohmann::json answers_to_json(const Answers& answers);
// Tolerates anything odd in stored JSON: unknown shapes are skipped.
Answers answers_from_json(const nlohmann::json& json);

struct SurveyResponse {
  int64_t id = 0;
  int64_t survey_id = 0;
  std::string started_at;
  std::string updated_at;
  int last_page = 1;
  std::optional<std::string> submitted_at;
  Answers answers;
  std::optional<int64_t> user_id;
  std::string language;  // the questionnaire's language code the person chose; empty for none

  bool submitted() const { return submitted_at.has_value(); }
};

struct Started {
  int64_t response_id = 0;
  std::string token;   // for the browser's cookie: the only copy
};

// A resume code: 16 letters in four groups of four ("BCDF-GHJK-LMNP-QRST")
// from an alphabet without letters easily confused (no I or O), about 73 bits.
std::string make_resume_code();
// Upper-cases and drops spaces and hyphens, so "bcdf ghjk-lmnp qrst" matches.
std::string normalise_resume_code(std::string_view typed);

class SurveyResponses {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  SurveyResponses(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Starts a response to `survey` when it is available now (else
  // Conflict whose message says why: not open, not yet open, closed, full).
  // `user_id` is stored only when the survey is not anonymous. `language`
  // is the questionnaire's language the person chose ("cy"), or empty; the
  // caller checks it is one of the questionnaire's.
  StatusOr<Started> start(const Survey& survey, std::optional<int64_t> user_id, const std::string& language = "");

  // The response the token opens for `survey_id`, sent or not; nullopt when unknown.
  StatusOr<std::optional<SurveyResponse>> load(int64_t survey_id, std::string_view token);

  // Replaces the answers of an unsent response and records the furthest
  // page reached. NotFound when unknown, Conflict when already sent.
  Status save(int64_t survey_id, std::string_view token, const Answers& answers, int last_page);

  // Makes a new resume code for the unsent response (replacing any earlier
  // one) and returns it: the only copy.
  StatusOr<std::string> make_resume_code(int64_t survey_id, std::string_view token);

  // Opens the unsent response the code belongs to with a new session token
  // (the old one stops working). NotFound when no unsent response has it.
  StatusOr<std::string> resume(int64_t survey_id, std::string_view code);

  // Sends the response with `answers` (the final, cleaned answers) in one
  // transaction, when the survey is still available (Conflict with the
  // reason otherwise) and the response not already sent (Conflict too).
  // The resume code stops working.
  Status submit(const Survey& survey, std::string_view token, const Answers& answers, int last_page);

  // Starts and completes of a survey.
  StatusOr<std::pair<int64_t, int64_t>> counts(int64_t survey_id);

  // Sent responses by the language they were answered in (code, count), the
  // most used first; "" for responses with no language recorded.
  StatusOr<std::vector<std::pair<std::string, int64_t>>> completes_by_language(int64_t survey_id);

 private:
  StatusOr<Availability> availability_now(store::Connection& c, const Survey& survey) const;

  store::Database& db_;
  const Clock& clock_;
};

// Why a survey cannot be taken, in words for the person.
std::string availability_message(Availability availability);

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_RESPONSES_H_
