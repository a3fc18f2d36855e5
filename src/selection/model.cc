#include "selection/model.h"

#include <set>

namespace coproduce::selection {

std::string check_panel(const Problem& problem, const Panel& panel) {
  if (static_cast<int>(panel.size()) != problem.panel_size) {
    return "the panel has " + std::to_string(panel.size()) + " people, not " + std::to_string(problem.panel_size);
  }
  std::set<int> members(panel.begin(), panel.end());
  if (members.size() != panel.size()) return "someone is on the panel twice";
  for (size_t i = 0; i < problem.people.size(); ++i) {
    if (problem.people[i].already_selected && !members.count(static_cast<int>(i))) {
      return "an already-selected person is missing";
    }
  }
  for (size_t c = 0; c < problem.categories.size(); ++c) {
    const auto& cat = problem.categories[c];
    std::vector<int> count(cat.values.size(), 0);
    for (int p : panel) ++count[static_cast<size_t>(problem.people[static_cast<size_t>(p)].values[c])];
    for (size_t v = 0; v < cat.values.size(); ++v) {
      if (count[v] < cat.values[v].min || count[v] > cat.values[v].max) {
        return cat.name + " " + cat.values[v].value + ": " + std::to_string(count[v]) + " on the panel, quota " +
               std::to_string(cat.values[v].min) + " to " + std::to_string(cat.values[v].max);
      }
    }
  }
  if (problem.household_rule) {
    std::set<int> households;
    for (int p : panel) {
      int h = problem.people[static_cast<size_t>(p)].household;
      if (h >= 0 && !households.insert(h).second) return "two people from one household";
    }
  }
  return "";
}

std::vector<double> marginals(const Problem& problem, const Distribution& distribution) {
  std::vector<double> p(problem.people.size(), 0.0);
  for (size_t i = 0; i < distribution.panels.size(); ++i) {
    for (int m : distribution.panels[i]) p[static_cast<size_t>(m)] += distribution.weights[i];
  }
  return p;
}

}  // namespace coproduce::selection
