#include "services/gateway/backends.h"

#include <grpcpp/grpcpp.h>

#include <functional>
#include <optional>
#include <type_traits>

#include "absl/functional/function_ref.h"
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
      {"service": "fazhi.report.v1.ReportService", "method": "GetReportInputs"},
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

Fanout::~Fanout() {
  if (continued_) return;  // every call answered already
  Wait();
  queue_->Shutdown();
  void* tag;
  bool ok;
  while (queue_->Next(&tag, &ok)) {
  }
}

Fanout* Fanout::Then(std::function<void()> then) {
  auto* fanout = new Fanout(Continued{});
  fanout->continued_ = true;
  fanout->then_ = std::move(then);
  return fanout;
}

void Fanout::Started(std::unique_ptr<Call> call) {
  if (continued_) {
    call->fanout = this;
    unanswered_.fetch_add(1, std::memory_order_relaxed);
  } else {
    ++pending_;
  }
  calls_.push_back(std::move(call));
}

void Fanout::Go() { CountDown(); }

void Fanout::Answered(Call* call) {
  call->Finish();
  call->context.reset();
  call->fanout->CountDown();
}

void Fanout::CountDown() {
  if (unanswered_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  std::function<void()> then = std::move(then_);
  delete this;
  then();
}

void Fanout::Wait() {
  for (; pending_ > 0; --pending_) {
    void* tag;
    bool ok;
    if (!queue_->Next(&tag, &ok)) return;  // not reached: the queue is shut down last
    Call* call = static_cast<Call*>(tag);
    call->Finish();
    call->context.reset();
  }
}

template <typename Stub, typename Request, typename Response, typename Async, typename Slot>
void BackendClient::Start(Fanout& fanout, Stub& stub,
                          std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (
                              Stub::*prepare)(grpc::ClientContext*, const Request&,
                                              grpc::CompletionQueue*),
                          Async async, const Request& request, const Forward& forward,
                          Slot* into) const {
  struct TypedCall : Fanout::Call {
    const BackendClient* client;
    Slot* into;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
    Request request;  // a continued call's, until answered
    Response response;
    void Finish() override {
      *into = status.ok() ? Slot(std::move(response)) : Slot(client->Named(status));
    }
  };
  auto call = std::make_unique<TypedCall>();
  call->client = this;
  call->into = into;
  Launch(fanout, stub, prepare, async, request, forward, std::move(call));
}

template <typename Stub, typename Request, typename Response, typename Async>
void BackendClient::StartConditional(Fanout& fanout, Stub& stub,
                                     std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (
                                         Stub::*prepare)(grpc::ClientContext*, const Request&,
                                                         grpc::CompletionQueue*),
                                     Async async, Request request, const Forward& forward,
                                     Answer<Response>* into) const {
  if (answers_ == nullptr) return Start(fanout, stub, prepare, async, request, forward, into);
  struct ConditionalCall : Fanout::Call {
    const BackendClient* client;
    Answer<Response>* into;
    std::string key;
    std::shared_ptr<const Response> held;
    bool share_held = false;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
    Request request;  // a continued call's, until answered
    Response response;
    void Finish() override {
      if (!status.ok()) {
        *into = client->Named(status);
      } else if (!response.not_modified()) {
        if (!response.answer_etag().empty()) {
          client->answers_->Put(key, response.answer_etag(),
                                std::make_shared<const Response>(response));
        }
        *into = std::move(response);
      } else if (held != nullptr && response.answer_etag() == held->answer_etag()) {
        client->answers_->CountReuse();
        // Copied here unless shared: while other answers are awaited.
        *into = share_held ? Answer<Response>::Held(std::move(held)) : Answer<Response>(*held);
      } else {
        // Not reached from a backend that keeps the contract: it was
        // asked "not modified since" only with the held answer's etag.
        *into = absl::InternalError(
            absl::StrCat(client->name_, " backend: \"not modified\" since an answer not held"));
      }
    }
  };
  auto call = std::make_unique<ConditionalCall>();
  call->client = this;
  call->into = into;
  call->share_held = fanout.shares_held();
  call->key = AnswerCache::KeyFor(request);
  std::string etag;
  call->held = answers_->Get<Response>(call->key, &etag);
  if (call->held != nullptr) request.set_if_none_match(etag);
  Launch(fanout, stub, prepare, async, request, forward, std::move(call));
}

template <typename Stub, typename Request, typename Response, typename Async, typename TypedCall>
void BackendClient::Launch(Fanout& fanout, Stub& stub,
                           std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (
                               Stub::*prepare)(grpc::ClientContext*, const Request&,
                                               grpc::CompletionQueue*),
                           Async async, const Request& request, const Forward& forward,
                           std::unique_ptr<TypedCall> call) const {
  call->context = Context(forward);
  TypedCall* started = call.get();
  if (fanout.continued()) {
    started->request = request;
    // Counted before it can be answered (on a callback thread, at once).
    fanout.Started(std::move(call));
    async(stub, started->context.get(), &started->request, &started->response,
          [started](grpc::Status status) {
            started->status = std::move(status);
            Fanout::Answered(started);
          });
    return;
  }
  started->reader = (stub.*prepare)(started->context.get(), request, fanout.queue());
  fanout.Started(std::move(call));
  started->reader->StartCall();
  started->reader->Finish(&started->response, &started->status, started);
}

namespace {

// How a continued fanout starts `method` (the stub's callback API).
#define FAZHI_ASYNC(method)                                                         \
  [](auto& stub, grpc::ClientContext* context, const auto* request, auto* response, \
     std::function<void(grpc::Status)> done) {                                      \
    stub.async()->method(context, request, response, std::move(done));              \
  }

template <typename SummaryRequest>
SummaryRequest SummaryRequestFor(const std::string& org_name, int year,
                                 const SummaryOptions& options) {
  SummaryRequest request;
  request.set_org(org_name);
  request.set_year(year);
  if (options.as_of) *request.mutable_as_of() = ToDate(*options.as_of);
  request.set_include_records(options.include_records);
  if constexpr (std::is_same_v<SummaryRequest, sv1::GetStudySummaryRequest>) {
    request.set_include_previous_year(options.include_previous_year);
  }
  return request;
}

}  // namespace

StudyClient::StudyClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
                         absl::Duration deadline)
    : BackendClient("study", channel, std::move(target), deadline),
      stub_(sv1::StudyService::NewStub(channel)) {}

