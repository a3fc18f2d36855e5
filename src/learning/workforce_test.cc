#include "learning/workforce.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "learning/test_support.h"

namespace coproduce::learning {
namespace {

// A worker who passes validate(), with every field filled in; the email is
// made from the first name ("ann@example.org"), so each worker has their own.
WorkerInput good_worker(std::string worker_id = "W1", std::string name = "Ann Jones") {
  std::string first = name.substr(0, name.find(' '));
  for (char& ch : first) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  WorkerInput in = test_support::ascwds_worker(std::move(worker_id), std::move(name), "Oak House", "Care worker",
                                               "care_worker", "direct_care", "2025-01-06", "in_progress");
  in.team = "Days";
  in.email = first + "@example.org";
  return in;
}

// ---------------------------------------------------------------------------
// validate(): one change to a good worker, and the one problem it makes.

struct ValidateCase {
  const char* what;
  void (*change)(WorkerInput&);
  const char* field;  // nullptr: no problem
  Problem kind;
};

const ValidateCase kValidateCases[] = {
    {"a good worker", [](WorkerInput&) {}, nullptr, Problem::kInvalid},
    {"no worker ID", [](WorkerInput& w) { w.worker_id = ""; }, "worker_id", Problem::kMissing},
    {"a worker ID of spaces", [](WorkerInput& w) { w.worker_id = "   "; }, "worker_id", Problem::kMissing},
    {"a worker ID of 50 characters", [](WorkerInput& w) { w.worker_id = std::string(50, '7'); }, nullptr,
     Problem::kInvalid},
    {"a worker ID of 51 characters", [](WorkerInput& w) { w.worker_id = std::string(51, '7'); }, "worker_id",
     Problem::kTooLong},
    {"no name", [](WorkerInput& w) { w.name = ""; }, "name", Problem::kMissing},
    {"a name of 201 characters", [](WorkerInput& w) { w.name = std::string(201, 'a'); }, "name", Problem::kTooLong},
    {"a name of 200 accented letters (400 bytes)",
     [](WorkerInput& w) {
       w.name.clear();
       for (int i = 0; i < 200; ++i) w.name += "\xC3\xA9";
     },
     nullptr, Problem::kInvalid},
    {"a workplace of 201 characters", [](WorkerInput& w) { w.workplace = std::string(201, 'a'); }, "workplace",
     Problem::kTooLong},
    {"no workplace", [](WorkerInput& w) { w.workplace = ""; }, nullptr, Problem::kInvalid},
    {"a job role of 201 characters", [](WorkerInput& w) { w.job_role = std::string(201, 'a'); }, "job_role",
     Problem::kTooLong},
    {"a team of 201 characters", [](WorkerInput& w) { w.team = std::string(201, 'a'); }, "team", Problem::kTooLong},
    {"no role category", [](WorkerInput& w) { w.role_category = ""; }, "role_category", Problem::kMissing},
    {"an unknown role category", [](WorkerInput& w) { w.role_category = "carer"; }, "role_category",
     Problem::kUnknownCode},
    {"a role category's label instead of its code", [](WorkerInput& w) { w.role_category = "New to care"; },
     "role_category", Problem::kUnknownCode},
    {"no closeness", [](WorkerInput& w) { w.closeness = ""; }, "closeness", Problem::kMissing},
    {"an unknown closeness", [](WorkerInput& w) { w.closeness = "front_line"; }, "closeness", Problem::kUnknownCode},
    {"no start date", [](WorkerInput& w) { w.started_on = ""; }, "started_on", Problem::kMissing},
    {"a start date that does not exist", [](WorkerInput& w) { w.started_on = "2026-02-29"; }, "started_on",
     Problem::kNotADate},
    {"a start date written day first", [](WorkerInput& w) { w.started_on = "06/01/2025"; }, "started_on",
     Problem::kNotADate},
    {"a leaving date that does not exist", [](WorkerInput& w) { w.left_on = "2026-13-01"; }, "left_on",
     Problem::kNotADate},
    {"left before starting", [](WorkerInput& w) { w.left_on = "2025-01-05"; }, "left_on", Problem::kOutOfOrder},
    {"left on the day they started", [](WorkerInput& w) { w.left_on = "2025-01-06"; }, nullptr, Problem::kInvalid},
    {"an unknown Care Certificate status", [](WorkerInput& w) { w.care_certificate = "done"; }, "care_certificate",
     Problem::kUnknownCode},
    {"no Care Certificate status (not started)", [](WorkerInput& w) { w.care_certificate = ""; }, nullptr,
     Problem::kInvalid},
    {"an email without an @", [](WorkerInput& w) { w.email = "ann.example.org"; }, "email", Problem::kInvalid},
    {"no email", [](WorkerInput& w) { w.email = ""; }, nullptr, Problem::kInvalid},
};

TEST(ValidateWorker, NamesTheFieldAndTheKindOfProblem) {
  for (const ValidateCase& c : kValidateCases) {
    SCOPED_TRACE(c.what);
    WorkerInput in = good_worker();
    c.change(in);
    std::vector<FieldError> errors = validate(in);
    if (c.field == nullptr) {
      EXPECT_TRUE(errors.empty()) << errors.front().field << ": " << errors.front().message;
      continue;
    }
    ASSERT_EQ(errors.size(), 1u) << errors.front().field << ": " << errors.front().message;
    EXPECT_EQ(errors[0].field, c.field);
    EXPECT_EQ(errors[0].kind, c.kind);
    EXPECT_FALSE(errors[0].message.empty());
  }
}

TEST(ValidateWorker, ReportsEveryProblemInFormOrder) {
  WorkerInput in;  // nothing at all
  in.left_on = "someday";
  in.care_certificate = "nearly";
  in.email = "nope";
  std::vector<std::string> fields;
  for (const auto& e : validate(in)) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"worker_id", "name", "role_category", "closeness", "started_on",
                                              "left_on", "care_certificate", "email"}));
}

