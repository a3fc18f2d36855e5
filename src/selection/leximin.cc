#include "selection/leximin.h"

#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "selection/panel_oracle.h"

namespace coproduce::selection {

namespace {

// Cost per unit a settled probability falls below its level (see fix_row).
constexpr double kElasticPenalty = 1e5;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The restricted master problem: minimise -z subject to, for each free type
// t, sum_P a[P][t] x_P - z >= 0 (or >= its fixed level once fixed), and
// sum_P x_P = 1. Column 0 is z; column j >= 1 is panel j-1.
class MasterLp {
 public:
  MasterLp(const TypeModel& types, const std::vector<int>& row_of, int rows)
      : types_(types), row_of_(row_of), rows_(rows) {
    lp_.setLogLevel(0);
    lp_.messageHandler()->setLogLevel(0);
    lp_.scaling(0);
    std::vector<double> row_lo(static_cast<size_t>(rows + 1), 0.0);
    std::vector<double> row_hi(static_cast<size_t>(rows + 1), COIN_DBL_MAX);
    row_lo[static_cast<size_t>(rows)] = 1.0;
    row_hi[static_cast<size_t>(rows)] = 1.0;
    std::vector<int> index;
    std::vector<double> value;
    for (int r = 0; r < rows; ++r) {
      index.push_back(r);
      value.push_back(-1.0);
    }
    CoinBigIndex starts[2] = {0, static_cast<CoinBigIndex>(index.size())};
    double col_lo = 0.0;
    double col_hi = 1.0;
    double obj = -1.0;
    CoinPackedMatrix matrix(true, rows + 1, 1, static_cast<CoinBigIndex>(index.size()), value.data(), index.data(),
                            starts, nullptr);
    lp_.loadProblem(matrix, &col_lo, &col_hi, &obj, row_lo.data(), row_hi.data());
  }

  void add_panel(const TypePanel& panel) {
    std::vector<int> index;
    std::vector<double> value;
    for (size_t t = 0; t < panel.size(); ++t) {
      int r = row_of_[t];
      if (r < 0 || panel[t] == 0) continue;
      index.push_back(r);
      value.push_back(static_cast<double>(panel[t]) / types_.multiplicity(static_cast<int>(t)));
    }
    index.push_back(rows_);
    value.push_back(1.0);
    panel_col_.push_back(lp_.numberColumns());
    lp_.addColumn(static_cast<int>(index.size()), index.data(), value.data(), 0.0, COIN_DBL_MAX, 0.0);
  }

  // The weight of the j-th panel added, in the last solution.
  double panel_weight(size_t j) const { return lp_.primalColumnSolution()[panel_col_[j]]; }

  bool solve() {
    lp_.primal();
    iterations_ += lp_.numberIterations();
    if (lp_.status() != 0) {
      lp_.setLogLevel(0);
      lp_.initialSolve();
    }
    return lp_.status() == 0;
  }

  // Turns row r into "probability >= level" with no z in it. The row gets an
  // elastic column (cost kElasticPenalty per unit below the level): without
  // it, settled rows sitting exactly at their level make the LP degenerate
  // and CLP may return dual values of 1e20, which wreck the pricing.
  void fix_row(int r, double level) {
    lp_.modifyCoefficient(r, 0, 0.0, true);
    lp_.setRowLower(r, level);
    if (elastic_.insert(r).second) {
      const double one = 1.0;
      lp_.addColumn(1, &r, &one, 0.0, COIN_DBL_MAX, kElasticPenalty);
    }
  }

  // Puts z back into every row as "probability >= level + z" with z at most
  // `lift`: maximising z then lifts every settled level by the slack it
  // was given, as far as the panels allow.
  void lift_all(const std::vector<double>& levels, double lift) {
    for (int r = 0; r < rows_; ++r) {
      lp_.modifyCoefficient(r, 0, -1.0, true);
      lp_.setRowLower(r, levels[static_cast<size_t>(r)]);
    }
    lp_.setColumnUpper(0, lift);
  }

