#include "services/gateway/backends.h"

#include "spdlog/spdlog.h"

#include "services/common/auth/authenticator.h"
#include "services/common/status_macros.h"

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/rpc.h"
#include "services/common/validation.h"

namespace fazhi::gateway {
namespace {

// Reads are idempotent: retry them on UNAVAILABLE with backoff. Nothing
// that writes is listed.
constexpr char kServiceConfig[] = R"json({
  "methodConfig": [{
    "name": [
      {"service": "fazhi.study.v1.StudyService", "method": "GetStudySummary"},
      {"service": "fazhi.duty.v1.DutyService", "method": "GetDutySummary"},
      {"service": "fazhi.report.v1.ReportService", "method": "GetOrganization"},
      {"service": "fazhi.report.v1.ReportService", "method": "GetReport"},
      {"service": "fazhi.report.v1.ReportService", "method": "ListOrganizations"},
      {"service": "fazhi.report.v1.ReportService", "method": "ListOverdueReports"}
    ],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.1s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

std::shared_ptr<grpc::Channel> Channel(const std::string& target, const ClientTls& tls,
                                       const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  grpc::ChannelArguments args;
  ApplyServerName(tls, args);
  args.SetServiceConfigJSON(kServiceConfig);
  // Notice a restarted backend quickly instead of backing off for long.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return grpc::CreateCustomChannel(target, credentials, args);
}

// Waits for a fixed number of callbacks.
class Latch {
 public:
  explicit Latch(int count) : count_(count) {}
  void CountDown() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--count_ == 0) done_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  int count_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Backends>> Backends::Create(const BackendConfig& config) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> credentials,
                   ChannelCredentialsFor(config.tls));
  return std::unique_ptr<Backends>(new Backends(config, credentials));
}

Backends::Backends(const BackendConfig& config)
    : Backends(config, grpc::InsecureChannelCredentials()) {}

Backends::Backends(const BackendConfig& config,
                   const std::shared_ptr<grpc::ChannelCredentials>& credentials)
    : config_(config),
      study_(fazhi::study::v1::StudyService::NewStub(Channel(config.study, config.tls, credentials))),
      duty_(fazhi::duty::v1::DutyService::NewStub(Channel(config.duty, config.tls, credentials))),
      report_(fazhi::report::v1::ReportService::NewStub(
          Channel(config.report, config.tls, credentials))) {}

std::unique_ptr<grpc::ClientContext> Backends::Context(const Forward& forward) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(config_.deadline));
  if (!forward.request_id.empty()) context->AddMetadata(kRequestIdHeader, forward.request_id);
  if (!forward.authorization.empty()) {
    context->AddMetadata(auth::kAuthorizationHeader, forward.authorization);
  }
  if (!forward.on_behalf_of.empty()) {
    context->AddMetadata(auth::kOnBehalfOfHeader, forward.on_behalf_of);
  }
  return context;
}

Forward AsDelegate(const Forward& forward, const std::string& own_authorization,
                   const std::string& caller) {
  return Forward{forward.request_id, own_authorization, caller};
}

absl::Status Backends::Named(const std::string& backend, const grpc::Status& status) const {
  const std::string& target = backend == "study"  ? config_.study
                              : backend == "duty" ? config_.duty
                                                  : config_.report;
  absl::Status inner = FromGrpcStatus(status);
  // The caller hears which backend, the log also where it is: addresses
  // inside the deployment are no caller's business.
  // gRPC's own messages for these quote the peer's address.
  std::string message(inner.message().empty() ? "no answer" : inner.message());
  if (inner.code() == absl::StatusCode::kUnavailable) {
    spdlog::warn("{} backend at {}: {}", backend, target, inner.ToString());
    message = "unavailable (the gateway's log has the details)";
  } else if (inner.code() == absl::StatusCode::kDeadlineExceeded) {
    spdlog::warn("{} backend at {}: {}", backend, target, inner.ToString());
    message = "no answer within the deadline";
  }
  absl::Status named(inner.code(), absl::StrCat(backend, " backend: ", message));
  inner.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    named.SetPayload(url, payload);
  });
  return named;
}

