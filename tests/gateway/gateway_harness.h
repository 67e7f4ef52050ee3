#ifndef FAZHI_TESTS_GATEWAY_GATEWAY_HARNESS_H_
#define FAZHI_TESTS_GATEWAY_GATEWAY_HARNESS_H_

// The gateway as main.cc wires it (server, access rules, authentication,
// handlers, HTTP routes) on free loopback ports, in front of fake backends.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fazhi/gateway/v1/gateway.grpc.pb.h"
#include "services/common/auth/access.h"
#include "services/common/auth/api_key.h"
#include "services/common/auth/audit.h"
#include "services/common/auth/authenticator.h"
#include "services/common/rpc.h"
#include "services/common/server.h"
#include "services/gateway/access_rules.h"
#include "services/gateway/backends.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/http_routes.h"
#include "tests/gateway/fake_backends.h"

namespace fazhi::gateway::fakes {

// Keeps the audit records it is given.
class RecordingAuditLog : public auth::AuditLog {
 public:
  absl::Status Append(const auth::AuditRecord& record) override {
    std::lock_guard<std::mutex> lock(mu_);
    records_.push_back(record);
    return absl::OkStatus();
  }
  absl::StatusOr<auth::AuditPage> List(const auth::AuditQuery&) override {
    return absl::UnimplementedError("not in tests");
  }
  std::vector<auth::AuditRecord> records() const {
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<auth::AuditRecord> records_;
};

class GatewayHarness {
 public:
  // Today, for the dashboard's default day.
  static absl::CivilDay Today() { return absl::CivilDay(2025, 3, 15); }
  static constexpr char kOwnAuthorization[] = "Bearer fz_gateway_own_key";

  GatewayHarness() {
    auth::KeysFile keys;
    Caller(keys, "reader-a", auth::Role::kReader, {"a"}, reader_a);
    Caller(keys, "approver-a", auth::Role::kApprover, {"a"}, approver_a);
    Caller(keys, "reader-b", auth::Role::kReader, {"b"}, reader_b);
    Caller(keys, "county-office", auth::Role::kSupervisor, {"county", "a"}, supervisor);
    authenticator_ = std::make_unique<auth::Authenticator>(std::move(keys), false);

    BackendConfig config;
    config.study = config.duty = config.report = backends.target();
    config.own_authorization = kOwnAuthorization;
    backends_ = std::make_unique<Backends>(config);

    server_ = std::make_unique<Server>(
        ServerOptions{"127.0.0.1:0", absl::Seconds(1), 4 << 20, "127.0.0.1:0"});
    policy_ = std::make_unique<auth::AuthPolicy>(authenticator_.get(), AccessRules(), &audit);
    calls_ = std::make_unique<CallHandler>(server_->readiness(), policy_.get(), "gateway");
    service_ = std::make_unique<AnnualReportServiceImpl>(backends_.get(), calls_.get(), &Today);
    server_->AddService(service_.get(), v1::AnnualReportService::service_full_name());
    AddDownloadRoutes(*server_->http(), *service_, *authenticator_, audit);
    AddWebRoutes(*server_->http(), *server_, *authenticator_, audit);
    const absl::Status started = server_->Start();
    EXPECT_TRUE(started.ok()) << started;
    server_->MarkServing();
    stub_ = v1::AnnualReportService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials()));
  }
  ~GatewayHarness() { server_->Drain(); }

  v1::AnnualReportService::Stub& gateway() { return *stub_; }
  int http_port() { return server_->http()->port(); }

  // A client context as the caller with `key`.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& key) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!key.empty()) context->AddMetadata(auth::kAuthorizationHeader, "Bearer " + key);
    return context;
  }

  FakeBackends backends;
  RecordingAuditLog audit;
  // API keys.
  std::string reader_a, approver_a, reader_b, supervisor;

 private:
  static void Caller(auth::KeysFile& keys, const std::string& name, auth::Role role,
                     std::vector<std::string> orgs, std::string& key) {
    absl::StatusOr<auth::NewApiKey> made = auth::GenerateApiKey();
    ASSERT_TRUE(made.ok());
    key = made->key;
    keys.callers.push_back(
        auth::CallerEntry{name,
                          {{role, std::move(orgs)}},
                          {},
                          false,
                          {auth::KeyEntry{made->id, made->sha256, "2026-11-29T00:00:00Z", ""}}});
  }

  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<Backends> backends_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<auth::AuthPolicy> policy_;
  std::unique_ptr<CallHandler> calls_;
  std::unique_ptr<AnnualReportServiceImpl> service_;
  std::unique_ptr<v1::AnnualReportService::Stub> stub_;
};

}  // namespace fazhi::gateway::fakes

#endif  // FAZHI_TESTS_GATEWAY_GATEWAY_HARNESS_H_
