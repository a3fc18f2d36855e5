#include "selection/panel_lp.h"

#include <CoinPackedMatrix.hpp>

#include <algorithm>

namespace coproduce::selection {

PanelLp::PanelLp(const TypeModel& types, const std::vector<int>& row_of, const std::vector<double>& row_lo,
                 double coefficient, double cost)
    : types_(types), row_of_(row_of), rows_(static_cast<int>(row_lo.size())) {
  lp_.setLogLevel(0);
  lp_.messageHandler()->setLogLevel(0);
  std::vector<double> lo = row_lo;
  std::vector<double> hi(row_lo.size(), COIN_DBL_MAX);
  lo.push_back(1.0);
  hi.push_back(1.0);
  std::vector<int> index(row_lo.size());
  for (int r = 0; r < rows_; ++r) index[static_cast<size_t>(r)] = r;
  const std::vector<double> value(row_lo.size(), coefficient);
  CoinBigIndex starts[2] = {0, static_cast<CoinBigIndex>(index.size())};
  double col_lo = 0.0;
  double col_hi = 1.0;
  CoinPackedMatrix matrix(true, rows_ + 1, 1, static_cast<CoinBigIndex>(index.size()), value.data(), index.data(),
                          starts, nullptr);
  lp_.loadProblem(matrix, &col_lo, &col_hi, &cost, lo.data(), hi.data());
}

int PanelLp::add_panel(const TypePanel& panel) {
  std::vector<int> index;
  std::vector<double> value;
  panel_column(types_, row_of_, panel, &index, &value);
  index.push_back(rows_);
  value.push_back(1.0);
  const int column = lp_.numberColumns();
  lp_.addColumn(static_cast<int>(index.size()), index.data(), value.data(), 0.0, COIN_DBL_MAX, 0.0);
  return column;
}

bool PanelLp::solve() {
  lp_.primal();
  iterations_ += lp_.numberIterations();
  if (lp_.status() != 0) {
    lp_.initialSolve();
    iterations_ += lp_.numberIterations();
  }
  if (lp_.status() != 0) return false;
  const double* x = lp_.primalColumnSolution();
  if (*std::min_element(x, x + lp_.numberColumns()) < 0.0) {
    const int perturbation = lp_.perturbation();
    lp_.setPerturbation(102);
    lp_.primal();
    iterations_ += lp_.numberIterations();
    lp_.setPerturbation(perturbation);
  }
  return lp_.status() == 0;
}

}  // namespace coproduce::selection
