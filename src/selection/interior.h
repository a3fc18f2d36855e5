// Weights for tens of thousands of panels over thousands of types, by an
// interior point method.
//
// The program is the one selection/decompose.cc's simplex solves on smaller
// pools: weights w >= 0 summing to one over the panels found, and the
// largest shortfall d of any row's chance below its target, minimised:
//   sum_j a[r][j] w_j + d - s_r = target[r],  s_r >= 0 (the surplus).
// A simplex basis there holds thousands of dense panel columns and costs
// O(rows^3) to factorise each hundred pivots or so: over 15 minutes on
// 4,613 rows (docs/decisions/1002-weights-by-interior-point.md). Mehrotra's
// predictor-corrector method instead takes a few dozen steps, each one
// dense Cholesky factorisation (LAPACK, OpenBLAS on every core) of
// A Theta A^T, a matrix with a row per type, whatever the number of
// panels. It stops as soon as the weights it holds give no row a
// shortfall over what the caller asks: the answer is checked, not trusted.
#ifndef COPRODUCE_SELECTION_INTERIOR_H_
#define COPRODUCE_SELECTION_INTERIOR_H_

#include <cstddef>
#include <vector>

namespace coproduce::selection {

class InteriorWeights {
 public:
  explicit InteriorWeights(std::vector<double> target, unsigned threads);

  // Adds a panel: its rows `index` (each once) and the chance it gives
  // each row's members `value`.
  void add(const std::vector<int>& index, const std::vector<double>& value);
  size_t panels() const { return start_.size() - 1; }

  // Solves from scratch over the panels added. Stops once the weights give
  // no row a shortfall over `enough`, when the method has converged, or
  // after `max_steps` steps. Returns false only when no step could be
  // taken (the factorisation failed even when regularised).
  bool solve(double enough, int max_steps);

  // The last weights (at least zero, summing to one), the chance they give
  // each row, and the largest shortfall below the target.
  const std::vector<double>& weights() const { return weight_; }
  const std::vector<double>& achieved() const { return achieved_; }
  double shortfall() const { return shortfall_; }
  // Each row's dual value: positive on rows that hold the shortfall up.
  const std::vector<double>& duals() const { return dual_; }
  int steps() const { return steps_; }

 private:
  // Sets weight_, achieved_ and shortfall_ from the method's w.
  void measure(const std::vector<double>& w);

  std::vector<double> target_;
  unsigned threads_;
  std::vector<size_t> start_{0};
  std::vector<int> index_;
  std::vector<double> value_;
  std::vector<double> weight_;
  std::vector<double> achieved_;
  std::vector<double> dual_;
  double shortfall_ = 0.0;
  int steps_ = 0;
};

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_INTERIOR_H_
