#include "selection/panel_oracle.h"

#include <CbcModel.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/parallel.h"

namespace coproduce::selection {

std::vector<PanelRow> panel_rows(const Problem& problem, const TypeModel& types) {
  const int T = types.size();
  std::vector<PanelRow> rows;
  PanelRow size;
  for (int t = 0; t < T; ++t) size.types.push_back(t);
  size.lo = size.hi = problem.panel_size;
  rows.push_back(std::move(size));
  for (size_t c = 0; c < problem.categories.size(); ++c) {
    const size_t first = rows.size();
    for (const Quota& q : problem.categories[c].values) {
      PanelRow row;
      row.lo = q.min;
      row.hi = q.max;
      row.category = static_cast<int>(c);
      rows.push_back(std::move(row));
    }
    for (int t = 0; t < T; ++t) {
      rows[first + static_cast<size_t>(types.values[static_cast<size_t>(t)][c])].types.push_back(t);
    }
  }
  for (const auto& group : types.household_groups) {
    PanelRow row;
    row.types = group;
    row.lo = 0;
    row.hi = 1;
    rows.push_back(std::move(row));
  }
  return rows;
}

PanelOracle::PanelOracle(const Problem& problem, const TypeModel& types)
    : problem_(problem), types_(types), base_(std::make_unique<OsiClpSolverInterface>()) {
  const int T = types.size();
  CoinPackedMatrix matrix(false, 0, 0);
  matrix.setDimensions(0, T);
  std::vector<double> row_lo;
  std::vector<double> row_hi;
  for (const PanelRow& rule : panel_rows(problem, types)) {
    CoinPackedVector row;
    for (int t : rule.types) row.insert(t, 1.0);
    matrix.appendRow(row);
    row_lo.push_back(rule.lo);
    row_hi.push_back(rule.hi);
  }
  std::vector<double> col_lo(static_cast<size_t>(T));
  std::vector<double> col_hi(static_cast<size_t>(T));
  std::vector<double> obj(static_cast<size_t>(T), 0.0);
  for (int t = 0; t < T; ++t) {
    col_lo[static_cast<size_t>(t)] = types.lower[static_cast<size_t>(t)];
    col_hi[static_cast<size_t>(t)] = types.upper[static_cast<size_t>(t)];
  }
  base_->messageHandler()->setLogLevel(0);
  base_->loadProblem(matrix, col_lo.data(), col_hi.data(), obj.data(), row_lo.data(), row_hi.data());
  for (int t = 0; t < T; ++t) base_->setInteger(t);
  base_->setObjSense(-1.0);  // maximise
  base_->setHintParam(OsiDoReducePrint, true, OsiHintTry);
  relaxed_ = std::make_unique<OsiClpSolverInterface>(*base_);
  for (int t = 0; t < T; ++t) relaxed_->setContinuous(t);
  relaxed_->messageHandler()->setLogLevel(0);
  group_of_.assign(static_cast<size_t>(T), -1);
  for (size_t g = 0; g < types.household_groups.size(); ++g) {
    for (int t : types.household_groups[g]) group_of_[static_cast<size_t>(t)] = static_cast<int>(g);
  }
}

bool PanelOracle::valid(const TypePanel& panel) const {
  const int T = types_.size();
  if (static_cast<int>(panel.size()) != T) return false;
  int size = 0;
  const size_t C = problem_.categories.size();
  std::vector<std::vector<int>> count(C);
  for (size_t c = 0; c < C; ++c) count[c].assign(problem_.categories[c].values.size(), 0);
  for (int t = 0; t < T; ++t) {
    const int n = panel[static_cast<size_t>(t)];
    if (n < types_.lower[static_cast<size_t>(t)] || n > types_.upper[static_cast<size_t>(t)]) return false;
    size += n;
    for (size_t c = 0; c < C; ++c) count[c][static_cast<size_t>(types_.values[static_cast<size_t>(t)][c])] += n;
  }
  if (size != problem_.panel_size) return false;
  for (size_t c = 0; c < C; ++c) {
    for (size_t v = 0; v < count[c].size(); ++v) {
      const Quota& q = problem_.categories[c].values[v];
      if (count[c][v] < q.min || count[c][v] > q.max) return false;
    }
  }
  for (const auto& group : types_.household_groups) {
    int n = 0;
    for (int t : group) n += panel[static_cast<size_t>(t)];
    if (n > 1) return false;
  }
  return true;
}

TypePanel PanelOracle::improve(const std::vector<double>& weight, TypePanel panel) const {
  const int T = types_.size();
  const size_t C = problem_.categories.size();
  std::vector<std::vector<int>> count(C);
  for (size_t c = 0; c < C; ++c) count[c].assign(problem_.categories[c].values.size(), 0);
  std::vector<int> group_count(types_.household_groups.size(), 0);
  for (int t = 0; t < T; ++t) {
    const int n = panel[static_cast<size_t>(t)];
    if (n == 0) continue;
    for (size_t c = 0; c < C; ++c) count[c][static_cast<size_t>(types_.values[static_cast<size_t>(t)][c])] += n;
    if (group_of_[static_cast<size_t>(t)] >= 0) group_count[static_cast<size_t>(group_of_[static_cast<size_t>(t)])] += n;
  }
  // Candidates to bring in, best first.
  std::vector<int> order(static_cast<size_t>(T));
  for (int t = 0; t < T; ++t) order[static_cast<size_t>(t)] = t;
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return weight[static_cast<size_t>(a)] > weight[static_cast<size_t>(b)]; });
  auto can_swap = [&](int out, int in) {
    const auto& vo = types_.values[static_cast<size_t>(out)];
    const auto& vi = types_.values[static_cast<size_t>(in)];
    for (size_t c = 0; c < C; ++c) {
      if (vo[c] == vi[c]) continue;
      const auto& qo = problem_.categories[c].values[static_cast<size_t>(vo[c])];
      const auto& qi = problem_.categories[c].values[static_cast<size_t>(vi[c])];
      if (count[c][static_cast<size_t>(vo[c])] - 1 < qo.min) return false;
      if (count[c][static_cast<size_t>(vi[c])] + 1 > qi.max) return false;
    }
    const int g = group_of_[static_cast<size_t>(in)];
    if (g >= 0 && group_count[static_cast<size_t>(g)] >= 1 && group_of_[static_cast<size_t>(out)] != g) return false;
    return true;
  };
  for (int pass = 0; pass < 10 * problem_.panel_size + 100; ++pass) {
    double best_gain = 1e-12;
    int best_out = -1;
    int best_in = -1;
    for (int out = 0; out < T; ++out) {
      if (panel[static_cast<size_t>(out)] <= types_.lower[static_cast<size_t>(out)]) continue;
      const double w_out = weight[static_cast<size_t>(out)];
      for (int in : order) {
        const double gain = weight[static_cast<size_t>(in)] - w_out;
        if (gain <= best_gain) break;
        if (in == out || panel[static_cast<size_t>(in)] >= types_.upper[static_cast<size_t>(in)]) continue;
        if (can_swap(out, in)) {
          best_gain = gain;
          best_out = out;
          best_in = in;
          break;
        }
      }
    }
    if (best_out < 0) break;
    --panel[static_cast<size_t>(best_out)];
    ++panel[static_cast<size_t>(best_in)];
    for (size_t c = 0; c < C; ++c) {
      --count[c][static_cast<size_t>(types_.values[static_cast<size_t>(best_out)][c])];
      ++count[c][static_cast<size_t>(types_.values[static_cast<size_t>(best_in)][c])];
    }
    if (group_of_[static_cast<size_t>(best_out)] >= 0) --group_count[static_cast<size_t>(group_of_[static_cast<size_t>(best_out)])];
    if (group_of_[static_cast<size_t>(best_in)] >= 0) ++group_count[static_cast<size_t>(group_of_[static_cast<size_t>(best_in)])];
  }
  return panel;
}

