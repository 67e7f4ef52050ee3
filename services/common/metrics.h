#ifndef FAZHI_SERVICES_COMMON_METRICS_H_
#define FAZHI_SERVICES_COMMON_METRICS_H_

// Process-wide RPC metrics in Prometheus text format: calls by method and
// status code, and a latency histogram per method. CallHandler records every
// call; the HTTP side serves them at /metrics.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace fazhi {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  1.0,  5.0};

  static Metrics& Global();

  void RecordCall(absl::string_view service, absl::string_view method, absl::StatusCode code,
                  double seconds);
  std::string PrometheusText() const;
  // Text another part of the process adds to the page (its own metrics,
  // whole with HELP and TYPE), asked for every time the page is.
  void AddText(std::function<std::string()> source);

 private:
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative
    uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> calls_;
  std::map<std::pair<std::string, std::string>, Latency> latency_;
  std::vector<std::function<std::string()>> sources_;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_METRICS_H_
