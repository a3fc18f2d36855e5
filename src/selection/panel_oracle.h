// The integer program over panels, solved with COIN-OR CBC: "of all panels
// that meet the quotas, which has the largest total weight?"
//
// LEXIMIN asks it once per round of column generation (the weights are the
// dual values of the linear program); the feasibility check asks it once with
// any weights. Not thread-safe (CBC is not); one oracle per thread at most.
#ifndef COPRODUCE_SELECTION_PANEL_ORACLE_H_
#define COPRODUCE_SELECTION_PANEL_ORACLE_H_

#include <memory>
#include <optional>
#include <vector>

#include "selection/model.h"
#include "selection/types.h"

class OsiClpSolverInterface;

namespace coproduce::selection {

// The rules of a panel as rows over types: the panel size (row 0), one row
// per category value (categories in order, values in order), one per shared
// household; every coefficient is 1.
// PanelOracle's programs have these rows, in this order.
struct PanelRow {
  std::vector<int> types;
  int lo = 0;
  int hi = 0;
  int category = -1;  // the category of a value's row; -1 otherwise
};
std::vector<PanelRow> panel_rows(const Problem& problem, const TypeModel& types);

class PanelOracle {
 public:
  // `problem` and `types` must outlive the oracle.
  PanelOracle(const Problem& problem, const TypeModel& types);
  ~PanelOracle();
  PanelOracle(const PanelOracle&) = delete;
  PanelOracle& operator=(const PanelOracle&) = delete;

  // The panel (counts per type) maximising sum_t weight[t] * count[t], or
  // nullopt when no panel meets the rules. `hint`, when given, is a valid
  // panel used as a starting incumbent. Other good panels CBC met on the way
  // are appended to `also_found` when it is not null.
  std::optional<TypePanel> best(const std::vector<double>& weight, const TypePanel* hint = nullptr,
                                std::vector<TypePanel>* also_found = nullptr);

  // Like best(), but only panels worth more than `must_beat` count: nullopt
  // means none is (a proof, since CBC prunes everything below the bar).
  std::optional<TypePanel> best_above(const std::vector<double>& weight, double must_beat,
                                      std::vector<TypePanel>* also_found = nullptr);

  // What price() found: the best panel worth more than the bar (if any),
  // other valid panels worth more than the bar met on the way, and an upper
  // bound on the value of every panel that the search proved.
  struct Priced {
    std::optional<TypePanel> panel;
    std::vector<TypePanel> others;
    double bound = 0.0;
    bool finished = false;  // false when the node limit stopped CBC first
  };
  // Like best_above(), but CBC stops after `max_nodes` nodes (0: no limit)
  // and the answer carries the bound CBC proved, valid even when it stopped
  // early. `hint` is a valid panel CBC may start from (or null).
  Priced price(const std::vector<double>& weight, double must_beat, int max_nodes, const TypePanel* hint);

  // An upper bound on sum_t weight[t] * count[t] over every valid panel: the
  // optimum of the linear relaxation (counts need not be whole). Cheap, and
  // often within a hair of the integer optimum on quota problems.
  // When the relaxation's optimum happens to be whole and valid, it is the
  // best panel too, and goes into `*whole` (when not null).
  double relaxation_bound(const std::vector<double>& weight, std::optional<TypePanel>* whole = nullptr);

  // The highest level z that the linear relaxation allows: the largest z
  // such that some fractional panel q (counts need not be whole, every rule
  // kept) gives each type in `rows` at least z * multiplicity, or
  // level[r] * multiplicity where settled[r]. Any lottery over valid panels
  // averages to such a q, so this bounds the stage's level from above. The
  // dual value of each row goes to `*dual` (non-negative, free rows summing
  // to 1): the multipliers that prove the bound. Infinity when CLP fails.
  // The fractional panel itself (counts per type) goes to `*point` when it
  // is not null.
  double relaxed_level(const std::vector<int>& rows, const std::vector<bool>& settled,
                       const std::vector<double>& level, std::vector<double>* dual,
                       std::vector<double>* point = nullptr);

  // The face of the fractional panels on which sum_t weight[t] * count[t]
  // is largest: bounds on each type's count and on each rule's total (the
  // panel size, then each category's values in order, then each shared
  // household), equal where every best fractional panel holds them so.
  // Whole panels on it are the best panels when the relaxation is tight.
  // False when CLP fails.
  struct Face {
    std::vector<int> type_lo, type_hi, row_lo, row_hi;
  };
  bool optimal_face(const std::vector<double>& weight, Face* face);

  // The best panel among the types the last relaxation_bound() used (its
  // solution's support), by a small integer program: a strong column for
  // the price of a few milliseconds, though not a proof. nullopt when no
  // valid panel fits in that support or none beats `must_beat`.
  std::optional<TypePanel> best_in_support(const std::vector<double>& weight, double must_beat);

  // Panels that between them hold someone of every type in `wanted` that any
  // valid panel can hold, starting from the valid panel `first` (not
  // repeated in the answer). Local search first; when it is stuck, the
  // integer program. Types no panel can hold are marked false in
  // `*coverable` (per type; others true).
  std::vector<TypePanel> cover(const TypePanel& first, const std::vector<int>& wanted, std::vector<bool>* coverable);

  // A quick local search from the valid panel `start`: moves one seat at a
  // time from one type to another while that raises the total weight and
  // keeps every rule. Returns a valid panel at least as good as `start`; not
  // necessarily the best (use best() to be sure).
  TypePanel improve(const std::vector<double>& weight, TypePanel start) const;

  // improve() from each of the `starts` panels with the highest `score`
  // (one per panel), on up to `threads` threads. The answers come in the
  // order of their starts' scores, whatever the number of threads.
  std::vector<TypePanel> improve_best(const std::vector<double>& weight, const std::vector<TypePanel>& panels,
                                      const std::vector<double>& score, size_t starts, unsigned threads) const;

  // Whether `panel` meets the panel size, every quota, the bounds of each
  // type and the household rule.
  bool valid(const TypePanel& panel) const;

  int calls() const { return calls_; }
  // Solutions CBC returned that broke a rule once rounded (and were dropped).
  int invalid() const { return invalid_; }

 private:
  const Problem& problem_;
  const TypeModel& types_;
  std::optional<TypePanel> solve(const std::vector<double>& weight, const TypePanel* hint, const double* must_beat,
                                 std::vector<TypePanel>* also_found, int max_nodes = 0, Priced* priced = nullptr);

  std::unique_ptr<OsiClpSolverInterface> base_;
  std::unique_ptr<OsiClpSolverInterface> relaxed_;  // base_ without integrality, warm-started
  std::vector<int> group_of_;  // per type: its household group, or -1
  int calls_ = 0;
  int invalid_ = 0;
};

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_PANEL_ORACLE_H_
