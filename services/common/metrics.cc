#include "services/common/metrics.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/logging.h"

namespace fazhi {
namespace {

std::string Label(absl::string_view value) {
  std::string out;
  for (char c : value) {
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

Metrics& Metrics::Global() {
  static auto* metrics = new Metrics();
  return *metrics;
}

Metrics::MethodCalls& Metrics::For(absl::string_view service, absl::string_view method) {
  // Made in a buffer the thread keeps: no allocation once it has grown.
  thread_local std::string key;
  key.clear();
  absl::StrAppend(&key, service.size(), ":", service, method);
  {
    absl::ReaderMutexLock lock(&mutex_);
    auto it = methods_.find(key);
    if (it != methods_.end()) return *it->second;
  }
  absl::MutexLock lock(&mutex_);
  std::unique_ptr<MethodCalls>& entry = methods_[key];
  if (entry == nullptr) {
    entry = std::make_unique<MethodCalls>();
    entry->service = std::string(service);
    entry->method = std::string(method);
  }
  return *entry;
}

void Metrics::RecordCall(absl::string_view service, absl::string_view method, absl::StatusCode code,
                         double seconds) {
  MethodCalls& calls = For(service, method);
  int index = static_cast<int>(code);
  if (index < 0 || index >= kCodes) index = static_cast<int>(absl::StatusCode::kUnknown);
  calls.by_code[index].fetch_add(1, std::memory_order_relaxed);
  const size_t bucket =
      std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin();
  calls.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  const double nanos = std::max(0.0, seconds) * 1e9;
  calls.sum_nanos.fetch_add(static_cast<uint64_t>(std::llround(nanos)), std::memory_order_relaxed);
}

std::string Metrics::PrometheusText() const {
  std::vector<const MethodCalls*> methods;
  std::vector<std::function<std::string()>> sources;
  {
    absl::ReaderMutexLock lock(&mutex_);
    for (const auto& [key, calls] : methods_) methods.push_back(calls.get());
    sources = sources_;
  }
  std::sort(methods.begin(), methods.end(), [](const MethodCalls* a, const MethodCalls* b) {
    return std::tie(a->service, a->method) < std::tie(b->service, b->method);
  });
  std::string out =
      "# HELP fazhi_rpc_requests_total RPCs handled, by method and status code.\n"
      "# TYPE fazhi_rpc_requests_total counter\n";
  for (const MethodCalls* calls : methods) {
    // Codes by name, as a sorted table of (service, method, code) would list them.
    std::vector<std::pair<std::string, uint64_t>> codes;
    for (int i = 0; i < kCodes; ++i) {
      const uint64_t count = calls->by_code[i].load(std::memory_order_relaxed);
      if (count > 0) codes.emplace_back(absl::StatusCodeToString(absl::StatusCode(i)), count);
    }
    std::sort(codes.begin(), codes.end());
    for (const auto& [code, count] : codes) {
      absl::StrAppend(&out, "fazhi_rpc_requests_total{service=\"", Label(calls->service),
                      "\",method=\"", Label(calls->method), "\",code=\"", code, "\"} ", count,
                      "\n");
    }
  }
  out +=
      "# HELP fazhi_rpc_duration_seconds Time to handle an RPC, by method.\n"
      "# TYPE fazhi_rpc_duration_seconds histogram\n";
  for (const MethodCalls* calls : methods) {
    const std::string labels = absl::StrCat("service=\"", Label(calls->service), "\",method=\"",
                                            Label(calls->method), "\"");
    // The count is the buckets' total, read once: the page's histogram is
    // never out of step with itself while calls are recorded.
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += calls->buckets[i].load(std::memory_order_relaxed);
      absl::StrAppend(&out, "fazhi_rpc_duration_seconds_bucket{", labels, ",le=\"",
                      absl::StrFormat("%g", kBuckets[i]), "\"} ", cumulative, "\n");
    }
    cumulative += calls->buckets[kBuckets.size()].load(std::memory_order_relaxed);
    absl::StrAppend(&out, "fazhi_rpc_duration_seconds_bucket{", labels, ",le=\"+Inf\"} ",
                    cumulative, "\n");
    const double sum = calls->sum_nanos.load(std::memory_order_relaxed) / 1e9;
    absl::StrAppend(&out, "fazhi_rpc_duration_seconds_sum{", labels, "} ",
                    absl::StrFormat("%.6f", sum), "\n");
    absl::StrAppend(&out, "fazhi_rpc_duration_seconds_count{", labels, "} ", cumulative, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP fazhi_log_lines_dropped_total Log lines dropped because the log's buffer "
                  "was full.\n"
                  "# TYPE fazhi_log_lines_dropped_total counter\n"
                  "fazhi_log_lines_dropped_total ",
                  LogLinesDropped(), "\n");
  for (const auto& source : sources) out += source();
  return out;
}

void Metrics::AddText(std::function<std::string()> source) {
  absl::MutexLock lock(&mutex_);
  sources_.push_back(std::move(source));
}

}  // namespace fazhi