void StudyClient::Summary(const std::string& org_name, int year, const SummaryOptions& options,
                          const Forward& forward, Fanout& fanout, Answer<sv1::StudySummary>* into) {
  StartConditional(fanout, *stub_, &sv1::StudyService::Stub::PrepareAsyncGetStudySummary,
                   FAZHI_ASYNC(GetStudySummary),
                   SummaryRequestFor<sv1::GetStudySummaryRequest>(org_name, year, options), forward,
                   into);
}

DutyClient::DutyClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
                       absl::Duration deadline)
    : BackendClient("duty", channel, std::move(target), deadline),
      stub_(dv1::DutyService::NewStub(channel)) {}

void DutyClient::Summary(const std::string& org_name, int year, const SummaryOptions& options,
                         const Forward& forward, Fanout& fanout, Answer<dv1::DutySummary>* into) {
  StartConditional(fanout, *stub_, &dv1::DutyService::Stub::PrepareAsyncGetDutySummary,
                   FAZHI_ASYNC(GetDutySummary),
                   SummaryRequestFor<dv1::GetDutySummaryRequest>(org_name, year, options), forward,
                   into);
}

ReportClient::ReportClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
                           absl::Duration deadline)
    : BackendClient("report", channel, std::move(target), deadline),
      stub_(rv1::ReportService::NewStub(channel)) {}

