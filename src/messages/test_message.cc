#include "messages/test_message.h"

#include "core/text.h"
#include "messages/settings.h"
#include "security/crypto.h"

namespace coproduce::messages {

StatusOr<Queued> queue_test(store::Database& db, const Clock& clock, const accounts::User& sender,
                            const std::string& to) {
  std::string problem;
  std::string address = normalise_email(to, &problem);
  if (!problem.empty()) {
    Location where;
    where.field = "to";
    return InvalidInput(problem, where);
  }
  int64_t org = sender.organisation_id;
  auto settings = MessageSettings(db, clock).get(org);
  if (!settings.ok()) return settings.status();
  if (!settings->sends(kEmail)) {
    return Conflict(settings->backend.empty()
                        ? "No way of sending messages is set up: set one up in Messages settings first"
                        : "The way of sending messages set up has no email template: add one first");
  }
  Outgoing out;
  out.kind = "test";
  out.to.user_id = sender.id;
  out.to.channel = kEmail;
  out.to.address = address;
  out.about_type = "user";
  out.about_id = sender.id;
  // Each test is its own message.
  out.key = "test:" + std::to_string(sender.id) + ":" + security::random_token();
  out.values = {{"organisation", sender.organisation_name}};
  return Outbox(db, clock).queue(org, out);
}

}  // namespace coproduce::messages
