#ifndef FAZHI_SERVICES_COMMON_RPC_H_
#define FAZHI_SERVICES_COMMON_RPC_H_

// What every handler does around its own logic: refuse calls until the
// store is ready, take or make the request id, ask the call policy
// (authentication and authorization go there), log the outcome, and turn the
// absl::Status into a grpc::Status with details.

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/auth/call_policy.h"

namespace fazhi {

// Lifecycle of a server, shared by the health service and the handlers.
class Readiness {
 public:
  // kStoreUnreachable: serving, but no writable database server answers
  // (a failover under way); health says NOT_SERVING, calls still run.
  enum class State { kStarting, kServing, kStoreUnreachable, kDraining };
  State state() const { return state_.load(std::memory_order_acquire); }
  void Set(State state) { state_.store(state, std::memory_order_release); }

 private:
  std::atomic<State> state_{State::kStarting};
};

inline constexpr char kRequestIdHeader[] = "x-request-id";

class CallHandler {
 public:
  // `readiness` and `policy` must outlive the handler; policy may be null
  // (allow all). `service` labels the call metrics.
  CallHandler(const Readiness* readiness, CallPolicy* policy, std::string service = "");

  // Runs `body` for one unary call of `method` and converts its status.
  grpc::Status Run(grpc::ServerContext* context, absl::string_view method,
                   const google::protobuf::Message& request,
                   absl::FunctionRef<absl::Status()> body) const {
    return RunCall(context, method, &request, body);
  }
  // The same for a client stream: the policy sees no request; the stream
  // driver authorizes the organization its first message names.
  grpc::Status RunStream(grpc::ServerContext* context, absl::string_view method,
                         absl::FunctionRef<absl::Status()> body) const {
    return RunCall(context, method, nullptr, body);
  }

 private:
  grpc::Status RunCall(grpc::ServerContext* context, absl::string_view method,
                       const google::protobuf::Message* request,
                       absl::FunctionRef<absl::Status()> body) const;

  const Readiness* readiness_;
  CallPolicy* policy_;
  std::string service_;
};

// The request id a caller sent, if it is short printable ASCII; otherwise a
// new one.
std::string RequestIdFor(const grpc::ServerContext& context);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_RPC_H_
