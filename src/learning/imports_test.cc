#include "learning/imports.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "learning/ascwds.h"
#include "learning/learning.h"
#include "learning/test_support.h"
#include "learning/workforce.h"

namespace coproduce::learning {
namespace {

using test_support::ascwds_worker;
using test_support::describe;

// Two workers as ASC-WDS would hold them.
std::vector<WorkerInput> two_workers() {
  return {
      ascwds_worker("W1", "Ann Jones", "Oak1", "Care worker", "care_worker", "direct_care", "2024-03-01", "completed"),
      ascwds_worker("W2", "Bob Smith", "Oak1", "Senior care worker", "enhanced_care_worker", "supervisor", "2019-09-05",
                    "in_progress")};
}

ascwds::TrainingRow training(std::string worker_id, std::string name, std::string completed_on,
                             std::string category = std::string(ascwds::kCoproductionTrainingCategory)) {
  ascwds::TrainingRow t;
  t.workplace = "Oak1";
  t.worker_id = std::move(worker_id);
  t.category = std::move(category);
  t.name = std::move(name);
  t.who_delivered = "In-house staff";
  t.how_delivered = "Face to face";
  t.completed_on = std::move(completed_on);
  return t;
}

const char* const kStarterTitle = "Working in co-production";

class ImportsTest : public test_support::DatabaseTest {
 protected:
  ImportSummary run(const AscwdsFiles& files, bool commit, int64_t org = 1) {
    auto out = import_ascwds(**db_, clock_, org, files, commit, actor_of(org));
    EXPECT_TRUE(out.ok()) << out.status().to_string();
    return out.ok() ? *out : ImportSummary{};
  }
  static AscwdsFiles files(const std::vector<WorkerInput>& workers, const std::vector<ascwds::TrainingRow>& rows) {
    AscwdsFiles f;
    if (!workers.empty()) {
      f.workers_name = "staff.csv";
      f.workers_text = ascwds::write_workers(workers);
    }
    if (!rows.empty()) {
      f.training_name = "training.csv";
      f.training_text = ascwds::write_training(rows);
    }
    return f;
  }
  std::vector<Worker> workforce(int64_t org = 1) {
    WorkerQuery q;
    q.limit = 500;
    auto ws = Workforce(**db_, clock_).search(org, q, actor_of(org));
    EXPECT_TRUE(ws.ok());
    std::vector<Worker> out = ws.ok() ? *ws : std::vector<Worker>{};
    std::sort(out.begin(), out.end(),
              [](const Worker& a, const Worker& b) { return a.details.worker_id < b.details.worker_id; });
    return out;
  }
};

TEST_F(ImportsTest, ACheckReportsWhatWouldHappenAndWritesNothing) {
  starter();
  int64_t modules_before = count("SELECT COUNT(*) FROM learning_modules");
  AscwdsFiles f = files(two_workers(), {training("W1", kStarterTitle, "2025-01-10"),
                                        training("W2", "Food hygiene level 2", "2025-02-01", "8")});
  ImportSummary s = run(f, /*commit=*/false);
  ASSERT_TRUE(s.problems.empty()) << describe(s.problems);
  EXPECT_EQ(s.workers_added, 2);
  EXPECT_EQ(s.workers_updated, 0);
  EXPECT_EQ(s.completions_added, 1);
  EXPECT_EQ(s.training_other, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM workers"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'worker.%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_modules"), modules_before);
  // Only the columns Coproduce uses are read; the rest are named as ignored.
  EXPECT_NE(std::find(s.worker_columns_read.begin(), s.worker_columns_read.end(), "UNIQUEWORKERID"),
            s.worker_columns_read.end());
  EXPECT_NE(std::find(s.worker_columns_ignored.begin(), s.worker_columns_ignored.end(), "NINUMBER"),
            s.worker_columns_ignored.end());
}

TEST_F(ImportsTest, ASecondImportUpdatesRatherThanDuplicates) {
  int64_t module = starter();
  AscwdsFiles f = files(two_workers(), {training("W1", kStarterTitle, "2025-01-10")});
  ImportSummary first = run(f, /*commit=*/true);
  ASSERT_TRUE(first.problems.empty()) << describe(first.problems);
  EXPECT_EQ(first.workers_added, 2);
  EXPECT_EQ(first.completions_added, 1);
  std::vector<Worker> ws = workforce();
  ASSERT_EQ(ws.size(), 2u);
  EXPECT_EQ(ws[0].details.name, "Ann Jones");
  EXPECT_EQ(ws[0].details.workplace, "Oak1");
  EXPECT_EQ(ws[0].details.role_category, "care_worker");
  EXPECT_EQ(ws[0].details.started_on, "2024-03-01");
  EXPECT_EQ(ws[0].details.care_certificate, "completed");
  auto done = Learning(**db_, clock_).completions(1, ws[0].id);
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ((*done)[0].module_id, module);
  EXPECT_EQ((*done)[0].completed_on, "2025-01-10");
  EXPECT_EQ((*done)[0].source, "import");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'worker.create'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'worker.completion'"), 1);

  // What ASC-WDS does not hold is typed in here, and must survive the next import.
  const int64_t ann_id = ws[0].id;
  WorkerInput kept = ws[0].details;
  kept.team = "Nights";
  kept.email = "ann@example.org";
  ASSERT_TRUE(Workforce(**db_, clock_).update(1, ws[0].id, kept, actor_).ok());

  // A month later: Ann has a new name and role in ASC-WDS; the same training file again.
  std::vector<WorkerInput> changed = two_workers();
  changed[0].name = "Ann Evans";
  changed[0].job_role = "Senior care worker";
  changed[0].role_category = "enhanced_care_worker";
  changed[0].closeness = "supervisor";
  ImportSummary second = run(files(changed, {training("W1", kStarterTitle, "2025-01-10"),
                                             training("W2", kStarterTitle, "2026-06-01")}),
                             /*commit=*/true);
  ASSERT_TRUE(second.problems.empty()) << describe(second.problems);
  EXPECT_EQ(second.workers_added, 0);
  EXPECT_EQ(second.workers_updated, 2);
  EXPECT_EQ(second.completions_added, 1);  // Bob's
  EXPECT_EQ(second.completions_known, 1);  // Ann's, already there
  ws = workforce();
  ASSERT_EQ(ws.size(), 2u);
  EXPECT_EQ(ws[0].id, ann_id) << "the same record, updated";
  EXPECT_EQ(ws[0].details.name, "Ann Evans");
  EXPECT_EQ(ws[0].details.role_category, "enhanced_care_worker");
  EXPECT_EQ(ws[0].details.team, "Nights");
  EXPECT_EQ(ws[0].details.email, "ann@example.org");
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions"), 2);
  EXPECT_EQ(Learning(**db_, clock_).completions(1, ws[0].id)->size(), 1u);
}

TEST_F(ImportsTest, OtherTrainingIsCountedAndNotKept) {
  starter();
  ImportSummary s = run(files(two_workers(), {training("W1", "Fire safety awareness", "2025-01-10", "6"),
                                              training("W2", "Food hygiene level 2", "2025-02-01", "8"),
                                              training("W2", "working in CO-PRODUCTION ", "2025-03-01")}),
                        /*commit=*/true);
  ASSERT_TRUE(s.problems.empty()) << describe(s.problems);
  EXPECT_EQ(s.training_other, 2);
  EXPECT_EQ(s.other_training, (std::vector<std::string>{"Fire safety awareness", "Food hygiene level 2"}));
  EXPECT_EQ(s.completions_added, 1) << "the module title matches whatever its case and spacing";
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_modules"), 1) << "other training makes no module";
}

TEST_F(ImportsTest, TrainingForAnUnknownWorkerStopsTheWholeUpload) {
  starter();
  AscwdsFiles f = files(two_workers(), {training("W1", kStarterTitle, "2025-01-10"),
                                        training("W9", kStarterTitle, "2025-01-11")});
  for (bool commit : {false, true}) {
    SCOPED_TRACE(commit ? "commit" : "check");
    ImportSummary s = run(f, commit);
    ASSERT_EQ(s.problems.size(), 1u) << describe(s.problems);
    const ImportProblem& p = s.problems[0];
    EXPECT_EQ(p.where.file, "training.csv");
    EXPECT_EQ(p.where.line, 3);    // the header is line 1
    EXPECT_EQ(p.where.column, 2);  // UNIQUEWORKERID
    EXPECT_NE(p.message.find("W9"), std::string::npos) << p.message;
    // Nothing at all is written: not the workers from the same upload, nor W1's completion.
    EXPECT_EQ(count("SELECT COUNT(*) FROM workers"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'worker.%'"), 0);
  }
}

TEST_F(ImportsTest, CompletionDatesMustFallWhileTheWorkerIsThere) {
  starter();
  AscwdsFiles f = files(two_workers(), {training("W1", kStarterTitle, "2024-02-29"),    // Ann started 1 March
                                        training("W2", kStarterTitle, "2026-06-16")});  // tomorrow
  ImportSummary s = run(f, /*commit=*/true);
  ASSERT_EQ(s.problems.size(), 2u) << describe(s.problems);
  EXPECT_EQ(s.problems[0].where.line, 2);
  EXPECT_EQ(s.problems[0].where.column, 10);  // DATECOMPLETED
  EXPECT_NE(s.problems[0].message.find("2024-03-01"), std::string::npos) << s.problems[0].message;
  EXPECT_EQ(s.problems[1].where.line, 3);
  EXPECT_NE(s.problems[1].message.find("future"), std::string::npos) << s.problems[1].message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM workers"), 0);
}

TEST_F(ImportsTest, AWorkerFileProblemNamesFileLineAndColumn) {
  std::vector<WorkerInput> ws = two_workers();
  std::string text = ascwds::write_workers(ws);
  // Bob's start date, on line 3, made impossible.
  size_t at_date = text.find("05/09/2019");
  ASSERT_NE(at_date, std::string::npos);
  text.replace(at_date, 10, "31/09/2019");
  ImportSummary s = run({"staff.csv", text, "", ""}, /*commit=*/true);
  ASSERT_EQ(s.problems.size(), 1u) << describe(s.problems);
  EXPECT_EQ(s.problems[0].where.file, "staff.csv");
  EXPECT_EQ(s.problems[0].where.line, 3);
  EXPECT_EQ(s.problems[0].where.column, 20);  // STARTDATE
  EXPECT_EQ(count("SELECT COUNT(*) FROM workers"), 0);
  // No file at all is a mistake too.
  auto none = import_ascwds(**db_, clock_, 1, {}, true, actor_);
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidInput);
}

TEST_F(ImportsTest, DeleteRowsAreCountedAndNeverEraseAnyone) {
  starter();
  ASSERT_TRUE(run(files(two_workers(), {}), true).problems.empty());
  std::string text = ascwds::write_workers({two_workers()[1]});
  size_t status = text.find("UNCHECKED");
  ASSERT_NE(status, std::string::npos);
  text.replace(status, 9, "DELETE");
  ImportSummary s = run({"staff.csv", text, "", ""}, /*commit=*/true);
  ASSERT_TRUE(s.problems.empty()) << describe(s.problems);
  EXPECT_EQ(s.workers_deleted_rows, 1);
  EXPECT_EQ(s.workers_updated, 0);
  EXPECT_EQ(workforce().size(), 2u);
}

// ASC-WDS treats the same UNIQUEWORKERID at two workplaces as two workers
// (ascwds.h; read_workers accepts it). Importing them must not silently turn
// two people into one: either both are kept or the file is refused.
TEST_F(ImportsTest, TheSameWorkerIdAtTwoWorkplacesIsNotMergedSilently) {
  std::vector<WorkerInput> ws = {
      ascwds_worker("W1", "Ann Jones", "Oak1", "Care worker", "care_worker", "direct_care", "2024-03-01"),
      ascwds_worker("W1", "Mary Seacole", "Elm2", "Care worker", "care_worker", "direct_care", "2022-01-01")};
  ImportSummary s = run(files(ws, {}), /*commit=*/true);
  std::vector<Worker> stored = workforce();
  bool refused = !s.problems.empty();
  bool both_kept = stored.size() == 2;
  EXPECT_TRUE(refused || both_kept) << "added " << s.workers_added << ", updated " << s.workers_updated
                                    << "; stored " << stored.size() << " worker(s), the first named '"
                                    << (stored.empty() ? "" : stored[0].details.name) << "'";
}

TEST_F(ImportsTest, ExportThenImportIntoAFreshOrganisationRoundTrips) {
  Learning learning(**db_, clock_);
  Workforce people(**db_, clock_);
  int64_t module = starter(1);
  std::vector<WorkerInput> ws = two_workers();  // Ann and Bob
  ws.push_back(ascwds_worker("W3", "Cy Brown", "Elm2", "Registered manager", "registered_manager", "registered_manager",
                             "2010-01-31"));
  // Di starts soon; Ed has left.
  ws.push_back(ascwds_worker("W4", "Di Green", "Elm2", "Care worker", "new_to_care", "direct_care", "2026-07-01"));
  WorkerInput leaver =
      ascwds_worker("W5", "Ed Black", "Oak1", "Care worker", "care_worker", "direct_care", "2020-01-01");
  leaver.left_on = "2026-01-31";
  ws.push_back(leaver);
  std::vector<int64_t> ids;
  for (const auto& w : ws) {
    auto added = people.add(1, w, actor_);
    ASSERT_TRUE(added.ok()) << added.status().to_string();
    ids.push_back(added->id);
  }
  const std::string m = std::to_string(module);
  ASSERT_TRUE(learning.record_completion(1, ids[0], {m, "2024-03-10", "", ""}, "recorded", actor_).ok());
  ASSERT_TRUE(learning.record_completion(1, ids[0], {m, "2026-03-10", "", ""}, "elearning", actor_).ok());
  ASSERT_TRUE(learning.record_completion(1, ids[1], {m, "2024-02-29", "", ""}, "session", actor_).ok());
  ASSERT_TRUE(learning.record_completion(1, ids[4], {m, "2021-01-01", "", ""}, "recorded", actor_).ok());

  auto out = export_ascwds(**db_, clock_, 1, actor_);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->workers, 4) << "the leaver is left out";
  EXPECT_EQ(out->completions, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'workforce.export' AND organisation_id = 1"), 1);

  starter(2);
  ImportSummary s = run({"workers.csv", out->workers_csv, "training.csv", out->training_csv}, /*commit=*/true, 2);
  ASSERT_TRUE(s.problems.empty()) << describe(s.problems);
  EXPECT_EQ(s.workers_added, 4);
  EXPECT_EQ(s.completions_added, 3);
  EXPECT_EQ(s.training_other, 0);

  std::vector<Worker> copied = workforce(2);
  ASSERT_EQ(copied.size(), 4u);
  for (size_t i = 0; i < 4; ++i) test_support::expect_same_ascwds_fields(copied[i].details, ws[i]);
  auto theirs = Learning(**db_, clock_).completions(2, copied[0].id);
  ASSERT_EQ(theirs->size(), 2u);
  EXPECT_EQ((*theirs)[0].completed_on, "2026-03-10");
  EXPECT_EQ((*theirs)[0].module_title, kStarterTitle);
  EXPECT_EQ((*theirs)[0].expires_on, "2028-03-10");
  EXPECT_EQ((*theirs)[1].completed_on, "2024-03-10");
  auto bobs = Learning(**db_, clock_).completions(2, copied[1].id);
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_EQ((*bobs)[0].completed_on, "2024-02-29");
  EXPECT_EQ((*bobs)[0].how_delivered, "Face to face");

  // Coverage agrees in both organisations once the same requirement is set.
  int64_t their_module = starter(2);
  ASSERT_TRUE(learning.add_requirement(1, {m, "care_worker", "30", ""}, actor_).ok());
  ASSERT_TRUE(
      learning.add_requirement(2, {std::to_string(their_module), "care_worker", "30", ""}, other_actor_).ok());
  Coverage here = *learning.coverage(1, "2026-06-15");
  Coverage there = *learning.coverage(2, "2026-06-15");
  EXPECT_EQ(here.workers, there.workers);
  EXPECT_EQ(here.completed, there.completed);

  // Importing the export back into the same organisation changes nothing.
  ImportSummary again = run({"workers.csv", out->workers_csv, "training.csv", out->training_csv}, true, 1);
  ASSERT_TRUE(again.problems.empty()) << describe(again.problems);
  EXPECT_EQ(again.workers_added, 0);
  EXPECT_EQ(again.completions_added, 0);
  EXPECT_EQ(again.completions_known, 3);
}

// An organisation's first act may be to upload its ASC-WDS files (the web
// form or `coproduce learning import`), before anyone has opened the list of
// modules that makes its copy of the starter module. Co-production training
// in those files must still be recognised, not dropped as "other training".
TEST_F(ImportsTest, StarterModuleTrainingIsKeptEvenBeforeModulesWereListed) {
  ImportSummary s = run(files(two_workers(), {training("W1", kStarterTitle, "2025-01-10")}), /*commit=*/true, 2);
  ASSERT_TRUE(s.problems.empty()) << describe(s.problems);
  EXPECT_EQ(s.training_other, 0) << "'" << kStarterTitle << "' was taken for other training";
  EXPECT_EQ(s.completions_added, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions WHERE organisation_id = 2"), 1);
}

TEST_F(ImportsTest, WaitingFilesAreImportedOnceAndOnlyByTheirOwner) {
  starter();
  AscwdsFiles f = files(two_workers(), {training("W1", kStarterTitle, "2025-01-10")});
  auto pending = save_pending_import(**db_, clock_, 1, 1, f);
  ASSERT_TRUE(pending.ok()) << pending.status().to_string();
  // Another user of another organisation cannot confirm them.
  EXPECT_EQ(confirm_pending_import(**db_, clock_, 2, 2, *pending, other_actor_).status().code(), StatusCode::kNotFound);

  auto done = confirm_pending_import(**db_, clock_, 1, 1, *pending, actor_);
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  ASSERT_TRUE(done->summary.problems.empty()) << describe(done->summary.problems);
  EXPECT_EQ(done->summary.workers_added, 2);
  EXPECT_EQ(done->summary.completions_added, 1);
  EXPECT_EQ(done->files.workers_name, "staff.csv");
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_pending_imports"), 0);

  // Confirming again finds nothing and writes nothing: no updates, no audit entries.
  auto again = confirm_pending_import(**db_, clock_, 1, 1, *pending, actor_);
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound) << again.status().to_string();
  EXPECT_NE(again.status().message().find("already been confirmed"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM workers"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'worker.update'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'worker.%'"), 3);
}

TEST_F(ImportsTest, WaitingFilesThatNoLongerFitWriteNothingAndStillWait) {
  starter();
  ImportSummary first = run(files(two_workers(), {}), /*commit=*/true);
  ASSERT_TRUE(first.problems.empty()) << describe(first.problems);
  auto pending = save_pending_import(**db_, clock_, 1, 1, files({}, {training("W1", kStarterTitle, "2025-01-10")}));
  ASSERT_TRUE(pending.ok()) << pending.status().to_string();
  // W1 is erased after the check and before the confirmation.
  std::vector<Worker> ws = workforce();
  ASSERT_TRUE(Workforce(**db_, clock_).erase(1, ws[0].id, actor_).ok());
  auto done = confirm_pending_import(**db_, clock_, 1, 1, *pending, actor_);
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  ASSERT_EQ(done->summary.problems.size(), 1u) << describe(done->summary.problems);
  EXPECT_NE(done->summary.problems[0].message.find("W1"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_completions"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM learning_pending_imports WHERE id = $1", {*pending}), 1)
      << "the files wait, to be shown again or replaced";
}

}  // namespace
}  // namespace coproduce::learning
