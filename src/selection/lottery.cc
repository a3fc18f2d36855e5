#include "selection/lottery.h"

#include <CbcModel.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace coproduce::selection {

namespace {

// A breakpoint r/m on [0, 1), compared exactly.
struct Fraction {
  long long r;
  long long m;
  bool operator<(const Fraction& o) const { return r * o.m < o.r * m; }
  bool operator==(const Fraction& o) const { return r * o.m == o.r * m; }
};

std::vector<Fraction> breakpoints(const TypeModel& types, const TypePanel& panel) {
  std::vector<Fraction> points = {{0, 1}};
  for (size_t t = 0; t < panel.size(); ++t) {
    const int m = types.multiplicity(static_cast<int>(t));
    if (panel[t] == 0 || panel[t] == m) continue;
    for (int r = 1; r < m; ++r) points.push_back({r, m});
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  return points;
}

// Members of type t in the rotation window starting at `start`.
void add_window(const TypeModel& types, size_t t, int count, long long start, Panel& panel) {
  const auto& members = types.members[t];
  const auto m = static_cast<long long>(members.size());
  for (int j = 0; j < count; ++j) panel.push_back(members[static_cast<size_t>((start + j) % m)]);
}

}  // namespace

std::optional<Distribution> expand_exact(const TypeModel& types, const TypeDistribution& distribution,
                                         size_t max_panels) {
  size_t total = 0;
  std::vector<std::vector<Fraction>> points(distribution.panels.size());
  for (size_t i = 0; i < distribution.panels.size(); ++i) {
    points[i] = breakpoints(types, distribution.panels[i]);
    total += points[i].size();
    if (total > max_panels) return std::nullopt;
  }
  Distribution out;
  for (size_t i = 0; i < distribution.panels.size(); ++i) {
    const TypePanel& tp = distribution.panels[i];
    const auto& pts = points[i];
    for (size_t k = 0; k < pts.size(); ++k) {
      const double lo = static_cast<double>(pts[k].r) / static_cast<double>(pts[k].m);
      const double hi =
          k + 1 < pts.size() ? static_cast<double>(pts[k + 1].r) / static_cast<double>(pts[k + 1].m) : 1.0;
      Panel panel;
      for (size_t t = 0; t < tp.size(); ++t) {
        if (tp[t] == 0) continue;
        const auto m = static_cast<long long>(types.multiplicity(static_cast<int>(t)));
        // The window containing the point r/m: floor(r * m_t / m), exactly.
        const long long start = (pts[k].r * m) / pts[k].m;
        add_window(types, t, tp[t], start, panel);
      }
      std::sort(panel.begin(), panel.end());
      out.panels.push_back(std::move(panel));
      out.weights.push_back(distribution.weights[i] * (hi - lo));
    }
  }
  return out;
}

Distribution expand_representative(const TypeModel& types, const TypeDistribution& distribution) {
  Distribution out;
  for (size_t i = 0; i < distribution.panels.size(); ++i) {
    Panel panel;
    for (size_t t = 0; t < distribution.panels[i].size(); ++t) add_window(types, t, distribution.panels[i][t], 0, panel);
    std::sort(panel.begin(), panel.end());
    out.panels.push_back(std::move(panel));
    out.weights.push_back(distribution.weights[i]);
  }
  return out;
}

Panel draw_panel(const TypeModel& types, const TypeDistribution& distribution, Random& random) {
  const double u = random.unit();
  double acc = 0.0;
  size_t chosen = distribution.panels.size() - 1;
  for (size_t i = 0; i < distribution.panels.size(); ++i) {
    acc += distribution.weights[i];
    if (u < acc) {
      chosen = i;
      break;
    }
  }
  Panel panel;
  const TypePanel& tp = distribution.panels[chosen];
  for (size_t t = 0; t < tp.size(); ++t) {
    std::vector<int> members = types.members[t];
    // Partial Fisher-Yates: the first tp[t] are a uniform random subset.
    for (int j = 0; j < tp[t]; ++j) {
      const auto k = static_cast<size_t>(j) + random.below(members.size() - static_cast<size_t>(j));
      std::swap(members[static_cast<size_t>(j)], members[k]);
      panel.push_back(members[static_cast<size_t>(j)]);
    }
  }
  std::sort(panel.begin(), panel.end());
  return panel;
}

StatusOr<Lottery> round_to_lottery(const Problem& problem, const TypeModel& types,
                                   const TypeDistribution& distribution, const std::vector<double>& exact, int m,
                                   double time_limit_seconds) {
  if (m < 1) return InvalidInput("the lottery needs at least 1 panel");
  const size_t P = distribution.panels.size();
  const int T = types.size();
  const std::vector<double> type_p = type_probabilities(types, distribution);

  // Start: largest remainders.
  std::vector<int> count(P);
  std::vector<std::pair<double, size_t>> remainder;
  int assigned = 0;
  for (size_t i = 0; i < P; ++i) {
    double share = distribution.weights[i] * m;
    count[i] = static_cast<int>(std::floor(share));
    assigned += count[i];
    remainder.push_back({share - count[i], i});
  }
  std::sort(remainder.rbegin(), remainder.rend());
  for (size_t k = 0; assigned < m; ++k, ++assigned) ++count[remainder[k % P].second];

  // Integer program: n_P >= 0 integer, sum n_P = M, minimise d with
  // |sum_P n_P c[P][t] / (m_t M) - p_t| <= d for every type that can vary.
  const int d_col = static_cast<int>(P);
  CoinPackedMatrix matrix(false, 0, 0);
  matrix.setDimensions(0, static_cast<int>(P) + 1);
  std::vector<double> row_lo;
  std::vector<double> row_hi;
  {
    CoinPackedVector row;
    for (size_t i = 0; i < P; ++i) row.insert(static_cast<int>(i), 1.0);
    matrix.appendRow(row);
    row_lo.push_back(m);
    row_hi.push_back(m);
  }
  for (int t = 0; t < T; ++t) {
    if (types.lower[static_cast<size_t>(t)] == types.upper[static_cast<size_t>(t)]) continue;
    CoinPackedVector row;
    const double scale = 1.0 / (types.multiplicity(t) * static_cast<double>(m));
    for (size_t i = 0; i < P; ++i) {
      const int c = distribution.panels[i][static_cast<size_t>(t)];
      if (c != 0) row.insert(static_cast<int>(i), c * scale);
    }
    CoinPackedVector up = row;
    up.insert(d_col, -1.0);
    matrix.appendRow(up);  // sum - d <= p
    row_lo.push_back(-COIN_DBL_MAX);
    row_hi.push_back(type_p[static_cast<size_t>(t)]);
    CoinPackedVector down = row;
    down.insert(d_col, 1.0);
    matrix.appendRow(down);  // sum + d >= p
    row_lo.push_back(type_p[static_cast<size_t>(t)]);
    row_hi.push_back(COIN_DBL_MAX);
  }
  std::vector<double> col_lo(P + 1, 0.0);
  std::vector<double> col_hi(P + 1, static_cast<double>(m));
  col_hi[P] = 1.0;
  std::vector<double> obj(P + 1, 0.0);
  obj[P] = 1.0;
  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.loadProblem(matrix, col_lo.data(), col_hi.data(), obj.data(), row_lo.data(), row_hi.data());
  for (size_t i = 0; i < P; ++i) solver.setInteger(static_cast<int>(i));
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.setMaximumSeconds(time_limit_seconds);
  {
    std::vector<double> start(P + 1);
    double d = 0.0;
    std::vector<double> q(static_cast<size_t>(T), 0.0);
    for (size_t i = 0; i < P; ++i) {
      start[i] = count[i];
      for (int t = 0; t < T; ++t) {
        q[static_cast<size_t>(t)] +=
            count[i] * distribution.panels[i][static_cast<size_t>(t)] / (types.multiplicity(t) * static_cast<double>(m));
      }
    }
    for (int t = 0; t < T; ++t) d = std::max(d, std::abs(q[static_cast<size_t>(t)] - type_p[static_cast<size_t>(t)]));
    start[P] = d + 1e-9;
    model.setBestSolution(start.data(), static_cast<int>(P) + 1, start[P], true);
  }
  model.branchAndBound();
  Lottery lottery;
  if (model.bestSolution() != nullptr) {
    for (size_t i = 0; i < P; ++i) count[i] = static_cast<int>(std::lround(model.bestSolution()[i]));
    lottery.proven_optimal = model.isProvenOptimal();
  }
  // A guard: the counts must still sum to M.
  if (std::accumulate(count.begin(), count.end(), 0) != m) return Internal("lottery rounding lost a ticket");

  // Name the members: each type's members take turns across the tickets.
  std::vector<long long> cursor(static_cast<size_t>(T), 0);
  std::vector<double> type_q(static_cast<size_t>(T), 0.0);
  for (size_t i = 0; i < P; ++i) {
    for (int k = 0; k < count[i]; ++k) {
      Panel panel;
      for (size_t t = 0; t < static_cast<size_t>(T); ++t) {
        const int c = distribution.panels[i][t];
        add_window(types, t, c, cursor[t], panel);
        cursor[t] += c;
        type_q[t] += static_cast<double>(c) / (types.multiplicity(static_cast<int>(t)) * static_cast<double>(m));
      }
      std::sort(panel.begin(), panel.end());
      lottery.tickets.push_back(std::move(panel));
    }
  }
  lottery.probability.assign(problem.people.size(), 0.0);
  for (const auto& ticket : lottery.tickets) {
    for (int p : ticket) lottery.probability[static_cast<size_t>(p)] += 1.0 / m;
  }
  for (size_t i = 0; i < exact.size(); ++i) {
    lottery.largest_shift = std::max(lottery.largest_shift, std::abs(lottery.probability[i] - exact[i]));
  }
  for (size_t t = 0; t < static_cast<size_t>(T); ++t) {
    lottery.type_level_shift = std::max(lottery.type_level_shift, std::abs(type_q[t] - type_p[t]));
  }
  return lottery;
}

}  // namespace coproduce::selection
