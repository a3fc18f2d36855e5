// For the learning tests only: what their files share.
//
// DatabaseTest is the fixture of the tests against a real database. Each
// test gets a fresh one, migrated to the current schema, holding
//
//   organisation 1 'Org'     user 1 lead@x.org, a learning lead   actor_
//   organisation 2 'Other'   user 2 lead@y.org, a learning lead   other_actor_
//
// and nothing else: no workers, and no modules until a test lists them
// (listing an organisation's modules makes its copy of the starter module).
// The clock stands at 2026-06-15 10:00 UTC until a test moves it.
//
// The rest are small helpers several test files use: at() for a time,
// NameOf for parameterised cases, describe() for problems, a worker with
// the fields ASC-WDS holds, and the answers that pass or fail a check.
#ifndef COPRODUCE_LEARNING_TEST_SUPPORT_H_
#define COPRODUCE_LEARNING_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/vocabulary.h"
#include "learning/content.h"
#include "learning/learning.h"
#include "learning/workforce.h"
#include "store/temporary_database.h"

namespace coproduce::learning::test_support {

// The time `timestamp` ("2026-06-15T10:00:00Z") stands for; a mistyped one fails the test.
inline TimePoint at(const std::string& timestamp) {
  TimePoint t;
  EXPECT_TRUE(parse_timestamp(timestamp, &t)) << timestamp;
  return t;
}

// Names each case of a parameterised test by its `name`, so a failure says which row.
struct NameOf {
  template <typename Info>
  std::string operator()(const Info& i) const {
    return i.param.name;
  }
};

// Problems found in an imported file, one a line, for a failure message.
inline std::string describe(const std::vector<ImportProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.where.to_string() + ": " + p.message + "\n";
  return out;
}

// A worker with the fields an ASC-WDS worker file carries; team, leaving
// date and email are left empty.
inline WorkerInput ascwds_worker(std::string worker_id, std::string name, std::string workplace, std::string job_role,
                                 std::string role_category, std::string closeness, std::string started_on,
                                 std::string care_certificate = "not_started") {
  WorkerInput in;
  in.worker_id = std::move(worker_id);
  in.name = std::move(name);
  in.workplace = std::move(workplace);
  in.job_role = std::move(job_role);
  in.role_category = std::move(role_category);
  in.closeness = std::move(closeness);
  in.started_on = std::move(started_on);
  in.care_certificate = std::move(care_certificate);
  return in;
}

// Expects `got` to hold what an ASC-WDS worker file carries of `want`.
inline void expect_same_ascwds_fields(const WorkerInput& got, const WorkerInput& want) {
  SCOPED_TRACE(want.worker_id);
  EXPECT_EQ(got.worker_id, want.worker_id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.workplace, want.workplace);
  EXPECT_EQ(got.job_role, want.job_role);
  EXPECT_EQ(got.role_category, want.role_category);
  EXPECT_EQ(got.closeness, want.closeness);
  EXPECT_EQ(got.started_on, want.started_on);
  EXPECT_EQ(got.care_certificate, want.care_certificate);
}

// The answers that get every question of `content` right.
inline Answers right_answers(const ModuleContent& content) {
  Answers out;
  for (const auto& q : content.questions) {
    std::vector<int> chosen;
    for (size_t i = 0; i < q.options.size(); ++i)
      if (q.options[i].correct) chosen.push_back(static_cast<int>(i));
    out.push_back(chosen);
  }
  return out;
}

// The answers that get every question of `content` wrong: every wrong
// option of a "choose all" question, the first wrong one of the others.
inline Answers wrong_answers(const ModuleContent& content) {
  Answers out;
  for (const auto& q : content.questions) {
    std::vector<int> chosen;
    for (size_t i = 0; i < q.options.size(); ++i) {
      if (q.options[i].correct) continue;
      chosen.push_back(static_cast<int>(i));
      if (!q.multiple) break;
    }
    out.push_back(chosen);
  }
  return out;
}

// The fixture described at the top of this file.
class DatabaseTest : public ::testing::Test {
 protected:
  // A test fixture that adds to this calls it first and stops on a fatal failure:
  //   DatabaseTest::SetUp();
  //   if (HasFatalFailure()) return;
  void SetUp() override {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(test->test_suite_name()) + "-" + test->name();
    std::replace(name.begin(), name.end(), '/', '-');  // parameterised names hold slashes
    db_ = std::make_unique<store::TemporaryDatabase>(name);
    ASSERT_TRUE(db_->status().ok()) << db_->status().to_string();
    ASSERT_TRUE(sql("INSERT INTO organisations (name, created_at) VALUES ('Org', 'x'), ('Other', 'x')"));
    ASSERT_TRUE(
        sql("INSERT INTO users (organisation_id, email, role, created_at)"
            " VALUES (1, 'lead@x.org', 'learning-lead', 'x'), (2, 'lead@y.org', 'learning-lead', 'x')"));
  }

  // The learning lead of organisation `org` (1 or 2).
  const Actor& actor_of(int64_t org) const { return org == 1 ? actor_ : other_actor_; }

  // Runs one statement; false (and a failure) when it fails.
  bool sql(const std::string& statement, std::vector<store::Value> params = {}) {
    auto c = (*db_)->connection();
    if (!c.ok()) return false;
    auto done = (*c)->execute(statement, params);
    EXPECT_TRUE(done.ok()) << done.status().to_string();
    return done.ok();
  }

  // The first column of the one row `query` gives, as a number: a count, or an id.
  int64_t count(const std::string& query, std::vector<store::Value> params = {}) {
    auto c = (*db_)->connection();
    auto row = (*c)->query_one(query, params);
    EXPECT_TRUE(row.ok()) << row.status().to_string();
    return row.ok() ? row->integer(0) : -1;
  }

  // Adds a worker to organisation `org`, as its learning lead.
  Worker add(const WorkerInput& in, int64_t org = 1) {
    auto w = Workforce(**db_, clock_).add(org, in, actor_of(org));
    EXPECT_TRUE(w.ok()) << w.status().to_string();
    return w.ok() ? *w : Worker{};
  }

  // Lists the organisation's modules, which makes its copy of the starter
  // module, and gives the starter's id.
  int64_t starter(int64_t org = 1) {
    auto all = Learning(**db_, clock_).modules(org);
    EXPECT_TRUE(all.ok()) << all.status().to_string();
    return all.ok() && !all->empty() ? all->front().id : 0;
  }

  // Adds a module to organisation `org`, as its learning lead, and gives its id.
  int64_t add_module(const ModuleContent& content, int64_t org = 1) {
    auto m = Learning(**db_, clock_).create_module(org, content, actor_of(org));
    EXPECT_TRUE(m.ok()) << m.status().to_string();
    return m.ok() ? m->id : 0;
  }

  FakeClock clock_{at("2026-06-15T10:00:00Z")};
  std::unique_ptr<store::TemporaryDatabase> db_;
  Actor actor_{1, "test"};
  Actor other_actor_{2, "test"};
};

}  // namespace coproduce::learning::test_support

#endif  // COPRODUCE_LEARNING_TEST_SUPPORT_H_
