#include "selection/legacy.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace coproduce::selection {

namespace {

// The people still available, indexed by category value for O(1) random
// picks and removals.
class Remaining {
 public:
  explicit Remaining(const Problem& problem) : problem_(problem) {
    const size_t C = problem.categories.size();
    lists_.resize(C);
    pos_.assign(C, std::vector<int>(problem.people.size(), -1));
    for (size_t c = 0; c < C; ++c) lists_[c].resize(problem.categories[c].values.size());
    in_.assign(problem.people.size(), false);
    for (size_t i = 0; i < problem.people.size(); ++i) {
      in_[i] = true;
      for (size_t c = 0; c < C; ++c) {
        auto& list = lists_[c][static_cast<size_t>(problem.people[i].values[c])];
        pos_[c][i] = static_cast<int>(list.size());
        list.push_back(static_cast<int>(i));
      }
    }
  }

  void remove(int person) {
    const auto i = static_cast<size_t>(person);
    if (!in_[i]) return;
    in_[i] = false;
    for (size_t c = 0; c < lists_.size(); ++c) {
      auto& list = lists_[c][static_cast<size_t>(problem_.people[i].values[c])];
      const auto at = static_cast<size_t>(pos_[c][i]);
      const int last = list.back();
      list[at] = last;
      pos_[c][static_cast<size_t>(last)] = static_cast<int>(at);
      list.pop_back();
    }
  }

  const std::vector<int>& with(size_t c, size_t v) const { return lists_[c][v]; }

 private:
  const Problem& problem_;
  std::vector<std::vector<std::vector<int>>> lists_;
  std::vector<std::vector<int>> pos_;
  std::vector<bool> in_;
};

}  // namespace

std::optional<Panel> legacy_attempt(const Problem& problem, Random& random) {
  const size_t C = problem.categories.size();
  Remaining remaining(problem);
  std::vector<std::vector<int>> selected(C);
  for (size_t c = 0; c < C; ++c) selected[c].assign(problem.categories[c].values.size(), 0);
  std::unordered_map<int, std::vector<int>> by_household;
  if (problem.household_rule) {
    for (size_t i = 0; i < problem.people.size(); ++i) {
      if (problem.people[i].household >= 0) by_household[problem.people[i].household].push_back(static_cast<int>(i));
    }
  }
  Panel panel;
  auto take = [&](int person) {
    const Person& p = problem.people[static_cast<size_t>(person)];
    panel.push_back(person);
    remaining.remove(person);
    if (problem.household_rule && p.household >= 0) {
      for (int other : by_household[p.household]) remaining.remove(other);
    }
    for (size_t c = 0; c < C; ++c) {
      const auto v = static_cast<size_t>(p.values[c]);
      if (++selected[c][v] >= problem.categories[c].values[v].max) {
        // Copy: removing edits the list being read.
        std::vector<int> full = remaining.with(c, v);
        for (int other : full) remaining.remove(other);
      }
    }
  };
  for (size_t i = 0; i < problem.people.size(); ++i) {
    if (problem.people[i].already_selected) take(static_cast<int>(i));
  }
  while (static_cast<int>(panel.size()) < problem.panel_size) {
    double best_ratio = -1.0;
    size_t best_c = 0;
    size_t best_v = 0;
    for (size_t c = 0; c < C; ++c) {
      for (size_t v = 0; v < problem.categories[c].values.size(); ++v) {
        const auto left = remaining.with(c, v).size();
        const int need = problem.categories[c].values[v].min - selected[c][v];
        if (left == 0) {
          if (need > 0) return std::nullopt;
          continue;
        }
        const double ratio = static_cast<double>(need) / static_cast<double>(left);
        if (ratio > best_ratio) {
          best_ratio = ratio;
          best_c = c;
          best_v = v;
        }
      }
    }
    if (best_ratio < -0.5 || best_ratio > 1.0) return std::nullopt;
    const auto& pool = remaining.with(best_c, best_v);
    take(pool[random.below(pool.size())]);
  }
  for (size_t c = 0; c < C; ++c) {
    for (size_t v = 0; v < problem.categories[c].values.size(); ++v) {
      if (selected[c][v] < problem.categories[c].values[v].min) return std::nullopt;
    }
  }
  std::sort(panel.begin(), panel.end());
  return panel;
}

StatusOr<Panel> legacy_draw(const Problem& problem, Random& random, int max_attempts) {
  for (int i = 0; i < max_attempts; ++i) {
    if (auto panel = legacy_attempt(problem, random)) return *panel;
  }
  return InvalidInput("the LEGACY method found no panel meeting the quotas in " + std::to_string(max_attempts) +
                      " attempts");
}

StatusOr<LegacyEstimate> legacy_estimate(const Problem& problem, Random& random, int draws) {
  LegacyEstimate estimate;
  estimate.probability.assign(problem.people.size(), 0.0);
  std::map<Panel, int> seen;
  for (int d = 0; d < draws; ++d) {
    StatusOr<Panel> panel = legacy_draw(problem, random, 1000);
    if (!panel.ok()) return panel.status();
    for (int m : *panel) estimate.probability[static_cast<size_t>(m)] += 1.0;
    ++seen[*panel];
  }
  for (double& p : estimate.probability) p /= draws;
  for (const auto& [panel, count] : seen) {
    estimate.empirical.panels.push_back(panel);
    estimate.empirical.weights.push_back(static_cast<double>(count) / draws);
  }
  estimate.draws = draws;
  return estimate;
}

}  // namespace coproduce::selection
