// Maximum Nash welfare: the lottery over panels that maximises the product
// of everyone's selection probabilities (equivalently, the sum of their
// logarithms), as Flanigan, Goelz, Gupta, Hennig and Procaccia (Nature 596,
// 2021) describe it beside LEXIMIN.
//
// How: column generation over the types of selection/types.h, as LEXIMIN
// does, with a concave objective. Between panel searches the weights over
// known panels move by the multiplicative update x_P <- x_P * g_P / N, where
// g_P is the sum over the panel's members of 1 / their probability and N is
// the number of people: it keeps the weights a distribution and never lowers
// the welfare. A new panel enters by a Frank-Wolfe step. Concavity gives the
// proof: no lottery beats the current one by more than (max_P g_P - N) / N
// in the mean logarithm, and the panel program's bound (its linear
// relaxation, or CBC's) bounds max_P g_P.
//
// Single-threaded; not thread-safe (CLP and CBC are not).
#ifndef COPRODUCE_SELECTION_NASH_H_
#define COPRODUCE_SELECTION_NASH_H_

#include <functional>

#include "core/status.h"
#include "selection/leximin.h"
#include "selection/model.h"
#include "selection/types.h"

namespace coproduce::selection {

struct NashOptions {
  // Called after every round; `level` is the lowest probability, `gap` the
  // bound on how far the mean logarithm is below the best.
  std::function<void(const LeximinProgress&)> progress;
  // Stop once the mean logarithm of the probabilities is proven within this
  // of the best any lottery can give.
  double tolerance = 1e-6;
  // Asked between rounds; when it returns true the run stops with the
  // lottery it has (valid, not proven best). May be empty.
  std::function<bool()> should_stop;
  // Threads for the panel search; 0: one per core. The lottery does not
  // depend on it.
  unsigned threads = 0;
};

// The maximum Nash welfare distribution. People no valid panel can hold
// keep probability 0 and are left out of the product. Fails as leximin()
// does. In the result, `proven_gap` is the bound on the mean logarithm and
// `stages` counts rounds of panel search.
StatusOr<LeximinResult> nash_welfare(const Problem& problem, const TypeModel& types, const NashOptions& options = {});

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_NASH_H_
