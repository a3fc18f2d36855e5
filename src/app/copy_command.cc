// `coproduce copy-data --from DATABASE --to DATABASE`: moves a whole
// deployment between engines (store/copy.h does the work), telling the
// person what it copied.
#include <iostream>
#include <memory>
#include <string>

#include "app/common.h"
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
    std::cerr << "Copying " << (*source)->describe() << " to " << (*target)->describe() << "...\n";
    store::CopyReport report;
    Status s = store::copy_data(**source, **target, &report, [](const std::string& table, int64_t rows) {
      std::cerr << "  " << table << ": " << rows << " rows\n";
    });
    if (!s.ok()) return void(exit_code = fail(s));
    std::cout << "Copied " << report.rows << " rows in " << report.tables.size()
              << " tables; every table's row count and checksum match its source.\n";
  });
}

}  // namespace coproduce::app
