// fazhi-gateway: composes the annual report from the study, duty and
// report services and renders it. Wiring only.

#include <iostream>

#include "absl/flags/flag.h"
#include "services/common/config.h"
#include "services/common/logging.h"
#include "services/common/rpc.h"
#include "services/common/server.h"
#include "services/gateway/backends.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/http_routes.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, study_target, "127.0.0.1:7101", "Study service, HOST:PORT. Env FAZHI_STUDY_TARGET.");
ABSL_FLAG(std::string, duty_target, "127.0.0.1:7102", "Duty service, HOST:PORT. Env FAZHI_DUTY_TARGET.");
ABSL_FLAG(std::string, report_target, "127.0.0.1:7103", "Report service, HOST:PORT. Env FAZHI_REPORT_TARGET.");
ABSL_FLAG(absl::Duration, backend_deadline, absl::Seconds(5),
          "Deadline of every call to a backend. Env FAZHI_BACKEND_DEADLINE.");

int main(int argc, char** argv) {
  fazhi::BlockTerminationSignals();
  if (auto s = fazhi::ApplyEnvironmentToFlags(
          {"study_target", "duty_target", "report_target", "backend_deadline"});
      !s.ok()) {
    std::cerr << "fazhi-gateway: " << s.message() << "\n";
    return 2;
  }
  auto config = fazhi::LoadServerConfig(
      argc, argv,
      {"gateway", "fazhi-gateway: composes and renders the annual rule-of-law report",
       "127.0.0.1:7100", "", "127.0.0.1:8100"});
  if (!config.ok()) {
    std::cerr << "fazhi-gateway: " << config.status().message() << "\n";
    return 2;
  }
  if (auto s = fazhi::InitLogging("gateway", config->log_format, config->log_level); !s.ok()) {
    std::cerr << "fazhi-gateway: " << s.message() << "\n";
    return 2;
  }
  fazhi::gateway::Backends backends({absl::GetFlag(FLAGS_study_target), absl::GetFlag(FLAGS_duty_target),
                                     absl::GetFlag(FLAGS_report_target),
                                     absl::GetFlag(FLAGS_backend_deadline)});
  fazhi::Server server(
      {config->listen, config->shutdown_grace, config->max_message_bytes, config->http_listen,
       config->max_concurrent_streams, config->max_threads});
  fazhi::AllowAllPolicy policy;
  fazhi::CallHandler calls(server.readiness(), &policy, "gateway");
  fazhi::gateway::AnnualReportServiceImpl service(&backends, &calls);
  server.AddService(&service, fazhi::gateway::v1::AnnualReportService::service_full_name());
  if (server.http() != nullptr) fazhi::gateway::AddDownloadRoutes(*server.http(), service);
  if (auto s = server.Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  // The gateway keeps no store: it serves as soon as it listens; a backend
  // that is down makes individual calls fail with its name.
  server.MarkServing();
  const int signal = fazhi::WaitForTerminationSignal();
  spdlog::info("signal {} received", signal);
  server.Drain();
  return 0;
}
