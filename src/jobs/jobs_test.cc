// Jobs against real SQLite and PostgreSQL databases built by the
// migrations: claiming once (racing claimers included), recovery of jobs
// whose process died, and the worker running them.
#include "jobs/jobs.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/temporary_database.h"

namespace coproduce::jobs {
namespace {

using store::Engine;

std::string test_name() {
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  for (char& c : name)
    if (c == '/') c = '-';
  return name;
}

// Every test runs on SQLite and on PostgreSQL (a throwaway server; skipped
// only when its programs are not installed).
class JobsTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (db_.engine_missing()) GTEST_SKIP() << db_.status().to_string();
    ASSERT_TRUE(db_.status().ok()) << db_.status().to_string();
  }

  int64_t enqueue(const std::string& kind, int64_t subject, int attempts = 1) {
    auto c = db_->connection();
    EXPECT_TRUE(c.ok());
    auto id = jobs_.enqueue(**c, std::nullopt, kind, subject, attempts);
    EXPECT_TRUE(id.ok()) << id.status().to_string();
    return id.ok() ? *id : 0;
  }

  Job job(int64_t id) {
    auto j = jobs_.get(id);
    EXPECT_TRUE(j.ok() && *j);
    return j.ok() && *j ? **j : Job{};
  }

  FakeClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 12 / 6}};
  store::TemporaryDatabase db_{"jobs-" + test_name(), GetParam()};
  Jobs jobs_{*db_, clock_};
};

INSTANTIATE_TEST_SUITE_P(Engines, JobsTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const ::testing::TestParamInfo<Engine>& p) { return store::engine_name(p.param); });

TEST_P(JobsTest, AJobIsClaimedOnceOldestFirstAndEnds) {
  int64_t first = enqueue("test.kind", 7);
  int64_t second = enqueue("test.kind", 8);
  auto a = jobs_.claim("p1");
  ASSERT_TRUE(a.ok() && *a);
  EXPECT_EQ((*a)->id, first);
  EXPECT_EQ((*a)->state, "running");
  EXPECT_EQ((*a)->attempts, 1);
  auto b = jobs_.claim("p2");
  ASSERT_TRUE(b.ok() && *b);
  EXPECT_EQ((*b)->id, second);
  auto none = jobs_.claim("p3");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  ASSERT_TRUE(jobs_.finish(first, "p1", Status::Ok()).ok());
  ASSERT_TRUE(jobs_.finish(second, "p2", InvalidInput("The round is not waiting to run")).ok());
  EXPECT_EQ(job(first).state, "done");
  EXPECT_EQ(job(second).state, "failed");
  EXPECT_EQ(job(second).error, "The round is not waiting to run");
  // Only the claimer may end or keep alive a job.
  int64_t third = enqueue("test.kind", 9);
  ASSERT_TRUE(jobs_.claim("p1").ok());
  EXPECT_FALSE(*jobs_.beat(third, "p2"));
  ASSERT_TRUE(jobs_.finish(third, "p2", Status::Ok()).ok());
  EXPECT_EQ(job(third).state, "running");
  EXPECT_TRUE(*jobs_.beat(third, "p1", "Half way"));
  EXPECT_EQ(job(third).progress, "Half way");
}

TEST_P(JobsTest, ClaimersRacingTakeEachJobExactlyOnce) {
  const int kJobs = 40;
  for (int i = 0; i < kJobs; ++i) enqueue("test.kind", i);
  std::vector<std::vector<int64_t>> taken(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < taken.size(); ++t) {
    threads.emplace_back([&, t] {
      for (;;) {
        auto j = jobs_.claim("p" + std::to_string(t));
        if (!j.ok()) continue;  // busy: try again
        if (!*j) return;
        taken[t].push_back((*j)->id);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::multiset<int64_t> all;
  for (const auto& list : taken) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::set<int64_t>(all.begin(), all.end()).size(), static_cast<size_t>(kJobs)) << "a job claimed twice";
}

TEST_P(JobsTest, AJobWhoseProcessStoppedAnsweringIsHandedOnOrFailedWithTheReason) {
  int64_t once = enqueue("test.kind", 1, 1);
  int64_t twice = enqueue("test.kind", 2, 2);
  ASSERT_TRUE(jobs_.claim("elsewhere:1:1").ok());
  ASSERT_TRUE(jobs_.claim("elsewhere:1:1").ok());
  // Still beating: nothing to recover.
  clock_.advance(std::chrono::seconds(20));
  ASSERT_TRUE(jobs_.beat(twice, "elsewhere:1:1").ok());
  auto quiet = jobs_.recover();
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE(quiet->empty());
  EXPECT_EQ(job(once).state, "running");
  // Silent for longer than kStaleAfter: the one-attempt job fails with the
  // reason and is reported; the other is queued again for its second try.
  clock_.advance(kStaleAfter + std::chrono::seconds(1));
  auto failed = jobs_.recover();
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ(failed->front().id, once);
  EXPECT_EQ(job(once).state, "failed");
  EXPECT_NE(job(once).error.find("stopped answering"), std::string::npos);
  EXPECT_EQ(job(twice).state, "queued");
  // The old claimer can no longer end it; the new one can.
  auto again = jobs_.claim("p2");
  ASSERT_TRUE(again.ok() && *again);
  EXPECT_EQ((*again)->id, twice);
  EXPECT_EQ((*again)->attempts, 2);
  ASSERT_TRUE(jobs_.finish(twice, "elsewhere:1:1", Status::Ok()).ok());
  EXPECT_EQ(job(twice).state, "running");
  // A second recovery finds nothing more to do.
  auto none = jobs_.recover();
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(JobsTest, AJobOfAProcessOnThisMachineThatDiedIsRecoveredAtOnce) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  int64_t id = enqueue("test.kind", 1);
  std::string name = process_name();
  std::string dead = name.substr(0, name.find(':')) + ":" + std::to_string(child) + ":1";
  ASSERT_TRUE(jobs_.claim(dead).ok());
  ASSERT_TRUE(jobs_.claim(process_name()).ok() && true);
  auto failed = jobs_.recover();  // no time has passed
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ(failed->front().id, id);
  EXPECT_NE(job(id).error.find("stopped before it finished"), std::string::npos);
}

TEST_P(JobsTest, TheWorkerRunsEachKindByItsHandlerAndReportsFailures) {
  std::atomic<int> ran{0};
  std::vector<int64_t> given_up;
  Worker worker(
      jobs_,
      {{"test.ok", [&](const Job&) {
          ++ran;
          return Status::Ok();
        }},
       {"test.fails", [&](const Job&) { return InvalidInput("Nothing to draw from"); }}},
      [&](const Job& j) { given_up.push_back(j.id); }, std::chrono::milliseconds(50));
  int64_t ok1 = enqueue("test.ok", 1), bad = enqueue("test.fails", 2), unknown = enqueue("test.unknown", 3);
  int64_t ok2 = enqueue("test.ok", 4);
  worker.drain();
  EXPECT_EQ(ran.load(), 2);
  EXPECT_EQ(job(ok1).state, "done");
  EXPECT_EQ(job(ok2).state, "done");
  EXPECT_EQ(job(bad).state, "failed");
  EXPECT_EQ(job(bad).error, "Nothing to draw from");
  EXPECT_EQ(job(unknown).state, "failed");
  EXPECT_NE(job(unknown).error.find("test.unknown"), std::string::npos);
  EXPECT_FALSE(worker.busy());
  EXPECT_TRUE(given_up.empty());
}

}  // namespace
}  // namespace coproduce::jobs
