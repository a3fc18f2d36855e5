#include "app/select_command.h"

#include <iostream>

namespace coproduce::app {

// Placeholder until the selection engine lands: says so and fails.
void add_select_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("select", "Choose a panel from a pool by a lottery with quotas");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::cerr << "coproduce select: not built yet\n";
    exit_code = 1;
  });
}

}  // namespace coproduce::app
