// Runs LEXIMIN on one instance and prints where the time went:
//   selection_leximin_bench PEOPLE QUOTAS SIZE [ID_COLUMN] [MAX_SECONDS] [TOLERANCE]
// Links only the selection engine, so it builds even when the rest of the
// application does not. Prints figures; never fails on time.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "core/csv.h"
#include "selection/input.h"
#include "selection/select.h"

int main(int argc, char** argv) {
  using namespace coproduce;
  if (argc < 4) {
    std::cerr << "usage: selection_leximin_bench PEOPLE QUOTAS SIZE [ID_COLUMN] [MAX_SECONDS] [TOLERANCE]\n";
    return 2;
  }
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto quotas = csv::read_file(argv[2]);
  if (!quotas.ok()) return std::cerr << quotas.status().to_string() << "\n", 1;
  auto categories = selection::parse_quotas(*quotas);
  if (!categories.ok()) return std::cerr << categories.status().to_string() << "\n", 1;
  auto people = csv::read_file(argv[1]);
  if (!people.ok()) return std::cerr << people.status().to_string() << "\n", 1;
  selection::PoolOptions options;
  options.panel_size = std::atoi(argv[3]);
  if (argc > 4) options.id_column = argv[4];
  auto pool = selection::build_pool(std::move(*people), std::move(*categories), options);
  if (!pool.ok()) return std::cerr << pool.status().to_string() << "\n", 1;
  selection::SelectOptions select;
  select.seed = 1;
  if (argc > 5 && std::atof(argv[5]) > 0) {
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::atof(argv[5])));
    select.should_stop = [deadline] { return Clock::now() >= deadline; };
  }
  if (argc > 6) select.tolerance = std::atof(argv[6]);
  auto out = selection::run_selection(pool->problem, select);
  if (!out.ok()) return std::cerr << out.status().to_string() << "\n", 1;
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << "pool " << pool->problem.people.size() << ", panel " << pool->problem.panel_size << ", types "
            << out->types << "\n"
            << "smallest probability " << out->fairness.minimum << ", largest " << out->fairness.maximum << ", gini "
            << out->fairness.gini << (out->leximin_complete ? "" : " (stopped at the time limit)") << "\n"
            << "stages " << out->stages << ", panels generated " << out->panels_generated << ", kept "
            << out->panels_kept << ", integer programs "
            << out->oracle_calls << "\n"
            << "seconds: LP " << out->seconds.lp << ", panel search " << out->seconds.mip << ", engine "
            << out->seconds.algorithm << ", wall " << wall << "\n"
            << "proven gap " << out->proven_gap << ", proven by " << selection::proven_by(*out) << "\n";
  return 0;
}