std::vector<TypePanel> PanelOracle::improve_best(const std::vector<double>& weight, const std::vector<TypePanel>& panels,
                                                 const std::vector<double>& score, size_t starts,
                                                 unsigned threads) const {
  std::vector<size_t> order(panels.size());
  for (size_t j = 0; j < order.size(); ++j) order[j] = j;
  starts = std::min(starts, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(starts), order.end(),
                    [&](size_t a, size_t b) { return score[a] > score[b]; });
  std::vector<TypePanel> out(starts);
  parallel_for(starts, threads, [&](size_t k, unsigned) { out[k] = improve(weight, panels[order[k]]); });
  return out;
}

PanelOracle::~PanelOracle() = default;

std::optional<TypePanel> PanelOracle::best(const std::vector<double>& weight, const TypePanel* hint,
                                           std::vector<TypePanel>* also_found) {
  return solve(weight, hint, nullptr, also_found);
}

std::optional<TypePanel> PanelOracle::best_above(const std::vector<double>& weight, double must_beat,
                                                 std::vector<TypePanel>* also_found) {
  return solve(weight, nullptr, &must_beat, also_found);
}

PanelOracle::Priced PanelOracle::price(const std::vector<double>& weight, double must_beat, int max_nodes,
                                       const TypePanel* hint) {
  Priced out;
  out.panel = solve(weight, hint, &must_beat, &out.others, max_nodes, &out);
  return out;
}