void ReportClient::GetOrganization(const std::string& org_name, const Forward& forward,
                                   Fanout& fanout, Answer<rv1::Organization>* into) {
  rv1::GetOrganizationRequest request;
  request.set_name(org_name);
  Start(fanout, *stub_, &rv1::ReportService::Stub::PrepareAsyncGetOrganization,
        FAZHI_ASYNC(GetOrganization), request, forward, into);
}

void ReportClient::GetInputs(const std::string& name, const Forward& forward, Fanout& fanout,
                             Answer<rv1::ReportInputs>* into) {
  rv1::GetReportInputsRequest request;
  request.set_name(name);
  StartConditional(fanout, *stub_, &rv1::ReportService::Stub::PrepareAsyncGetReportInputs,
                   FAZHI_ASYNC(GetReportInputs), std::move(request), forward, into);
}

bool ReportClient::AnswersInputs() const {
  return absl::ToUnixNanos(absl::Now()) >= inputs_refused_until_.load();
}

void ReportClient::RefusedInputs() {
  spdlog::info(
      "report backend at {} has no GetReportInputs: asking GetOrganization and "
      "GetReport instead for five minutes",
      target());
  inputs_refused_until_.store(absl::ToUnixNanos(absl::Now() + absl::Minutes(5)));
}

