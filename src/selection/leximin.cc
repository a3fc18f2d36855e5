#include "selection/leximin.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <utility>

#include "core/clock.h"
#include "core/parallel.h"
#include "selection/decompose.h"
#include "selection/face_search.h"
#include "selection/panel_lp.h"
#include "selection/panel_oracle.h"

namespace coproduce::selection {

namespace {

// Cost per unit a settled probability falls below its level (see settle).
constexpr double kElasticPenalty = 1e5;
// How far below its optimum a settled probability may fall in later stages.
constexpr double kFixSlack = 1e-7;

using Clock = std::chrono::steady_clock;

// The restricted master problem. Each stage has a column of its own: the
// rise of its level over the level before it (the first stage's column is
// the first level itself). Row t, for a type t that can go either way:
//   sum_P a[P][t] x_P - (d_1 + ... + d_k) + e_t >= 0,
// where d_j is stage j's column, k is the stage the type is settled in (or
// the current stage, while it is free) and e_t is its elastic column once
// settled (see settle). The last row is sum_P x_P = 1. The objective
// maximises the current stage's column. A settled stage's column is fixed
// at its rise, so every type it settled is held at its level or above.
// Fixed, not merely bounded below: every later row stands on it, so a
// column left to float would carry part of the free types' level, and one
// sitting a tolerance below its bound (1e-7, which CLP allows a basic
// column) lowered every later level with it: on 1,200 people the master's
// level once fell by 0.004 between two solves with the same panels, for a
// settled column 6.7e-8 below its bound (dual values near 60,000).
//
// Why rises: settling a stage then changes only bounds and costs and adds
// columns. No coefficient of the matrix changes, so the next stage starts
// from the basis the last one ended with, whole and feasible. Taking the
// still-free rows out of a stage's column instead (the way before) changed
// a basic column; now and then that left the basis singular and CLP
// started again from slacks (12,594 pivots and 18 s once on 1,200 people).
class MasterLp : public PanelLp {
 public:
  MasterLp(const TypeModel& types, const std::vector<int>& row_of, int rows)
      : PanelLp(types, row_of, std::vector<double>(static_cast<size_t>(rows), 0.0), -1.0, -1.0) {
    lp_.scaling(0);
  }

  void add_panel(const TypePanel& panel) { panel_col_.push_back(PanelLp::add_panel(panel)); }

  // The weight of the j-th panel added, in the last solution.
  double panel_weight(size_t j) const { return lp_.primalColumnSolution()[panel_col_[j]]; }

  // Ends the current stage: the rows in `settled` are held at `level` or
  // above from now on (or at the last stage's level, should `level` be a
  // rounding hair below it); the rows in `still_free` go on rising with a
  // new column, the next stage's, which the objective now maximises.
  // Returns the level the settled rows are held at. The stage's column,
  // basic a little above its rise (kFixSlack or the stage's gap), leaves
  // the basis in a pivot or two; the rest of the basis stands.
  // Each settled row gets an elastic column (cost kElasticPenalty per unit
  // below the level): without it, settled rows sitting exactly at their
  // level make the LP degenerate and CLP may return dual values of 1e20,
  // which wreck the pricing.
  double settle(const std::vector<int>& settled, const std::vector<int>& still_free, double level) {
    const double rise = std::max(0.0, level - settled_level_);
    lp_.setObjectiveCoefficient(stage_col_, 0.0);
    lp_.setColumnBounds(stage_col_, rise, rise);
    stages_.push_back({stage_col_, rise});
    settled_level_ += rise;
    const double one = 1.0;
    for (int r : settled) {
      lp_.addColumn(1, &r, &one, 0.0, COIN_DBL_MAX, kElasticPenalty);
    }
    rising_ = !still_free.empty();
    if (rising_) {
      const std::vector<double> minus(still_free.size(), -1.0);
      stage_col_ = lp_.numberColumns();
      lp_.addColumn(static_cast<int>(still_free.size()), still_free.data(), minus.data(), 0.0, 1.0, -1.0);
    }
    return settled_level_;
  }

