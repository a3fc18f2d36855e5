// When no panel can meet the quotas: which quotas conflict, and the smallest
// change to them (within min_flex and max_flex) that would let a panel exist.
#ifndef COPRODUCE_SELECTION_RELAX_H_
#define COPRODUCE_SELECTION_RELAX_H_

#include <string>
#include <vector>

#include "selection/model.h"
#include "selection/types.h"

namespace coproduce::selection {

struct QuotaChange {
  size_t category = 0;
  size_t value = 0;
  int old_min = 0;
  int old_max = 0;
  int new_min = 0;
  int new_max = 0;
};

struct Diagnosis {
  // Sentences naming the quotas in conflict, most specific first.
  std::vector<std::string> conflicts;
  // The quotas to change, moving each as little as possible in total
  // (an integer program with slack variables); empty when none fits within
  // the flex bounds (`relaxation_found` is then false).
  std::vector<QuotaChange> relaxation;
  bool relaxation_found = false;
};

// Explains why `problem` has no valid panel. Quotas without flex bounds may
// move anywhere from 0 to the panel size.
Diagnosis diagnose(const Problem& problem, const TypeModel& types);

// "gender female: min 9 -> 8" style lines for a person to read.
std::vector<std::string> describe(const Problem& problem, const std::vector<QuotaChange>& changes);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_RELAX_H_
