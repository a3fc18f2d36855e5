#include "selection/types.h"

#include <map>
#include <unordered_map>

namespace coproduce::selection {

TypeModel group_types(const Problem& problem) {
  const size_t n = problem.people.size();
  // Households that matter: those with an already-selected member (everyone
  // else there is out) and those with two or more people (at most one of
  // them may be chosen).
  std::unordered_map<int, int> household_size;
  std::unordered_map<int, bool> household_taken;
  if (problem.household_rule) {
    for (const auto& p : problem.people) {
      if (p.household < 0) continue;
      ++household_size[p.household];
      if (p.already_selected) household_taken[p.household] = true;
    }
  }

  // Key: state (0 free, 1 already selected, 2 excluded), household or -1, values.
  std::map<std::vector<int>, int> index;
  TypeModel model;
  model.type_of.assign(n, -1);
  std::map<int, std::vector<int>> types_in_household;
  for (size_t i = 0; i < n; ++i) {
    const Person& p = problem.people[i];
    int state = 0;
    int household = -1;
    if (p.already_selected) {
      state = 1;
    } else if (problem.household_rule && p.household >= 0) {
      if (household_taken.count(p.household)) {
        state = 2;
      } else if (household_size[p.household] > 1) {
        household = p.household;
      }
    }
    std::vector<int> key;
    key.reserve(p.values.size() + 2);
    key.push_back(state);
    key.push_back(household);
    key.insert(key.end(), p.values.begin(), p.values.end());
    auto [it, inserted] = index.emplace(std::move(key), model.size());
    if (inserted) {
      model.members.emplace_back();
      model.values.push_back(p.values);
      model.lower.push_back(0);
      model.upper.push_back(0);
      if (household >= 0) types_in_household[household].push_back(it->second);
    }
    const auto t = static_cast<size_t>(it->second);
    model.members[t].push_back(static_cast<int>(i));
    model.type_of[i] = it->second;
    const int m = static_cast<int>(model.members[t].size());
    if (state == 1) {
      model.lower[t] = m;
      model.upper[t] = m;
    } else if (state == 2) {
      model.upper[t] = 0;
    } else if (household >= 0) {
      model.upper[t] = 1;
    } else {
      model.upper[t] = m;
    }
  }
  for (auto& [h, types] : types_in_household) {
    if (types.size() > 1) model.household_groups.push_back(types);
  }
  return model;
}

void panel_column(const TypeModel& types, const std::vector<int>& row_of, const TypePanel& panel,
                  std::vector<int>* index, std::vector<double>* value) {
  for (size_t t = 0; t < panel.size(); ++t) {
    const int r = row_of[t];
    if (r < 0 || panel[t] == 0) continue;
    index->push_back(r);
    value->push_back(static_cast<double>(panel[t]) / types.multiplicity(static_cast<int>(t)));
  }
}

}  // namespace coproduce::selection
