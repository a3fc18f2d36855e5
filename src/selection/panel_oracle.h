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

  // A quick local search from the valid panel `start`: moves one seat at a
  // time from one type to another while that raises the total weight and
  // keeps every rule. Returns a valid panel at least as good as `start`; not
  // necessarily the best (use best() to be sure).
  TypePanel improve(const std::vector<double>& weight, TypePanel start) const;

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
                                 std::vector<TypePanel>* also_found);

  std::unique_ptr<OsiClpSolverInterface> base_;
  std::vector<int> group_of_;  // per type: its household group, or -1
  int calls_ = 0;
  int invalid_ = 0;
};

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_PANEL_ORACLE_H_
