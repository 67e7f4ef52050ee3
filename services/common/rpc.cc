#include "services/common/rpc.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "services/common/grpc_status.h"
#include "services/common/logging.h"
#include "services/common/metrics.h"
#include "services/common/resource.h"
#include "spdlog/spdlog.h"

namespace fazhi {

std::string RequestIdFor(const grpc::ServerContextBase& context) {
  auto it = context.client_metadata().find(kRequestIdHeader);
  if (it != context.client_metadata().end()) {
    absl::string_view id(it->second.data(), it->second.size());
    bool printable = !id.empty() && id.size() <= 64;
    for (char c : id) printable = printable && c > 0x20 && c < 0x7f;
    if (printable) return std::string(id);
  }
  return NewRequestId();
}

CallHandler::CallHandler(const Readiness* readiness, CallPolicy* policy, std::string service)
    : readiness_(readiness), policy_(policy), service_(std::move(service)) {}

grpc::Status CallHandler::RunCall(grpc::ServerContextBase* context, absl::string_view method,
                                  const google::protobuf::Message* request,
                                  absl::FunctionRef<absl::Status()> body) const {
  const absl::Time start = absl::Now();
  ScopedRequestId request_id(RequestIdFor(*context));
  context->AddInitialMetadata(kRequestIdHeader, CurrentRequestId());

  CallInfo call;
  call.method = method;
  call.context = context;
  call.request = request;
  CurrentCallScope scoped(&call);
  absl::Status status;
  if (readiness_ != nullptr && readiness_->state() == Readiness::State::kStarting) {
    status = absl::UnavailableError("the service is starting: its store is not open yet");
  } else if (context->deadline() < std::chrono::system_clock::now()) {
    // The caller stopped waiting while the call queued: skip the work.
    // (IsCancelled() would also see an explicit cancel, but on the
    // synchronous server it polls the call's completion queue, which took a
    // quarter of a small call's CPU; docs/performance.md.)
    status = absl::DeadlineExceededError("the call's deadline passed before it started");
  } else {
    if (policy_ != nullptr) {
      call.peer = context->peer();
      status = policy_->Admit(call);
      call.denied = !status.ok();
    }
    if (status.ok()) status = body();
    if (policy_ != nullptr) policy_->Finish(call, status);
  }

  const double millis = absl::ToDoubleMilliseconds(absl::Now() - start);
  Metrics::Global().RecordCall(service_, method, status.code(), millis / 1000.0);
  const bool server_fault = status.code() == absl::StatusCode::kInternal ||
                            status.code() == absl::StatusCode::kUnknown ||
                            status.code() == absl::StatusCode::kDataLoss;
  if (server_fault) {
    // The detail may name tables or files: log it, tell the caller less.
    spdlog::error("{} failed after {:.1f} ms: {}", method, millis, status.ToString());
    status = absl::Status(status.code(), absl::StrCat("internal error; quote request id ",
                                                      CurrentRequestId(), " to the operators"));
  } else if (status.ok()) {
    spdlog::info("{} OK in {:.1f} ms", method, millis);
  } else {
    spdlog::info("{} {} in {:.1f} ms: {}", method, absl::StatusCodeToString(status.code()), millis,
                 status.message());
  }
  return ToGrpcStatus(status);
}

}  // namespace fazhi
