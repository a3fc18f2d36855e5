// Learning modules, requirements, completions and knowledge checks for one
// organisation, and coverage computed from them (coverage.h holds the rules).
//
// Each organisation has its own copy of the built-in starter module, made
// the first time its modules are listed, to adapt as it likes. Completions
// and attempts are part of a worker's record: recording one is audited.
#ifndef COPRODUCE_LEARNING_LEARNING_H_
#define COPRODUCE_LEARNING_LEARNING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/vocabulary.h"
#include "impact/programmes.h"
#include "learning/content.h"
#include "learning/coverage.h"
#include "learning/workforce.h"
#include "store/database.h"

namespace coproduce::learning {

struct Module {
  int64_t id = 0;
  bool starter = false;
  ModuleContent content;
  std::string updated_at;
};

// The module as the API answers it (content summary; no pages or answers).
nlohmann::json module_json(const Module& module);

struct Requirement {
  int64_t id = 0;
  int64_t module_id = 0;
  std::string module_title;
  std::string role_category;
  int within_days = 0;
  std::string workplace;  // "" for every workplace
};
nlohmann::json requirement_json(const Requirement& requirement);

// A requirement as typed or sent: numbers as text, checked by add_requirement.
struct RequirementInput {
  std::string module_id;
  std::string role_category;
  std::string within_days;
  std::string workplace;  // optional: only this workplace
};

// Every problem with a requirement as typed, by field (module_id,
// role_category, within_days, workplace). Whether the module exists is
// checked when it is added.
std::vector<FieldError> validate(const RequirementInput& input);

struct Completion {
  int64_t id = 0;
  int64_t worker_ref = 0;  // the worker record's id
  int64_t module_id = 0;
  std::string module_title;
  std::string completed_on;
  std::string expires_on;  // "" when the module never expires
  std::string source;      // elearning, recorded, import, session
  std::string provider;
  std::string how_delivered;
};
nlohmann::json completion_json(const Completion& completion);

struct CompletionInput {
  std::string module_id;
  std::string completed_on;  // YYYY-MM-DD
  std::string provider;
  std::string how_delivered;
};

// Every problem with a completion as typed, by field, on `today`
// (YYYY-MM-DD): the module given as a whole number; the date real and not
// in the future. Whether it is before the worker started is checked when it
// is recorded.
std::vector<FieldError> validate(const CompletionInput& input, const std::string& today);

// One module's status for a worker, for their page and their learner home.
struct WorkerModule {
  Module module;
  ModuleStatus status;
  bool required = false;
};

struct Attempt {
  std::string taken_at;
  int correct = 0;
  int total = 0;
  bool passed = false;
};

// A worker named in coverage's lists, with the module concerned.
struct GapRow {
  int64_t worker_ref = 0;
  std::string worker_id;
  std::string name;
  std::string workplace;
  std::string team;
  std::string role_category;
  std::string module_title;
  ModuleStatus status;
};

// Makes the organisation's copy of the starter module if it has none, in
// `c`'s transaction.
Status ensure_starter_module(store::Connection& c, const Clock& clock, int64_t organisation_id);

// Coverage of `modules` (every module when empty) on each of `dates`: the
// workers in post who must do any of them, and of those the workers who have
// done all they must, by coverage.h's rules. Impact's learning_coverage
// measure asks this through impact::LearningCoverage.
StatusOr<std::vector<impact::CoverageFigure>> programme_coverage(store::Connection& conn, int64_t organisation_id,
                                                                 const std::vector<int64_t>& modules,
                                                                 const std::vector<std::string>& dates);
// programme_coverage, as impact::Programmes takes it.
impact::LearningCoverage programme_coverage_source();

class Learning {
 public:
  // `db` and `clock` must outlive this. Thread-safe.
  Learning(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The organisation's modules, the starter module first (made if missing).
  StatusOr<std::vector<Module>> modules(int64_t organisation_id);
  StatusOr<Module> module(int64_t organisation_id, int64_t id);
  StatusOr<Module> create_module(int64_t organisation_id, const ModuleContent& content, const Actor& actor);
  Status update_module(int64_t organisation_id, int64_t id, const ModuleContent& content, const Actor& actor);

  StatusOr<std::vector<Requirement>> requirements(int64_t organisation_id);
  // Problems name module_id, role_category, within_days or workplace; a
  // module already required of that role category (at that workplace) is a
  // kConflict.
  StatusOr<Requirement> add_requirement(int64_t organisation_id, const RequirementInput& input, const Actor& actor);
  Status remove_requirement(int64_t organisation_id, int64_t id, const Actor& actor);

  // Records that the worker completed a module. Problems name module_id or
  // completed_on (not a date, before the worker started, in the future).
  // `source` is recorded, import, session or elearning. Audited.
  StatusOr<Completion> record_completion(int64_t organisation_id, int64_t worker_ref, const CompletionInput& input,
                                         const std::string& source, const Actor& actor);
  // The worker's completions, newest first.
  StatusOr<std::vector<Completion>> completions(int64_t organisation_id, int64_t worker_ref);
  // Every module with the worker's status for it on `date`.
  StatusOr<std::vector<WorkerModule>> worker_modules(int64_t organisation_id, const Worker& worker,
                                                     const std::string& date);

  // Coverage on `date` (coverage.h), read in four queries; the lists of
  // gaps keep at most `list_limit` rows each (the counts are always whole).
  StatusOr<Coverage> coverage(int64_t organisation_id, const std::string& date,
                              size_t list_limit = static_cast<size_t>(-1));
  // The workers behind coverage's lists, named: personal data, so audited
  // as one worker.list read. At most `limit` rows of each.
  StatusOr<std::vector<GapRow>> name_gaps(int64_t organisation_id, const std::vector<WorkerGap>& gaps, size_t limit,
                                          const Actor& actor);

  // The workers in post on `date` who must do `module_id` and are overdue or
  // expired on it, longest first, named (audited as name_gaps is).
  StatusOr<std::vector<GapRow>> behind_on(int64_t organisation_id, int64_t module_id, const std::string& date,
                                          size_t limit, const Actor& actor);

  // A learner's place in an e-learning module: the furthest page reached
  // (from 1), 0 when not started.
  StatusOr<int> progress(int64_t worker_ref, int64_t module_id);
  Status save_progress(int64_t worker_ref, int64_t module_id, int page);
  // Marks and keeps an attempt at the module's knowledge check; a pass
  // records the module as completed today. Answers out of range are
  // kInvalidInput naming "question-N".
  StatusOr<CheckResult> submit_check(int64_t organisation_id, const Worker& worker, int64_t module_id,
                                     const Answers& answers, const Actor& actor);
  StatusOr<std::vector<Attempt>> attempts(int64_t worker_ref, int64_t module_id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace coproduce::learning

#endif  // COPRODUCE_LEARNING_LEARNING_H_
