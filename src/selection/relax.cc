#include "selection/relax.h"

#include <CbcModel.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <OsiClpSolverInterface.hpp>

#include <cmath>

namespace coproduce::selection {

namespace {

std::string quota_name(const Problem& problem, size_t c, size_t v) {
  return problem.categories[c].name + " '" + problem.categories[c].values[v].value + "'";
}

}  // namespace

Diagnosis diagnose(const Problem& problem, const TypeModel& types) {
  Diagnosis out;
  const int K = problem.panel_size;
  const size_t C = problem.categories.size();
  // Counts of people who could be chosen, and of people already on the panel.
  std::vector<std::vector<int>> available(C);
  std::vector<std::vector<int>> fixed_in(C);
  for (size_t c = 0; c < C; ++c) {
    available[c].assign(problem.categories[c].values.size(), 0);
    fixed_in[c].assign(problem.categories[c].values.size(), 0);
  }
  for (int t = 0; t < types.size(); ++t) {
    for (size_t c = 0; c < C; ++c) {
      const auto v = static_cast<size_t>(types.values[static_cast<size_t>(t)][c]);
      available[c][v] += types.upper[static_cast<size_t>(t)];
      fixed_in[c][v] += types.lower[static_cast<size_t>(t)];
    }
  }
  for (size_t c = 0; c < C; ++c) {
    const Category& cat = problem.categories[c];
    long sum_min = 0;
    long sum_max = 0;
    for (size_t v = 0; v < cat.values.size(); ++v) {
      const Quota& q = cat.values[v];
      sum_min += q.min;
      sum_max += q.max;
      if (q.min > available[c][v]) {
        out.conflicts.push_back(quota_name(problem, c, v) + " (line " + std::to_string(q.line) + ") asks for at least " +
                                std::to_string(q.min) + " but only " + std::to_string(available[c][v]) +
                                " such people can be chosen");
      }
      if (fixed_in[c][v] > q.max) {
        out.conflicts.push_back(quota_name(problem, c, v) + " (line " + std::to_string(q.line) + ") allows at most " +
                                std::to_string(q.max) + " but " + std::to_string(fixed_in[c][v]) +
                                " are already selected");
      }
    }
    if (sum_min > K) {
      out.conflicts.push_back("the minimums of " + cat.name + " add up to " + std::to_string(sum_min) +
                              ", more than the panel size " + std::to_string(K));
    }
    if (sum_max < K) {
      out.conflicts.push_back("the maximums of " + cat.name + " add up to " + std::to_string(sum_max) +
                              ", less than the panel size " + std::to_string(K));
    }
  }

  // The relaxation: counts per type plus, per quota, slack below the min and
  // above the max, bounded by the flex values; minimise total slack.
  const int T = types.size();
  std::vector<double> col_lo;
  std::vector<double> col_hi;
  std::vector<double> obj;
  for (int t = 0; t < T; ++t) {
    col_lo.push_back(types.lower[static_cast<size_t>(t)]);
    col_hi.push_back(types.upper[static_cast<size_t>(t)]);
    obj.push_back(0.0);
  }
  CoinPackedMatrix matrix(false, 0, 0);
  std::vector<double> row_lo;
  std::vector<double> row_hi;
  std::vector<std::pair<size_t, size_t>> slack_of;  // per quota: its slack columns
  std::vector<std::pair<int, int>> slack_cols;
  {
    CoinPackedVector row;
    for (int t = 0; t < T; ++t) row.insert(t, 1.0);
    matrix.setDimensions(0, T);
    matrix.appendRow(row);
    row_lo.push_back(K);
    row_hi.push_back(K);
  }
  for (size_t c = 0; c < C; ++c) {
    for (size_t v = 0; v < problem.categories[c].values.size(); ++v) {
      const Quota& q = problem.categories[c].values[v];
      const int lo_col = static_cast<int>(col_lo.size());
      const int hi_col = lo_col + 1;
      const int min_floor = q.has_flex ? q.min_flex : 0;
      const int max_ceiling = q.has_flex ? q.max_flex : K;
      col_lo.push_back(0);
      col_hi.push_back(std::max(0, q.min - min_floor));
      obj.push_back(1.0);
      col_lo.push_back(0);
      col_hi.push_back(std::max(0, max_ceiling - q.max));
      obj.push_back(1.0);
      slack_of.push_back({c, v});
      slack_cols.push_back({lo_col, hi_col});
    }
  }
  matrix.setDimensions(static_cast<int>(row_lo.size()), static_cast<int>(col_lo.size()));
  for (size_t k = 0; k < slack_of.size(); ++k) {
    const auto [c, v] = slack_of[k];
    const Quota& q = problem.categories[c].values[v];
    CoinPackedVector members;
    for (int t = 0; t < T; ++t) {
      if (static_cast<size_t>(types.values[static_cast<size_t>(t)][c]) == v) members.insert(t, 1.0);
    }
    CoinPackedVector low = members;
    low.insert(slack_cols[k].first, 1.0);  // count + below >= min
    matrix.appendRow(low);
    row_lo.push_back(q.min);
    row_hi.push_back(COIN_DBL_MAX);
    CoinPackedVector high = members;
    high.insert(slack_cols[k].second, -1.0);  // count - above <= max
    matrix.appendRow(high);
    row_lo.push_back(-COIN_DBL_MAX);
    row_hi.push_back(q.max);
  }
  for (const auto& group : types.household_groups) {
    CoinPackedVector row;
    for (int t : group) row.insert(t, 1.0);
    matrix.appendRow(row);
    row_lo.push_back(0.0);
    row_hi.push_back(1.0);
  }
  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.loadProblem(matrix, col_lo.data(), col_hi.data(), obj.data(), row_lo.data(), row_hi.data());
  for (size_t j = 0; j < col_lo.size(); ++j) solver.setInteger(static_cast<int>(j));
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.setMaximumSeconds(60.0);
  model.branchAndBound();
  if (model.bestSolution() == nullptr) return out;
  out.relaxation_found = true;
  const double* x = model.bestSolution();
  for (size_t k = 0; k < slack_of.size(); ++k) {
    const int below = static_cast<int>(std::lround(x[slack_cols[k].first]));
    const int above = static_cast<int>(std::lround(x[slack_cols[k].second]));
    if (below == 0 && above == 0) continue;
    const Quota& q = problem.categories[slack_of[k].first].values[slack_of[k].second];
    out.relaxation.push_back({slack_of[k].first, slack_of[k].second, q.min, q.max, q.min - below, q.max + above});
  }
  if (out.conflicts.empty()) {
    std::string names;
    for (const auto& change : out.relaxation) {
      if (!names.empty()) names += ", ";
      names += quota_name(problem, change.category, change.value);
    }
    out.conflicts.push_back(names.empty() ? "the quotas cannot all be met together (with the household rule)"
                                          : "the quotas of " + names + " cannot all be met together");
  }
  return out;
}

std::vector<std::string> describe(const Problem& problem, const std::vector<QuotaChange>& changes) {
  std::vector<std::string> out;
  for (const auto& ch : changes) {
    std::string line = quota_name(problem, ch.category, ch.value) + ":";
    if (ch.new_min != ch.old_min) line += " min " + std::to_string(ch.old_min) + " -> " + std::to_string(ch.new_min);
    if (ch.new_max != ch.old_max) line += " max " + std::to_string(ch.old_max) + " -> " + std::to_string(ch.new_max);
    out.push_back(line);
  }
  return out;
}

}  // namespace coproduce::selection
