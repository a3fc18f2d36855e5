// The outbox: every message Coproduce means to send, kept in the database
// until it has gone, so a restart loses none and none goes twice.
//
// A message is queued with an idempotency key naming what it is for
// ("activity-invitation:12:345"): queueing the same key again changes
// nothing, so a lead pressing a button twice, or two server processes doing
// the same work, sends one message. The person's own choice decides the
// channel: email, text message, a letter by post, or a phone call staff make
// from a call list. A person who withdrew consent is sent nothing but what
// they are owed (Kind::owed), and nobody is sent more than the daily limits.
#ifndef COPRODUCE_MESSAGES_OUTBOX_H_
#define COPRODUCE_MESSAGES_OUTBOX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "involvement/people.h"
#include "store/database.h"

namespace coproduce::messages {

inline constexpr const char* kEmail = "email";
inline constexpr const char* kSms = "sms";
inline constexpr const char* kLetter = "letter";
inline constexpr const char* kPhone = "phone";

// Message statuses. Those a sender moves through: queued, sending, sent,
// delivered, failed. A call or a letter staff deal with: to_call then called,
// to_print then printed.
bool is_status(const std::string& status);
// "Sent", "Delivered", "Failed", "To call", ... for pages.
std::string status_label(const std::string& status);
std::string channel_label(const std::string& channel);  // "Email", "Text message", "Letter", "Phone call"

// Where one message goes.
struct Recipient {
  std::optional<int64_t> person_id;
  std::optional<int64_t> user_id;
  std::string name;
  std::string channel;  // email, sms, letter or phone
  std::string address;  // an email address, a mobile number (+44...), a postal address or a phone number
  std::string version = "plain";  // plain or easy_read
  std::string language = "en";    // en, or cy for a person who asked for Welsh
  bool large_print = false;
};

// A postal address as the lines of an envelope: split at line breaks and
// commas, as GOV.UK Notify splits them, blank parts dropped; at most
// `most` lines, the last kept (town and postcode are at the end) and the
// middle ones joined.
std::vector<std::string> postal_lines(const std::string& address, size_t most = 6);

// How a person asked to be reached, from their pool record: their contact
// choice (email, text message, post or phone), else the first detail they
// gave; Easy Read, large print and Welsh from their formats (Welsh only when
// the message catalogues have it). Nullopt when they gave
// no way to reach them.
std::optional<Recipient> recipient_for(const involvement::Person& person);
// "cy" for a person whose formats include Welsh (when the catalogues have
// Welsh), else "en".
std::string language_of(const involvement::PersonDetails& details);

// One message to queue.
struct Outgoing {
  std::string kind;
  Recipient to;
  std::map<std::string, std::string> values;  // the template's placeholders
  std::string about_type;  // "activity", "round", "survey", "payment", "user", ""
  int64_t about_id = 0;
  std::string key;  // idempotency key; unique across the organisation's messages
  // Who may be sent it: false for a pool member who withdrew consent (only
  // kinds the person is owed still go).
  bool consent = true;
};

struct Message {
  int64_t id = 0;
  int64_t organisation_id = 0;
  std::string kind;
  std::string channel;
  std::string version;
  std::string language = "en";  // what subject and body are written in
  bool large_print = false;
  std::optional<int64_t> person_id;
  std::optional<int64_t> user_id;
  std::string recipient;
  std::string recipient_name;
  std::string subject;
  std::string body;  // empty once sent for messages carrying a one-time link
  std::string about_type;
  int64_t about_id = 0;
  std::string key;
  std::string status;
  std::string reason;
  int attempts = 0;
  std::string next_attempt_at;
  bool in_doubt = false;
  std::string backend;
  std::string provider_id;
  std::string created_at;
  std::string sent_at;
  std::string delivered_at;
};

// What queueing did: the message (new, or the one already queued with the
// key), and whether it was new.
struct Queued {
  int64_t id = 0;
  std::string status;
  std::string reason;
  bool added = false;
};

struct OutboxQuery {
  std::string about_type;
  int64_t about_id = 0;
  std::vector<std::string> statuses;  // any when empty
  std::optional<int64_t> person_id;
  int limit = 200;
};

// Counts by status, for summaries.
using StatusCounts = std::map<std::string, int>;

class Outbox {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Outbox(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Queues `out` inside the caller's write transaction on `c`: renders the
  // organisation's wording of its kind in the person's version, and checks
  // consent and the daily limits (a message over a limit is kept as failed,
  // with the limit as its reason, so a lead sees it). Nothing when the key
  // was queued before.
  StatusOr<Queued> queue_in(store::Connection& c, int64_t organisation_id, const Outgoing& out);
  StatusOr<Queued> queue(int64_t organisation_id, const Outgoing& out);
  // Whether a message with `key` was queued before, on `c` (to make what a
  // message needs, a one-time link, only once).
  StatusOr<bool> queued_before(store::Connection& c, int64_t organisation_id, const std::string& key);

  StatusOr<Message> get(int64_t organisation_id, int64_t id);
  StatusOr<std::vector<Message>> list(int64_t organisation_id, const OutboxQuery& query);
  StatusOr<StatusCounts> counts(int64_t organisation_id, const std::string& about_type, int64_t about_id);

  // Staff made the call or posted the letter.
  Status mark_done(int64_t organisation_id, int64_t id, const Actor& actor);
  // A failed message queued to be tried again now.
  Status retry(int64_t organisation_id, int64_t id, const Actor& actor);

  // --- For the pages that show messages ---
  // Records in the audit log ("messages.read") that `actor` looked at
  // messages, which show people's contact details: one message
  // ("message", its id), those about a record ("activity", its id), or a list
  // ("messages", which one: "all", "failed", "to_call", ...).
  Status record_read(int64_t organisation_id, const std::string& subject_type, const std::string& subject_id,
                     const Actor& actor);

 private:
  store::Database& db_;
  const Clock& clock_;
};

// The columns Message reads, and reading one row of them.
extern const char* const kMessageColumns;
Message read_message(const store::Row& r);

}  // namespace coproduce::messages

#endif  // COPRODUCE_MESSAGES_OUTBOX_H_
