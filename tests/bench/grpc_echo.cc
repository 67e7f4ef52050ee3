// fazhi-grpc-echo: the bare echo service on gRPC's own API, with none of the
// project's runtime (no CallHandler, store, authentication, metrics or log
// line). The ceiling that scripts/bench-load.sh sets the services against.
//
//   fazhi-grpc-echo --listen=127.0.0.1:7198 [--api=callback|sync]
//
// --api=sync serves the same answer from the synchronous API, so the two
// server APIs can be compared with nothing else different.

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "fazhi/testing/v1/echo.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7198", "address to serve on (plaintext)");
ABSL_FLAG(std::string, api, "callback", "callback or sync");

namespace {

namespace echo = fazhi::testing::v1;

class CallbackEcho final : public echo::EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const echo::EchoRequest* request,
                                 echo::EchoResponse* response) override {
    response->set_message(request->message());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class SyncEcho final : public echo::EchoService::Service {
  grpc::Status Echo(grpc::ServerContext*, const echo::EchoRequest* request,
                    echo::EchoResponse* response) override {
    response->set_message(request->message());
    return grpc::Status::OK;
  }
};

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("bare gRPC echo server for load baselines");
  absl::ParseCommandLine(argc, argv);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string api = absl::GetFlag(FLAGS_api);
  std::unique_ptr<grpc::Service> service;
  if (api == "callback") {
    service = std::make_unique<CallbackEcho>();
  } else if (api == "sync") {
    service = std::make_unique<SyncEcho>();
  } else {
    std::cerr << "fazhi-grpc-echo: unknown --api " << api << "\n";
    return 2;
  }
  // For `fazhi wait-ready`, which asks the standard health service.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::cerr << "fazhi-grpc-echo: cannot listen on " << absl::GetFlag(FLAGS_listen) << "\n";
    return 1;
  }
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown();
  return 0;
}
