// Time, passed in rather than read from a global, so tests can fix it.
#ifndef COPRODUCE_CORE_CLOCK_H_
#define COPRODUCE_CORE_CLOCK_H_

#include <chrono>
#include <string>

namespace coproduce {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// The real wall clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock tests move by hand. Not thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  TimePoint now_;
};

// Seconds since `start` on the steady clock (which never jumps): for the
// time a piece of work took, as figures report it.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "2026-11-26T05:33:52Z": UTC, to the second. Strings in this form sort in
// time order, which is how the store keeps and compares timestamps.
std::string format_timestamp(TimePoint t);

// Parses format_timestamp's form; returns false when `text` is not in it.
bool parse_timestamp(const std::string& text, TimePoint* out);

// "YYYY-MM-DD" from a date typed as day, month and year boxes ("7", "03",
// "2027"), or "" when it is not a real date with a year from `min_year` to 2100.
std::string date_from_parts(const std::string& day, const std::string& month, const std::string& year,
                            int min_year = 2000);

}  // namespace coproduce

#endif  // COPRODUCE_CORE_CLOCK_H_
