// LEGACY: the greedy quota draw most selection tools used before 2021.
//
// It fills the panel one person at a time: take the category value whose
// quota is hardest to meet (the largest (min - selected) / people left with
// that value), pick a random person with that value, then drop everyone
// whose value has reached its max (and, with the household rule, everyone at
// the chosen person's address). A draw that gets stuck is thrown away and
// tried again. Kept for comparison: its probabilities are not fair, and the
// report shows by how much.
#ifndef COPRODUCE_SELECTION_LEGACY_H_
#define COPRODUCE_SELECTION_LEGACY_H_

#include <optional>
#include <vector>

#include "core/status.h"
#include "selection/model.h"
#include "selection/random.h"

namespace coproduce::selection {

// One attempt; nullopt when it got stuck before meeting every quota.
std::optional<Panel> legacy_attempt(const Problem& problem, Random& random);

// Retries until a draw succeeds; fails (kInvalidInput) after `max_attempts`.
StatusOr<Panel> legacy_draw(const Problem& problem, Random& random, int max_attempts = 10000);

struct LegacyEstimate {
  std::vector<double> probability;  // per person: share of draws that chose them
  Distribution empirical;           // the distinct panels drawn, with their shares
  int draws = 0;
};

// Estimates LEGACY's selection probabilities from `draws` successful draws.
StatusOr<LegacyEstimate> legacy_estimate(const Problem& problem, Random& random, int draws);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_LEGACY_H_
