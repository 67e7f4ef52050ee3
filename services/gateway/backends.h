#ifndef FAZHI_SERVICES_GATEWAY_BACKENDS_H_
#define FAZHI_SERVICES_GATEWAY_BACKENDS_H_

// The gateway's clients of the study, duty and report services: parallel
// fan-out with a deadline per call, errors that name the backend, retries
// (by gRPC service config) only for the idempotent reads.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fazhi/duty/v1/duty.grpc.pb.h"
#include "fazhi/report/v1/report.grpc.pb.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "services/common/client_tls.h"
#include "services/gateway/answer.h"
#include "services/gateway/answer_cache.h"
#include "services/gateway/compose.h"

namespace fazhi::gateway {

struct BackendConfig {
  std::string study = "127.0.0.1:7101";
  std::string duty = "127.0.0.1:7102";
  std::string report = "127.0.0.1:7103";
  absl::Duration deadline = absl::Seconds(5);
  // Plaintext without a CA file; mTLS with a client certificate.
  ClientTls tls;
  // The gateway's own "Bearer <key>" (a delegate caller), for the calls it
  // makes on a caller's behalf; empty when its client certificate names
  // the delegate.
  std::string own_authorization;
  // Bytes of backend answers held to ask for again conditionally, and
  // (apart) of composed reports; 0 holds none.
  size_t answer_cache_bytes = size_t{32} << 20;
};

// Per-call context a handler forwards to the backends, which check the
// caller again: the request id, and the caller's API key (the
// authorization header as received) or, for a caller the gateway knew by
// its certificate, its name in x-fazhi-on-behalf-of (honoured only because
// the gateway's own certificate makes it a delegate).
struct Forward {
  std::string request_id;
  std::string authorization;
  std::string on_behalf_of;
};

// `forward` as the gateway itself, on behalf of `caller`: for what only
// the gateway may hand in (PublishReport's documents).
Forward AsDelegate(const Forward& forward, const std::string& own_authorization,
                   const std::string& caller);

// Calls started together and awaited together, one of two ways.
//
// Waited for (Fanout(), then Wait()): on a completion queue of their own,
// which the waiting thread polls itself: each answer is read on that thread,
// not on one of gRPC's callback threads that would then have to wake it (on
// two cores those hand-offs cost the gateway more CPU than its own work on
// the answers). Wait() fills every call's slot; the destructor waits too.
//
// Continued from (Fanout::Then): on gRPC's callback API; after the last
// answer fills its slot, `then` runs on the callback thread that took it
// and the fanout is gone. No thread waits meanwhile: a handler on the
// callback API starts its calls and returns, and its callback thread goes
// back to reading answers, often these.
class BackendClient;

class Fanout {
 public:
  Fanout() : queue_(std::make_unique<grpc::CompletionQueue>()) {}
  Fanout(const Fanout&) = delete;
  Fanout& operator=(const Fanout&) = delete;
  ~Fanout();

  void Wait();

  // A fanout continued from: start its calls, then call Go(), after which
  // it owns itself and `then` runs once all are answered (at once when none
  // was started).
  static Fanout* Then(std::function<void()> then);
  void Go();
  // Conditional reads answered "not modified" fill their slots with the held
  // answer shared (Answer::Held), not a copy of it.
  void ShareHeld() { share_held_ = true; }

 private:
  friend class BackendClient;  // starts the calls

  struct Continued {};
  explicit Fanout(Continued) {}  // no queue of its own

  // One call in flight; its tag on the queue is its address.
  struct Call {
    virtual ~Call() = default;
    // Fills the caller's slot from the answer or `status`.
    virtual void Finish() = 0;
    std::unique_ptr<grpc::ClientContext> context;
    grpc::Status status;
    Fanout* fanout = nullptr;  // a continued one's
  };
  bool continued() const { return continued_; }
  bool shares_held() const { return share_held_; }
  grpc::CompletionQueue* queue() { return queue_.get(); }
  void Started(std::unique_ptr<Call> call);
  // A continued fanout's call answered (filling its slot), or Go(): the
  // last one runs `then`.
  static void Answered(Call* call);
  void CountDown();

  std::unique_ptr<grpc::CompletionQueue> queue_;  // a waited-for one's
  std::vector<std::unique_ptr<Call>> calls_;
  size_t pending_ = 0;
  bool share_held_ = false;
  // Continued only.
  bool continued_ = false;
  std::function<void()> then_;
  std::atomic<size_t> unanswered_{1};  // the calls, and Go() not yet called
};

// One backend: every call carries the deadline and the forwarded metadata,
// and a failure comes back naming the backend ("study backend: …"; its
// address only in the log). Retries are the channel's (reads only).
class BackendClient {
 public:
  BackendClient(std::string name, std::shared_ptr<grpc::Channel> channel, std::string target,
                absl::Duration deadline);

