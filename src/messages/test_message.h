// A test email: how an administrator checks that their organisation's way of
// sending works, from the messages settings page or the API
// (POST /api/v1/messages/test), which both queue it here.
#ifndef COPRODUCE_MESSAGES_TEST_MESSAGE_H_
#define COPRODUCE_MESSAGES_TEST_MESSAGE_H_

#include <string>

#include "accounts/accounts.h"
#include "core/clock.h"
#include "core/status.h"
#include "messages/outbox.h"
#include "store/database.h"

namespace coproduce::messages {

// Queues a test email from `sender`'s organisation to the address `to`, as a
// message of its own each time (kind "test", about the sender's user record).
// The caller wakes the sender afterwards.
//
// Fails kInvalidInput with where().field "to" when `to` is not an email
// address, and kConflict when the organisation has no way of sending email
// set up (saying what to do). A test queued over a daily limit is not an
// error: it is kept as failed, and the result says so in status and reason.
//
//   auto queued = messages::queue_test(db, clock, *ctx.user, "me@example.org");
StatusOr<Queued> queue_test(store::Database& db, const Clock& clock, const accounts::User& sender,
                            const std::string& to);

}  // namespace coproduce::messages

#endif  // COPRODUCE_MESSAGES_TEST_MESSAGE_H_
