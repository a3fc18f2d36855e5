// The linear program both ways of LEXIMIN weigh panels with (COIN-OR CLP):
// a row for each type whose count can go either way, a column for each
// panel (the chance it gives each member of each type), and a last row
// saying the panels' weights sum to one. Its first column is the program's
// own variable: a level (selection/leximin.cc) or a shortfall
// (selection/decompose.cc), in every type row.
#ifndef COPRODUCE_SELECTION_PANEL_LP_H_
#define COPRODUCE_SELECTION_PANEL_LP_H_

#include <ClpSimplex.hpp>

#include <vector>

#include "selection/types.h"

namespace coproduce::selection {

class PanelLp {
 public:
  // `row_of[t]` is type t's row (-1: none); row r holds at least
  // `row_lo[r]`. The first column has `coefficient` in every type row,
  // bounds 0 and 1, and `cost` (the program minimises).
  PanelLp(const TypeModel& types, const std::vector<int>& row_of, const std::vector<double>& row_lo,
          double coefficient, double cost);

  // Adds `panel` as a column of weight at least zero; returns its index.
  int add_panel(const TypePanel& panel);

  // Solves from the last basis; false when CLP cannot. CLP's primal simplex
  // can end with columns at perturbed bounds, weights down to -1e-6 while
  // it reports no infeasibility (692 panels on 1,200 people): another pass
  // without perturbation takes them back to zero in a few pivots.
  bool solve();

  long iterations() const { return iterations_; }

 protected:
  ClpSimplex lp_;

 private:
  const TypeModel& types_;
  const std::vector<int>& row_of_;
  int rows_;
  long iterations_ = 0;
};

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_PANEL_LP_H_
