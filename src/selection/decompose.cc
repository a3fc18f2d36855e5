#include "selection/decompose.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <set>

#include "core/clock.h"
#include "core/parallel.h"
#include "selection/interior.h"
#include "selection/panel_lp.h"

namespace coproduce::selection {

namespace {

using Clock = std::chrono::steady_clock;

// relaxed_level() adds this to the level it returns, to make it a bound.
constexpr double kBoundMargin = 1e-7;
// A level is settled this far below the relaxation's optimum, so the next
// stage stays feasible despite CLP's tolerances.
constexpr double kSettleSlack = 1e-8;
// A free type is settled when its multiplier is above this share of all.
constexpr double kSettleDual = 1e-9;
// A bound or rule within this many counts of the point is tight on its face
// (CLP's own feasibility tolerance).
constexpr double kTight = 1e-7;
// A shortfall this small is CLP's tolerance, not a gap: no more draws.
constexpr double kReached = 1e-7;

// Draws: a batch of this many per type, within these bounds.
constexpr int kLeastBatch = 500;
constexpr int kMostBatch = 4000;
// Rounds that tune each type's chance before the first linear program, and
// rounds after it aimed at the types still short. The first program weighs
// the tuning rounds' draws and one more batch.
constexpr int kTuningRounds = 6;
constexpr int kAimedRounds = 6;
// How far one round may move a type's chance either way.
constexpr double kMostTune = 4.0;
// The steps the interior point method may take in one weighing.
constexpr int kInteriorSteps = 80;
constexpr std::uint64_t kDrawSeed = 0xface;

// The linear program that weighs the panels found: the largest shortfall d
// of a type's probability below its target, minimised. Row r:
//   sum_P a[P][r] x_P + d >= target[r];  the last row: sum_P x_P = 1.
class TargetLp : public PanelLp {
 public:
  TargetLp(const TypeModel& types, const std::vector<int>& row_of, const std::vector<double>& target)
      : PanelLp(types, row_of, target, 1.0, 1.0), rows_(static_cast<int>(target.size())) {}

  double shortfall() const { return lp_.primalColumnSolution()[0]; }
  // The weight of the j-th panel added, in the last solution.
  double weight(size_t j) const { return lp_.primalColumnSolution()[j + 1]; }
  // Each row's dual value, floored at zero: positive on the rows short.
  std::vector<double> duals() const {
    std::vector<double> y(lp_.dualRowSolution(), lp_.dualRowSolution() + rows_);
    for (double& v : y) v = std::max(0.0, v);
    return y;
  }

