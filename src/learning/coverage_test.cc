#include "learning/coverage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.h"

namespace coproduce::learning {
namespace {

// ---------------------------------------------------------------------------
// The status rules, played from testdata/status_cases.txt.

std::string testdata_dir() {
  const char* root = std::getenv("COPRODUCE_SOURCE_DIR");
  return std::string(root ? root : ".") + "/src/learning/testdata/";
}

struct StatusCase {
  int line = 0;
  std::string date, started_on, left_on;
  std::optional<int> within_days, refresh_months;
  std::string latest;
  std::string status, due_on, completed_on, expires_on;
};

std::string dash_is_empty(const std::string& field) { return field == "-" ? "" : field; }
std::optional<int> dash_is_none(const std::string& field) {
  if (field == "-") return std::nullopt;
  return std::stoi(field);
}

// Reads the cases; a line that is not a comment, blank or ten fields fails the test.
std::vector<StatusCase> read_status_cases(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path << " (is COPRODUCE_SOURCE_DIR set?)";
  std::vector<StatusCase> out;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    std::string trimmed = trim_copy(text);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream fields(trimmed);
    for (std::string part; std::getline(fields, part, '|');) f.push_back(trim_copy(part));
    if (f.size() != 10) {
      ADD_FAILURE() << path << ", line " << line << ": expected 10 fields, found " << f.size();
      continue;
    }
    out.push_back({line, f[0], f[1], dash_is_empty(f[2]), dash_is_none(f[3]), dash_is_none(f[4]), dash_is_empty(f[5]),
                   f[6], dash_is_empty(f[7]), dash_is_empty(f[8]), dash_is_empty(f[9])});
  }
  return out;
}

WorkerFacts worker_of(const StatusCase& c) {
  return {1, "care_worker", "direct_care", "Oak", "Days", c.started_on, c.left_on};
}

TEST(ModuleStatusCases, MatchTheWorkedExamples) {
  const std::string path = testdata_dir() + "status_cases.txt";
  std::vector<StatusCase> cases = read_status_cases(path);
  ASSERT_GE(cases.size(), 30u) << "the cases in " << path << " were not all read";
  for (const StatusCase& c : cases) {
    SCOPED_TRACE(path + ", line " + std::to_string(c.line));
    RequirementRule rule{7, "care_worker", c.within_days.value_or(0), ""};
    ModuleStatus s = module_status(c.date, worker_of(c), c.within_days ? &rule : nullptr, c.refresh_months, c.latest);
    EXPECT_EQ(status_code(s.status), c.status);
    EXPECT_EQ(s.due_on, c.due_on);
    EXPECT_EQ(s.completed_on, c.completed_on);
    EXPECT_EQ(s.expires_on, c.expires_on);
  }
}

// The same cases through compute_coverage, for one worker and one module:
// the headline counts must agree with the module's status.
TEST(ModuleStatusCases, CoverageAgreesWithEachCase) {
  const std::string path = testdata_dir() + "status_cases.txt";
  std::vector<StatusCase> cases = read_status_cases(path);
  ASSERT_GE(cases.size(), 30u);
  for (const StatusCase& c : cases) {
    SCOPED_TRACE(path + ", line " + std::to_string(c.line));
    CoverageInput in;
    in.date = c.date;
    in.workers = {worker_of(c)};
    if (c.within_days) in.requirements = {{7, "care_worker", *c.within_days, ""}};
    in.modules = {{7, c.refresh_months}};
    if (!c.latest.empty()) in.completions = {{1, 7, c.latest}};
    Coverage out = compute_coverage(in);
    bool required = c.status != "not_required";
    EXPECT_EQ(out.workers, required ? 1 : 0);
    EXPECT_EQ(out.completed, c.status == "done" ? 1 : 0);
    bool behind = c.status == "overdue" || c.status == "expired";
    EXPECT_EQ(out.overdue, behind ? 1 : 0);
    ASSERT_EQ(out.overdue_list.size(), behind ? 1u : 0u);
    if (behind) {
      EXPECT_EQ(status_code(out.overdue_list[0].status.status), c.status);
      EXPECT_EQ(out.overdue_list[0].status.due_on, c.due_on);
      EXPECT_EQ(out.overdue_list[0].status.expires_on, c.expires_on);
    }
  }
}

TEST(StatusCode, IsTheVocabularyCode) {
  EXPECT_STREQ(status_code(LearningStatus::kNotRequired), "not_required");
  EXPECT_STREQ(status_code(LearningStatus::kDone), "done");
  EXPECT_STREQ(status_code(LearningStatus::kDue), "due");
  EXPECT_STREQ(status_code(LearningStatus::kOverdue), "overdue");
  EXPECT_STREQ(status_code(LearningStatus::kExpired), "expired");
}

// ---------------------------------------------------------------------------
// compute_coverage on a hand-worked organisation.
//
// Date 2026-06-30. Module 1 is refreshed every 12 months; module 2 never.
// Care workers must do module 1 within 30 days and module 2 within 90;
// supervisors and leaders module 1 within 60. Nothing is asked of anyone not
// on the pathway.
//
//  id name role        workplace team   started     left        module 1            module 2            counted?
//   1 Ann  care_worker  Oak      Days   2025-01-01              2025-08-01 (exp 08-01, soon)  2025-02-01   yes, completed, expiring
//   2 Bob  care_worker  Oak      Nights 2026-06-15              - (due 07-15)       - (due 09-13)       yes
//   3 Cy   care_worker  Elm      Days   2026-01-01              - (overdue 01-31)   2026-02-01          yes, overdue
//   4 Di   supervisor   Elm      Days   2020-01-01              2025-03-01 (expired 2026-03-01)         yes, overdue
//   5 Ed   supervisor   Oak      ""     2024-01-01              2025-09-28 (exp 09-28, +90: soon)       yes, completed, expiring
//                                                              and 2026-07-05, after the date: ignored
//   6 Flo  not_on_path  Oak      Days   2020-01-01                                                      no (nothing required)
//   7 Gus  care_worker  Oak      Days   2020-01-01  2026-05-31                                          no (left)
//   8 Hal  care_worker  Oak      Days   2026-07-01                                                      no (not started)
//   9 Ivy  care_worker  Elm      Nights 2025-06-01  2026-06-30  2025-06-10 (expired 06-10)  - (overdue 2025-08-30)  yes (leaves today), overdue
//  10 Jo   supervisor   Oak      Days   2024-01-01              2025-09-29 (exp 09-29, +91: not soon)   yes, completed

CoverageInput hand_worked() {
  CoverageInput in;
  in.date = "2026-06-30";
  in.modules = {{1, 12}, {2, std::nullopt}};
  in.requirements = {{1, "care_worker", 30, ""}, {2, "care_worker", 90, ""}, {1, "supervisor_leader", 60, ""}};
  in.workers = {
      {1, "care_worker", "direct_care", "Oak", "Days", "2025-01-01", ""},
      {2, "care_worker", "direct_care", "Oak", "Nights", "2026-06-15", ""},
      {3, "care_worker", "direct_care", "Elm", "Days", "2026-01-01", ""},
      {4, "supervisor_leader", "supervisor", "Elm", "Days", "2020-01-01", ""},
      {5, "supervisor_leader", "supervisor", "Oak", "", "2024-01-01", ""},
      {6, "not_on_pathway", "senior_manager", "Oak", "Days", "2020-01-01", ""},
      {7, "care_worker", "direct_care", "Oak", "Days", "2020-01-01", "2026-05-31"},
      {8, "care_worker", "direct_care", "Oak", "Days", "2026-07-01", ""},
      {9, "care_worker", "direct_care", "Elm", "Nights", "2025-06-01", "2026-06-30"},
      {10, "supervisor_leader", "supervisor", "Oak", "Days", "2024-01-01", ""},
  };
  in.completions = {
      {1, 1, "2025-08-01"}, {1, 2, "2025-02-01"}, {3, 2, "2026-02-01"}, {4, 1, "2025-03-01"},
      {5, 1, "2025-09-28"}, {5, 1, "2026-07-05"},  // the second is after the date
      {9, 1, "2025-06-10"}, {10, 1, "2025-09-29"},
      {7, 1, "2020-02-01"},  // a leaver's: never counted
  };
  return in;
}

const CoverageCount& count_of(const std::vector<CoverageCount>& counts, const std::string& key) {
  for (const auto& c : counts)
    if (c.key == key) return c;
  static const CoverageCount kMissing{"(missing)", -1, -1, std::nullopt};
  ADD_FAILURE() << "no count for '" << key << "'";
  return kMissing;
}

void expect_count(const std::vector<CoverageCount>& counts, const std::string& key, int64_t workers,
                  int64_t completed) {
  const CoverageCount& c = count_of(counts, key);
  EXPECT_EQ(c.workers, workers) << key;
  EXPECT_EQ(c.completed, completed) << key;
  if (workers == 0) {
    EXPECT_FALSE(c.share.has_value()) << key << ": no workers, so no share (not 0%)";
  } else {
    ASSERT_TRUE(c.share.has_value()) << key;
    EXPECT_DOUBLE_EQ(*c.share, static_cast<double>(completed) / static_cast<double>(workers)) << key;
  }
}

std::vector<std::string> keys_of(const std::vector<CoverageCount>& counts) {
  std::vector<std::string> out;
  for (const auto& c : counts) out.push_back(c.key);
  return out;
}

TEST(ComputeCoverage, HandWorkedOrganisation) {
  Coverage out = compute_coverage(hand_worked());
  EXPECT_EQ(out.date, "2026-06-30");
  EXPECT_EQ(out.workers, 7);    // Ann, Bob, Cy, Di, Ed, Ivy, Jo
  EXPECT_EQ(out.completed, 3);  // Ann, Ed, Jo
  ASSERT_TRUE(out.share.has_value());
  EXPECT_DOUBLE_EQ(*out.share, 3.0 / 7.0);
  EXPECT_EQ(out.overdue, 3);        // Cy, Di, Ivy
  EXPECT_EQ(out.expiring_soon, 2);  // Ann (32 days), Ed (90 days); not Jo (91)

  // Every role category, in the pathway's order, empty ones included.
  EXPECT_EQ(keys_of(out.by_role_category),
            (std::vector<std::string>{"new_to_care", "care_worker", "enhanced_care_worker", "personal_assistant",
                                      "supervisor_leader", "practice_leader", "deputy_manager", "registered_manager",
                                      "not_on_pathway"}));
  expect_count(out.by_role_category, "care_worker", 4, 1);
  expect_count(out.by_role_category, "supervisor_leader", 3, 2);
  expect_count(out.by_role_category, "new_to_care", 0, 0);
  expect_count(out.by_role_category, "not_on_pathway", 0, 0);  // Flo has nothing required

  EXPECT_EQ(keys_of(out.by_closeness), (std::vector<std::string>{"direct_care", "supervisor", "registered_manager",
                                                                 "senior_manager", "commissioner", "other_role"}));
  expect_count(out.by_closeness, "direct_care", 4, 1);
  expect_count(out.by_closeness, "supervisor", 3, 2);
  expect_count(out.by_closeness, "senior_manager", 0, 0);

  // Only workplaces and teams with counted workers, by name.
  EXPECT_EQ(keys_of(out.by_workplace), (std::vector<std::string>{"Elm", "Oak"}));
  expect_count(out.by_workplace, "Elm", 3, 0);  // a real 0%, not "no data"
  expect_count(out.by_workplace, "Oak", 4, 3);
  EXPECT_EQ(keys_of(out.by_team), (std::vector<std::string>{"", "Days", "Nights"}));
  expect_count(out.by_team, "", 1, 1);
  expect_count(out.by_team, "Days", 4, 2);
  expect_count(out.by_team, "Nights", 2, 0);

  // Most overdue first: by the day each fell behind.
  struct Gap {
    int64_t worker, module;
    const char* status;
    const char* since;
  };
  const Gap want[] = {{9, 2, "overdue", "2025-08-30"},
                      {3, 1, "overdue", "2026-01-31"},
                      {4, 1, "expired", "2026-03-01"},
                      {9, 1, "expired", "2026-06-10"}};
  ASSERT_EQ(out.overdue_list.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    const WorkerGap& g = out.overdue_list[i];
    SCOPED_TRACE("overdue_list[" + std::to_string(i) + "]");
    EXPECT_EQ(g.worker_id, want[i].worker);
    EXPECT_EQ(g.module_id, want[i].module);
    EXPECT_STREQ(status_code(g.status.status), want[i].status);
    EXPECT_EQ(g.status.status == LearningStatus::kExpired ? g.status.expires_on : g.status.due_on, want[i].since);
  }
  EXPECT_EQ(out.overdue_list[2].status.completed_on, "2025-03-01");  // when Di last did it

  // Soonest expiry first.
  ASSERT_EQ(out.expiring_list.size(), 2u);
  EXPECT_EQ(out.expiring_list[0].worker_id, 1);
  EXPECT_EQ(out.expiring_list[0].status.expires_on, "2026-08-01");
  EXPECT_EQ(out.expiring_list[1].worker_id, 5);
  EXPECT_EQ(out.expiring_list[1].status.completed_on, "2025-09-28")
      << "Ed's completion after the date must not be taken as his latest";
  EXPECT_EQ(out.expiring_list[1].status.expires_on, "2026-09-28");
}

TEST(ComputeCoverage, ListLimitShortensTheListsButNotTheCounts) {
  CoverageInput in = hand_worked();
  in.list_limit = 2;
  Coverage out = compute_coverage(in);
  EXPECT_EQ(out.overdue, 3);
  EXPECT_EQ(out.overdue_modules, 4);
  EXPECT_EQ(out.expiring_soon, 2);
  EXPECT_EQ(out.expiring_modules, 2);
  ASSERT_EQ(out.overdue_list.size(), 2u);
  // Still the most overdue: Ivy's module 2 (since 2025-08-30), then Cy's module 1.
  EXPECT_EQ(out.overdue_list[0].worker_id, 9);
  EXPECT_EQ(out.overdue_list[0].module_id, 2);
  EXPECT_EQ(out.overdue_list[1].worker_id, 3);
  in.list_limit = 1;
  out = compute_coverage(in);
  ASSERT_EQ(out.expiring_list.size(), 1u);
  EXPECT_EQ(out.expiring_list[0].worker_id, 1) << "the soonest expiry is kept";
  in.list_limit = 0;
  out = compute_coverage(in);
  EXPECT_TRUE(out.overdue_list.empty());
  EXPECT_TRUE(out.expiring_list.empty());
  EXPECT_EQ(out.overdue, 3);
  EXPECT_EQ(out.completed, 3);
}

TEST(ComputeCoverage, OrderOfInputDoesNotMatter) {
  CoverageInput in = hand_worked();
  Coverage a = compute_coverage(in);
  std::reverse(in.workers.begin(), in.workers.end());
  std::reverse(in.completions.begin(), in.completions.end());
  std::reverse(in.requirements.begin(), in.requirements.end());
  Coverage b = compute_coverage(in);
  EXPECT_EQ(a.workers, b.workers);
  EXPECT_EQ(a.completed, b.completed);
  ASSERT_EQ(a.overdue_list.size(), b.overdue_list.size());
  for (size_t i = 0; i < a.overdue_list.size(); ++i) {
    EXPECT_EQ(a.overdue_list[i].worker_id, b.overdue_list[i].worker_id);
    EXPECT_EQ(a.overdue_list[i].module_id, b.overdue_list[i].module_id);
  }
  ASSERT_EQ(a.expiring_list.size(), b.expiring_list.size());
}

TEST(ComputeCoverage, IgnoresCompletionsAfterTheDate) {
  // One care worker, overdue since 31 Jan; their completion comes in August.
  CoverageInput in;
  in.date = "2026-06-30";
  in.modules = {{1, 12}};
  in.requirements = {{1, "care_worker", 30, ""}};
  in.workers = {{1, "care_worker", "direct_care", "Oak", "", "2026-01-01", ""}};
  in.completions = {{1, 1, "2026-08-01"}};
  Coverage before = compute_coverage(in);
  EXPECT_EQ(before.completed, 0);
  EXPECT_EQ(before.overdue, 1);
  ASSERT_EQ(before.overdue_list.size(), 1u);
  EXPECT_EQ(before.overdue_list[0].status.completed_on, "");
  in.date = "2026-08-01";
  Coverage after = compute_coverage(in);
  EXPECT_EQ(after.completed, 1);
  EXPECT_EQ(after.overdue, 0);
}

TEST(RulesFor, AWorkplacesOwnRuleReplacesTheOrganisationWideOne) {
  const RequirementRule everywhere{1, "care_worker", 30, ""};
  const RequirementRule at_oak{1, "care_worker", 7, "Oak"};
  const RequirementRule only_elm{2, "care_worker", 60, "Elm"};
  WorkerFacts oak{1, "care_worker", "direct_care", "Oak", "", "2026-06-01", ""};
  WorkerFacts elm{2, "care_worker", "direct_care", "Elm", "", "2026-06-01", ""};
  WorkerFacts nowhere{3, "care_worker", "direct_care", "", "", "2026-06-01", ""};
  // Whichever order the rules come in.
  for (const auto& rules : {std::vector<const RequirementRule*>{&everywhere, &at_oak, &only_elm},
                            std::vector<const RequirementRule*>{&only_elm, &at_oak, &everywhere}}) {
    EXPECT_EQ(rules_for(oak, rules), (std::vector<const RequirementRule*>{&at_oak}));
    std::vector<const RequirementRule*> at_elm = rules_for(elm, rules);
    ASSERT_EQ(at_elm.size(), 2u);
    EXPECT_NE(std::find(at_elm.begin(), at_elm.end(), &everywhere), at_elm.end());
    EXPECT_NE(std::find(at_elm.begin(), at_elm.end(), &only_elm), at_elm.end());
    EXPECT_EQ(rules_for(nowhere, rules), (std::vector<const RequirementRule*>{&everywhere}));
  }
}

TEST(ComputeCoverage, UsesTheWorkplacesOwnRequirement) {
  // Oak wants module 1 within 7 days; everywhere else within 30. Elm also
  // wants module 2. Two care workers started on 1 June; the date is 20 June.
  CoverageInput in;
  in.date = "2026-06-20";
  in.modules = {{1, std::nullopt}, {2, std::nullopt}};
  in.requirements = {{1, "care_worker", 30, ""}, {1, "care_worker", 7, "Oak"}, {2, "care_worker", 60, "Elm"},
                     {1, "supervisor_leader", 30, "Ash"}};
  in.workers = {{1, "care_worker", "direct_care", "Oak", "", "2026-06-01", ""},
                {2, "care_worker", "direct_care", "Elm", "", "2026-06-01", ""},
                // A supervisor at Oak: their only rule is Ash's, so nothing is asked of them.
                {3, "supervisor_leader", "supervisor", "Oak", "", "2026-06-01", ""}};
  Coverage out = compute_coverage(in);
  EXPECT_EQ(out.workers, 2);
  EXPECT_EQ(out.overdue, 1);
  ASSERT_EQ(out.overdue_list.size(), 1u);
  EXPECT_EQ(out.overdue_list[0].worker_id, 1);
  EXPECT_EQ(out.overdue_list[0].status.due_on, "2026-06-08");
  expect_count(out.by_workplace, "Oak", 1, 0);
  expect_count(out.by_workplace, "Elm", 1, 0);
  expect_count(out.by_role_category, "supervisor_leader", 0, 0);
}

TEST(ComputeCoverage, AWorkerWhoseCategoryHasNoRequirementIsNotCounted) {
  CoverageInput in;
  in.date = "2026-06-30";
  in.modules = {{1, std::nullopt}};
  in.requirements = {{1, "care_worker", 30, ""}};
  in.workers = {{1, "care_worker", "direct_care", "Oak", "Days", "2026-01-01", ""},
                {2, "registered_manager", "registered_manager", "Elm", "Office", "2020-01-01", ""}};
  in.completions = {{1, 1, "2026-01-05"}};
  Coverage out = compute_coverage(in);
  EXPECT_EQ(out.workers, 1);
  EXPECT_EQ(out.completed, 1);
  EXPECT_DOUBLE_EQ(*out.share, 1.0);
  expect_count(out.by_role_category, "registered_manager", 0, 0);
  expect_count(out.by_closeness, "registered_manager", 0, 0);
  EXPECT_EQ(keys_of(out.by_workplace), std::vector<std::string>{"Oak"});
  EXPECT_EQ(keys_of(out.by_team), std::vector<std::string>{"Days"});
}

TEST(ComputeCoverage, NoWorkersMeansNoShareRatherThanZero) {
  CoverageInput in;
  in.date = "2026-06-30";
  Coverage out = compute_coverage(in);
  EXPECT_EQ(out.workers, 0);
  EXPECT_EQ(out.completed, 0);
  EXPECT_FALSE(out.share.has_value());
  EXPECT_EQ(out.by_role_category.size(), 9u);
  for (const auto& c : out.by_role_category) EXPECT_FALSE(c.share.has_value()) << c.key;
  for (const auto& c : out.by_closeness) EXPECT_FALSE(c.share.has_value()) << c.key;
  EXPECT_TRUE(out.by_workplace.empty());
  EXPECT_TRUE(out.by_team.empty());
  EXPECT_TRUE(out.overdue_list.empty());

  // Workers, but none required to do anything: still no share.
  in.workers = {{1, "care_worker", "direct_care", "Oak", "", "2026-01-01", ""}};
  out = compute_coverage(in);
  EXPECT_EQ(out.workers, 0);
  EXPECT_FALSE(out.share.has_value());
}

TEST(ComputeCoverage, AWorkerWithSeveralModulesIsCompletedOnlyWhenAllAreDone) {
  CoverageInput in;
  in.date = "2026-06-30";
  in.modules = {{1, std::nullopt}, {2, std::nullopt}};
  in.requirements = {{1, "care_worker", 30, ""}, {2, "care_worker", 365, ""}};
  in.workers = {{1, "care_worker", "direct_care", "Oak", "", "2026-01-01", ""}};
  in.completions = {{1, 1, "2026-01-05"}};
  Coverage out = compute_coverage(in);
  EXPECT_EQ(out.workers, 1);
  EXPECT_EQ(out.completed, 0) << "module 2 is due, not done";
  EXPECT_EQ(out.overdue, 0) << "due is not overdue";
  in.completions.push_back({1, 2, "2026-06-30"});
  EXPECT_EQ(compute_coverage(in).completed, 1);
}

}  // namespace
}  // namespace coproduce::learning
