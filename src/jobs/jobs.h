// Background work kept in the database, so that any server process can run
// it and any can report on it (issue 14: several server processes).
//
// A job is a row: its kind ("recruitment.run"), what it is about (a
// subject id) and its state (queued, running, done, failed). A process
// claims the oldest queued job with one conditional UPDATE, so on any
// engine exactly one claimer wins; while it works it writes a heartbeat.
// A job whose heartbeat stops (its process died or was killed) is queued
// again while it has attempts left, and otherwise marked failed with the
// reason, so it is never lost and never run twice at once.
//
//   Jobs jobs(db, clock);
//   jobs.enqueue(conn, org, "recruitment.run", round_id);        // in the caller's transaction
//   Worker worker(jobs, {{"recruitment.run", run_round}}, on_given_up);
//   worker.wake();                                               // something was queued here
#ifndef COPRODUCE_JOBS_JOBS_H_
#define COPRODUCE_JOBS_JOBS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/database.h"

namespace coproduce::jobs {

struct Job {
  int64_t id = 0;
  std::optional<int64_t> organisation_id;
  std::string kind;
  int64_t subject_id = 0;
  std::string state;  // queued, running, done, failed
  int attempts = 0;
  int max_attempts = 1;
  std::string claimed_by;
  std::string heartbeat_at;
  std::string progress;
  std::string error;
};

// How long a running job may go without a heartbeat before it is taken to
// have died, and how often a running job beats.
inline constexpr std::chrono::seconds kStaleAfter{30};
inline constexpr std::chrono::seconds kBeatEvery{5};

// This process's name in claimed_by: "host:pid:random".
std::string process_name();
// Whether the process a claimed_by names is known to be gone: only a process
// on this machine can be checked, so false for another machine's.
bool known_dead(const std::string& claimed_by);

class Jobs {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Jobs(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Queues a job on `conn` (inside the caller's transaction, so the job and
  // the record it is about are saved together). `max_attempts` counts runs:
  // 1 for work that must not start again part-way.
  StatusOr<int64_t> enqueue(store::Connection& conn, std::optional<int64_t> organisation_id, const std::string& kind,
                            int64_t subject_id, int max_attempts = 1);

  // Claims the oldest queued job for `worker`, or nullopt when none waits.
  // Two claimers racing for one job: exactly one gets it.
  StatusOr<std::optional<Job>> claim(const std::string& worker);
  // Keeps a claimed job alive; false when it is no longer `worker`'s (it was
  // taken to have died and handed on).
  StatusOr<bool> beat(int64_t id, const std::string& worker, const std::string& progress = "");
  // Ends a claimed job: done, or failed with `error`. Nothing happens when it
  // is no longer `worker`'s or has already ended.
  Status finish(int64_t id, const std::string& worker, const Status& outcome);
  // Ends the jobs of `kind` about `subject_id` that are still queued or
  // running as done: the work was done another way (run directly).
  Status done_for(store::Connection& conn, const std::string& kind, int64_t subject_id);

  // Running jobs whose heartbeat is older than kStaleAfter, and running jobs
  // of processes on this machine that are no longer alive: queued again when
  // they have attempts left, otherwise failed with the reason. Returns those
  // that failed, for their owners to mark their own records.
  StatusOr<std::vector<Job>> recover();

  StatusOr<std::optional<Job>> get(int64_t id);
  // The newest job of `kind` about `subject_id`.
  StatusOr<std::optional<Job>> latest(const std::string& kind, int64_t subject_id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

// Runs jobs in this process, one at a time on its own thread (the selection
// engine's solvers must not run concurrently): it claims from the database
// when woken and every `poll`, beats while a job runs, and recovers jobs of
// processes that died.
class Worker {
 public:
  using Handler = std::function<Status(const Job&)>;
  // Told of a job given up on (it died with no attempts left), to mark the
  // record it was about.
  using GivenUp = std::function<void(const Job&)>;

  Worker(Jobs& jobs, std::map<std::string, Handler> handlers, GivenUp given_up,
         std::chrono::milliseconds poll = std::chrono::milliseconds(2000));
  // Finishes the job in hand, then stops.
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Looks for work now: a job was just queued.
  void wake();
  // Whether a job is running in this process now.
  bool busy();
  // Blocks until no job is queued and none runs here (for tests).
  void drain();
  const std::string& name() const { return name_; }

 private:
  void work();
  // Claims and runs one job; false when none was waiting.
  bool run_one();

  Jobs& jobs_;
  std::map<std::string, Handler> handlers_;
  GivenUp given_up_;
  std::chrono::milliseconds poll_;
  std::string name_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  bool busy_ = false;
  bool idle_ = false;  // the last look found nothing waiting
  std::thread thread_;
};

}  // namespace coproduce::jobs

#endif  // COPRODUCE_JOBS_JOBS_H_
