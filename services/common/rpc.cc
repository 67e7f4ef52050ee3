#include "services/common/rpc.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "services/common/grpc_status.h"
#include "services/common/logging.h"
#include "services/common/metrics.h"
#include "services/common/resource.h"
#include "services/common/sql/database.h"
#include "spdlog/spdlog.h"

namespace fazhi {
namespace {

// A call's time for its log line, in tenths of a millisecond as whole
// numbers: fmt's float formatting with a precision ("{:.1f}") was most of
// the line's formatting. Printed "{}.{}" it reads as before.
struct Millis {
  int64_t whole;
  int tenth;
};
Millis ToMillis(double millis) {
  const int64_t tenths = std::llround(std::max(0.0, millis) * 10);
  return {tenths / 10, static_cast<int>(tenths % 10)};
}

}  // namespace

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

struct CallHandler::Pending {
  absl::Time start;
  CallInfo call;
  bool admitted = false;  // the policy saw it: it sees the end too
};

struct CallHandler::CallEnd::State {
  const CallHandler* handler = nullptr;
  grpc::ServerUnaryReactor* reactor = nullptr;
  std::string request_id;
  Pending pending;
  bool counted = false;  // in the handler's calls in flight
  std::atomic<bool> ended{false};
};

grpc::Status CallHandler::RunCall(grpc::ServerContextBase* context, absl::string_view method,
                                  const google::protobuf::Message* request,
                                  absl::FunctionRef<absl::Status()> body) const {
  Pending pending{absl::Now(), {}, false};
  ScopedRequestId request_id(RequestIdFor(*context));
  context->AddInitialMetadata(kRequestIdHeader, CurrentRequestId());
  pending.call.method = method;
  pending.call.context = context;
  pending.call.request = request;
  CurrentCallScope scoped(&pending.call);
  absl::Status status = Admit(pending);
  if (status.ok()) status = body();
  return End(pending, std::move(status));
}

grpc::ServerUnaryReactor* CallHandler::RunThen(grpc::CallbackServerContext* context,
                                               absl::string_view method,
                                               const google::protobuf::Message& request,
                                               absl::FunctionRef<void(CallEnd)> start) const {
  auto state = std::make_shared<CallEnd::State>();
  state->handler = this;
  state->reactor = context->DefaultReactor();
  state->pending.start = absl::Now();
  state->request_id = RequestIdFor(*context);
  ScopedRequestId request_id(state->request_id);
  context->AddInitialMetadata(kRequestIdHeader, state->request_id);
  state->pending.call.method = method;
  state->pending.call.context = context;
  state->pending.call.request = &request;
  grpc::ServerUnaryReactor* reactor = state->reactor;
  CallEnd end(state);
  // A policy may install a commit hook for this thread (a mutation's audit
  // record, access.cc) and take it out when the call ends, which may be on
  // another thread: this thread gets its own back once `start` returns,
  // and a write done elsewhere is audited on its own instead.
  sql::CommitHook* const thread_hook = sql::ThreadCommitHook();
  absl::Status admitted;
  {
    CurrentCallScope scoped(&state->pending.call);
    admitted = Admit(state->pending);
    if (admitted.ok() && max_in_flight_ > 0) {
      state->counted = true;
      if (in_flight_.fetch_add(1, std::memory_order_relaxed) >= max_in_flight_) {
        admitted = absl::ResourceExhaustedError(
            absl::StrCat("more than ", max_in_flight_, " calls in flight; try again"));
      }
    }
    if (admitted.ok()) start(end);
  }
  sql::SetThreadCommitHook(thread_hook);
  if (!admitted.ok()) end(std::move(admitted));
  return reactor;
}

void CallHandler::CallEnd::operator()(absl::Status status) const {
  if (state_->ended.exchange(true)) return;
  if (state_->counted) state_->handler->in_flight_.fetch_sub(1, std::memory_order_relaxed);
  // This thread's log line and audit carry the call's request id too.
  ScopedRequestId request_id(state_->request_id);
  CurrentCallScope scoped(&state_->pending.call);
  sql::CommitHook* const thread_hook = sql::ThreadCommitHook();  // see RunThen
  grpc::Status ended = state_->handler->End(state_->pending, std::move(status));
  sql::SetThreadCommitHook(thread_hook);
  state_->reactor->Finish(ended);
}

absl::Status CallHandler::Admit(Pending& pending) const {
  CallInfo& call = pending.call;
  if (readiness_ != nullptr && readiness_->state() == Readiness::State::kStarting) {
    return absl::UnavailableError("the service is starting: its store is not open yet");
  }
  if (call.context->deadline() < std::chrono::system_clock::now()) {
    // The caller stopped waiting while the call queued: skip the work.
    // (IsCancelled() would also see an explicit cancel, but on the
    // synchronous server it polls the call's completion queue, which took a
    // quarter of a small call's CPU; docs/performance.md.)
    return absl::DeadlineExceededError("the call's deadline passed before it started");
  }
  pending.admitted = true;
  if (policy_ == nullptr) return absl::OkStatus();
  absl::Status status = policy_->Admit(call);
  call.denied = !status.ok();
  return status;
}

grpc::Status CallHandler::End(Pending& pending, absl::Status status) const {
  if (pending.admitted && policy_ != nullptr) policy_->Finish(pending.call, status);
  const absl::string_view method = pending.call.method;
  const double millis = absl::ToDoubleMilliseconds(absl::Now() - pending.start);
  Metrics::Global().RecordCall(service_, method, status.code(), millis / 1000.0);
  const bool server_fault = status.code() == absl::StatusCode::kInternal ||
                            status.code() == absl::StatusCode::kUnknown ||
                            status.code() == absl::StatusCode::kDataLoss;
  const Millis took = ToMillis(millis);
  if (server_fault) {
    // The detail may name tables or files: log it, tell the caller less.
    spdlog::error("{} failed after {}.{} ms: {}", method, took.whole, took.tenth,
                  status.ToString());
    status = absl::Status(status.code(), absl::StrCat("internal error; quote request id ",
                                                      CurrentRequestId(), " to the operators"));
  } else if (status.ok()) {
    spdlog::info("{} OK in {}.{} ms", method, took.whole, took.tenth);
  } else {
    spdlog::info("{} {} in {}.{} ms: {}", method, absl::StatusCodeToString(status.code()),
                 took.whole, took.tenth, status.message());
  }
  return ToGrpcStatus(status);
}

}  // namespace fazhi
