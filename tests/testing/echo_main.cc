// fazhi-echo: the bare echo service, with the same server runtime, flags
// and call handling as the real services but no store. The baseline that
// load benchmarks compare the real services against.

#include <iostream>

#include "services/common/config.h"
#include "services/common/logging.h"
#include "services/common/server.h"
#include "tests/testing/echo_service.h"

int main(int argc, char** argv) {
  fazhi::BlockTerminationSignals();
  auto config = fazhi::LoadServerConfig(
      argc, argv,
      {"echo", "fazhi-echo: bare echo service for load baselines", "127.0.0.1:7199", "", ""});
  if (!config.ok()) {
    std::cerr << "fazhi-echo: " << config.status().message() << "\n";
    return 2;
  }
  if (auto s = fazhi::InitLogging("echo", config->log_format, config->log_level); !s.ok()) {
    std::cerr << "fazhi-echo: " << s.message() << "\n";
    return 2;
  }
  fazhi::Server server({config->listen, config->shutdown_grace, config->max_message_bytes,
                        config->http_listen, config->max_concurrent_streams, config->max_threads,
                        config->security.tls});
  // No authentication: the baseline shows what the real services' policy,
  // store and conversion cost on top of the runtime.
  fazhi::AllowAllPolicy policy;
  fazhi::CallHandler calls(server.readiness(), &policy, "echo");
  fazhi::testing::EchoServiceImpl echo(&calls);
  server.AddService(&echo, "fazhi.testing.v1.EchoService");
  if (!server.Start().ok()) return 1;
  server.MarkServing();
  fazhi::WaitForTerminationSignal();
  server.Drain();
  return 0;
}
