// Writes a synthetic pool and quotas for the selection benchmark:
//   generate_pool PEOPLE CATEGORIES PANEL_SIZE SEED OUT_DIR [volunteer]
//
// Default: each category has 2 to 5 values with uneven shares; quotas are
// the pool's share of the panel, give or take 25%.
//
// "volunteer": each category has 2 to 6 values. The population's shares are
// uneven, and the pool leans away from them the way volunteer pools do (some
// values answer an invitation up to three times as often as others). Quotas
// are the population's share of the panel, rounded down and up, so they sit
// close to the population and away from the pool: the hard case for fair
// selection, since the rarer volunteers must be chosen more often.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

std::vector<double> normalised(std::vector<double> w) {
  double total = 0;
  for (double x : w) total += x;
  for (double& x : w) x /= total;
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) {
    std::cerr << "usage: generate_pool PEOPLE CATEGORIES PANEL_SIZE SEED OUT_DIR [volunteer]\n";
    return 2;
  }
  const int n = std::atoi(argv[1]);
  const int categories = std::atoi(argv[2]);
  const int k = std::atoi(argv[3]);
  std::mt19937_64 rng(std::strtoull(argv[4], nullptr, 10));
  const std::filesystem::path dir(argv[5]);
  const bool volunteer = argc == 7 && std::string(argv[6]) == "volunteer";
  if (argc == 7 && !volunteer) {
    std::cerr << "generate_pool: the sixth argument may only be \"volunteer\"\n";
    return 2;
  }
  std::filesystem::create_directories(dir);

  std::vector<std::vector<double>> population(static_cast<size_t>(categories));
  std::vector<std::vector<double>> pool(static_cast<size_t>(categories));
  for (int c = 0; c < categories; ++c) {
    const int values = volunteer ? 2 + static_cast<int>(rng() % 5) : 2 + static_cast<int>(rng() % 4);
    std::vector<double> pop;
    std::vector<double> lean;
    for (int v = 0; v < values; ++v) {
      pop.push_back(1.0 + static_cast<double>(rng() % 1000) / 250.0);  // 1 to 5
      lean.push_back(volunteer ? std::exp(std::log(3.0) * (uniform(rng) - 0.5) * 2.0) : 1.0);  // 1/3 to 3
    }
    population[static_cast<size_t>(c)] = normalised(pop);
    for (int v = 0; v < values; ++v) pop[static_cast<size_t>(v)] *= lean[static_cast<size_t>(v)];
    pool[static_cast<size_t>(c)] = normalised(pop);
  }
  std::vector<std::vector<int>> counts(static_cast<size_t>(categories));
  std::ofstream people(dir / "people.csv");
  people << "id";
  for (int c = 0; c < categories; ++c) people << ",cat" << c;
  people << "\n";
  for (int c = 0; c < categories; ++c) counts[static_cast<size_t>(c)].assign(pool[static_cast<size_t>(c)].size(), 0);
  for (int i = 0; i < n; ++i) {
    people << "p" << i;
    for (int c = 0; c < categories; ++c) {
      const auto& s = pool[static_cast<size_t>(c)];
      double u = uniform(rng);
      size_t v = 0;
      while (v + 1 < s.size() && u >= s[v]) u -= s[v++];
      ++counts[static_cast<size_t>(c)][v];
      people << ",v" << v;
    }
    people << "\n";
  }
  std::ofstream quotas(dir / "quotas.csv");
  quotas << "feature,value,min,max\n";
  for (int c = 0; c < categories; ++c) {
    for (size_t v = 0; v < counts[static_cast<size_t>(c)].size(); ++v) {
      int lo;
      int hi;
      if (volunteer) {
        const double target = static_cast<double>(k) * population[static_cast<size_t>(c)][v];
        lo = static_cast<int>(std::floor(target));
        hi = static_cast<int>(std::ceil(target));
        if (lo == hi) ++hi;
        // Never ask for more than the pool has.
        lo = std::min(lo, counts[static_cast<size_t>(c)][v]);
      } else {
        const double target = static_cast<double>(k) * counts[static_cast<size_t>(c)][v] / n;
        lo = static_cast<int>(std::floor(target * 0.75));
        hi = static_cast<int>(std::ceil(target * 1.25));
      }
      quotas << "cat" << c << ",v" << v << "," << lo << "," << hi << "\n";
    }
  }
  return 0;
}
