// Summary figures of a probability allocation, as the Nature paper reports
// them: the smallest and largest probability, the Gini coefficient (0 when
// everyone has the same chance) and the geometric mean.
#ifndef COPRODUCE_SELECTION_FAIRNESS_H_
#define COPRODUCE_SELECTION_FAIRNESS_H_

#include <vector>

namespace coproduce::selection {

struct Fairness {
  double minimum = 0.0;
  double maximum = 0.0;
  double mean = 0.0;
  double gini = 0.0;
  double geometric_mean = 0.0;  // 0 when anyone has probability 0
};

// Figures for `probability` (one entry per person; empty gives zeros).
Fairness fairness(const std::vector<double>& probability);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_FAIRNESS_H_
