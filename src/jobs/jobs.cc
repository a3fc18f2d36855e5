#include "jobs/jobs.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <utility>

namespace coproduce::jobs {
namespace {

using store::Connection;
using store::Row;

constexpr const char* kColumns =
    "id, organisation_id, kind, subject_id, state, attempts, max_attempts, claimed_by, heartbeat_at, progress, error";

Job job_of(const Row& r) {
  Job j;
  j.id = r.integer(0);
  if (!r.is_null(1)) j.organisation_id = r.integer(1);
  j.kind = r.text(2);
  j.subject_id = r.integer(3);
  j.state = r.text(4);
  j.attempts = static_cast<int>(r.integer(5));
  j.max_attempts = static_cast<int>(r.integer(6));
  j.claimed_by = r.text(7);
  j.heartbeat_at = r.is_null(8) ? "" : r.text(8);
  j.progress = r.text(9);
  j.error = r.text(10);
  return j;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

}  // namespace

bool known_dead(const std::string& claimed_by) {
  size_t first = claimed_by.find(':');
  size_t second = first == std::string::npos ? std::string::npos : claimed_by.find(':', first + 1);
  if (second == std::string::npos) return false;
  if (claimed_by.substr(0, first) != host_name()) return false;
  long pid = 0;
  try {
    pid = std::stol(claimed_by.substr(first + 1, second - first - 1));
  } catch (const std::exception&) {
    return false;
  }
  if (pid <= 0) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

std::string process_name() {
  static const std::string name = [] {
    std::random_device rd;
    return host_name() + ":" + std::to_string(getpid()) + ":" + std::to_string(rd() % 1000000);
  }();
  return name;
}

StatusOr<int64_t> Jobs::enqueue(Connection& c, std::optional<int64_t> org, const std::string& kind,
                                int64_t subject_id, int max_attempts) {
  auto row = c.query_one(
      "INSERT INTO jobs (organisation_id, kind, subject_id, state, max_attempts, created_at)"
      " VALUES ($1, $2, $3, 'queued', $4, $5) RETURNING id",
      {org ? store::Value(*org) : store::Value(), kind, subject_id, std::max(1, max_attempts),
       format_timestamp(clock_.now())});
  if (!row.ok()) return row.status();
  return row->integer(0);
}

StatusOr<std::optional<Job>> Jobs::claim(const std::string& worker) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  std::string now = format_timestamp(clock_.now());
  // One statement: the inner SELECT names the oldest queued job and the
  // outer WHERE checks it is still queued when the row is written, so of two
  // claimers racing for it one updates it and the other updates nothing.
  auto rows = (*c)->query(std::string("UPDATE jobs SET state = 'running', claimed_by = $1, heartbeat_at = $2,"
                                      " started_at = $2, attempts = attempts + 1, progress = ''"
                                      " WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1)"
                                      " AND state = 'queued' RETURNING ") +
                              kColumns,
                          {worker, now});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Job>();
  return std::optional<Job>(job_of(rows->front()));
}

StatusOr<bool> Jobs::beat(int64_t id, const std::string& worker, const std::string& progress) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto n = (*c)->execute(
      "UPDATE jobs SET heartbeat_at = $1, progress = CASE WHEN $2 = '' THEN progress ELSE $2 END"
      " WHERE id = $3 AND claimed_by = $4 AND state = 'running'",
      {format_timestamp(clock_.now()), progress, id, worker});
  if (!n.ok()) return n.status();
  return *n == 1;
}

Status Jobs::finish(int64_t id, const std::string& worker, const Status& outcome) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto n = (*c)->execute(
      "UPDATE jobs SET state = $1, error = $2, finished_at = $3 WHERE id = $4 AND claimed_by = $5"
      " AND state = 'running'",
      {outcome.ok() ? "done" : "failed", outcome.ok() ? std::string() : outcome.message(),
       format_timestamp(clock_.now()), id, worker});
  return n.ok() ? Status::Ok() : n.status();
}

Status Jobs::done_for(Connection& c, const std::string& kind, int64_t subject_id) {
  auto n = c.execute(
      "UPDATE jobs SET state = 'done', finished_at = $1 WHERE kind = $2 AND subject_id = $3"
      " AND state IN ('queued', 'running')",
      {format_timestamp(clock_.now()), kind, subject_id});
  return n.ok() ? Status::Ok() : n.status();
}

