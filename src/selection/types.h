// Grouping people into types: people the rules cannot tell apart.
//
// Two people are of one type when they have the same value in every category
// and the panel rules treat them alike: both already selected or neither,
// and (with the household rule on) both living alone in the pool or both in
// the same shared household. A fair engine gives people of one type the same
// probability, so the engine works with counts per type: a panel is how many
// of each type it takes. That shrinks the problem from people to types, which
// is what makes exact LEXIMIN fast.
#ifndef COPRODUCE_SELECTION_TYPES_H_
#define COPRODUCE_SELECTION_TYPES_H_

#include <vector>

#include "selection/model.h"

namespace coproduce::selection {

struct TypeModel {
  std::vector<int> type_of;               // per person
  std::vector<std::vector<int>> members;  // per type: people, ascending
  std::vector<std::vector<int>> values;   // per type: value index per category
  std::vector<int> lower;                 // per type: least count on any panel
  std::vector<int> upper;                 // per type: most count on any panel
  // Sets of types that share a household: their counts sum to at most 1.
  std::vector<std::vector<int>> household_groups;

  int size() const { return static_cast<int>(members.size()); }
  int multiplicity(int t) const { return static_cast<int>(members[static_cast<size_t>(t)].size()); }
};

// Groups `problem.people` into types. Already-selected people get types of
// their own with lower == upper == count; people sharing a household with an
// already-selected person (rule on) get upper == 0.
TypeModel group_types(const Problem& problem);

// A panel given as counts per type.
using TypePanel = std::vector<int>;

// `panel` as a column of a linear program with a row per type (row_of[t];
// -1 for a type without one): the probability it gives each member of the
// row's type. Appends the row indices and values; zeros are left out.
void panel_column(const TypeModel& types, const std::vector<int>& row_of, const TypePanel& panel,
                  std::vector<int>* index, std::vector<double>* value);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_TYPES_H_
