// Writes a synthetic pool and quotas for the selection benchmark:
//   generate_pool PEOPLE CATEGORIES PANEL_SIZE SEED OUT_DIR
// Each category has 2 to 5 values with uneven shares (as real pools have);
// quotas are the pool share of the panel, give or take 25%.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: generate_pool PEOPLE CATEGORIES PANEL_SIZE SEED OUT_DIR\n";
    return 2;
  }
  const int n = std::atoi(argv[1]);
  const int categories = std::atoi(argv[2]);
  const int k = std::atoi(argv[3]);
  std::mt19937_64 rng(std::strtoull(argv[4], nullptr, 10));
  const std::filesystem::path dir(argv[5]);
  std::filesystem::create_directories(dir);

  std::vector<std::vector<double>> shares(static_cast<size_t>(categories));
  for (int c = 0; c < categories; ++c) {
    const int values = 2 + static_cast<int>(rng() % 4);
    double total = 0;
    for (int v = 0; v < values; ++v) {
      double w = 1.0 + static_cast<double>(rng() % 1000) / 250.0;  // 1 to 5
      shares[static_cast<size_t>(c)].push_back(w);
      total += w;
    }
    for (double& w : shares[static_cast<size_t>(c)]) w /= total;
  }
  std::vector<std::vector<int>> counts(static_cast<size_t>(categories));
  std::ofstream people(dir / "people.csv");
  people << "id";
  for (int c = 0; c < categories; ++c) people << ",cat" << c;
  people << "\n";
  for (int c = 0; c < categories; ++c) counts[static_cast<size_t>(c)].assign(shares[static_cast<size_t>(c)].size(), 0);
  for (int i = 0; i < n; ++i) {
    people << "p" << i;
    for (int c = 0; c < categories; ++c) {
      const auto& s = shares[static_cast<size_t>(c)];
      double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
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
      const double target = static_cast<double>(k) * counts[static_cast<size_t>(c)][v] / n;
      const int lo = static_cast<int>(std::floor(target * 0.75));
      const int hi = static_cast<int>(std::ceil(target * 1.25));
      quotas << "cat" << c << ",v" << v << "," << lo << "," << hi << "\n";
    }
  }
  return 0;
}