absl::StatusOr<ComposeInput> Backends::FetchYear(const std::string& org, int year,
                                                 std::optional<absl::CivilDay> as_of,
                                                 const FetchOptions& options, const Forward& forward) {
  const bool allow_partial = options.allow_partial;
  const std::string org_name = absl::StrCat("orgs/", org);
  fazhi::report::v1::GetOrganizationRequest org_request;
  org_request.set_name(org_name);
  fazhi::report::v1::GetReportRequest report_request;
  report_request.set_name(absl::StrCat(org_name, "/reports/", year));
  fazhi::study::v1::GetStudySummaryRequest study_request;
  study_request.set_org(org_name);
  study_request.set_year(year);
  fazhi::duty::v1::GetDutySummaryRequest duty_request;
  duty_request.set_org(org_name);
  duty_request.set_year(year);
  if (as_of) {
    *study_request.mutable_as_of() = ToDate(*as_of);
    *duty_request.mutable_as_of() = ToDate(*as_of);
  }
  study_request.set_include_records(options.include_records);
  duty_request.set_include_records(options.include_records);
  // The whole year before, as its own report saw it at the year's end.
  fazhi::study::v1::GetStudySummaryRequest previous_request;
  previous_request.set_org(org_name);
  previous_request.set_year(year - 1);
  *previous_request.mutable_as_of() = ToDate(absl::CivilDay(year - 1, 12, 31));

  fazhi::report::v1::Organization organization;
  fazhi::report::v1::Report report;
  fazhi::study::v1::StudySummary study;
  fazhi::duty::v1::DutySummary duty;
  fazhi::study::v1::StudySummary previous;
  grpc::Status org_status, report_status, study_status, duty_status, previous_status;
  auto org_context = Context(forward), report_context = Context(forward),
       study_context = Context(forward), duty_context = Context(forward),
       previous_context = Context(forward);
  Latch latch(options.previous_year ? 5 : 4);
  if (options.previous_year) {
    study_->async()->GetStudySummary(previous_context.get(), &previous_request, &previous,
                                     [&](grpc::Status s) { previous_status = s; latch.CountDown(); });
  }
  report_->async()->GetOrganization(org_context.get(), &org_request, &organization,
                                    [&](grpc::Status s) { org_status = s; latch.CountDown(); });
  report_->async()->GetReport(report_context.get(), &report_request, &report,
                              [&](grpc::Status s) { report_status = s; latch.CountDown(); });
  study_->async()->GetStudySummary(study_context.get(), &study_request, &study,
                                   [&](grpc::Status s) { study_status = s; latch.CountDown(); });
  duty_->async()->GetDutySummary(duty_context.get(), &duty_request, &duty,
                                 [&](grpc::Status s) { duty_status = s; latch.CountDown(); });
  latch.Wait();

  ComposeInput input;
  input.inputs.org = org;
  input.inputs.year = year;
  if (!org_status.ok()) return Named("report", org_status);
  input.inputs.organization = organization;
  if (report_status.ok()) {
    input.inputs.report = report;
  } else if (report_status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return Named("report", report_status);
  }
  // A backend whose answer is the caller's mistake (bad year…) is an
  // error even for a partial draft; only an unreachable one is skipped.
  auto unreachable = [](const grpc::Status& s) {
    return s.error_code() == grpc::StatusCode::UNAVAILABLE ||
           s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
  };
  for (auto& [name, status] : {std::pair<std::string, grpc::Status&>{"study", study_status},
                               std::pair<std::string, grpc::Status&>{"duty", duty_status}}) {
    if (status.ok()) continue;
    if (!allow_partial || !unreachable(status)) return Named(name, status);
    input.missing_backends.push_back(name);
  }
  if (study_status.ok() && options.previous_year) {
    // The same backend as the year itself: its failure is the year's, but
    // a year before the earliest the service accepts is simply no baseline.
    if (previous_status.ok()) {
      input.inputs.study_previous = previous;
    } else if (previous_status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
      if (!allow_partial || !unreachable(previous_status)) return Named("study", previous_status);
    }
  }
  if (study_status.ok()) input.inputs.study = study;
  if (duty_status.ok()) input.inputs.duty = duty;
  return input;
}

}  // namespace fazhi::gateway
