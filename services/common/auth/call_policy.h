#ifndef FAZHI_SERVICES_COMMON_AUTH_CALL_POLICY_H_
#define FAZHI_SERVICES_COMMON_AUTH_CALL_POLICY_H_

// What a call policy decides on and the interface it implements. Here, not
// in rpc.h, so that the access policy depends on this small vocabulary and
// the call runtime (rpc.h) on the policy: one way.

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/auth/principal.h"

namespace fazhi {

// Facts about a call a policy decides on, and what it learnt (who calls,
// which organization); the handler reads them through CurrentCall().
struct CallInfo {
  absl::string_view method;  // e.g. "CreateSession"
  grpc::ServerContextBase* context = nullptr;
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

// Makes `call` the thread's current call for the scope (CallHandler does,
// around the policy and the handler).
class CurrentCallScope {
 public:
  explicit CurrentCallScope(CallInfo* call);
  ~CurrentCallScope();
  CurrentCallScope(const CurrentCallScope&) = delete;
  CurrentCallScope& operator=(const CurrentCallScope&) = delete;

 private:
  CallInfo* previous_;
};

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_AUTH_CALL_POLICY_H_
