#include "core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace coproduce {
namespace {

TEST(ParallelFor, RunsEveryIndexOnceOnAWorkerInRange) {
  for (unsigned threads : {0u, 1u, 2u, 7u}) {
    std::vector<std::atomic<int>> runs(1000);
    std::vector<unsigned> worker_of(1000, 99);
    parallel_for(runs.size(), threads, [&](size_t i, unsigned worker) {
      ++runs[i];
      worker_of[i] = worker;
    });
    for (size_t i = 0; i < runs.size(); ++i) {
      EXPECT_EQ(runs[i].load(), 1) << "index " << i << ", " << threads << " threads";
      EXPECT_LT(worker_of[i], std::max(1u, threads)) << "index " << i << ", " << threads << " threads";
    }
  }
}

TEST(ParallelFor, NothingToDoReturnsAtOnce) {
  int calls = 0;
  parallel_for(0, 4, [&](size_t, unsigned) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(ParallelFor, PerWorkerScratchGivesTheSameResultsAsOneThread) {
  auto sums = [](unsigned threads) {
    std::vector<long> out(500);
    std::vector<std::vector<long>> scratch(threads == 0 ? 1 : threads);
    parallel_for(out.size(), threads, [&](size_t i, unsigned worker) {
      std::vector<long>& mine = scratch[worker];
      mine.assign(i + 1, static_cast<long>(i));
      long sum = 0;
      for (long v : mine) sum += v;
      out[i] = sum;
    });
    return out;
  };
  EXPECT_EQ(sums(4), sums(1));
  EXPECT_EQ(sums(1)[10], 110);
}

}  // namespace
}  // namespace coproduce
