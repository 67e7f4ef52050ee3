#ifndef FAZHI_SERVICES_COMMON_RPC_H_
#define FAZHI_SERVICES_COMMON_RPC_H_

// What every handler does around its own logic: refuse calls until the
// store is ready, take or make the request id, ask the call policy
// (authentication and authorization go there), log the outcome, and turn the
// absl::Status into a grpc::Status with details.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <grpcpp/server_context.h>
#include <google/protobuf/message.h>

#include "absl/strings/string_view.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "services/common/auth/principal.h"

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

// Facts about a call a policy decides on, and what it learnt (who calls,
// which organization); the handler reads them through CurrentCall().
struct CallInfo {
  absl::string_view method;  // e.g. "CreateSession"
  std::string peer;
  grpc::ServerContext* context = nullptr;
  // The request of a unary call; null for a client stream.
  const google::protobuf::Message* request = nullptr;

  // Filled by the policy.
  std::optional<auth::Principal> principal;
  std::optional<auth::Permission> permission;
  std::string org;       // the organization addressed; "-" across organizations
  std::string resource;  // the name the request addressed
  bool denied = false;   // refused by the policy
  // What the policy keeps from Admit to Finish (the audit record that
  // commits with the call's change).
  std::shared_ptr<void> policy_state;
};

// Decides whether a call may proceed and sees how it ended. Without a
// policy every call proceeds (unit tests of handlers).
class CallPolicy {
 public:
  virtual ~CallPolicy() = default;
  virtual absl::Status Admit(CallInfo& call) = 0;
  virtual void Finish(const CallInfo& /*call*/, const absl::Status& /*status*/) {}
};

class AllowAllPolicy : public CallPolicy {
 public:
  absl::Status Admit(CallInfo&) override { return absl::OkStatus(); }
};

// The call the current thread is handling; null outside CallHandler::Run.
CallInfo* CurrentCall();

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
