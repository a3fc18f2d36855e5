// Long work (a large selection) runs here, off the request threads, one job
// at a time: the selection engine's solvers must not run concurrently. Jobs
// record their own progress in the database, so any process can report it.
#ifndef COPRODUCE_WEB_JOBS_H_
#define COPRODUCE_WEB_JOBS_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace coproduce::web {

class JobQueue {
 public:
  JobQueue();
  // Finishes the job in hand; jobs still waiting are dropped (their records
  // say they were interrupted, and the next start marks them so).
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues `job`; it must not throw. Thread-safe.
  void submit(std::function<void()> job);
  // Blocks until every job submitted so far has finished (for tests).
  void drain();
  // Whether a job is running now.
  bool busy();

 private:
  void work();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  bool busy_ = false;
  std::thread worker_;
};

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_JOBS_H_