  long iterations() const { return iterations_; }
  double z() const { return lp_.primalColumnSolution()[0]; }
  const double* duals() const { return lp_.dualRowSolution(); }

 private:
  const TypeModel& types_;
  const std::vector<int>& row_of_;
  int rows_;
  ClpSimplex lp_;
  long iterations_ = 0;
  std::vector<int> panel_col_;  // LP column of each panel, in order added
  std::set<int> elastic_;       // rows that have an elastic column
};

// How many known panels local search starts from in each round.
constexpr size_t kLocalSearchStarts = 16;
// How far below its optimum a settled probability may fall in later stages.
constexpr double kFixSlack = 1e-7;
// Weight of the previous pricing weights in dual smoothing (0 turns it off).
constexpr double kSmoothing = 0.5;

struct PanelLess {
  bool operator()(const TypePanel& a, const TypePanel& b) const { return a < b; }
};

}  // namespace

std::vector<double> type_probabilities(const TypeModel& types, const TypeDistribution& distribution) {
  std::vector<double> p(static_cast<size_t>(types.size()), 0.0);
  for (size_t i = 0; i < distribution.panels.size(); ++i) {
    for (size_t t = 0; t < p.size(); ++t) {
      p[t] += distribution.weights[i] * distribution.panels[i][t] / types.multiplicity(static_cast<int>(t));
    }
  }
  return p;
}

std::vector<double> person_probabilities(const TypeModel& types, const std::vector<double>& type_probability) {
  std::vector<double> p(types.type_of.size());
  for (size_t i = 0; i < p.size(); ++i) p[i] = type_probability[static_cast<size_t>(types.type_of[i])];
  return p;
}

StatusOr<LeximinResult> leximin(const Problem& problem, const TypeModel& types, const LeximinOptions& options) {
  LeximinResult result;
  const int T = types.size();
  PanelOracle oracle(problem, types);

  // Types whose count is forced (already selected, or excluded) need no row.
  std::vector<int> row_of(static_cast<size_t>(T), -1);
  std::vector<int> type_of_row;
  for (int t = 0; t < T; ++t) {
    if (types.lower[static_cast<size_t>(t)] < types.upper[static_cast<size_t>(t)]) {
      row_of[static_cast<size_t>(t)] = static_cast<int>(type_of_row.size());
      type_of_row.push_back(t);
    }
  }
  const int R = static_cast<int>(type_of_row.size());

  auto mip_start = Clock::now();
  std::vector<double> weight(static_cast<size_t>(T), 0.0);
  for (int t : type_of_row) weight[static_cast<size_t>(t)] = 1.0 / types.multiplicity(t);
  std::optional<TypePanel> first = oracle.best(weight);
  result.mip_seconds += seconds_since(mip_start);
  if (!first) return InvalidInput("no panel meets all the quotas");

  MasterLp master(types, row_of, R);
  std::vector<TypePanel> panels;
  std::set<TypePanel, PanelLess> seen;
  auto add = [&](const TypePanel& p) {
    if (!seen.insert(p).second) return false;
    panels.push_back(p);
    master.add_panel(p);
    return true;
  };
  add(*first);

  // Cover the pool first: panels found by local search that take people of
  // types no panel holds yet. Cheap, and it spares the LP many rounds in
  // which the lowest probability is still zero.
  {
    std::vector<bool> covered(static_cast<size_t>(T), false);
    auto mark = [&](const TypePanel& p) {
      for (int t = 0; t < T; ++t) {
        if (p[static_cast<size_t>(t)] > 0) covered[static_cast<size_t>(t)] = true;
      }
    };
    mark(*first);
    TypePanel current = *first;
    for (int round = 0; round < 4 * T; ++round) {
      bool any = false;
      for (int t : type_of_row) {
        const bool open = !covered[static_cast<size_t>(t)];
        any = any || open;
        weight[static_cast<size_t>(t)] = open ? 1.0 : 0.0;
      }
      if (!any) break;
      TypePanel next = oracle.improve(weight, current);
      if (!add(next)) break;
      mark(next);
      current = std::move(next);
    }
  }

  std::vector<double> fixed_level(static_cast<size_t>(R), 0.0);
  // Each row's probability under the LP's current distribution.
  auto achieved = [&]() {
    std::vector<double> p(static_cast<size_t>(R), 0.0);
    for (size_t j = 0; j < panels.size(); ++j) {
      const double w = master.panel_weight(j);
      if (w <= 0.0) continue;
      for (int r = 0; r < R; ++r) {
        const int t = type_of_row[static_cast<size_t>(r)];
        p[static_cast<size_t>(r)] += w * panels[j][static_cast<size_t>(t)] / types.multiplicity(t);
      }
    }
    return p;
  };
  std::vector<double> smoothed;  // pricing weights of the last round that found a panel
  std::vector<bool> fixed(static_cast<size_t>(R), false);
  int fixed_count = 0;
  LeximinProgress progress;
  progress.total_types = T;
  while (fixed_count < R) {
    auto lp_start = Clock::now();
    bool solved = master.solve();
    // Rarely CLP calls the fixed levels infeasible by a rounding hair: lower
    // them a little and retry.
    for (double slack = 1e-8; !solved && slack <= 1e-5; slack *= 10) {
      for (int r = 0; r < R; ++r) {
        if (fixed[static_cast<size_t>(r)]) master.fix_row(r, std::max(0.0, fixed_level[static_cast<size_t>(r)] - slack));
      }
      solved = master.solve();
    }
    if (!solved) return Internal("the linear program of LEXIMIN could not be solved (CLP status)");
    result.lp_seconds += seconds_since(lp_start);
    const double z = master.z();
    if (options.should_stop && options.should_stop()) {
      // Out of time: settle everyone still rising at what the current
      // panels give them. A valid lottery, not a proven LEXIMIN.
      const std::vector<double> reached = achieved();
      for (int r = 0; r < R; ++r) {
        if (fixed[static_cast<size_t>(r)]) continue;
        fixed[static_cast<size_t>(r)] = true;
        fixed_level[static_cast<size_t>(r)] = std::max(0.0, std::min(z, reached[static_cast<size_t>(r)]) - kFixSlack);
      }
      result.complete = false;
      break;
    }
    const double* dual = master.duals();
    const double convexity = dual[R];
    for (int t = 0; t < T; ++t) {
      int r = row_of[static_cast<size_t>(t)];
      weight[static_cast<size_t>(t)] = r < 0 ? 0.0 : std::max(0.0, dual[r]) / types.multiplicity(t);
    }
    auto value_of = [&](const TypePanel& p) {
      double v = 0.0;
      for (int t : type_of_row) v += weight[static_cast<size_t>(t)] * p[static_cast<size_t>(t)];
      return v;
    };
    // Local search from the best few known panels first; the exact integer
    // program only when that finds nothing, since only it can prove that no
    // panel is better. Several new panels per round save LP solves.
    std::vector<std::pair<double, size_t>> ranked;
    ranked.reserve(panels.size());
    for (size_t j = 0; j < panels.size(); ++j) ranked.push_back({value_of(panels[j]), j});
    const size_t starts = std::min<size_t>(ranked.size(), kLocalSearchStarts);
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<long>(starts), ranked.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    const double threshold = -convexity + options.tolerance * std::max(1.0, std::abs(convexity));
    bool added = false;
    mip_start = Clock::now();
    // Dual smoothing (Wentges): search with weights between the last
    // successful ones and the current duals, which damps the oscillation of
    // LP duals that makes column generation tail off; fall back to the
    // current duals when that finds nothing.
    std::vector<TypePanel> found;
    if (!smoothed.empty()) {
      std::vector<double> mixed(weight.size());
      for (size_t t = 0; t < weight.size(); ++t) mixed[t] = kSmoothing * smoothed[t] + (1 - kSmoothing) * weight[t];
      for (size_t s = 0; s < starts; ++s) found.push_back(oracle.improve(mixed, panels[ranked[s].second]));
      for (const auto& p : found) {
        if (value_of(p) > threshold && add(p)) added = true;
      }
      if (added) {
        smoothed = std::move(mixed);
      }
    }
    if (!added) {
      found.clear();
      for (size_t s = 0; s < starts; ++s) found.push_back(oracle.improve(weight, panels[ranked[s].second]));
      for (const auto& p : found) {
        if (value_of(p) > threshold && add(p)) added = true;
      }
      if (added) smoothed = weight;
    }
    if (!added) {
      std::vector<TypePanel> extra;
      std::optional<TypePanel> best = oracle.best_above(weight, threshold, &extra);
      if (best && value_of(*best) > threshold) added = add(*best);
      if (added) {
        for (const auto& p : extra) {
          if (value_of(p) > threshold) add(p);
        }
      }
    }
    result.mip_seconds += seconds_since(mip_start);
    progress.panels = static_cast<int>(panels.size());
    progress.level = z;
    progress.lp_seconds = result.lp_seconds;
    progress.mip_seconds = result.mip_seconds;
    progress.lp_iterations = master.iterations();
    ++progress.lp_solves;
    if (!added) {
      // No panel raises z: fix the types whose dual weight is positive.
      std::vector<int> newly;
      for (int r = 0; r < R; ++r) {
        if (!fixed[static_cast<size_t>(r)] && dual[r] > 1e-9) newly.push_back(r);
      }
      if (newly.empty()) {
        // Numerically flat duals: fix the types sitting at the level.
        const std::vector<double> p = achieved();
        for (int r = 0; r < R; ++r) {
          if (!fixed[static_cast<size_t>(r)] && p[static_cast<size_t>(r)] <= z + 1e-9) newly.push_back(r);
        }
        if (newly.empty()) return Internal("LEXIMIN made no progress (numerical trouble)");
      }
      // Fix each at the level the current panels actually reach (never above
      // z), less kFixSlack. Fixing exactly at the optimum leaves the next LP
      // degenerate, with huge, meaningless dual values on the fixed rows;
      // a little room keeps the duals honest and the LP feasible despite
      // solver tolerances.
      const std::vector<double> reached = achieved();
      for (int r : newly) {
        fixed[static_cast<size_t>(r)] = true;
        fixed_level[static_cast<size_t>(r)] = std::max(0.0, std::min(z, reached[static_cast<size_t>(r)]) - kFixSlack);
        master.fix_row(r, fixed_level[static_cast<size_t>(r)]);
      }
      fixed_count += static_cast<int>(newly.size());
      smoothed.clear();
      ++result.stages;
      progress.stage = result.stages;
      progress.fixed_types = fixed_count;
    }
    if (options.progress) options.progress(progress);
  }
  // Every level is settled, each kFixSlack below what was reached; give
  // that back where the panels allow (they always do for the exact optimum).
  auto lp_start = Clock::now();
  master.lift_all(fixed_level, kFixSlack);
  if (!master.solve()) return Internal("the final linear program of LEXIMIN could not be solved");
  result.lp_seconds += seconds_since(lp_start);
  double total = 0.0;
  for (size_t j = 0; j < panels.size(); ++j) {
    double w = master.panel_weight(j);
    if (w > 1e-12) {
      result.distribution.panels.push_back(panels[j]);
      result.distribution.weights.push_back(w);
      total += w;
    }
  }
  for (double& w : result.distribution.weights) w /= total;
  result.type_probability = type_probabilities(types, result.distribution);
  result.oracle_calls = oracle.calls();
  result.lp_iterations = master.iterations();
  result.rejected_panels = oracle.invalid();
  result.panels_generated = static_cast<int>(panels.size());
  return result;
}

}  // namespace coproduce::selection
