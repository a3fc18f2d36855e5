// `coproduce learning import|export`: the workforce and its co-production
// learning in and out, in the ASC-WDS bulk-upload layouts.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "accounts/accounts.h"
#include "app/common.h"
#include "learning/imports.h"

namespace coproduce::app {
namespace {

struct LearningOptions {
  std::string database = kDefaultDatabase;
  std::string organisation;
  std::string workers;
  std::string training;
  std::string output_dir;
  bool check_only = false;
};

const Actor kCli{std::nullopt, "command line"};

StatusOr<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidInput("Cannot read " + path + ": there is no such file, or it cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

int import_files(const LearningOptions& o) {
  learning::AscwdsFiles files;
  if (!o.workers.empty()) {
    auto text = read_whole(o.workers);
    if (!text.ok()) return fail(text.status());
    files.workers_name = std::filesystem::path(o.workers).filename().string();
    files.workers_text = std::move(*text);
  }
  if (!o.training.empty()) {
    auto text = read_whole(o.training);
    if (!text.ok()) return fail(text.status());
    files.training_name = std::filesystem::path(o.training).filename().string();
    files.training_text = std::move(*text);
  }
  auto db = open_and_migrate(o.database);
  if (!db.ok()) return fail(db.status());
  SystemClock clock;
  auto org = accounts::Accounts(**db, clock).find_organisation(o.organisation);
  if (!org.ok()) return fail(org.status());
  auto done = learning::import_ascwds(**db, clock, org->id, files, !o.check_only, kCli);
  if (!done.ok()) return fail(done.status());
  if (!done->problems.empty()) {
    for (const auto& p : done->problems) std::cerr << "coproduce: " << p.where.to_string() << ": " << p.message << "\n";
    if (done->problems.size() >= kMaxImportProblems) std::cerr << "coproduce: (there may be more problems)\n";
    std::cerr << "coproduce: nothing was imported.\n";
    return 1;
  }
  if (!files.workers_name.empty()) {
    std::cout << "Columns read from " << files.workers_name << ": " << joined(done->worker_columns_read) << "\n"
              << "Columns ignored (never stored): " << joined(done->worker_columns_ignored) << "\n";
  }
  if (!files.training_name.empty()) {
    std::cout << "Columns read from " << files.training_name << ": " << joined(done->training_columns_read) << "\n"
              << "Columns ignored (never stored): " << joined(done->training_columns_ignored) << "\n";
  }
  std::cout << (o.check_only ? "Checked, nothing written: would add " : "Added ") << done->workers_added
            << " workers, " << (o.check_only ? "update " : "updated ") << done->workers_updated << ", and "
            << (o.check_only ? "record " : "recorded ") << done->completions_added
            << " completions of co-production learning (" << done->completions_known << " already known).\n";
  if (done->workers_deleted_rows)
    std::cout << done->workers_deleted_rows << " rows marked DELETE were left alone: erase a worker in Coproduce.\n";
  if (done->training_other)
    std::cout << done->training_other << " rows of other training were not kept (" << joined(done->other_training)
              << ").\n";
  return 0;
}

int export_files(const LearningOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(o.output_dir, ec);
  if (ec) return fail(InvalidInput("Cannot create the folder " + o.output_dir + ": " + ec.message()));
  auto db = open_and_migrate(o.database);
  if (!db.ok()) return fail(db.status());
  SystemClock clock;
  auto org = accounts::Accounts(**db, clock).find_organisation(o.organisation);
  if (!org.ok()) return fail(org.status());
  auto out = learning::export_ascwds(**db, clock, org->id, kCli);
  if (!out.ok()) return fail(out.status());
  for (auto [name, text] : {std::pair{"workers.csv", &out->workers_csv}, {"training.csv", &out->training_csv}}) {
    std::filesystem::path path = std::filesystem::path(o.output_dir) / name;
    std::ofstream file(path, std::ios::binary);
    file << *text;
    if (!file) return fail(Internal("Cannot write " + path.string()));
  }
  std::cout << "Wrote " << out->workers << " workers to " << (std::filesystem::path(o.output_dir) / "workers.csv").string()
            << " and " << out->completions << " completions to "
            << (std::filesystem::path(o.output_dir) / "training.csv").string() << ".\n";
  return 0;
}

}  // namespace

void add_learning_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<LearningOptions>();
  auto* learning = app.add_subcommand("learning", "Workforce and co-production learning records, in ASC-WDS files");
  learning->require_subcommand(1);

  auto* import = learning->add_subcommand(
      "import", "Import an ASC-WDS worker file and/or training file: checked first, all or nothing");
  import->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  import->add_option("--organisation", opts->organisation, "The organisation's name")->required();
  import->add_option("--workers", opts->workers, "The ASC-WDS worker file (CSV)");
  import->add_option("--training", opts->training, "The ASC-WDS training file (CSV)");
  import->add_flag("--check", opts->check_only, "Check the files and say what would change, writing nothing");
  import->callback([opts, &exit_code] {
    if (opts->workers.empty() && opts->training.empty()) {
      exit_code = fail(InvalidInput("Give --workers FILE, --training FILE, or both"));
      return;
    }
    exit_code = import_files(*opts);
  });

  auto* exp = learning->add_subcommand("export", "Write workers.csv and training.csv in the ASC-WDS layouts");
  exp->add_option("--database", opts->database, "SQLite database file")->capture_default_str();
  exp->add_option("--organisation", opts->organisation, "The organisation's name")->required();
  exp->add_option("--output-dir", opts->output_dir, "The folder to write workers.csv and training.csv in")->required();
  exp->callback([opts, &exit_code] { exit_code = export_files(*opts); });
}

}  // namespace coproduce::app