  // Lowers every settled level by `slack` (never below zero): CLP rarely
  // calls the levels infeasible by a rounding hair. Taken from the earliest
  // rises, as every later level stands on them.
  void lower_levels(double slack) {
    for (const auto& [col, rise] : stages_) {
      const double cut = std::min(slack, rise);
      lp_.setColumnBounds(col, rise - cut, rise - cut);
      slack -= cut;
    }
  }

  // Lifts the settled levels by up to `lift` each, as far as the panels
  // allow: each stage's column may now rise that far above its rise (so a
  // later level by up to `lift` per stage below it), and the objective
  // maximises their sum.
  void lift_all(double lift) {
    for (const auto& [col, rise] : stages_) {
      lp_.setObjectiveCoefficient(col, -1.0);
      lp_.setColumnUpper(col, std::min(1.0, rise + lift));
    }
  }

  // The level of the types still rising: the sum of every stage's column.
  double z() const {
    const double* x = lp_.primalColumnSolution();
    double level = 0.0;
    for (const auto& stage : stages_) level += x[stage.first];
    return rising_ ? level + x[stage_col_] : level;
  }
  const double* duals() const { return lp_.dualRowSolution(); }

 private:
  int stage_col_ = 0;                          // the current stage's column
  bool rising_ = true;                         // whether any type is still free
  double settled_level_ = 0.0;                 // the last settled stage's level
  std::vector<std::pair<int, double>> stages_;  // each settled stage's column and rise
  std::vector<int> panel_col_;                 // LP column of each panel, in order added
};

// How many known panels local search starts from in each round.
constexpr size_t kLocalSearchStarts = 16;
// Weight of the stability centre in the pricing weights (0 turns it off).
constexpr double kSmoothing = 0.95;

// The CBC node limit a stage starts with; it grows fourfold each time a
// stopped search leaves the bound too loose.
constexpr int kFirstNodeLimit = 200;
// Panels found under the relaxation's multipliers when a stage starts, and
// how much each weight is shaken (a share) to find different ones.
constexpr int kBurstPanels = 64;
// Panels drawn from the relaxation's optimal face when a stage starts: this
// many per type still rising, within these bounds.
constexpr int kDrawsPerFreeType = 4;
constexpr int kLeastDraws = 200;
constexpr int kMostDraws = 4000;
// Batches a stage may draw in all; after the first, a batch is drawn (half
// the size, aimed at the types still short) in each round while the stage
// is not proven.
constexpr int kDrawBatches = 4;
constexpr double kBurstNoise = 0.05;
constexpr std::uint64_t kNoiseSeed = 0x5eed;
// A free type is settled when its multiplier is above this share of all
// free multipliers (complementary slackness says it is at the level).
constexpr double kSettleDual = 1e-9;

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

TypeDistribution weighted_panels(const std::vector<TypePanel>& panels, const std::vector<double>& weights) {
  TypeDistribution d;
  double total = 0.0;
  for (size_t j = 0; j < panels.size(); ++j) {
    if (weights[j] > 1e-12) {
      d.panels.push_back(panels[j]);
      d.weights.push_back(weights[j]);
      total += weights[j];
    }
  }
  for (double& w : d.weights) w /= total;
  return d;
}

std::vector<double> person_probabilities(const TypeModel& types, const std::vector<double>& type_probability) {
  std::vector<double> p(types.type_of.size());
  for (size_t i = 0; i < p.size(); ++i) p[i] = type_probability[static_cast<size_t>(types.type_of[i])];
  return p;
}

namespace {

// Fills in the figures every finished run reports.
template <typename Master>
void finish(LeximinResult& result, const TypeModel& types, const PanelOracle& oracle, const Master& master,
            size_t generated, const std::vector<int>& type_of_row) {
  result.type_probability = type_probabilities(types, result.distribution);
  result.oracle_calls = oracle.calls();
  result.lp_iterations = master.iterations();
  result.rejected_panels = oracle.invalid();
  result.panels_generated = static_cast<int>(generated);
  double lowest = 1.0;
  for (int t : type_of_row) lowest = std::min(lowest, result.type_probability[static_cast<size_t>(t)]);
  result.proven_gap = std::max(0.0, result.minimum_bound - lowest);
}

}  // namespace


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
  const unsigned threads = threads_or_every_core(options.threads);

