#include "web/metrics.h"

#include <sstream>

namespace coproduce::web {
namespace {

std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::record(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  out << "# HELP coproduce_http_requests_total HTTP requests by route and status.\n"
      << "# TYPE coproduce_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "coproduce_http_requests_total{method=\"" << label(method) << "\",route=\"" << label(route)
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP coproduce_http_request_duration_seconds Time to handle a request.\n"
      << "# TYPE coproduce_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string r = label(route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "coproduce_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"" << kBuckets[i] << "\"} "
          << h.buckets[i] << "\n";
    }
    out << "coproduce_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} " << h.count << "\n"
        << "coproduce_http_request_duration_seconds_sum{route=\"" << r << "\"} " << h.sum << "\n"
        << "coproduce_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count << "\n";
  }
  return out.str();
}

}  // namespace coproduce::web
