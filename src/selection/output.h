// The files a selection produces, rendered as text (the caller decides where
// they go: the `select` command writes them to a folder, the web layer can
// offer them as downloads).
#ifndef COPRODUCE_SELECTION_OUTPUT_H_
#define COPRODUCE_SELECTION_OUTPUT_H_

#include <string>
#include <vector>

#include "selection/input.h"
#include "selection/select.h"

namespace coproduce::selection {

// What the run was asked to do, for the report.
struct RunInfo {
  std::string people_file;
  std::string quotas_file;
  std::string already_selected_file;
  std::vector<std::string> household_columns;
  bool seed_given = false;
};

struct OutputFiles {
  std::string selected_csv;       // the id, then every other input column
  std::string remaining_csv;      // everyone else who could still be invited
  std::string probabilities_csv;  // id,probability,panels
  std::string distribution_csv;   // panel,probability,member_1..member_K
  std::string report_json;
  std::string report_html;
};

// Renders every output file. `outcome` must come from `pool.problem`.
OutputFiles render_outputs(const Pool& pool, const SelectOutcome& outcome, const RunInfo& info);

// A number with up to 9 significant digits, as written to the CSV files.
std::string format_probability(double p);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_OUTPUT_H_
