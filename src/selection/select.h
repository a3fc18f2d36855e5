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
#include <vector>

#include "core/status.h"
#include "selection/fairness.h"
#include "selection/legacy.h"
#include "selection/leximin.h"
#include "selection/lottery.h"
#include "selection/model.h"
#include "selection/relax.h"

namespace coproduce::selection {

enum class Algorithm { kLeximin, kLegacy };

const char* algorithm_name(Algorithm algorithm);

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
  int stages = 0;
  int oracle_calls = 0;
  int panels_generated = 0;
  Timings seconds;
};

// Runs the selection. Quotas no panel can meet give kInvalidInput with a
// message naming the conflicting quotas and the smallest relaxation; the
// same Diagnosis is stored in `*diagnosis` when it is not null.
StatusOr<SelectOutcome> run_selection(const Problem& problem, const SelectOptions& options,
                                      Diagnosis* diagnosis = nullptr);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_SELECT_H_
