// Sends what the outbox holds, from threads of its own, so sending never
// holds up a page.
//
// Each sender claims the oldest message that is due with one conditional
// UPDATE (so on any engine, and across server processes, one sender gets
// it), sends it through its organisation's service and records how it went.
// A temporary failure waits and tries again, twice as long each time, up to
// a limit; a permanent one is recorded with its reason. A message whose
// sender died mid-send (the process was killed, the machine stopped) is
// queued again as "in doubt", and a service that can be asked (GOV.UK
// Notify) is asked whether it already has it before it is sent again, so a
// restart in the middle of a batch sends each message once. Between
// messages, one sender asks Notify whether what it took was delivered, and
// runs the periodic work it is given (reminders before activities).
#ifndef COPRODUCE_MESSAGES_DISPATCHER_H_
#define COPRODUCE_MESSAGES_DISPATCHER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "messages/backends.h"
#include "messages/outbox.h"
#include "security/crypto.h"
#include "store/database.h"

namespace coproduce::messages {

struct DispatchOptions {
  int senders = 4;                               // threads sending at once
  std::chrono::milliseconds poll{1000};          // how often idle senders look
  std::chrono::seconds retry_after{30};          // the first wait after a temporary failure; doubles each time
  int max_attempts = 8;                          // tries before a message is given up on
  std::chrono::seconds lease{120};               // a send claimed longer ago than this is taken to have died
  std::chrono::seconds check_delivery_after{60}; // how long after sending Notify is asked about delivery
  std::chrono::milliseconds timeout{15000};      // each request to a service
  std::chrono::seconds periodic_every{60};       // how often `periodic` runs
  std::function<void()> periodic;                // work to do now and then (reminders); may be empty
};

// What one pass of sending did, for tests, benchmarks and progress.
struct DispatchCounts {
  int sent = 0;
  int failed = 0;
  int waiting = 0;  // a temporary failure: queued again for later
  int found = 0;    // in doubt, and the service already had it
};

class Dispatcher {
 public:
  // `db` and `clock` must outlive this. `box` opens stored keys; without it
  // messages wait, saying the server has no key. Starts no threads until
  // start().
  Dispatcher(store::Database& db, const Clock& clock, std::optional<security::SecretBox> box,
             DispatchOptions options = {});
  // Finishes the sends in hand, then stops.
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void start();
  // Something was queued: look now.
  void wake();

  // On the calling thread: recovers sends that died, then sends everything
  // due until nothing is. For tests and benchmarks.
  StatusOr<DispatchCounts> run_until_idle();
  // Queues again the sends of processes that died or whose lease ran out, as
  // in doubt. Returns how many.
  StatusOr<int> recover();
  // Asks the services that report delivery about messages sent a while ago.
  // Returns how many changed.
  StatusOr<int> check_deliveries();

 private:
  // Claims one due message and sends it; false when none was due.
  StatusOr<bool> send_one(DispatchCounts* counts);
  Status record(const Message& m, const Delivery& d, DispatchCounts* counts);
  // The backend for an organisation, built again when its settings change.
  StatusOr<std::shared_ptr<Backend>> backend_for(int64_t organisation_id);
  void loop(int index);

  store::Database& db_;
  const Clock& clock_;
  std::optional<security::SecretBox> box_;
  DispatchOptions options_;
  std::string name_;

  std::mutex backends_mu_;
  struct CachedBackend {
    int64_t revision = 0;
    std::shared_ptr<Backend> backend;
  };
  std::map<int64_t, CachedBackend> backends_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int wakes_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace coproduce::messages

#endif  // COPRODUCE_MESSAGES_DISPATCHER_H_
