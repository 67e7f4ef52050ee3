#include "services/common/logging.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "services/common/line_writer.h"
#include "spdlog/formatter.h"
#include "spdlog/sinks/sink.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace fazhi {
namespace {

thread_local std::string current_request_id;

// The request id and the message of a line. Lines are formatted on the
// thread that logged them (see BatchSink), where the id is at hand.
struct Line {
  absl::string_view id;
  absl::string_view message;
};
Line SplitLine(const spdlog::details::log_msg& msg) {
  return {current_request_id, absl::string_view(msg.payload.data(), msg.payload.size())};
}

// The message with line breaks and other control characters escaped, so a
// message quoting a caller's input cannot forge a line of its own.
void AppendEscaped(absl::string_view message, spdlog::memory_buf_t& dest) {
  for (char ch : message) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7F) {
      dest.push_back(ch);
    } else if (ch == '\n') {
      dest.append(absl::string_view("\\n"));
    } else if (ch == '\r') {
      dest.append(absl::string_view("\\r"));
    } else if (ch == '\t') {
      dest.push_back('\t');
    } else {
      const std::string hex = absl::StrFormat("\\x%02x", c);
      dest.append(hex.data(), hex.data() + hex.size());
    }
  }
}

// Both formatters keep no state between lines, so every thread formats
// with the same one at once.

// `2026-01-01T08:00:00.000123Z I study [request id or -] message`.
class TextFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const Line parts = SplitLine(msg);
    thread_local std::string head;
    head.clear();
    AppendLogTime(msg.time, head);
    head.push_back(' ');
    head.append(spdlog::level::to_short_c_str(msg.level));
    head.push_back(' ');
    dest.append(head.data(), head.data() + head.size());
    dest.append(msg.logger_name.data(), msg.logger_name.data() + msg.logger_name.size());
    dest.append(absl::string_view(" ["));
    dest.append(parts.id.empty() ? absl::string_view("-") : parts.id);
    dest.append(absl::string_view("] "));
    AppendEscaped(parts.message, dest);
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>();
  }
};

class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    const Line parts = SplitLine(msg);
    std::string line = "{\"time\":\"";
    AppendLogTime(msg.time, line);
    absl::StrAppend(&line, "\",\"level\":\"", absl::string_view(level.data(), level.size()),
                    "\",\"service\":\"",
                    JsonEscape(absl::string_view(msg.logger_name.data(), msg.logger_name.size())),
                    "\",\"request_id\":\"", JsonEscape(parts.id), "\",\"msg\":\"",
                    JsonEscape(parts.message), "\"}\n");
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

void AppendLogTime(std::chrono::system_clock::time_point time, std::string& dest) {
  const int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  // Floored, so a time before 1970 still gets its own second.
  int64_t seconds = micros / 1000000;
  int64_t fraction = micros % 1000000;
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  // The date and clock time of the second last written on this thread.
  struct Second {
    int64_t seconds = 0;
    bool set = false;
    char text[32] = {};  // "2026-01-01T08:00:00."
    size_t size = 0;
  };
  thread_local Second cached;
  if (!cached.set || cached.seconds != seconds) {
    std::tm utc{};
    const std::time_t t = static_cast<std::time_t>(seconds);
    gmtime_r(&t, &utc);
    const int n = std::snprintf(cached.text, sizeof(cached.text), "%04d-%02d-%02dT%02d:%02d:%02d.",
                                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                                utc.tm_min, utc.tm_sec);
    cached.size = n > 0 ? std::min(static_cast<size_t>(n), sizeof(cached.text) - 1) : 0;
    cached.seconds = seconds;
    cached.set = true;
  }
  dest.append(cached.text, cached.size);
  char digits[7];
  for (int i = 5; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  digits[6] = 'Z';
  dest.append(digits, sizeof(digits));
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += ch;
        }
    }
  }
  return out;
}

