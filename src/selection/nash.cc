#include "selection/nash.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "core/clock.h"
#include "core/parallel.h"
#include "selection/panel_oracle.h"

namespace coproduce::selection {

namespace {

using Clock = std::chrono::steady_clock;


// Multiplicative updates between panel searches, at most.
constexpr int kUpdatesPerRound = 400;
// How many known panels local search starts from in each round.
constexpr size_t kLocalSearchStarts = 8;
// The CBC node limit a search starts with; it grows when the bound is loose.
constexpr int kFirstNodeLimit = 2000;

// The welfare problem over a fixed list of panels: per type in `rows`, the
// probability of each of its members, kept up to date with the weights.
class Welfare {
 public:
  Welfare(const TypeModel& types, std::vector<int> rows) : types_(types), rows_(std::move(rows)) {
    for (int t : rows_) people_ += types.multiplicity(t);
  }

  void add(const TypePanel& panel) {
    std::vector<std::pair<int, double>> members;  // index into rows_, count / multiplicity
    for (size_t i = 0; i < rows_.size(); ++i) {
      const int t = rows_[i];
      if (panel[static_cast<size_t>(t)] > 0) {
        members.push_back({static_cast<int>(i), static_cast<double>(panel[static_cast<size_t>(t)]) / types_.multiplicity(t)});
      }
    }
    columns_.push_back(std::move(members));
    weight_.push_back(columns_.size() == 1 ? 1.0 : 0.0);
    refresh();
  }

  size_t size() const { return columns_.size(); }
  void set_uniform() {
    std::fill(weight_.begin(), weight_.end(), 1.0 / static_cast<double>(weight_.size()));
    refresh();
  }
  double weight(size_t j) const { return weight_[j]; }
  double people() const { return people_; }
  const std::vector<double>& probability() const { return p_; }

  // Sum over people of log(probability).
  double value() const {
    double v = 0.0;
    for (size_t i = 0; i < rows_.size(); ++i) v += types_.multiplicity(rows_[i]) * std::log(p_[i]);
    return v;
  }

  // g_P: the derivative of value() along panel j's weight.
  double gradient(size_t j) const {
    double g = 0.0;
    for (const auto& [i, a] : columns_[j]) g += types_.multiplicity(rows_[static_cast<size_t>(i)]) * a / p_[static_cast<size_t>(i)];
    return g;
  }

  // Moves weight gamma onto panel j (a Frank-Wolfe step), with gamma the
  // best step found by bisection on the derivative (value() is concave).
  void step_towards(size_t j) {
    auto slope = [&](double gamma) {
      // d/dgamma of sum m log((1-gamma) p + gamma a_j)
      std::vector<double> aj(rows_.size(), 0.0);
      for (const auto& [i, a] : columns_[j]) aj[static_cast<size_t>(i)] = a;
      double d = 0.0;
      for (size_t i = 0; i < rows_.size(); ++i) {
        const double q = (1 - gamma) * p_[i] + gamma * aj[i];
        d += types_.multiplicity(rows_[i]) * (aj[i] - p_[i]) / q;
      }
      return d;
    };
    if (slope(0.0) <= 0.0) return;
    double lo = 0.0;
    double hi = 1.0;
    if (slope(1.0 - 1e-12) > 0.0) {
      lo = 1.0 - 1e-12;
    } else {
      for (int k = 0; k < 50; ++k) {
        const double mid = 0.5 * (lo + hi);
        (slope(mid) > 0.0 ? lo : hi) = mid;
      }
    }
    for (double& w : weight_) w *= (1 - lo);
    weight_[j] += lo;
    refresh();
  }

  // The multiplicative update x_P <- x_P g_P / N, `times` times or until
  // the known panels are within `tolerance` (in N units) of their best.
  void settle(int times, double tolerance) {
    for (int k = 0; k < times; ++k) {
      double top = 0.0;
      std::vector<double> g(columns_.size());
      for (size_t j = 0; j < columns_.size(); ++j) {
        g[j] = gradient(j);
        top = std::max(top, g[j]);
      }
      if (top - people_ <= tolerance * people_) break;
      double total = 0.0;
      for (size_t j = 0; j < columns_.size(); ++j) {
        weight_[j] *= g[j] / people_;
        total += weight_[j];
      }
      for (double& w : weight_) w /= total;
      refresh();
    }
  }

 private:
  void refresh() {
    p_.assign(rows_.size(), 0.0);
    for (size_t j = 0; j < columns_.size(); ++j) {
      if (weight_[j] <= 0.0) continue;
      for (const auto& [i, a] : columns_[j]) p_[static_cast<size_t>(i)] += weight_[j] * a;
    }
  }

