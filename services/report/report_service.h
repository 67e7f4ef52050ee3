#ifndef FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_
#define FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_

// gRPC handlers of fazhi.report.v1.ReportService: validate the request,
// convert it, hand the store the change (the pure life-cycle logic runs
// inside the store's transaction), convert back.

#include "absl/time/civil_time.h"
#include "fazhi/report/v1/report.grpc.pb.h"
#include "services/common/auth/audit.h"
#include "services/common/rpc.h"
#include "services/kernel/dates.h"
#include "services/report/report_store.h"

namespace fazhi::report {

class ReportServiceImpl final
    : public CallbackMethods<v1::ReportService::Service,
                             v1::ReportService::WithCallbackMethod_GetOrganization,
                             v1::ReportService::WithCallbackMethod_ListOrganizations,
                             v1::ReportService::WithCallbackMethod_GetReport,
                             v1::ReportService::WithCallbackMethod_GetReportInputs,
                             v1::ReportService::WithCallbackMethod_ListReports,
                             v1::ReportService::WithCallbackMethod_GetReportRevision,
                             v1::ReportService::WithCallbackMethod_ListReportRevisions,
                             v1::ReportService::WithCallbackMethod_GetReportDocument,
                             v1::ReportService::WithCallbackMethod_ListOverdueReports,
                             v1::ReportService::WithCallbackMethod_ListHistory,
                             v1::ReportService::WithCallbackMethod_ListAuditRecords> {
 public:
  using Clock = kernel::Clock;

  // `store` and `calls` must outlive the service. `today` gives the civil
  // date in China (UTC+8) by default; tests pass a fixed one.
  ReportServiceImpl(ReportStore* store, const CallHandler* calls, Clock today = nullptr);

  grpc::Status CreateOrganization(grpc::ServerContext* context,
                                  const v1::CreateOrganizationRequest* request,
                                  v1::Organization* response) override;
  grpc::ServerUnaryReactor* GetOrganization(grpc::CallbackServerContext* context,
                                            const v1::GetOrganizationRequest* request,
                                            v1::Organization* response) override;
  grpc::ServerUnaryReactor* ListOrganizations(grpc::CallbackServerContext* context,
                                              const v1::ListOrganizationsRequest* request,
                                              v1::ListOrganizationsResponse* response) override;
  grpc::Status UpdateOrganization(grpc::ServerContext* context,
                                  const v1::UpdateOrganizationRequest* request,
                                  v1::Organization* response) override;
  grpc::Status DeleteOrganization(grpc::ServerContext* context,
                                  const v1::DeleteOrganizationRequest* request,
                                  google::protobuf::Empty* response) override;

  grpc::Status CreateReport(grpc::ServerContext* context, const v1::CreateReportRequest* request,
                            v1::Report* response) override;
  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* context,
                                      const v1::GetReportRequest* request,
                                      v1::Report* response) override;
  grpc::ServerUnaryReactor* GetReportInputs(grpc::CallbackServerContext* context,
                                            const v1::GetReportInputsRequest* request,
                                            v1::ReportInputs* response) override;
  grpc::ServerUnaryReactor* ListReports(grpc::CallbackServerContext* context,
                                        const v1::ListReportsRequest* request,
                                        v1::ListReportsResponse* response) override;
  grpc::Status UpdateReport(grpc::ServerContext* context, const v1::UpdateReportRequest* request,
                            v1::Report* response) override;
  grpc::Status DeleteReport(grpc::ServerContext* context, const v1::DeleteReportRequest* request,
                            google::protobuf::Empty* response) override;

  grpc::Status SubmitReport(grpc::ServerContext* context, const v1::SubmitReportRequest* request,
                            v1::Report* response) override;
  grpc::Status ApproveReport(grpc::ServerContext* context, const v1::ApproveReportRequest* request,
                             v1::Report* response) override;
  grpc::Status RejectReport(grpc::ServerContext* context, const v1::RejectReportRequest* request,
                            v1::Report* response) override;
  grpc::Status PublishReport(grpc::ServerContext* context, const v1::PublishReportRequest* request,
                             v1::Report* response) override;
  grpc::Status CreateRevision(grpc::ServerContext* context,
                              const v1::CreateRevisionRequest* request,
                              v1::Report* response) override;

  grpc::ServerUnaryReactor* GetReportRevision(grpc::CallbackServerContext* context,
                                              const v1::GetReportRevisionRequest* request,
                                              v1::ReportRevision* response) override;
  grpc::ServerUnaryReactor* ListReportRevisions(grpc::CallbackServerContext* context,
                                                const v1::ListReportRevisionsRequest* request,
                                                v1::ListReportRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* GetReportDocument(grpc::CallbackServerContext* context,
                                              const v1::GetReportDocumentRequest* request,
                                              v1::Document* response) override;

  grpc::ServerUnaryReactor* ListOverdueReports(grpc::CallbackServerContext* context,
                                               const v1::ListOverdueReportsRequest* request,
                                               v1::ListOverdueReportsResponse* response) override;
  grpc::ServerUnaryReactor* ListHistory(grpc::CallbackServerContext* context,
                                        const v1::ListHistoryRequest* request,
                                        v1::ListHistoryResponse* response) override;

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context, const fazhi::type::v1::ListAuditRecordsRequest* request,
      fazhi::type::v1::ListAuditRecordsResponse* response) override;

  // Where ListAuditRecords reads; set by main (absent: UNIMPLEMENTED).
  void set_audit_log(auth::AuditLog* audit) { audit_ = audit; }

 private:
  ReportStore* store_;
  const CallHandler* calls_;
  auth::AuditLog* audit_ = nullptr;
  Clock today_;
};

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_REPORT_SERVICE_H_
