#include "selection/panel_oracle.h"

#include <CbcModel.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <OsiClpSolverInterface.hpp>

#include <cmath>

namespace coproduce::selection {

PanelOracle::PanelOracle(const Problem& problem, const TypeModel& types)
    : problem_(problem), types_(types), base_(std::make_unique<OsiClpSolverInterface>()) {
  const int T = types.size();
  CoinPackedMatrix matrix(false, 0, 0);
  matrix.setDimensions(0, T);
  std::vector<double> row_lo;
  std::vector<double> row_hi;
  // Panel size.
  {
    CoinPackedVector row;
    for (int t = 0; t < T; ++t) row.insert(t, 1.0);
    matrix.appendRow(row);
    row_lo.push_back(problem.panel_size);
    row_hi.push_back(problem.panel_size);
  }
  // One row per category value.
  for (size_t c = 0; c < problem.categories.size(); ++c) {
    const auto& cat = problem.categories[c];
    std::vector<CoinPackedVector> rows(cat.values.size());
    for (int t = 0; t < T; ++t) rows[static_cast<size_t>(types.values[static_cast<size_t>(t)][c])].insert(t, 1.0);
    for (size_t v = 0; v < cat.values.size(); ++v) {
      matrix.appendRow(rows[v]);
      row_lo.push_back(cat.values[v].min);
      row_hi.push_back(cat.values[v].max);
    }
  }
  for (const auto& group : types.household_groups) {
    CoinPackedVector row;
    for (int t : group) row.insert(t, 1.0);
    matrix.appendRow(row);
    row_lo.push_back(0.0);
    row_hi.push_back(1.0);
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
}

PanelOracle::~PanelOracle() = default;

std::optional<TypePanel> PanelOracle::best(const std::vector<double>& weight, const TypePanel* hint,
                                           std::vector<TypePanel>* also_found) {
  ++calls_;
  const int T = types_.size();
  OsiClpSolverInterface solver(*base_);
  solver.setObjective(weight.data());
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.solver()->messageHandler()->setLogLevel(0);
  model.setAllowableGap(1e-11);
  model.setAllowableFractionGap(1e-11);
  model.setAllowablePercentageGap(1e-9);
  model.setNumberThreads(0);
  model.setMaximumSavedSolutions(8);
  if (hint != nullptr) {
    std::vector<double> start(hint->begin(), hint->end());
    double value = 0.0;
    for (int t = 0; t < T; ++t) value += weight[static_cast<size_t>(t)] * start[static_cast<size_t>(t)];
    // CBC minimises internally; the objective it stores is sense * value.
    model.setBestSolution(start.data(), T, -value, true);
  }
  model.branchAndBound();
  if (model.bestSolution() == nullptr || (!model.isProvenOptimal() && model.isProvenInfeasible())) {
    return std::nullopt;
  }
  auto to_panel = [T](const double* x) {
    TypePanel panel(static_cast<size_t>(T));
    for (int t = 0; t < T; ++t) panel[static_cast<size_t>(t)] = static_cast<int>(std::lround(x[t]));
    return panel;
  };
  if (also_found != nullptr) {
    for (int i = 1; i < model.numberSavedSolutions(); ++i) also_found->push_back(to_panel(model.savedSolution(i)));
  }
  return to_panel(model.bestSolution());
}

}  // namespace coproduce::selection
