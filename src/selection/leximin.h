// LEXIMIN: the fairest lottery over panels that meet the quotas.
//
// Among all probability distributions over valid panels, LEXIMIN maximises
// the smallest selection probability anyone has, then the second smallest,
// and so on (Flanigan, Goelz, Gupta, Hennig and Procaccia, Nature 596, 2021).
//
// How: first through the linear relaxation (selection/decompose.h): the
// fairest fractional panel, then whole panels that average to it; when they
// reach it, every level is proven at once. Otherwise (or above 3,000 types),
// column generation over the types of selection/types.h (details and
// the bound that proves each level: docs/decisions/1000-selection-at-scale.md). A linear
// program (COIN-OR CLP) holds the panels found so far and maximises the
// lowest probability z among the types not yet fixed; its dual values price
// a new panel through the integer program of selection/panel_oracle.h (CBC).
// When no panel improves z, the types with a positive dual value cannot rise
// above z in any optimal distribution, so they are fixed at z and the next
// level is raised. Every LP after the first starts from the previous basis.
//
// Single-threaded; not thread-safe (CLP and CBC are not).
#ifndef COPRODUCE_SELECTION_LEXIMIN_H_
#define COPRODUCE_SELECTION_LEXIMIN_H_

#include <functional>
#include <vector>

#include "core/status.h"
#include "selection/model.h"
#include "selection/types.h"

namespace coproduce::selection {

struct LeximinProgress {
  int stage = 0;        // how many levels have been fixed so far
  int fixed_types = 0;  // types whose probability is final
  int total_types = 0;
  int panels = 0;       // panels in the linear program
  double level = 0.0;   // the lowest probability being raised now
  double lp_seconds = 0.0;   // time so far in linear programs
  double mip_seconds = 0.0;  // time so far finding panels
  long lp_iterations = 0;    // simplex pivots so far
  int lp_solves = 0;         // linear programs solved so far
  // The largest gap still possible between the level being raised and the
  // best it can reach, by the bound of the last round; negative when no
  // bound has been computed yet in this stage.
  double gap = -1.0;
};

struct LeximinOptions {
  // Called after every round of column generation; may be empty.
  std::function<void(const LeximinProgress&)> progress;
  // A level is settled once the run has proved it is at most this far below
  // the best it can reach (an absolute probability). See
  // docs/decisions/1000-selection-at-scale.md for the bound.
  double tolerance = 1e-6;
  // Stop after the first level: MAXIMIN instead of LEXIMIN.
  bool first_level_only = false;
  // Asked between rounds; when it returns true the engine stops and returns
  // the lottery it has (valid, but LEXIMIN not proven). May be empty.
  std::function<bool()> should_stop;
  // Threads for the panel search; 0: one per core. The lottery does not
  // depend on it.
  unsigned threads = 0;
  // Try the relaxation's LEXIMIN first (selection/decompose.h) and use
  // column generation only when no lottery reaches it. Off: column
  // generation alone (tests compare the two).
  bool relaxation_first = true;
  // Up to this many types whose count can vary, the simplex weighs the
  // panels drawn for the relaxation: an exact corner, few panels, and quick
  // at that size. Past it, the interior point method of
  // selection/interior.h: three to seven times quicker on pools of
  // hundreds to thousands of kinds of people, and the only one of the two
  // that weighs 4,613 kinds in minutes (decision 1002). Tests set 0 to use
  // it on small pools.
  int most_simplex_rows = 400;
};

// most_simplex_rows when the lottery is to be rounded to tickets: up to
// this many, the simplex still finishes in minutes (2,201 in about 65 s),
// and its lottery has no more panels than rows.
constexpr int kMostSimplexRowsForTickets = 3000;

// A distribution over panels given as counts per type.
struct TypeDistribution {
  std::vector<TypePanel> panels;
  std::vector<double> weights;  // sums to 1
};

struct LeximinResult {
  TypeDistribution distribution;
  std::vector<double> type_probability;  // per type: each member's probability
  int stages = 0;
  int oracle_calls = 0;
  int panels_generated = 0;
  long lp_iterations = 0;  // simplex pivots over all LP solves
  int rejected_panels = 0;  // CBC answers that broke a rule when rounded
  bool complete = true;     // false when should_stop ended the run early
  // An upper bound, computed by the run, on the smallest probability any
  // lottery can give; minus the smallest probability reached, it is the
  // proven gap of the minimum.
  double minimum_bound = 1.0;
  double proven_gap = 0.0;
  double largest_stage_gap = 0.0;  // the widest gap a later level was settled with
  int relaxation_proofs = 0;  // rounds ended by the linear relaxation's bound
  int integer_proofs = 0;     // rounds ended by CBC's bound
  double lp_seconds = 0.0;
  double mip_seconds = 0.0;
  // Whole panels drawn from the optimal face of the linear relaxation when
  // a stage starts (selection/face_search.h).
  int face_panels = 0;
  // True when a lottery reached the LEXIMIN of the linear relaxation
  // (selection/decompose.h), which proves every level at once; false when
  // column generation proved them stage by stage.
  bool by_relaxation = false;
};

// Computes the LEXIMIN distribution. Fails with kInvalidInput when no panel
// meets the rules (see selection/relax.h to say why), kInternal when the
// solver fails.
StatusOr<LeximinResult> leximin(const Problem& problem, const TypeModel& types, const LeximinOptions& options = {});

// The panels whose weight is above 1e-12, their weights rescaled to sum to 1:
// the distribution a solver's final weights describe.
TypeDistribution weighted_panels(const std::vector<TypePanel>& panels, const std::vector<double>& weights);

// Each person's probability from per-type probabilities.
std::vector<double> person_probabilities(const TypeModel& types, const std::vector<double>& type_probability);

// Per-type probabilities of a type distribution.
std::vector<double> type_probabilities(const TypeModel& types, const TypeDistribution& distribution);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_LEXIMIN_H_
