#include "selection/select.h"

#include <algorithm>
#include <chrono>

#include "core/clock.h"
#include "selection/nash.h"
#include "selection/panel_oracle.h"
#include "selection/types.h"

namespace coproduce::selection {

namespace {

using Clock = std::chrono::steady_clock;


Status infeasible(const Problem& problem, const TypeModel& types, Diagnosis* out) {
  Diagnosis d = diagnose(problem, types);
  std::string message = "no panel can meet all the quotas.";
  for (const auto& c : d.conflicts) message += "\n  - " + c;
  if (d.relaxation_found) {
    message += "\nThe smallest change that makes a panel possible:";
    for (const auto& line : describe(problem, d.relaxation)) message += "\n  - " + line;
  } else {
    message += "\nNo change within min_flex and max_flex makes a panel possible.";
  }
  if (out != nullptr) *out = std::move(d);
  return InvalidInput(message);
}

}  // namespace

const char* algorithm_name(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kLeximin: return "leximin";
    case Algorithm::kMaximin: return "maximin";
    case Algorithm::kNash: return "nash";
    case Algorithm::kLegacy: return "legacy";
  }
  return "leximin";
}

const char* algorithm_title(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kLeximin: return "LEXIMIN";
    case Algorithm::kMaximin: return "MAXIMIN";
    case Algorithm::kNash: return "Nash welfare";
    case Algorithm::kLegacy: return "LEGACY";
  }
  return "LEXIMIN";
}

std::optional<Algorithm> parse_algorithm(std::string_view name) {
  for (Algorithm a : {Algorithm::kLeximin, Algorithm::kMaximin, Algorithm::kNash, Algorithm::kLegacy}) {
    if (name == algorithm_name(a)) return a;
  }
  return std::nullopt;
}

bool is_optimising(Algorithm algorithm) { return algorithm != Algorithm::kLegacy; }

const char* proven_by(const SelectOutcome& outcome) {
  if (!is_optimising(outcome.algorithm)) return "none";
  return outcome.by_relaxation ? "relaxation" : "column generation";
}

StatusOr<SelectOutcome> run_selection(const Problem& problem, const SelectOptions& options, Diagnosis* diagnosis) {
  const auto start = Clock::now();
  SelectOutcome out;
  out.algorithm = options.algorithm;
  out.seed = options.seed;
  Random random(options.seed);

  auto phase = Clock::now();
  const TypeModel types = group_types(problem);
  out.types = types.size();
  out.seconds.types = seconds_since(phase);

  if (options.lottery < 0) return InvalidInput("--lottery must be 1 or more");
  if (options.draw != 0 && options.lottery == 0) return InvalidInput("--draw needs --lottery");
  if (options.draw < 0 || options.draw > options.lottery) {
    return InvalidInput("--draw must be a panel number from 1 to " + std::to_string(options.lottery));
  }

  phase = Clock::now();
  if (is_optimising(options.algorithm)) {
    StatusOr<LeximinResult> result = InvalidInput("");
    if (options.algorithm == Algorithm::kNash) {
      NashOptions no;
      no.progress = options.progress;
      no.should_stop = options.should_stop;
      if (options.tolerance > 0) no.tolerance = options.tolerance;
      result = nash_welfare(problem, types, no);
    } else {
      LeximinOptions lo;
      lo.progress = options.progress;
      lo.should_stop = options.should_stop;
      lo.first_level_only = options.algorithm == Algorithm::kMaximin;
      if (options.tolerance > 0) lo.tolerance = options.tolerance;
      // Tickets are rounded from the lottery's panels, and an integer
      // program rounds a few thousand panels far better than tens of
      // thousands: with a lottery, the simplex's sparse corner is worth its
      // time wherever it finishes (decision 1002).
      if (options.lottery > 0) lo.most_simplex_rows = kMostSimplexRowsForTickets;
      result = leximin(problem, types, lo);
    }
    if (!result.ok()) {
      if (result.status().code() == StatusCode::kInvalidInput) return infeasible(problem, types, diagnosis);
      return result.status();
    }
    out.seconds.algorithm = seconds_since(phase);
    out.seconds.lp = result->lp_seconds;
    out.seconds.mip = result->mip_seconds;
    out.stages = result->stages;
    out.leximin_complete = result->complete;
    out.oracle_calls = result->oracle_calls;
    out.panels_generated = result->panels_generated;
    out.face_panels = result->face_panels;
    out.proven_gap = result->proven_gap;
    out.by_relaxation = result->by_relaxation;
    out.panels_kept = static_cast<int>(result->distribution.panels.size());
    out.probability = person_probabilities(types, result->type_probability);
    {
      std::vector<double> levels = out.probability;
      std::sort(levels.begin(), levels.end());
      for (size_t i = 0; i < levels.size(); ++i) {
        if (i == 0 || levels[i] - levels[i - 1] > 1e-9) ++out.probability_levels;
      }
    }
    if (auto exact = expand_exact(types, result->distribution, options.max_distribution_panels)) {
      out.distribution = std::move(*exact);
    } else {
      out.distribution = expand_representative(types, result->distribution);
      out.distribution_exact = false;
    }
    if (options.lottery > 0) {
      phase = Clock::now();
      StatusOr<Lottery> lottery =
          round_to_lottery(problem, types, result->distribution, out.probability, options.lottery,
                           options.lottery_seconds);
      if (!lottery.ok()) return lottery.status();
      out.lottery = std::move(*lottery);
      out.ticket = options.draw > 0 ? options.draw
                                    : 1 + static_cast<int>(random.below(static_cast<std::uint64_t>(options.lottery)));
      out.selected = out.lottery->tickets[static_cast<size_t>(out.ticket - 1)];
      out.seconds.lottery = seconds_since(phase);
    } else {
      out.selected = draw_panel(types, result->distribution, random);
    }
  } else {
    if (options.lottery > 0) {
      return InvalidInput("the lottery (--lottery) works with the leximin, maximin and nash algorithms, not legacy");
    }
    PanelOracle oracle(problem, types);
    std::vector<double> zero(static_cast<size_t>(types.size()), 0.0);
    if (!oracle.best(zero)) return infeasible(problem, types, diagnosis);
    StatusOr<Panel> panel = legacy_draw(problem, random);
    if (!panel.ok()) return panel.status();
    out.selected = *panel;
    const int draws = std::max(options.legacy_draws, 1000);
    StatusOr<LegacyEstimate> estimate = legacy_estimate(problem, random, draws);
    if (!estimate.ok()) return estimate.status();
    out.probability = estimate->probability;
    out.distribution = estimate->empirical;
    out.legacy = std::move(*estimate);
    out.seconds.algorithm = seconds_since(phase);
  }
  out.fairness = fairness(out.probability);

  if (options.legacy_draws > 0 && is_optimising(options.algorithm)) {
    phase = Clock::now();
    // A stream of its own, so asking for the comparison never changes the panel.
    Random legacy_random(options.seed ^ 0x9E3779B97F4A7C15ULL);
    StatusOr<LegacyEstimate> estimate = legacy_estimate(problem, legacy_random, options.legacy_draws);
    if (estimate.ok()) out.legacy = std::move(*estimate);
    out.seconds.legacy = seconds_since(phase);
  }
  if (out.legacy) out.legacy_fairness = fairness(out.legacy->probability);

  out.panels_containing.assign(problem.people.size(), 0);
  for (const auto& panel : out.distribution.panels) {
    for (int p : panel) ++out.panels_containing[static_cast<size_t>(p)];
  }
  out.seconds.total = seconds_since(start);
  return out;
}

}  // namespace coproduce::selection
