#include "services/common/metrics.h"

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

void Metrics::RecordCall(absl::string_view service, absl::string_view method, absl::StatusCode code,
                         double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++calls_[{std::string(service), std::string(method), absl::StatusCodeToString(code)}];
  Latency& latency = latency_[{std::string(service), std::string(method)}];
  ++latency.count;
  latency.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++latency.buckets[i];
      break;
    }
  }
}

std::string Metrics::PrometheusText() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out =
      "# HELP fazhi_rpc_requests_total RPCs handled, by method and status code.\n"
      "# TYPE fazhi_rpc_requests_total counter\n";
  for (const auto& [key, count] : calls_) {
    const auto& [service, method, code] = key;
    absl::StrAppend(&out, "fazhi_rpc_requests_total{service=\"", Label(service), "\",method=\"",
                    Label(method), "\",code=\"", code, "\"} ", count, "\n");
  }
  out +=
      "# HELP fazhi_rpc_duration_seconds Time to handle an RPC, by method.\n"
      "# TYPE fazhi_rpc_duration_seconds histogram\n";
  for (const auto& [key, latency] : latency_) {
    const std::string labels =
        absl::StrCat("service=\"", Label(key.first), "\",method=\"", Label(key.second), "\"");
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += latency.buckets[i];
      absl::StrAppend(&out, "fazhi_rpc_duration_seconds_bucket{", labels, ",le=\"",
                      absl::StrFormat("%g", kBuckets[i]), "\"} ", cumulative, "\n");
    }
    absl::StrAppend(&out, "fazhi_rpc_duration_seconds_bucket{", labels, ",le=\"+Inf\"} ",
                    latency.count, "\n");
    absl::StrAppend(&out, "fazhi_rpc_duration_seconds_sum{", labels, "} ",
                    absl::StrFormat("%.6f", latency.sum), "\n");
    absl::StrAppend(&out, "fazhi_rpc_duration_seconds_count{", labels, "} ", latency.count, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP fazhi_log_lines_dropped_total Log lines dropped because the log's buffer "
                  "was full.\n"
                  "# TYPE fazhi_log_lines_dropped_total counter\n"
                  "fazhi_log_lines_dropped_total ",
                  LogLinesDropped(), "\n");
  for (const auto& source : sources_) out += source();
  return out;
}

void Metrics::AddText(std::function<std::string()> source) {
  std::lock_guard<std::mutex> lock(mutex_);
  sources_.push_back(std::move(source));
}

}  // namespace fazhi
