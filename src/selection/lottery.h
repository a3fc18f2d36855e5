// From a distribution over type panels to panels of named people: the exact
// expansion, a random draw, and the transparent lottery of M equally likely
// numbered panels.
#ifndef COPRODUCE_SELECTION_LOTTERY_H_
#define COPRODUCE_SELECTION_LOTTERY_H_

#include <optional>
#include <vector>

#include "core/status.h"
#include "selection/leximin.h"
#include "selection/model.h"
#include "selection/random.h"
#include "selection/types.h"

namespace coproduce::selection {

// Expands each type panel into panels of people so that every person's
// probability equals their type's exactly: within a type, members take turns
// in a rotation, and the rotations of all types are laid side by side on
// [0, 1). Returns nullopt when that needs more than `max_panels` panels.
std::optional<Distribution> expand_exact(const TypeModel& types, const TypeDistribution& distribution,
                                         size_t max_panels);

// One representative panel of people per type panel (the first members of
// each type). Used only when the exact expansion would be too large.
Distribution expand_representative(const TypeModel& types, const TypeDistribution& distribution);

// Draws a panel: a type panel with its probability, then within each type
// the right number of members uniformly at random. Exact.
Panel draw_panel(const TypeModel& types, const TypeDistribution& distribution, Random& random);

// The transparent lottery (Flanigan, Kehne and Procaccia, NeurIPS 2021):
// M numbered panels, each with probability 1/M, chosen so that each person's
// probability moves as little as possible from the exact one.
struct Lottery {
  std::vector<Panel> tickets;        // tickets[i] is panel number i + 1
  std::vector<double> probability;   // per person: tickets holding them / M
  double largest_shift = 0.0;        // max over people |lottery - exact|
  double type_level_shift = 0.0;     // the same before naming people
  bool proven_optimal = false;       // whether the rounding is proven best
};

// Rounds `distribution` to M tickets with an integer program (CBC) that
// minimises the largest change in any type's probability, then names the
// members of each type in turn so that people of a type differ by at most
// one ticket. `exact` is each person's probability before rounding.
StatusOr<Lottery> round_to_lottery(const Problem& problem, const TypeModel& types,
                                   const TypeDistribution& distribution, const std::vector<double>& exact, int m,
                                   double time_limit_seconds = 20.0);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_LOTTERY_H_
