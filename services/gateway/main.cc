// fazhi-gateway: composes the annual report from the study, duty and
// report services and renders it. Wiring only.

#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/config.h"
#include "services/common/http_json/json_routes.h"
#include "services/common/logging.h"
#include "services/common/metrics.h"
#include "services/common/rpc.h"
#include "services/common/server.h"
#include "services/common/service_main.h"
#include "services/gateway/access_rules.h"
#include "services/gateway/backends.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/http_auth.h"
#include "services/gateway/http_routes.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, study_target, "127.0.0.1:7101",
          "Study service, HOST:PORT. Env FAZHI_STUDY_TARGET.");
ABSL_FLAG(std::string, duty_target, "127.0.0.1:7102",
          "Duty service, HOST:PORT. Env FAZHI_DUTY_TARGET.");
ABSL_FLAG(std::string, report_target, "127.0.0.1:7103",
          "Report service, HOST:PORT. Env FAZHI_REPORT_TARGET.");
ABSL_FLAG(absl::Duration, backend_deadline, absl::Seconds(5),
          "Deadline of every call to a backend. Env FAZHI_BACKEND_DEADLINE.");
ABSL_FLAG(std::string, backend_ca_file, "",
          "PEM CA that verifies the backends' certificates; empty: plaintext to the backends "
          "(needs --allow_plaintext). Env FAZHI_BACKEND_CA_FILE.");
ABSL_FLAG(
    std::string, backend_cert_file, "",
    "PEM client certificate the gateway shows the backends (mTLS). Env FAZHI_BACKEND_CERT_FILE.");
ABSL_FLAG(int32_t, answer_cache_mib, 32,
          "MiB of backend answers the gateway holds to ask for again conditionally, and "
          "as much again of composed reports; 0 holds none. Env FAZHI_ANSWER_CACHE_MIB.");
ABSL_FLAG(std::string, backend_key_file, "",
          "Private key of --backend_cert_file. Env FAZHI_BACKEND_KEY_FILE.");
ABSL_FLAG(std::string, backend_server_name, "",
          "Name expected in the backends' certificates when it is not the target's host. "
          "Env FAZHI_BACKEND_SERVER_NAME.");

ABSL_FLAG(std::string, gateway_key_file, "",
          "File with the gateway's own API key (a caller marked delegate): PublishReport reaches "
          "the report service as the gateway on the approver's behalf. Not needed when "
          "--backend_cert_file names a delegate caller. Env FAZHI_GATEWAY_KEY_FILE.");

namespace {

// "Bearer <key>" from the key file; empty without one.
absl::StatusOr<std::string> OwnAuthorization(const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  std::string key;
  if (!in || !std::getline(in, key)) {
    return absl::InvalidArgumentError(absl::StrCat("gateway_key_file: cannot read ", path));
  }
  key = std::string(absl::StripAsciiWhitespace(key));
  if (key.empty())
    return absl::InvalidArgumentError(absl::StrCat("gateway_key_file: ", path, " is empty"));
  return absl::StrCat("Bearer ", key);
}

// HTTP/JSON for the gateway's RPCs (through its own policy and handlers)
// and for the backends' (forwarded with the caller's key, which the backend
// checks again; the gateway first turns away a caller it does not know).
absl::Status AddJsonApi(fazhi::HttpServer& http, const fazhi::Server& server,
                        fazhi::gateway::Backends& backends,
                        const fazhi::auth::Authenticator& authenticator,
                        fazhi::auth::AuditLog& audit) {
  using fazhi::http_json::ServiceNamed;
  const auto known_caller = [&authenticator, &audit](const httplib::Request& request,
                                                     const std::string& request_id) {
    return fazhi::gateway::AuthenticateHttp(request, authenticator, audit, request_id).status();
  };
  const auto backend = [&](const std::string& service, std::shared_ptr<grpc::Channel> channel) {
    return fazhi::http_json::JsonTarget{ServiceNamed(service), [channel] { return channel; },
                                        known_caller};
  };
  return fazhi::http_json::AddJsonRoutes(
      http, {{ServiceNamed(fazhi::gateway::v1::AnnualReportService::service_full_name()),
              [&server] { return server.InProcessChannel(); }},
             backend("fazhi.study.v1.StudyService", backends.study().channel()),
             backend("fazhi.duty.v1.DutyService", backends.duty().channel()),
             backend("fazhi.report.v1.ReportService", backends.report().channel())});
}

}  // namespace