double PanelOracle::relaxation_bound(const std::vector<double>& weight, std::optional<TypePanel>* whole) {
  if (whole != nullptr) whole->reset();
  double largest = 0.0;
  for (double w : weight) largest = std::max(largest, std::abs(w));
  if (largest == 0.0) return 0.0;
  const double scale = 1.0 / largest;
  std::vector<double> scaled(weight.size());
  for (size_t t = 0; t < weight.size(); ++t) scaled[t] = weight[t] * scale;
  relaxed_->setObjective(scaled.data());
  // A new objective leaves the last basis primal feasible: primal simplex
  // from there is the quick way back to an optimum.
  if (relaxed_->basisIsAvailable()) {
    relaxed_->setHintParam(OsiDoDualInResolve, false, OsiHintDo);
    relaxed_->resolve();
  } else {
    relaxed_->initialSolve();
  }
  if (!relaxed_->isProvenOptimal()) relaxed_->initialSolve();
  if (!relaxed_->isProvenOptimal()) return std::numeric_limits<double>::infinity();
  if (whole != nullptr) {
    const double* x = relaxed_->getColSolution();
    const int T = types_.size();
    TypePanel panel(static_cast<size_t>(T));
    bool integral = true;
    for (int t = 0; t < T && integral; ++t) {
      const double r = std::round(x[t]);
      integral = std::abs(x[t] - r) < 1e-9;
      panel[static_cast<size_t>(t)] = static_cast<int>(r);
    }
    if (integral && valid(panel)) *whole = std::move(panel);
  }
  // An optimal LP's value is the relaxation's maximum up to CLP's
  // tolerances (1e-7 of the scaled weights per unit of panel size), which
  // are added back so the figure stays an upper bound.
  return (relaxed_->getObjValue() + 1e-7 * static_cast<double>(problem_.panel_size)) / scale;
}

double PanelOracle::relaxed_level(const std::vector<int>& rows, const std::vector<bool>& settled,
                                  const std::vector<double>& level, std::vector<double>* dual,
                                  std::vector<double>* point) {
  OsiClpSolverInterface lp(*relaxed_);
  lp.messageHandler()->setLogLevel(0);
  const int T = types_.size();
  std::vector<double> zero(static_cast<size_t>(T), 0.0);
  lp.setObjective(zero.data());
  const int z = lp.getNumCols();
  lp.addCol(0, nullptr, nullptr, 0.0, 1.0, 1.0);
  const int first_row = lp.getNumRows();
  for (size_t r = 0; r < rows.size(); ++r) {
    const int t = rows[r];
    CoinPackedVector row;
    row.insert(t, 1.0 / types_.multiplicity(t));
    if (settled[r]) {
      lp.addRow(row, level[r], COIN_DBL_MAX);
    } else {
      row.insert(z, -1.0);
      lp.addRow(row, 0.0, COIN_DBL_MAX);
    }
  }
  lp.setObjSense(-1.0);
  lp.initialSolve();
  if (!lp.isProvenOptimal()) return std::numeric_limits<double>::infinity();
  const double* price = lp.getRowPrice();
  dual->assign(rows.size(), 0.0);
  // The sign of a row price depends on the solver's convention: take the
  // one under which the free rows' prices add up to a positive number.
  double sum = 0.0;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!settled[r]) sum += price[first_row + static_cast<int>(r)];
  }
  const double sign = sum < 0 ? -1.0 : 1.0;
  for (size_t r = 0; r < rows.size(); ++r) (*dual)[r] = std::max(0.0, sign * price[first_row + static_cast<int>(r)]);
  if (point != nullptr) point->assign(lp.getColSolution(), lp.getColSolution() + T);
  return lp.getColSolution()[z] + 1e-7;
}