  auto mip_start = Clock::now();
  std::vector<double> weight(static_cast<size_t>(T), 0.0);
  for (int t : type_of_row) weight[static_cast<size_t>(t)] = 1.0 / types.multiplicity(t);
  std::optional<TypePanel> first = oracle.best(weight);
  result.mip_seconds += seconds_since(mip_start);
  if (!first) return InvalidInput("no panel meets all the quotas");

  LeximinResult carried;  // the times and draws of a relaxation run that fell short
  std::vector<TypePanel> seeds;
  if (options.relaxation_first) {
    RelaxationRun by_relaxation = leximin_by_relaxation(problem, types, oracle, type_of_row, options);
    by_relaxation.result.mip_seconds += result.mip_seconds;
    if (by_relaxation.reached || by_relaxation.stopped) return std::move(by_relaxation.result);
    carried = std::move(by_relaxation.result);
    seeds = std::move(by_relaxation.seeds);
  }
  result.lp_seconds += carried.lp_seconds;
  result.mip_seconds += carried.mip_seconds;
  result.face_panels += carried.face_panels;

  MasterLp master(types, row_of, R);
  std::vector<TypePanel> panels;
  // The same panels stored sparsely: the types they take and how many.
  std::vector<std::vector<std::pair<int, int>>> members;
  std::set<TypePanel, PanelLess> seen;
  size_t generated = 0;  // panels ever put into the program
  auto add = [&](const TypePanel& p) {
    if (!seen.insert(p).second) return false;
    ++generated;
    panels.push_back(p);
    std::vector<std::pair<int, int>> m;
    for (int t : type_of_row) {
      if (p[static_cast<size_t>(t)] > 0) m.push_back({t, p[static_cast<size_t>(t)]});
    }
    members.push_back(std::move(m));
    master.add_panel(p);
    return true;
  };
  add(*first);
  for (const TypePanel& p : seeds) add(p);

  // Panels that take people of types no panel holds yet: it spares the LP
  // rounds in which the lowest probability is still zero. Called once the
  // first stage's draws are in, which on large pools leave few or none
  // (covering thousands of types by local search alone took minutes).
  auto cover_rest = [&]() {
    std::vector<bool> held(static_cast<size_t>(T), false);
    for (const auto& m : members) {
      for (const auto& [t, n] : m) held[static_cast<size_t>(t)] = true;
    }
    std::vector<int> open;
    for (int t : type_of_row) {
      if (!held[static_cast<size_t>(t)]) open.push_back(t);
    }
    if (open.empty()) return false;
    std::vector<bool> coverable;
    bool any = false;
    for (const TypePanel& p : oracle.cover(panels.front(), open, &coverable)) any = add(p) || any;
    return any;
  };