  // The backend's channel, for calls the HTTP side forwards as they are
  // (http_json routes): the caller's key, the same retries.
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // Where the conditional reads hold their answers (null: they ask in full).
  void HoldAnswersIn(AnswerCache* answers) { answers_ = answers; }

 protected:
  const std::string& target() const { return target_; }
  // A blocking call of `method`.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(Stub& stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request, const Forward& forward) const;
  // Starts `prepare` (the stub's PrepareAsync method) on `fanout`; `into`
  // (an absl::StatusOr<Response> or an Answer<Response>) is filled by
  // fanout.Wait().
  // A continued fanout's calls start with `async` instead:
  // async(stub, context, request, response, done), calling the method on
  // stub.async().
  template <typename Stub, typename Request, typename Response, typename Async, typename Slot>
  void Start(Fanout& fanout, Stub& stub,
             std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (Stub::*prepare)(
                 grpc::ClientContext*, const Request&, grpc::CompletionQueue*),
             Async async, const Request& request, const Forward& forward, Slot* into) const;
  // As Start, for a read the backend answers conditionally (answer_etag.h):
  // holding an answer to the same request, asks if_none_match its etag,
  // and told "not modified" fills `into` with the held answer: shared when
  // the fanout shares held answers (Fanout::ShareHeld), else a copy.
  template <typename Stub, typename Request, typename Response, typename Async>
  void StartConditional(Fanout& fanout, Stub& stub,
                        std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (Stub::*prepare)(
                            grpc::ClientContext*, const Request&, grpc::CompletionQueue*),
                        Async async, Request request, const Forward& forward,
                        Answer<Response>* into) const;

 private:
  template <typename Stub, typename Request, typename Response, typename Async, typename TypedCall>
  void Launch(Fanout& fanout, Stub& stub,
              std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (Stub::*prepare)(
                  grpc::ClientContext*, const Request&, grpc::CompletionQueue*),
              Async async, const Request& request, const Forward& forward,
              std::unique_ptr<TypedCall> call) const;
  std::unique_ptr<grpc::ClientContext> Context(const Forward& forward) const;
  absl::Status Named(const grpc::Status& status) const;

  std::string name_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string target_;
  absl::Duration deadline_;
  AnswerCache* answers_ = nullptr;
};

// What a summary is asked for: the day it is as of (the service's default
// when absent) and whether the names of the records behind the totals come
// with it.
struct SummaryOptions {
  std::optional<absl::CivilDay> as_of;
  bool include_records = false;
  // The study summary's year before in the same answer (StudySummary.previous_year).
  bool include_previous_year = false;
};

class StudyClient : public BackendClient {
 public:
  StudyClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
              absl::Duration deadline);
  // GetStudySummary of orgs/{org} for `year`; `org_name` is "orgs/{org}".
  void Summary(const std::string& org_name, int year, const SummaryOptions& options,
               const Forward& forward, Fanout& fanout,
               Answer<fazhi::study::v1::StudySummary>* into);

  // Whether the service's last summary asked with include_previous_year
  // answered it (previous_year_answered): then a report's year before comes
  // in its year's answer, one call fewer. A service that predates the field
  // is asked for the year before on its own, as is any until it answers.
  bool AnswersPreviousYear() const { return answers_previous_year_.load(); }
  void SetAnswersPreviousYear(bool answers) { answers_previous_year_.store(answers); }

 private:
  std::unique_ptr<fazhi::study::v1::StudyService::Stub> stub_;
  std::atomic<bool> answers_previous_year_{false};
};

class DutyClient : public BackendClient {
 public:
  DutyClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
             absl::Duration deadline);
  void Summary(const std::string& org_name, int year, const SummaryOptions& options,
               const Forward& forward, Fanout& fanout, Answer<fazhi::duty::v1::DutySummary>* into);

 private:
  std::unique_ptr<fazhi::duty::v1::DutyService::Stub> stub_;
};

class ReportClient : public BackendClient {
 public:
  ReportClient(const std::shared_ptr<grpc::Channel>& channel, std::string target,
               absl::Duration deadline);