bool PanelOracle::optimal_face(const std::vector<double>& weight, Face* face) {
  if (!std::isfinite(relaxation_bound(weight)) || !relaxed_->isProvenOptimal()) return false;
  const int T = types_.size();
  const int R = relaxed_->getNumRows();
  const double* x = relaxed_->getColSolution();
  const double* reduced = relaxed_->getReducedCost();
  const double* price = relaxed_->getRowPrice();
  const double* activity = relaxed_->getRowActivity();
  const double* col_lo = relaxed_->getColLower();
  const double* col_hi = relaxed_->getColUpper();
  const double* row_lo = relaxed_->getRowLower();
  const double* row_hi = relaxed_->getRowUpper();
  // Complementary slackness with this optimum's duals (any optimal duals
  // give the whole optimal face): a type with a non-zero reduced cost stays
  // at the bound it is at, a rule with a non-zero dual at its total.
  static constexpr double kZero = 1e-9;
  auto keep = [](double lower, double upper, double value, double dual, int* lo, int* hi) {
    *lo = static_cast<int>(std::lround(lower));
    *hi = static_cast<int>(std::lround(upper));
    if (std::abs(dual) <= kZero) return;
    if (value <= lower + 1e-7) {
      *hi = *lo;
    } else if (value >= upper - 1e-7) {
      *lo = *hi;
    }
  };
  face->type_lo.assign(static_cast<size_t>(T), 0);
  face->type_hi.assign(static_cast<size_t>(T), 0);
  for (int t = 0; t < T; ++t) {
    keep(col_lo[t], col_hi[t], x[t], reduced[t], &face->type_lo[static_cast<size_t>(t)], &face->type_hi[static_cast<size_t>(t)]);
  }
  face->row_lo.assign(static_cast<size_t>(R), 0);
  face->row_hi.assign(static_cast<size_t>(R), 0);
  for (int r = 0; r < R; ++r) {
    keep(row_lo[r], row_hi[r], activity[r], price[r], &face->row_lo[static_cast<size_t>(r)], &face->row_hi[static_cast<size_t>(r)]);
  }
  return true;
}

std::vector<TypePanel> PanelOracle::cover(const TypePanel& first, const std::vector<int>& wanted,
                                          std::vector<bool>* coverable) {
  const int T = types_.size();
  std::vector<bool> covered(static_cast<size_t>(T), false);
  coverable->assign(static_cast<size_t>(T), true);
  auto mark = [&](const TypePanel& p) {
    for (int t = 0; t < T; ++t) {
      if (p[static_cast<size_t>(t)] > 0) covered[static_cast<size_t>(t)] = true;
    }
  };
  mark(first);
  std::vector<TypePanel> out;
  TypePanel current = first;
  std::vector<double> weight(static_cast<size_t>(T), 0.0);
  while (true) {
    int open = 0;
    for (int t : wanted) {
      const bool o = !covered[static_cast<size_t>(t)] && (*coverable)[static_cast<size_t>(t)];
      open += o ? 1 : 0;
      weight[static_cast<size_t>(t)] = o ? 1.0 : 0.0;
    }
    if (open == 0) break;
    auto gain = [&](const TypePanel& p) {
      int g = 0;
      for (int t : wanted) g += (p[static_cast<size_t>(t)] > 0 && weight[static_cast<size_t>(t)] > 0) ? 1 : 0;
      return g;
    };
    TypePanel next = improve(weight, current);
    if (gain(next) == 0) {
      std::optional<TypePanel> exact = best(weight);
      if (!exact || gain(*exact) == 0) {
        // No valid panel holds any of the types still open.
        for (int t : wanted) {
          if (weight[static_cast<size_t>(t)] > 0) (*coverable)[static_cast<size_t>(t)] = false;
        }
        break;
      }
      next = std::move(*exact);
    }
    mark(next);
    out.push_back(next);
    current = std::move(next);
  }
  return out;
}

std::optional<TypePanel> PanelOracle::best_in_support(const std::vector<double>& weight, double must_beat) {
  const int T = types_.size();
  const double* x = relaxed_->getColSolution();
  // Fix to zero every type the relaxation left out (unless a rule needs it).
  std::vector<double> saved_upper(base_->getColUpper(), base_->getColUpper() + T);
  int open = 0;
  for (int t = 0; t < T; ++t) {
    if (x[t] <= 1e-9 && types_.lower[static_cast<size_t>(t)] == 0) {
      base_->setColUpper(t, 0.0);
    } else {
      ++open;
    }
  }
  std::optional<TypePanel> out;
  if (open > 0) out = solve(weight, nullptr, &must_beat, nullptr, 5000, nullptr);
  for (int t = 0; t < T; ++t) base_->setColUpper(t, saved_upper[static_cast<size_t>(t)]);
  return out;
}

