#include "app/select_command.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/csv.h"
#include "selection/input.h"
#include "selection/output.h"
#include "selection/select.h"

namespace coproduce::app {

namespace {

struct SelectArgs {
  std::string people;
  std::string quotas;
  int size = 0;
  std::string output_dir;
  std::string id_column;
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::string algorithm = "leximin";
  double tolerance = 0.0;
  std::vector<std::string> household;
  std::string already_selected;
  int lottery = 0;
  int draw = 0;
  int legacy_draws = 0;
  size_t max_rows = 1000000;
  double max_seconds = 0;
};

// Reads a CSV file with the project's limits; errors name the file as given.
StatusOr<csv::Table> read_csv(const std::string& path, size_t max_rows) {
  csv::ReadOptions options;
  options.file_name = path;
  options.max_rows = max_rows;
  return csv::read_file(path, options);
}

Status write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Unavailable("could not write " + path.string());
  return Status::Ok();
}

int run(const SelectArgs& args) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto fail = [](const Status& status) {
    std::cerr << "coproduce select: " << status.to_string() << "\n";
    return 1;
  };

  StatusOr<csv::Table> quotas_table = read_csv(args.quotas, args.max_rows);
  if (!quotas_table.ok()) return fail(quotas_table.status());
  StatusOr<std::vector<selection::Category>> categories = selection::parse_quotas(*quotas_table);
  if (!categories.ok()) return fail(categories.status());
  StatusOr<csv::Table> people_table = read_csv(args.people, args.max_rows);
  if (!people_table.ok()) return fail(people_table.status());

  selection::PoolOptions pool_options;
  pool_options.panel_size = args.size;
  pool_options.id_column = args.id_column;
  pool_options.household_columns = args.household;
  StatusOr<selection::Pool> pool =
      selection::build_pool(std::move(*people_table), std::move(*categories), pool_options);
  if (!pool.ok()) return fail(pool.status());
  if (!args.already_selected.empty()) {
    StatusOr<csv::Table> already = read_csv(args.already_selected, args.max_rows);
    if (!already.ok()) return fail(already.status());
    if (Status s = selection::mark_already_selected(*pool, *already, args.id_column); !s.ok()) return fail(s);
  }

