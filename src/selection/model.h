// The selection problem as plain values: categories with their quotas, the
// pool of people, and the rules a panel must meet.
//
// These types carry no file names or solver state; selection/input.h builds
// them from CSV files and selection/leximin.h, selection/legacy.h solve them.
#ifndef COPRODUCE_SELECTION_MODEL_H_
#define COPRODUCE_SELECTION_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

namespace coproduce::selection {

// One value of a category ("female" in "gender") and its quota: the panel
// holds between `min` and `max` people with this value. `min_flex` and
// `max_flex` bound how far a relaxation may move the quota when the quotas
// cannot all be met (min_flex <= min, max_flex >= max).
struct Quota {
  std::string value;  // as written in the quotas file
  int min = 0;
  int max = 0;
  int min_flex = 0;
  int max_flex = 0;
  bool has_flex = false;  // whether the file gave min_flex/max_flex
  long line = 0;          // line of the quotas file, for messages
};

struct Category {
  std::string name;           // as written in the quotas file
  std::vector<Quota> values;  // in file order
};

// A person as the engine sees them: an index into each category's values,
// a household (or -1 when the household rule is off or they have no
// address), and whether they are already on the panel.
struct Person {
  std::vector<int> values;  // values[c] indexes categories[c].values
  int household = -1;
  bool already_selected = false;
};

struct Problem {
  int panel_size = 0;
  std::vector<Category> categories;
  std::vector<Person> people;
  // When true, at most one person per household may be on a panel.
  bool household_rule = false;
};

// A panel: indexes into Problem::people, sorted ascending.
using Panel = std::vector<int>;

// A probability distribution over panels.
struct Distribution {
  std::vector<Panel> panels;
  std::vector<double> weights;  // same length; sums to 1
};

// Returns an empty string when `panel` meets every quota, has the panel size,
// holds every already-selected person and (with the rule on) at most one
// person per household; otherwise a sentence saying what is wrong.
std::string check_panel(const Problem& problem, const Panel& panel);

// Each person's probability of selection under `distribution`.
std::vector<double> marginals(const Problem& problem, const Distribution& distribution);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_MODEL_H_
