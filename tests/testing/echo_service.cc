#include "tests/testing/echo_service.h"

#include <chrono>
#include <thread>

namespace fazhi::testing {

grpc::ServerUnaryReactor* EchoServiceImpl::Echo(grpc::CallbackServerContext* context,
                                                const fazhi::testing::v1::EchoRequest* request,
                                                fazhi::testing::v1::EchoResponse* response) {
  return calls_->Run(context, "Echo", *request, [&] {
    // Sleeps in slices and gives up when the call is cancelled, as every
    // long-running handler must: a draining server cancels calls that
    // outlive the grace period and then waits for their handlers.
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(request->delay_ms());
    while (std::chrono::steady_clock::now() < until) {
      if (context->IsCancelled()) return absl::CancelledError("cancelled while echoing");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    response->set_message(request->message());
    return absl::OkStatus();
  });
}

}  // namespace fazhi::testing