int main(int argc, char** argv) {
  fazhi::BlockTerminationSignals();
  if (auto s = fazhi::ApplyEnvironmentToFlags(
          {"study_target", "duty_target", "report_target", "backend_deadline", "backend_ca_file",
           "backend_cert_file", "backend_key_file", "backend_server_name", "gateway_key_file",
           "answer_cache_mib"});
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
  fazhi::ClientTls backend_tls{
      absl::GetFlag(FLAGS_backend_ca_file), absl::GetFlag(FLAGS_backend_cert_file),
      absl::GetFlag(FLAGS_backend_key_file), absl::GetFlag(FLAGS_backend_server_name)};
  if (backend_tls.ca_file.empty() && !config->security.allow_plaintext) {
    spdlog::critical("no --backend_ca_file: give the backends' CA, or --allow_plaintext");
    return 2;
  }
  absl::StatusOr<std::string> own_authorization =
      OwnAuthorization(absl::GetFlag(FLAGS_gateway_key_file));
  if (!own_authorization.ok()) {
    spdlog::critical("{}", own_authorization.status().message());
    return 2;
  }
  if (own_authorization->empty() && backend_tls.cert_file.empty() &&
      !config->security.insecure_dev_mode) {
    spdlog::warn(
        "neither --gateway_key_file nor --backend_cert_file: the report service will "
        "refuse PublishReport, which it takes only from the gateway");
  }
  const int32_t answer_cache_mib = absl::GetFlag(FLAGS_answer_cache_mib);
  if (answer_cache_mib < 0 || answer_cache_mib > 4096) {
    std::cerr << "fazhi-gateway: --answer_cache_mib is 0 to 4096\n";
    return 2;
  }
  auto backends = fazhi::gateway::Backends::Create(
      {absl::GetFlag(FLAGS_study_target), absl::GetFlag(FLAGS_duty_target),
       absl::GetFlag(FLAGS_report_target), absl::GetFlag(FLAGS_backend_deadline), backend_tls,
       *std::move(own_authorization), static_cast<size_t>(answer_cache_mib) << 20});
  if (!backends.ok()) {
    spdlog::critical("backends: {}", backends.status().message());
    return 2;
  }
  std::unique_ptr<fazhi::auth::Authenticator> authenticator =
      fazhi::StartAuthenticator(config->security);
  if (authenticator == nullptr) return 2;

  fazhi::Server server({config->listen, config->shutdown_grace, config->max_message_bytes,
                        config->http_listen, config->max_concurrent_streams, config->max_threads,
                        config->security.tls});
  // The gateway owns no data: its denied calls go to the log; the backends
  // audit the changes it forwards.
  fazhi::auth::LogAuditLog audit;
  fazhi::auth::AuthPolicy policy(authenticator.get(), fazhi::gateway::AccessRules(), &audit);
  fazhi::CallHandler calls(server.readiness(), &policy, "gateway");
  // ComposeReport and GetFacts wait for the backends without a thread.
  calls.BoundCallsInFlight(config->max_threads);
  fazhi::gateway::AnnualReportServiceImpl service(backends->get(), &calls);
  fazhi::Metrics::Global().AddText([held = backends->get()] {
    return fazhi::gateway::AnswerCache::PrometheusText(
        {{"answers", &held->answers()}, {"composed", &held->composed()}});
  });
  server.AddService(&service, fazhi::gateway::v1::AnnualReportService::service_full_name());
  if (server.http() != nullptr) {
    fazhi::gateway::AddDownloadRoutes(*server.http(), service, *authenticator, audit);
    fazhi::gateway::AddWebRoutes(*server.http(), server, *authenticator, audit);
    if (auto s = AddJsonApi(*server.http(), server, **backends, *authenticator, audit); !s.ok()) {
      spdlog::critical("{}", s.message());
      return 1;
    }
  }
  if (auto s = server.Start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  // The gateway keeps no store: it serves as soon as it listens; a backend
  // that is down makes individual calls fail with its name.
  server.MarkServing();
  const int signal = fazhi::WaitForTerminationSignal([&] { fazhi::ReloadKeys(*authenticator); });
  spdlog::info("signal {} received", signal);
  server.Drain();
  return 0;
}
