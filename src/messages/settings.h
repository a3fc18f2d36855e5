// How an organisation sends messages: through GOV.UK Notify (email, text
// messages and letters posted for it) or an SMTP relay (email only), with
// daily limits so a mistake cannot flood people.
//
// The relay's password and the Notify API key are sealed with the server's
// key (security::SecretBox) when entered, and never shown again: pages and
// the API say only whether one is stored.
#ifndef COPRODUCE_MESSAGES_SETTINGS_H_
#define COPRODUCE_MESSAGES_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "security/crypto.h"
#include "store/database.h"

namespace coproduce::messages {

inline constexpr const char* kNotify = "notify";
inline constexpr const char* kSmtp = "smtp";
inline constexpr const char* kDefaultNotifyUrl = "https://api.notifications.service.gov.uk";
inline constexpr int kDefaultOrganisationDailyLimit = 2000;
inline constexpr int kDefaultRecipientDailyLimit = 10;

struct Settings {
  int64_t organisation_id = 0;
  std::string backend;  // "", notify or smtp
  std::string smtp_url;  // without any password
  std::string smtp_from;
  std::string smtp_user;
  bool smtp_password_stored = false;
  std::string notify_url;
  std::string notify_key_name;  // the name part of the key, to recognise it by
  bool notify_key_stored = false;
  std::string notify_email_template;
  std::string notify_sms_template;
  std::string notify_letter_template;
  int organisation_daily_limit = kDefaultOrganisationDailyLimit;
  int recipient_daily_limit = kDefaultRecipientDailyLimit;
  std::string updated_at;
  int64_t revision = 0;  // one more at every save, so senders know to start again

  // Which channels the backend can send: email through either; text
  // messages and letters through Notify when a template ID is set for them.
  bool sends(const std::string& channel) const;
};

// What an administrator enters. Empty secrets keep the stored ones.
struct SettingsInput {
  std::string backend;
  std::string smtp_url;  // smtp://[user[:password]@]host[:port] or smtps://...
  std::string smtp_from;
  std::string smtp_user;
  std::string smtp_password;
  std::string notify_key;
  std::string notify_url;
  std::string notify_email_template;
  std::string notify_sms_template;
  std::string notify_letter_template;
  std::string organisation_daily_limit;  // as typed; empty keeps the default
  std::string recipient_daily_limit;
};

// The parts of a GOV.UK Notify API key: "{name}-{service id}-{secret}", the
// last two UUIDs.
struct NotifyKey {
  std::string name;
  std::string service_id;
  std::string secret;
};
std::optional<NotifyKey> parse_notify_key(const std::string& key);

// The secrets, opened, for sending.
struct Secrets {
  std::string smtp_password;
  std::string notify_key;
};

// Problems with `input` by form field ("backend", "smtp_url", "smtp_from",
// "notify_key", "notify_url", "notify_email_template", ...), given what is
// stored already (`current`, for keys that are kept).
std::vector<FieldError> validate(const SettingsInput& input, const Settings& current);

class MessageSettings {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  MessageSettings(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The organisation's settings; backend "" when none is set.
  StatusOr<Settings> get(int64_t organisation_id);
  StatusOr<Settings> get_in(store::Connection& c, int64_t organisation_id);
  // Saves `input`, sealing secrets with `box`. kInvalidInput naming the first
  // field (all problems in `problems`) and nothing saved when it is wrong.
  Status save(int64_t organisation_id, const SettingsInput& input, const security::SecretBox& box, const Actor& actor,
              std::vector<FieldError>* problems);
  // The opened secrets, for the sender.
  StatusOr<Secrets> secrets(int64_t organisation_id, const security::SecretBox& box);

  // --- For a server started without COPRODUCE_SECRET_KEY (no SecretBox) ---
  // Saves `input` as save does, with nothing to seal secrets with: settings
  // that bring no new key or password are saved (stored ones are kept as
  // they are); a key or password given (including one written in the SMTP
  // address) is refused by field, saying `why` the server cannot store it,
  // and nothing is saved.
  Status save_without_key(int64_t organisation_id, const SettingsInput& input, const std::string& why,
                          const Actor& actor, std::vector<FieldError>* problems);

 private:
  // save and save_without_key: `box` is null for the latter, which has made
  // sure there is nothing to seal.
  Status save_with(int64_t organisation_id, const SettingsInput& input, const security::SecretBox* box,
                   const Actor& actor, std::vector<FieldError>* problems);

  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::messages

#endif  // COPRODUCE_MESSAGES_SETTINGS_H_