TEST(ValidateWorker, MessagesSayWhatToDo) {
  WorkerInput in = good_worker();
  in.role_category = "carer";
  std::vector<FieldError> errors = validate(in);
  ASSERT_EQ(errors.size(), 1u);
  // The person is told which codes would do.
  EXPECT_NE(errors[0].message.find("care_worker"), std::string::npos) << errors[0].message;
  in = good_worker();
  in.left_on = "2024-12-31";
  EXPECT_EQ(validate(in)[0].message, "The leaving date must be on or after the start date");
}

TEST(WorkerInPost, FromTheStartDateToTheLeavingDateInclusive) {
  Worker w;
  w.details = good_worker();
  w.details.left_on = "2026-03-31";
  EXPECT_FALSE(w.in_post_on("2025-01-05"));
  EXPECT_TRUE(w.in_post_on("2025-01-06"));
  EXPECT_TRUE(w.in_post_on("2026-03-31"));
  EXPECT_FALSE(w.in_post_on("2026-04-01"));
  w.details.left_on = "";
  EXPECT_TRUE(w.in_post_on("2099-01-01"));
}

// ---------------------------------------------------------------------------
// Workforce against a real database.

class WorkforceTest : public test_support::DatabaseTest {
 protected:
  // The audit log's actions about `subject_type` `id`, oldest first.
  std::vector<std::string> audit(const std::string& subject_type, int64_t id) {
    auto c = (*db_)->connection();
    auto rows = (*c)->query(
        "SELECT action, organisation_id, actor_user_id FROM audit_log WHERE subject_type = $1 AND subject_id = $2"
        " ORDER BY id",
        {subject_type, std::to_string(id)});
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    for (const auto& r : *rows) out.push_back(r.text(0) + "@" + r.text(1) + " by " + r.text(2));
    return out;
  }