  const TypeModel& types_;
  std::vector<int> rows_;
  double people_ = 0.0;
  std::vector<std::vector<std::pair<int, double>>> columns_;
  std::vector<double> weight_;
  std::vector<double> p_;
};

}  // namespace

StatusOr<LeximinResult> nash_welfare(const Problem& problem, const TypeModel& types, const NashOptions& options) {
  LeximinResult result;
  const int T = types.size();
  PanelOracle oracle(problem, types);
  std::vector<int> open_types;  // types whose count a panel may choose
  for (int t = 0; t < T; ++t) {
    if (types.lower[static_cast<size_t>(t)] < types.upper[static_cast<size_t>(t)]) open_types.push_back(t);
  }
  auto mip_start = Clock::now();
  std::vector<double> weight(static_cast<size_t>(T), 0.0);
  for (int t : open_types) weight[static_cast<size_t>(t)] = 1.0 / types.multiplicity(t);
  std::optional<TypePanel> first = oracle.best(weight);
  if (!first) return InvalidInput("no panel meets all the quotas");
  std::vector<bool> coverable;
  std::vector<TypePanel> panels{*first};
  for (TypePanel& p : oracle.cover(*first, open_types, &coverable)) panels.push_back(std::move(p));
  if (open_types.empty()) {
    // Every place is decided (already selected, or the pool is the panel).
    result.distribution.panels.push_back(*first);
    result.distribution.weights.push_back(1.0);
    result.type_probability = type_probabilities(types, result.distribution);
    return result;
  }
  result.mip_seconds += seconds_since(mip_start);
  // The product runs over people some panel can hold.
  std::vector<int> rows;
  for (int t : open_types) {
    if (coverable[static_cast<size_t>(t)]) rows.push_back(t);
  }
  Welfare welfare(types, rows);
  std::vector<TypePanel> known;  // in the order Welfare holds them
  std::set<TypePanel> seen;
  auto add = [&](const TypePanel& p) {
    if (!seen.insert(p).second) return false;
    welfare.add(p);
    known.push_back(p);
    return true;
  };
  for (const auto& p : panels) add(p);
  // Equal weights on the covering panels: everyone who can be chosen has a
  // chance, so every logarithm is finite.
  welfare.set_uniform();

  const double N = welfare.people();
  const unsigned threads = threads_or_every_core(options.threads);
  LeximinProgress progress;
  progress.total_types = T;
  std::vector<double> price(static_cast<size_t>(T), 0.0);
  double best_bound = std::numeric_limits<double>::infinity();  // on max_P g_P at the current point
  int max_nodes = kFirstNodeLimit;
  while (!rows.empty()) {
    auto lp_start = Clock::now();
    welfare.settle(kUpdatesPerRound, 0.1 * options.tolerance);
    result.lp_seconds += seconds_since(lp_start);
    const std::vector<double>& p = welfare.probability();
    // The panel program's weights: g_P = sum over members of 1 / probability.
    for (size_t i = 0; i < rows.size(); ++i) price[static_cast<size_t>(rows[i])] = 1.0 / p[i];
    auto value_of = [&](const TypePanel& panel) {
      double v = 0.0;
      for (int t : rows) v += price[static_cast<size_t>(t)] * panel[static_cast<size_t>(t)];
      return v;
    };
    ++result.stages;
    progress.stage = result.stages;
    progress.panels = static_cast<int>(known.size());
    progress.level = *std::min_element(p.begin(), p.end());
    progress.lp_seconds = result.lp_seconds;
    progress.mip_seconds = result.mip_seconds;
    if (options.should_stop && options.should_stop()) {
      result.complete = false;
      break;
    }
    mip_start = Clock::now();
    // Welfare can rise by at most (max_P g_P - N) / N in the mean logarithm.
    const double relaxed = oracle.relaxation_bound(price);
    best_bound = relaxed;
    const double bar = N * (1.0 + 0.25 * options.tolerance);
    bool done = (best_bound - N) / N <= options.tolerance;
    if (done) ++result.relaxation_proofs;
    std::vector<size_t> better;  // new panels worth a step
    bool known_above = false;  // a known panel still beats the bar: the weights need more updates
    auto consider = [&](const TypePanel& panel) {
      if (value_of(panel) <= bar) return;
      if (add(panel)) {
        better.push_back(known.size() - 1);
      } else {
        known_above = true;
      }
    };
    if (!done) {
      std::vector<double> gradient(known.size());
      for (size_t j = 0; j < known.size(); ++j) gradient[j] = welfare.gradient(j);
      for (const TypePanel& panel : oracle.improve_best(price, known, gradient, kLocalSearchStarts, threads)) consider(panel);
      if (auto sub = oracle.best_in_support(price, bar)) consider(*sub);
      if (better.empty()) {
        PanelOracle::Priced priced = oracle.price(price, bar, max_nodes, nullptr);
        if (priced.panel) consider(*priced.panel);
        for (const auto& other : priced.others) consider(other);
        best_bound = std::min(best_bound, priced.bound);
        if (better.empty() && !known_above) {
          if ((best_bound - N) / N <= options.tolerance || priced.finished) {
            done = true;
            ++result.integer_proofs;
          } else {
            max_nodes *= 4;
          }
        }
      }
    }
    for (size_t j : better) welfare.step_towards(j);
    result.mip_seconds += seconds_since(mip_start);
    progress.gap = std::max(0.0, (best_bound - N) / N);
    if (options.progress) options.progress(progress);
    if (done) break;
  }
  result.proven_gap = rows.empty() ? 0.0 : std::max(0.0, (best_bound - N) / N);
  std::vector<double> weights(known.size());
  for (size_t j = 0; j < known.size(); ++j) weights[j] = welfare.weight(j);
  result.distribution = weighted_panels(known, weights);
  result.type_probability = type_probabilities(types, result.distribution);
  result.oracle_calls = oracle.calls();
  result.rejected_panels = oracle.invalid();
  result.panels_generated = static_cast<int>(known.size());
  double lowest = 1.0;
  for (int t : rows) lowest = std::min(lowest, result.type_probability[static_cast<size_t>(t)]);
  result.minimum_bound = lowest;
  return result;
}

}  // namespace coproduce::selection
