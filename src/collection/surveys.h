// Surveys an organisation runs on the web: each holds its questionnaire (in
// the JSON definition format of survey/definition.h), a web address slug,
// its status (draft, open, closed), optional opening and closing times, an
// optional cap on sent responses, and whether it is anonymous.
//
//   Surveys surveys(db, clock);
//   auto id = surveys.create(org, survey::coproduction_template(), "Understanding co-production", actor);
//   surveys.set_status(org, *id, Status::kOpen, actor);
//
// Every change is audit-logged with the survey's id, never its answers.
#ifndef COPRODUCE_COLLECTION_SURVEYS_H_
#define COPRODUCE_COLLECTION_SURVEYS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "store/database.h"
#include "survey/questionnaire.h"

namespace coproduce::collection {

// Who is acting, for the audit log. `address` is only written to the audit
// log, never to a survey or response.
using coproduce::Actor;

enum class SurveyStatus { kDraft, kOpen, kClosed };
std::string_view status_name(SurveyStatus status);   // "draft", "open", "closed"
std::optional<SurveyStatus> parse_status(std::string_view name);

struct Survey {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string title;
  std::string slug;
  std::string definition;   // the questionnaire in the JSON definition format
  SurveyStatus status = SurveyStatus::kDraft;
  std::optional<std::string> opens_at;    // UTC timestamps (core/clock.h format)
  std::optional<std::string> closes_at;
  std::optional<int64_t> response_cap;
  bool anonymous = true;
  std::string created_at;
  std::string updated_at;
  // Filled by list() and get():
  int64_t starts = 0;
  int64_t completes = 0;

  // Completes over starts; 0 when nobody has started.
  double completion_rate() const { return starts == 0 ? 0.0 : static_cast<double>(completes) / static_cast<double>(starts); }
};

// Whether people can take a survey now, and if not, why.
enum class Availability { kOpen, kDraft, kNotYetOpen, kClosed, kFull };

// Pure: the survey's availability at `now` with `completes` responses sent.
Availability availability(const Survey& survey, TimePoint now, int64_t completes);

// The survey `id` of `organisation_id` as stored now, read on `c` (inside a
// caller's transaction). NotFound when there is none.
StatusOr<Survey> get_in(store::Connection& c, int64_t organisation_id, int64_t id);

// The settings staff change on the survey's page.
struct Settings {
  std::optional<std::string> opens_at;
  std::optional<std::string> closes_at;
  std::optional<int64_t> response_cap;
  bool anonymous = true;
};

using coproduce::FieldError;

// Checks settings: times well formed, closing after opening, a cap of at
// least 1. Problems in form order; empty when fine.
std::vector<FieldError> validate(const Settings& settings);

// A slug from a title: lower-case letters, digits and hyphens, at most 60
// characters ("Understanding co-production" -> "understanding-co-production").
std::string slug_from_title(std::string_view title);

class Surveys {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Surveys(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Adds a draft survey of `organisation_id` asking `questionnaire`, titled
  // `title` (the questionnaire's own title when empty). The slug comes from
  // the title and is made unique. Returns the new survey.
  StatusOr<Survey> create(int64_t organisation_id, const survey::Questionnaire& questionnaire, std::string title,
                          const Actor& actor);

  // The organisation's surveys, newest first, with their counts.
  StatusOr<std::vector<Survey>> list(int64_t organisation_id);
  // One survey of the organisation, with its counts; NotFound otherwise.
  StatusOr<Survey> get(int64_t organisation_id, int64_t id);
  // The survey at /s/{slug}, whatever its organisation; NotFound otherwise.
  StatusOr<Survey> find_by_slug(std::string_view slug);

  // Replaces the settings after validate(); InvalidInput (with the field)
  // otherwise. Anonymous mode cannot be turned off once responses exist,
  // because people answered on the promise that they were anonymous.
  Status update_settings(int64_t organisation_id, int64_t id, const Settings& settings, const Actor& actor);

  // Writes the survey in another language (survey/translation.h): checks
  // `texts` and, when all is well, stores the questionnaire with them in one
  // step, audited as survey.translated. Returns the problems by form field;
  // with any, nothing is stored. Codes and questions are not changed, so
  // responses already given stay as they are.
  StatusOr<std::vector<FieldError>> translate(int64_t organisation_id, int64_t id, const survey::Language& language,
                                              const survey::Language& written_in,
                                              const std::map<std::string, std::string>& texts, const Actor& actor);
  // Opens or closes the survey (a closed survey may be opened again).
  Status set_status(int64_t organisation_id, int64_t id, SurveyStatus status, const Actor& actor);

  // Invitations by a link of each person's own (sent by the messages
  // module). The link counts who started from an invitation and keeps no
  // tie to the person or their answers. invitation_in makes one inside the
  // caller's transaction on `c` and returns its code.
  StatusOr<std::string> invitation_in(store::Connection& c, int64_t organisation_id, int64_t survey_id);
  // Notes that someone started from the invitation `code` of `survey_id`;
  // nothing happens for an unknown or already used code.
  Status invitation_started(int64_t survey_id, const std::string& code);
  struct InvitationCounts {
    int64_t sent = 0;
    int64_t started = 0;
  };
  StatusOr<InvitationCounts> invitation_counts(int64_t organisation_id, int64_t survey_id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

// The survey's questionnaire, parsed from its stored definition.
StatusOr<survey::Questionnaire> questionnaire_of(const Survey& survey);

// The seam for questionnaire files staff upload: turns the bytes of a file
// and its name into a Questionnaire. Today it reads the JSON definition
// format; XLSForm (.xlsx) files are to be recognised here by their name.
// Errors name the file and the line and column or JSON path.
StatusOr<survey::Questionnaire> questionnaire_from_upload(std::string_view bytes, const std::string& file_name);

}  // namespace coproduce::collection

#endif  // COPRODUCE_COLLECTION_SURVEYS_H_
