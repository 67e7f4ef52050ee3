#ifndef FAZHI_SERVICES_COMMON_LOGGING_H_
#define FAZHI_SERVICES_COMMON_LOGGING_H_

// spdlog set-up shared by every binary: human text for terminals or one JSON
// object per line for containers, each line carrying the request id of the
// call the logging thread is serving. Lines are formatted by the thread
// that logs them and written in batches by a thread of their own
// (line_writer.h), so a call never waits for stderr; when the bounded
// buffer is full a line is dropped and counted.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fmt/format.h"
#include "spdlog/logger.h"

namespace fazhi {

enum class LogFormat { kText, kJson };

// Configures the default spdlog logger, named after the service.
absl::Status InitLogging(absl::string_view service, absl::string_view format,
                         absl::string_view level);

// The audit trail's logger where a service keeps no audit table: its own
// stderr sink and the configured format, always at info whatever
// --log_level says, flushed at every line, so the trail cannot be
// silenced or lost with the ordinary log.
spdlog::logger& AuditLogger();

// Lines dropped because the log's buffer was full (on /metrics).
uint64_t LogLinesDropped();

// Writes every line logged so far; false if that took longer than `limit`.
// Runs by itself at exit, on std::terminate and on a fatal signal.
bool FlushLogs(std::chrono::milliseconds limit = std::chrono::seconds(2));

// The request id of the call this thread is serving ("" outside calls).
const std::string& CurrentRequestId();

// Sets the thread's request id for its lifetime, restoring the old one.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

// JSON string escaping for log fields.
std::string JsonEscape(absl::string_view text);

// A line's time as it is written, `2026-01-01T08:00:00.000123Z` (UTC,
// microseconds). The date and clock time are worked out once a second per
// thread: gmtime_r takes glibc's time-zone lock, and formatting the time
// with absl::StrFormat was about a third of a log line's cost.
void AppendLogTime(std::chrono::system_clock::time_point time, std::string& dest);

}  // namespace fazhi

// Debian's Abseil has its own string_view type; let log lines take it.
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  template <typename Context>
  auto format(absl::string_view text, Context& ctx) const {
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(text.data(), text.size()),
                                                    ctx);
  }
};

#endif  // FAZHI_SERVICES_COMMON_LOGGING_H_
