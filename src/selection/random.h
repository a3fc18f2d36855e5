// A seeded random source that gives the same numbers on every platform.
//
// std::uniform_int_distribution may differ between standard libraries, so a
// draw published with its seed could not be checked elsewhere; this wraps
// std::mt19937_64 (whose output the standard fixes) with its own mapping.
#ifndef COPRODUCE_SELECTION_RANDOM_H_
#define COPRODUCE_SELECTION_RANDOM_H_

#include <cstdint>
#include <random>

namespace coproduce::selection {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // A whole number in [0, n), n > 0, without modulo bias.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x;
    do {
      x = engine_();
    } while (x >= limit);
    return x % n;
  }

  // A number in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_RANDOM_H_