  std::vector<double> fixed_level(static_cast<size_t>(R), 0.0);
  // Each row's probability under the LP's current distribution.
  auto achieved = [&]() {
    std::vector<double> p(static_cast<size_t>(R), 0.0);
    for (size_t j = 0; j < panels.size(); ++j) {
      const double w = master.panel_weight(j);
      if (w <= 0.0) continue;
      for (const auto& [t, n] : members[j]) p[static_cast<size_t>(row_of[static_cast<size_t>(t)])] += w * n / types.multiplicity(t);
    }
    return p;
  };
  std::vector<double> centre;  // the stability centre: row multipliers with the best bound
  // The multipliers whose bound is this stage's best (stage_bound): the
  // certificate the stage's types are settled by.
  std::vector<double> proof;
  double centre_bound = std::numeric_limits<double>::infinity();
  const double stabilise = kSmoothing;
  std::vector<bool> fixed(static_cast<size_t>(R), false);
  int fixed_count = 0;
  LeximinProgress progress;
  progress.total_types = T;
  // Rows of types no panel can hold at all stay at zero: fix them first.
  double stage_bound = std::numeric_limits<double>::infinity();  // best bound on this stage's level
  int max_nodes = kFirstNodeLimit;
  bool first_stage = true;
  std::mt19937_64 noise(kNoiseSeed);
  FaceSearch face_search(problem, types);
  std::vector<double> relaxed_point;  // the relaxation's fractional panel, this stage
  bool draw_pending = false;          // this stage's panels not drawn yet
  // Panels that are best, or nearly, under the relaxation's multipliers:
  // the lottery that proves the level is made of such panels. From the
  // optimal face when CLP gives it (selection/face_search.h), otherwise by
  // local search under the multipliers shaken a little.
  PanelOracle::Face face;
  bool have_face = false;
  int draws_left = 0;  // batches of panels this stage may still draw
  auto draw = [&](const std::vector<double>* dual) {
    int fresh = 0;
    std::vector<double> w(static_cast<size_t>(T), 0.0);
    for (int r = 0; r < R; ++r) {
      const int t = type_of_row[static_cast<size_t>(r)];
      w[static_cast<size_t>(t)] = centre[static_cast<size_t>(r)] / types.multiplicity(t);
    }
    int open = 0;
    for (int r = 0; r < R; ++r) open += fixed[static_cast<size_t>(r)] ? 0 : 1;
    if (dual == nullptr) {
      have_face = relaxed_point.size() == static_cast<size_t>(T) && oracle.optimal_face(w, &face);
      draws_left = have_face ? kDrawBatches : 0;
    }
    if (have_face && draws_left > 0) {
      --draws_left;
      int count = std::clamp(kDrawsPerFreeType * open, kLeastDraws, kMostDraws);
      std::vector<double> rate = relaxed_point;
      if (dual != nullptr) {
        // Later batches favour the types the master's lottery is short of:
        // those whose dual value is positive, by their share of it.
        count /= 2;
        double sum = 0.0;
        for (int r = 0; r < R; ++r) sum += fixed[static_cast<size_t>(r)] ? 0.0 : std::max(0.0, (*dual)[static_cast<size_t>(r)]);
        for (int r = 0; r < R && sum > 0.0; ++r) {
          if (fixed[static_cast<size_t>(r)]) continue;
          const auto t = static_cast<size_t>(type_of_row[static_cast<size_t>(r)]);
          rate[t] *= 1.0 + std::max(0.0, (*dual)[static_cast<size_t>(r)]) * open / sum;
        }
      }
      for (const TypePanel& p : sample_face(face_search, face, rate, count, noise, kFaceSearchNodes, threads)) fresh += add(p) ? 1 : 0;
      result.face_panels += fresh;
    }
    if (fresh == 0 && dual == nullptr) {
      std::uniform_real_distribution<double> jitter(1.0 - kBurstNoise, 1.0 + kBurstNoise);
      std::vector<double> shaken(static_cast<size_t>(T), 0.0);
      for (int k = 0; k < kBurstPanels; ++k) {
        for (int t : type_of_row) shaken[static_cast<size_t>(t)] = w[static_cast<size_t>(t)] * (k == 0 ? 1.0 : jitter(noise));
        const TypePanel& from = panels[static_cast<size_t>(noise() % panels.size())];
        fresh += add(oracle.improve(shaken, from)) ? 1 : 0;
      }
    }
    if (first_stage && dual == nullptr && cover_rest()) ++fresh;
    return fresh > 0;
  };
  while (fixed_count < R) {
    if (centre.empty()) {
      // A new stage: the linear relaxation's own level bounds it from above
      // at once, and its multipliers are the natural stability centre (no
      // multipliers give a lower relaxation bound). Panels under them are
      // drawn in the first round that needs them.
      auto relax_start = Clock::now();
      std::vector<double> centre_dual;
      const double top = oracle.relaxed_level(type_of_row, fixed, fixed_level, &centre_dual, &relaxed_point);
      if (std::isfinite(top)) {
        centre = centre_dual;
        centre_bound = top;
        if (top < stage_bound) proof = centre_dual;
        stage_bound = std::min(stage_bound, top);
        draw_pending = true;
      }
      result.mip_seconds += seconds_since(relax_start);
    }
    auto lp_start = Clock::now();
    bool solved = master.solve();
    // Rarely CLP calls the fixed levels infeasible by a rounding hair: lower
    // them a little and retry.
    for (double slack = 1e-8; !solved && slack <= 1e-5; slack *= 10) {
      master.lower_levels(slack);
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
    // A copy: adding a column may move CLP's own array.
    const std::vector<double> dual(master.duals(), master.duals() + R + 1);
    // Multipliers: every row's dual value, floored at zero (any non-negative
    // multipliers give a valid bound; see bound_of below).
    double free_sum = 0.0;      // s: the free rows' multipliers
    double fixed_term = 0.0;    // sum over settled rows of multiplier * level
    for (int r = 0; r < R; ++r) {
      const double y = std::max(0.0, dual[r]);
      if (fixed[static_cast<size_t>(r)]) {
        fixed_term += y * fixed_level[static_cast<size_t>(r)];
      } else {
        free_sum += y;
      }
    }
    for (int t = 0; t < T; ++t) {
      int r = row_of[static_cast<size_t>(t)];
      weight[static_cast<size_t>(t)] = r < 0 ? 0.0 : std::max(0.0, dual[r]) / types.multiplicity(t);
    }
    auto value_of = [&](const TypePanel& p) {
      double v = 0.0;
      for (int t : type_of_row) v += weight[static_cast<size_t>(t)] * p[static_cast<size_t>(t)];
      return v;
    };
    // For every lottery over valid panels meeting the settled levels, with
    // probabilities p and lowest free probability z':
    //   s z' + fixed_term <= sum_r y_r p_r <= max over panels of value_of.
    // So (panel_bound - fixed_term) / s bounds the level this stage can reach.
    auto bound_of = [&](double panel_bound) {
      return free_sum > 0.0 ? (panel_bound - fixed_term) / free_sum : std::numeric_limits<double>::infinity();
    };
    // An upper bound on the stage's level from these multipliers: when it is
    // the best so far, they become the proof the stage is settled by.
    auto prove = [&](double bound) {
      if (bound < stage_bound) {
        stage_bound = bound;
        proof.assign(static_cast<size_t>(R), 0.0);
        for (int r = 0; r < R; ++r) proof[static_cast<size_t>(r)] = std::max(0.0, dual[r]);
      }
    };
    const double pi = -dual[R];
    // A panel is worth adding when it beats the convexity price by a share
    // of the tolerance: below that, even the best panel could not lift the
    // level by more than the tolerance.
    const double bar = pi + 0.25 * options.tolerance * std::max(free_sum, 1e-12);
    bool stage_done = false;
    mip_start = Clock::now();
    // 1. The linear relaxation of the panel program: a cheap bound.
    bool added = false;
    std::optional<TypePanel> whole;  // the relaxation's answer, when whole
    const double relaxed = oracle.relaxation_bound(weight, &whole);
    prove(bound_of(relaxed));
    if (whole && value_of(*whole) > bar) added = add(*whole);
    if (stage_bound - z <= options.tolerance) {
      stage_done = true;
      ++result.relaxation_proofs;
    }
    // The multipliers with the best bound so far are the stability centre.
    {
      const double here = bound_of(relaxed);
      if (centre.empty() || here < centre_bound) {
        centre.assign(static_cast<size_t>(R), 0.0);
        for (int r = 0; r < R; ++r) centre[static_cast<size_t>(r)] = std::max(0.0, dual[r]);
        centre_bound = here;
      }
    }
    // 2. Once a stage, when the panels known do not reach the relaxation's
    // level at once: panels drawn from its optimal face.
    bool drawn = false;
    if (!stage_done && draw_pending) {
      draw_pending = false;
      drawn = draw(nullptr);
      added = added || drawn;
    } else if (!stage_done && draws_left > 0 && stage_bound - z > options.tolerance) {
      drawn = draw(&dual);
      added = added || drawn;
    }
    if (!stage_done && !drawn) {
      // 3. Local search from the best few known panels, first under
      // stabilised weights (Wentges: between the best-bound centre and the
      // current duals, which damps the oscillation of LP duals that makes
      // column generation tail off), then under the current duals.
      auto search = [&](const std::vector<double>& w) {
        std::vector<double> score(panels.size(), 0.0);
        for (size_t j = 0; j < panels.size(); ++j) {
          for (const auto& [t, n] : members[j]) score[j] += w[static_cast<size_t>(t)] * n;
        }
        bool any = false;
        for (const TypePanel& p : oracle.improve_best(w, panels, score, kLocalSearchStarts, threads)) {
          if (value_of(p) > bar && add(p)) any = true;
        }
        return any;
      };
      if (stabilise > 0.0) {
        std::vector<double> mixed(weight.size(), 0.0);
        std::vector<double> mixed_rows(static_cast<size_t>(R));
        for (int r = 0; r < R; ++r) {
          mixed_rows[static_cast<size_t>(r)] =
              stabilise * centre[static_cast<size_t>(r)] + (1 - stabilise) * std::max(0.0, dual[r]);
        }
        for (int t : type_of_row) {
          mixed[static_cast<size_t>(t)] = mixed_rows[static_cast<size_t>(row_of[static_cast<size_t>(t)])] / types.multiplicity(t);
        }
        if (search(mixed)) added = true;
      }
      if (!added && search(weight)) added = true;
      if (stage_bound - z <= options.tolerance) stage_done = true;
    }
    if (!stage_done && !added) {
      // 4. The integer program: it finds a panel above the bar, or proves
      // (by its bound, even when stopped at the node limit) how far the
      // level can still rise.
      PanelOracle::Priced priced = oracle.price(weight, bar, max_nodes, nullptr);
      if (priced.panel && value_of(*priced.panel) > bar && add(*priced.panel)) added = true;
      for (const auto& p : priced.others) {
        if (value_of(p) > bar && add(p)) added = true;
      }
      prove(bound_of(std::min(relaxed, priced.bound)));
      if (!added) {
        if (stage_bound - z <= options.tolerance) {
          stage_done = true;
          ++result.integer_proofs;
        } else if (!priced.finished) {
          max_nodes *= 4;  // the bound is not tight enough yet: search longer
        } else {
          // CBC finished, found nothing above the bar, yet its bound is not
          // within tolerance: only possible through numerical trouble.
          stage_done = true;
          ++result.integer_proofs;
        }
      }
    }
    result.mip_seconds += seconds_since(mip_start);
    progress.panels = static_cast<int>(panels.size());
    progress.level = z;
    progress.gap = std::isfinite(stage_bound) ? std::max(0.0, stage_bound - z) : -1.0;
    progress.lp_seconds = result.lp_seconds;
    progress.mip_seconds = result.mip_seconds;
    progress.lp_iterations = master.iterations();
    ++progress.lp_solves;
    if (stage_done) {
      const double gap = std::max(0.0, stage_bound - z);
      if (first_stage) {
        result.minimum_bound = std::min(1.0, stage_bound);
      } else {
        result.largest_stage_gap = std::max(result.largest_stage_gap, gap);
      }
      ++result.stages;
      progress.stage = result.stages;
      if (options.first_level_only) {
        // MAXIMIN: the lowest level is proven; the distribution is the
        // master's as it stands.
        first_stage = false;
        if (options.progress) options.progress(progress);
        break;
      }
      // The types whose multiplier in the proof is positive cannot rise
      // above this level (within the gap): any lottery in which every free
      // type has at least the level and one of them more would give the
      // multipliers more than the bound. Not the master's own duals: when
      // the stage is proven by a bound from other multipliers, the master's
      // duals need not price every panel, so they prove nothing.
      if (proof.size() != static_cast<size_t>(R)) {
        proof.assign(static_cast<size_t>(R), 0.0);
        for (int r = 0; r < R; ++r) proof[static_cast<size_t>(r)] = std::max(0.0, dual[r]);
      }
      std::vector<int> newly;
      double proof_sum = 0.0;
      for (int r = 0; r < R; ++r) {
        if (!fixed[static_cast<size_t>(r)]) proof_sum += proof[static_cast<size_t>(r)];
      }
      // With a gap left, a positive multiplier says only that the type is
      // within the gap of the level in a best lottery: a type the master's
      // lottery already lifts further above the level than the gap is not
      // settled yet.
      const std::vector<double> at = achieved();
      const double above = std::max(stage_bound - z, 1e-9);
      for (int r = 0; r < R; ++r) {
        if (!fixed[static_cast<size_t>(r)] && proof[static_cast<size_t>(r)] > kSettleDual * proof_sum &&
            at[static_cast<size_t>(r)] <= z + above) {
          newly.push_back(r);
        }
      }
      if (newly.empty()) {
        // Numerically flat duals: fix the free types the current panels
        // give the least (at most the level, or the lowest among them).
        const std::vector<double> p = achieved();
        double lowest = std::numeric_limits<double>::infinity();
        for (int r = 0; r < R; ++r) {
          if (!fixed[static_cast<size_t>(r)]) lowest = std::min(lowest, p[static_cast<size_t>(r)]);
        }
        for (int r = 0; r < R; ++r) {
          if (!fixed[static_cast<size_t>(r)] && p[static_cast<size_t>(r)] <= std::max(z, lowest) + 1e-9) newly.push_back(r);
        }
        if (newly.empty()) return Internal("LEXIMIN made no progress (numerical trouble)");
      }
      // Fix them at the level the current panels actually reach (never above
      // z; the lowest of them, as they share the stage's column), less
      // kFixSlack. Fixing exactly at the optimum leaves the next LP
      // degenerate, with huge, meaningless dual values on the fixed rows;
      // a little room keeps the duals honest and the LP feasible despite
      // solver tolerances.
      const std::vector<double> reached = achieved();
      // Never above the stage's proven bound either: when the LP's lottery
      // is above it, it is only by holding the settled levels within CLP's
      // tolerance rather than exactly, and a level settled there could not
      // be met exactly with the others.
      double level = std::min(z, stage_bound);
      for (int r : newly) level = std::min(level, reached[static_cast<size_t>(r)]);
      level = std::max(0.0, level - kFixSlack);
      for (int r : newly) fixed[static_cast<size_t>(r)] = true;
      std::vector<int> still_free;
      for (int r = 0; r < R; ++r) {
        if (!fixed[static_cast<size_t>(r)]) still_free.push_back(r);
      }
      level = master.settle(newly, still_free, level);
      for (int r : newly) fixed_level[static_cast<size_t>(r)] = level;
      fixed_count += static_cast<int>(newly.size());
      centre.clear();
      centre_bound = std::numeric_limits<double>::infinity();
      stage_bound = std::numeric_limits<double>::infinity();
      proof.clear();
      max_nodes = kFirstNodeLimit;
      first_stage = false;
      progress.fixed_types = fixed_count;
      progress.gap = -1.0;
    }
    if (options.progress) options.progress(progress);
  }
  if (first_stage) result.minimum_bound = std::min(1.0, stage_bound);
  // MAXIMIN keeps the master's distribution as it stands: nothing was
  // settled. Otherwise every level is settled, each kFixSlack below what
  // was reached; give that back where the panels allow (they always do for
  // the exact optimum).
  std::vector<double> weights(panels.size());
  for (size_t j = 0; j < panels.size(); ++j) weights[j] = master.panel_weight(j);
  // A run stopped early keeps the lottery it has: lifting back the 1e-7 is
  // not worth another solve of a large program past the time limit.
  if (!options.first_level_only && result.complete) {
    auto lp_start = Clock::now();
    master.lift_all(kFixSlack);
    // When CLP cannot finish this last program (it has happened on large
    // pools stopped by the time limit), the lottery before it stands: it
    // meets every quota and every settled level less kFixSlack.
    if (master.solve()) {
      for (size_t j = 0; j < panels.size(); ++j) weights[j] = master.panel_weight(j);
    }
    result.lp_seconds += seconds_since(lp_start);
  }
  result.distribution = weighted_panels(panels, weights);
  finish(result, types, oracle, master, generated, type_of_row);
  return result;
}

}  // namespace coproduce::selection
