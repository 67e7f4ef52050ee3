#ifndef FAZHI_SERVICES_COMMON_PARSE_ERRORS_H_
#define FAZHI_SERVICES_COMMON_PARSE_ERRORS_H_

// Requests that fail to parse never reach a handler: gRPC answers INTERNAL
// with no message. The one parse failure a well-formed client can cause is
// invalid UTF-8 in a string field (proto3 rejects it). Protobuf names the
// field only in a log line, so this bridge captures that line on the
// parsing thread and an interceptor rewrites the call's status to
// INVALID_ARGUMENT naming the field, as for any other bad field.

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>

namespace fazhi {

// Routes protobuf's log output to spdlog and captures UTF-8 parse failures.
// Call once at start-up, before serving.
void InstallProtobufLogBridge();

// Request field paths (e.g. "session.title") of the message field
// `full_field_name` (e.g. "fazhi.study.v1.Session.title") inside the input of
// `method` ("/pkg.Service/Method"); the full name when no path is found.
std::string FieldPathInRequest(const std::string& method, const std::string& full_field_name);

class ParseErrorInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_PARSE_ERRORS_H_