std::optional<TypePanel> PanelOracle::solve(const std::vector<double>& weight, const TypePanel* hint,
                                            const double* must_beat, std::vector<TypePanel>* also_found,
                                            int max_nodes, Priced* priced) {
  ++calls_;
  const int T = types_.size();
  // Scale so the largest weight is 1: CBC's absolute tolerances then mean
  // the same thing whatever the size of the dual values.
  double largest = 0.0;
  for (double w : weight) largest = std::max(largest, std::abs(w));
  const double scale = largest > 0.0 ? 1.0 / largest : 1.0;
  std::vector<double> scaled(weight.size());
  for (size_t t = 0; t < weight.size(); ++t) scaled[t] = weight[t] * scale;
  // CbcModel works on its own copy of the solver, so the base can simply
  // take the new objective.
  base_->setObjective(scaled.data());
  CbcModel model(*base_);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.solver()->messageHandler()->setLogLevel(0);
  model.setAllowableGap(1e-11);
  model.setAllowableFractionGap(1e-11);
  model.setAllowablePercentageGap(1e-9);
  // CBC prunes nodes that cannot beat the incumbent by this much (1e-5 by
  // default), which would end column generation early: keep it tiny.
  model.setCutoffIncrement(1e-10);
  model.setIntegerTolerance(1e-9);
  // Strong branching costs more than it saves on these small programs.
  model.setNumberStrong(0);
  model.setNumberThreads(0);
  model.setMaximumSavedSolutions(8);
  // CBC minimises sense * objective internally, so a bar on the value is a
  // cutoff of minus the scaled bar.
  if (must_beat != nullptr) model.setCutoff(-(*must_beat) * scale);
  if (hint != nullptr) {
    std::vector<double> start(hint->begin(), hint->end());
    double value = 0.0;
    for (int t = 0; t < T; ++t) value += scaled[static_cast<size_t>(t)] * start[static_cast<size_t>(t)];
    // CBC minimises internally; the objective it stores is sense * value.
    model.setBestSolution(start.data(), T, -value, true);
  }
  if (max_nodes > 0) model.setMaximumNodes(max_nodes);
  model.branchAndBound();
  if (priced != nullptr) {
    // CbcModel's getters answer in the problem's own sense (a maximum here),
    // scaled. When the search finished without a panel above the bar, the
    // bar itself is the bound.
    priced->finished = !model.isNodeLimitReached() && !model.isSecondsLimitReached();
    double bound = model.getBestPossibleObjValue() / scale;
    if (priced->finished && model.bestSolution() == nullptr && must_beat != nullptr) bound = *must_beat;
    if (priced->finished && model.bestSolution() != nullptr) bound = model.getObjValue() / scale;
    if (!std::isfinite(bound) && must_beat != nullptr && priced->finished) bound = *must_beat;
    if (!std::isfinite(bound)) bound = std::numeric_limits<double>::infinity();
    // CBC's own tolerances (its allowable gap, 1e-11 of the scaled value).
    priced->bound = bound + 1e-9 / scale;
  }
  if (model.bestSolution() == nullptr || (!model.isProvenOptimal() && model.isProvenInfeasible())) {
    return std::nullopt;
  }
  auto to_panel = [T](const double* x) {
    TypePanel panel(static_cast<size_t>(T));
    for (int t = 0; t < T; ++t) panel[static_cast<size_t>(t)] = static_cast<int>(std::lround(x[t]));
    return panel;
  };
  // CBC's integrality tolerance may leave values a hair off whole numbers;
  // keep only panels that truly meet every rule.
  if (also_found != nullptr) {
    for (int i = 1; i < model.numberSavedSolutions(); ++i) {
      TypePanel p = to_panel(model.savedSolution(i));
      if (valid(p)) also_found->push_back(std::move(p));
    }
  }
  TypePanel panel = to_panel(model.bestSolution());
  if (!valid(panel)) {
    ++invalid_;
    return std::nullopt;
  }
  return panel;
}

}  // namespace coproduce::selection
