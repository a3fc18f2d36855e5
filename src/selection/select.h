// One selection from start to finish: probabilities, the distribution over
// panels, the drawn panel, and (when asked) the transparent lottery and the
// comparison with LEGACY. This is what the `select` command and the web
// layer call.
//
// Example:
//   SelectOptions options;
//   options.seed = 42;
//   StatusOr<SelectOutcome> outcome = run_selection(pool.problem, options);
//   if (!outcome.ok()) show(outcome.status());   // says which quotas conflict
//   for (int person : outcome->selected) ...
#ifndef COPRODUCE_SELECTION_SELECT_H_
#define COPRODUCE_SELECTION_SELECT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "selection/fairness.h"
#include "selection/legacy.h"
#include "selection/leximin.h"
#include "selection/lottery.h"
#include "selection/model.h"
#include "selection/relax.h"

namespace coproduce::selection {

// kLeximin: the fairest lottery (raise the lowest probability, then the next).
// kMaximin: only the lowest probability is raised; the rest is whatever the
//   distribution that proves it gives (Flanigan et al. 2021).
// kNash: the lottery that maximises the product of everyone's probabilities
//   (maximum Nash welfare, Flanigan et al. 2021).
// kLegacy: the greedy draw used before, for comparison.
enum class Algorithm { kLeximin, kMaximin, kNash, kLegacy };

// "leximin", "maximin", "nash" or "legacy".
const char* algorithm_name(Algorithm algorithm);
// The name as people read it: "LEXIMIN", "MAXIMIN", "Nash welfare", "LEGACY".
const char* algorithm_title(Algorithm algorithm);
// The algorithm called `name` (as algorithm_name gives it), or nullopt.
std::optional<Algorithm> parse_algorithm(std::string_view name);
// Whether the algorithm computes exact probabilities (all but kLegacy).
bool is_optimising(Algorithm algorithm);

struct SelectOptions {
  Algorithm algorithm = Algorithm::kLeximin;
  std::uint64_t seed = 0;
  // Round to this many equally likely numbered panels; 0 means no lottery.
  int lottery = 0;
  // With a lottery: the panel number drawn in public (1..lottery); 0 means
  // the seed picks the number.
  int draw = 0;
  // Time allowed to the integer program that rounds to the lottery; the
  // best rounding found by then is used (the report says if it is proven best).
  double lottery_seconds = 5.0;
  // Estimate LEGACY's probabilities from this many draws for comparison
  // (and, with algorithm kLegacy, for its own probabilities); 0 means none,
  // except that kLegacy always uses at least 1000.
  int legacy_draws = 0;
  // The exact distribution of named panels is written only up to this many
  // panels; beyond it, one representative panel per type panel.
  size_t max_distribution_panels = 100000;
  // Progress of LEXIMIN, as in LeximinOptions.
  std::function<void(const LeximinProgress&)> progress;
  // The proof each algorithm stops at (0: the engine's default): LEXIMIN and
  // MAXIMIN settle a level within this probability of the best; Nash stops
  // within this of the best mean logarithm.
  double tolerance = 0.0;
  // As in LeximinOptions: stop early with the lottery found so far.
  std::function<bool()> should_stop;
};

struct Timings {
  double types = 0.0;
  double algorithm = 0.0;
  double lp = 0.0;
  double mip = 0.0;
  double lottery = 0.0;
  double legacy = 0.0;
  double total = 0.0;
};

struct SelectOutcome {
  Algorithm algorithm = Algorithm::kLeximin;
  std::uint64_t seed = 0;
  int types = 0;
  std::vector<double> probability;  // per person
  Distribution distribution;        // over panels of people
  bool distribution_exact = true;   // false: one representative per type panel
  std::vector<int> panels_containing;  // per person: panels of `distribution` holding them
  Panel selected;
  Fairness fairness;
  std::optional<Lottery> lottery;
  int ticket = 0;  // the lottery panel number drawn, 1-based; 0 without a lottery
  std::optional<LegacyEstimate> legacy;
  std::optional<Fairness> legacy_fairness;
  // False when LEXIMIN was stopped early (should_stop): the lottery is valid
  // and meets every quota, but the smallest probability may not be the best.
  bool leximin_complete = true;
  // What the run proved, with a bound it computed (docs/decisions/1000-selection-at-scale.md).
  // LEXIMIN and MAXIMIN: how far, at most, the smallest probability is below
  // the best any lottery can give. Nash: how far, at most, the mean of the
  // logarithms of everyone's probabilities is below the best. 0 for LEGACY.
  double proven_gap = 0.0;
  // LEXIMIN and MAXIMIN: true when the lottery reached the LEXIMIN of the
  // linear relaxation (selection/decompose.h), which bounds every level;
  // false when column generation proved the levels stage by stage.
  bool by_relaxation = false;
  int probability_levels = 0;  // distinct probabilities (to 1e-9) among people
  int panels_kept = 0;         // panels with weight in the distribution
  int stages = 0;
  int oracle_calls = 0;
  int panels_generated = 0;
  // Panels drawn from the optimal face of the linear relaxation
  // (selection/face_search.h); 0 for Nash welfare and LEGACY.
  int face_panels = 0;
  Timings seconds;
};

// Runs the selection. Quotas no panel can meet give kInvalidInput with a
// message naming the conflicting quotas and the smallest relaxation; the
// same Diagnosis is stored in `*diagnosis` when it is not null.
StatusOr<SelectOutcome> run_selection(const Problem& problem, const SelectOptions& options,
                                      Diagnosis* diagnosis = nullptr);

// What bounded the outcome's proven gap, as report.json's distribution and a
// round's result name it: "relaxation", "column generation", or "none" for
// LEGACY, which proves nothing.
const char* proven_by(const SelectOutcome& outcome);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_SELECT_H_