  selection::SelectOptions options;
  if (auto algorithm = selection::parse_algorithm(args.algorithm)) {
    options.algorithm = *algorithm;
  } else {
    return fail(InvalidInput("--algorithm must be leximin, maximin, nash or legacy"));
  }
  options.tolerance = args.tolerance;
  options.seed = args.seed;
  if (!args.seed_given) {
    std::random_device device;
    options.seed = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }
  options.lottery = args.lottery;
  options.draw = args.draw;
  options.legacy_draws = args.legacy_draws;
  if (args.max_seconds > 0) {
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(args.max_seconds));
    options.should_stop = [deadline] { return Clock::now() >= deadline; };
  }
  // Progress on standard error once a run has taken a few seconds.
  auto last_report = std::make_shared<Clock::time_point>(start);
  const std::string title = selection::algorithm_title(options.algorithm);
  const bool settles = options.algorithm == selection::Algorithm::kLeximin;
  options.progress = [start, last_report, title, settles](const selection::LeximinProgress& p) {
    const auto now = Clock::now();
    if (now - start < std::chrono::seconds(3) || now - *last_report < std::chrono::seconds(2)) return;
    *last_report = now;
    const double elapsed = std::chrono::duration<double>(now - start).count();
    std::cerr << "coproduce select: " << title << " ";
    if (settles) std::cerr << p.fixed_types << "/" << p.total_types << " types settled, ";
    std::cerr << (settles ? "raising level " : "lowest probability ") << selection::format_probability(p.level);
    if (p.gap >= 0) std::cerr << " (within " << selection::format_probability(p.gap) << " of the best)";
    std::cerr << ", " << p.panels
              << " panels, " << static_cast<long>(elapsed) << " s (LP " << static_cast<long>(p.lp_seconds)
              << " s in " << p.lp_solves << " solves, " << p.lp_iterations << " pivots; panel search "
              << static_cast<long>(p.mip_seconds) << " s)\n";
  };

  StatusOr<selection::SelectOutcome> outcome = selection::run_selection(pool->problem, options);
  if (!outcome.ok()) return fail(outcome.status());

  selection::RunInfo info;
  info.people_file = args.people;
  info.quotas_file = args.quotas;
  info.already_selected_file = args.already_selected;
  info.household_columns = args.household;
  info.seed_given = args.seed_given;
  const selection::OutputFiles files = selection::render_outputs(*pool, *outcome, info);

  // Everything is computed; only now touch the output folder.
  std::error_code ec;
  std::filesystem::path dir(args.output_dir);
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(Unavailable("could not create the folder " + args.output_dir + ": " + ec.message()));
  const std::pair<const char*, const std::string*> outputs[] = {
      {"selected.csv", &files.selected_csv},         {"remaining.csv", &files.remaining_csv},
      {"probabilities.csv", &files.probabilities_csv}, {"distribution.csv", &files.distribution_csv},
      {"report.json", &files.report_json},           {"report.html", &files.report_html},
  };
  for (const auto& [name, text] : outputs) {
    if (Status s = write_file(dir / name, *text); !s.ok()) return fail(s);
  }

  const auto& o = *outcome;
  std::cout << "Selected " << o.selected.size() << " of " << pool->problem.people.size() << " by "
            << selection::algorithm_name(o.algorithm) << ", seed " << o.seed << "\n";
  if (o.lottery) {
    std::cout << "Lottery of " << o.lottery->tickets.size() << " panels: panel " << o.ticket
              << (args.draw > 0 ? " (drawn in public)" : " (picked by the seed)") << "; largest probability shift "
              << selection::format_probability(o.lottery->largest_shift) << "\n";
  }
  if (!o.leximin_complete) {
    std::cout << "Stopped at the time limit: every panel meets the quotas, but " << selection::algorithm_title(o.algorithm)
              << " is not proven; gap " << selection::format_probability(o.proven_gap) << "\n";
  } else if (selection::is_optimising(o.algorithm)) {
    std::cout << (o.algorithm == selection::Algorithm::kNash ? "Proven: the mean log probability is within "
                                                              : "Proven: the smallest probability is within ")
              << selection::format_probability(o.proven_gap) << " of the best possible\n";
  }
  std::cout << "Probability of selection: smallest " << selection::format_probability(o.fairness.minimum)
            << ", largest " << selection::format_probability(o.fairness.maximum) << ", Gini "
            << selection::format_probability(o.fairness.gini) << "\n";
  if (o.legacy_fairness && selection::is_optimising(o.algorithm)) {
    std::cout << "LEGACY (estimated from " << o.legacy->draws << " draws): smallest "
              << selection::format_probability(o.legacy_fairness->minimum) << ", Gini "
              << selection::format_probability(o.legacy_fairness->gini) << "\n";
  }
  std::cout << "Wrote selected.csv, remaining.csv, probabilities.csv, distribution.csv, report.json, report.html to "
            << args.output_dir << " in " << selection::format_probability(o.seconds.total) << " s\n";
  return 0;
}

}  // namespace

void add_select_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SelectArgs>();
  auto* cmd = app.add_subcommand("select", "Choose a panel from a pool by a lottery with quotas");
  cmd->add_option("--people", args->people, "CSV of the pool: an id column and one column per category")
      ->required();
  cmd->add_option("--quotas", args->quotas,
                  "CSV of quotas: feature,value,min,max[,min_flex,max_flex], category,name,min,max or "
                  "category,feature,min,max")
      ->required();
  cmd->add_option("--size", args->size, "Panel size")->required()->check(CLI::PositiveNumber);
  cmd->add_option("--output-dir", args->output_dir, "Folder for the output files (created if needed)")->required();
  cmd->add_option("--id-column", args->id_column, "Column of the people file holding ids (default: row numbers)");
  cmd->add_option("--seed", args->seed, "Seed for the random draw (default: random, and printed)");
  cmd->add_option("--algorithm", args->algorithm,
                  "leximin (fairest, default), maximin (raise only the lowest chance), nash (maximum Nash welfare) "
                  "or legacy (greedy, for comparison)")
      ->check(CLI::IsMember({"leximin", "maximin", "nash", "legacy"}));
  cmd->add_option("--tolerance", args->tolerance,
                  "How close to the best each level must be proven (leximin, maximin: a probability; nash: the mean "
                  "log probability); default 1e-6")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--household", args->household,
                  "Address columns: at most one person per address (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--already-selected", args->already_selected,
                  "CSV of people already on the panel (ids in the id column, or the first column)");
  cmd->add_option("--lottery", args->lottery, "Round to this many equally likely numbered panels")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--draw", args->draw, "With --lottery: the panel number drawn in public")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--legacy-draws", args->legacy_draws,
                  "Also estimate the LEGACY method's probabilities from this many draws, for the report")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-seconds", args->max_seconds,
                  "Stop the algorithm after this long and use the lottery found so far (valid, not proven fairest)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-rows", args->max_rows, "Refuse input files with more rows than this")
      ->capture_default_str();
  cmd->callback([args, cmd, &exit_code] {
    args->seed_given = cmd->count("--seed") > 0;
    exit_code = run(*args);
  });
}

}  // namespace coproduce::app
