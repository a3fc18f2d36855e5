// The `coproduce survey` command: survey analysis from CSV files.
#ifndef COPRODUCE_APP_SURVEY_COMMAND_H_
#define COPRODUCE_APP_SURVEY_COMMAND_H_

#include <CLI/CLI.hpp>

namespace coproduce::app {

// Adds the `survey` subcommand (with `survey analyse`) to `app`. When it runs,
// it sets `exit_code` (0 on success, 1 on bad input, 2 on usage errors).
// `exit_code` must outlive `app`.
void add_survey_command(CLI::App& app, int& exit_code);

}  // namespace coproduce::app

#endif  // COPRODUCE_APP_SURVEY_COMMAND_H_
