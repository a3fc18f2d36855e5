#include "learning/learning.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "learning/test_support.h"

namespace coproduce::learning {
namespace {

using test_support::ascwds_worker;
using test_support::right_answers;
using test_support::wrong_answers;

// A worker in the "Days" team; supervisors and leaders supervise, the rest give direct care.
WorkerInput worker_input(std::string worker_id, std::string name, std::string role_category, std::string workplace,
                         std::string started_on, std::string left_on = "") {
  std::string closeness = role_category == "supervisor_leader" ? "supervisor" : "direct_care";
  WorkerInput in = ascwds_worker(std::move(worker_id), std::move(name), std::move(workplace), "",
                                 std::move(role_category), std::move(closeness), std::move(started_on), "");
  in.team = "Days";
  in.left_on = std::move(left_on);
  return in;
}

class LearningTest : public test_support::DatabaseTest {
 protected:
  // A second module, like the starter but never needing a refresher.
  int64_t lasting_module(int64_t org = 1) {
    ModuleContent content = starter_module();
    content.title = "Listening well";
    content.refresh_months = std::nullopt;
    return add_module(content, org);
  }
  void require(int64_t module, const std::string& role, int days, const std::string& workplace = "") {
    auto r = Learning(**db_, clock_).add_requirement(1, {std::to_string(module), role, std::to_string(days), workplace},
                                                     actor_);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  void complete(int64_t worker, int64_t module, const std::string& on, int64_t org = 1) {
    auto c = Learning(**db_, clock_)
                 .record_completion(org, worker, {std::to_string(module), on, "", ""}, "recorded", actor_of(org));
    ASSERT_TRUE(c.ok()) << c.status().to_string();
  }
};

TEST_F(LearningTest, EachOrganisationGetsItsOwnStarterModuleOnce) {
  Learning learning(**db_, clock_);
  auto first = learning.modules(1);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_TRUE(first->front().starter);
  EXPECT_EQ(first->front().content.title, "Working in co-production");
  EXPECT_EQ(first->front().content.title, starter_module().title);
  auto again = learning.modules(1);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u) << "listing twice must not make a second copy";
  EXPECT_EQ(again->front().id, first->front().id);
  auto other = learning.modules(2);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_NE(other->front().id, first->front().id) << "each organisation adapts its own copy";
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_modules"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_modules WHERE organisation_id = 1 AND starter = 1"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_modules WHERE organisation_id = 2 AND starter = 1"), 1);
  // One organisation's copy is not the other's.
  EXPECT_EQ(learning.module(2, first->front().id).status().code(), StatusCode::kNotFound);

