// What the app's commands share: opening the database and finding the
// templates and static files.
#ifndef COPRODUCE_APP_COMMON_H_
#define COPRODUCE_APP_COMMON_H_

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/status.h"
#include "store/database.h"

namespace coproduce::app {

inline constexpr const char* kDefaultDatabase = "var/coproduce.db";

// Opens the database at `path` and applies any pending migrations. Prints
// nothing; the caller reports a failure.
StatusOr<std::unique_ptr<store::Database>> open_and_migrate(const std::string& path);

// Prints "coproduce: <message>" to standard error and returns 1.
int fail(const Status& status);

// Where the page templates and compiled static files are by default: beside
// the source tree this binary was built from.
std::string default_templates_dir();
std::string default_static_dir();
// The compiled message catalogues (build/locale).
std::string default_locale_dir();

// Reads a password: without echo from a terminal (asking twice), or one line
// from a pipe. Never from the command line, where other users could see it.
StatusOr<std::string> read_password(const std::string& prompt);

void add_serve_command(CLI::App& app, int& exit_code);
void add_migrate_command(CLI::App& app, int& exit_code);
void add_admin_commands(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_routes_command(CLI::App& app, int& exit_code);
void add_learning_command(CLI::App& app, int& exit_code);
void add_library_command(CLI::App& app, int& exit_code);
void add_copy_command(CLI::App& app, int& exit_code);
void add_backup_commands(CLI::App& app, int& exit_code);

}  // namespace coproduce::app

#endif  // COPRODUCE_APP_COMMON_H_
