// Reading a selection from CSV: the quotas file and the people file.
//
// Quotas come in any of these layouts (header names compared
// case-insensitively):
//   feature,value,min,max[,min_flex,max_flex]   (sortition-algorithms)
//   category,name,min,max                       (OpenDLP; extra columns ignored)
//   category,feature,min,max                    (Flanigan et al. replication)
// Category names and values match the people file case-insensitively with
// surrounding spaces ignored. Every mistake is a Status naming the file, the
// line and the column.
#ifndef COPRODUCE_SELECTION_INPUT_H_
#define COPRODUCE_SELECTION_INPUT_H_

#include <optional>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/status.h"
#include "selection/model.h"

namespace coproduce::selection {

// Reads the quota rows of `table` into categories, in file order.
StatusOr<std::vector<Category>> parse_quotas(const csv::Table& table);

struct PoolOptions {
  int panel_size = 0;
  // The id column; empty means the row number (1 for the first data row).
  std::string id_column;
  // Address columns for the household rule; empty means the rule is off.
  std::vector<std::string> household_columns;
};

// The people file read against the quotas: the Problem for the engine plus
// what the outputs need to carry each person's row through.
struct Pool {
  csv::Table table;              // the people file as read
  std::vector<std::string> ids;  // per person
  Problem problem;
  std::vector<size_t> category_column;  // per category: its column in `table`
  std::optional<size_t> id_column;      // the id column in `table`, if any
};

// Builds the pool. Checks the panel size, the id column (no blanks, no
// duplicates), the category columns and every value against the quotas.
StatusOr<Pool> build_pool(csv::Table people, std::vector<Category> categories, const PoolOptions& options);

// Marks the people listed in `already` (ids in the column named
// `id_column` when it has one, otherwise in its first column) as already
// on the panel. Unknown or repeated ids, two from one household (rule on)
// or more people than the panel size are errors.
Status mark_already_selected(Pool& pool, const csv::Table& already, const std::string& id_column);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_INPUT_H_
