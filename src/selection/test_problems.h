// Helpers for the selection module's tests: small problems built in code.
#ifndef COPRODUCE_SELECTION_TEST_PROBLEMS_H_
#define COPRODUCE_SELECTION_TEST_PROBLEMS_H_

#include <string>
#include <utility>
#include <vector>

#include "selection/model.h"

namespace coproduce::selection::testing {

// A category called `name` whose values are name0, name1, ... with the
// given (min, max) quotas.
inline Category category(const std::string& name, const std::vector<std::pair<int, int>>& bounds) {
  Category c;
  c.name = name;
  for (size_t v = 0; v < bounds.size(); ++v) {
    Quota q;
    q.value = name + std::to_string(v);
    q.min = bounds[v].first;
    q.max = bounds[v].second;
    c.values.push_back(q);
  }
  return c;
}

}  // namespace coproduce::selection::testing

#endif  // COPRODUCE_SELECTION_TEST_PROBLEMS_H_
