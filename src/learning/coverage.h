// Where co-production learning has reached: each worker's status for each
// module on a date, and coverage by role category, closeness to direct care,
// workplace and team. Pure: no database, so the rules can be tested on worked
// examples and the whole computation timed on its own.
//
// The rules, for a worker and a module on date D:
//   - not_required: the worker is not in post on D (not started yet, or left
//     before D), or no requirement names the module for their role category.
//   - done: the latest completion on or before D has not expired, that is D
//     is before completed_on + refresh months (or the module never expires).
//   - expired: the latest completion has expired (D on or after its expiry).
//   - due: never completed, and D is on or before started_on + within_days.
//   - overdue: never completed, and D is after that.
// A worker is "completed" when they have at least one required module and
// every one is done (so none is due, overdue or expired).
#ifndef COPRODUCE_LEARNING_COVERAGE_H_
#define COPRODUCE_LEARNING_COVERAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coproduce::learning {

enum class LearningStatus { kNotRequired, kDone, kDue, kOverdue, kExpired };
// "not_required", "done", "due", "overdue", "expired" (vocab.h learning_statuses()).
const char* status_code(LearningStatus status);

// Completions that expire within this many days count as expiring soon.
inline constexpr int kExpiringSoonDays = 90;

// What the rules need to know of a worker. Dates are YYYY-MM-DD.
struct WorkerFacts {
  int64_t id = 0;
  std::string role_category;
  std::string closeness;
  std::string workplace;
  std::string team;
  std::string started_on;
  std::string left_on;  // "" while in post
};

// Workers of `role_category` must complete the module within `within_days`
// of starting. A rule for one workplace replaces the organisation-wide rule
// ("" workplace) for the same module and role category, for workers there.
struct RequirementRule {
  int64_t module_id = 0;
  std::string role_category;
  int within_days = 0;
  std::string workplace;  // "" for every workplace
};

// The rules that apply to `worker`: those of their role category, for every
// workplace or for theirs, at most one per module (their workplace's first).
std::vector<const RequirementRule*> rules_for(const WorkerFacts& worker,
                                              const std::vector<const RequirementRule*>& of_category);

struct ModuleStatus {
  LearningStatus status = LearningStatus::kNotRequired;
  std::string due_on;        // when required: started_on + within_days
  std::string completed_on;  // the latest completion on or before the date, if any
  std::string expires_on;    // its expiry, when the module has a refresh interval
};

// The status of one module for one worker on `date`. `requirement` is the
// rule for the worker's role category, if any; `refresh_months` the module's
// refresh interval; `latest_completed_on` the latest completion on or before
// `date` ("" for none).
ModuleStatus module_status(const std::string& date, const WorkerFacts& worker,
                           const RequirementRule* requirement, std::optional<int> refresh_months,
                           const std::string& latest_completed_on);

// The latest completion of a module by a worker on or before the date.
struct LatestCompletion {
  int64_t worker_id = 0;
  int64_t module_id = 0;
  std::string completed_on;
};

struct ModuleRefresh {
  int64_t module_id = 0;
  std::optional<int> refresh_months;
};

struct CoverageInput {
  std::string date;
  std::vector<WorkerFacts> workers;
  std::vector<RequirementRule> requirements;
  std::vector<ModuleRefresh> modules;
  // Completions: any number per worker and module; the latest on or before
  // the date counts, later ones are ignored.
  std::vector<LatestCompletion> completions;
  // The most rows each list (overdue_list, expiring_list) keeps; the counts
  // are always whole. Pages show a few; the API none.
  size_t list_limit = static_cast<size_t>(-1);
};

struct CoverageCount {
  std::string key;  // a role category, closeness code, workplace or team ("" for none given)
  int64_t workers = 0;
  int64_t completed = 0;
  std::optional<double> share;  // completed / workers; none when workers is 0
};

// One worker who needs something done, for the lists a lead acts on.
struct WorkerGap {
  int64_t worker_id = 0;
  int64_t module_id = 0;
  ModuleStatus status;
};

struct Coverage {
  std::string date;
  int64_t workers = 0;    // in post on the date with at least one required module
  int64_t completed = 0;  // of them, every required module done
  std::optional<double> share;
  std::vector<CoverageCount> by_role_category;  // every category, in pathway order
  std::vector<CoverageCount> by_closeness;      // every level, nearest to direct care first
  std::vector<CoverageCount> by_workplace;      // workplaces with workers, by name
  std::vector<CoverageCount> by_team;           // teams with workers, by name
  int64_t overdue = 0;        // workers with a module overdue or expired
  int64_t expiring_soon = 0;  // workers with a done module expiring within kExpiringSoonDays
  int64_t overdue_modules = 0;   // (worker, module) pairs overdue or expired
  int64_t expiring_modules = 0;  // (worker, module) pairs expiring soon
  std::vector<WorkerGap> overdue_list;   // overdue or expired modules, most overdue first, up to list_limit
  std::vector<WorkerGap> expiring_list;  // modules expiring soon, soonest first, up to list_limit
};

// Coverage on input.date. Runs in time linear in workers, requirements and
// completions (plus sorting the lists). Thread-safe (no shared state).
Coverage compute_coverage(const CoverageInput& input);

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_COVERAGE_H_