  // Rows written straight into the learning tables: module 1, "Working
  // together" (these tests make no other), and a worker's learning on it.
  bool add_module_row() {
    return sql(
        "INSERT INTO learning_modules (organisation_id, title, delivery, content, created_at, updated_at)"
        " VALUES (1, 'Working together', 'elearning', '{}', 'x', 'x')");
  }
  bool add_completion_row(int64_t worker) {
    return sql(
        "INSERT INTO learning_completions (organisation_id, worker_ref, module_id, completed_on, source,"
        " created_at) VALUES (1, $1, 1, '2026-02-01', 'recorded', 'x')",
        {worker});
  }
  // A knowledge check of eight questions, `correct` of them right.
  bool add_attempt_row(int64_t worker, int correct, bool passed, const std::string& taken_at) {
    return sql(
        "INSERT INTO learning_attempts (worker_ref, module_id, answers, correct, total, passed, taken_at)"
        " VALUES ($1, 1, '[]', $2, 8, $3, $4)",
        {worker, correct, passed ? 1 : 0, taken_at});
  }
};

TEST_F(WorkforceTest, AddsAndReadsBackWhatWasTyped) {
  Workforce workforce(**db_, clock_);
  WorkerInput in = good_worker();
  in.name = "  Ann Jones ";
  in.email = "Ann@Example.org";
  in.care_certificate = "";
  Worker added = add(in);
  EXPECT_GT(added.id, 0);
  EXPECT_EQ(added.organisation_id, 1);
  EXPECT_EQ(added.details.name, "Ann Jones");
  EXPECT_EQ(added.details.care_certificate, "not_started");
  EXPECT_EQ(added.details.email, "ann@example.org");
  EXPECT_EQ(added.created_at, "2026-06-15T10:00:00Z");
  auto got = workforce.get(1, added.id, actor_);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->details.worker_id, "W1");
  EXPECT_EQ(got->details.workplace, "Oak House");
  EXPECT_EQ(got->details.job_role, "Care worker");
  EXPECT_EQ(got->details.team, "Days");
  EXPECT_EQ(got->details.role_category, "care_worker");
  EXPECT_EQ(got->details.closeness, "direct_care");
  EXPECT_EQ(got->details.started_on, "2025-01-06");
  EXPECT_EQ(got->details.left_on, "");
  EXPECT_FALSE(got->user_id.has_value());
  EXPECT_EQ(worker_json(*got)["left_on"], nullptr);
  EXPECT_EQ(worker_json(*got)["learner_account"], false);
}

