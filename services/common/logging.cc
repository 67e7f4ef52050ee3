#include "services/common/logging.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace fazhi {
namespace {

thread_local std::string current_request_id;

// %* in a text pattern: the request id, or "-".
class RequestIdFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string& id = current_request_id.empty() ? kDash : current_request_id;
    dest.append(id.data(), id.data() + id.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>();
  }

 private:
  inline static const std::string kDash = "-";
};

// %Q in a text pattern: the message with line breaks and other control
// characters escaped, so a message quoting a caller's input cannot forge
// a line of its own.
class EscapedMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char ch : absl::string_view(msg.payload.data(), msg.payload.size())) {
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
    return std::make_unique<EscapedMessageFlag>();
  }
};

class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
    const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    const auto level = spdlog::level::to_string_view(msg.level);
    std::string line = absl::StrFormat(
        "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%06dZ\",\"level\":\"%s\",\"service\":\"%s\","
        "\"request_id\":\"%s\",\"msg\":\"%s\"}\n",
        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
        static_cast<int>(micros % 1000000), absl::string_view(level.data(), level.size()),
        JsonEscape(absl::string_view(msg.logger_name.data(), msg.logger_name.size())),
        JsonEscape(current_request_id),
        JsonEscape(absl::string_view(msg.payload.data(), msg.payload.size())));
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
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

std::unique_ptr<spdlog::formatter> MakeFormatter(LogFormat format) {
  if (format == LogFormat::kJson) return std::make_unique<JsonFormatter>();
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<RequestIdFlag>('*').add_flag<EscapedMessageFlag>('Q').set_pattern(
      "%Y-%m-%dT%H:%M:%S.%fZ %^%L%$ %n [%*] %Q");
  return formatter;
}

}  // namespace

spdlog::logger& AuditLogger() { return *AuditLoggerPtr(); }

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
  // Logs go to stderr so stdout stays free for a command's own output.
  auto logger = std::make_shared<spdlog::logger>(std::string(service),
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  LogFormat log_format;
  if (format == "json") {
    log_format = LogFormat::kJson;
  } else if (format == "text") {
    log_format = LogFormat::kText;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("log_format: unknown format \"", format, "\"; use text or json"));
  }
  logger->set_formatter(MakeFormatter(log_format));
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
