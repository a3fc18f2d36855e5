#include "web/jobs.h"

namespace coproduce::web {

JobQueue::JobQueue() : worker_([this] { work(); }) {}

JobQueue::~JobQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    jobs_.clear();
  }
  cv_.notify_all();
  worker_.join();
}

void JobQueue::submit(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_all();
}

void JobQueue::drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return jobs_.empty() && !busy_; });
}

bool JobQueue::busy() {
  std::lock_guard lock(mu_);
  return busy_;
}

void JobQueue::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      busy_ = true;
    }
    job();
    {
      std::lock_guard lock(mu_);
      busy_ = false;
    }
    cv_.notify_all();
  }
}

}  // namespace coproduce::web
