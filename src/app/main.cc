// coproduce: one binary for the web application and the command-line jobs.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/common.h"
#include "app/select_command.h"
#include "app/survey_command.h"

int main(int argc, char** argv) {
  CLI::App app{"Coproduce: co-production in adult social care"};
  app.set_version_flag("--version", COPRODUCE_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  coproduce::app::add_serve_command(app, exit_code);
  coproduce::app::add_migrate_command(app, exit_code);
  coproduce::app::add_admin_commands(app, exit_code);
  coproduce::app::add_demo_command(app, exit_code);
  coproduce::app::add_routes_command(app, exit_code);
  coproduce::app::add_select_command(app, exit_code);
  coproduce::app::add_survey_command(app, exit_code);
  coproduce::app::add_learning_command(app, exit_code);
  coproduce::app::add_library_command(app, exit_code);
  coproduce::app::add_copy_command(app, exit_code);
  coproduce::app::add_backup_commands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