namespace {

// Replaced by InitLogging, before the server's threads start.
std::shared_ptr<spdlog::logger>& AuditLoggerPtr() {
  static auto* logger = new std::shared_ptr<spdlog::logger>(
      std::make_shared<spdlog::logger>("audit", std::make_shared<spdlog::sinks::stderr_sink_mt>()));
  return *logger;
}

std::unique_ptr<spdlog::formatter> MakeFormatter(LogFormat format) {
  if (format == LogFormat::kJson) return std::make_unique<JsonFormatter>();
  return std::make_unique<TextFormatter>();
}

// Bytes of lines waiting for the writer at most (some 16,000 lines of a
// call's length); beyond, a line is dropped and counted rather than the
// call waiting.
constexpr size_t kWaitingBytes = 4 << 20;
// How long an ordinary line may wait before it is written.
constexpr std::chrono::milliseconds kWriteInterval(10);

// The process's one writer to stderr; never freed: lines may be logged
// until the very end.
std::atomic<LineWriter*> stderr_writer{nullptr};

LineWriter& StderrWriter() {
  static LineWriter* writer = [] {
    auto* made = new LineWriter(STDERR_FILENO, kWaitingBytes, kWriteInterval);
    stderr_writer.store(made, std::memory_order_release);
    return made;
  }();
  return *writer;
}

// The default logger's one sink. The line is formatted on the thread that
// logged it, where its request id is at hand, and handed to the stderr
// writer; a call pays for the formatting and one short lock, never for a
// write or a wake-up. Warnings and errors are written at once.
class BatchSink : public spdlog::sinks::sink {
 public:
  explicit BatchSink(std::unique_ptr<spdlog::formatter> formatter)
      : formatter_(std::move(formatter)) {}

  void log(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);  // stateless: no lock
    StderrWriter().Append(absl::string_view(line.data(), line.size()),
                          msg.level >= spdlog::level::warn);
  }
  void flush() override {}  // urgent lines are written at once; FlushLogs waits
  // The format is InitLogging's (--log_format), fixed for the sink's life:
  // a formatter with state between lines could not be shared by threads.
  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}

 private:
  const std::unique_ptr<spdlog::formatter> formatter_;
};

// A crash-like end (a fatal signal, std::terminate): write what is queued,
// within a short limit, then end as the default action would. Not
// async-signal-safe; at worst the limit passes.
void FlushBeforeDying(int signal_number) {
  FlushLogs(std::chrono::milliseconds(500));
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void InstallFlushAtExit() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::atexit([] { FlushLogs(std::chrono::seconds(2)); });
    // Only where nobody else (a sanitizer, a debugger's helper) handles it.
    for (int fatal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
      struct sigaction current {};
      if (sigaction(fatal, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
        ::signal(fatal, FlushBeforeDying);
      }
    }
    static std::terminate_handler previous = nullptr;
    previous = std::set_terminate([] {
      FlushLogs(std::chrono::milliseconds(500));
      if (previous != nullptr) previous();  // libstdc++'s prints the exception
      std::abort();
    });
  });
}

}  // namespace

spdlog::logger& AuditLogger() { return *AuditLoggerPtr(); }

uint64_t LogLinesDropped() {
  const LineWriter* writer = stderr_writer.load(std::memory_order_acquire);
  return writer == nullptr ? 0 : writer->dropped();
}

bool FlushLogs(std::chrono::milliseconds limit) {
  LineWriter* writer = stderr_writer.load(std::memory_order_acquire);
  return writer == nullptr || writer->Flush(limit);
}

const std::string& CurrentRequestId() { return current_request_id; }

ScopedRequestId::ScopedRequestId(std::string id) : previous_(std::move(current_request_id)) {
  current_request_id = std::move(id);
}

ScopedRequestId::~ScopedRequestId() { current_request_id = std::move(previous_); }

absl::Status InitLogging(absl::string_view service, absl::string_view format,
                         absl::string_view level) {
  const auto parsed_level = spdlog::level::from_str(std::string(level));
  if (parsed_level == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError(absl::StrCat(
        "log_level: unknown level \"", level, "\"; use trace, debug, info, warn, error or off"));
  }
  LogFormat log_format;
  if (format == "json") {
    log_format = LogFormat::kJson;
  } else if (format == "text") {
    log_format = LogFormat::kText;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("log_format: unknown format \"", format, "\"; use text or json"));
  }
  // Logs go to stderr so stdout stays free for a command's own output,
  // written by a thread of their own (docs/performance.md).
  StderrWriter();
  InstallFlushAtExit();
  auto logger = std::make_shared<spdlog::logger>(
      std::string(service), std::make_shared<BatchSink>(MakeFormatter(log_format)));
  logger->set_level(parsed_level);
  spdlog::set_default_logger(std::move(logger));
  // The audit logger shares the sink's format and service name, not the
  // level: the trail stays on at every --log_level.
  auto audit = std::make_shared<spdlog::logger>(std::string(service),
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>());
  audit->set_formatter(MakeFormatter(log_format));
  audit->set_level(spdlog::level::info);
  audit->flush_on(spdlog::level::info);
  AuditLoggerPtr() = std::move(audit);
  return absl::OkStatus();
}

}  // namespace fazhi
