// Request counts and latencies, served as Prometheus text at /metrics.
#ifndef COPRODUCE_WEB_METRICS_H_
#define COPRODUCE_WEB_METRICS_H_

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace coproduce::web {

// Thread-safe. Routes are recorded by pattern ("/admin/users/{id}"), never
// by the path itself, so no identifier or token reaches the metrics.
class Metrics {
 public:
  void record(const std::string& method, const std::string& route, int status, double seconds);
  // Prometheus text exposition format, version 0.0.4.
  std::string render() const;

  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
};

}  // namespace coproduce::web

#endif  // COPRODUCE_WEB_METRICS_H_
