// The kinds of message Coproduce sends, their wording, and how a wording is
// filled in.
//
// Each kind has a plain version and an Easy Read one. An organisation may
// rewrite either; until it does, the wording shipped here is used. Wording
// names what it fills in as ((placeholder)), as GOV.UK Notify templates do,
// and only a kind's own placeholders may be used: a wording naming another
// is refused with the placeholder named, before anything is saved.
#ifndef COPRODUCE_MESSAGES_TEMPLATES_H_
#define COPRODUCE_MESSAGES_TEMPLATES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "store/database.h"

namespace coproduce::messages {

inline constexpr const char* kPlain = "plain";
inline constexpr const char* kEasyRead = "easy_read";

struct Placeholder {
  std::string name;         // "activity"
  std::string description;  // "the activity's title"
  std::string example;      // for previews: "Carers' forum"
};

struct Kind {
  std::string code;   // "activity_invitation"
  std::string label;  // "Invitation to an activity"
  std::string when;   // when it is sent, for the templates page
  std::vector<Placeholder> placeholders;
  // The message carries a one-time link: its text is cleared once sent.
  bool secret = false;
  // Sent even to a person who has withdrawn consent, because they are owed
  // it whatever they chose (a record of money paid to them).
  bool owed = false;
};

// Every kind, in the order the templates page lists them.
const std::vector<Kind>& kinds();
const Kind* find_kind(const std::string& code);
// "plain" or "easy_read".
bool is_version(const std::string& version);

// The placeholders `text` names, in order of first use: "((name))" gives "name".
std::vector<std::string> placeholders_in(const std::string& text);

// `text` with each ((placeholder)) replaced by its value; a placeholder with
// no value is left empty.
std::string render(const std::string& text, const std::map<std::string, std::string>& values);

// The example values of `kind`'s placeholders, for previews.
std::map<std::string, std::string> example_values(const Kind& kind);

struct Template {
  std::string kind;
  std::string version;
  std::string language = "en";  // "en" or "cy": the language of subject and body
  std::string subject;  // emails and letters; text messages have none
  std::string body;
  bool customised = false;  // the organisation's own wording
  std::string updated_at;
};

// The wording shipped with Coproduce, in `language` ("en", "cy"): the
// English is written here, the other languages come from the message
// catalogues (po/LANG.po), with English where a catalogue has none.
Template default_template(const Kind& kind, const std::string& version, const std::string& language = "en");

// The languages a message can be written in: English, then those the
// installed catalogues have (i18n::installed()).
std::vector<std::string> message_languages();
bool is_message_language(const std::string& language);

// Problems with a wording for `kind`: a subject or body missing or too long
// (fields "subject", "body"), a placeholder the kind does not have
// (Problem::kUnknownCode, naming it), or brackets left open.
std::vector<FieldError> validate_template(const Kind& kind, const std::string& subject, const std::string& body);

class Templates {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Templates(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The organisation's wording of `kind` in `version` and `language`, or the shipped one.
  StatusOr<Template> get(int64_t organisation_id, const std::string& kind, const std::string& version,
                         const std::string& language = "en");
  // get on the caller's connection (inside its transaction).
  StatusOr<Template> get_in(store::Connection& c, int64_t organisation_id, const std::string& kind,
                            const std::string& version, const std::string& language = "en");
  // Every kind in both versions, in `language`.
  StatusOr<std::vector<Template>> list(int64_t organisation_id, const std::string& language = "en");
  // Saves the organisation's wording; kInvalidInput naming the first problem
  // (all of them in `problems`) and nothing saved when it has any.
  Status save(int64_t organisation_id, const std::string& kind, const std::string& version, const std::string& subject,
              const std::string& body, const Actor& actor, std::vector<FieldError>* problems,
              const std::string& language = "en");
  // Goes back to the shipped wording.
  Status reset(int64_t organisation_id, const std::string& kind, const std::string& version, const Actor& actor,
               const std::string& language = "en");

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::messages

#endif  // COPRODUCE_MESSAGES_TEMPLATES_H_
