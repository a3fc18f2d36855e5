// The services that carry messages: GOV.UK Notify's REST API (email, text
// messages, letters) and an SMTP relay (email), both spoken through libcurl.
//
// A send ends one of three ways: sent (with the service's id for it), a
// temporary failure worth trying again (the service is down, busy or slow),
// or a permanent one (the address does not exist, the key is wrong). A send
// cut short after the request left is "in doubt": the service may have it.
// Notify can be asked whether it has a message by its reference (our
// idempotency key), so a message in doubt is looked up before it is sent
// again; an SMTP relay cannot, so its messages carry the key as their
// Message-ID for the receiving side to recognise a repeat.
#ifndef COPRODUCE_MESSAGES_BACKENDS_H_
#define COPRODUCE_MESSAGES_BACKENDS_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "messages/settings.h"

namespace coproduce::messages {

// One message as a service is given it.
struct Envelope {
  std::string channel;  // email, sms or letter
  std::string to;       // an email address, a +44 mobile number, or postal address lines
  std::string name;
  std::string subject;
  std::string body;
  std::string reference;  // the idempotency key
  bool large_print = false;
};

struct Delivery {
  enum class Outcome { kSent, kTemporary, kPermanent };
  Outcome outcome = Outcome::kTemporary;
  std::string provider_id;
  std::string reason;     // for failures: what went wrong, for a person to act on
  bool in_doubt = false;  // the request may have reached the service
};

// What a service knows of a sent message: still on its way, delivered, or
// failed with a reason.
struct DeliveryStatus {
  std::string status;  // sending, delivered or failed
  std::string reason;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Delivery send(const Envelope& envelope) = 0;
  // Whether the service can say if it has a message by reference.
  virtual bool can_look_up() const { return false; }
  // The service's id of the message sent with `reference`, nullopt when it
  // has none; kUnavailable when it cannot be asked now.
  virtual StatusOr<std::optional<std::string>> look_up(const std::string& reference) {
    (void)reference;
    return std::optional<std::string>();
  }
  // Whether the service can report delivery afterwards.
  virtual bool reports_delivery() const { return false; }
  virtual StatusOr<DeliveryStatus> delivery(const std::string& provider_id) {
    (void)provider_id;
    return Unavailable("this service does not report delivery");
  }
};

// The backend `settings` choose, with its opened secrets; nullptr when none
// is set. `timeout` bounds each request.
std::unique_ptr<Backend> make_backend(const Settings& settings, const Secrets& secrets,
                                      std::chrono::milliseconds timeout);

// The JSON Web Token GOV.UK Notify expects: HS256, claims {iss: the service
// id, iat: `issued_at` in seconds since 1970}, signed with the key's secret.
std::string notify_token(const NotifyKey& key, long long issued_at);

// An email as an SMTP relay is given it (RFC 5322, UTF-8 text in base64),
// with `message_id` as its Message-ID and `date` as its Date header.
std::string smtp_message(const std::string& from, const Envelope& envelope, const std::string& message_id,
                         const std::string& date);

}  // namespace coproduce::messages

#endif  // COPRODUCE_MESSAGES_BACKENDS_H_