void ReportClient::GetReport(const std::string& name, const Forward& forward, Fanout& fanout,
                             Answer<rv1::Report>* into) {
  rv1::GetReportRequest request;
  request.set_name(name);
  Start(fanout, *stub_, &rv1::ReportService::Stub::PrepareAsyncGetReport, FAZHI_ASYNC(GetReport),
        request, forward, into);
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
      answers_(config.answer_cache_bytes),
      composed_(config.answer_cache_bytes),
      study_(Channel(config.study, config.tls, credentials), config.study, config.deadline),
      duty_(Channel(config.duty, config.tls, credentials), config.duty, config.deadline),
      report_(Channel(config.report, config.tls, credentials), config.report, config.deadline) {
  if (config.answer_cache_bytes == 0) return;  // nothing held: ask in full, no keys made
  study_.HoldAnswersIn(&answers_);
  duty_.HoldAnswersIn(&answers_);
  report_.HoldAnswersIn(&answers_);
}

Forward AsDelegate(const Forward& forward, const std::string& own_authorization,
                   const std::string& caller) {
  return Forward{forward.request_id, own_authorization, caller};
}

// One year's fetch for a report or a dashboard row: the calls of its rounds
// and what their answers make, whichever way the rounds are awaited.
class Backends::YearFetch {
 public:
  YearFetch(Backends& backends, const std::string& org, int year,
            std::optional<absl::CivilDay> as_of, const FetchOptions& options,
            const Forward& forward)
      : b_(backends),
        org_(org),
        year_(year),
        options_(options),
        forward_(forward),
        org_name_(OrgName(org)),
        report_name_(ReportName{org, year}.Format()),
        // The year before rides in the year's answer once the study service
        // has shown it answers so; until then it is also asked on its own.
        previous_in_answer_(options.previous_year && b_.study_.AnswersPreviousYear()),
        summary_{as_of, options.include_records, options.previous_year},
        previous_summary_{absl::CivilDay(year - 1, 12, 31)},
        // The organization and the report come in one call once the service
        // has it (GetReportInputs); an older one is asked the two calls.
        inputs_call_(b_.report_.AnswersInputs()) {}

  void FirstRound(Fanout& fanout) {
    // Slowest first: starting a call costs this thread tens of microseconds
    // (it writes the request itself), so the call the answer waits for
    // longest should not queue behind the quick ones. The duty summary reads
    // the most rows, the study summaries the next most.
    b_.duty_.Summary(org_name_, year_, summary_, forward_, fanout, &duty_);
    b_.study_.Summary(org_name_, year_, summary_, forward_, fanout, &study_);
    if (options_.previous_year && !previous_in_answer_) {
      // The whole year before, as its own report saw it at the year's end.
      b_.study_.Summary(org_name_, year_ - 1, previous_summary_, forward_, fanout, &previous_);
    }
    if (inputs_call_) {
      b_.report_.GetInputs(report_name_, forward_, fanout, &inputs_);
    } else {
      b_.report_.GetReport(report_name_, forward_, fanout, &report_);
      b_.report_.GetOrganization(org_name_, forward_, fanout, &organization_);
    }
  }

  // After the first round's answers: starts what they show is still to ask
  // on `fanout()`, which is asked for only then.
  void SecondRound(absl::FunctionRef<Fanout&()> fanout) {
    if (inputs_call_) {
      if (absl::IsUnimplemented(inputs_.status())) {
        b_.report_.RefusedInputs();
        b_.report_.GetReport(report_name_, forward_, fanout(), &report_);
        b_.report_.GetOrganization(org_name_, forward_, fanout(), &organization_);
        second_round_ = true;
      } else {
        organization_ = inputs_.Part(&rv1::ReportInputs::organization,
                                     &rv1::ReportInputs::mutable_organization);
        if (inputs_.ok() && !inputs_->has_report()) {
          report_ = absl::NotFoundError("report backend: the report has not been started");
        } else {
          report_ = inputs_.Part(&rv1::ReportInputs::report, &rv1::ReportInputs::mutable_report);
        }
      }
    }
    if (options_.previous_year && study_.ok()) {
      const bool answered = study_->previous_year_answered();
      b_.study_.SetAnswersPreviousYear(answered);
      if (previous_in_answer_ && answered) {
        // Unset when the year before is before the earliest year accepted,
        // as asking for it alone would have been INVALID_ARGUMENT.
        if (study_->has_previous_year()) {
          previous_ = study_.Part(&sv1::StudySummary::previous_year,
                                  &sv1::StudySummary::mutable_previous_year);
          previous_in_study_ = true;
        } else {
          previous_ = absl::InvalidArgumentError("study backend: no year before");
        }
      } else if (previous_in_answer_) {
        // The service no longer answers it (an older one behind the same
        // address): ask for the year before on its own.
        b_.study_.Summary(org_name_, year_ - 1, previous_summary_, forward_, fanout(), &previous_);
        second_round_ = true;
      }
    }
  }

  // ComposeInput::answers_etag: the three answers' etags, when the inputs
  // came in those three answers alone.
  std::string AnswersEtag() const {
    if (inputs_call_ && !second_round_ && (!options_.previous_year || previous_in_answer_) &&
        inputs_.ok() && study_.ok() && duty_.ok() && !inputs_->answer_etag().empty() &&
        !study_->answer_etag().empty() && !duty_->answer_etag().empty()) {
      return absl::StrCat(study_->answer_etag(), "/", duty_->answer_etag(), "/",
                          inputs_->answer_etag());
    }
    return "";
  }

  // Once, after the rounds: the answers moved (or, held, copied) out.
  absl::StatusOr<ComposeInput> Result() {
    ComposeInput input;
    input.answers_etag = AnswersEtag();
    input.inputs.org = org_;
    input.inputs.year = year_;
    if (!organization_.ok()) return organization_.status();
    input.inputs.organization = *std::move(organization_).Take();
    if (report_.ok()) {
      input.inputs.report = *std::move(report_).Take();
    } else if (!absl::IsNotFound(report_.status())) {
      return report_.status();
    }
    // A backend whose answer is the caller's mistake (bad year…) is an
    // error even for a partial draft; only an unreachable one is skipped.
    auto unreachable = [](const absl::Status& s) {
      return absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s);
    };
    for (const auto& [name, status] :
         {std::pair<std::string, absl::Status>{"study", study_.status()},
          std::pair<std::string, absl::Status>{"duty", duty_.status()}}) {
      if (status.ok()) continue;
      if (!options_.allow_partial || !unreachable(status)) return status;
      input.missing_backends.push_back(name);
    }
    std::optional<sv1::StudySummary> study;
    if (study_.ok()) study = *std::move(study_).Take();  // a held one with its year before
    if (study && options_.previous_year) {
      // The same backend as the year itself: its failure is the year's, but
      // a year before the earliest the service accepts is simply no baseline.
      if (previous_.ok() && previous_in_study_ && previous_.held()) {
        // Part of the held study answer, copied with it just now: moved out.
        input.inputs.study_previous = std::move(*study->mutable_previous_year());
      } else if (previous_.ok()) {
        input.inputs.study_previous = *std::move(previous_).Take();
      } else if (!absl::IsInvalidArgument(previous_.status())) {
        if (!options_.allow_partial || !unreachable(previous_.status())) return previous_.status();
      }
    }
    if (study) {
      study->clear_answer_etag();
      study->clear_previous_year();  // in study_previous
      study->clear_previous_year_answered();
      input.inputs.study = *std::move(study);
    }
    if (duty_.ok()) {
      dv1::DutySummary duty = *std::move(duty_).Take();
      duty.clear_answer_etag();
      input.inputs.duty = std::move(duty);
    }
    return input;
  }

 private:
  Backends& b_;
  const std::string org_;
  const int year_;
  const FetchOptions options_;
  const Forward forward_;
  const std::string org_name_;
  const std::string report_name_;
  const bool previous_in_answer_;
  const SummaryOptions summary_;
  const SummaryOptions previous_summary_;
  const bool inputs_call_;
  bool second_round_ = false;
  bool previous_in_study_ = false;  // previous_ is a part of study_

  Answer<rv1::ReportInputs> inputs_;
  Answer<rv1::Organization> organization_;
  Answer<rv1::Report> report_;
  Answer<sv1::StudySummary> study_, previous_;
  Answer<dv1::DutySummary> duty_;
};