  // Its own modules come after the starter.
  lasting_module();
  auto both = learning.modules(1);
  ASSERT_EQ(both->size(), 2u);
  EXPECT_TRUE((*both)[0].starter);
  EXPECT_EQ((*both)[1].content.title, "Listening well");
  EXPECT_EQ(learning.modules(2)->size(), 1u);
}

TEST_F(LearningTest, AdaptingTheStarterCopyLeavesOtherOrganisationsAlone) {
  Learning learning(**db_, clock_);
  int64_t mine = starter(1);
  int64_t theirs = starter(2);
  ModuleContent changed = starter_module();
  changed.title = "Co-production at Oak House";
  ASSERT_TRUE(learning.update_module(1, mine, changed, actor_).ok());
  EXPECT_EQ(learning.module(1, mine)->content.title, "Co-production at Oak House");
  EXPECT_EQ(learning.module(2, theirs)->content.title, "Working in co-production");
  EXPECT_EQ(learning.modules(1)->size(), 1u) << "a renamed starter is still the starter: no new copy";
  EXPECT_EQ(learning.update_module(2, mine, changed, other_actor_).code(), StatusCode::kNotFound);
}

// An edit through the staff form carries no translations: the Welsh stays
// while the English words are unchanged (a new length, say), and goes
// when they change, since it would no longer say the same.
TEST_F(LearningTest, AWelshTranslationStaysWhileTheWordsStayAndGoesWhenTheyChange) {
  Learning learning(**db_, clock_);
  int64_t mine = starter(1);
  ASSERT_TRUE(learning.module(1, mine)->content.translations.count("cy"));
  ModuleContent form = starter_module();
  form.translations.clear();
  form.minutes = 45;
  ASSERT_TRUE(learning.update_module(1, mine, form, actor_).ok());
  auto kept = learning.module(1, mine);
  EXPECT_EQ(kept->content.minutes, 45);
  EXPECT_EQ(kept->content.translations.at("cy").title, starter_module().translations.at("cy").title);
  form.pages[0].body += "\n\nOne more paragraph.";
  ASSERT_TRUE(learning.update_module(1, mine, form, actor_).ok());
  EXPECT_TRUE(learning.module(1, mine)->content.translations.empty());
}

TEST_F(LearningTest, RequirementsAreCheckedAndNotDuplicated) {
  Learning learning(**db_, clock_);
  int64_t module = starter(1);
  int64_t theirs = starter(2);

  auto unknown = learning.add_requirement(1, {"999", "care_worker", "30", ""}, actor_);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(unknown.status().where().field, "module_id");
  auto other_orgs = learning.add_requirement(1, {std::to_string(theirs), "care_worker", "30", ""}, actor_);
  EXPECT_EQ(other_orgs.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(other_orgs.status().where().field, "module_id");
  EXPECT_EQ(learning.add_requirement(1, {std::to_string(module), "carer", "30", ""}, actor_).status().where().field,
            "role_category");
  EXPECT_EQ(learning.add_requirement(1, {std::to_string(module), "care_worker", "-1", ""}, actor_).status().where().field,
            "within_days");
  EXPECT_EQ(learning.add_requirement(1, {std::to_string(module), "care_worker", "a month", ""}, actor_)
                .status()
                .where()
                .field,
            "within_days");
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_requirements"), 0);

  auto added = learning.add_requirement(1, {std::to_string(module), "care_worker", "30", ""}, actor_);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  EXPECT_EQ(added->module_title, "Working in co-production");
  EXPECT_EQ(added->within_days, 30);
  EXPECT_EQ(added->workplace, "");

  auto twice = learning.add_requirement(1, {std::to_string(module), " care_worker ", "60", " "}, actor_);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), StatusCode::kConflict);
  EXPECT_EQ(twice.status().where().field, "role_category");

  // One workplace may ask for it sooner: a requirement of its own.
  auto oak = learning.add_requirement(1, {std::to_string(module), "care_worker", "7", "Oak House"}, actor_);
  ASSERT_TRUE(oak.ok()) << oak.status().to_string();
  EXPECT_EQ(oak->workplace, "Oak House");
  EXPECT_EQ(learning.add_requirement(1, {std::to_string(module), "care_worker", "14", "Oak House"}, actor_)
                .status()
                .code(),
            StatusCode::kConflict);
  // Another role category is another requirement.
  EXPECT_TRUE(learning.add_requirement(1, {std::to_string(module), "new_to_care", "14", ""}, actor_).ok());

  auto listed = learning.requirements(1);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  // Organisation-wide first, in pathway order; then the workplace's.
  EXPECT_EQ((*listed)[0].role_category, "new_to_care");
  EXPECT_EQ((*listed)[1].role_category, "care_worker");
  EXPECT_EQ((*listed)[1].within_days, 30);
  EXPECT_EQ((*listed)[2].workplace, "Oak House");
  EXPECT_EQ((*listed)[2].within_days, 7);
  EXPECT_TRUE(learning.requirements(2)->empty());

