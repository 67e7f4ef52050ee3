#ifndef FAZHI_SERVICES_GATEWAY_BACKENDS_H_
#define FAZHI_SERVICES_GATEWAY_BACKENDS_H_

// The gateway's clients of the study, duty and report services: parallel
// fan-out with a deadline per call, errors that name the backend, retries
// (by gRPC service config) only for the idempotent reads.

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fazhi/duty/v1/duty.grpc.pb.h"
#include "fazhi/report/v1/report.grpc.pb.h"
#include "fazhi/study/v1/study.grpc.pb.h"
#include "services/common/client_tls.h"
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
    static FetchOptions ForReport(bool allow_partial) { return {allow_partial, true, true}; }
  };
  absl::StatusOr<ComposeInput> FetchYear(const std::string& org, int year,
                                         std::optional<absl::CivilDay> as_of,
                                         const FetchOptions& options, const Forward& forward);

  const BackendConfig& config() const { return config_; }
  fazhi::report::v1::ReportService::Stub& report() { return *report_; }
  fazhi::study::v1::StudyService::Stub& study() { return *study_; }
  fazhi::duty::v1::DutyService::Stub& duty() { return *duty_; }

  // A client context with the deadline and the forwarded metadata.
  std::unique_ptr<grpc::ClientContext> Context(const Forward& forward) const;
  // The backend's error, naming it: "study backend (HOST:PORT): …".
  absl::Status Named(const std::string& backend, const grpc::Status& status) const;

 private:
  Backends(const BackendConfig& config, const std::shared_ptr<grpc::ChannelCredentials>& credentials);

  BackendConfig config_;
  std::unique_ptr<fazhi::study::v1::StudyService::Stub> study_;
  std::unique_ptr<fazhi::duty::v1::DutyService::Stub> duty_;
  std::unique_ptr<fazhi::report::v1::ReportService::Stub> report_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_BACKENDS_H_