TEST_F(WorkforceTest, InvalidWorkerIsRefusedNamingTheFieldAndNothingIsWritten) {
  WorkerInput in = good_worker();
  in.started_on = "2026-02-30";
  auto w = Workforce(**db_, clock_).add(1, in, actor_);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(w.status().where().field, "started_on");
  EXPECT_EQ(count("SELECT COUNT(*) FROM workers"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'worker.%'"), 0);
}

TEST_F(WorkforceTest, DuplicateWorkerIdIsAConflictAndNothingIsWritten) {
  Workforce workforce(**db_, clock_);
  Worker ann = add(good_worker("W1", "Ann"));
  int64_t audits = count("SELECT COUNT(*) FROM audit_log");
  auto again = workforce.add(1, good_worker(" W1 ", "Someone else"), actor_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
  EXPECT_EQ(again.status().where().field, "worker_id");
  EXPECT_NE(again.status().message().find("W1"), std::string::npos) << again.status().message();
  EXPECT_EQ(count("SELECT COUNT(*) FROM workers"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), audits);
  EXPECT_EQ(workforce.get(1, ann.id, actor_)->details.name, "Ann");

  // Changing another worker's ID to Ann's is refused the same way.
  Worker bob = add(good_worker("W2", "Bob"));
  auto renamed = workforce.update(1, bob.id, good_worker("W1", "Bob"), actor_);
  ASSERT_FALSE(renamed.ok());
  EXPECT_EQ(renamed.status().code(), StatusCode::kConflict);
  EXPECT_EQ(renamed.status().where().field, "worker_id");
  EXPECT_EQ(workforce.get(1, bob.id, actor_)->details.worker_id, "W2");
  // Keeping one's own ID is no conflict.
  EXPECT_TRUE(workforce.update(1, bob.id, good_worker("W2", "Robert"), actor_).ok());

  // Another organisation may use the same worker ID.
  EXPECT_TRUE(workforce.add(2, good_worker("W1", "Ann elsewhere"), other_actor_).ok());
}

TEST_F(WorkforceTest, UpdateReplacesTheDetails) {
  Workforce workforce(**db_, clock_);
  Worker ann = add(good_worker());
  clock_.advance(std::chrono::hours(24));
  WorkerInput changed = good_worker();
  changed.team = "Nights";
  changed.left_on = "2026-07-31";
  changed.role_category = "enhanced_care_worker";
  auto updated = workforce.update(1, ann.id, changed, actor_);
  ASSERT_TRUE(updated.ok()) << updated.status().to_string();
  EXPECT_EQ(updated->details.team, "Nights");
  EXPECT_EQ(updated->details.left_on, "2026-07-31");
  EXPECT_EQ(updated->details.role_category, "enhanced_care_worker");
  EXPECT_EQ(updated->created_at, "2026-06-15T10:00:00Z");
  EXPECT_EQ(updated->updated_at, "2026-06-16T10:00:00Z");
  // Back in post: the leaving date can be cleared.
  changed.left_on = "";
  EXPECT_EQ(workforce.update(1, ann.id, changed, actor_)->details.left_on, "");
  // An invalid change is refused and changes nothing.
  changed.closeness = "";
  auto bad = workforce.update(1, ann.id, changed, actor_);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(bad.status().where().field, "closeness");
  EXPECT_EQ(workforce.get(1, ann.id, actor_)->details.closeness, "direct_care");
}

TEST_F(WorkforceTest, AnotherOrganisationsWorkerIsNotFound) {
  Workforce workforce(**db_, clock_);
  Worker ann = add(good_worker());
  EXPECT_EQ(workforce.get(2, ann.id, other_actor_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(workforce.update(2, ann.id, good_worker("W9", "Taken over"), other_actor_).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(workforce.erase(2, ann.id, other_actor_).code(), StatusCode::kNotFound);
  EXPECT_EQ(workforce.download(2, ann.id, other_actor_).status().code(), StatusCode::kNotFound);
  int64_t total = -1;
  auto listed = workforce.search(2, {}, other_actor_, &total);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(total, 0);
  // Ann is untouched.
  auto still = workforce.get(1, ann.id, actor_);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->details.name, "Ann Jones");
  EXPECT_EQ(still->details.worker_id, "W1");
}

TEST_F(WorkforceTest, SearchFiltersAndCounts) {
  Workforce workforce(**db_, clock_);
  WorkerInput a = good_worker("W1", "Ann");
  WorkerInput b = good_worker("W2", "Bob");
  b.workplace = "Elm Court";
  b.team = "Nights";
  b.role_category = "supervisor_leader";
  b.closeness = "supervisor";
  WorkerInput c = good_worker("W3", "Cy");
  c.left_on = "2026-06-14";  // left yesterday
  WorkerInput d = good_worker("W4", "Di");
  d.started_on = "2026-07-01";  // not started yet
  for (const auto& w : {d, c, b, a}) add(w);

  auto names = [](const std::vector<Worker>& ws) {
    std::vector<std::string> out;
    for (const auto& w : ws) out.push_back(w.details.name);
    return out;
  };
  int64_t total = 0;
  EXPECT_EQ(names(*workforce.search(1, {}, actor_, &total)), (std::vector<std::string>{"Ann", "Bob", "Cy", "Di"}));
  EXPECT_EQ(total, 4);
  WorkerQuery q;
  q.text = "elm";
  EXPECT_EQ(names(*workforce.search(1, q, actor_)), std::vector<std::string>{"Bob"});
  q.text = "W3";
  EXPECT_EQ(names(*workforce.search(1, q, actor_)), std::vector<std::string>{"Cy"});
  q = {};
  q.role_category = "supervisor_leader";
  EXPECT_EQ(names(*workforce.search(1, q, actor_)), std::vector<std::string>{"Bob"});
  q = {};
  q.workplace = "Oak House";
  EXPECT_EQ(names(*workforce.search(1, q, actor_)), (std::vector<std::string>{"Ann", "Cy", "Di"}));
  q = {};
  q.current_only = true;
  EXPECT_EQ(names(*workforce.search(1, q, actor_, &total)), (std::vector<std::string>{"Ann", "Bob"}));
  EXPECT_EQ(total, 2);
  q = {};
  q.limit = 2;
  q.offset = 1;
  EXPECT_EQ(names(*workforce.search(1, q, actor_, &total)), (std::vector<std::string>{"Bob", "Cy"}));
  EXPECT_EQ(total, 4) << "the total counts every match, not just the page";
}

TEST_F(WorkforceTest, EveryCallIsAudited) {
  Workforce workforce(**db_, clock_);
  Worker ann = add(good_worker());
  ASSERT_TRUE(workforce.get(1, ann.id, actor_).ok());
  ASSERT_TRUE(workforce.update(1, ann.id, good_worker(), actor_).ok());
  ASSERT_TRUE(workforce.download(1, ann.id, actor_).ok());
  // A failed read from another organisation reveals nothing and logs nothing.
  ASSERT_FALSE(workforce.get(2, ann.id, other_actor_).ok());
  ASSERT_TRUE(workforce.erase(1, ann.id, actor_).ok());
  EXPECT_EQ(audit("worker", ann.id),
            (std::vector<std::string>{"worker.create@1 by 1", "worker.read@1 by 1", "worker.update@1 by 1",
                                      "worker.export@1 by 1", "worker.erase@1 by 1"}));
  ASSERT_TRUE(workforce.search(1, {}, actor_).ok());
  EXPECT_EQ(audit("organisation", 1), std::vector<std::string>{"worker.list@1 by 1"});
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE organisation_id = 2"), 0);
}

TEST_F(WorkforceTest, DownloadHoldsEverythingKeptAboutTheWorker) {
  Workforce workforce(**db_, clock_);
  Worker ann = add(good_worker());
  ASSERT_TRUE(add_module_row());
  ASSERT_TRUE(add_completion_row(ann.id));
  ASSERT_TRUE(add_attempt_row(ann.id, 3, false, "2026-01-31T09:00:00Z"));
  auto out = workforce.download(1, ann.id, actor_);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ((*out)["worker"]["name"], "Ann Jones");
  EXPECT_EQ((*out)["worker"]["email"], "ann@example.org");
  ASSERT_EQ((*out)["completions"].size(), 1u);
  EXPECT_EQ((*out)["completions"][0]["module"], "Working together");
  EXPECT_EQ((*out)["completions"][0]["completed_on"], "2026-02-01");
  ASSERT_EQ((*out)["knowledge_checks"].size(), 1u);
  EXPECT_EQ((*out)["knowledge_checks"][0]["correct"], 3);
  EXPECT_EQ((*out)["knowledge_checks"][0]["passed"], false);
}

TEST_F(WorkforceTest, EraseRemovesTheRecordAndDisablesTheLearnerAccount) {
  Workforce workforce(**db_, clock_);
  Worker ann = add(good_worker());
  Worker bob = add(good_worker("W2", "Bob"));
  // Ann has a learner account, signed in, found by her email.
  ASSERT_TRUE(sql("INSERT INTO users (organisation_id, email, name, role, password_hash, created_at)"
                  " VALUES (1, 'ann@example.org', 'Ann Jones', 'learner', 'hash', 'x')"));
  int64_t user = count("SELECT id FROM users WHERE email = 'ann@example.org'");
  ASSERT_TRUE(sql("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('t', $1, 'x', 'y')",
                  {user}));
  auto linked = workforce.for_user(1, user, "ann@example.org");
  ASSERT_TRUE(linked.ok()) << linked.status().to_string();
  ASSERT_TRUE(linked->has_value()) << "the account should be linked to the one worker with its email";
  EXPECT_EQ((*linked)->id, ann.id);
  EXPECT_EQ(*workforce.get(1, ann.id, actor_)->user_id, user);

  // Her learning and Bob's.
  ASSERT_TRUE(add_module_row());
  for (int64_t w : {ann.id, bob.id}) {
    ASSERT_TRUE(add_completion_row(w));
    ASSERT_TRUE(add_attempt_row(w, 8, true, "x"));
    ASSERT_TRUE(sql("INSERT INTO learning_progress (worker_ref, module_id, page, updated_at) VALUES ($1, 1, 3, 'x')",
                    {w}));
  }

  ASSERT_TRUE(workforce.erase(1, ann.id, actor_).ok());
  EXPECT_EQ(workforce.get(1, ann.id, actor_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions WHERE worker_ref = $1", {ann.id}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_attempts WHERE worker_ref = $1", {ann.id}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_progress WHERE worker_ref = $1", {ann.id}), 0);
  // Bob's learning stays.
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions WHERE worker_ref = $1", {bob.id}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_attempts WHERE worker_ref = $1", {bob.id}), 1);
  // The account can no longer sign in and keeps neither name nor email.
  EXPECT_EQ(count("SELECT active FROM users WHERE id = $1", {user}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE id = $1 AND password_hash IS NULL AND name = ''"
                  " AND email NOT LIKE '%ann%'",
                  {user}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sessions WHERE user_id = $1", {user}), 0);
  // The lead's own account is untouched.
  EXPECT_EQ(count("SELECT active FROM users WHERE id = 1"), 1);
  // Erasing again: there is nothing left.
  EXPECT_EQ(workforce.erase(1, ann.id, actor_).code(), StatusCode::kNotFound);
}

TEST_F(WorkforceTest, ALearnerAccountIsNeverLinkedToAWorkerItCannotTellApart) {
  Workforce workforce(**db_, clock_);
  Worker ann = add(good_worker("W1", "Ann"));
  // A second worker with Ann's email: either refused, naming the email, or
  // stored, and then the account cannot tell which worker it is.
  auto twin = workforce.add(1, good_worker("W2", "Ann again"), actor_);
  if (!twin.ok()) {
    EXPECT_EQ(twin.status().code(), StatusCode::kConflict) << twin.status().to_string();
    EXPECT_EQ(twin.status().where().field, "email");
    EXPECT_EQ(count("SELECT COUNT(*) FROM workers"), 1);
  }
  ASSERT_TRUE(sql("INSERT INTO users (organisation_id, email, role, created_at)"
                  " VALUES (1, 'ann@example.org', 'learner', 'x')"));
  int64_t user = count("SELECT id FROM users WHERE email = 'ann@example.org'");
  // Another organisation's worker with the same email.
  ASSERT_TRUE(workforce.add(2, good_worker("W1", "Ann"), other_actor_).ok());

  auto linked = workforce.for_user(1, user, "ann@example.org");
  ASSERT_TRUE(linked.ok()) << linked.status().to_string();
  EXPECT_EQ(count("SELECT COUNT(*) FROM workers WHERE organisation_id = 2 AND user_id IS NOT NULL"), 0)
      << "another organisation's worker is never linked";
  if (twin.ok()) {
    EXPECT_FALSE(linked->has_value()) << "two workers share the email: it is not clear which";
    EXPECT_EQ(count("SELECT COUNT(*) FROM workers WHERE user_id IS NOT NULL"), 0);
  } else {
    ASSERT_TRUE(linked->has_value());
    EXPECT_EQ((*linked)->id, ann.id);
    // Once linked, the link is found by the account, whatever email is given.
    auto again = workforce.for_user(1, user, "");
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(again->has_value());
    EXPECT_EQ((*again)->id, ann.id);
  }
}

// The lead who invites, as the accounts service knows them (user 1 of organisation 1).
accounts::User inviter() {
  accounts::User u;
  u.id = 1;
  u.organisation_id = 1;
  u.email = "lead@x.org";
  u.role = security::Role::kLearningLead;
  return u;
}

TEST_F(WorkforceTest, InvitingMakesALinkedLearnerAccountOnceOnly) {
  Workforce workforce(**db_, clock_);
  accounts::Accounts accounts(**db_, clock_);
  Worker ann = add(good_worker());
  auto token = workforce.invite(1, ann.id, accounts, inviter(), "test");
  ASSERT_TRUE(token.ok()) << token.status().to_string();
  EXPECT_FALSE(token->empty());
  // The account is made and linked to the worker in the same step.
  int64_t user = count("SELECT id FROM users WHERE email = 'ann@example.org' AND role = 'learner'");
  EXPECT_EQ(workforce.get(1, ann.id, actor_)->user_id, std::optional<int64_t>(user));
  auto invitation = accounts.find_invitation(*token);
  ASSERT_TRUE(invitation.ok() && invitation->has_value());
  EXPECT_EQ((*invitation)->email, "ann@example.org");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'worker.link-account' AND subject_id = $1",
                  {std::to_string(ann.id)}),
            1);

  // A second invitation is refused and writes nothing.
  auto again = workforce.invite(1, ann.id, accounts, inviter(), "test");
  EXPECT_EQ(again.status().code(), StatusCode::kConflict) << again.status().to_string();
  EXPECT_NE(again.status().message().find("already been invited"), std::string::npos) << again.status().message();
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE role = 'learner'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM invitations"), 1);
}

TEST_F(WorkforceTest, ErasingAnInvitedWorkerTakesTheAccountAndTheLink) {
  Workforce workforce(**db_, clock_);
  accounts::Accounts accounts(**db_, clock_);
  Worker ann = add(good_worker());
  auto token = workforce.invite(1, ann.id, accounts, inviter(), "test");
  ASSERT_TRUE(token.ok()) << token.status().to_string();
  ASSERT_TRUE(workforce.erase(1, ann.id, actor_).ok());
  auto invitation = accounts.find_invitation(*token);
  ASSERT_TRUE(invitation.ok());
  EXPECT_FALSE(invitation->has_value()) << "the link no longer works";
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE role = 'learner' AND active = 1"), 0);
  EXPECT_EQ(accounts.accept_invitation(*token, "Ann", "a long enough password", "test").status().code(),
            StatusCode::kNotFound);
  // An erased worker cannot be invited.
  auto late = workforce.invite(1, ann.id, accounts, inviter(), "test");
  EXPECT_EQ(late.status().code(), StatusCode::kNotFound) << late.status().to_string();
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE role = 'learner' AND active = 1"), 0);
}

TEST_F(WorkforceTest, AnInvitationThatCannotBeMadeWritesNothing) {
  Workforce workforce(**db_, clock_);
  accounts::Accounts accounts(**db_, clock_);
  WorkerInput no_email = good_worker("W2", "Bob Smith");
  no_email.email = "";
  Worker bob = add(no_email);
  auto refused = workforce.invite(1, bob.id, accounts, inviter(), "test");
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(refused.status().where().field, "invite");
  // An email another account already has: the account is not made and the
  // worker is not linked to anyone.
  Worker lead = add(good_worker("W3", "Lead Person"));
  ASSERT_TRUE(sql("UPDATE workers SET email = 'lead@x.org' WHERE id = $1", {lead.id}));
  auto clash = workforce.invite(1, lead.id, accounts, inviter(), "test");
  EXPECT_EQ(clash.status().code(), StatusCode::kInvalidInput) << clash.status().to_string();
  EXPECT_EQ(count("SELECT COUNT(*) FROM workers WHERE user_id IS NOT NULL"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM invitations"), 0);
  // Another organisation's worker is not found.
  Worker theirs = add(good_worker("W9", "Zed Other"), 2);
  EXPECT_EQ(workforce.invite(1, theirs.id, accounts, inviter(), "test").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace coproduce::learning
