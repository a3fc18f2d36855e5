// `coproduce copy-data --from DATABASE --to DATABASE`: moves a whole
// deployment between engines (store/copy.h does the work), telling the
// person what it copied.
#include <iostream>
#include <memory>
#include <string>

#include "app/common.h"
#include "store/backup.h"
#include "store/copy.h"

namespace coproduce::app {

void add_copy_command(CLI::App& app, int& exit_code) {
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "copy-data",
      "Copy a whole deployment into a new, empty database: from SQLite to PostgreSQL to move up, or back");
  cmd->add_option("--from", *from, "The database to copy: an SQLite file or a postgresql:// address")->required();
  cmd->add_option("--to", *to, "The new, empty database: a postgresql:// address or an SQLite file")->required();
  cmd->callback([from, to, &exit_code] {
    auto source = store::open_database(*from);
    if (!source.ok()) return void(exit_code = fail(source.status()));
    auto target = store::open_database(*to);
    if (!target.ok()) return void(exit_code = fail(target.status()));
    std::cerr << "Copying the " << (*source)->describe() << " database to the " << (*target)->describe() << " one...\n";
    store::CopyReport report;
    Status s = store::copy_data(**source, **target, &report, [](const std::string& table, int64_t rows) {
      std::cerr << "  " << table << ": " << rows << " rows\n";
    });
    if (!s.ok()) return void(exit_code = fail(s));
    std::cout << "Copied " << report.rows << " rows in " << report.tables.size()
              << " tables; every table's row count and checksum match its source.\n";
  });
}

void add_backup_commands(CLI::App& app, int& exit_code) {
  auto database = std::make_shared<std::string>(kDefaultDatabase);
  auto output = std::make_shared<std::string>();
  auto* backup = app.add_subcommand(
      "backup", "Back up a database while Coproduce goes on running: SQLite's online backup, or a PostgreSQL snapshot");
  backup->add_option("--database", *database, "The database: an SQLite file or a postgresql:// address")
      ->capture_default_str();
  backup->add_option("--output", *output, "The backup file to write (it must not exist yet)")->required();
  backup->callback([database, output, &exit_code] {
    auto db = store::open_database(*database);
    if (!db.ok()) return void(exit_code = fail(db.status()));
    store::CopyReport report;
    if (Status s = store::backup(**db, *database, *output, &report); !s.ok()) return void(exit_code = fail(s));
    std::cout << "Backed up the " << (*db)->describe() << " database to " << *output;
    if (!report.tables.empty()) std::cout << ": " << report.rows << " rows in " << report.tables.size() << " tables";
    std::cout << ".\n";
  });

  auto input = std::make_shared<std::string>();
  auto target = std::make_shared<std::string>(kDefaultDatabase);
  auto* restore = app.add_subcommand("restore", "Restore a backup into a new, empty database of either kind");
  restore->add_option("--input", *input, "The backup file")->required();
  restore->add_option("--database", *target, "The new, empty database: an SQLite file or a postgresql:// address")
      ->capture_default_str();
  restore->callback([input, target, &exit_code] {
    auto db = store::open_database(*target);
    if (!db.ok()) return void(exit_code = fail(db.status()));
    store::CopyReport report;
    Status s = store::restore(*input, **db, &report, [](const std::string& table, int64_t rows) {
      std::cerr << "  " << table << ": " << rows << " rows\n";
    });
    if (!s.ok()) return void(exit_code = fail(s));
    std::cout << "Restored " << report.rows << " rows in " << report.tables.size() << " tables into "
              << "the " << (*db)->describe() << " database; every table's row count and checksum match the backup.\n";
  });
}

}  // namespace coproduce::app
