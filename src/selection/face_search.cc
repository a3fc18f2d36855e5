#include "selection/face_search.h"

#include <cmath>

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

std::vector<TypePanel> sample_face(FaceSearch& search, const PanelOracle::Face& face, const std::vector<double>& point,
                                   int count, std::mt19937_64& random, long max_nodes) {
  std::vector<TypePanel> out;
  std::vector<double> prefer(point.size());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  long nodes = 0;
  for (int k = 0; k < count; ++k) {
    for (size_t t = 0; t < point.size(); ++t) {
      // An exponential race: the first arrival of a type with rate
      // point[t] comes at -log(u) / point[t]; earliest first.
      const double u = std::max(unit(random), 1e-300);
      prefer[t] = point[t] > 0.0 ? point[t] / -std::log(u) : 0.0;
    }
    TypePanel panel;
    if (search.find(face, prefer, max_nodes, &panel, &nodes)) out.push_back(std::move(panel));
  }
  return out;
}

}  // namespace coproduce::selection
