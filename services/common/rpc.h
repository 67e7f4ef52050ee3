#ifndef FAZHI_SERVICES_COMMON_RPC_H_
#define FAZHI_SERVICES_COMMON_RPC_H_

// What every handler does around its own logic: refuse calls until the
// store is ready, take or make the request id, ask the call policy
// (authentication and authorization go there), log the outcome, and turn the
// absl::Status into a grpc::Status with details.

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include <grpcpp/server_context.h>

#include "absl/strings/string_view.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace fazhi {

// Lifecycle of a server, shared by the health service and the handlers.
class Readiness {
 public:
  enum class State { kStarting, kServing, kDraining };
  State state() const { return state_.load(std::memory_order_acquire); }
  void Set(State state) { state_.store(state, std::memory_order_release); }

 private:
  std::atomic<State> state_{State::kStarting};
};

// Facts about a call a policy may decide on.
struct CallInfo {
  absl::string_view method;  // e.g. "CreateSession"
  absl::string_view peer;
  const grpc::ServerContext* context;
};

// Decides whether a call may proceed. The default allows every call; the
// authentication/authorization policy plugs in here.
class CallPolicy {
 public:
  virtual ~CallPolicy() = default;
  virtual absl::Status Admit(const CallInfo& call) = 0;
};

class AllowAllPolicy : public CallPolicy {
 public:
  absl::Status Admit(const CallInfo&) override { return absl::OkStatus(); }
};

inline constexpr char kRequestIdHeader[] = "x-request-id";

class CallHandler {
 public:
  // `readiness` and `policy` must outlive the handler; policy may be null
  // (allow all). `service` labels the call metrics.
  CallHandler(const Readiness* readiness, CallPolicy* policy, std::string service = "");

  // Runs `body` for one call of `method` and converts its status.
  grpc::Status Run(grpc::ServerContext* context, absl::string_view method,
                   absl::FunctionRef<absl::Status()> body) const;

 private:
  const Readiness* readiness_;
  CallPolicy* policy_;
  std::string service_;
};

// The request id a caller sent, if it is short printable ASCII; otherwise a
// new one.
std::string RequestIdFor(const grpc::ServerContext& context);

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_RPC_H_