  EXPECT_EQ(learning.remove_requirement(2, oak->id, other_actor_).code(), StatusCode::kNotFound);
  EXPECT_TRUE(learning.remove_requirement(1, oak->id, actor_).ok());
  EXPECT_EQ(learning.requirements(1)->size(), 2u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'requirement.create'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'requirement.delete'"), 1);
}

TEST_F(LearningTest, RecordingACompletionChecksItsDateAndWorksOutTheExpiry) {
  Learning learning(**db_, clock_);
  int64_t module = starter();  // refreshed every 24 months
  ASSERT_EQ(learning.module(1, module)->content.refresh_months, 24);
  int64_t lasting = lasting_module();
  Worker ann = add(worker_input("W1", "Ann", "care_worker", "Oak House", "2024-01-15"));

  auto before = learning.record_completion(1, ann.id, {std::to_string(module), "2024-01-14", "", ""}, "recorded", actor_);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(before.status().where().field, "completed_on");
  EXPECT_NE(before.status().message().find("2024-01-15"), std::string::npos) << before.status().message();

  auto tomorrow = learning.record_completion(1, ann.id, {std::to_string(module), "2026-06-16", "", ""}, "recorded",
                                             actor_);
  EXPECT_EQ(tomorrow.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(tomorrow.status().where().field, "completed_on");
  auto not_a_date =
      learning.record_completion(1, ann.id, {std::to_string(module), "2025-02-29", "", ""}, "recorded", actor_);
  EXPECT_EQ(not_a_date.status().where().field, "completed_on");
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions"), 0);

  // A day later, the same date is today and is fine.
  clock_.advance(std::chrono::hours(24));
  auto today = learning.record_completion(1, ann.id, {std::to_string(module), "2026-06-16", "Skills Hub", "Face to face"},
                                          "recorded", actor_);
  ASSERT_TRUE(today.ok()) << today.status().to_string();
  EXPECT_EQ(today->completed_on, "2026-06-16");
  EXPECT_EQ(today->expires_on, "2028-06-16");
  EXPECT_EQ(today->provider, "Skills Hub");
  EXPECT_EQ(today->module_title, "Working in co-production");

  // On the start day; a leap day's expiry is the end of February.
  auto first_day =
      learning.record_completion(1, ann.id, {std::to_string(module), "2024-01-15", "", ""}, "recorded", actor_);
  ASSERT_TRUE(first_day.ok()) << first_day.status().to_string();
  auto leap = learning.record_completion(1, ann.id, {std::to_string(module), "2024-02-29", "", ""}, "import", actor_);
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(leap->expires_on, "2026-02-28");
  auto forever = learning.record_completion(1, ann.id, {std::to_string(lasting), "2025-05-05", "", ""}, "recorded",
                                            actor_);
  ASSERT_TRUE(forever.ok());
  EXPECT_EQ(forever->expires_on, "") << "a module with no refresh interval never expires";

  auto listed = learning.completions(1, ann.id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 4u);
  EXPECT_EQ((*listed)[0].completed_on, "2026-06-16");  // newest first
  EXPECT_EQ((*listed)[0].expires_on, "2028-06-16");
  EXPECT_EQ((*listed)[1].completed_on, "2025-05-05");
  EXPECT_EQ((*listed)[1].expires_on, "");
  EXPECT_EQ((*listed)[2].completed_on, "2024-02-29");
  EXPECT_EQ((*listed)[2].expires_on, "2026-02-28");
  EXPECT_EQ((*listed)[2].source, "import");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'worker.completion' AND subject_id = $1",
                  {std::to_string(ann.id)}),
            4);

