#include "services/gateway/backends.h"

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "services/common/auth/authenticator.h"
#include "services/common/grpc_status.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/rpc.h"
#include "services/common/status_macros.h"
#include "spdlog/spdlog.h"

namespace fazhi::gateway {
namespace {

namespace sv1 = fazhi::study::v1;
namespace dv1 = fazhi::duty::v1;
namespace rv1 = fazhi::report::v1;

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

std::shared_ptr<grpc::Channel> Channel(
    const std::string& target, const ClientTls& tls,
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

BackendClient::BackendClient(std::string name, std::shared_ptr<grpc::Channel> channel,
                             std::string target, absl::Duration deadline)
    : name_(std::move(name)),
      channel_(std::move(channel)),
      target_(std::move(target)),
      deadline_(deadline) {}

std::unique_ptr<grpc::ClientContext> BackendClient::Context(const Forward& forward) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline_));
  if (!forward.request_id.empty()) context->AddMetadata(kRequestIdHeader, forward.request_id);
  if (!forward.authorization.empty()) {
    context->AddMetadata(auth::kAuthorizationHeader, forward.authorization);
  }
  if (!forward.on_behalf_of.empty()) {
    context->AddMetadata(auth::kOnBehalfOfHeader, forward.on_behalf_of);
  }
  return context;
}

absl::Status BackendClient::Named(const grpc::Status& status) const {
  absl::Status inner = FromGrpcStatus(status);
  // The caller hears which backend, the log also where it is: addresses
  // inside the deployment are no caller's business.
  // gRPC's own messages for these quote the peer's address.
  std::string message(inner.message().empty() ? "no answer" : inner.message());
  if (inner.code() == absl::StatusCode::kUnavailable) {
    spdlog::warn("{} backend at {}: {}", name_, target_, inner.ToString());
    message = "unavailable (the gateway's log has the details)";
  } else if (inner.code() == absl::StatusCode::kDeadlineExceeded) {
    spdlog::warn("{} backend at {}: {}", name_, target_, inner.ToString());
    message = "no answer within the deadline";
  }
  absl::Status named(inner.code(), absl::StrCat(name_, " backend: ", message));
  inner.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { named.SetPayload(url, payload); });
  return named;
}

template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> BackendClient::Call(
    Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const Request& request, const Forward& forward) const {
  std::unique_ptr<grpc::ClientContext> context = Context(forward);
  Response response;
  const grpc::Status status = (stub.*method)(context.get(), request, &response);
  if (!status.ok()) return Named(status);
  return response;
}

template <typename Request, typename Response, typename Start>
void BackendClient::CallAsync(Start start, Request request, const Forward& forward,
                              Done<Response> done) const {
  // What gRPC reads and writes until the call ends; the callback owns it.
  struct InFlight {
    std::unique_ptr<grpc::ClientContext> context;
    Request request;
    Response response;
  };
  auto call = std::make_shared<InFlight>(InFlight{Context(forward), std::move(request), {}});
  start(call->context.get(), &call->request, &call->response,
        [this, call, done = std::move(done)](grpc::Status status) {
          absl::StatusOr<Response> result =
              status.ok() ? absl::StatusOr<Response>(std::move(call->response)) : Named(status);
          // The context goes before the caller hears: once it has, it may
          // tear down the channel, and a context outliving it on this
          // thread crashed gRPC (a reference counted below zero).
          call->context.reset();
          done(std::move(result));
        });
}

namespace {

template <typename SummaryRequest>
SummaryRequest SummaryRequestFor(const std::string& org_name, int year,
                                 const SummaryOptions& options) {
  SummaryRequest request;
  request.set_org(org_name);
  request.set_year(year);
  if (options.as_of) *request.mutable_as_of() = ToDate(*options.as_of);
  request.set_include_records(options.include_records);
  return request;
}

}  // namespace

StudyClient::StudyClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
                         absl::Duration deadline)
    : BackendClient("study", channel, std::move(target), deadline),
      stub_(sv1::StudyService::NewStub(channel)) {}

void StudyClient::Summary(const std::string& org_name, int year, const SummaryOptions& options,
                          const Forward& forward, Done<sv1::StudySummary> done) {
  CallAsync(
      [this](auto* context, auto* request, auto* response, auto on_status) {
        stub_->async()->GetStudySummary(context, request, response, std::move(on_status));
      },
      SummaryRequestFor<sv1::GetStudySummaryRequest>(org_name, year, options), forward,
      std::move(done));
}

DutyClient::DutyClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
                       absl::Duration deadline)
    : BackendClient("duty", channel, std::move(target), deadline),
      stub_(dv1::DutyService::NewStub(channel)) {}

void DutyClient::Summary(const std::string& org_name, int year, const SummaryOptions& options,
                         const Forward& forward, Done<dv1::DutySummary> done) {
  CallAsync(
      [this](auto* context, auto* request, auto* response, auto on_status) {
        stub_->async()->GetDutySummary(context, request, response, std::move(on_status));
      },
      SummaryRequestFor<dv1::GetDutySummaryRequest>(org_name, year, options), forward,
      std::move(done));
}

ReportClient::ReportClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
                           absl::Duration deadline)
    : BackendClient("report", channel, std::move(target), deadline),
      stub_(rv1::ReportService::NewStub(channel)) {}

void ReportClient::GetOrganization(const std::string& org_name, const Forward& forward,
                                   Done<rv1::Organization> done) {
  rv1::GetOrganizationRequest request;
  request.set_name(org_name);
  CallAsync(
      [this](auto* context, auto* request, auto* response, auto on_status) {
        stub_->async()->GetOrganization(context, request, response, std::move(on_status));
      },
      std::move(request), forward, std::move(done));
}

