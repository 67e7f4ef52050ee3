#ifndef FAZHI_SERVICES_COMMON_METRICS_H_
#define FAZHI_SERVICES_COMMON_METRICS_H_

// Process-wide RPC metrics in Prometheus text format: calls by method and
// status code, and a latency histogram per method. CallHandler records every
// call; the HTTP side serves them at /metrics.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace fazhi {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  1.0,  5.0};

  static Metrics& Global();

  // Thread-safe. A method's counters are found under a shared lock and
  // counted with atomics: every call of the process records here, and an
  // exclusive lock, five strings and two ordered maps a call cost more.
  void RecordCall(absl::string_view service, absl::string_view method, absl::StatusCode code,
                  double seconds);
  std::string PrometheusText() const;
  // Text another part of the process adds to the page (its own metrics,
  // whole with HELP and TYPE), asked for every time the page is.
  void AddText(std::function<std::string()> source);

 private:
  // absl::StatusCode's values 0-16; anything else counts as UNKNOWN.
  static constexpr int kCodes = 17;

  struct MethodCalls {
    std::string service;
    std::string method;
    std::array<std::atomic<uint64_t>, kCodes> by_code{};
    // Non-cumulative; the last counts calls beyond the last bound.
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> sum_nanos{0};
  };

  MethodCalls& For(absl::string_view service, absl::string_view method);

  mutable absl::Mutex mutex_;
  // Keyed by the length of the service, ':', the service and the method;
  // entries are never removed, so a found one stays valid unlocked.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodCalls>> methods_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::function<std::string()>> sources_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_METRICS_H_