  // Another organisation can neither record for Ann nor use its module for her.
  EXPECT_EQ(learning.record_completion(2, ann.id, {std::to_string(starter(2)), "2026-01-01", "", ""}, "recorded",
                                       other_actor_)
                .status()
                .code(),
            StatusCode::kNotFound);
  auto foreign_module = learning.record_completion(1, ann.id, {std::to_string(starter(2)), "2026-01-01", "", ""},
                                                   "recorded", actor_);
  EXPECT_EQ(foreign_module.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(foreign_module.status().where().field, "module_id");
  EXPECT_TRUE(learning.completions(2, ann.id)->empty());
}

TEST_F(LearningTest, KnowledgeCheckPassRecordsTodayFailDoesNotAndBothAreKept) {
  Learning learning(**db_, clock_);
  int64_t module = starter();
  const ModuleContent content = learning.module(1, module)->content;
  ASSERT_FALSE(content.questions.empty());
  Worker ann = add(worker_input("W1", "Ann", "care_worker", "Oak House", "2026-06-01"));

  auto failed = learning.submit_check(1, ann, module, wrong_answers(content), actor_);
  ASSERT_TRUE(failed.ok()) << failed.status().to_string();
  EXPECT_FALSE(failed->passed);
  EXPECT_TRUE(learning.completions(1, ann.id)->empty()) << "a fail records no completion";

  // Answers that are not answers: refused, and not kept as an attempt.
  auto broken = learning.submit_check(1, ann, module, {}, actor_);
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(broken.status().where().field, "question-1");

  clock_.advance(std::chrono::minutes(5));
  auto passed = learning.submit_check(1, ann, module, right_answers(content), actor_);
  ASSERT_TRUE(passed.ok()) << passed.status().to_string();
  EXPECT_TRUE(passed->passed);
  EXPECT_EQ(passed->correct, passed->total);
  auto done = learning.completions(1, ann.id);
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ((*done)[0].completed_on, "2026-06-15");
  EXPECT_EQ((*done)[0].source, "elearning");
  EXPECT_EQ((*done)[0].expires_on, "2028-06-15");

  auto tries = learning.attempts(ann.id, module);
  ASSERT_TRUE(tries.ok());
  ASSERT_EQ(tries->size(), 2u);
  EXPECT_TRUE((*tries)[0].passed);  // newest first
  EXPECT_EQ((*tries)[0].taken_at, "2026-06-15T10:05:00Z");
  EXPECT_FALSE((*tries)[1].passed);
  EXPECT_EQ((*tries)[1].correct, failed->correct);
  EXPECT_EQ((*tries)[1].total, static_cast<int>(content.questions.size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'worker.check'"), 2);

  // Passing shows on the worker's own list as done.
  auto mine = learning.worker_modules(1, ann, "2026-06-15");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().status.completed_on, "2026-06-15");
}

TEST_F(LearningTest, ProgressNeverGoesBackwards) {
  Learning learning(**db_, clock_);
  int64_t module = starter();
  Worker ann = add(worker_input("W1", "Ann", "care_worker", "Oak House", "2026-06-01"));
  Worker bob = add(worker_input("W2", "Bob", "care_worker", "Oak House", "2026-06-01"));
  EXPECT_EQ(*learning.progress(ann.id, module), 0);
  ASSERT_TRUE(learning.save_progress(ann.id, module, 3).ok());
  EXPECT_EQ(*learning.progress(ann.id, module), 3);
  ASSERT_TRUE(learning.save_progress(ann.id, module, 2).ok());  // went back to re-read a page
  EXPECT_EQ(*learning.progress(ann.id, module), 3);
  ASSERT_TRUE(learning.save_progress(ann.id, module, 3).ok());
  EXPECT_EQ(*learning.progress(ann.id, module), 3);
  ASSERT_TRUE(learning.save_progress(ann.id, module, 5).ok());
  EXPECT_EQ(*learning.progress(ann.id, module), 5);
  EXPECT_EQ(*learning.progress(bob.id, module), 0) << "one learner's place is not another's";
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_progress"), 1);
}

void expect_same_counts(const std::vector<CoverageCount>& a, const std::vector<CoverageCount>& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].key, b[i].key) << what;
    EXPECT_EQ(a[i].workers, b[i].workers) << what << " " << a[i].key;
    EXPECT_EQ(a[i].completed, b[i].completed) << what << " " << a[i].key;
    EXPECT_EQ(a[i].share, b[i].share) << what << " " << a[i].key;
  }
}
void expect_same_gaps(const std::vector<WorkerGap>& a, const std::vector<WorkerGap>& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].worker_id, b[i].worker_id) << what << "[" << i << "]";
    EXPECT_EQ(a[i].module_id, b[i].module_id) << what << "[" << i << "]";
    EXPECT_EQ(a[i].status.status, b[i].status.status) << what << "[" << i << "]";
    EXPECT_EQ(a[i].status.due_on, b[i].status.due_on) << what << "[" << i << "]";
    EXPECT_EQ(a[i].status.completed_on, b[i].status.completed_on) << what << "[" << i << "]";
    EXPECT_EQ(a[i].status.expires_on, b[i].status.expires_on) << what << "[" << i << "]";
  }
}
void expect_same(const Coverage& a, const Coverage& b) {
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.workers, b.workers);
  EXPECT_EQ(a.completed, b.completed);
  EXPECT_EQ(a.share, b.share);
  EXPECT_EQ(a.overdue, b.overdue);
  EXPECT_EQ(a.expiring_soon, b.expiring_soon);
  expect_same_counts(a.by_role_category, b.by_role_category, "by_role_category");
  expect_same_counts(a.by_closeness, b.by_closeness, "by_closeness");
  expect_same_counts(a.by_workplace, b.by_workplace, "by_workplace");
  expect_same_counts(a.by_team, b.by_team, "by_team");
  expect_same_gaps(a.overdue_list, b.overdue_list, "overdue_list");
  expect_same_gaps(a.expiring_list, b.expiring_list, "expiring_list");
}