absl::StatusOr<ComposeInput> Backends::FetchYear(const std::string& org, int year,
                                                 std::optional<absl::CivilDay> as_of,
                                                 const FetchOptions& options,
                                                 const Forward& forward) {
  YearFetch fetch(*this, org, year, as_of, options, forward);
  {
    Fanout first;  // awaited when it ends
    fetch.FirstRound(first);
  }
  // What the first round's answers show is still to ask, asked together
  // (its completion queue made only then).
  std::optional<Fanout> again;
  fetch.SecondRound([&again]() -> Fanout& { return again ? *again : again.emplace(); });
  again.reset();
  return fetch.Result();
}

void Backends::FetchYearThen(const std::string& org, int year, std::optional<absl::CivilDay> as_of,
                             const FetchOptions& options, const Forward& forward,
                             std::function<void(FetchedYear)> then) {
  auto fetch = std::make_shared<YearFetch>(*this, org, year, as_of, options, forward);
  std::function<void()> finish = [fetch, then = std::move(then)] { then(FetchedYear(fetch)); };
  Fanout* first = Fanout::Then([this, fetch, finish, share = options.share_held] {
    Fanout* again = nullptr;
    fetch->SecondRound([&]() -> Fanout& {
      if (again == nullptr) {
        again = Fanout::Then(finish);
        if (share) again->ShareHeld();
      }
      return *again;
    });
    if (again != nullptr) {
      again->Go();
    } else {
      finish();
    }
  });
  if (options.share_held) first->ShareHeld();
  fetch->FirstRound(*first);
  first->Go();
}

std::string Backends::FetchedYear::AnswersEtag() const { return fetch_->AnswersEtag(); }

absl::StatusOr<ComposeInput> Backends::FetchedYear::Input() { return fetch_->Result(); }

}  // namespace fazhi::gateway
