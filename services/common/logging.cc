#include "services/common/logging.h"

#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "spdlog/async.h"
#include "spdlog/async_logger.h"
#include "spdlog/details/null_mutex.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/base_sink.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace fazhi {
namespace {

thread_local std::string current_request_id;

// The asynchronous log writes a line on its own thread, where the calling
// thread's request id is not at hand: the call path puts the id in front
// of the message, ended by this byte (a request id is printable ASCII).
constexpr char kIdEnd = '\x1f';

// The request id and the message of a line. `id_in_payload`: the line came
// through the asynchronous writer (see HandOffSink); otherwise it is
// formatted on the thread that logged it.
struct Line {
  absl::string_view id;
  absl::string_view message;
};
Line SplitLine(const spdlog::details::log_msg& msg, bool id_in_payload) {
  const absl::string_view payload(msg.payload.data(), msg.payload.size());
  if (!id_in_payload) return {current_request_id, payload};
  const size_t end = payload.find(kIdEnd);
  if (end == absl::string_view::npos) return {"", payload};
  return {payload.substr(0, end), payload.substr(end + 1)};
}

// %* in a text pattern: the request id, or "-".
class RequestIdFlag : public spdlog::custom_flag_formatter {
 public:
  explicit RequestIdFlag(bool id_in_payload = false) : id_in_payload_(id_in_payload) {}
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const absl::string_view id = SplitLine(msg, id_in_payload_).id;
    dest.append(id.empty() ? absl::string_view("-") : id);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>(id_in_payload_);
  }

 private:
  bool id_in_payload_;
};

// %Q in a text pattern: the message with line breaks and other control
// characters escaped, so a message quoting a caller's input cannot forge
// a line of its own.
class EscapedMessageFlag : public spdlog::custom_flag_formatter {
 public:
  explicit EscapedMessageFlag(bool id_in_payload = false) : id_in_payload_(id_in_payload) {}
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char ch : SplitLine(msg, id_in_payload_).message) {
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
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessageFlag>(id_in_payload_);
  }

 private:
  bool id_in_payload_;
};

class JsonFormatter : public spdlog::formatter {
 public:
  explicit JsonFormatter(bool id_in_payload = false) : id_in_payload_(id_in_payload) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
    const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    const auto level = spdlog::level::to_string_view(msg.level);
    const Line parts = SplitLine(msg, id_in_payload_);
    std::string line = absl::StrFormat(
        "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%06dZ\",\"level\":\"%s\",\"service\":\"%s\","
        "\"request_id\":\"%s\",\"msg\":\"%s\"}\n",
        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
        static_cast<int>(micros % 1000000), absl::string_view(level.data(), level.size()),
        JsonEscape(absl::string_view(msg.logger_name.data(), msg.logger_name.size())),
        JsonEscape(parts.id), JsonEscape(parts.message));
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>(id_in_payload_);
  }

 private:
  bool id_in_payload_;
};

}  // namespace

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

std::unique_ptr<spdlog::formatter> MakeFormatter(LogFormat format, bool id_in_payload = false) {
  if (format == LogFormat::kJson) return std::make_unique<JsonFormatter>(id_in_payload);
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<RequestIdFlag>('*', id_in_payload)
      .add_flag<EscapedMessageFlag>('Q', id_in_payload)
      .set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%L%$ %n [%*] %Q");
  return formatter;
}

// Lines waiting for the writer thread; beyond, the oldest waiting line is
// dropped (and counted) rather than the call waiting.
constexpr size_t kQueuedLines = 8192;

// The writer thread's sink: stderr, one write per line as before, and a
// note each time a flush has gone through (FlushLogs waits for it).
class WriterSink : public spdlog::sinks::stderr_sink_mt {
 public:
  void flush() override {
    spdlog::sinks::stderr_sink_mt::flush();
    std::lock_guard<std::mutex> lock(mutex_);
    ++flushed_;
    changed_.notify_all();
  }
  // Waits until a flush requested after `before` flushes went through.
  bool AwaitFlushAfter(uint64_t before, std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return flushed_ > before; });
  }
  uint64_t flushed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return flushed_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t flushed_ = 0;
};

// The asynchronous log: its thread pool (one writer thread) and the sink
// that writes, for the process; each InitLogging makes a writer logger
// (named after the service) on them. `flusher` only asks for flushes.
struct AsyncLog {
  std::shared_ptr<spdlog::details::thread_pool> pool;
  std::shared_ptr<WriterSink> sink;
  std::shared_ptr<spdlog::async_logger> flusher;
};
std::atomic<AsyncLog*> async_log{nullptr};

// The default logger's one sink, on the calling thread: hands the line,
// with the thread's request id in front, to the writer thread. Formatting
// the message and queueing it is all a call pays.
class HandOffSink : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit HandOffSink(std::shared_ptr<spdlog::async_logger> writer) : writer_(std::move(writer)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    line.append(current_request_id.data(), current_request_id.data() + current_request_id.size());
    line.push_back(kIdEnd);
    line.append(msg.payload.data(), msg.payload.data() + msg.payload.size());
    writer_->log(msg.time, msg.source, msg.level, spdlog::string_view_t(line.data(), line.size()));
  }
  void flush_() override { writer_->flush(); }

 private:
  std::shared_ptr<spdlog::async_logger> writer_;
};

// A crash-like end (a fatal signal, std::terminate): write what is queued,
// within a short limit, then end as the default action would. Not
// async-signal-safe, as nothing in spdlog is; at worst the limit passes.
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

// Made once per process: InitLogging may run again (tests), the writer
// thread and its counter stay.
AsyncLog* AsyncLogFor(LogFormat format) {
  constexpr auto kNeverBlock = spdlog::async_overflow_policy::overrun_oldest;
  AsyncLog* log = async_log.load(std::memory_order_acquire);
  if (log == nullptr) {
    log = new AsyncLog;  // never freed: loggers may be used until the end
    log->pool = std::make_shared<spdlog::details::thread_pool>(kQueuedLines, 1);
    log->sink = std::make_shared<WriterSink>();
    log->flusher = std::make_shared<spdlog::async_logger>("", log->sink, log->pool, kNeverBlock);
    async_log.store(log, std::memory_order_release);
    InstallFlushAtExit();
  }
  log->sink->set_formatter(MakeFormatter(format, /*id_in_payload=*/true));
  return log;
}

std::shared_ptr<spdlog::async_logger> WriterFor(absl::string_view service, LogFormat format) {
  AsyncLog* log = AsyncLogFor(format);
  auto writer = std::make_shared<spdlog::async_logger>(
      std::string(service), log->sink, log->pool, spdlog::async_overflow_policy::overrun_oldest);
  writer->set_level(spdlog::level::trace);  // the front logger filters
  return writer;
}

}  // namespace

spdlog::logger& AuditLogger() { return *AuditLoggerPtr(); }

uint64_t LogLinesDropped() {
  const AsyncLog* log = async_log.load(std::memory_order_acquire);
  return log == nullptr ? 0 : log->pool->overrun_counter();
}

bool FlushLogs(std::chrono::milliseconds limit) {
  AsyncLog* log = async_log.load(std::memory_order_acquire);
  if (log == nullptr) return true;
  const uint64_t before = log->sink->flushed();
  log->flusher->flush();  // queued behind every line logged so far
  return log->sink->AwaitFlushAfter(before, limit);
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
  auto logger = std::make_shared<spdlog::logger>(
      std::string(service), std::make_shared<HandOffSink>(WriterFor(service, log_format)));
  logger->set_level(parsed_level);
  logger->flush_on(spdlog::level::warn);
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