TEST_F(LearningTest, CoverageFromTheDatabaseIsComputeCoverageOfTheSameData) {
  Learning learning(**db_, clock_);
  int64_t m1 = starter();        // refreshed every 24 months
  int64_t m2 = lasting_module();  // never refreshed
  require(m1, "care_worker", 30);
  require(m1, "care_worker", 7, "Elm Court");
  require(m2, "care_worker", 90);
  require(m1, "supervisor_leader", 60);

  struct W {
    WorkerInput in;
    Worker stored;
  };
  std::vector<W> ws = {
      {worker_input("W1", "Ann", "care_worker", "Oak House", "2023-01-01"), {}},
      {worker_input("W2", "Bob", "care_worker", "Elm Court", "2026-03-01"), {}},
      {worker_input("W3", "Cy", "care_worker", "Oak House", "2026-06-01"), {}},
      {worker_input("W4", "Di", "supervisor_leader", "Oak House", "2020-01-01"), {}},
      {worker_input("W5", "Ed", "supervisor_leader", "Elm Court", "2020-01-01", "2026-02-28"), {}},  // a leaver
      {worker_input("W6", "Flo", "not_on_pathway", "Oak House", "2020-01-01"), {}},
      {worker_input("W7", "Gus", "care_worker", "Oak House", "2026-07-01"), {}},  // starts next month
  };
  ws[3].in.team = "";
  for (auto& w : ws) w.stored = add(w.in);
  struct Done {
    size_t worker;
    int64_t module;
    const char* on;
  };
  const std::vector<Done> done = {
      {0, m1, "2024-08-01"}, {0, m1, "2025-01-10"}, {0, m2, "2023-02-01"},  // Ann: two of m1, the later counts
      {1, m2, "2026-04-01"},                                                // Bob: m1 overdue (7 days at Elm)
      {3, m1, "2024-06-20"},                                                // Di: expires 2026-06-20
      {4, m1, "2020-02-01"},                                                // Ed, a leaver
      {0, m1, "2026-06-10"},                                                // Ann again, after the earlier date
  };
  for (const Done& d : done) complete(ws[d.worker].stored.id, d.module, d.on);
  // Another organisation's workforce and learning must not count.
  int64_t their_module = starter(2);
  Worker theirs = add(worker_input("W1", "Zed", "care_worker", "Oak House", "2020-01-01"), 2);
  ASSERT_TRUE(learning.add_requirement(2, {std::to_string(their_module), "care_worker", "30", ""}, other_actor_).ok());
  complete(theirs.id, their_module, "2026-01-01", 2);

  for (const char* day : {"2026-06-15", "2026-05-01", "2026-02-28", "2025-01-01"}) {
    const std::string date = day;
    SCOPED_TRACE(date);
    // The same data by hand: those in post, the rules, the latest completion on or before the date.
    CoverageInput in;
    in.date = date;
    for (const auto& w : ws) {
      if (!w.stored.in_post_on(date)) continue;
      const WorkerInput& d = w.stored.details;
      in.workers.push_back({w.stored.id, d.role_category, d.closeness, d.workplace, d.team, d.started_on, d.left_on});
    }
    in.requirements = {{m1, "care_worker", 30, ""}, {m1, "care_worker", 7, "Elm Court"}, {m2, "care_worker", 90, ""},
                       {m1, "supervisor_leader", 60, ""}};
    in.modules = {{m1, 24}, {m2, std::nullopt}};
    std::map<std::pair<int64_t, int64_t>, std::string> latest;
    for (const Done& d : done) {
      std::string& l = latest[{ws[d.worker].stored.id, d.module}];
      if (d.on <= date && d.on > l) l = d.on;
    }
    for (const auto& [key, on] : latest)
      if (!on.empty()) in.completions.push_back({key.first, key.second, on});

    auto from_db = learning.coverage(1, date);
    ASSERT_TRUE(from_db.ok()) << from_db.status().to_string();
    Coverage by_hand = compute_coverage(in);
    expect_same(*from_db, by_hand);
    EXPECT_GT(from_db->workers, 0);
  }
  // And a spot check that it is the answer a lead expects on 15 June 2026:
  // Ann done; Bob overdue at Elm (7 days); Cy due; Di done (expires 2026-06-20, soon).
  Coverage now = *learning.coverage(1, "2026-06-15");
  EXPECT_EQ(now.workers, 4);
  EXPECT_EQ(now.completed, 2);
  EXPECT_EQ(now.overdue, 1);
  EXPECT_EQ(now.expiring_soon, 1);
  ASSERT_EQ(now.overdue_list.size(), 1u);
  EXPECT_EQ(now.overdue_list[0].worker_id, ws[1].stored.id);
  EXPECT_EQ(now.overdue_list[0].status.due_on, "2026-03-08");

  // A programme's learning coverage: the same figures on each date asked,
  // from one read, and for one module only when the programme names it.
  auto conn = (*db_)->connection();
  ASSERT_TRUE(conn.ok());
  std::vector<std::string> dates = {"2025-01-01", "2026-02-28", "2026-06-15"};
  auto every = programme_coverage(**conn, 1, {}, dates);
  ASSERT_TRUE(every.ok()) << every.status().to_string();
  ASSERT_EQ(every->size(), 3u);
  for (size_t i = 0; i < dates.size(); ++i) {
    Coverage c = *learning.coverage(1, dates[i]);
    EXPECT_EQ((*every)[i].workers, c.workers) << dates[i];
    EXPECT_EQ((*every)[i].completed, c.completed) << dates[i];
  }
  // Only care workers must do m2: on 15 June 2026 Ann (done in 2023, never
  // refreshed), Bob (done in April) and Cy (started 1 June, due): 2 of 3.
  // On 28 February 2026 Ann alone is in post.
  auto of_m2 = programme_coverage(**conn, 1, {m2}, {"2026-02-28", "2026-06-15"});
  ASSERT_TRUE(of_m2.ok());
  EXPECT_EQ((*of_m2)[0].workers, 1);
  EXPECT_EQ((*of_m2)[0].completed, 1);
  EXPECT_EQ((*of_m2)[1].workers, 3);
  EXPECT_EQ((*of_m2)[1].completed, 2);
}

}  // namespace
}  // namespace coproduce::learning
