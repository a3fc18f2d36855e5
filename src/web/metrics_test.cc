#include "web/metrics.h"

#include <gtest/gtest.h>

namespace coproduce::web {
namespace {

TEST(Metrics, CountsByRouteAndStatusWithCumulativeBuckets) {
  Metrics m;
  m.record("GET", "/", 200, 0.003);
  m.record("GET", "/", 200, 0.2);
  m.record("GET", "/", 404, 20);
  std::string text = m.render();
  EXPECT_NE(text.find("coproduce_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 2"), std::string::npos);
  EXPECT_NE(text.find("coproduce_http_requests_total{method=\"GET\",route=\"/\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("bucket{route=\"/\",le=\"0.005\"} 1"), std::string::npos);
  EXPECT_NE(text.find("bucket{route=\"/\",le=\"0.25\"} 2"), std::string::npos);
  EXPECT_NE(text.find("bucket{route=\"/\",le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("_count{route=\"/\"} 3"), std::string::npos);
}

}  // namespace
}  // namespace coproduce::web