StatusOr<std::vector<Job>> Jobs::recover() {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kColumns + " FROM jobs WHERE state = 'running' ORDER BY id");
  if (!rows.ok()) return rows.status();
  std::string now = format_timestamp(clock_.now());
  std::string cutoff = format_timestamp(clock_.now() - kStaleAfter);
  std::vector<Job> failed;
  for (const auto& r : *rows) {
    Job j = job_of(r);
    bool dead = known_dead(j.claimed_by);
    if (!dead && j.heartbeat_at >= cutoff) continue;
    std::string why = dead ? "The server process running it stopped before it finished."
                           : "The server process running it stopped answering before it finished.";
    // Each change is conditional on the job still being that process's, so
    // two processes recovering at once act on it once.
    if (j.attempts < j.max_attempts) {
      auto n = (*c)->execute(
          "UPDATE jobs SET state = 'queued', claimed_by = '', progress = '', error = $1"
          " WHERE id = $2 AND state = 'running' AND claimed_by = $3",
          {why, j.id, j.claimed_by});
      if (!n.ok()) return n.status();
    } else {
      auto n = (*c)->execute(
          "UPDATE jobs SET state = 'failed', error = $1, finished_at = $2"
          " WHERE id = $3 AND state = 'running' AND claimed_by = $4",
          {why, now, j.id, j.claimed_by});
      if (!n.ok()) return n.status();
      if (*n == 1) {
        j.state = "failed";
        j.error = why;
        failed.push_back(std::move(j));
      }
    }
  }
  return failed;
}

StatusOr<std::optional<Job>> Jobs::get(int64_t id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = $1", {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Job>();
  return std::optional<Job>(job_of(rows->front()));
}

StatusOr<std::optional<Job>> Jobs::latest(const std::string& kind, int64_t subject_id) {
  auto c = db_.connection();
  if (!c.ok()) return c.status();
  auto rows = (*c)->query(std::string("SELECT ") + kColumns +
                              " FROM jobs WHERE kind = $1 AND subject_id = $2 ORDER BY id DESC LIMIT 1",
                          {kind, subject_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Job>();
  return std::optional<Job>(job_of(rows->front()));
}

// ---- Worker ----

Worker::Worker(Jobs& jobs, std::map<std::string, Handler> handlers, GivenUp given_up, std::chrono::milliseconds poll)
    : jobs_(jobs),
      handlers_(std::move(handlers)),
      given_up_(std::move(given_up)),
      poll_(poll),
      name_(process_name()),
      thread_([this] { work(); }) {}

Worker::~Worker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Worker::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
    idle_ = false;
  }
  cv_.notify_all();
}

bool Worker::busy() {
  std::lock_guard lock(mu_);
  return busy_;
}

void Worker::drain() {
  wake();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return stopping_ || (idle_ && !busy_ && !woken_); });
}

void Worker::work() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, poll_, [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
    if (auto failed = jobs_.recover(); failed.ok()) {
      for (const Job& j : *failed)
        if (given_up_) given_up_(j);
    }
    while (run_one()) {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    {
      std::lock_guard lock(mu_);
      idle_ = true;
    }
    cv_.notify_all();
  }
}

bool Worker::run_one() {
  auto claimed = jobs_.claim(name_);
  if (!claimed.ok() || !*claimed) return false;
  const Job job = **claimed;
  {
    std::lock_guard lock(mu_);
    busy_ = true;
  }
  // The heartbeat, on its own thread while the job runs.
  std::mutex beat_mu;
  std::condition_variable beat_cv;
  bool finished = false;
  std::thread beating([&] {
    std::unique_lock lock(beat_mu);
    while (!beat_cv.wait_for(lock, kBeatEvery, [&] { return finished; })) {
      lock.unlock();
      (void)jobs_.beat(job.id, name_);
      lock.lock();
    }
  });
  Status outcome = Status::Ok();
  auto handler = handlers_.find(job.kind);
  if (handler == handlers_.end())
    outcome = Unavailable("No process here knows how to run a job of kind " + job.kind);
  else
    outcome = handler->second(job);
  {
    std::lock_guard lock(beat_mu);
    finished = true;
  }
  beat_cv.notify_all();
  beating.join();
  (void)jobs_.finish(job.id, name_, outcome);
  {
    std::lock_guard lock(mu_);
    busy_ = false;
  }
  cv_.notify_all();
  return true;
}

}  // namespace coproduce::jobs
