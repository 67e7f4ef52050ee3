#ifndef FAZHI_SERVICES_COMMON_RPC_H_
#define FAZHI_SERVICES_COMMON_RPC_H_

// What every handler does around its own logic: refuse calls until the
// store is ready, take or make the request id, ask the call policy
// (authentication and authorization go there), log the outcome, and turn the
// absl::Status into a grpc::Status with details.
//
// The data services' reads are on gRPC's callback API: the handler runs on
// the thread that took the call off the wire and answers through the
// context's default reactor, with no hand-off to a poller thread. So are the
// gateway's ComposeReport and GetFacts, which wait for the backends without
// holding a thread (RunThen). Writes, client streams (imports) and the
// gateway's other methods stay on the synchronous API (see CallbackMethods;
// docs/performance.md).

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

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
  // The same for a unary call on the callback API: `body` runs here, on
  // the callback thread, and the call is finished before this returns. A
  // body must therefore not wait for another callback (an outgoing async
  // call): gRPC runs every callback of the process on a few threads.
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* context, absl::string_view method,
                                const google::protobuf::Message& request,
                                absl::FunctionRef<absl::Status()> body) const {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(RunCall(context, method, &request, body));
    return reactor;
  }
  // Ends a call RunThen began: on any thread, once (later calls do nothing).
  class CallEnd {
   public:
    void operator()(absl::Status status) const;

   private:
    friend class CallHandler;
    struct State;
    explicit CallEnd(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
  };
  // A unary call on the callback API whose body waits for other calls (the
  // gateway's fan-out): the same edge, but `start` only begins the work and
  // returns; the call ends when the CallEnd it was given is called, from
  // whichever thread the work ends on. No gRPC thread is held meanwhile, so
  // slow backends cannot stall the process's other callback calls (health).
  // A call the edge refuses ends without `start`.
  grpc::ServerUnaryReactor* RunThen(grpc::CallbackServerContext* context, absl::string_view method,
                                    const google::protobuf::Message& request,
                                    absl::FunctionRef<void(CallEnd)> start) const;
  // At most `calls` of RunThen's in flight at once (0: no bound); one
  // beyond gets RESOURCE_EXHAUSTED at once, as a synchronous call beyond
  // --max_threads does: they hold no thread, so nothing else bounds them.
  void BoundCallsInFlight(int calls) { max_in_flight_ = calls; }
  // The same for a client stream: the policy sees no request; the stream
  // driver authorizes the organization its first message names.
  grpc::Status RunStream(grpc::ServerContext* context, absl::string_view method,
                         absl::FunctionRef<absl::Status()> body) const {
    return RunCall(context, method, nullptr, body);
  }

 private:
  struct Pending;
  grpc::Status RunCall(grpc::ServerContextBase* context, absl::string_view method,
                       const google::protobuf::Message* request,
                       absl::FunctionRef<absl::Status()> body) const;
  // The edge before the body (readiness, deadline, policy), with the
  // thread's request id and call set; and after it (policy, metrics, log,
  // status mapping).
  absl::Status Admit(Pending& pending) const;
  grpc::Status End(Pending& pending, absl::Status status) const;

  const Readiness* readiness_;
  CallPolicy* policy_;
  std::string service_;
  int max_in_flight_ = 0;
  mutable std::atomic<int> in_flight_{0};
};

// The request id a caller sent, if it is short printable ASCII; otherwise a
// new one.
std::string RequestIdFor(const grpc::ServerContextBase& context);

// A generated service base with the listed methods on the callback API and
// the others synchronous:
//   CallbackMethods<v1::S::Service, v1::S::WithCallbackMethod_Get, ...>
// is WithCallbackMethod_Get<...<v1::S::Service>>. The data services list
// their reads. Writes and imports stay synchronous: gRPC runs every callback
// of the process on a few threads (two on two cores), and a handler waiting
// for the disk would hold one while other calls queue behind it.
template <typename Base, template <typename> class... Methods>
struct CallbackMethodsOf;
template <typename Base>
struct CallbackMethodsOf<Base> {
  using type = Base;
};
template <typename Base, template <typename> class First, template <typename> class... Rest>
struct CallbackMethodsOf<Base, First, Rest...> {
  using type = First<typename CallbackMethodsOf<Base, Rest...>::type>;
};
template <typename Base, template <typename> class... Methods>
using CallbackMethods = typename CallbackMethodsOf<Base, Methods...>::type;

}  // namespace fazhi

#endif  // FAZHI_SERVICES_COMMON_RPC_H_