  void GetOrganization(const std::string& org_name, const Forward& forward, Fanout& fanout,
                       Answer<fazhi::report::v1::Organization>* into);
  // GetReportInputs of `name` ("orgs/{org}/reports/{year}"): the
  // organization and the report in one call.
  void GetInputs(const std::string& name, const Forward& forward, Fanout& fanout,
                 Answer<fazhi::report::v1::ReportInputs>* into);
  // Whether to ask GetReportInputs rather than GetOrganization and
  // GetReport. A service that predates it answers UNIMPLEMENTED
  // (RefusedInputs); it is asked the two calls for the next five minutes,
  // then asked again, so an upgraded service is noticed without a restart.
  bool AnswersInputs() const;
  void RefusedInputs();
  // `name` is "orgs/{org}/reports/{year}".
  void GetReport(const std::string& name, const Forward& forward, Fanout& fanout,
                 Answer<fazhi::report::v1::Report>* into);
  absl::StatusOr<fazhi::report::v1::Report> GetReport(const std::string& name,
                                                      const Forward& forward);
  absl::StatusOr<fazhi::report::v1::ListOrganizationsResponse> ListOrganizations(
      const std::string& supervisor, int page_size, const std::string& page_token,
      const Forward& forward);
  absl::StatusOr<fazhi::report::v1::ListOverdueReportsResponse> ListOverdueReports(
      const std::string& supervisor, int year, absl::CivilDay as_of, const Forward& forward);

  // Writes: never retried.
  absl::StatusOr<fazhi::report::v1::Report> Approve(
      const fazhi::report::v1::ApproveReportRequest& request, const Forward& forward);
  absl::StatusOr<fazhi::report::v1::Report> Reject(
      const fazhi::report::v1::RejectReportRequest& request, const Forward& forward);
  absl::StatusOr<fazhi::report::v1::Report> Publish(
      const fazhi::report::v1::PublishReportRequest& request, const Forward& forward);

 private:
  std::unique_ptr<fazhi::report::v1::ReportService::Stub> stub_;
  // absl::ToUnixNanos of the time until which GetReportInputs is not asked.
  std::atomic<int64_t> inputs_refused_until_{0};
};

// The three backends, and the fan-out a report needs from them.
class Backends {
 public:
  // Fails when the TLS files cannot be read.
  static absl::StatusOr<std::unique_ptr<Backends>> Create(const BackendConfig& config);
  // Plaintext channels (tests).
  explicit Backends(const BackendConfig& config);

  // The organization, its report of the year (absent when not started),
  // and the year's study and duty summaries, fetched in parallel. With
  // allow_partial a failed study or duty backend is listed in
  // missing_backends instead of failing the call; the report service is
  // always needed (it knows the organization).
  //
  // For a report (FetchOptions::ForReport) also the study year before, for
  // 同比, and the names of the records behind the totals, in the same
  // parallel fan-out.
  struct FetchOptions {
    bool allow_partial = false;
    bool previous_year = false;
    bool include_records = false;
    // A held answer left shared as it comes (copied only by Input()), for a
    // caller that may need none of them (a report held from the same
    // answers); else copied as it comes, while the other answers are awaited.
    bool share_held = false;
    static FetchOptions ForReport(bool allow_partial) { return {allow_partial, true, true}; }
  };
  absl::StatusOr<ComposeInput> FetchYear(const std::string& org, int year,
                                         std::optional<absl::CivilDay> as_of,
                                         const FetchOptions& options, const Forward& forward);

 private:
  class YearFetch;

 public:
  // A year's answers as FetchYearThen hands them over.
  class FetchedYear {
   public:
    // ComposeInput::answers_etag as Input() would set it, known before:
    // a caller holding what it made from the same answers needs no Input().
    std::string AnswersEtag() const;
    // The answers as the composition's input (held answers copied here);
    // once: it moves them out.
    absl::StatusOr<ComposeInput> Input();

   private:
    friend class Backends;
    explicit FetchedYear(std::shared_ptr<YearFetch> fetch) : fetch_(std::move(fetch)) {}
    std::shared_ptr<YearFetch> fetch_;
  };
  // The same without waiting: `then` gets the answers on the gRPC callback
  // thread that took the last one (it may compose there). For handlers on
  // the callback API, which must not hold its threads while backends answer.
  void FetchYearThen(const std::string& org, int year, std::optional<absl::CivilDay> as_of,
                     const FetchOptions& options, const Forward& forward,
                     std::function<void(FetchedYear)> then);

  const BackendConfig& config() const { return config_; }
  StudyClient& study() { return study_; }
  DutyClient& duty() { return duty_; }
  ReportClient& report() { return report_; }
  const AnswerCache& answers() const { return answers_; }
  // Reports composed from answers with etags (ComposeInput::answers_etag),
  // by request: one is given again only while every backend says its
  // answer is not modified.
  AnswerCache& composed() { return composed_; }

 private:
  Backends(const BackendConfig& config,
           const std::shared_ptr<grpc::ChannelCredentials>& credentials);

  BackendConfig config_;
  // The summaries' and the report inputs' answers, to ask for again
  // conditionally.
  AnswerCache answers_;
  AnswerCache composed_;
  StudyClient study_;
  DutyClient duty_;
  ReportClient report_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_BACKENDS_H_