void ReportClient::GetReport(const std::string& name, const Forward& forward,
                             Done<rv1::Report> done) {
  rv1::GetReportRequest request;
  request.set_name(name);
  CallAsync(
      [this](auto* context, auto* request, auto* response, auto on_status) {
        stub_->async()->GetReport(context, request, response, std::move(on_status));
      },
      std::move(request), forward, std::move(done));
}

absl::StatusOr<rv1::Report> ReportClient::GetReport(const std::string& name,
                                                    const Forward& forward) {
  rv1::GetReportRequest request;
  request.set_name(name);
  return Call(*stub_, &rv1::ReportService::Stub::GetReport, request, forward);
}

absl::StatusOr<rv1::ListOrganizationsResponse> ReportClient::ListOrganizations(
    const std::string& supervisor, int page_size, const std::string& page_token,
    const Forward& forward) {
  rv1::ListOrganizationsRequest request;
  request.set_supervisor(supervisor);
  request.set_page_size(page_size);
  request.set_page_token(page_token);
  return Call(*stub_, &rv1::ReportService::Stub::ListOrganizations, request, forward);
}

absl::StatusOr<rv1::ListOverdueReportsResponse> ReportClient::ListOverdueReports(
    const std::string& supervisor, int year, absl::CivilDay as_of, const Forward& forward) {
  rv1::ListOverdueReportsRequest request;
  request.set_supervisor(supervisor);
  request.set_year(year);
  *request.mutable_as_of() = ToDate(as_of);
  return Call(*stub_, &rv1::ReportService::Stub::ListOverdueReports, request, forward);
}

absl::StatusOr<rv1::Report> ReportClient::Approve(const rv1::ApproveReportRequest& request,
                                                  const Forward& forward) {
  return Call(*stub_, &rv1::ReportService::Stub::ApproveReport, request, forward);
}

absl::StatusOr<rv1::Report> ReportClient::Reject(const rv1::RejectReportRequest& request,
                                                 const Forward& forward) {
  return Call(*stub_, &rv1::ReportService::Stub::RejectReport, request, forward);
}

absl::StatusOr<rv1::Report> ReportClient::Publish(const rv1::PublishReportRequest& request,
                                                  const Forward& forward) {
  return Call(*stub_, &rv1::ReportService::Stub::PublishReport, request, forward);
}

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
      study_(Channel(config.study, config.tls, credentials), config.study, config.deadline),
      duty_(Channel(config.duty, config.tls, credentials), config.duty, config.deadline),
      report_(Channel(config.report, config.tls, credentials), config.report, config.deadline) {}

Forward AsDelegate(const Forward& forward, const std::string& own_authorization,
                   const std::string& caller) {
  return Forward{forward.request_id, own_authorization, caller};
}

absl::StatusOr<ComposeInput> Backends::FetchYear(const std::string& org, int year,
                                                 std::optional<absl::CivilDay> as_of,
                                                 const FetchOptions& options,
                                                 const Forward& forward) {
  const bool allow_partial = options.allow_partial;
  const std::string org_name = OrgName(org);
  const SummaryOptions summary{as_of, options.include_records};

  absl::StatusOr<rv1::Organization> organization;
  absl::StatusOr<rv1::Report> report;
  absl::StatusOr<sv1::StudySummary> study, previous;
  absl::StatusOr<dv1::DutySummary> duty;
  Latch latch(options.previous_year ? 5 : 4);
  auto into = [&latch](auto& slot) {
    return [&latch, &slot](auto result) {
      slot = std::move(result);
      latch.CountDown();
    };
  };
  if (options.previous_year) {
    // The whole year before, as its own report saw it at the year's end.
    study_.Summary(org_name, year - 1, SummaryOptions{absl::CivilDay(year - 1, 12, 31)}, forward,
                   into(previous));
  }
  report_.GetOrganization(org_name, forward, into(organization));
  report_.GetReport(ReportName{org, year}.Format(), forward, into(report));
  study_.Summary(org_name, year, summary, forward, into(study));
  duty_.Summary(org_name, year, summary, forward, into(duty));
  latch.Wait();

  ComposeInput input;
  input.inputs.org = org;
  input.inputs.year = year;
  if (!organization.ok()) return organization.status();
  input.inputs.organization = *std::move(organization);
  if (report.ok()) {
    input.inputs.report = *std::move(report);
  } else if (!absl::IsNotFound(report.status())) {
    return report.status();
  }
  // A backend whose answer is the caller's mistake (bad year…) is an
  // error even for a partial draft; only an unreachable one is skipped.
  auto unreachable = [](const absl::Status& s) {
    return absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s);
  };
  for (const auto& [name, status] : {std::pair<std::string, absl::Status>{"study", study.status()},
                                     std::pair<std::string, absl::Status>{"duty", duty.status()}}) {
    if (status.ok()) continue;
    if (!allow_partial || !unreachable(status)) return status;
    input.missing_backends.push_back(name);
  }
  if (study.ok() && options.previous_year) {
    // The same backend as the year itself: its failure is the year's, but
    // a year before the earliest the service accepts is simply no baseline.
    if (previous.ok()) {
      input.inputs.study_previous = *std::move(previous);
    } else if (!absl::IsInvalidArgument(previous.status())) {
      if (!allow_partial || !unreachable(previous.status())) return previous.status();
    }
  }
  if (study.ok()) input.inputs.study = *std::move(study);
  if (duty.ok()) input.inputs.duty = *std::move(duty);
  return input;
}

}  // namespace fazhi::gateway
