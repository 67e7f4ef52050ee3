#ifndef FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

// gRPC handlers of fazhi.gateway.v1.AnnualReportService: validate, fan out
// to the backends, compose (compose.h), render, convert.

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "fazhi/gateway/v1/gateway.grpc.pb.h"
#include "services/common/arena_messages.h"
#include "services/common/rpc.h"
#include "services/gateway/backends.h"
#include "services/kernel/dates.h"

namespace fazhi::gateway {

// ComposeReport and GetFacts are on gRPC's callback API and holds no thread while the
// backends answer (Backends::FetchYearThen, CallHandler::RunThen); the other
// methods are synchronous.
class AnnualReportServiceImpl final
    : public CallbackMethods<
          fazhi::gateway::v1::AnnualReportService::Service,
          fazhi::gateway::v1::AnnualReportService::WithCallbackMethod_ComposeReport,
          fazhi::gateway::v1::AnnualReportService::WithCallbackMethod_GetFacts> {
 public:
  using Clock = kernel::Clock;

  AnnualReportServiceImpl(Backends* backends, const CallHandler* calls, Clock today = nullptr);

  grpc::ServerUnaryReactor* ComposeReport(grpc::CallbackServerContext* context,
                                          const v1::ComposeReportRequest* request,
                                          v1::ComposedReport* response) override;
  grpc::ServerUnaryReactor* GetFacts(grpc::CallbackServerContext* context,
                                     const v1::GetFactsRequest* request,
                                     v1::FactCatalogue* response) override;
  grpc::Status PublishReport(grpc::ServerContext* context, const v1::PublishReportRequest* request,
                             v1::PublishReportResponse* response) override;
  grpc::Status GetDashboard(grpc::ServerContext* context, const v1::GetDashboardRequest* request,
                            v1::Dashboard* response) override;
  grpc::Status ApproveReport(grpc::ServerContext* context, const v1::ApproveReportRequest* request,
                             fazhi::report::v1::Report* response) override;
  grpc::Status RejectReport(grpc::ServerContext* context, const v1::RejectReportRequest* request,
                            fazhi::report::v1::Report* response) override;

  // The composition behind ComposeReport, for the HTTP downloads too.
  absl::StatusOr<v1::ComposedReport> ComposeFor(const std::string& org, int year,
                                                const std::vector<std::string>& formats,
                                                bool allow_partial,
                                                std::optional<absl::CivilDay> as_of,
                                                const Forward& forward,
                                                const fazhi::report::v1::Report* draft = nullptr);

 private:
  // The fact catalogue of a year fetched (GetFacts after its fetch).
  static void ListFacts(const ComposeInput& input, const v1::GetFactsRequest& request,
                        v1::FactCatalogue& response);
  // The composition of a year fetched (ComposeFor after its fetch):
  // `answers_etag` names the answers (ComposeInput::answers_etag), and
  // `input` gives them, asked only when no report made from them is held.
  absl::StatusOr<v1::ComposedReport> ComposeFrom(
      const std::string& answers_etag, absl::FunctionRef<absl::StatusOr<ComposeInput>()> input,
      const std::string& org, int year, const std::vector<std::string>& formats, bool allow_partial,
      std::optional<absl::CivilDay> as_of, const fazhi::report::v1::Report* draft);
  // Approve or reject (`approve` false) the year's report through the
  // report service, forwarding the caller; the etag is the one the caller
  // read, else the current one (GetReport).
  absl::Status Decide(bool approve, const std::string& org_field, int year, const std::string& etag,
                      const std::string& comment, const std::string& actor, const Forward& forward,
                      fazhi::report::v1::Report* response);

  Backends* backends_;
  const CallHandler* calls_;
  Clock today_;
  // GetFacts writes its large answer in place: on the call's arena.
  ArenaMessages<v1::GetFactsRequest, v1::FactCatalogue> facts_messages_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
