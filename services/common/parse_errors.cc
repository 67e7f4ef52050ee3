#include "services/common/parse_errors.h"

#include <deque>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/logging.h"
#include "services/common/grpc_status.h"
#include "services/common/validation.h"
#include "spdlog/spdlog.h"

namespace fazhi {
namespace {

thread_local std::string utf8_failed_field;

constexpr std::string_view kUtf8Prefix = "String field '";
constexpr std::string_view kUtf8Suffix = "' contains invalid UTF-8 data when parsing";

void LogBridge(google::protobuf::LogLevel level, const char* file, int line,
               const std::string& message) {
  const auto start = message.find(kUtf8Prefix);
  const auto end = message.find(kUtf8Suffix);
  if (start != std::string::npos && end != std::string::npos && end > start) {
    utf8_failed_field =
        message.substr(start + kUtf8Prefix.size(), end - start - kUtf8Prefix.size());
    return;  // reported to the caller instead
  }
  const auto spd_level = level >= google::protobuf::LOGLEVEL_ERROR     ? spdlog::level::err
                         : level == google::protobuf::LOGLEVEL_WARNING ? spdlog::level::warn
                                                                       : spdlog::level::info;
  spdlog::log(spd_level, "protobuf {}:{}: {}", file, line, message);
}

class ParseErrorInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ParseErrorInterceptor(std::string method) : method_(std::move(method)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    // A sync server parses the request and sends the status of a call that
    // failed to parse on the same thread, with no handler in between.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (status.error_code() == grpc::StatusCode::INTERNAL && !utf8_failed_field.empty()) {
        FieldViolations violations;
        violations.Add(FieldPathInRequest(method_, utf8_failed_field), "must be valid UTF-8");
        methods->ModifySendStatus(ToGrpcStatus(violations.ToStatus()));
      }
      utf8_failed_field.clear();
    }
    methods->Proceed();
  }

 private:
  std::string method_;
};

}  // namespace

void InstallProtobufLogBridge() { google::protobuf::SetLogHandler(&LogBridge); }

std::string FieldPathInRequest(const std::string& method, const std::string& full_field_name) {
  // "/pkg.Service/Method" → "pkg.Service.Method"
  std::string dotted = method.size() > 1 ? method.substr(1) : method;
  for (char& c : dotted) {
    if (c == '/') c = '.';
  }
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* method_descriptor = pool->FindMethodByName(dotted);
  const auto* field = pool->FindFieldByName(full_field_name);
  if (method_descriptor == nullptr || field == nullptr) return full_field_name;
  // Breadth-first search for the shortest path to a field of that message.
  std::deque<std::pair<const google::protobuf::Descriptor*, std::string>> queue = {
      {method_descriptor->input_type(), ""}};
  for (int visited = 0; !queue.empty() && visited < 256; ++visited) {
    auto [message, prefix] = queue.front();
    queue.pop_front();
    if (message == field->containing_type()) return prefix + field->name();
    for (int i = 0; i < message->field_count(); ++i) {
      const auto* child = message->field(i);
      if (child->message_type() != nullptr) {
        queue.emplace_back(child->message_type(), absl::StrCat(prefix, child->name(), "."));
      }
    }
  }
  return full_field_name;
}

grpc::experimental::Interceptor* ParseErrorInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ParseErrorInterceptor(info->method());
}

}  // namespace fazhi
