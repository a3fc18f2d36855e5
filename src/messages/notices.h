// What Coproduce tells people, and when: each event of the other modules
// turned into messages in the outbox, in each person's own way and wording.
//
//   Notices notices(db, clock, "https://coproduce.example.org");
//   notices.invite_to_activity(org, activity_id, actor);  // invites and tells them
//
// Every message has an idempotency key naming its event and person, so doing
// the same again (a button pressed twice, a reminder pass run by two server
// processes) sends nothing more.
#ifndef COPRODUCE_MESSAGES_NOTICES_H_
#define COPRODUCE_MESSAGES_NOTICES_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "activities/activities.h"
#include "core/clock.h"
#include "core/status.h"
#include "messages/outbox.h"
#include "store/database.h"

namespace coproduce::messages {

// How many messages an event queued, by what became of them.
struct Sent {
  int queued = 0;     // on their way (email, text, letter through a service)
  int to_call = 0;    // on the call list for staff
  int to_print = 0;   // letters for staff to print and post
  int not_sent = 0;   // refused: consent withdrawn, no way to reach them, over a limit, nothing set up
  int already = 0;    // sent before for this event
  int total() const { return queued + to_call + to_print + not_sent; }
};

class Notices {
 public:
  // `db` and `clock` must outlive this; `public_url` starts links in messages.
  Notices(store::Database& db, const Clock& clock, std::string public_url)
      : db_(db), clock_(clock), public_url_(std::move(public_url)) {}

  // Invites the group's members (Activities::invite_members) and tells
  // everyone invited who has not been told yet. `invited` gets how many were
  // newly invited.
  StatusOr<Sent> invite_to_activity(int64_t organisation_id, int64_t activity_id, const Actor& actor,
                                    int* invited = nullptr);
  // Tells everyone invited to the activity who has not been told yet.
  StatusOr<Sent> activity_invitations(int64_t organisation_id, int64_t activity_id, const Actor& actor);
  // Saves the change (Activities::update) and, when the day, time or place
  // changed, tells everyone invited who has not said they cannot come.
  StatusOr<Sent> update_activity(int64_t organisation_id, int64_t activity_id,
                                 const activities::ActivityInput& input, const Actor& actor);
  // Cancels the activity (Activities::cancel) and tells everyone invited.
  StatusOr<Sent> cancel_activity(int64_t organisation_id, int64_t activity_id, const Actor& actor);
  // Reminds everyone invited to an activity starting within `ahead` from
  // now, once, in every organisation. Run now and then.
  StatusOr<Sent> due_reminders(std::chrono::hours ahead);
  // Marks payroll lines paid (Payments::mark_paid) and tells each person
  // what was paid for their time.
  StatusOr<Sent> mark_paid(int64_t organisation_id, const std::vector<int64_t>& payment_ids,
                           const std::vector<int64_t>& claim_ids, const Actor& actor, int* marked = nullptr);
  // Invites a drawn panel (Recruitment::invite) and offers each new member
  // their place, with a link of their own to say yes or no within
  // kOfferDays days.
  StatusOr<Sent> invite_round(int64_t organisation_id, int64_t round_id, const Actor& actor);
  static constexpr int kOfferDays = 14;

  // Invites everyone in the pool who has consented and said they will answer
  // surveys (ways "surveys") to an open survey, each with a link of their
  // own; once per person and survey. kConflict when the survey is not open.
  StatusOr<Sent> survey_invitations(int64_t organisation_id, int64_t survey_id, const Actor& actor);

  // Tells every worker in post with an email address of each learning
  // module they must do that is due within kLearningDueDays, and of each
  // they are overdue on (or whose renewal is), once each time it falls due.
  // Run now and then.
  StatusOr<Sent> learning_reminders();
  static constexpr int kLearningDueDays = 7;

  // A one-time link for a new user, or to reset a password, to the user's
  // email address. `token` goes into `path` ("/invitations/", "/reset/").
  StatusOr<Queued> account_link(const accounts::User& user, const std::string& kind, const std::string& path,
                                const std::string& token, const std::string& expires);

 private:
  // Queues `kind` about the activity to the listed people; `key` names the
  // event ("activity-invitation:12"), to which the person's id is added.
  StatusOr<Sent> tell_invited(store::Connection& c, int64_t organisation_id, const activities::Activity& activity,
                              const std::vector<int64_t>& people, const std::string& kind, const std::string& key,
                              const std::map<std::string, std::string>& what_changed, const Actor& actor);

  store::Database& db_;
  const Clock& clock_;
  std::string public_url_;
};

// "Tuesday 3 March 2026 at 10:30am" from a local "YYYY-MM-DDTHH:MM".
std::string spoken_when(const std::string& starts_at);

}  // namespace coproduce::messages

#endif  // COPRODUCE_MESSAGES_NOTICES_H_
