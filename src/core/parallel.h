// Work split over the machine's cores, one index at a time.
#ifndef COPRODUCE_CORE_PARALLEL_H_
#define COPRODUCE_CORE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace coproduce {

// The machine's hardware threads, at least one.
inline unsigned hardware_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

// A thread count from an option where 0 means one per core.
inline unsigned threads_or_every_core(unsigned threads) { return threads != 0 ? threads : hardware_threads(); }

// Runs fn(i, worker) once for every i in [0, count), on up to `threads`
// threads; the calling thread is worker 0, and the others are numbered
// 1 to threads - 1. Indices go out in order to whichever worker is free,
// so which worker runs an index varies: fn must write only to what index i
// owns, or to what worker `worker` owns (scratch space, say), and then the
// results do not depend on the number of threads. Returns when all are done.
template <typename Fn>
void parallel_for(size_t count, unsigned threads, Fn&& fn) {
  const auto workers = static_cast<unsigned>(std::min<size_t>(std::max(1u, threads), count));
  if (workers <= 1) {
    for (size_t i = 0; i < count; ++i) fn(i, 0u);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&](unsigned worker) {
    for (size_t i = next++; i < count; i = next++) fn(i, worker);
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0u);
  for (auto& t : pool) t.join();
}

}  // namespace coproduce

#endif  // COPRODUCE_CORE_PARALLEL_H_