 private:
  int rows_;
};

}  // namespace

RelaxedLeximin relaxed_leximin(PanelOracle& oracle, const TypeModel& types, const std::vector<int>& rows) {
  RelaxedLeximin out;
  const size_t R = rows.size();
  std::vector<bool> settled(R, false);
  std::vector<double> level(R, 0.0);
  size_t left = R;
  std::vector<double> dual;
  std::vector<double> point;
  while (left > 0) {
    double top = oracle.relaxed_level(rows, settled, level, &dual, &point);
    // Rarely CLP calls the settled levels infeasible by a rounding hair:
    // lower them a little and retry.
    for (double cut = 1e-9; !std::isfinite(top) && cut <= 1e-6; cut *= 10) {
      for (size_t r = 0; r < R; ++r) {
        if (settled[r]) level[r] = std::max(0.0, level[r] - cut);
      }
      top = oracle.relaxed_level(rows, settled, level, &dual, &point);
    }
    if (!std::isfinite(top)) return out;
    if (out.stages == 0) out.minimum_bound = std::min(1.0, top);
    const double z = top - kBoundMargin;
    // A free type with a positive multiplier cannot rise above z in any
    // fractional panel that keeps the others at z or above (complementary
    // slackness; these multipliers are optimal, not a column generation's).
    double sum = 0.0;
    for (size_t r = 0; r < R; ++r) {
      if (!settled[r]) sum += dual[r];
    }
    std::vector<size_t> newly;
    for (size_t r = 0; r < R; ++r) {
      if (!settled[r] && dual[r] > kSettleDual * sum) newly.push_back(r);
    }
    if (newly.empty()) {
      // Flat multipliers (every free type at the most it can have, say):
      // settle the types the point holds at the level.
      for (size_t r = 0; r < R; ++r) {
        const int t = rows[r];
        if (!settled[r] && point[static_cast<size_t>(t)] / types.multiplicity(t) <= z + kBoundMargin) {
          newly.push_back(r);
        }
      }
      if (newly.empty()) return out;
    }
    for (size_t r : newly) {
      settled[r] = true;
      level[r] = std::max(0.0, z - kSettleSlack);
    }
    left -= newly.size();
    ++out.stages;
  }
  if (R == 0) {
    // Every count is forced: the point is the one panel there is.
    point.assign(static_cast<size_t>(types.size()), 0.0);
    for (int t = 0; t < types.size(); ++t) point[static_cast<size_t>(t)] = types.lower[static_cast<size_t>(t)];
  }
  out.point = std::move(point);
  out.ok = true;
  return out;
}

PanelOracle::Face face_at(const FaceSearch& search, const TypeModel& types, const std::vector<double>& point,
                          double tight) {
  PanelOracle::Face face;
  face.type_lo = types.lower;
  face.type_hi = types.upper;
  for (size_t t = 0; t < point.size(); ++t) {
    if (point[t] - types.lower[t] <= tight) {
      face.type_hi[t] = types.lower[t];
    } else if (types.upper[t] - point[t] <= tight) {
      face.type_lo[t] = types.upper[t];
    }
  }
  for (const PanelRow& rule : search.rows()) {
    double total = 0.0;
    for (int t : rule.types) total += point[static_cast<size_t>(t)];
    int lo = rule.lo;
    int hi = rule.hi;
    if (total - rule.lo <= tight) {
      hi = rule.lo;
    } else if (rule.hi - total <= tight) {
      lo = rule.hi;
    }
    face.row_lo.push_back(lo);
    face.row_hi.push_back(hi);
  }
  return face;
}

RelaxationRun leximin_by_relaxation(const Problem& problem, const TypeModel& types, PanelOracle& oracle,
                                    const std::vector<int>& rows, const LeximinOptions& options) {
  RelaxationRun run;
  LeximinResult& result = run.result;
  const int T = types.size();
  const int R = static_cast<int>(rows.size());
  const unsigned threads = threads_or_every_core(options.threads);

  auto lp_start = Clock::now();
  const RelaxedLeximin relaxed = relaxed_leximin(oracle, types, rows);
  result.lp_seconds += seconds_since(lp_start);
  if (!relaxed.ok) return run;
  // The target: each row's probability in the relaxation's LEXIMIN.
  std::vector<int> row_of(static_cast<size_t>(T), -1);
  std::vector<double> target(static_cast<size_t>(R));
  for (int r = 0; r < R; ++r) {
    const int t = rows[static_cast<size_t>(r)];
    row_of[static_cast<size_t>(t)] = r;
    target[static_cast<size_t>(r)] = relaxed.point[static_cast<size_t>(t)] / types.multiplicity(t);
  }

  FaceSearch search(problem, types);
  const PanelOracle::Face face = face_at(search, types, relaxed.point, kTight);
  // Past LeximinOptions::most_simplex_rows, a simplex basis of thousands of
  // dense panel columns costs too much to factorise (over 15 minutes for
  // 26,000 draws over 4,613 rows, decision 1002): the interior point method
  // weighs the draws instead.
  const bool interior = R > options.most_simplex_rows;
  TargetLp lp(types, row_of, target);
  InteriorWeights dense(target, threads);
  // Each panel once, in the order drawn (pointers into `seen`, whose
  // elements stay put: the panels are stored once, not twice).
  std::set<TypePanel> seen;
  std::vector<const TypePanel*> panels;
  std::mt19937_64 random(kDrawSeed);
  // Each type's chance in the draws (the rate of its exponential race; see
  // sample_face), tuned round by round.
  std::vector<double> rate = relaxed.point;
  const int batch = std::clamp(T, kLeastBatch, kMostBatch);
  LeximinProgress progress;
  progress.total_types = T;
  auto stop = [&] { return options.should_stop && options.should_stop(); };

  // Draws `count` panels at the rates `aim`, keeps the new ones, and tunes
  // `rate` so the next draws average nearer the point: a type drawn less
  // than the point holds it comes up more often, and the other way round.
  auto draw = [&](const std::vector<double>& aim, int count, bool tune) {
    auto start = Clock::now();
    const std::vector<TypePanel> drawn = sample_face(search, face, aim, count, random, kFaceSearchNodes, threads);
    std::vector<double> average(static_cast<size_t>(T), 0.0);
    for (const TypePanel& p : drawn) {
      for (int t = 0; t < T; ++t) average[static_cast<size_t>(t)] += p[static_cast<size_t>(t)];
      if (const auto [at, fresh] = seen.insert(p); fresh) {
        panels.push_back(&*at);
        if (interior) {
          std::vector<int> index;
          std::vector<double> value;
          panel_column(types, row_of, p, &index, &value);
          dense.add(index, value);
        } else {
          lp.add_panel(p);
        }
        ++result.face_panels;
      }
    }
    if (tune && !drawn.empty()) {
      for (int t : rows) {
        const auto i = static_cast<size_t>(t);
        const double mean = average[i] / static_cast<double>(drawn.size());
        const double want = relaxed.point[i];
        rate[i] *= mean > 0.0 ? std::clamp(want / mean, 1.0 / kMostTune, kMostTune) : kMostTune;
      }
    }
    result.mip_seconds += seconds_since(start);
    return !drawn.empty();
  };

  auto weight = [&](size_t j) { return interior ? dense.weights()[j] : lp.weight(j); };
  // Each row's probability under the current weights (the interior point
  // method keeps them).
  auto achieved = [&]() {
    if (interior) return dense.achieved();
    std::vector<double> p(static_cast<size_t>(R), 0.0);
    for (size_t j = 0; j < panels.size(); ++j) {
      const double w = weight(j);
      if (w <= 0.0) continue;
      for (int r = 0; r < R; ++r) {
        const int t = rows[static_cast<size_t>(r)];
        p[static_cast<size_t>(r)] += w * (*panels[j])[static_cast<size_t>(t)] / types.multiplicity(t);
      }
    }
    return p;
  };

  double shortfall = std::numeric_limits<double>::infinity();
  bool solved_once = false;
  for (int round = 0; round < kTuningRounds + kAimedRounds + 1; ++round) {
    if (stop()) {
      run.stopped = solved_once;
      break;
    }
    std::vector<double> aim = rate;
    const bool tuning = round < kTuningRounds;
    if (!tuning && solved_once) {
      // Aim at the types the weighed panels leave short: those with a
      // positive dual value, up to twice as often for the most short.
      std::vector<double> y = interior ? dense.duals() : lp.duals();
      for (double& v : y) v = std::max(0.0, v);
      const double most = R == 0 ? 0.0 : *std::max_element(y.begin(), y.end());
      for (int r = 0; r < R && most > 0.0; ++r) {
        aim[static_cast<size_t>(rows[static_cast<size_t>(r)])] *= 1.0 + y[static_cast<size_t>(r)] / most;
      }
    }
    const bool any = draw(aim, batch, tuning);
    if (round == 0 && !any && panels.empty()) break;  // no whole panel on the face
    if (round < kTuningRounds) {
      progress.panels = static_cast<int>(panels.size());
      progress.mip_seconds = result.mip_seconds;
      progress.lp_seconds = result.lp_seconds;
      if (options.progress) options.progress(progress);
      continue;
    }
    lp_start = Clock::now();
    // The interior point method stops once the tolerance is met: its
    // weights are checked, not trusted (InteriorWeights::shortfall).
    const bool solved = interior ? dense.solve(std::max(options.tolerance, kReached), kInteriorSteps) : lp.solve();
    result.lp_seconds += seconds_since(lp_start);
    if (!solved) break;
    solved_once = true;
    shortfall = interior ? dense.shortfall() : lp.shortfall();
    progress.panels = static_cast<int>(panels.size());
    {
      // A type counts as settled once it has its chance in the
      // relaxation's LEXIMIN, within the tolerance.
      const std::vector<double> p = achieved();
      progress.level = R == 0 ? 1.0 : *std::min_element(p.begin(), p.end());
      progress.fixed_types = T - R;
      for (int r = 0; r < R; ++r) {
        if (target[static_cast<size_t>(r)] - p[static_cast<size_t>(r)] <= options.tolerance) ++progress.fixed_types;
      }
    }
    progress.gap = std::max(0.0, relaxed.minimum_bound - progress.level);
    progress.lp_seconds = result.lp_seconds;
    progress.mip_seconds = result.mip_seconds;
    progress.lp_iterations = interior ? dense.steps() : lp.iterations();
    ++progress.lp_solves;
    if (shortfall <= (interior ? std::max(options.tolerance, kReached) : kReached)) break;
    if (options.progress) options.progress(progress);
  }
  if (!solved_once) return run;

  // The panels with weight, and their weights.
  std::vector<TypePanel> weighed;
  std::vector<double> weights;
  for (size_t j = 0; j < panels.size(); ++j) {
    if (weight(j) <= 1e-12) continue;
    weighed.push_back(*panels[j]);
    weights.push_back(weight(j));
  }
  run.reached = !run.stopped && shortfall <= std::max(options.tolerance, kReached);
  if (!run.reached && !run.stopped) {
    // Column generation starts from the heaviest panels: no more than its
    // basis can hold (the interior point method weighs every panel).
    if (weighed.size() > static_cast<size_t>(R) + 1) {
      std::vector<size_t> order(weighed.size());
      for (size_t j = 0; j < order.size(); ++j) order[j] = j;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return weights[a] > weights[b]; });
      order.resize(static_cast<size_t>(R) + 1);
      for (size_t j : order) run.seeds.push_back(std::move(weighed[j]));
    } else {
      run.seeds = std::move(weighed);
    }
    return run;
  }
  result.distribution = weighted_panels(weighed, weights);
  result.type_probability = type_probabilities(types, result.distribution);
  result.complete = run.reached;
  result.stages = options.first_level_only ? 1 : relaxed.stages;
  result.relaxation_proofs = result.stages;
  result.minimum_bound = relaxed.minimum_bound;
  double low = 1.0;
  double short_most = 0.0;
  for (int r = 0; r < R; ++r) {
    const int t = rows[static_cast<size_t>(r)];
    const double p = result.type_probability[static_cast<size_t>(t)];
    low = std::min(low, p);
    short_most = std::max(short_most, target[static_cast<size_t>(r)] - p);
  }
  result.proven_gap = std::max(0.0, result.minimum_bound - low);
  result.largest_stage_gap = short_most;
  result.panels_generated = static_cast<int>(panels.size());
  result.lp_iterations = interior ? dense.steps() : lp.iterations();
  result.oracle_calls = oracle.calls();
  result.by_relaxation = run.reached;
  progress.stage = result.stages;
  progress.fixed_types = run.reached ? T : 0;
  progress.level = low;
  progress.gap = result.proven_gap;
  if (options.progress) options.progress(progress);
  return run;
}

}  // namespace coproduce::selection
