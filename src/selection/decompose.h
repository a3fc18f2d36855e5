// LEXIMIN through the linear relaxation first: the fairest fractional
// panel, then whole panels that average to it.
//
// The fractional panels (counts per type that keep every rule but need not
// be whole) hold the average of every lottery over valid panels. So the
// LEXIMIN over fractional panels bounds every lottery in the LEXIMIN order:
// no lottery gives the lowest probability more than it does, nor, at equal
// lower levels, the next one more, and so on. It takes one small linear
// program per level. When some lottery's probabilities reach it (within the
// tolerance), that lottery is the LEXIMIN, proven by this bound, and the
// column generation of selection/leximin.h is not needed.
//
// Finding that lottery: every panel of a lottery averaging to the point q*
// lies on the smallest face of the fractional panels holding q* (any rule
// or bound tight at q* is tight on each of its panels). Panels are drawn on
// that face (selection/face_search.h), with the chance of each type tuned
// over a few rounds so that the draws average near q*; then one linear
// program weighs the drawn panels to come as close to q* as they can (the
// largest shortfall of anyone's probability below q*, minimised): CLP's
// simplex on small pools, the interior point method of selection/interior.h
// past LeximinOptions::most_simplex_rows types (decision 1002). Its dual
// values aim further draws at the types still short. On the volunteer pools
// we measured, q* is reached exactly; the relaxation need not be whole in
// general, so when the draws cannot reach it within the tolerance,
// selection/leximin.h falls back to column generation, starting from the
// panels found (docs/decisions/1000-selection-at-scale.md).
#ifndef COPRODUCE_SELECTION_DECOMPOSE_H_
#define COPRODUCE_SELECTION_DECOMPOSE_H_

#include <vector>

#include "selection/face_search.h"
#include "selection/leximin.h"
#include "selection/panel_oracle.h"
#include "selection/types.h"

namespace coproduce::selection {

struct RelaxedLeximin {
  // The fractional panel: counts per type.
  std::vector<double> point;
  // An upper bound on the smallest probability any lottery gives a type in
  // `rows` (the first level, plus CLP's tolerance).
  double minimum_bound = 1.0;
  int stages = 0;
  bool ok = false;  // false when CLP failed
};

// The LEXIMIN over fractional panels, for the types in `rows` (the others
// have a forced count).
RelaxedLeximin relaxed_leximin(PanelOracle& oracle, const TypeModel& types, const std::vector<int>& rows);

// The smallest face of the fractional panels holding `point` (counts per
// type): a bound or rule is tight where `point` is within `tight` of it.
PanelOracle::Face face_at(const FaceSearch& search, const TypeModel& types, const std::vector<double>& point,
                          double tight);

struct RelaxationRun {
  // True when the lottery in `result` reaches the relaxation's LEXIMIN
  // within the tolerance for every type: the run is done and proven.
  bool reached = false;
  // True when should_stop ended the run: `result` holds the best lottery
  // found (complete is false).
  bool stopped = false;
  LeximinResult result;
  // When not reached: the panels the last linear program weighed, for the
  // column generation to start from.
  std::vector<TypePanel> seeds;
};

// The relaxation's LEXIMIN and a lottery that reaches it, as above. `rows`
// are the types whose count is not forced.
RelaxationRun leximin_by_relaxation(const Problem& problem, const TypeModel& types, PanelOracle& oracle,
                                    const std::vector<int>& rows, const LeximinOptions& options);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_DECOMPOSE_H_
